/* pool.c - the shared region and its atomic work cursor. */
#include <sys/mman.h>

#include "pool.h"

static size_t region_size(size_t njobs, int nworkers)
{
    return sizeof(pool_shared) + (size_t)nworkers * sizeof(worker_slot) +
           njobs * sizeof(result_slot);
}

pool_shared *pool_map(size_t njobs, int nworkers)
{
    size_t size = region_size(njobs, nworkers);
    void *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED)
        return NULL;
    pool_shared *sh = p; /* anonymous pages are zero: every state is PENDING */
    sh->njobs = njobs;
    sh->nworkers = nworkers;
    sh->workers = (worker_slot *)(sh + 1);
    sh->results = (result_slot *)(sh->workers + nworkers);
    for (int k = 0; k < nworkers; k++)
        atomic_init(&sh->workers[k].current, -1);
    return sh;
}

void pool_unmap(pool_shared *sh)
{
    if (sh)
        munmap(sh, region_size(sh->njobs, sh->nworkers));
}

long pool_claim(pool_shared *sh, int k)
{
    if (atomic_load(&sh->stop))
        return -1;
    size_t i = atomic_fetch_add(&sh->next, 1);
    if (i >= sh->njobs)
        return -1;
    atomic_store(&sh->workers[k].current, (long)i);
    return (long)i;
}

void pool_finish(pool_shared *sh, int k, long i, int state)
{
    atomic_store(&sh->results[i].state, state);
    atomic_store(&sh->workers[k].current, -1);
}
