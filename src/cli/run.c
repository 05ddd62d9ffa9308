/* run.c - fork, reap, replace, time out, stop.
 *
 * The parent waits for SIGCHLD and the stop signals without losing one
 * (signals.h); the wait's timeout wakes it to enforce --timeout and
 * redraw the progress line. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "msg.h"
#include "progress.h"
#include "run.h"
#include "signals.h"
#include "worker.h"

typedef struct parent {
    const cli_options *opts;
    const job_list *jobs;
    pool_shared *sh;
    pid_t *pids;     /* per worker slot; 0 = not running */
    long *timed_out; /* per worker slot: job it was killed on */
    int alive;
    int broken; /* a worker exited abnormally */
    int progress;
    long long start_ns;
} parent;

static int spawn(parent *p, int k)
{
    fflush(NULL); /* nothing buffered may be written twice */
    pid_t parent_pid = getpid(), pid = fork();
    if (pid < 0) {
        msg_line("thumbify: cannot start a worker process: %s", strerror(errno));
        return -1;
    }
    if (pid == 0) {
        if (signals_child_start(parent_pid) != 0)
            _exit(WORKER_BROKEN);
        _exit(worker_run(p->opts, p->jobs, p->sh, k));
    }
    p->pids[k] = pid;
    p->timed_out[k] = -1;
    p->alive++;
    return 0;
}

/* Fails job i and the rest of its group (the other sizes of its source,
 * made by the same worker) for a reason found by the parent, keeping the
 * message for the report too. */
static void fail_job(parent *p, long i, const char *why)
{
    size_t n = jobs_group(p->jobs, (size_t)i);
    for (long g = i; g < i + (long)n; g++) {
        result_slot *r = &p->sh->results[g];
        if (atomic_load(&r->state) != RESULT_PENDING)
            continue;
        pool_record(p->sh, g, RESULT_FAILED);
        msg_error(p->jobs->v[g].src, "%s", why);
        if (p->sh->msgs)
            snprintf(p->sh->msgs[g], RESULT_MSG_MAX, "%s", why);
    }
}

/* A worker that died by a signal: remove the temp file it may have left,
 * fail the job it was on, and say why: the time limit, or the signal. */
static void bury(parent *p, int k, pid_t pid, int sig)
{
    worker_slot *ws = &p->sh->workers[k];
    if (ws->tmp[0])
        unlink(ws->tmp);
    ws->tmp[0] = '\0';
    long i = atomic_exchange(&ws->current, -1);
    char why[96];
    if (p->timed_out[k] >= 0) {
        snprintf(why, sizeof why, "timed out after %d s (--timeout)", p->opts->timeout_s);
        fail_job(p, p->timed_out[k], why);
        return;
    }
    if (signals_stop_seen())
        return; /* we ended it ourselves */
    char name[32];
    snprintf(why, sizeof why, "worker killed by %s", signals_name(sig, name, sizeof name));
    if (i >= 0)
        fail_job(p, i, why);
    else
        msg_line("thumbify: worker process %ld killed by %s", (long)pid, name);
}

static int slot_of(const parent *p, pid_t pid)
{
    for (int k = 0; k < p->sh->nworkers; k++)
        if (p->pids[k] == pid)
            return k;
    return -1;
}

/* Reaps every worker that has exited; replaces those killed by a signal
 * while work remains. */
static void reap(parent *p)
{
    int status;
    pid_t pid;
    while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
        int k = slot_of(p, pid);
        if (k < 0)
            continue;
        p->pids[k] = 0;
        p->alive--;
        if (WIFEXITED(status) && WEXITSTATUS(status) > WORKER_SOME_FAILED) {
            msg_line("thumbify: worker process %ld exited with status %d", (long)pid,
                     WEXITSTATUS(status));
            p->broken = 1;
        }
        if (!WIFSIGNALED(status))
            continue;
        bury(p, k, pid, WTERMSIG(status));
        if (!signals_stop_seen() && atomic_load(&p->sh->next) < p->sh->njobs)
            spawn(p, k);
    }
}

/* Kills a worker whose current image has run past --timeout. The start
 * time is read on both sides of the job index, so a worker that moved on
 * to its next image in between is not killed for the old one. */
static void enforce_timeout(parent *p, long long now)
{
    long long limit = (long long)p->opts->timeout_s * 1000000000LL;
    for (int k = 0; k < p->sh->nworkers; k++) {
        worker_slot *ws = &p->sh->workers[k];
        long long since = atomic_load(&ws->since_ns);
        long i = atomic_load(&ws->current);
        if (!p->pids[k] || i < 0 || p->timed_out[k] >= 0 || now - since < limit ||
            atomic_load(&ws->since_ns) != since)
            continue;
        p->timed_out[k] = i;
        signals_kill_worker(p->pids[k]);
    }
}

/* First stop signal: hand out nothing more and end the workers, whose
 * temp files bury() removes. Later ones: SIGKILL, for a worker stuck. */
static void stop_workers(parent *p, int *sent)
{
    int seen = signals_stop_count();
    if (!signals_stop_seen() || *sent == seen)
        return;
    atomic_store(&p->sh->stop, 1);
    for (int k = 0; k < p->sh->nworkers; k++) {
        if (!p->pids[k])
            continue;
        if (*sent)
            signals_kill_worker(p->pids[k]);
        else
            signals_stop_worker(p->pids[k]);
    }
    *sent = seen;
}

static void count(const parent *p, run_stats *st)
{
    for (size_t i = 0; i < p->sh->njobs; i++) {
        const result_slot *r = &p->sh->results[i];
        int state = atomic_load(&r->state);
        if (state == RESULT_PENDING && !signals_stop_seen())
            fail_job((parent *)p, (long)i, "not processed: its worker exited early");
        state = atomic_load(&r->state);
        st->ok += state == RESULT_OK;
        st->uptodate += state == RESULT_UPTODATE;
        st->failed += state == RESULT_FAILED;
        st->not_done += state == RESULT_PENDING;
        st->warnings += r->warned;
    }
    st->signal = signals_stop_seen();
    st->broken = p->broken;
}

/* Sleeps until a signal arrives, or for at most 100 ms: the tick of the
 * time limit (always on) and the progress line. */
static void wait_event(void)
{
    struct timespec tick = {0, 100000000L};
    signals_wait(&tick);
}

static void supervise(parent *p)
{
    int sent = 0;
    while (p->alive > 0) {
        wait_event();
        stop_workers(p, &sent);
        reap(p);
        long long now = pool_now_ns();
        if (!signals_stop_seen())
            enforce_timeout(p, now);
        if (p->progress)
            progress_show(atomic_load(&p->sh->done), atomic_load(&p->sh->failed), p->sh->njobs,
                          p->start_ns, now);
    }
    if (p->progress) {
        progress_clear();
        msg_erase_first(0);
    }
}

pool_shared *run_jobs(const cli_options *opts, const job_list *jobs, int nworkers, run_stats *st)
{
    parent p = {
        .opts = opts, .jobs = jobs, .progress = progress_wanted(opts), .start_ns = pool_now_ns()};
    p.sh = pool_map(jobs->n, nworkers, jobs->ndirs, opts->report != NULL);
    p.pids = calloc((size_t)nworkers, sizeof *p.pids);
    p.timed_out = calloc((size_t)nworkers, sizeof *p.timed_out);
    if (!p.sh || !p.pids || !p.timed_out) {
        msg_line("thumbify: cannot set up the worker pool: %s", strerror(errno));
        pool_unmap(p.sh);
        p.sh = NULL;
    } else {
        signals_parent_install();
        msg_erase_first(p.progress);
        for (int k = 0; k < nworkers && !signals_stop_seen(); k++)
            if (spawn(&p, k) != 0 && p.alive == 0)
                break;
        supervise(&p);
        count(&p, st);
    }
    free(p.pids);
    free(p.timed_out);
    return p.sh;
}
