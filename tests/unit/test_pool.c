/* test_pool.c - the shared work queue across real forked workers, the stop
 * flag, an empty queue; and the CPU count helpers. */
#include <sched.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"
#include "cpus.h"
#include "pool.h"

enum { NJOBS = 1000, NWORKERS = 4 };

/* Written by the children, read by the parent: a claim counter per job and
 * a count of things a child saw go wrong (it cannot CHECK itself). */
typedef struct tally {
    atomic_int claims[NJOBS];
    atomic_int bad_index;        /* pool_claim returned >= NJOBS */
    atomic_int bad_current;      /* workers[k].current was not the claimed job */
} tally;

static void worker(pool_shared *sh, tally *t, int k)
{
    long i;
    while ((i = pool_claim(sh, k)) >= 0) {
        if (i >= NJOBS) {
            atomic_fetch_add(&t->bad_index, 1);
            break;
        }
        atomic_fetch_add(&t->claims[i], 1);
        if (atomic_load(&sh->workers[k].current) != i)
            atomic_fetch_add(&t->bad_current, 1);
        sh->results[i].src_w = k + 1; /* who did it; plain int, one writer */
        if (i % 97 == 0)
            sched_yield();            /* let the others interleave */
        pool_finish(sh, k, i, RESULT_OK);
    }
    _exit(0);
}

static void forked_workers(void)
{
    pool_shared *sh = pool_map(NJOBS, NWORKERS, 0, 0);
    tally *t = mmap(NULL, sizeof *t, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (!CHECK(sh && t != MAP_FAILED, "pool_map(%d jobs, %d workers, 0, 0) and the tally mapping",
               NJOBS, NWORKERS))
        return;

    int fresh = sh->njobs == NJOBS && sh->nworkers == NWORKERS;
    for (int k = 0; k < NWORKERS; k++)
        fresh &= atomic_load(&sh->workers[k].current) == -1 && sh->workers[k].tmp[0] == '\0';
    for (size_t i = 0; i < NJOBS; i++)
        fresh &= atomic_load(&sh->results[i].state) == RESULT_PENDING;
    CHECK(fresh, "fresh pool: sizes recorded, every worker idle (-1), every job pending");

    pid_t pids[NWORKERS];
    int forked = 0;
    fflush(stdout);
    for (int k = 0; k < NWORKERS; k++) {
        pids[k] = fork();
        if (pids[k] == 0)
            worker(sh, t, k);
        forked += pids[k] > 0;
    }
    int exited = 0;
    for (int k = 0; k < NWORKERS; k++) {
        int ws;
        if (pids[k] > 0 && waitpid(pids[k], &ws, 0) == pids[k] && WIFEXITED(ws) &&
            WEXITSTATUS(ws) == 0)
            exited++;
    }
    CHECK(forked == NWORKERS && exited == NWORKERS, "%d forked workers all exited 0 (%d/%d)",
          NWORKERS, exited, forked);

    int once = 0, ok_state = 0, total = 0, per[NWORKERS] = {0}, who_ok = 1;
    for (int i = 0; i < NJOBS; i++) {
        int c = atomic_load(&t->claims[i]);
        total += c;
        once += c == 1;
        ok_state += atomic_load(&sh->results[i].state) == RESULT_OK;
        int w = sh->results[i].src_w;
        if (w >= 1 && w <= NWORKERS)
            per[w - 1]++;
        else
            who_ok = 0;
    }
    CHECK(once == NJOBS && total == NJOBS, "every job claimed exactly once: %d of %d, %d claims",
          once, NJOBS, total);
    CHECK(ok_state == NJOBS, "every job's state is RESULT_OK: %d of %d", ok_state, NJOBS);
    CHECK(who_ok && per[0] + per[1] + per[2] + per[3] == NJOBS,
          "every job records a worker 1..%d (jobs per worker: %d %d %d %d)", NWORKERS, per[0],
          per[1], per[2], per[3]);
    CHECK(atomic_load(&t->bad_index) == 0 && atomic_load(&t->bad_current) == 0,
          "inside the workers: claimed indexes < njobs, workers[k].current == the job held "
          "(%d bad index, %d bad current)", atomic_load(&t->bad_index),
          atomic_load(&t->bad_current));
    int idle = 1;
    for (int k = 0; k < NWORKERS; k++)
        idle &= atomic_load(&sh->workers[k].current) == -1;
    CHECK(idle, "after the run every workers[k].current == -1");
    CHECK(pool_claim(sh, 0) == -1, "a drained queue: pool_claim returns -1");

    munmap(t, sizeof *t);
    pool_unmap(sh);
}

static void stop_flag(void)
{
    pool_shared *sh = pool_map(10, 2, 0, 0);
    if (!CHECK(sh != NULL, "pool_map(10, 2, 0, 0)"))
        return;
    long a = pool_claim(sh, 0), b = pool_claim(sh, 1);
    int claimed = a == 0 && b == 1 && atomic_load(&sh->workers[0].current) == 0 &&
                  atomic_load(&sh->workers[1].current) == 1;
    pool_finish(sh, 1, b, RESULT_FAILED);
    claimed &= atomic_load(&sh->results[1].state) == RESULT_FAILED &&
               atomic_load(&sh->workers[1].current) == -1 &&
               atomic_load(&sh->workers[0].current) == 0;
    CHECK(claimed, "in order: claims 0 and 1 publish current; finish(FAILED) records it and "
          "clears only that worker");
    atomic_store(&sh->stop, 1);
    long c = pool_claim(sh, 1), d = pool_claim(sh, 1);
    CHECK(c == -1 && d == -1 && atomic_load(&sh->workers[1].current) == -1,
          "after sh->stop = 1 pool_claim returns -1 (8 jobs left unclaimed)");
    int pending = 0;
    for (int i = 2; i < 10; i++)
        pending += atomic_load(&sh->results[i].state) == RESULT_PENDING;
    CHECK(pending == 8, "the jobs never claimed stay RESULT_PENDING (%d of 8)", pending);
    pool_finish(sh, 0, a, RESULT_OK);
    CHECK(atomic_load(&sh->results[0].state) == RESULT_OK &&
          atomic_load(&sh->workers[0].current) == -1,
          "a job in progress when stop is set can still finish");
    pool_unmap(sh);
}

static void empty_queue(void)
{
    pool_shared *sh = pool_map(0, 3, 0, 0);
    int ok = sh != NULL;
    if (ok) {
        ok = sh->njobs == 0 && pool_claim(sh, 0) == -1 && pool_claim(sh, 2) == -1 &&
             atomic_load(&sh->workers[0].current) == -1;
        pool_unmap(sh);
    }
    CHECK(ok, "njobs = 0: pool_map succeeds, pool_claim returns -1");
    pool_unmap(NULL);
    CHECK(1, "pool_unmap(NULL) is a no-op");
}

static void cpu_max(void)
{
    /* want, or also alt where either is right (-1: no alternative) */
    static const struct { const char *text; int want, alt; } t[] = {
        {"max 100000", 0, -1},
        {"max 100000\n", 0, -1},
        {"150000 100000", 2, -1},
        {"150000 100000\n", 2, -1},
        {"100000 100000", 1, -1},
        {"50000 100000", 1, -1},
        {"1 100000", 1, -1},
        {"100001 100000", 2, -1},
        {"400000 100000", 4, -1},
        {"800000000000 1", 4096, -1},
        {"garbage", 0, -1},
        {"", 0, -1},
        {"max", 0, -1},
        {"200000 0", 0, -1},
        {"200000 -100000", 0, -1},
        {"0 100000", 0, -1},
        {"-100000 100000", 0, -1},
        {"12abc 100000", 0, -1},
        {"100000", 0, -1},
        /* no overflow near LLONG_MAX: ceil(q/p) must not compute q + p - 1 */
        {"9223372036854775807 9223372036854775807", 1, -1},
        {"9223372036854775807 2", 4096, -1},
        /* beyond long long: capped (4096) or refused as malformed (0) */
        {"99999999999999999999 100000", 4096, 0},
    };
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
        int got = cpu_max_limit(t[i].text);
        char shown[64];
        size_t n = 0;
        for (const char *p = t[i].text; *p && n + 3 < sizeof shown; p++) {
            if (*p == '\n') {
                shown[n++] = '\\';
                shown[n++] = 'n';
            } else
                shown[n++] = *p;
        }
        shown[n] = '\0';
        if (t[i].alt < 0)
            CHECK(got == t[i].want, "cpu_max_limit \"%s\" -> %d; got %d", shown, t[i].want, got);
        else
            CHECK(got == t[i].want || got == t[i].alt, "cpu_max_limit \"%s\" -> %d or %d; got %d",
                  shown, t[i].want, t[i].alt, got);
    }
}

static void usable(void)
{
    cpu_set_t set;
    int affinity = sched_getaffinity(0, sizeof set, &set) == 0 ? CPU_COUNT(&set) : 0;
    int n = usable_cpus();
    CHECK(n >= 1 && (affinity == 0 || n <= affinity),
          "usable_cpus() = %d: >= 1 and <= the %d CPUs in the affinity mask", n, affinity);
}

int main(void)
{
    forked_workers();
    stop_flag();
    empty_queue();
    cpu_max();
    usable();
    return check_done();
}
