/* report.c - the JSON report. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "msg.h"
#include "report.h"
#include "reportfile.h"
#include "thumbfacts.h"

static const char *status_name(int state)
{
    switch (state) {
    case RESULT_OK: return "ok";
    case RESULT_UPTODATE: return "up to date";
    case RESULT_FAILED: return "failed";
    }
    return "skipped";
}

static const char *format_name(tf_format fmt)
{
    return fmt == TF_FORMAT_JPEG ? "jpeg" : fmt == TF_FORMAT_PNG ? "png" : NULL;
}

/* The manifest's part of a record: the thumbnail's size and format, its
 * source's size and format. A thumbnail made or up to date tells them
 * itself (header and stamp; see thumbfacts.h); otherwise the scan knows
 * the source's size and the name the output format; the rest is null. */
static void facts(FILE *f, const job *j, const result_slot *r, int state)
{
    thumb_facts tf = {.src_size = -1};
    if (state == RESULT_OK || state == RESULT_UPTODATE)
        thumbfacts_read(j->out, &tf);
    if (tf.w <= 0 && r && r->src_w && state == RESULT_OK) /* made, but replaced since */
        tf.w = r->out_w, tf.h = r->out_h;
    json_int_or_null(f, "width", tf.w, tf.w > 0);
    json_int_or_null(f, "height", tf.h, tf.h > 0);
    json_int_or_null(f, "source_size", tf.src_size >= 0 ? tf.src_size : (long long)j->size, 1);
    fputs(", \"source_format\": ", f);
    json_string(f, *tf.src_format ? tf.src_format : NULL);
    fputs(", \"output_format\": ", f);
    json_string(f, tf.format ? tf.format : format_name(j->fmt));
}

/* What a record says about the output, not about this run: the digest's
 * input. A thumbnail made now or found up to date is the same output; a
 * warning is said only when it is made, so only a failure's message
 * counts. */
static void outcome(FILE *p, const job *j, const char *msg, int state, const char *fact_text)
{
    json_string(p, j->src);
    json_string(p, j->out);
    fprintf(p, "%d", state == RESULT_UPTODATE ? RESULT_OK : state);
    if (state == RESULT_FAILED)
        json_string(p, msg);
    fprintf(p, "%s\n", fact_text);
}

/* One record into f, its outcome into p. */
static void record(FILE *f, FILE *p, const job *j, const result_slot *r, const char *msg, int state)
{
    char *fact_text = NULL;
    size_t fact_len = 0;
    FILE *ff = open_memstream(&fact_text, &fact_len);
    if (ff) {
        facts(ff, j, r, state);
        fclose(ff);
    }
    msg = msg && *msg ? msg : NULL;
    fputs("    {\"source\": ", f);
    json_string(f, j->src);
    fputs(", \"output\": ", f);
    json_string(f, j->out);
    fprintf(f, ", \"status\": \"%s\", \"message\": ", status_name(state));
    json_string(f, msg);
    if (r && r->src_w)
        fprintf(f,
                ", \"source_width\": %d, \"source_height\": %d, \"decode\": \"%s\", "
                "\"scale\": \"1/%d\"",
                r->src_w, r->src_h, tf_path_str((tf_path)r->path), r->scale_denom);
    fputs(fact_text ? fact_text : "", f);
    fprintf(f, ", \"ms\": %.2f}", r ? (double)r->ms : 0.0);
    outcome(p, j, msg, state, fact_text ? fact_text : "");
    free(fact_text);
}

static const job_list *sorting; /* for by_source: qsort has no context */

static int by_source(const void *a, const void *b)
{
    return strcmp(sorting->v[*(const size_t *)a].src, sorting->v[*(const size_t *)b].src);
}

/* The jobs' indices in the byte order of their source paths (the jobs run
 * largest first): the same inputs give the same report. */
static size_t *source_order(const job_list *jobs)
{
    size_t *ix = malloc((jobs->n + 1) * sizeof *ix);
    for (size_t i = 0; ix && i < jobs->n; i++)
        ix[i] = i;
    sorting = jobs;
    if (ix)
        qsort(ix, jobs->n, sizeof *ix, by_source);
    return ix;
}

static void removed_list(FILE *f, const prune_list *removed)
{
    fputs("  \"removed\": [", f);
    for (size_t i = 0; i < removed->n; i++) {
        fputs(i ? ",\n    " : "\n    ", f);
        json_string(f, removed->v[i]);
    }
    fputs(removed->n ? "\n  ],\n" : "],\n", f);
}

/* FNV-1a 64 of text[0..len). */
static unsigned long long fnv1a(const char *text, size_t len)
{
    unsigned long long h = 0xcbf29ce484222325ULL;
    for (size_t i = 0; i < len; i++)
        h = (h ^ (unsigned char)text[i]) * 0x100000001b3ULL;
    return h;
}

/* Whether jobs a and a + 1 are one source's, of one group (jobs.h). */
static int same_group(const job_list *jobs, size_t a)
{
    const job *x = &jobs->v[a], *y = &jobs->v[a + 1];
    return y->box > x->box && strcmp(x->src, y->src) == 0;
}

/* Job i's message. The worker says a decode's warning once, on the first
 * size made from it; the other sizes made from that decode (warned) have
 * no message of their own, and take that one: each record of the source
 * says what its thumbnail was made from. */
static const char *message(const job_list *jobs, const pool_shared *sh, size_t i)
{
    static const char warning[] = "warning: ";
    if (sh->msgs[i][0] || !sh->results[i].warned)
        return sh->msgs[i];
    size_t k = i, end = i;
    while (k > 0 && same_group(jobs, k - 1))
        k--;
    while (end + 1 < jobs->n && same_group(jobs, end))
        end++;
    for (; k <= end; k++)
        if (sh->results[k].warned && strncmp(sh->msgs[k], warning, sizeof warning - 1) == 0)
            return sh->msgs[k];
    return sh->msgs[i];
}

/* The records, in the byte order of the source paths, into f; what they
 * say about the outputs into p. */
static int records(FILE *f, FILE *p, const job_list *jobs, const pool_shared *sh,
                   const unsigned char *uptodate)
{
    size_t *order = source_order(jobs);
    if (!order)
        return -1;
    for (size_t k = 0; k < jobs->n; k++) {
        size_t i = order[k];
        const result_slot *r = sh ? &sh->results[i] : NULL;
        int state = r                         ? atomic_load(&r->state)
                    : uptodate && uptodate[i] ? RESULT_UPTODATE
                                              : RESULT_PENDING;
        record(f, p, &jobs->v[i], r, sh && sh->msgs ? message(jobs, sh, i) : NULL, state);
        fputs(k + 1 < jobs->n ? ",\n" : "\n", f);
    }
    free(order);
    return 0;
}

/* The report into f; its "digest" line into digest (DIGEST_MAX bytes): a
 * hash of what it says about the outputs, for reportfile_save. */
#define DIGEST_MAX 48
static int body(FILE *f, char *digest, const cli_options *o, const job_list *jobs,
                const pool_shared *sh, const unsigned char *uptodate, const prune_list *removed,
                const run_stats *st, double seconds)
{
    char *recs = NULL, *outs = NULL;
    size_t rlen = 0, olen = 0;
    FILE *fr = open_memstream(&recs, &rlen), *fo = open_memstream(&outs, &olen);
    int rc = fr && fo ? records(fr, fo, jobs, sh, uptodate) : -1;
    /* not the removed files: like ok or up to date, what a run did, not
     * what the output tree holds (a later run that removes nothing would
     * otherwise rewrite a report saying the same of the tree) */
    if (fo)
        fprintf(fo, "%s %d\n", TF_VERSION, o->dry_run);
    if ((fr && fclose(fr) != 0) || (fo && fclose(fo) != 0) || !recs || !outs)
        rc = -1;
    if (rc == 0) {
        snprintf(digest, DIGEST_MAX, "\"digest\": \"%016llx\"", fnv1a(outs, olen));
        fprintf(f, "{\n  \"thumbify\": \"%s\",\n  %s,\n  \"dry_run\": %s,\n  \"files\": [\n",
                TF_VERSION, digest, o->dry_run ? "true" : "false");
        fwrite(recs, 1, rlen, f);
        fputs("  ],\n", f);
        if (removed)
            removed_list(f, removed);
        fprintf(f,
                "  \"totals\": {\"inputs\": %zu, \"ok\": %zu, \"up_to_date\": %zu, "
                "\"failed\": %zu, \"skipped\": %zu, \"warnings\": %zu, \"path_errors\": %d, "
                "\"seconds\": %.3f}\n}\n",
                jobs->n, st->ok, st->uptodate, st->failed, st->not_done, st->warnings, jobs->failed,
                seconds);
    }
    free(recs);
    free(outs);
    return rc;
}

int report_write(const cli_options *o, const job_list *jobs, const pool_shared *sh,
                 const unsigned char *uptodate, const prune_list *removed, const run_stats *st,
                 double seconds)
{
    int to_stdout = strcmp(o->report, "-") == 0;
    const char *name = to_stdout ? "stdout" : o->report;
    char *text = NULL, digest[DIGEST_MAX];
    size_t len = 0;
    FILE *mem = open_memstream(&text, &len);
    int rc = mem ? body(mem, digest, o, jobs, sh, uptodate, removed, st, seconds) : -1;
    if (mem && fclose(mem) != 0)
        rc = -1;
    if (rc == 0 && to_stdout)
        rc = fwrite(text, 1, len, stdout) == len && fflush(stdout) == 0 ? 0 : -1;
    else if (rc == 0)
        rc = reportfile_save(o->report, text, len, digest);
    if (rc != 0)
        msg_error(name, "cannot write the report: %s", strerror(errno));
    free(text);
    return rc;
}
