/* options.c - the table of every option (getopt's array, the short options
 * and --help made from it), getopt_long parsing and value validation;
 * --shard auto's index and count from a job array's environment. */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "options.h"

/* Every option once: getopt's table, the short-option string and the
 * --help text are made from it, and
 * test_optable checks the man page and docs/usage.md against it, so that no
 * spelling of an option can drift from the others. */
enum {
    OPT_STRICT = 256,
    OPT_MAX_PIXELS,
    OPT_EMBEDDED,
    OPT_CROP,
    OPT_FILES_FROM,
    OPT_SHARD,
    OPT_SYNC,
    OPT_REPORT,
    OPT_TIMEOUT,
    OPT_MAX_MEMORY,
    OPT_PROGRESS,
    OPT_BASE,
    OPT_NAME,
    OPT_PRUNE
};

#define FLAG no_argument
#define VALUE required_argument

/* In --help order. A help line "LEFT\tTEXT" is a second entry under the
 * option (another form of it) with LEFT as its first column. */
static const options_entry table[] = {
    {"recursive", 'r', FLAG, NULL, "descend into subdirectories, mirroring the tree", "Inputs"},
    {"files-from", OPT_FILES_FROM, VALUE, "FILE",
     "read more paths from FILE, one per line (- = stdin)", NULL},
    {"null", '0', FLAG, NULL, "paths in --files-from are NUL-separated", NULL},
    {"base", OPT_BASE, VALUE, "DIR",
     "with --files-from and -o: place each listed file\n"
     "under -o DIR by its path relative to DIR (default:\n"
     "the current directory)",
     NULL},
    {"shard", OPT_SHARD, VALUE, "I/N",
     "only the files whose relative path hashes to shard I\n"
     "of N (0 <= I < N; FNV-1a 64, stable across machines)\n"
     "--shard auto\tI and N from a Slurm job array task's environment\n"
     "--shard auto/N\tI from SLURM_ARRAY_TASK_ID or JOB_COMPLETION_INDEX",
     NULL},
    {"strict", OPT_STRICT, FLAG, NULL, "damaged-but-decodable files count as failures", NULL},
    {"max-pixels", OPT_MAX_PIXELS, VALUE, "N",
     "refuse images larger than N pixels (default 268435456)", NULL},
    {"embedded", OPT_EMBEDDED, FLAG, NULL,
     "use the EXIF thumbnail when it is large enough and\n"
     "matches the image (may be stale after an edit)",
     NULL},
    {"size", 's', VALUE, "WxH",
     "fit into W x H pixels; N means NxN (default 75x75)\n"
     "-s W1xH1,W2xH2,...\tup to 8 sizes from one decode, each written under\n"
     "its own WxH/ subdirectory of the output root",
     "Output"},
    {"crop", OPT_CROP, FLAG, NULL,
     "fill the box exactly: the centred part of the\n"
     "image with the box's aspect ratio (never upscaled)",
     NULL},
    {"output", 'o', VALUE, "DIR", "write thumbnails under DIR instead of thumbs/", NULL},
    {"name", OPT_NAME, VALUE, "TEMPLATE",
     "name thumbnails by TEMPLATE: %s the source's name\n"
     "without extension, %w and %h the thumbnail's width\n"
     "and height, %e jpg, png or webp, %% a % (default:\n"
     "the source's name, its extension changed per -F)",
     NULL},
    {"format", 'F', VALUE, "FORMAT",
     "jpeg, png, webp or same as the source's name (default\n"
     "same); webp is lossless for an image with alpha",
     NULL},
    {"quality", 'Q', VALUE, "N", "JPEG and lossy WebP quality 1..100 (default 85)", NULL},
    {"force", 'f', FLAG, NULL,
     "remake thumbnails that are up to date; replace files\n"
     "at their paths that thumbify did not make",
     NULL},
    {"sync", OPT_SYNC, FLAG, NULL, "fsync each thumbnail before it takes its name", NULL},
    {"dry-run", 'n', FLAG, NULL, "list what would be done; write nothing", NULL},
    {"report", OPT_REPORT, VALUE, "FILE",
     "write a JSON manifest of every input (- = stdout);\n"
     "a file is rewritten only when its content changes",
     NULL},
    {"prune", OPT_PRUNE, FLAG, NULL,
     "remove the thumbnails no current source maps to\n"
     "(needs -o DIR or -r; with -n only list them)",
     NULL},
    {"procs", 'p', VALUE, "N", "worker processes (default: the usable CPU cores)", "Running"},
    {"timeout", OPT_TIMEOUT, VALUE, "SEC", "time limit per image (default 60)", NULL},
    {"max-memory", OPT_MAX_MEMORY, VALUE, "SIZE",
     "address-space limit per worker, e.g. 512M (default 2G)", NULL},
    {"progress", OPT_PROGRESS, VALUE, "WHEN", "auto, always or never (default auto: on a terminal)",
     NULL},
    {"quiet", 'q', FLAG, NULL, "no summary line (and no progress unless always)", NULL},
    {"verbose", 'v', FLAG, NULL,
     "one line per image on stderr: sizes, decode path,\n"
     "colour profile",
     NULL},
    {"help", 'h', FLAG, NULL, "show this help and exit", NULL},
    {"version", 'V', FLAG, NULL, "show the version and exit", NULL},
};
#define NOPTS (sizeof table / sizeof table[0])

const options_entry *options_table(size_t *n)
{
    *n = NOPTS;
    return table;
}

/* The letter of an entry's short form, or 0 (a long option only). */
static int letter(const options_entry *e)
{
    return e->val < 256 ? e->val : 0;
}

/* getopt_long's array, in table order (the order of its "ambiguous"
 * message's possibilities). */
static const struct option *long_opts(void)
{
    static struct option longs[NOPTS + 1];
    for (size_t i = 0; i < NOPTS && !longs[i].name; i++)
        longs[i] = (struct option){table[i].name, table[i].has_arg, NULL, table[i].val};
    return longs;
}

/* ":r0...": each letter, with ':' when it takes a value; the leading ':'
 * makes getopt report a missing value as ':' (see bad_option). */
static const char *short_opts(void)
{
    static char s[2 * NOPTS + 2] = ":";
    size_t n = 1;
    if (s[1])
        return s;
    for (size_t i = 0; i < NOPTS; i++)
        if (letter(&table[i])) {
            s[n++] = (char)letter(&table[i]);
            if (table[i].has_arg == VALUE)
                s[n++] = ':';
        }
    return s;
}

const char options_try_help[] = "Try 'thumbify --help' for more information.";

static const char help_head[] =
    "usage: thumbify [OPTION]... PATH...\n"
    "       thumbify bench [OPTION]... PATH...   (the benchmark: thumbify bench --help)\n"
    "Make a thumbnail of every JPEG and PNG in each directory PATH (and of each\n"
    "file PATH), fitting a 75x75 box, written to thumbs/<same name> beside it.\n";

static const char help_tail[] =
    "\n"
    "Examples:\n"
    "  thumbify -p 8 ./photos              thumbnails into ./photos/thumbs/\n"
    "  thumbify -q -r assets -o build/thumbs -s 320x320,640x640 -F webp \\\n"
    "      --name '%s-%w.%e' --prune --report build/thumbs.json\n"
    "      a build step (a Makefile rule's recipe): two WebP widths for srcset, the\n"
    "      thumbnails of deleted photos removed, and a report giving each\n"
    "      thumbnail's width and height for <img> (see man thumbify, EXAMPLES)\n"
    "\n"
    "File names on stderr and in the -n listing are escaped as by ls -b: \\n, \\t,\n"
    "\\\\ (a backslash), \\ooo (other control bytes, bytes that are not UTF-8).\n"
    "\n"
    "Exit status: 0 every thumbnail made or up to date, 1 some image or path\n"
    "failed, 2 usage error, 128+N stopped by signal N.\n";

#define HELP_COLUMN 25 /* where the help texts start */

/* Appends to the help being built; the buffer is sized for it. */
static void put(char *buf, size_t size, const char *s, size_t len)
{
    size_t n = strlen(buf);
    if (n + len < size) {
        memcpy(buf + n, s, len);
        buf[n + len] = '\0';
    }
}

/* A first column, padded to HELP_COLUMN: "  -p, --procs N", "      --crop";
 * a help line's own LEFT ("--shard auto", "-s W1xH1,...") indented to match. */
static void put_left(char *buf, size_t size, const options_entry *e, const char *left, size_t len)
{
    char col[64];
    int n;
    if (left)
        n = snprintf(col, sizeof col, "%s%.*s", left[1] == '-' ? "      " : "  ", (int)len, left);
    else if (letter(e))
        n = snprintf(col, sizeof col, "  -%c, --%s%s%s", letter(e), e->name, e->arg ? " " : "",
                     e->arg ? e->arg : "");
    else
        n = snprintf(col, sizeof col, "      --%s%s%s", e->name, e->arg ? " " : "",
                     e->arg ? e->arg : "");
    put(buf, size, col, (size_t)n);
    do
        put(buf, size, " ", 1);
    while (++n < HELP_COLUMN);
}

/* An option's lines: its first column and help, then each help line, under
 * the first or, for "LEFT\tTEXT", after a first column of its own. */
static void put_entry(char *buf, size_t size, const options_entry *e)
{
    put_left(buf, size, e, NULL, 0);
    for (const char *line = e->help; *line;) {
        size_t len = strcspn(line, "\n");
        const char *tab = memchr(line, '\t', len);
        if (line != e->help && tab) {
            put_left(buf, size, e, line, (size_t)(tab - line));
            len -= (size_t)(tab + 1 - line);
            line = tab + 1;
        } else if (line != e->help)
            put(buf, size, "                         ", HELP_COLUMN);
        put(buf, size, line, len);
        put(buf, size, "\n", 1);
        line += len + (line[len] == '\n');
    }
}

const char *options_help(void)
{
    static char buf[8192];
    if (buf[0])
        return buf;
    put(buf, sizeof buf, help_head, strlen(help_head));
    for (size_t i = 0; i < NOPTS; i++) {
        if (table[i].section) {
            put(buf, sizeof buf, "\n", 1);
            put(buf, sizeof buf, table[i].section, strlen(table[i].section));
            put(buf, sizeof buf, ":\n", 2);
        }
        put_entry(buf, sizeof buf, &table[i]);
    }
    put(buf, sizeof buf, help_tail, strlen(help_tail));
    return buf;
}

const struct option *options_long(const char *name)
{
    for (const struct option *lo = long_opts(); lo->name; lo++)
        if (strcmp(lo->name, name) == 0)
            return lo;
    return NULL;
}

/* A whole decimal number in [lo, hi]; *end (if given) gets what follows. */
static int parse_int(const char *s, long lo, long hi, int *out, const char **end)
{
    char *e;
    if (*s < '0' || *s > '9') /* no sign, no spaces */
        return -1;
    errno = 0;
    long v = strtol(s, &e, 10);
    if (errno || v < lo || v > hi || (!end && *e))
        return -1;
    if (end)
        *end = e;
    *out = (int)v;
    return 0;
}

/* A whole decimal number >= 1; *end as for parse_int. */
static int parse_ull(const char *s, unsigned long long *out, const char **end)
{
    char *e;
    if (*s < '0' || *s > '9')
        return -1;
    errno = 0;
    unsigned long long v = strtoull(s, &e, 10);
    if (errno || v == 0 || (!end && *e))
        return -1;
    if (end)
        *end = e;
    *out = v;
    return 0;
}

int options_parse_bytes(const char *s, unsigned long long *out)
{
    const char *unit;
    unsigned long long v;
    if (parse_ull(s, &v, &unit) != 0)
        return -1;
    int shift = 0;
    switch (*unit) {
    case '\0': break;
    case 'k':
    case 'K': shift = 10; break;
    case 'm':
    case 'M': shift = 20; break;
    case 'g':
    case 'G': shift = 30; break;
    default: return -1;
    }
    if (*unit && unit[1] != '\0' && strcmp(unit + 1, "iB") != 0 && strcmp(unit + 1, "B") != 0)
        return -1;
    if (shift && v > (~0ULL >> shift))
        return -1;
    *out = v << shift;
    return 0;
}

/* "WxH" or "N" (a square box); each side 1..65535. */
static int parse_size(const char *s, int *w, int *h)
{
    const char *rest;
    if (parse_int(s, 1, 65535, w, &rest) != 0)
        return -1;
    if (*rest == '\0') {
        *h = *w;
        return 0;
    }
    if (*rest != 'x' && *rest != 'X')
        return -1;
    return parse_int(rest + 1, 1, 65535, h, NULL);
}

/* "SIZE[,SIZE]..." into o->sizes: 1 to TF_MAX_BOXES sizes, no two alike;
 * the first is also params' box. 0, or -1 with *why. */
static int parse_sizes(const char *s, cli_options *o, const char **why)
{
    int n = 0;
    char one[32];
    *why = "WxH or N, each from 1 to 65535";
    for (const char *p = s;; p++) {
        size_t len = strcspn(p, ",");
        if (n == TF_MAX_BOXES)
            return *why = "at most 8 sizes, apart by commas", -1;
        if (len >= sizeof one)
            return -1;
        memcpy(one, p, len);
        one[len] = '\0';
        tf_box *b = &o->sizes[n];
        if (parse_size(one, &b->w, &b->h) != 0)
            return -1;
        for (int i = 0; i < n; i++)
            if (o->sizes[i].w == b->w && o->sizes[i].h == b->h)
                return *why = "each size once", -1;
        n++;
        p += len;
        if (!*p)
            break;
    }
    o->nsizes = n;
    o->params.box_w = o->sizes[0].w;
    o->params.box_h = o->sizes[0].h;
    return 0;
}

static int parse_format(const char *s, tf_format *f)
{
    if (strcmp(s, "jpeg") == 0 || strcmp(s, "jpg") == 0)
        *f = TF_FORMAT_JPEG;
    else if (strcmp(s, "png") == 0)
        *f = TF_FORMAT_PNG;
    else if (strcmp(s, "webp") == 0)
        *f = TF_FORMAT_WEBP;
    else if (strcmp(s, "same") == 0)
        *f = TF_FORMAT_SAME;
    else
        return -1;
    return 0;
}

/* A --name template: not empty, no '/', every '%' one of %s %w %h %e %%. */
static int parse_name(const char *s)
{
    if (!*s || strchr(s, '/'))
        return -1;
    for (const char *p = strchr(s, '%'); p; p = strchr(p + 2, '%'))
        if (!p[1] || !strchr("swhe%", p[1]))
            return -1;
    return 0;
}

static int parse_progress(const char *s, int *p)
{
    static const char *const names[] = {"auto", "always", "never"};
    for (int i = 0; i < 3; i++)
        if (strcmp(s, names[i]) == 0) {
            *p = i;
            return 0;
        }
    return -1;
}

__attribute__((format(printf, 3, 4))) static int fail(char *err, size_t errlen, const char *fmt,
                                                      ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
    return OPTIONS_USAGE;
}

/* --shard auto reads the index (and count) that a Slurm job array or a
 * Kubernetes Indexed Job puts in each task's environment, so that one
 * command line serves every task. */
#define SLURM_ID "SLURM_ARRAY_TASK_ID"
#define K8S_INDEX "JOB_COMPLETION_INDEX"

/* The environment variable name as a whole number >= lo; a usage error
 * naming spec (the value of --shard) when it is unset or not a number. */
static int env_number(const char *spec, const char *name, int lo, int *out, char *err,
                      size_t errlen)
{
    const char *v = getenv(name);
    if (!v)
        return fail(err, errlen, "--shard %s: %s is not set", spec, name);
    if (parse_int(v, lo, INT_MAX, out, NULL) != 0)
        return fail(err, errlen, "--shard %s: %s is '%s', not a whole number%s", spec, name, v,
                    lo ? " from 1" : "");
    return 0;
}

/* "auto" in a Slurm job array: the task's place in the range A-B:S. Slurm
 * numbers the tasks as the user wrote them, so MIN and STEP are needed too,
 * and MAX shows whether the indices are that range: a list like 1,3,7 has
 * MIN 1, STEP 1 and COUNT 3, but MAX 7, and is refused, not guessed at. */
static int shard_from_slurm(cli_options *o, char *err, size_t errlen)
{
    int id, count, min, max, step;
    if (env_number("auto", SLURM_ID, 0, &id, err, errlen) ||
        env_number("auto", "SLURM_ARRAY_TASK_COUNT", 1, &count, err, errlen) ||
        env_number("auto", "SLURM_ARRAY_TASK_MIN", 0, &min, err, errlen) ||
        env_number("auto", "SLURM_ARRAY_TASK_MAX", 0, &max, err, errlen) ||
        env_number("auto", "SLURM_ARRAY_TASK_STEP", 1, &step, err, errlen))
        return OPTIONS_USAGE;
    if (id < min || id > max || (id - min) % step != 0 ||
        min + (long long)(count - 1) * step != max)
        return fail(err, errlen,
                    "--shard auto: the Slurm array is not a range A-B or A-B:S (%s=%d, "
                    "SLURM_ARRAY_TASK_MIN=%d, _MAX=%d, _STEP=%d, _COUNT=%d): "
                    "give the number of shards, --shard auto/N",
                    SLURM_ID, id, min, max, step, count);
    o->shard_i = (unsigned)((id - min) / step);
    o->shard_n = (unsigned)count;
    return 0;
}

/* "auto" outside a Slurm job array: says what is missing. */
static int shard_no_slurm(char *err, size_t errlen)
{
    if (getenv(K8S_INDEX))
        return fail(err, errlen,
                    "--shard auto: %s gives this task's index but not the number of "
                    "shards: give --shard auto/N (N = the Job's completions)",
                    K8S_INDEX);
    return fail(err, errlen,
                "--shard auto: %s is not set (not a task of a Slurm job array); "
                "elsewhere give --shard I/N or auto/N",
                SLURM_ID);
}

/* "auto/N": the task's own index as it is, from whichever kind of job
 * array this is (so that --array=1,3 redoes shards 1 and 3 of N). */
static int shard_from_index(const char *spec, int n, cli_options *o, char *err, size_t errlen)
{
    const char *name = getenv(SLURM_ID) ? SLURM_ID : K8S_INDEX;
    int id;
    if (getenv(SLURM_ID) && getenv(K8S_INDEX))
        return fail(err, errlen,
                    "--shard %s: both %s and %s are set, so this task's index is not "
                    "clear: give --shard I/N",
                    spec, SLURM_ID, K8S_INDEX);
    if (!getenv(name))
        return fail(err, errlen,
                    "--shard %s: neither %s (a Slurm job array) nor %s (a Kubernetes "
                    "Indexed Job) is set",
                    spec, SLURM_ID, K8S_INDEX);
    if (env_number(spec, name, 0, &id, err, errlen) != 0)
        return OPTIONS_USAGE;
    if (id >= n)
        return fail(err, errlen, "--shard %s: %s is %d, not below the %d shards", spec, name, id,
                    n);
    o->shard_i = (unsigned)id;
    o->shard_n = (unsigned)n;
    return 0;
}

/* The --shard that won, when it was auto or auto/N: read from the
 * environment once parsing is done, so that a later --shard replaces an
 * earlier one before its variables are looked at. */
static int shard_from_env(cli_options *o, char *err, size_t errlen)
{
    if (strcmp(o->shard_auto, "auto") == 0)
        return getenv(SLURM_ID) ? shard_from_slurm(o, err, errlen) : shard_no_slurm(err, errlen);
    return shard_from_index(o->shard_auto, atoi(o->shard_auto + 5), o, err, errlen); /* auto/N */
}

/* "I/N" with 0 <= I < N; "auto" or "auto/N" kept for shard_from_env. */
static int parse_shard(const char *s, cli_options *o, char *err, size_t errlen)
{
    int a, b;
    const char *rest;
    o->shard_auto = NULL;
    if (strcmp(s, "auto") == 0 ||
        (strncmp(s, "auto/", 5) == 0 && parse_int(s + 5, 1, INT_MAX, &b, NULL) == 0)) {
        o->shard_auto = s;
        return 0;
    }
    if (parse_int(s, 0, INT_MAX, &a, &rest) != 0 || *rest != '/' ||
        parse_int(rest + 1, 1, INT_MAX, &b, NULL) != 0 || a >= b)
        return fail(err, errlen,
                    "invalid value '%s' for --shard: expected I/N with 0 <= I < N, auto "
                    "or auto/N",
                    s);
    o->shard_i = (unsigned)a;
    o->shard_n = (unsigned)b;
    return 0;
}

/* Options that take a value: each value is checked here, and a bad one is
 * reported with the option's names and what was expected. */
static int apply_value(int c, const char *arg, cli_options *o, char *err, size_t errlen)
{
#define BAD(names, expect)                                                                         \
    fail(err, errlen, "invalid value '%s' for " names ": expected " expect, arg)
    tf_params *p = &o->params;
    const char *why;
    switch (c) {
    case 'p':
        return parse_int(arg, 1, 4096, &o->procs, NULL)
                   ? BAD("-p/--procs", "a whole number from 1 to 4096")
                   : 0;
    case 's':
        return parse_sizes(arg, o, &why)
                   ? fail(err, errlen, "invalid value '%s' for -s/--size: expected %s", arg, why)
                   : 0;
    case 'Q':
        return parse_int(arg, 1, 100, &p->quality, NULL)
                   ? BAD("-Q/--quality", "a whole number from 1 to 100")
                   : 0;
    case 'F':
        return parse_format(arg, &p->format) ? BAD("-F/--format", "jpeg, png, webp or same") : 0;
    case 'o': return *arg ? (o->out_dir = arg, 0) : BAD("-o/--output", "a directory name");
    case OPT_MAX_PIXELS:
        return parse_ull(arg, &p->max_pixels, NULL) ? BAD("--max-pixels", "a whole number from 1")
                                                    : 0;
    case OPT_FILES_FROM:
        return *arg ? (o->files_from = arg, 0) : BAD("--files-from", "a file name or -");
    case OPT_SHARD: return parse_shard(arg, o, err, errlen);
    case OPT_BASE: return *arg ? (o->base = arg, 0) : BAD("--base", "a directory name");
    case OPT_NAME:
        return parse_name(arg)
                   ? BAD("--name", "a file name without '/' whose escapes are %%s, %%w, %%h, "
                                   "%%e or %%%%")
                   : (o->name = arg, 0);
    case OPT_REPORT: return *arg ? (o->report = arg, 0) : BAD("--report", "a file name or -");
    case OPT_TIMEOUT:
        return parse_int(arg, 1, 86400, &o->timeout_s, NULL)
                   ? BAD("--timeout", "seconds from 1 to 86400")
                   : 0;
    case OPT_MAX_MEMORY:
        return options_parse_bytes(arg, &o->max_memory) || o->max_memory < (64ULL << 20)
                   ? BAD("--max-memory", "a size of at least 64M, like 512M or 2G")
                   : 0;
    case OPT_PROGRESS:
        return parse_progress(arg, &o->progress) ? BAD("--progress", "auto, always or never") : 0;
    }
#undef BAD
    return -1;
}

static int apply_flag(int c, cli_options *o)
{
    switch (c) {
    case 'r': o->recursive = 1; return 0;
    case '0': o->null_sep = 1; return 0;
    case 'f': o->force = 1; return 0;
    case 'n': o->dry_run = 1; return 0;
    case 'q': o->quiet = 1; return 0;
    case 'v': o->verbose = 1; return 0;
    case 'h': o->help = 1; return 0;
    case 'V': o->version = 1; return 0;
    case OPT_STRICT: o->strict = 1; return 0;
    case OPT_EMBEDDED: o->params.use_embedded = 1; return 0;
    case OPT_CROP: o->params.fit = TF_FIT_CROP; return 0;
    case OPT_SYNC: o->sync = 1; return 0;
    case OPT_PRUNE: o->prune = 1; return 0;
    }
    return -1;
}

/* The full name of the long option whose getopt value is val ("procs"
 * for 'p'), as GNU's messages name it even when it was abbreviated. */
static const char *long_name(int val)
{
    for (const struct option *lo = long_opts(); lo->name; lo++)
        if (lo->val == val)
            return lo->name;
    return "?";
}

/* An abbreviation of more than one long option ("--q"): names them, as
 * glibc's "option '--q' is ambiguous; possibilities: '--quiet' ...". */
static int ambiguous(const char *word, char *err, size_t errlen)
{
    size_t len = strcspn(word + 2, "="), n = 0, used;
    used = (size_t)snprintf(err, errlen, "option '--%.*s' is ambiguous; possibilities:", (int)len,
                            word + 2);
    for (const struct option *lo = long_opts(); lo->name && strncmp(word, "--", 2) == 0; lo++)
        if (strncmp(lo->name, word + 2, len) == 0 && ++n && used < errlen)
            used += (size_t)snprintf(err + used, errlen - used, " '--%s'", lo->name);
    return n > 1;
}

/* getopt_long's own messages would go to stderr; ours are worded as GNU
 * getopt's (what a user of ls or cp knows), and main adds the "Try" line.
 * A leading ':' in the option string makes a missing value ':' and an
 * unknown option '?'; optopt is 0 for an unknown long option. */
static int bad_option(int c, char **argv, char *err, size_t errlen)
{
    const char *word = argv[optind - 1];
    if (c == ':')
        return optopt && strncmp(word, "--", 2) != 0
                   ? fail(err, errlen, "option requires an argument -- '%c'", optopt)
                   : fail(err, errlen, "option '--%s' requires an argument", long_name(optopt));
    /* An unknown letter in a cluster (-qz) leaves optind on that cluster,
     * so argv[optind-1] may be an earlier word: trust optopt for letters. */
    if (optopt > 0 && optopt < 256 && (optopt == ':' || !strchr(short_opts(), optopt)))
        return fail(err, errlen, "invalid option -- '%c'", optopt);
    if (optopt) /* a long option that takes no value, given one */
        return fail(err, errlen, "option '--%s' doesn't allow an argument", long_name(optopt));
    return ambiguous(word, err, errlen) ? OPTIONS_USAGE
                                        : fail(err, errlen, "unrecognized option '%s'", word);
}

static int check_combination(const cli_options *o, char *err, size_t errlen)
{
    if (o->npaths == 0 && !o->files_from && !o->help && !o->version)
        return fail(err, errlen, "no input path given");
    if (o->null_sep && !o->files_from)
        return fail(err, errlen, "-0/--null needs --files-from");
    if (o->base && !o->files_from)
        return fail(err, errlen, "--base needs --files-from");
    if (o->base && !o->out_dir)
        return fail(err, errlen,
                    "--base needs -o/--output (without it, thumbnails go beside "
                    "their sources)");
    /* without an output tree of its own, a run's thumbs/ dirs hold other
     * runs' thumbnails too */
    if (o->prune && !o->out_dir && !o->recursive)
        return fail(err, errlen, "--prune needs -o DIR or -r");
    if (o->prune && (o->shard_n || o->shard_auto))
        return fail(err, errlen,
                    "--prune cannot be used with --shard: the other shards' thumbnails would "
                    "look orphaned");
    return OPTIONS_OK;
}

/* What needs every option first: the combinations, then --shard auto
 * (not for --help or --version, which run nothing). */
static int finish_parse(cli_options *o, char *err, size_t errlen)
{
    int rc = check_combination(o, err, errlen);
    if (rc == OPTIONS_OK && o->shard_auto && !o->help && !o->version)
        rc = shard_from_env(o, err, errlen);
    return rc;
}

int options_parse(int argc, char **argv, cli_options *o, char *err, size_t errlen)
{
    *o = (cli_options){0};
    tf_params_default(&o->params);
    o->sizes[0] = (tf_box){o->params.box_w, o->params.box_h};
    o->nsizes = 1;
    o->timeout_s = OPTIONS_DEFAULT_TIMEOUT;
    o->max_memory = OPTIONS_DEFAULT_MAX_MEMORY;
    optind = 0; /* 0, not 1: full reinitialisation in glibc */
    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, short_opts(), long_opts(), NULL)) != -1) {
        if (c == '?' || c == ':')
            return bad_option(c, argv, err, errlen);
        if (apply_flag(c, o) != 0 && apply_value(c, optarg, o, err, errlen) != 0)
            return OPTIONS_USAGE;
    }
    o->paths = argv + optind;
    o->npaths = argc - optind;
    return finish_parse(o, err, errlen);
}
