/* test_options.c - options_parse on argv arrays: values, defaults, errors and
 * their messages, and repeated calls in one process; --shard, as given and
 * from a job array's environment. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "options.h"

#define MAXARGS 16

/* Parses {"thumbify", args..., NULL}. getopt_long permutes argv, so each
 * call gets a fresh mutable array (the strings themselves are not written). */
static int parse(const char *const *args, cli_options *o, char *err, size_t errlen,
                 char **argv)
{
    int argc = 0;
    argv[argc++] = (char *)"thumbify";
    for (; args[argc - 1]; argc++)
        argv[argc] = (char *)args[argc - 1];
    argv[argc] = NULL;
    err[0] = '\0';
    return options_parse(argc, argv, o, err, errlen);
}

/* args joined by spaces, for messages */
static const char *show(const char *const *args)
{
    static char buf[256];
    buf[0] = '\0';
    for (int i = 0; args[i]; i++) {
        size_t n = strlen(buf);
        snprintf(buf + n, sizeof buf - n, "%s%s", i ? " " : "",
                 args[i][0] ? args[i] : "''");
    }
    return buf;
}

/* argument lists for the functions below (compound literals) */
#define ARGS(...) ((const char *const[]){__VA_ARGS__, NULL})

/* What a valid case must give. Zero stands for the default in box_w,
 * quality and max_pixels (75x75, 85, TF_DEFAULT_MAX_PIXELS) so that each
 * row names only what it changes. */
typedef struct expect {
    int procs, box_w, box_h, quality;
    tf_format format;
    unsigned long long max_pixels;
    const char *out_dir;         /* NULL: expect NULL */
    int quiet, verbose, strict, help, version;
    const char *paths[4];        /* the operands, in order; NULL-terminated */
} expect;

static void fill_defaults(expect *e)
{
    if (!e->box_w)
        e->box_w = e->box_h = 75;
    if (!e->quality)
        e->quality = 85;
    if (!e->max_pixels)
        e->max_pixels = TF_DEFAULT_MAX_PIXELS;
}

/* What parsing gave, in the same form. */
static expect actual(const cli_options *o)
{
    expect a = {.procs = o->procs, .box_w = o->params.box_w, .box_h = o->params.box_h,
                .quality = o->params.quality, .format = o->params.format,
                .max_pixels = o->params.max_pixels, .out_dir = o->out_dir,
                .quiet = o->quiet, .verbose = o->verbose, .strict = o->strict,
                .help = o->help, .version = o->version};
    for (int k = 0; k < 4 && k < o->npaths; k++)
        a.paths[k] = o->paths[k];
    return a;
}

static int same(const expect *a, const expect *b)
{
    if (a->procs != b->procs || a->box_w != b->box_w || a->box_h != b->box_h ||
        a->quality != b->quality || a->format != b->format ||
        a->max_pixels != b->max_pixels || a->quiet != b->quiet ||
        a->verbose != b->verbose || a->strict != b->strict || a->help != b->help ||
        a->version != b->version || !a->out_dir != !b->out_dir ||
        (a->out_dir && strcmp(a->out_dir, b->out_dir) != 0))
        return 0;
    for (int k = 0; k < 4; k++)
        if (!a->paths[k] != !b->paths[k] || (a->paths[k] && strcmp(a->paths[k], b->paths[k])))
            return 0;
    return 1;
}

/* e as text, naming only what differs from the defaults. */
static const char *describe(const expect *e, char *buf, size_t n)
{
    static const char *const fmt[] = {"same", "jpeg", "png", "webp"};
    expect d = {0};
    fill_defaults(&d);
    size_t len = 0;
    buf[0] = '\0';
#define ADD(...) (len < n ? len += (size_t)snprintf(buf + len, n - len, __VA_ARGS__) : 0)
    if (e->procs != d.procs) ADD("procs %d, ", e->procs);
    if (e->box_w != d.box_w || e->box_h != d.box_h) ADD("box %dx%d, ", e->box_w, e->box_h);
    if (e->quality != d.quality) ADD("quality %d, ", e->quality);
    if (e->format != d.format)
        ADD("format %s, ", (unsigned)e->format <= TF_FORMAT_WEBP ? fmt[e->format] : "?");
    if (e->max_pixels != d.max_pixels) ADD("max_pixels %llu, ", e->max_pixels);
    if (e->out_dir) ADD("out_dir %s, ", e->out_dir);
    if (e->quiet) ADD("quiet, ");
    if (e->verbose) ADD("verbose, ");
    if (e->strict) ADD("strict, ");
    if (e->help) ADD("help, ");
    if (e->version) ADD("version, ");
    ADD("operands:");
    for (int k = 0; k < 4 && e->paths[k]; k++)
        ADD(" %s", e->paths[k]);
    if (!e->paths[0]) ADD(" none");
#undef ADD
    return buf;
}

static void valid_cases(void)
{
    static const struct {
        const char *args[8];     /* NULL-terminated */
        expect e;
    } t[] = {
        {{"a.jpg"}, {.paths = {"a.jpg"}}},
        {{"-p", "8", "a"}, {.procs = 8, .paths = {"a"}}},
        {{"-p8", "a"}, {.procs = 8, .paths = {"a"}}},
        {{"--procs=3", "a"}, {.procs = 3, .paths = {"a"}}},
        {{"--procs", "4096", "a"}, {.procs = 4096, .paths = {"a"}}},
        {{"-p", "1", "a"}, {.procs = 1, .paths = {"a"}}},
        {{"-p", "1", "-p", "6", "a"}, {.procs = 6, .paths = {"a"}}}, /* the last wins */
        {{"-s", "100x50", "a"}, {.box_w = 100, .box_h = 50, .paths = {"a"}}},
        {{"-s", "120", "a"}, {.box_w = 120, .box_h = 120, .paths = {"a"}}},
        {{"-s", "64X32", "a"}, {.box_w = 64, .box_h = 32, .paths = {"a"}}},
        {{"--size=1x65535", "a"}, {.box_w = 1, .box_h = 65535, .paths = {"a"}}},
        {{"-o", "DIR", "a"}, {.out_dir = "DIR", .paths = {"a"}}},
        {{"--output", "DIR", "a"}, {.out_dir = "DIR", .paths = {"a"}}},
        {{"--output=out/x", "a"}, {.out_dir = "out/x", .paths = {"a"}}},
        {{"-Q", "1", "a"}, {.quality = 1, .paths = {"a"}}},
        {{"-Q", "100", "a"}, {.quality = 100, .paths = {"a"}}},
        {{"--quality", "50", "a"}, {.quality = 50, .paths = {"a"}}},
        {{"-F", "png", "a"}, {.format = TF_FORMAT_PNG, .paths = {"a"}}},
        {{"-F", "webp", "a"}, {.format = TF_FORMAT_WEBP, .paths = {"a"}}},
        {{"-F", "jpeg", "a"}, {.format = TF_FORMAT_JPEG, .paths = {"a"}}},
        {{"-F", "jpg", "a"}, {.format = TF_FORMAT_JPEG, .paths = {"a"}}},
        {{"--format=same", "a"}, {.format = TF_FORMAT_SAME, .paths = {"a"}}},
        {{"--strict", "a"}, {.strict = 1, .paths = {"a"}}},
        {{"--max-pixels", "1000", "a"}, {.max_pixels = 1000, .paths = {"a"}}},
        {{"--max-pixels=18446744073709551615", "a"},
         {.max_pixels = 18446744073709551615ULL, .paths = {"a"}}},
        {{"-q", "-v", "a"}, {.quiet = 1, .verbose = 1, .paths = {"a"}}},
        {{"-qv", "a"}, {.quiet = 1, .verbose = 1, .paths = {"a"}}},
        {{"--quiet", "--verbose", "a"}, {.quiet = 1, .verbose = 1, .paths = {"a"}}},
        {{"a.jpg", "-p", "2", "b"}, {.procs = 2, .paths = {"a.jpg", "b"}}},
        {{"x", "-s", "10x20", "y", "-Q", "7", "z"},
         {.box_w = 10, .box_h = 20, .quality = 7, .paths = {"x", "y", "z"}}},
        {{"--", "-weird-name.jpg"}, {.paths = {"-weird-name.jpg"}}},
        {{"-p", "2", "--", "-p", "--bogus"}, {.procs = 2, .paths = {"-p", "--bogus"}}},
        {{"-"}, {.paths = {"-"}}},
        {{"-h"}, {.help = 1}},
        {{"--help"}, {.help = 1}},
        {{"-V"}, {.version = 1}},
        {{"--version"}, {.version = 1}},
        {{"--proc=3", "--verb", "a"},
         {.procs = 3, .verbose = 1, .paths = {"a"}}}, /* unique prefixes */
    };
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
        char *argv[MAXARGS], err[256], want[512], got[512];
        cli_options o;
        expect e = t[i].e;
        fill_defaults(&e);
        int rc = parse(t[i].args, &o, err, sizeof err, argv);
        expect a = rc == OPTIONS_OK ? actual(&o) : (expect){0};
        tf_params d; /* what no option sets keeps the core's default */
        tf_params_default(&d);
        CHECK(rc == OPTIONS_OK && o.npaths <= 4 && same(&a, &e) && o.params.max_scans == d.max_scans &&
                  o.params.use_embedded == d.use_embedded,
              "options_parse %s -> %s; got %s%s", show(t[i].args), describe(&e, want, sizeof want),
              rc == OPTIONS_OK ? describe(&a, got, sizeof got) : "usage error: ",
              rc == OPTIONS_OK ? "" : err);
    }
}

static void defaults(void)
{
    char *argv[MAXARGS], err[256];
    cli_options o;
    tf_params d;
    tf_params_default(&d);
    int rc = parse(ARGS("a.jpg"), &o, err, sizeof err, argv);
    CHECK(rc == OPTIONS_OK && o.procs == 0 && o.params.box_w == 75 && o.params.box_h == 75 &&
          o.params.quality == 85 && o.params.format == TF_FORMAT_SAME && o.out_dir == NULL &&
          !o.quiet && !o.verbose && !o.strict && !o.help && !o.version &&
          o.params.max_pixels == TF_DEFAULT_MAX_PIXELS && o.params.max_scans == d.max_scans &&
          o.params.use_embedded == d.use_embedded && o.npaths == 1 && o.paths[0] == argv[1],
          "defaults: procs 0, box 75x75, quality 85, format same, max_pixels default, "
          "out_dir NULL, no flags, paths point into argv");
}

/* --base and --name, kept as given. */
static void base_and_name(void)
{
    char *argv[MAXARGS], err[256];
    cli_options o;
    int rc =
        parse(ARGS("--files-from", "-", "-o", "out", "--base", "src", "--name", "%s_%wx%h.%%%e"),
              &o, err, sizeof err, argv);
    CHECK(rc == OPTIONS_OK && o.base && strcmp(o.base, "src") == 0 && o.name &&
              strcmp(o.name, "%s_%wx%h.%%%e") == 0,
          "--base src --name '%%s_%%wx%%h.%%%%%%e' kept (rc %d, err '%s')", rc, err);
    rc = parse(ARGS("a"), &o, err, sizeof err, argv);
    CHECK(rc == OPTIONS_OK && !o.base && !o.name, "no --base, no --name: both NULL");
    rc = parse(ARGS("--name", "thumb.png", "a"), &o, err, sizeof err, argv);
    CHECK(rc == OPTIONS_OK && strcmp(o.name, "thumb.png") == 0,
          "--name without escapes is allowed (plan.c reports what clashes)");
}

/* -s with several sizes: each kept in order, the first is the box;
 * --crop sets the fit; one size is nsizes 1. */
static void size_lists(void)
{
    char *argv[MAXARGS], err[256];
    cli_options o;
    int rc = parse(ARGS("-s", "75x75,150,300x200", "--crop", "a"), &o, err, sizeof err, argv);
    CHECK(rc == OPTIONS_OK && o.nsizes == 3 && o.sizes[0].w == 75 && o.sizes[0].h == 75 &&
              o.sizes[1].w == 150 && o.sizes[1].h == 150 && o.sizes[2].w == 300 &&
              o.sizes[2].h == 200 && o.params.box_w == 75 && o.params.box_h == 75 &&
              o.params.fit == TF_FIT_CROP,
          "-s 75x75,150,300x200 --crop: three sizes in order, box 75x75, crop; got rc %d n %d", rc,
          o.nsizes);
    rc = parse(ARGS("-s", "40x30", "a"), &o, err, sizeof err, argv);
    CHECK(rc == OPTIONS_OK && o.nsizes == 1 && o.sizes[0].w == 40 && o.sizes[0].h == 30 &&
              o.params.fit == TF_FIT_INSIDE,
          "-s 40x30: one size, fit inside");
    rc = parse(ARGS("-s", "1,2,3,4,5,6,7,8", "a"), &o, err, sizeof err, argv);
    CHECK(rc == OPTIONS_OK && o.nsizes == 8 && o.sizes[7].w == 8, "-s with 8 sizes: the most");
}

static void invalid_cases(void)
{
    static const struct {
        const char *args[8];     /* NULL-terminated */
        const char *needle;      /* the message must contain this */
    } t[] = {
        {{"-p", "0", "a"}, "-p/--procs"},
        {{"--base", "d", "a"}, "--base needs --files-from"},
        {{"--base", "d", "--files-from", "l"}, "--base needs -o/--output"},
        {{"--base=", "--files-from", "l", "-o", "o"}, "--base"},
        {{"--name", "a/%s", "a"}, "--name"},
        {{"--name", "%s%x", "a"}, "--name"},
        {{"--name", "%s%", "a"}, "--name"},
        {{"--name", "", "a"}, "--name"},
        {{"-p", "abc", "a"}, "-p/--procs"},
        {{"-p", "-1", "a"}, "-p/--procs"},
        {{"-p", "1.5", "a"}, "-p/--procs"},
        {{"-p", "", "a"}, "-p/--procs"},
        {{"-p", "99999", "a"}, "-p/--procs"},
        {{"-p", "4097", "a"}, "-p/--procs"},
        {{"-p", "+2", "a"}, "-p/--procs"},
        {{"-p", " 2", "a"}, "-p/--procs"},
        {{"-p", "2 ", "a"}, "-p/--procs"},
        {{"-p", "99999999999999999999", "a"}, "-p/--procs"},
        {{"--procs=0", "a"}, "-p/--procs"},
        {{"--procs=", "a"}, "-p/--procs"},
        {{"-s", "0x5", "a"}, "-s/--size"},
        {{"-s", "5x0", "a"}, "-s/--size"},
        {{"-s", "x5", "a"}, "-s/--size"},
        {{"-s", "5x", "a"}, "-s/--size"},
        {{"-s", "5x5x5", "a"}, "-s/--size"},
        {{"-s", "abc", "a"}, "-s/--size"},
        {{"-s", "0", "a"}, "-s/--size"},
        {{"-s", "", "a"}, "-s/--size"},
        {{"-s", "65536", "a"}, "-s/--size"},
        {{"-s", "10x65536", "a"}, "-s/--size"},
        {{"-s", "5*5", "a"}, "-s/--size"},
        {{"-s", "-5x5", "a"}, "-s/--size"},
        {{"-s", "5x-5", "a"}, "-s/--size"},
        {{"--size=5x", "a"}, "-s/--size"},
        {{"-Q", "0", "a"}, "-Q/--quality"},
        {{"-Q", "101", "a"}, "-Q/--quality"},
        {{"-Q", "abc", "a"}, "-Q/--quality"},
        {{"-Q", "", "a"}, "-Q/--quality"},
        {{"--quality=50%", "a"}, "-Q/--quality"},
        {{"-o", "", "a"}, "-o/--output"},
        {{"--output=", "a"}, "-o/--output"},
        {{"-F", "gif", "a"}, "-F/--format"},
        {{"-F", "", "a"}, "-F/--format"},
        {{"--format=pngg", "a"}, "-F/--format"},
        {{"--max-pixels", "0", "a"}, "--max-pixels"},
        {{"--max-pixels", "-1", "a"}, "--max-pixels"},
        {{"--max-pixels", "1e6", "a"}, "--max-pixels"},
        {{"--max-pixels", "", "a"}, "--max-pixels"},
        {{"--max-pixels=18446744073709551616", "a"}, "--max-pixels"},
        {{"--max-pixels"}, "--max-pixels"},
        {{"--strict=1", "a"}, "option '--strict' doesn't allow an argument"},
        {{"-h", "-p", "0"}, "-p/--procs"}, /* -h does not excuse a bad value */
        {{"-z", "a"}, "invalid option -- 'z'"},
        {{"--bogus", "a"}, "unrecognized option '--bogus'"},
        {{"a", "--bogus=1"}, "unrecognized option '--bogus=1'"},
        {{"--q", "a"}, "option '--q' is ambiguous; possibilities: '--quality' '--quiet'"},
        {{"--quiet=5", "a"}, "option '--quiet' doesn't allow an argument"},
        {{"-p"}, "option requires an argument -- 'p'"},
        {{"a", "-p"}, "option requires an argument -- 'p'"},
        {{"--procs"}, "option '--procs' requires an argument"},
        {{"a", "--procs"}, "option '--procs' requires an argument"},
        {{"-s"}, "option requires an argument -- 's'"},
        {{"--output"}, "option '--output' requires an argument"},
        {{"--outp"}, "option '--output' requires an argument"}, /* full name, as GNU */
        {{"--qui=1", "a"}, "option '--quiet' doesn't allow an argument"},
        {{"-qp"}, "option requires an argument -- 'p'"},
        /* an unknown letter inside a cluster, after a long option */
        {{"--quiet", "-zq", "a"}, "invalid option -- 'z'"},
        {{"-q", "-zv", "a"}, "invalid option -- 'z'"},
        {{NULL}, "no input"},
        {{"-q"}, "no input"},
        {{"-p", "2", "--"}, "no input"},
    };
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
        char *argv[MAXARGS], err[256];
        cli_options o;
        int rc = parse(t[i].args, &o, err, sizeof err, argv);
        CHECK(rc == OPTIONS_USAGE && strstr(err, t[i].needle),
              "options_parse %s -> usage error naming \"%s\"; got rc %d \"%s\"",
              show(t[i].args), t[i].needle, rc, err);
    }
}

/* --shard I/N: the values kept, and what is refused. */
static void shard_given(void)
{
    static const struct {
        const char *arg;
        unsigned i, n; /* n 0: a usage error naming --shard */
    } t[] = {
        {"0/1", 0, 1},     {"3/4", 3, 4},
        {"06/7", 6, 7},    {"2147483646/2147483647", 2147483646, 2147483647},
        {"4/4", 0, 0},     {"1/0", 0, 0},
        {"-1/4", 0, 0},    {"1", 0, 0},
        {"1/", 0, 0},      {"/4", 0, 0},
        {"a/4", 0, 0},     {"1/4x", 0, 0},
        {"1 /4", 0, 0},    {"1/+4", 0, 0},
        {"", 0, 0},        {"auto/0", 0, 0},
        {"auto/", 0, 0},   {"autox", 0, 0},
        {"AUTO", 0, 0},    {"auto/-2", 0, 0},
        {"auto/4/", 0, 0}, {"1/2147483648", 0, 0},
    };
    for (size_t k = 0; k < sizeof t / sizeof t[0]; k++) {
        char *argv[MAXARGS], err[256];
        cli_options o;
        int rc = parse(ARGS("--shard", t[k].arg, "a"), &o, err, sizeof err, argv);
        if (t[k].n)
            CHECK(rc == OPTIONS_OK && o.shard_i == t[k].i && o.shard_n == t[k].n,
                  "--shard %s -> shard %u of %u; got rc %d, %u of %u %s", t[k].arg, t[k].i, t[k].n,
                  rc, o.shard_i, o.shard_n, err);
        else
            CHECK(rc == OPTIONS_USAGE && strstr(err, "--shard") && strstr(err, "I/N"),
                  "--shard '%s' is a usage error naming --shard and I/N; got rc %d \"%s\"",
                  t[k].arg, rc, err);
    }
    char *argv[MAXARGS], err[256];
    cli_options o;
    int rc = parse(ARGS("a"), &o, err, sizeof err, argv);
    CHECK(rc == OPTIONS_OK && o.shard_n == 0, "no --shard: shard_n 0, every file");
}

/* The variables --shard auto reads, in the order of shard_env's columns. */
static const char *const shard_vars[] = {"SLURM_ARRAY_TASK_ID",   "SLURM_ARRAY_TASK_COUNT",
                                         "SLURM_ARRAY_TASK_MIN",  "SLURM_ARRAY_TASK_MAX",
                                         "SLURM_ARRAY_TASK_STEP", "JOB_COMPLETION_INDEX"};
#define NVARS (sizeof shard_vars / sizeof shard_vars[0])
static const char *const shard_unset[NVARS] = {NULL};

/* Sets the variables of shard_vars to vals (NULL: unset). */
static void shard_setenv(const char *const vals[NVARS])
{
    for (size_t v = 0; v < NVARS; v++)
        if (vals[v] ? setenv(shard_vars[v], vals[v], 1) : unsetenv(shard_vars[v]))
            CHECK(0, "setting %s", shard_vars[v]);
}

/* --shard auto and auto/N: each environment, what it gives or the message. */
static void shard_env(void)
{
    static const struct {
        const char *arg;
        const char *env[NVARS]; /* ID, COUNT, MIN, MAX, STEP, JOB_COMPLETION_INDEX; NULL unset */
        unsigned i, n;          /* n 0: a usage error containing needle */
        const char *needle;
    } t[] = {
        /* sbatch --array=0-3, 1-16, 0-30:2, 2-10:4, 0-3%2 */
        {"auto", {"2", "4", "0", "3", "1"}, 2, 4, NULL},
        {"auto", {"0", "4", "0", "3", "1"}, 0, 4, NULL},
        {"auto", {"1", "16", "1", "16", "1"}, 0, 16, NULL},
        {"auto", {"16", "16", "1", "16", "1"}, 15, 16, NULL},
        {"auto", {"30", "16", "0", "30", "2"}, 15, 16, NULL},
        {"auto", {"6", "3", "2", "10", "4"}, 1, 3, NULL},
        {"auto", {"5", "1", "5", "5", "1"}, 0, 1, NULL},
        /* a list (--array=1,3,7), and indices off the range */
        {"auto", {"3", "3", "1", "7", "1"}, 0, 0, "not a range"},
        {"auto", {"3", "3", "1", "7", "1"}, 0, 0, "auto/N"},
        {"auto", {"3", "4", "0", "6", "2"}, 0, 0, "not a range"},
        {"auto", {"9", "4", "0", "3", "1"}, 0, 0, "not a range"},
        {"auto", {"0", "4", "1", "4", "1"}, 0, 0, "not a range"},
        /* missing and malformed variables are named */
        {"auto", {NULL}, 0, 0, "SLURM_ARRAY_TASK_ID is not set"},
        {"auto", {NULL, NULL, NULL, NULL, NULL, "1"}, 0, 0, "JOB_COMPLETION_INDEX"},
        {"auto", {NULL, NULL, NULL, NULL, NULL, "1"}, 0, 0, "auto/N"},
        {"auto", {"1", NULL, "0", "3", "1"}, 0, 0, "SLURM_ARRAY_TASK_COUNT is not set"},
        {"auto", {"1", "4", NULL, "3", "1"}, 0, 0, "SLURM_ARRAY_TASK_MIN is not set"},
        {"auto", {"1", "4", "0", NULL, "1"}, 0, 0, "SLURM_ARRAY_TASK_MAX is not set"},
        {"auto", {"1", "4", "0", "3", NULL}, 0, 0, "SLURM_ARRAY_TASK_STEP is not set"},
        {"auto", {"x", "4", "0", "3", "1"}, 0, 0, "SLURM_ARRAY_TASK_ID is 'x'"},
        {"auto", {"", "4", "0", "3", "1"}, 0, 0, "SLURM_ARRAY_TASK_ID is ''"},
        {"auto", {"-1", "4", "0", "3", "1"}, 0, 0, "SLURM_ARRAY_TASK_ID is '-1'"},
        {"auto", {" 1", "4", "0", "3", "1"}, 0, 0, "SLURM_ARRAY_TASK_ID is ' 1'"},
        {"auto", {"1", "4", "0", "3", "0"}, 0, 0, "SLURM_ARRAY_TASK_STEP is '0'"},
        {"auto", {"1", "0", "0", "3", "1"}, 0, 0, "SLURM_ARRAY_TASK_COUNT is '0'"},
        {"auto", {"1", "4x", "0", "3", "1"}, 0, 0, "SLURM_ARRAY_TASK_COUNT is '4x'"},
        {"auto", {"99999999999", "4", "0", "3", "1"}, 0, 0, "SLURM_ARRAY_TASK_ID is '9999"},
        /* auto/N: the index as it is, from Slurm or Kubernetes */
        {"auto/4", {"3"}, 3, 4, NULL},
        {"auto/4", {"2", "3", "1", "7", "1"}, 2, 4, NULL}, /* --array=1,2,7: redo shard 2 */
        {"auto/4", {NULL, NULL, NULL, NULL, NULL, "0"}, 0, 4, NULL},
        {"auto/4", {NULL, NULL, NULL, NULL, NULL, "3"}, 3, 4, NULL},
        {"auto/1", {NULL, NULL, NULL, NULL, NULL, "0"}, 0, 1, NULL},
        {"auto/4", {"4"}, 0, 0, "SLURM_ARRAY_TASK_ID is 4, not below the 4 shards"},
        {"auto/4", {NULL, NULL, NULL, NULL, NULL, "4"}, 0, 0, "JOB_COMPLETION_INDEX is 4"},
        {"auto/4", {NULL, NULL, NULL, NULL, NULL, "a"}, 0, 0, "JOB_COMPLETION_INDEX is 'a'"},
        {"auto/4", {NULL, NULL, NULL, NULL, NULL, ""}, 0, 0, "JOB_COMPLETION_INDEX is ''"},
        {"auto/4", {"x"}, 0, 0, "SLURM_ARRAY_TASK_ID is 'x'"},
        {"auto/4", {"1", NULL, NULL, NULL, NULL, "1"}, 0, 0, "both"},
        {"auto/4", {NULL}, 0, 0, "neither SLURM_ARRAY_TASK_ID"},
    };
    for (size_t k = 0; k < sizeof t / sizeof t[0]; k++) {
        char *argv[MAXARGS], err[256], env[160] = "";
        cli_options o;
        shard_setenv(t[k].env);
        for (size_t v = 0; v < NVARS; v++)
            if (t[k].env[v])
                snprintf(env + strlen(env), sizeof env - strlen(env), "%s=%s ", shard_vars[v],
                         t[k].env[v]);
        int rc = parse(ARGS("a", "--shard", t[k].arg), &o, err, sizeof err, argv);
        if (t[k].n)
            CHECK(rc == OPTIONS_OK && o.shard_i == t[k].i && o.shard_n == t[k].n,
                  "%s--shard %s -> shard %u of %u; got rc %d, %u of %u %s", env, t[k].arg, t[k].i,
                  t[k].n, rc, o.shard_i, o.shard_n, err);
        else
            CHECK(rc == OPTIONS_USAGE && strstr(err, t[k].needle) && strstr(err, "--shard"),
                  "%s--shard %s -> usage error with \"%s\"; got rc %d \"%s\"", env, t[k].arg,
                  t[k].needle, rc, err);
    }
    shard_setenv(shard_unset);
}

/* The last --shard wins, and only its variables are read: an earlier auto
 * that this environment would refuse does not count; --help and --version
 * read none. */
static void shard_last_wins(void)
{
    static const char *const list[NVARS] = {"2", "2", "0", "2", "1"}; /* --array=0,2 */
    char *argv[MAXARGS], err[256];
    cli_options o;
    shard_setenv(shard_unset);
    int rc = parse(ARGS("--shard", "auto", "--shard", "1/4", "a"), &o, err, sizeof err, argv);
    CHECK(rc == OPTIONS_OK && o.shard_i == 1 && o.shard_n == 4,
          "no variables set: --shard auto --shard 1/4 -> shard 1 of 4; got rc %d, %u of %u %s", rc,
          o.shard_i, o.shard_n, err);
    rc = parse(ARGS("--shard", "auto", "--help"), &o, err, sizeof err, argv);
    CHECK(rc == OPTIONS_OK && o.help, "no variables set: --shard auto --help -> help; got rc %d %s",
          rc, err);
    rc = parse(ARGS("--shard", "auto/2", "-V"), &o, err, sizeof err, argv);
    CHECK(rc == OPTIONS_OK && o.version,
          "no variables set: --shard auto/2 -V -> version; got rc %d %s", rc, err);
    rc = parse(ARGS("--shard", "auto"), &o, err, sizeof err, argv);
    CHECK(rc == OPTIONS_USAGE && strstr(err, "no input path"),
          "--shard auto and no operand: 'no input path' first; got rc %d %s", rc, err);
    shard_setenv(list);
    rc = parse(ARGS("a", "--shard", "auto", "--shard", "auto/3"), &o, err, sizeof err, argv);
    CHECK(rc == OPTIONS_OK && o.shard_i == 2 && o.shard_n == 3,
          "task 2 of --array=0,2: --shard auto --shard auto/3 -> shard 2 of 3; got rc %d, "
          "%u of %u %s",
          rc, o.shard_i, o.shard_n, err);
    rc = parse(ARGS("a", "--shard", "0/3", "--shard", "auto"), &o, err, sizeof err, argv);
    CHECK(rc == OPTIONS_USAGE && strstr(err, "not a range"),
          "task 2 of --array=0,2: --shard 0/3 --shard auto -> the auto is read and refused; "
          "got rc %d %s",
          rc, err);
    rc = parse(ARGS("a", "--shard", "auto/3", "--shard", "2/5"), &o, err, sizeof err, argv);
    CHECK(rc == OPTIONS_OK && o.shard_i == 2 && o.shard_n == 5,
          "--shard auto/3 --shard 2/5 -> shard 2 of 5; got rc %d, %u of %u %s", rc, o.shard_i,
          o.shard_n, err);
    rc = parse(ARGS("a", "--shard", "auto", "--shard", "x"), &o, err, sizeof err, argv);
    CHECK(rc == OPTIONS_USAGE && strstr(err, "'x' for --shard"),
          "--shard auto --shard x -> x is refused; got rc %d %s", rc, err);
    shard_setenv(shard_unset);
}

/* The message is cut to errlen, always terminated. */
static void short_err_buffer(void)
{
    char *argv[MAXARGS], err[8];
    cli_options o;
    memset(err, 'X', sizeof err);
    int rc = parse(ARGS("-p", "0", "a"), &o, err, sizeof err, argv);
    CHECK(rc == OPTIONS_USAGE && memchr(err, '\0', sizeof err) != NULL,
          "usage error into an 8-byte buffer is truncated and terminated");
}

/* options_parse resets getopt: the same and different argv, one after the
 * other, including after an error that left getopt in the middle of a
 * cluster ("-zq" stops at z with q unread). */
static void repeated_calls(void)
{
    char *argv[MAXARGS], err[256];
    cli_options o;
    int ok = 1;
    for (int round = 0; round < 3; round++) {
        ok &= parse(ARGS("-p", "3", "a", "b"), &o, err, sizeof err, argv) == OPTIONS_OK &&
              o.procs == 3 && o.npaths == 2;
        ok &= parse(ARGS("-zq", "a"), &o, err, sizeof err, argv) == OPTIONS_USAGE;
        ok &= parse(ARGS("-vq", "x"), &o, err, sizeof err, argv) == OPTIONS_OK && o.verbose &&
              o.quiet && o.procs == 0 && o.npaths == 1 && strcmp(o.paths[0], "x") == 0;
        ok &= parse(ARGS("-s"), &o, err, sizeof err, argv) == OPTIONS_USAGE;
        ok &= parse(ARGS("a", "-Q", "9"), &o, err, sizeof err, argv) == OPTIONS_OK &&
              o.params.quality == 9 && o.npaths == 1 && !o.verbose && !o.quiet;
        ok &= parse(ARGS("-q", "-s"), &o, err, sizeof err, argv) == OPTIONS_USAGE;
        ok &= parse(ARGS("b"), &o, err, sizeof err, argv) == OPTIONS_OK && o.params.quality == 85 &&
              o.npaths == 1 && strcmp(o.paths[0], "b") == 0;
    }
    CHECK(ok, "options_parse called 21 times in one process (valid, errors mid-cluster, "
          "missing values): each result independent of the previous call");
}

static void usage_texts(void)
{
    CHECK(strcmp(options_try_help, "Try 'thumbify --help' for more information.") == 0 &&
          strstr(options_help(), "--procs") &&
          strstr(options_help(), "--size") && strstr(options_help(), "--output") &&
          strstr(options_help(), "--quality") && strstr(options_help(), "--quiet") &&
          strstr(options_help(), "--verbose") && strstr(options_help(), "--help") &&
          strstr(options_help(), "--version") && strstr(options_help(), "--format") &&
          strstr(options_help(), "--strict") && strstr(options_help(), "--max-pixels") &&
          strstr(options_help(), "--shard I/N") && strstr(options_help(), "--shard auto/N"),
          "options_try_help is GNU's line; options_help mentions every long option");
}

int main(void)
{
    defaults();
    valid_cases();
    size_lists();
    invalid_cases();
    base_and_name();
    shard_given();
    shard_env();
    shard_last_wins();
    short_err_buffer();
    repeated_calls();
    usage_texts();
    return check_done();
}
