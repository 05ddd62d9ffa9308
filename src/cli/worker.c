/* worker.c - per-job work inside a forked worker: read the source, call the
 * core, write the thumbnail atomically. One tf_ctx and one read buffer
 * serve every job, so large buffers are allocated once per worker. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <malloc.h>
#include <signal.h> /* raise, for the test hooks */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "msg.h"
#include "outdir.h"
#include "outfile.h"
#include "signals.h"
#include "source.h"
#include "stamp.h"
#include "testhook.h"
#include "worker.h"

typedef struct worker {
    const cli_options *o;
    const job_list *jobs;
    pool_shared *sh;
    int k;
    tf_ctx *ctx;
    source src; /* the current source file */
    long i;     /* the current job */
    const job *j;
    result_slot *rs;
    long first;                 /* the group: jobs first .. first + n - 1, one source's */
    size_t n;                   /* sizes, made from one decode */
    int state[TF_MAX_BOXES];    /* each one's RESULT_* */
    int make[TF_MAX_BOXES];     /* the ones to make, of the group */
    tf_box boxes[TF_MAX_BOXES]; /* ... their sizes */
    tf_result res[TF_MAX_BOXES];
    int nmake;
} worker;

/* Says something about the current job on stderr and, when a report is
 * being made, keeps the first thing said in its shared message slot. */
__attribute__((format(printf, 3, 4))) static void say(worker *w, int warning, const char *fmt, ...)
{
    char text[PATH_MAX + 512]; /* whole: a path and the core's longest message fit */
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    if (warning)
        msg_warning(w->j->src, "%s", text);
    else
        msg_error(w->j->src, "%s", text);
    if (w->sh->msgs && !w->sh->msgs[w->i][0])
        snprintf(w->sh->msgs[w->i], RESULT_MSG_MAX, "%s%.300s", warning ? "warning: " : "", text);
}

#ifdef THUMBIFY_TESTING
/* Test-only fault injection, compiled only into thumbify-hooked (tests/): a
 * source whose path contains $THUMBIFY_TEST_CRASH kills its worker with
 * SIGSEGV, as a decoder bug would; one containing $THUMBIFY_TEST_HANG
 * makes it hang, as a decoder stuck in a loop would; one containing
 * $THUMBIFY_TEST_TRUNCATE is cut to 1000 bytes right after it was taken,
 * as another program truncating it during the decode would. */
static void inject_truncation(const char *path)
{
    const char *cut = getenv("THUMBIFY_TEST_TRUNCATE");
    if (cut && *cut && strstr(path, cut) && truncate(path, 1000) != 0)
        abort();
}

static void inject_faults(const char *path)
{
    const char *crash = getenv("THUMBIFY_TEST_CRASH"), *hang = getenv("THUMBIFY_TEST_HANG");
    if (crash && *crash && strstr(path, crash))
        raise(SIGSEGV);
    while (hang && *hang && strstr(path, hang))
        pause();
}
#else
static void inject_truncation(const char *path)
{
    (void)path;
}

static void inject_faults(const char *path)
{
    (void)path;
}
#endif

/* Takes the file, or its first limit bytes, into w->src; says why not. */
static int take_source(worker *w, struct stat *st, size_t limit)
{
    source_failure what;
    source_close(&w->src);
    if (source_open(&w->src, w->j->src, limit, st, &what) == 0) {
        inject_truncation(w->j->src);
        return 0;
    }
    if (what == SOURCE_MEMORY)
        say(w, 0, "out of memory reading %lld bytes", (long long)st->st_size);
    else if (what == SOURCE_TYPE)
        say(w, 0, "not a regular file (any more); not read");
    else
        say(w, 0, "cannot %s: %s", source_failure_name(what), strerror(errno));
    return -1;
}

/* The core on the taken source; says why not. A source that shrank while
 * mapped gave zeros for its lost end: whatever came out is not its
 * thumbnail. */
static int run_core(worker *w, const tf_params *params, int quiet)
{
    tf_status st =
        tf_thumbnails(w->ctx, w->src.data, w->src.len, params, w->boxes, w->nmake, w->res);
    int changed = source_changed(&w->src);
    source_close(&w->src); /* the thumbnail is in w->ctx, not in the source */
    if (changed) {
        say(w, 0, "the file changed while being read; not written");
        return -1;
    }
    if (st != TF_OK && !quiet)
        say(w, 0, "%s", tf_message(w->ctx));
    return st == TF_OK ? 0 : 1;
}

/* Reports damage; under --strict it fails the file. */
static int judge_warnings(worker *w, const tf_result *r)
{
    if (!r->warnings)
        return 0;
    if (w->o->strict) {
        say(w, 0, "%s (failed: --strict)", tf_message(w->ctx));
        return -1;
    }
    say(w, 1, "%s", tf_message(w->ctx));
    return 0;
}

/* Refuses to replace the source itself (-o pointing at the source's own
 * directory, or a hard link): the rename would destroy it. */
static int would_replace_source(int dirfd, const char *name, const struct stat *src)
{
    struct stat st;
    return fstatat(dirfd, name, &st, 0) == 0 && st.st_dev == src->st_dev &&
           st.st_ino == src->st_ino;
}

/* Errors that will hit every file in that directory: say so once, and
 * let the other workers skip its files quietly. */
static int dir_level(int e)
{
    return e == EACCES || e == EROFS || e == ENOSPC || e == EDQUOT || e == ENOENT || e == ENOTDIR ||
           e == EPERM;
}

static void dir_unusable(worker *w, const char *why)
{
    if (atomic_exchange(&w->sh->dir_broken[w->j->dir], 1) == 0)
        msg_error(w->jobs->dirs[w->j->dir].path,
                  "output directory unusable: %s; its remaining images are skipped", why);
}

/* The job's output directory, opened anew for each thumbnail so that a
 * symlink swapped in for one of its components since is refused (see
 * outdir.h); says why not, once for the whole directory. */
static int open_out_dir(worker *w, const char *out)
{
    const out_dir *d = &w->jobs->dirs[w->j->dir];
    char why[PATH_MAX + 64];
    testhook_stop("THUMBIFY_TEST_STOP_DIR", out);
    int fd = outdir_open(d->path, d->trusted, 0, why, sizeof why);
    if (fd < 0) {
        if (dir_level(errno) || errno == ELOOP)
            dir_unusable(w, why);
        say(w, 0, "cannot write %s: %s: %s", out, d->path, why);
    }
    return fd;
}

/* The guard of a thumbnail's rename (see outfile.h), asked when a file
 * has its name: that file is replaced only when it is a thumbnail thumbify
 * made. One another run made meanwhile, for the same source or an older
 * version of it, is replaced like any stale thumbnail: both runs end with
 * a thumbnail of the source as they read it, the last rename wins. */
typedef struct rename_check {
    const char *stamp;
    int unreadable; /* errno of a file there that could not be read, or 0 */
} rename_check;

static int thumbnail_replaceable(int dirfd, const char *name, void *arg)
{
    rename_check *c = arg;
    c->unreadable = 0; /* asked again on each try: the last one's answer */
    switch (stamp_check_at(dirfd, name, c->stamp)) {
    case STAMP_NONE: return -1;
    case STAMP_FOREIGN: return 0;
    case STAMP_ERROR: c->unreadable = errno; return 0;
    default: return 1;
    }
}

static int write_thumbnail(worker *w, const tf_result *r, int dirfd, const char *out, char *stamp)
{
    outfile_step what;
    worker_slot *ws = &w->sh->workers[w->k];
    rename_check check = {stamp, 0};
    outfile_guard guard = {thumbnail_replaceable, &check};
    /* -f replaces whatever is there */
    if (outfile_write(dirfd, out, r->data, r->size, w->o->sync, w->o->force ? NULL : &guard,
                      ws->tmp, sizeof ws->tmp, &what) == 0)
        return 0;
    int e = errno;
    if (what == OUTFILE_EXISTS && check.unreadable) {
        say(w, 0, "cannot read %s: %s; kept, not replaced", out, strerror(check.unreadable));
        return -1;
    }
    if (what == OUTFILE_EXISTS) {
        say(w, 0,
            "%s was made by something else while its thumbnail was being made and is not a "
            "thumbnail made by thumbify; kept, not replaced (-f replaces it)",
            out);
        return -1;
    }
    /* a full disk or quota shows up when writing, not when creating */
    if (dir_level(e) && (what == OUTFILE_CREATE || e == ENOSPC || e == EDQUOT)) {
        dir_unusable(w, strerror(e));
        say(w, 0, "cannot write %s: %s", out, strerror(e));
        return -1;
    }
    say(w, 0, "cannot %s %s: %s", outfile_step_name(what), out, strerror(e));
    return -1;
}

/* -v: "SOURCE: WxH -> WxH (...) -> OUTPUT", like cp -v's lines a report of
 * what was done, not prefixed "thumbify:" as the errors and warnings are, so
 * that a grep for "^thumbify:" finds the trouble alone. */
static void verbose_line(worker *w, const tf_result *r, const char *out)
{
    char orient[16] = "";
    if (r->orientation != 1)
        snprintf(orient, sizeof orient, ", orientation %d", r->orientation);
    msg_line("%s: %dx%d -> %dx%d (%s decode at 1/%d%s%s%s) -> %s", w->j->src, r->src_w, r->src_h,
             r->out_w, r->out_h, tf_path_str(r->path), r->scale_denom, orient,
             r->note[0] ? "; " : "", r->note, out);
}

static void record(result_slot *rs, const tf_result *r)
{
    rs->warned = r->warnings > 0;
    rs->path = (unsigned char)r->path;
    rs->src_w = r->src_w;
    rs->src_h = r->src_h;
    rs->out_w = r->out_w;
    rs->out_h = r->out_h;
    rs->scale_denom = r->scale_denom;
}

/* --embedded on a large file: the EXIF thumbnail and every header before
 * the first scan sit at its start, so that is read alone first; only when
 * the thumbnail cannot stand in (or the headers run past it) is the whole
 * file read. A camera photo is then a tenth of its bytes. Returns 1 when
 * *r holds the thumbnail, 0 to read the whole file, -1 when the file
 * cannot be read (said). */
/* The text the thumbnail carries (comment, STAMP_MAX bytes): the
 * stamp of the source as taken (it may have changed since it was checked)
 * and what the source is. */
static void label(const worker *w, const struct stat *st, char *comment)
{
    char stamp[STAMP_MAX];
    stamp_make(stamp, sizeof stamp, w->o, st);
    stamp_describe(comment, STAMP_MAX, stamp, w->src.data, w->src.len);
}

static int embedded_from_start(worker *w, struct stat *st, tf_params *params, char *comment)
{
    enum { HEAD = 256 << 10 };
    if (!params->use_embedded || st->st_size <= 2 * HEAD)
        return 0;
    if (take_source(w, st, HEAD) != 0)
        return -1;
    label(w, st, comment);
    params->embedded_only = 1;
    int rc = run_core(w, params, 1);
    params->embedded_only = 0;
    return rc < 0 ? -1 : rc == 0;
}

/* Writes the thumbnail to out through its directory's descriptor. */
static int deliver(worker *w, const tf_result *r, const char *out, const struct stat *src,
                   char *stamp)
{
    int dirfd = open_out_dir(w, out);
    if (dirfd < 0)
        return RESULT_FAILED;
    const char *slash = strrchr(out, '/');
    int state = RESULT_FAILED;
    if (would_replace_source(dirfd, slash ? slash + 1 : out, src)) {
        say(w, 0, "output %s is the source itself; not written", out);
    } else {
        /* A stop (SIGTERM from the parent) waits until this thumbnail is
         * both written and counted: worker_run unblocks it after
         * pool_finish. */
        signals_hold_term();
        if (write_thumbnail(w, r, dirfd, out, stamp) == 0)
            state = RESULT_OK;
    }
    close(dirfd);
    if (state == RESULT_OK && w->o->verbose)
        verbose_line(w, r, out);
    return state;
}

/* --name with %w/%h: the name was made from the header the parent read
 * (jobs_name.c); a thumbnail of another size (the source changed since)
 * is not written under a name that says otherwise. */
static int name_lies(worker *w, const tf_result *r)
{
    const job *j = w->j;
    if (!j->name_w || (r->out_w == j->name_w && r->out_h == j->name_h))
        return 0;
    say(w, 0,
        "the thumbnail is %dx%d, not the %dx%d its name %s says (the source changed?); "
        "not written",
        r->out_w, r->out_h, j->name_w, j->name_h, j->out);
    return 1;
}

/* Makes job first + k of the group the current one (say, record). */
static void focus(worker *w, int k)
{
    w->i = w->first + k;
    w->j = &w->jobs->v[w->i];
    w->rs = &w->sh->results[w->i];
}

/* Every job of the group still to make failed for what was said about
 * the current one: the report says so for each. */
static void fail_made(worker *w)
{
    for (int m = 0; m < w->nmake; m++) {
        w->state[w->make[m]] = RESULT_FAILED;
        if (w->sh->msgs && w->first + w->make[m] != w->i)
            memcpy(w->sh->msgs[w->first + w->make[m]], w->sh->msgs[w->i], RESULT_MSG_MAX);
    }
}

/* What the current job's output needs: RESULT_PENDING to be made, else
 * its final state (up to date, or not to be touched). */
static int check_out(worker *w, const char *stamp)
{
    if (atomic_load(&w->sh->dir_broken[w->j->dir])) {
        /* said once on stderr, for the whole directory; the report still
         * says why this file has no thumbnail */
        if (w->sh->msgs)
            snprintf(w->sh->msgs[w->i], RESULT_MSG_MAX, "output directory unusable");
        return RESULT_FAILED;
    }
    int there = w->o->force ? STAMP_NONE : stamp_check(w->j->out, stamp);
    if (there == STAMP_CURRENT)
        return RESULT_UPTODATE;
    if (there == STAMP_ERROR) { /* kept: who made it is not known */
        say(w, 0, "cannot read %s: %s", w->j->out, strerror(errno));
        return RESULT_FAILED;
    }
    if (there == STAMP_FOREIGN) {
        say(w, 0,
            "%s exists and is not a thumbnail made by thumbify; not replaced (-f replaces it)",
            w->j->out);
        return RESULT_FAILED;
    }
    return RESULT_PENDING;
}

/* The thumbnails of every size still to make, from one decode, into
 * w->res: 0, or -1 when the source failed (said). */
static int make_pixels(worker *w, struct stat *st, char *comment)
{
    tf_params params = w->o->params;
    params.format = w->j->fmt; /* one name, one format, whatever the size */
    params.comment = comment;
    int got = embedded_from_start(w, st, &params, comment);
    if (got < 0)
        return -1;
    if (!got) {
        if (take_source(w, st, SIZE_MAX) != 0)
            return -1;
        label(w, st, comment); /* as read, if it changed */
        if (run_core(w, &params, 0) != 0)
            return -1;
    }
    for (int m = 0; m < w->nmake; m++)
        record(&w->sh->results[w->first + w->make[m]], &w->res[m]);
    if (w->nmake > 1 && w->o->verbose)
        msg_line("%s: one %s decode at 1/%d for %d sizes", w->j->src, tf_path_str(w->res[0].path),
                 w->res[0].scale_denom, w->nmake);
    return judge_warnings(w, &w->res[0]);
}

/* The group from w->first: each size's output checked, the ones to make
 * made from one decode and written; w->state says how each ended. */
static void make_group(worker *w)
{
    struct stat st;
    char stamp[STAMP_MAX], comment[STAMP_MAX];
    w->nmake = 0;
    focus(w, 0);
    inject_faults(w->j->src);
    if (stat(w->j->src, &st) != 0) {
        say(w, 0, "cannot access: %s", strerror(errno));
        for (size_t k = 0; k < w->n; k++)
            w->make[w->nmake++] = (int)k;
        fail_made(w);
        return;
    }
    stamp_make(stamp, sizeof stamp, w->o, &st);
    for (size_t k = 0; k < w->n; k++) {
        focus(w, (int)k);
        w->state[k] = check_out(w, stamp);
        if (w->state[k] == RESULT_PENDING) {
            w->boxes[w->nmake] = w->o->sizes[w->j->box];
            w->make[w->nmake++] = (int)k;
        }
    }
    if (!w->nmake)
        return;
    focus(w, w->make[0]);
    if (make_pixels(w, &st, comment) != 0) {
        fail_made(w);
        return;
    }
    for (int m = 0; m < w->nmake; m++) {
        focus(w, w->make[m]);
        w->state[w->make[m]] = name_lies(w, &w->res[m])
                                   ? RESULT_FAILED
                                   : deliver(w, &w->res[m], w->j->out, &st, stamp);
    }
}

/* The group of job i: the jobs after it of the same source. */
static size_t group_span(const void *jobs, size_t i)
{
    return jobs_group(jobs, i);
}

/* A worker decodes image after image of similar size. glibc would serve
 * each large buffer (libjpeg's coefficient arrays, the file buffer) with a
 * fresh mmap and unmap it after use, so every image would page-fault its
 * memory in anew and the kernel would zero it. Keeping all allocations in
 * the heap and never trimming it makes later images reuse warm pages. */
static void keep_freed_memory(unsigned long long max_memory)
{
    /* The pad is added to every heap growth: keep it well inside a small
     * --max-memory. */
    unsigned long long pad = max_memory / 16 < (64 << 20) ? max_memory / 16 : (64 << 20);
    mallopt(M_MMAP_MAX, 0);
    mallopt(M_TRIM_THRESHOLD, INT_MAX);
    mallopt(M_TOP_PAD, (int)pad);
}

/* The process-wide setup of a worker: signals, memory limit. */
static void prepare(const cli_options *o)
{
    /* INT, HUP, XFSZ ignored; the SIGBUS guard (signals.h) */
    signals_worker_setup();
#if !defined(__SANITIZE_ADDRESS__) /* ASan reserves terabytes of address space */
    struct rlimit rl = {(rlim_t)o->max_memory, (rlim_t)o->max_memory};
    struct rlimit cur;
    if (getrlimit(RLIMIT_AS, &cur) == 0 && cur.rlim_max != RLIM_INFINITY &&
        cur.rlim_max < rl.rlim_max)
        rl.rlim_cur = rl.rlim_max = cur.rlim_max;
    setrlimit(RLIMIT_AS, &rl);
#else
    (void)o;
#endif
    keep_freed_memory(o->max_memory);
}

int worker_run(const cli_options *o, const job_list *jobs, pool_shared *sh, int k)
{
    prepare(o);
    worker w = {.o = o, .jobs = jobs, .sh = sh, .k = k, .ctx = tf_new(), .src = SOURCE_INIT};
    if (!w.ctx) {
        msg_line("thumbify: worker %d: out of memory", k);
        return WORKER_BROKEN;
    }
    int failed = 0;
    while ((w.first = pool_claim_span(sh, k, group_span, jobs, &w.n)) >= 0) {
        long long t0 = pool_now_ns();
        make_group(&w);
        float ms = (float)((double)(pool_now_ns() - t0) / 1e6 / (double)w.n);
        for (size_t g = 0; g < w.n; g++) {
            sh->results[w.first + (long)g].ms = ms; /* the group's time, shared */
            failed |= w.state[g] == RESULT_FAILED;
            pool_finish(sh, k, w.first + (long)g, w.state[g]);
        }
        signals_release_term();
    }
    source_free(&w.src);
    tf_free(w.ctx);
    return failed ? WORKER_SOME_FAILED : WORKER_ALL_OK;
}
