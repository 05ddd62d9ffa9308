/* pool.h - the memory the parent shares with its forked workers: one
 * mmap(MAP_SHARED|MAP_ANONYMOUS) region holding an atomic work cursor, a
 * slot per worker (what it is doing now) and a slot per job (its result).
 * Jobs themselves are inherited read-only through fork. */
#ifndef THUMBIFY_POOL_H
#define THUMBIFY_POOL_H

#include <limits.h>
#include <stdatomic.h>
#include <stddef.h>

enum { RESULT_PENDING = 0, RESULT_OK, RESULT_FAILED };

typedef struct result_slot {
    atomic_int state;            /* RESULT_*; written last by the worker */
    int warnings;
    int src_w, src_h, out_w, out_h, scale_denom;
} result_slot;

typedef struct worker_slot {
    atomic_long current;         /* job index in progress, or -1 */
    char tmp[PATH_MAX];          /* temp file being written, or "" */
} worker_slot;

typedef struct pool_shared {
    atomic_size_t next;          /* the next job to hand out */
    atomic_int stop;             /* set by the parent: claim nothing more */
    size_t njobs;
    int nworkers;
    worker_slot *workers;        /* nworkers slots, in this same mapping */
    result_slot *results;        /* njobs slots, in this same mapping */
} pool_shared;

/* Maps a zeroed region for njobs jobs and nworkers workers; NULL on failure
 * (errno set). The mapping survives fork at the same address. */
pool_shared *pool_map(size_t njobs, int nworkers);
void pool_unmap(pool_shared *sh);

/* Claims the next job for worker k and publishes it as k's current job.
 * Returns its index, or -1 when the queue is empty or the run is stopping. */
long pool_claim(pool_shared *sh, int k);

/* Records job i's result and clears worker k's current job. */
void pool_finish(pool_shared *sh, int k, long i, int state);

#endif
