/* pool.c - the shared region and its atomic work cursor. */
#include <sys/mman.h>
#include <time.h>

#include "pool.h"

/* Sizes of the parts, each rounded to 64 bytes (alignment, no false
 * sharing between the header and the slots). */
static size_t round64(size_t n)
{
    return (n + 63) & ~(size_t)63;
}

static size_t region_size(size_t njobs, int nworkers, size_t ndirs, int with_msgs)
{
    return round64(sizeof(pool_shared)) + round64((size_t)nworkers * sizeof(worker_slot)) +
           round64(njobs * sizeof(result_slot)) + round64(ndirs * sizeof(atomic_int)) +
           (with_msgs ? njobs * RESULT_MSG_MAX : 0);
}

pool_shared *pool_map(size_t njobs, int nworkers, size_t ndirs, int with_msgs)
{
    size_t size = region_size(njobs, nworkers, ndirs, with_msgs);
    char *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED)
        return NULL;
    pool_shared *sh = (pool_shared *)p; /* anonymous pages are zero: all PENDING */
    sh->njobs = njobs;
    sh->ndirs = ndirs;
    sh->nworkers = nworkers;
    p += round64(sizeof *sh);
    sh->workers = (worker_slot *)p;
    p += round64((size_t)nworkers * sizeof(worker_slot));
    sh->results = (result_slot *)p;
    p += round64(njobs * sizeof(result_slot));
    sh->dir_broken = (atomic_int *)p;
    p += round64(ndirs * sizeof(atomic_int));
    sh->msgs = with_msgs ? (char(*)[RESULT_MSG_MAX])p : NULL;
    for (int k = 0; k < nworkers; k++)
        atomic_init(&sh->workers[k].current, -1);
    return sh;
}

void pool_unmap(pool_shared *sh)
{
    if (sh)
        munmap(sh, region_size(sh->njobs, sh->nworkers, sh->ndirs, sh->msgs != NULL));
}

long long pool_now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

long pool_claim(pool_shared *sh, int k)
{
    if (atomic_load(&sh->stop))
        return -1;
    size_t i = atomic_fetch_add(&sh->next, 1);
    if (i >= sh->njobs)
        return -1;
    atomic_store(&sh->workers[k].since_ns, pool_now_ns());
    atomic_store(&sh->workers[k].current, (long)i);
    return (long)i;
}

long pool_claim_span(pool_shared *sh, int k, size_t (*span)(const void *arg, size_t i),
                     const void *arg, size_t *n)
{
    if (atomic_load(&sh->stop))
        return -1;
    size_t i = atomic_load(&sh->next);
    do {
        if (i >= sh->njobs)
            return -1;
        *n = span(arg, i);
    } while (!atomic_compare_exchange_weak(&sh->next, &i, i + *n));
    atomic_store(&sh->workers[k].since_ns, pool_now_ns());
    atomic_store(&sh->workers[k].current, (long)i);
    return (long)i;
}

void pool_record(pool_shared *sh, long i, int state)
{
    atomic_store(&sh->results[i].state, state);
    if (state == RESULT_FAILED)
        atomic_fetch_add(&sh->failed, 1);
    atomic_fetch_add(&sh->done, 1);
}

void pool_finish(pool_shared *sh, int k, long i, int state)
{
    pool_record(sh, i, state);
    atomic_store(&sh->workers[k].current, -1);
}
