/* test_options.c - options_parse on argv arrays: values, defaults, errors and
 * their messages, and repeated calls in one process. */
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
    static const char *const fmt[] = {"same", "jpeg", "png"};
    expect d = {0};
    fill_defaults(&d);
    size_t len = 0;
    buf[0] = '\0';
#define ADD(...) (len < n ? len += (size_t)snprintf(buf + len, n - len, __VA_ARGS__) : 0)
    if (e->procs != d.procs) ADD("procs %d, ", e->procs);
    if (e->box_w != d.box_w || e->box_h != d.box_h) ADD("box %dx%d, ", e->box_w, e->box_h);
    if (e->quality != d.quality) ADD("quality %d, ", e->quality);
    if (e->format != d.format)
        ADD("format %s, ", (unsigned)e->format <= TF_FORMAT_PNG ? fmt[e->format] : "?");
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
        {{"--proc=3", "--verb", "a"}, {.procs = 3, .verbose = 1, .paths = {"a"}}}, /* unique prefixes */
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

static void invalid_cases(void)
{
    static const struct {
        const char *args[8];     /* NULL-terminated */
        const char *needle;      /* the message must contain this */
    } t[] = {
        {{"-p", "0", "a"}, "-p/--procs"},
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
        {{"-h", "-p", "0"}, "-p/--procs"},    /* -h does not excuse a bad value */
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
          strstr(options_help, "--procs") &&
          strstr(options_help, "--size") && strstr(options_help, "--output") &&
          strstr(options_help, "--quality") && strstr(options_help, "--quiet") &&
          strstr(options_help, "--verbose") && strstr(options_help, "--help") &&
          strstr(options_help, "--version") && strstr(options_help, "--format") &&
          strstr(options_help, "--strict") && strstr(options_help, "--max-pixels"),
          "options_try_help is GNU's line; options_help mentions every long option");
}

int main(void)
{
    defaults();
    valid_cases();
    invalid_cases();
    short_err_buffer();
    repeated_calls();
    usage_texts();
    return check_done();
}
