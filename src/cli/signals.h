/* signals.h - every signal thumbify handles, blocks or sends, in one place.
 *
 * The parent (run.c) catches the stop signals (SIGINT, SIGTERM, SIGHUP)
 * and SIGCHLD, keeps them blocked, and waits for them in ppoll() with the
 * mask it started with: a signal can then only arrive while it waits, so
 * none is lost between checking and sleeping. A stop signal ignored when
 * thumbify started (nohup, a background job of a script) stays ignored,
 * for the parent and the workers. The first stop sends the workers
 * SIGTERM, a later one SIGKILL; a run stopped by a signal ends by dying of
 * it (main.c), as a shell expects.
 *
 * A worker ignores SIGINT and SIGHUP (the terminal's Ctrl-C reaches the
 * whole process group; the parent decides) and SIGXFSZ (a file-size limit
 * fails the write with EFBIG instead); it holds SIGTERM from the write of
 * a thumbnail until that thumbnail is counted. Its SIGBUS handler turns a
 * mapped source that shrank into zero pages (source.c).
 *
 * The handlers only store to volatile sig_atomic_t variables, or call
 * mmap, sigaction and raise: all async-signal-safe. */
#ifndef THUMBIFY_SIGNALS_H
#define THUMBIFY_SIGNALS_H

#include <signal.h>
#include <stddef.h>
#include <sys/types.h>
#include <time.h>

/* The parent: catches the stop signals (those not ignored) and SIGCHLD,
 * and blocks them; the mask it found is the one signals_wait opens. */
void signals_parent_install(void);

/* The first stop signal caught, or 0; how many were caught in all. */
int signals_stop_seen(void);
int signals_stop_count(void);

/* Sleeps until a signal arrives or tick has passed, with the signals the
 * parent blocks open. */
void signals_wait(const struct timespec *tick);

/* First in a forked worker: it dies with the parent (nobody would enforce
 * --timeout on it any more) and starts with the default dispositions and
 * the parent's old mask. -1 when the parent is already gone. */
int signals_child_start(pid_t parent);

/* The parent ending a worker: asks it to stop (SIGTERM, which waits for a
 * thumbnail being written), or kills it (SIGKILL: time limit, stuck). */
void signals_stop_worker(pid_t pid);
void signals_kill_worker(pid_t pid);

/* "SIGSEGV", or "signal 40" for one without a name, into buf. */
const char *signals_name(int sig, char *buf, size_t cap);

/* Dies of sig, as a shell expects of a run it stopped; returns 128 + sig
 * should it survive. */
int signals_die_of(int sig);

/* The process's signal mask, to take and to put back (bench: each timed
 * run starts from bench's own mask, not the one a run left blocked). */
void signals_mask_get(sigset_t *mask);
void signals_mask_set(const sigset_t *mask);

/* A worker's process-wide dispositions: SIGINT, SIGHUP, SIGXFSZ ignored;
 * the SIGBUS handler installed. */
void signals_worker_setup(void);

/* Holds SIGTERM (from the write of a thumbnail) and lets it in again
 * (once the thumbnail is counted). */
void signals_hold_term(void);
void signals_release_term(void);

/* The one mapping the SIGBUS handler may repair (NULL: none); whether it
 * did since the mapping was guarded. */
void signals_guard_bus(void *map, size_t len);
int signals_bus_hit(void);

#endif
