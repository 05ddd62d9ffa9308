/* options.h - the command line, parsed into a struct and nothing else: no
 * printing, no exiting, so every rule is unit-testable. */
#ifndef THUMBIFY_OPTIONS_H
#define THUMBIFY_OPTIONS_H

#include <stddef.h>

#include "thumbify.h"

typedef struct cli_options {
    int procs;                   /* -p; 0 = the usable cores */
    tf_params params;            /* -s, -Q and the core's limits */
    const char *out_dir;         /* -o; NULL = <source dir>/thumbs */
    int quiet, verbose;
    int strict;                  /* --strict: a warning fails the file */
    int help, version;
    char **paths;                /* the operands, in argv */
    int npaths;
} cli_options;

enum {
    OPTIONS_OK = 0,              /* run with *opts */
    OPTIONS_USAGE = 2            /* a usage error; err says which option and why */
};

/* Parses argv (getopt_long; options and operands may be mixed). Returns
 * OPTIONS_OK or OPTIONS_USAGE with a message in err. Resets getopt's state,
 * so it may be called more than once per process. */
int options_parse(int argc, char **argv, cli_options *opts, char *err, size_t errlen);

/* The one-line usage and the full --help text. */
extern const char options_usage[];
extern const char options_help[];

#endif
