/* options.c - getopt_long parsing and value validation. */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "options.h"

const char options_usage[] =
    "usage: thumbify [-p N] [-s WxH] [-o DIR] [-F FORMAT] [-Q N] [-q] [-v] PATH...\n"
    "try 'thumbify --help' for more information\n";

const char options_help[] =
    "usage: thumbify [OPTION]... PATH...\n"
    "Make a thumbnail of every JPEG and PNG in each directory PATH (and of each\n"
    "file PATH), fitting a 75x75 box, written to thumbs/<same name> beside it.\n"
    "\n"
    "Output:\n"
    "  -s, --size WxH       fit thumbnails into W x H pixels; N means NxN (default 75x75)\n"
    "  -o, --output DIR     write every thumbnail into DIR instead of thumbs/\n"
    "  -F, --format FORMAT  jpeg, png or same as the source (default same)\n"
    "  -Q, --quality N      JPEG quality 1..100 (default 85)\n"
    "\n"
    "Inputs:\n"
    "      --strict         treat damaged-but-decodable files as failures\n"
    "      --max-pixels N   refuse images larger than N pixels (default 268435456)\n"
    "\n"
    "Running:\n"
    "  -p, --procs N        worker processes (default: the usable CPU cores)\n"
    "  -q, --quiet          no summary line\n"
    "  -v, --verbose        one line per image: sizes, decode scale, colour profile\n"
    "  -h, --help           show this help and exit\n"
    "  -V, --version        show the version and exit\n"
    "\n"
    "Exit status: 0 all thumbnails made, 1 some image or path failed,\n"
    "2 usage error.\n";

#define SHORT_OPTS "p:s:o:F:Q:qvhV"

enum { OPT_STRICT = 256, OPT_MAX_PIXELS };

static const struct option long_opts[] = {
    {"format", required_argument, NULL, 'F'},
    {"strict", no_argument, NULL, OPT_STRICT},
    {"max-pixels", required_argument, NULL, OPT_MAX_PIXELS},
    {"procs", required_argument, NULL, 'p'},
    {"size", required_argument, NULL, 's'},
    {"output", required_argument, NULL, 'o'},
    {"quality", required_argument, NULL, 'Q'},
    {"quiet", no_argument, NULL, 'q'},
    {"verbose", no_argument, NULL, 'v'},
    {"help", no_argument, NULL, 'h'},
    {"version", no_argument, NULL, 'V'},
    {NULL, 0, NULL, 0},
};

/* A whole decimal number in [lo, hi]; *end (if given) gets what follows. */
static int parse_int(const char *s, long lo, long hi, int *out, const char **end)
{
    char *e;
    if (*s < '0' || *s > '9')    /* no sign, no spaces */
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

/* A whole decimal number >= 1. */
static int parse_ull(const char *s, unsigned long long *out)
{
    char *e;
    if (*s < '0' || *s > '9')
        return -1;
    errno = 0;
    unsigned long long v = strtoull(s, &e, 10);
    if (errno || *e || v == 0)
        return -1;
    *out = v;
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

__attribute__((format(printf, 3, 4)))
static int fail(char *err, size_t errlen, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
    return OPTIONS_USAGE;
}

static int apply(int c, const char *arg, cli_options *o, char *err, size_t errlen)
{
    switch (c) {
    case 'p':
        if (parse_int(arg, 1, 4096, &o->procs, NULL) != 0)
            return fail(err, errlen, "invalid value '%s' for -p/--procs: expected a whole number from 1 to 4096", arg);
        return OPTIONS_OK;
    case 's':
        if (parse_size(arg, &o->params.box_w, &o->params.box_h) != 0)
            return fail(err, errlen, "invalid value '%s' for -s/--size: expected WxH or N, each from 1 to 65535", arg);
        return OPTIONS_OK;
    case 'Q':
        if (parse_int(arg, 1, 100, &o->params.quality, NULL) != 0)
            return fail(err, errlen, "invalid value '%s' for -Q/--quality: expected a whole number from 1 to 100", arg);
        return OPTIONS_OK;
    case 'o':
        if (*arg == '\0')
            return fail(err, errlen, "invalid value '%s' for -o/--output: empty directory name", arg);
        o->out_dir = arg;
        return OPTIONS_OK;
    case 'F':
        if (strcmp(arg, "jpeg") == 0 || strcmp(arg, "jpg") == 0)
            o->params.format = TF_FORMAT_JPEG;
        else if (strcmp(arg, "png") == 0)
            o->params.format = TF_FORMAT_PNG;
        else if (strcmp(arg, "same") == 0)
            o->params.format = TF_FORMAT_SAME;
        else
            return fail(err, errlen, "invalid value '%s' for -F/--format: expected jpeg, png or same", arg);
        return OPTIONS_OK;
    case OPT_MAX_PIXELS:
        if (parse_ull(arg, &o->params.max_pixels) != 0)
            return fail(err, errlen, "invalid value '%s' for --max-pixels: expected a whole number from 1", arg);
        return OPTIONS_OK;
    case OPT_STRICT: o->strict = 1; return OPTIONS_OK;
    case 'q': o->quiet = 1; return OPTIONS_OK;
    case 'v': o->verbose = 1; return OPTIONS_OK;
    case 'h': o->help = 1; return OPTIONS_OK;
    case 'V': o->version = 1; return OPTIONS_OK;
    }
    return OPTIONS_USAGE;
}

/* getopt_long's own messages would go to stderr; ours name the option as
 * the user typed it. A leading ':' in the option string makes a missing
 * value ':' and an unknown option '?'; optopt is 0 for long options. */
static int bad_option(int c, char **argv, char *err, size_t errlen)
{
    const char *word = argv[optind - 1];
    if (c == ':')
        return optopt && strncmp(word, "--", 2) != 0
                   ? fail(err, errlen, "option -%c needs a value", optopt)
                   : fail(err, errlen, "option '%s' needs a value", word);
    /* An unknown letter in a cluster (-qz) leaves optind on that cluster,
     * so argv[optind-1] may be an earlier word: trust optopt for letters. */
    if (optopt > 0 && optopt < 256 && (optopt == ':' || !strchr(SHORT_OPTS, optopt)))
        return fail(err, errlen, "unknown option -%c", optopt);
    if (optopt) /* a long option that takes no value, given one */
        return fail(err, errlen, "option '%.*s' takes no value", (int)strcspn(word, "="), word);
    return fail(err, errlen, "unknown option '%s'", word);
}

int options_parse(int argc, char **argv, cli_options *o, char *err, size_t errlen)
{
    *o = (cli_options){0};
    tf_params_default(&o->params);
    optind = 0;                  /* 0, not 1: full reinitialisation in glibc */
    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, ":" SHORT_OPTS, long_opts, NULL)) != -1) {
        if (c == '?' || c == ':')
            return bad_option(c, argv, err, errlen);
        if (apply(c, optarg, o, err, errlen) != OPTIONS_OK)
            return OPTIONS_USAGE;
    }
    o->paths = argv + optind;
    o->npaths = argc - optind;
    if (o->npaths == 0 && !o->help && !o->version)
        return fail(err, errlen, "no input path given");
    return OPTIONS_OK;
}
