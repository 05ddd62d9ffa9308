/* pool.h - the memory the parent shares with its forked workers: one
 * mmap(MAP_SHARED|MAP_ANONYMOUS) region holding an atomic work cursor, a
 * slot per worker (what it is doing now), a slot per job (its result), a
 * flag per output directory, and, when a report is wanted, a message per
 * job. Jobs themselves are inherited read-only through fork. */
#ifndef THUMBIFY_POOL_H
#define THUMBIFY_POOL_H

#include <limits.h>
#include <stdatomic.h>
#include <stddef.h>

enum {
    RESULT_PENDING = 0,
    RESULT_OK,       /* thumbnail written */
    RESULT_UPTODATE, /* thumbnail already current: skipped */
    RESULT_FAILED
};

/* A job's message for the report: "warning: " and the core's longest
 * message (255) with " (failed: --strict)" fit whole. */
#define RESULT_MSG_MAX 320

typedef struct result_slot {
    atomic_int state; /* RESULT_*; stored last by the worker */
    unsigned char warned, path;
    int src_w, src_h, out_w, out_h, scale_denom;
    float ms; /* time spent on the job */
} result_slot;

typedef struct worker_slot {
    atomic_long current;   /* job index in progress, or -1 */
    atomic_llong since_ns; /* CLOCK_MONOTONIC start of that job */
    char tmp[PATH_MAX];    /* temp file being written, or "" */
} worker_slot;

typedef struct pool_shared {
    atomic_size_t next;   /* the next job to hand out */
    atomic_size_t done;   /* jobs finished, for progress */
    atomic_size_t failed; /* of which failed */
    atomic_int stop;      /* set by the parent: claim nothing more */
    size_t njobs, ndirs;
    int nworkers;
    worker_slot *workers;         /* nworkers slots */
    result_slot *results;         /* njobs slots */
    atomic_int *dir_broken;       /* ndirs flags: output directory unusable */
    char (*msgs)[RESULT_MSG_MAX]; /* njobs messages, or NULL (no report) */
} pool_shared;

/* Maps a zeroed region; NULL on failure (errno set). The mapping survives
 * fork at the same address. with_msgs adds the per-job messages. */
pool_shared *pool_map(size_t njobs, int nworkers, size_t ndirs, int with_msgs);
void pool_unmap(pool_shared *sh);

/* Claims the next job for worker k and publishes it as k's current job,
 * with its start time. Returns its index, or -1 when the queue is empty or
 * the run is stopping. */
long pool_claim(pool_shared *sh, int k);

/* pool_claim for a group: jobs i .. i + *n - 1 at once, where *n =
 * span(arg, i) (the jobs of one source under several sizes, made from
 * one decode); the first is published as k's current job. */
long pool_claim_span(pool_shared *sh, int k, size_t (*span)(const void *arg, size_t i),
                     const void *arg, size_t *n);

/* Records job i's final state and clears worker k's current job. */
void pool_finish(pool_shared *sh, int k, long i, int state);

/* Records job i's final state and counts it. */
void pool_record(pool_shared *sh, long i, int state);

/* CLOCK_MONOTONIC in nanoseconds. */
long long pool_now_ns(void);

#endif
