/* signals.c - thumbify's signal handling (see signals.h). */
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "signals.h"

/* ---- the parent: stop signals and SIGCHLD ---- */

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

/* Which stop signals we handle: one ignored when we started stays so. */
static int handled[NSTOP];
static sigset_t wait_mask; /* the mask to wait with (signals open) */

void signals_parent_install(void)
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
    sigprocmask(SIG_BLOCK, &block, &wait_mask);
}

int signals_stop_seen(void)
{
    return stop_signal;
}

int signals_stop_count(void)
{
    return stop_count;
}

void signals_wait(const struct timespec *tick)
{
    ppoll(NULL, 0, tick, &wait_mask);
}

int signals_child_start(pid_t parent)
{
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent)
        return -1;
    for (size_t i = 0; i < NSTOP; i++)
        if (handled[i])
            signal(stop_signals[i], SIG_DFL);
    signal(SIGCHLD, SIG_DFL);
    sigprocmask(SIG_SETMASK, &wait_mask, NULL);
    return 0;
}

void signals_stop_worker(pid_t pid)
{
    kill(pid, SIGTERM);
}

void signals_kill_worker(pid_t pid)
{
    kill(pid, SIGKILL);
}

const char *signals_name(int sig, char *buf, size_t cap)
{
    const char *abbrev = sigabbrev_np(sig);
    if (abbrev)
        snprintf(buf, cap, "SIG%s", abbrev);
    else
        snprintf(buf, cap, "signal %d", sig);
    return buf;
}

int signals_die_of(int sig)
{
    signal(sig, SIG_DFL);
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, sig);
    sigprocmask(SIG_UNBLOCK, &set, NULL);
    raise(sig);
    return 128 + sig;
}

void signals_mask_get(sigset_t *mask)
{
    sigprocmask(SIG_SETMASK, NULL, mask);
}

void signals_mask_set(const sigset_t *mask)
{
    sigprocmask(SIG_SETMASK, mask, NULL);
}

/* ---- a worker: SIGTERM held, SIGBUS guard ---- */

/* The mapping the SIGBUS handler may repair: one per process. */
static unsigned char *volatile guard_at;
static volatile size_t guard_len;
static volatile sig_atomic_t guard_hit;
static size_t page_size;

/* A read past the end of a file that shrank: the rest of the mapping is
 * replaced by zero pages (mmap is a plain system call on Linux), and the
 * access is retried. Any other bus error, or a SIGBUS sent by a process
 * (si_code <= 0), gets the default action. */
static void on_sigbus(int sig, siginfo_t *si, void *uc)
{
    (void)uc;
    unsigned char *a = si->si_addr, *m = guard_at;
    size_t n = guard_len;
    if (si->si_code > 0 && m && a >= m && a < m + n) {
        unsigned char *page = m + ((size_t)(a - m) & ~(page_size - 1));
        if (mmap(page, (size_t)(m + n - page), PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED,
                 -1, 0) != MAP_FAILED) {
            guard_hit = 1;
            return;
        }
    }
    struct sigaction dfl = {.sa_handler = SIG_DFL};
    sigaction(sig, &dfl, NULL);
    raise(sig); /* delivered when the handler returns */
}

static void install_bus_guard(void)
{
    long ps = sysconf(_SC_PAGESIZE);
    page_size = ps > 0 ? (size_t)ps : 4096;
    struct sigaction sa = {.sa_sigaction = on_sigbus, .sa_flags = SA_SIGINFO};
    sigemptyset(&sa.sa_mask);
    sigaction(SIGBUS, &sa, NULL);
}

void signals_worker_setup(void)
{
    signal(SIGINT, SIG_IGN);
    signal(SIGHUP, SIG_IGN);
    signal(SIGXFSZ, SIG_IGN);
    install_bus_guard();
}

static void term_mask(int how)
{
    sigset_t term;
    sigemptyset(&term);
    sigaddset(&term, SIGTERM);
    sigprocmask(how, &term, NULL);
}

void signals_hold_term(void)
{
    term_mask(SIG_BLOCK);
}

void signals_release_term(void)
{
    term_mask(SIG_UNBLOCK);
}

/* The handler reads guard_at first: it is set last and cleared first, so
 * the handler never sees a new address with an old length. */
void signals_guard_bus(void *map, size_t len)
{
    if (map) {
        guard_hit = 0;
        guard_len = len;
        guard_at = map;
    } else {
        guard_at = NULL;
        guard_len = 0;
    }
}

int signals_bus_hit(void)
{
    return guard_hit;
}
