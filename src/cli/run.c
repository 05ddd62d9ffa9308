/* run.c - fork, reap, replace, time out, stop.
 *
 * The parent blocks SIGCHLD and the stop signals, and waits for them in
 * ppoll() with the old mask: a signal can then only arrive while it waits,
 * so none is lost between checking and sleeping. ppoll's timeout wakes it
 * to enforce --timeout and redraw the progress line. */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "msg.h"
#include "progress.h"
#include "run.h"
#include "worker.h"

static volatile sig_atomic_t stop_signal; /* first stop signal seen */
static volatile sig_atomic_t stop_count;
static void on_stop(int sig)
{
    if (!stop_signal)
        stop_signal = sig;
    stop_count++;
}
static void on_child(int sig)
{
    (void)sig; /* only wakes ppoll */
}

static const int stop_signals[] = {SIGINT, SIGTERM, SIGHUP};
#define NSTOP (sizeof stop_signals / sizeof *stop_signals)

/* Which stop signals we handle: one ignored when we started (nohup, a
 * background job of a script) stays ignored, for us and the workers. */
static int handled[sizeof stop_signals / sizeof *stop_signals];

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
    sigset_t wait_mask; /* the mask to wait with (signals open) */
} parent;

static void install_handlers(parent *p)
{
    sigset_t block;
    sigemptyset(&block);
    sigaddset(&block, SIGCHLD);
    struct sigaction sa = {0}, old;
    sa.sa_handler = on_stop;
    for (size_t i = 0; i < NSTOP; i++) {
        handled[i] = sigaction(stop_signals[i], NULL, &old) == 0 && old.sa_handler != SIG_IGN;
        if (!handled[i])
            continue;
        sigaction(stop_signals[i], &sa, NULL);
        sigaddset(&block, stop_signals[i]);
    }
    sa.sa_handler = on_child;
    sigaction(SIGCHLD, &sa, NULL);
    sigprocmask(SIG_BLOCK, &block, &p->wait_mask);
}

/* A worker starts with default dispositions and the parent's old mask. */
static void child_signals(const parent *p)
{
    for (size_t i = 0; i < NSTOP; i++)
        if (handled[i])
            signal(stop_signals[i], SIG_DFL);
    signal(SIGCHLD, SIG_DFL);
    sigprocmask(SIG_SETMASK, &p->wait_mask, NULL);
}

static int spawn(parent *p, int k)
{
    fflush(NULL); /* nothing buffered may be written twice */
    pid_t parent_pid = getpid(), pid = fork();
    if (pid < 0) {
        msg_line("thumbify: cannot start a worker process: %s", strerror(errno));
        return -1;
    }
    if (pid == 0) {
        /* A worker dies with its parent (kill -9 of the run): nobody would
         * enforce --timeout on it any more. */
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (getppid() != parent_pid)
            _exit(WORKER_BROKEN);
        child_signals(p);
        _exit(worker_run(p->opts, p->jobs, p->sh, k));
    }
    p->pids[k] = pid;
    p->timed_out[k] = -1;
    p->alive++;
    return 0;
}

static const char *signal_name(int sig, char *buf, size_t cap)
{
    const char *abbrev = sigabbrev_np(sig);
    if (abbrev)
        snprintf(buf, cap, "SIG%s", abbrev);
    else
        snprintf(buf, cap, "signal %d", sig);
    return buf;
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
    if (stop_signal)
        return; /* we ended it ourselves */
    char name[32];
    snprintf(why, sizeof why, "worker killed by %s", signal_name(sig, name, sizeof name));
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
        if (!stop_signal && atomic_load(&p->sh->next) < p->sh->njobs)
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
        kill(p->pids[k], SIGKILL);
    }
}

/* First stop signal: hand out nothing more and end the workers, whose
 * temp files bury() removes. Later ones: SIGKILL, for a worker stuck. */
static void stop_workers(parent *p, int *sent)
{
    if (!stop_signal || *sent == stop_count)
        return;
    atomic_store(&p->sh->stop, 1);
    for (int k = 0; k < p->sh->nworkers; k++)
        if (p->pids[k])
            kill(p->pids[k], *sent ? SIGKILL : SIGTERM);
    *sent = stop_count;
}

static void count(const parent *p, run_stats *st)
{
    for (size_t i = 0; i < p->sh->njobs; i++) {
        const result_slot *r = &p->sh->results[i];
        int state = atomic_load(&r->state);
        if (state == RESULT_PENDING && !stop_signal)
            fail_job((parent *)p, (long)i, "not processed: its worker exited early");
        state = atomic_load(&r->state);
        st->ok += state == RESULT_OK;
        st->uptodate += state == RESULT_UPTODATE;
        st->failed += state == RESULT_FAILED;
        st->not_done += state == RESULT_PENDING;
        st->warnings += r->warned;
    }
    st->signal = stop_signal;
    st->broken = p->broken;
}

/* Sleeps until a signal arrives, or for at most 100 ms: the tick of the
 * time limit (always on) and the progress line. */
static void wait_event(parent *p)
{
    struct timespec tick = {0, 100000000L};
    ppoll(NULL, 0, &tick, &p->wait_mask);
}

static void supervise(parent *p)
{
    int sent = 0;
    while (p->alive > 0) {
        wait_event(p);
        stop_workers(p, &sent);
        reap(p);
        long long now = pool_now_ns();
        if (!stop_signal)
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
        install_handlers(&p);
        msg_erase_first(p.progress);
        for (int k = 0; k < nworkers && !stop_signal; k++)
            if (spawn(&p, k) != 0 && p.alive == 0)
                break;
        supervise(&p);
        count(&p, st);
    }
    free(p.pids);
    free(p.timed_out);
    return p.sh;
}
