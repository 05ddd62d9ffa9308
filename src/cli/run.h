/* run.h - the parent's side of a run: fork the workers, reap them with
 * waitpid, replace a worker killed by a signal, stop cleanly on
 * SIGINT/SIGTERM/SIGHUP. */
#ifndef THUMBIFY_RUN_H
#define THUMBIFY_RUN_H

#include <stddef.h>

#include "jobs.h"
#include "options.h"

typedef struct run_stats {
    size_t ok, failed, not_done, warnings;
    int signal;                  /* the signal that stopped the run, or 0 */
} run_stats;

/* Runs every job on nworkers (>= 1) forked workers and fills *st. Returns
 * 0, or -1 when the run could not start (message already printed). */
int run_jobs(const cli_options *opts, const job_list *jobs, int nworkers, run_stats *st);

#endif
