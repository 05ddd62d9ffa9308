/* bench.c - the built-in single- against multi-process comparison. Each
 * configuration runs once untimed (to warm the page cache and the
 * allocator), then --runs times; the median wall time is reported with the
 * fastest and slowest run, so that a noisy measurement shows as one. */
#include <dirent.h>
#include <errno.h>
#include <ftw.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "batch.h"
#include "bench.h"
#include "cpus.h"
#include "machine.h"
#include "msg.h"
#include "options.h"
#include "signals.h"

#define MAX_COUNTS 64
#define MAX_RUNS 1000

typedef struct bench_opts {
    int counts[MAX_COUNTS];
    int ncounts;
    int runs;
    int csv, help;
    char **job_argv; /* "thumbify", the job options, "--", the operands */
    int job_argc;
    int nopts;     /* job_argv[1..nopts] are the job options, allocated */
    sigset_t mask; /* the signal mask bench started with */
} bench_opts;

typedef struct timing {
    double median, min, max;
} timing;

static const char bench_help[] =
    "usage: thumbify bench [OPTION]... PATH...\n"
    "Time the whole job on PATH with -p 1 and with each count of -p LIST, into a\n"
    "temporary directory; print wall time (median, min, max), images/s, MP/s,\n"
    "speedup and efficiency against -p 1.\n"
    "\n"
    "  -p, --procs LIST   process counts, comma-separated (default: 1 and the usable cores)\n"
    "      --runs N       timed runs per count (default 3)\n"
    "      --csv          comma-separated output\n"
    "  -h, --help         show this help and exit\n"
    "The job options -r, -s, -F, -Q, --embedded, --files-from, -0, --shard,\n"
    "--strict, --max-pixels, --timeout, --max-memory and --sync are passed to the\n"
    "runs timed (see thumbify --help).\n"
    "Exit status: 0 measured, 1 nothing to measure (a missing path, no image\n"
    "found or none made) or a run failed, 2 usage error.\n";

static const char try_bench_help[] = "Try 'thumbify bench --help' for more information.";

/* bench's own long options; their values are above any of options.c's. */
enum { B_RUNS = 1000, B_CSV };

/* The job options bench passes on to the runs it times (by their long
 * name, to options_parse, which checks their values); their short forms are
 * the second half of BENCH_SHORT. -o, -n, --report, -q, -v, --progress and
 * -f are not taken: bench decides those. */
static const char *const passed_on[] = {
    "recursive",  "size",   "format",     "quality", "null",       "embedded", "shard",
    "files-from", "strict", "max-pixels", "timeout", "max-memory", "sync"};
#define BENCH_SHORT ":p:hrs:F:Q:0" /* ':' for getopt's errors, bench's, passed_on's */
#define NOWN 4
#define NPASSED (sizeof passed_on / sizeof passed_on[0])

/* bench's own options, then those of passed_on, as options.c has them. */
static const struct option *long_options(void)
{
    static struct option longs[NOWN + NPASSED + 1] = {
        {"procs", required_argument, NULL, 'p'},
        {"runs", required_argument, NULL, B_RUNS},
        {"csv", no_argument, NULL, B_CSV},
        {"help", no_argument, NULL, 'h'},
    };
    for (size_t i = 0; i < NPASSED && !longs[NOWN + i].name; i++)
        longs[NOWN + i] = *options_long(passed_on[i]);
    return longs;
}

/* "1,2,4": each 1..4096; 1 is always measured first, as the baseline. */
static int parse_counts(const char *s, bench_opts *b)
{
    b->counts[0] = 1;
    b->ncounts = 1;
    while (*s) {
        char *end;
        long v = strtol(s, &end, 10);
        if (end == s || v < 1 || v > 4096 || (*end && *end != ',') || b->ncounts == MAX_COUNTS)
            return -1;
        if (v != 1)
            b->counts[b->ncounts++] = (int)v;
        s = *end ? end + 1 : end;
    }
    return 0;
}

/* A job option, as "--name" or "--name=value", onto job_argv. */
static int pass_on(int c, const char *arg, bench_opts *b)
{
    for (const struct option *lo = long_options() + NOWN; lo->name; lo++)
        if (lo->val == c) {
            size_t len = strlen(lo->name) + (arg ? strlen(arg) : 0) + 4;
            char *word = malloc(len);
            if (!word)
                return -1;
            snprintf(word, len, "--%s%s%s", lo->name, arg ? "=" : "", arg ? arg : "");
            b->job_argv[b->job_argc++] = word;
            b->nopts++;
            return 0;
        }
    return -1;
}

/* getopt_long's error in GNU's words, as options.c words thumbify's: a
 * long option by its full name, found by its value (optopt). */
static void bad_option(int c, char **argv)
{
    const char *word = argv[optind - 1], *name = word + 2;
    int is_long = strncmp(word, "--", 2) == 0;
    for (const struct option *lo = long_options(); is_long && optopt && lo->name; lo++)
        if (lo->val == optopt)
            name = lo->name;
    if (!is_long && c == ':')
        msg_line("thumbify: bench: option requires an argument -- '%c'", optopt);
    else if (!is_long)
        msg_line("thumbify: bench: invalid option -- '%c'", optopt);
    else if (c == ':')
        msg_line("thumbify: bench: option '--%s' requires an argument", name);
    else if (optopt)
        msg_line("thumbify: bench: option '--%.*s' doesn't allow an argument",
                 (int)strcspn(name, "="), name);
    else
        msg_line("thumbify: bench: unrecognized option '%s'", word);
}

static int parse_own(int c, const char *arg, bench_opts *b)
{
    char *end;
    if (c == 'p' && parse_counts(arg, b) != 0)
        return msg_line("thumbify: bench: invalid value '%s' for -p/--procs: expected counts "
                        "from 1 to 4096, like 1,2,4",
                        arg),
               -1;
    if (c == B_RUNS &&
        ((b->runs = (int)strtol(arg, &end, 10)) < 1 || *end || *arg == '\0' || b->runs > MAX_RUNS))
        return msg_line("thumbify: bench: invalid value '%s' for --runs: expected 1 to 1000", arg),
               -1;
    b->csv |= c == B_CSV;
    b->help |= c == 'h';
    return 0;
}

static int parse(int argc, char **argv, bench_opts *b)
{
    int cores = usable_cpus(), c;
    *b = (bench_opts){.runs = 3, .ncounts = cores > 1 ? 2 : 1, .counts = {1, cores}};
    b->job_argv = calloc((size_t)argc + 2, sizeof *b->job_argv);
    if (!b->job_argv)
        return -1;
    b->job_argv[b->job_argc++] = "thumbify";
    signals_mask_get(&b->mask);
    optind = 0;
    opterr = 0;
    while ((c = getopt_long(argc, argv, BENCH_SHORT, long_options(), NULL)) != -1) {
        if (c == '?' || c == ':')
            return bad_option(c, argv), -1;
        int own = c == 'p' || c == 'h' || c == B_RUNS || c == B_CSV;
        if (own ? parse_own(c, optarg, b) != 0 : pass_on(c, optarg, b) != 0)
            return -1;
    }
    b->job_argv[b->job_argc++] = "--";
    while (optind < argc)
        b->job_argv[b->job_argc++] = argv[optind++];
    return 0;
}

static void free_opts(bench_opts *b)
{
    for (int i = 1; b->job_argv && i <= b->nopts; i++)
        free(b->job_argv[i]);
    free(b->job_argv);
}

/* Whether the directory PATH has a subdirectory (for the -r hint). */
static int has_subdirectory(const char *path)
{
    DIR *d = opendir(path);
    struct dirent *e;
    int found = 0;
    while (d && !found && (e = readdir(d))) {
        struct stat st;
        found = strcmp(e->d_name, ".") && strcmp(e->d_name, "..") &&
                fstatat(dirfd(d), e->d_name, &st, 0) == 0 && S_ISDIR(st.st_mode);
    }
    if (d)
        closedir(d);
    return found;
}

/* Before any run: every operand exists (a typo is named at once, not
 * measured as a job of nothing). */
static int operands_exist(const cli_options *o)
{
    for (int i = 0; i < o->npaths; i++) {
        struct stat st;
        if (stat(o->paths[i], &st) != 0)
            return msg_error(o->paths[i], "cannot access: %s", strerror(errno)), -1;
    }
    return 0;
}

/* After the first, untimed run: is there anything to time? */
static int something_made(const cli_options *o, const batch_result *r)
{
    if (r->st.ok > 0)
        return 1;
    if (r->inputs > 0) {
        msg_line("thumbify: bench: nothing to measure: all %zu images found failed", r->inputs);
        return 0;
    }
    msg_line("thumbify: bench: nothing to measure: no JPEG or PNG image found");
    for (int i = 0; !o->recursive && i < o->npaths; i++)
        if (has_subdirectory(o->paths[i]))
            msg_error(o->paths[i], "has subdirectories: add -r to descend into them");
    return 0;
}

static int by_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    return remove(path);
}

/* One configuration: the warm-up, then runs timed. Returns 1 when the
 * warm-up made nothing (said), -1 when a run failed. */
static int measure(const bench_opts *b, cli_options *o, int procs, timing *t, batch_result *last)
{
    double s[MAX_RUNS];
    o->procs = procs;
    for (int r = -1; r < b->runs; r++) {
        /* run_jobs returns with SIGCHLD blocked (and keeps the mask it
         * found as the one it waits with): a second run would notice each
         * worker's end only at its 100 ms tick, adding up to 0.1 s to every
         * timed run. Each run starts from bench's own mask; a stop signal
         * held meanwhile then stops that run, and bench. */
        signals_mask_set(&b->mask);
        if (batch_run(o, last) != 0 || last->st.signal)
            return -1;
        if (r < 0 && !something_made(o, last))
            return 1;
        if (r >= 0)
            s[r] = last->seconds;
    }
    int n = b->runs;
    qsort(s, (size_t)n, sizeof *s, by_double);
    t->median = n % 2 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    t->min = s[0];
    t->max = s[n - 1];
    return 0;
}

static void header(const bench_opts *b, const cli_options *o, const batch_result *r)
{
    if (b->csv) {
        printf("processes,wall_s,images_per_s,mp_per_s,speedup,efficiency_pct,wall_min_s,"
               "wall_max_s\n");
        return;
    }
    char what[4 * 4096 + 1];
    msg_escape(what, sizeof what, o->npaths ? o->paths[0] : o->files_from);
    printf("bench: %s%s: %zu images, %.1f MP, %zu failed; %d runs each, %d usable cores\n"
           "processes   median   min      max      images/s   MP/s    speedup  efficiency\n",
           what, o->npaths > 1 ? " ..." : "", r->st.ok, r->megapixels, r->st.failed, b->runs,
           usable_cpus());
}

/* images/s, MP/s, speedup and efficiency are of the median run. */
static void row(const bench_opts *b, int procs, const timing *t, double base, const batch_result *r)
{
    double ips = (double)r->st.ok / t->median, mps = r->megapixels / t->median;
    double speedup = base / t->median;
    if (b->csv) {
        printf("%d,%.4f,%.2f,%.2f,%.3f,%.1f,%.4f,%.4f\n", procs, t->median, ips, mps, speedup,
               100 * speedup / procs, t->min, t->max);
    } else {
        char w[3][32];
        const double v[3] = {t->median, t->min, t->max};
        for (int i = 0; i < 3; i++)
            snprintf(w[i], sizeof w[i], "%.2f s", v[i]);
        printf("%-11d %-8s %-8s %-8s %-10.1f %-7.0f %-8.2f %4.0f%%\n", procs, w[0], w[1], w[2], ips,
               mps, speedup, 100 * speedup / procs);
    }
    fflush(stdout);
}

static int run_all(const bench_opts *b, cli_options *o)
{
    double base = 0;
    int most = 1;
    machine_sample before, after;
    machine_read(&before, MACHINE_BEFORE);
    for (int i = 0; i < b->ncounts; i++) {
        timing t;
        batch_result r;
        int rc = measure(b, o, b->counts[i], &t, &r);
        if (rc != 0)
            return 1;
        if (i == 0) {
            base = t.median;
            header(b, o, &r);
        }
        row(b, b->counts[i], &t, base, &r);
        most = b->counts[i] > most ? b->counts[i] : most;
    }
    machine_read(&after, MACHINE_AFTER);
    machine_warn(&before, &after, usable_cpus(), most);
    return 0;
}

/* The job's options: the ones passed on, then what bench decides: every
 * run does the whole job (-f), silently (-q); bench_dir sets -o. */
static int job_options(const bench_opts *b, cli_options *o)
{
    char err[512];
    if (options_parse(b->job_argc, b->job_argv, o, err, sizeof err) != OPTIONS_OK) {
        msg_line("thumbify: bench: %s", err);
        return -1;
    }
    o->quiet = o->force = 1;
    o->progress = PROGRESS_NEVER;
    return 0;
}

static int bench_dir(const bench_opts *b, cli_options *o)
{
    const char *base = getenv("TMPDIR");
    char dir[4096];
    base = base && *base ? base : "/tmp";
    snprintf(dir, sizeof dir, "%s/thumbify-bench.XXXXXX", base);
    if (!mkdtemp(dir)) {
        msg_error(base, "bench: cannot make a temporary directory: %s", strerror(errno));
        return 1;
    }
    o->out_dir = dir;
    /* Listed files go under dir by their path below the base: "/" takes
     * every one of them, wherever it is, as the run without bench would. */
    if (o->files_from)
        o->base = "/";
    int rc = run_all(b, o);
    nftw(dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
    return rc;
}

int bench_main(int argc, char **argv)
{
    bench_opts b;
    cli_options o;
    int rc = 2;
    if (parse(argc, argv, &b) == 0 && (b.help || job_options(&b, &o) == 0)) {
        if (b.help)
            rc = fputs(bench_help, stdout) < 0 || fflush(stdout) != 0;
        else
            rc = operands_exist(&o) != 0 ? 1 : bench_dir(&b, &o);
    } else {
        msg_line("%s", try_bench_help);
    }
    free_opts(&b);
    return rc;
}
