/* worker.h - the body of one forked worker: claim jobs until the queue is
 * empty, make each thumbnail, publish each result. */
#ifndef THUMBIFY_WORKER_H
#define THUMBIFY_WORKER_H

#include "jobs.h"
#include "options.h"
#include "pool.h"

/* Worker exit statuses, read by the parent through waitpid. */
enum { WORKER_ALL_OK = 0, WORKER_SOME_FAILED = 1, WORKER_BROKEN = 3 };

/* Runs worker k in a forked child; returns its exit status. Messages for
 * each failed or damaged file go to stderr as they happen. */
int worker_run(const cli_options *opts, const job_list *jobs, pool_shared *sh, int k);

#endif
