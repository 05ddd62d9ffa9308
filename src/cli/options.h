/* options.h - the command line, parsed into a struct and nothing else: no
 * printing, no exiting, so every rule is unit-testable. */
#ifndef THUMBIFY_OPTIONS_H
#define THUMBIFY_OPTIONS_H

#include <stddef.h>

#include "thumbify.h"

enum { PROGRESS_AUTO = 0, PROGRESS_ALWAYS, PROGRESS_NEVER };

typedef struct cli_options {
    tf_params params;              /* -s (the first size), -F, -Q, --crop,
                                      --max-pixels, --embedded */
    tf_box sizes[TF_MAX_BOXES];    /* -s: every size, none twice */
    int nsizes;                    /* 1: one size, the plain layout */
    const char *out_dir;           /* -o; NULL = <source dir>/thumbs */
    int strict;                    /* --strict: a warning fails the file */
    int recursive;                 /* -r */
    const char *files_from;        /* --files-from FILE, "-" = stdin */
    int null_sep;                  /* -0: NUL-separated --files-from */
    const char *base;              /* --base DIR: --files-from files go under
                                      -o DIR by their path relative to it
                                      (default: the current directory) */
    const char *name;              /* --name TEMPLATE; NULL = the source's
                                      name (outname.h) */
    unsigned shard_i, shard_n;     /* --shard I/N; shard_n 0 = all files */
    const char *shard_auto;        /* --shard auto or auto/N, as given;
                                      shard_i/_n then from the environment */
    int procs;                     /* -p; 0 = the usable cores */
    int timeout_s;                 /* --timeout, per image */
    unsigned long long max_memory; /* --max-memory per worker, bytes */
    int sync;                      /* --sync: fsync before rename */
    int force;                     /* -f: rebuild up-to-date thumbnails */
    int dry_run;                   /* -n */
    const char *report;            /* --report FILE, "-" = stdout */
    int prune;                     /* --prune: remove orphaned thumbnails */
    int progress;                  /* PROGRESS_* */
    int quiet, verbose;
    int help, version;
    char **paths; /* the operands, in argv */
    int npaths;
} cli_options;

enum {
    OPTIONS_OK = 0,   /* run with *opts */
    OPTIONS_USAGE = 2 /* a usage error; err says which option and why */
};

#define OPTIONS_DEFAULT_TIMEOUT 60
#define OPTIONS_DEFAULT_MAX_MEMORY (2ULL << 30)

/* Parses argv (getopt_long; options and operands may be mixed). Returns
 * OPTIONS_OK or OPTIONS_USAGE with a message in err. Resets getopt's state,
 * so it may be called more than once per process. Reads the environment
 * only for --shard auto or auto/N (SLURM_ARRAY_TASK_* or
 * JOB_COMPLETION_INDEX; see the man page), after all the options. */
int options_parse(int argc, char **argv, cli_options *opts, char *err, size_t errlen);

/* "123", "64K", "512M", "2G" (binary units) into *out; 0 or -1. */
int options_parse_bytes(const char *s, unsigned long long *out);

/* One option, as options.c's table has it: getopt's array, the short
 * options and the --help text are made from the table. */
typedef struct options_entry {
    const char *name;    /* the long name, "size" */
    int val;             /* the short letter ('s') or, above 255, an id
                            of a long option only; getopt_long returns it */
    int has_arg;         /* no_argument or required_argument */
    const char *arg;     /* the value's name in --help ("WxH"), or NULL */
    const char *help;    /* --help lines, '\n' apart; "LEFT\tTEXT" is another
                            form of the option with LEFT as its first column */
    const char *section; /* a --help heading ("Output") before it, or NULL */
} options_entry;

/* The table of every option, in --help order; *n gets its length. */
const options_entry *options_table(size_t *n);

/* The getopt_long entry of thumbify's long option NAME ("size"), or NULL:
 * bench passes some of them on to the runs it times. */
struct option;
const struct option *options_long(const char *name);

/* The line after a usage error, as GNU tools print it (no newline). */
extern const char options_try_help[];

/* The full --help text, made from the table on the first call. */
const char *options_help(void);

#endif
