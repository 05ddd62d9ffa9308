/* batch.c - a run from operands to report. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "batch.h"
#include "cpus.h"
#include "jobs.h"
#include "msg.h"
#include "plan.h"
#include "pool.h"
#include "prune.h"
#include "report.h"
#include "stamp.h"

static int workers_for(const cli_options *o, size_t njobs)
{
    int n = o->procs ? o->procs : usable_cpus();
    return (size_t)n > njobs ? (int)njobs : n;
}

/* -n: says on stdout what a run would do, writes nothing. uptodate[i]
 * records the answer for the report. */
static void dry_run(const cli_options *o, const job_list *jobs, unsigned char *uptodate,
                    run_stats *st)
{
    /* with --report - the report is the listing: stdout stays valid JSON */
    int listing = !(o->report && strcmp(o->report, "-") == 0);
    for (size_t i = 0; i < jobs->n; i++) {
        const job *j = &jobs->v[i];
        struct stat sb;
        char stamp[STAMP_MAX];
        int there = STAMP_NONE, e = 0;
        if (stat(j->src, &sb) == 0 && !o->force) {
            stamp_make(stamp, sizeof stamp, o, &sb);
            there = stamp_check(j->out, stamp);
            e = errno; /* STAMP_ERROR's why */
        }
        int fresh = there == STAMP_CURRENT;
        if (uptodate)
            uptodate[i] = (unsigned char)fresh;
        /* one line per file whatever its name: escaped as on stderr */
        char src[4 * 4096 + 1], out[sizeof src];
        if (listing && fresh)
            printf("up to date: %s\n", msg_escape(src, sizeof src, j->src));
        else if (listing && (there == STAMP_FOREIGN || there == STAMP_ERROR))
            printf("would not replace: %s -> %s (%s%s)\n", msg_escape(src, sizeof src, j->src),
                   msg_escape(out, sizeof out, j->out),
                   there == STAMP_ERROR ? "cannot read it: " : "not made by thumbify",
                   there == STAMP_ERROR ? strerror(e) : "");
        else if (listing)
            printf("would make: %s -> %s\n", msg_escape(src, sizeof src, j->src),
                   msg_escape(out, sizeof out, j->out));
        st->uptodate += (size_t)fresh;
        st->not_done += (size_t)!fresh;
    }
    fflush(stdout);
}

static double megapixels(const pool_shared *sh)
{
    double mp = 0;
    for (size_t i = 0; i < sh->njobs; i++)
        if (atomic_load(&sh->results[i].state) == RESULT_OK)
            mp += (double)sh->results[i].src_w * sh->results[i].src_h / 1e6;
    return mp;
}

/* --prune after the run; not after a stop (the run is not whole) nor when
 * an input could not be read (its thumbnails would look orphaned). */
static int prune(const cli_options *o, const job_list *jobs, run_stats *st, prune_list *removed)
{
    if (st->signal)
        return 0;
    if (jobs->failed) {
        msg_line("thumbify: --prune: nothing removed, as some inputs could not be read");
        return 0;
    }
    int failures = prune_run(o, jobs, removed);
    if (failures < 0) {
        msg_line("thumbify: out of memory while pruning");
        return -1;
    }
    st->failed += (size_t)failures;
    return 0;
}

int batch_run(const cli_options *o, batch_result *res)
{
    long long t0 = pool_now_ns();
    job_list jobs = {0};
    *res = (batch_result){0};
    if (jobs_scan(o, &jobs) != 0) {
        msg_line("thumbify: out of memory while scanning");
        jobs_free(&jobs);
        return -1;
    }
    /* said before the work, and before clashing jobs leave the list */
    int bad_report = o->report && plan_report_is_input(&jobs, o->report);
    if (plan_outputs(&jobs) != 0) {
        msg_line("thumbify: out of memory while planning the outputs");
        jobs_free(&jobs);
        return -1;
    }
    /* after the plan: a directory is made only for outputs to be written,
     * none for a clash refused */
    if (!o->dry_run)
        jobs_make_dirs(&jobs);
    jobs_order(&jobs);
    res->inputs = jobs.n;
    pool_shared *sh = NULL;
    unsigned char *uptodate = NULL;
    int rc = 0;
    if (o->dry_run) {
        uptodate = calloc(jobs.n + 1, 1);
        dry_run(o, &jobs, uptodate, &res->st);
    } else if (jobs.n > 0) {
        sh = run_jobs(o, &jobs, workers_for(o, jobs.n), &res->st);
        rc = sh ? 0 : -1;
    }
    prune_list removed = {0};
    if (o->prune && rc == 0)
        rc = prune(o, &jobs, &res->st, &removed);
    res->removed = removed.n;
    res->megapixels = sh ? megapixels(sh) : 0;
    res->seconds = (double)(pool_now_ns() - t0) / 1e9;
    if (o->report && rc == 0 &&
        (bad_report ||
         report_write(o, &jobs, sh, uptodate, o->prune ? &removed : NULL, &res->st, res->seconds)))
        res->st.failed++;
    res->st.failed += (size_t)jobs.failed;
    prune_free(&removed);
    pool_unmap(sh);
    free(uptodate);
    jobs_free(&jobs);
    return rc;
}
