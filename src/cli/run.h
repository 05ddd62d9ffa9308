/* run.h - the parent's side of a run: fork the workers, reap them with
 * waitpid, replace a worker killed by a signal or by the per-image time
 * limit, show progress, stop cleanly on SIGINT/SIGTERM/SIGHUP. */
#ifndef THUMBIFY_RUN_H
#define THUMBIFY_RUN_H

#include <stddef.h>

#include "jobs.h"
#include "options.h"
#include "pool.h"

typedef struct run_stats {
    size_t ok, uptodate, failed, not_done, warnings;
    int signal; /* the signal that stopped the run, or 0 */
    int broken; /* a worker exited abnormally (said) */
} run_stats;

/* Runs every job on nworkers (>= 1) forked workers, fills *st and returns
 * the shared region (results, messages) for reporting; the caller unmaps
 * it with pool_unmap. NULL when the run could not start (message already
 * printed). */
pool_shared *run_jobs(const cli_options *opts, const job_list *jobs, int nworkers, run_stats *st);

#endif
