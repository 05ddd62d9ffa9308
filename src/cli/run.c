/* run.c - fork, reap, replace, stop.
 *
 * The parent blocks SIGCHLD and the stop signals, and waits for them in
 * ppoll() with the old mask: a signal can then only arrive while it waits,
 * so none is lost between checking and sleeping. */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "msg.h"
#include "pool.h"
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

typedef struct parent {
    const cli_options *opts;
    const job_list *jobs;
    pool_shared *sh;
    pid_t *pids;                 /* per worker slot; 0 = not running */
    int alive;
    sigset_t wait_mask;          /* the mask to wait with (signals open) */
} parent;

static void install_handlers(parent *p)
{
    sigset_t block;
    sigemptyset(&block);
    sigaddset(&block, SIGCHLD);
    struct sigaction sa = {0};
    sa.sa_handler = on_stop;
    for (size_t i = 0; i < sizeof stop_signals / sizeof *stop_signals; i++) {
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
    for (size_t i = 0; i < sizeof stop_signals / sizeof *stop_signals; i++)
        signal(stop_signals[i], SIG_DFL);
    signal(SIGCHLD, SIG_DFL);
    sigprocmask(SIG_SETMASK, &p->wait_mask, NULL);
}

static int spawn(parent *p, int k)
{
    fflush(NULL); /* nothing buffered may be written twice */
    pid_t pid = fork();
    if (pid < 0) {
        msg_line("thumbify: cannot start a worker process: %s", strerror(errno));
        return -1;
    }
    if (pid == 0) {
        child_signals(p);
        _exit(worker_run(p->opts, p->jobs, p->sh, k));
    }
    p->pids[k] = pid;
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

/* A worker that died by a signal: fail the job it was on, remove the temp
 * file it may have left, and report it by name. */
static void bury(parent *p, int k, pid_t pid, int sig)
{
    worker_slot *ws = &p->sh->workers[k];
    if (ws->tmp[0])
        unlink(ws->tmp);
    ws->tmp[0] = '\0';
    long i = atomic_load(&ws->current);
    atomic_store(&ws->current, -1);
    if (stop_signal)
        return; /* we killed it ourselves */
    char name[32];
    signal_name(sig, name, sizeof name);
    if (i >= 0) {
        atomic_store(&p->sh->results[i].state, RESULT_FAILED);
        msg_error(p->jobs->v[i].src, "worker killed by %s", name);
    } else {
        msg_line("thumbify: worker process %ld killed by %s", (long)pid, name);
    }
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
        if (!WIFSIGNALED(status))
            continue;
        bury(p, k, pid, WTERMSIG(status));
        if (!stop_signal && atomic_load(&p->sh->next) < p->sh->njobs)
            spawn(p, k);
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
        if (state == RESULT_OK)
            st->ok++;
        else if (state == RESULT_FAILED)
            st->failed++;
        else if (stop_signal)
            st->not_done++;
        else {                   /* claimed, then its worker vanished */
            msg_error(p->jobs->v[i].src, "not processed: its worker exited early");
            st->failed++;
        }
        st->warnings += r->warnings > 0;
    }
    st->signal = stop_signal;
}

int run_jobs(const cli_options *opts, const job_list *jobs, int nworkers, run_stats *st)
{
    parent p = {opts, jobs, pool_map(jobs->n, nworkers), calloc((size_t)nworkers, sizeof(pid_t)),
                0, {{0}}};
    if (!p.sh || !p.pids) {
        msg_line("thumbify: cannot set up the worker pool: %s", strerror(errno));
        pool_unmap(p.sh);
        free(p.pids);
        return -1;
    }
    install_handlers(&p);
    for (int k = 0; k < nworkers && !stop_signal; k++)
        if (spawn(&p, k) != 0 && p.alive == 0)
            break;
    int sent = 0;
    while (p.alive > 0) {
        ppoll(NULL, 0, NULL, &p.wait_mask);
        stop_workers(&p, &sent);
        reap(&p);
    }
    count(&p, st);
    pool_unmap(p.sh);
    free(p.pids);
    return 0;
}
