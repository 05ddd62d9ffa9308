/* main.c - thumbify's command line: parse, scan, run the workers, report.
 * Everything here is sequencing; each step lives in its own file. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "cpus.h"
#include "jobs.h"
#include "msg.h"
#include "options.h"
#include "run.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int workers_for(const cli_options *o, size_t njobs)
{
    int n = o->procs ? o->procs : usable_cpus();
    return (size_t)n > njobs ? (int)njobs : n;
}

static void summary(const run_stats *st, double secs)
{
    char tail[64] = "";
    if (st->signal)
        snprintf(tail, sizeof tail, ", %zu not done (interrupted)", st->not_done);
    msg_line("%zu thumbnail%s, %zu failed%s, %.2f s", st->ok, st->ok == 1 ? "" : "s", st->failed,
             tail, secs);
}

int main(int argc, char **argv)
{
    double t0 = now();
    cli_options o;
    char err[512];
    if (options_parse(argc, argv, &o, err, sizeof err) != OPTIONS_OK) {
        msg_line("thumbify: %s\n%s", err, options_usage);
        return 2;
    }
    if (o.help || o.version) {
        fputs(o.help ? options_help : "thumbify " TF_VERSION "\n", stdout);
        return fflush(stdout) == 0 ? 0 : 1;
    }
    job_list jobs = {0};
    if (jobs_scan(&o, &jobs) != 0) {
        msg_line("thumbify: out of memory while scanning");
        return 1;
    }
    jobs_make_dirs(&jobs);
    jobs_finalize(&jobs);
    run_stats st = {0};
    if (jobs.n > 0 && run_jobs(&o, &jobs, workers_for(&o, jobs.n), &st) != 0)
        return 1;
    st.failed += (size_t)jobs.failed;
    if (!o.quiet)
        summary(&st, now() - t0);
    jobs_free(&jobs);
    if (st.signal) {             /* die the way we were asked to */
        signal(st.signal, SIG_DFL);
        sigset_t set;
        sigemptyset(&set);
        sigaddset(&set, st.signal);
        sigprocmask(SIG_UNBLOCK, &set, NULL);
        raise(st.signal);
        return 128 + st.signal;
    }
    return st.failed ? 1 : 0;
}
