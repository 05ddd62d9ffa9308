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

/* What a valid case must give; box 0 and quality 0 stand for the defaults
 * (75x75, 85) so that each row names only what it changes. */
typedef struct expect {
    int procs, box_w, box_h, quality;
    const char *out_dir;         /* NULL: expect NULL */
    int quiet, verbose, help, version;
    const char *paths[4];        /* the operands, in order; NULL-terminated */
} expect;

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
        {{"--pro=3", "--verb", "a"}, {.procs = 3, .verbose = 1, .paths = {"a"}}}, /* unique prefixes */
    };
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
        char *argv[MAXARGS], err[256];
        cli_options o;
        expect e0 = t[i].e, *e = &e0;
        if (!e->box_w)
            e->box_w = e->box_h = 75;
        if (!e->quality)
            e->quality = 85;
        int rc = parse(t[i].args, &o, err, sizeof err, argv);
        int np = 0;
        while (np < 4 && e->paths[np])
            np++;
        int ok = rc == OPTIONS_OK && o.procs == e->procs && o.params.box_w == e->box_w &&
                 o.params.box_h == e->box_h && o.params.quality == e->quality &&
                 o.quiet == e->quiet && o.verbose == e->verbose && o.help == e->help &&
                 o.version == e->version && o.npaths == np &&
                 (e->out_dir ? o.out_dir && strcmp(o.out_dir, e->out_dir) == 0 : !o.out_dir);
        for (int k = 0; ok && k < np; k++)
            ok = strcmp(o.paths[k], e->paths[k]) == 0;
        /* the core's limits keep their defaults whatever the options */
        tf_params d;
        tf_params_default(&d);
        ok = ok && o.params.max_pixels == d.max_pixels && o.params.max_scans == d.max_scans;
        CHECK(ok, "options_parse %s -> procs %d box %dx%d quality %d out %s%s%s%s%s, %d operand(s)%s%s",
              show(t[i].args), e->procs, e->box_w, e->box_h, e->quality,
              e->out_dir ? e->out_dir : "(none)", e->quiet ? " quiet" : "",
              e->verbose ? " verbose" : "", e->help ? " help" : "", e->version ? " version" : "",
              np, rc == OPTIONS_OK ? "" : "; got error: ", rc == OPTIONS_OK ? "" : err);
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
          o.params.quality == 85 && o.out_dir == NULL && !o.quiet && !o.verbose && !o.help &&
          !o.version && o.params.max_pixels == d.max_pixels && o.params.max_scans == d.max_scans &&
          o.npaths == 1 && o.paths[0] == argv[1],
          "defaults: procs 0, box 75x75, quality 85, out_dir NULL, paths point into argv");
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
        {{"-z", "a"}, "-z"},
        {{"--bogus", "a"}, "--bogus"},
        {{"a", "--bogus=1"}, "--bogus"},
        {{"--q", "a"}, "--q"},               /* ambiguous: --quiet, --quality */
        {{"--quiet=5", "a"}, "--quiet"},     /* a value it does not take */
        {{"-p"}, "-p"},
        {{"a", "-p"}, "-p"},
        {{"--procs"}, "--procs"},
        {{"a", "--procs"}, "--procs"},
        {{"-s"}, "-s"},
        {{"--output"}, "--output"},
        {{"-qp"}, "-p"},
        /* an unknown letter inside a cluster, after a long option */
        {{"--quiet", "-zq", "a"}, "-z"},
        {{"-q", "-zv", "a"}, "-z"},
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
    CHECK(strstr(options_usage, "usage:") && strstr(options_help, "--procs") &&
          strstr(options_help, "--size") && strstr(options_help, "--output") &&
          strstr(options_help, "--quality") && strstr(options_help, "--quiet") &&
          strstr(options_help, "--verbose") && strstr(options_help, "--help") &&
          strstr(options_help, "--version"),
          "options_usage and options_help mention every long option");
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
