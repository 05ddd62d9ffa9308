/* jobs.h - the work list the parent builds before forking: one job per
 * input file, with its output path. Workers inherit it read-only through
 * fork, so only results travel through shared memory. */
#ifndef THUMBIFY_JOBS_H
#define THUMBIFY_JOBS_H

#include <stddef.h>
#include <sys/types.h>

#include "options.h"

typedef struct job {
    char *src;                   /* as given, or DIR/name */
    char *out;                   /* OUTDIR/name, extension per -F; the worker
                                    fixes it when the content decides */
    const char *out_dir;         /* shared by the jobs of one directory */
    off_t size;                  /* for largest-first ordering */
    dev_t dev;                   /* identity, to drop the same file twice */
    ino_t ino;
} job;

typedef struct job_list {
    job *v;
    size_t n, cap;
    char **dirs;                 /* every distinct out_dir string, owned */
    size_t ndirs, dirs_cap;
    int failed;                  /* paths that failed before any decoding */
} job_list;

/* Scans every operand into *list: directories listed once (JPEG and PNG names,
 * regular files), files taken as given. Reports each bad path on stderr and
 * counts it in list->failed. Returns 0, or -1 when memory runs out. */
int jobs_scan(const cli_options *opts, job_list *list);

/* Creates each output directory (with parents); jobs whose directory cannot
 * be made are reported once per directory, counted as failed and removed.
 * Call it straight after jobs_scan(), while jobs are in scan order. */
void jobs_make_dirs(job_list *list);

/* Drops a file listed twice, fails a job whose output another job already
 * writes, then orders the rest largest first (ties by path). */
void jobs_finalize(job_list *list);

void jobs_free(job_list *list);

#endif
