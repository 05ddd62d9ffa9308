/* worker.c - per-job work inside a forked worker: read the source, call the
 * core, write the thumbnail atomically. One tf_ctx and one read buffer
 * serve every job, so large buffers are allocated once per worker. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <malloc.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "msg.h"
#include "outfile.h"
#include "outname.h"
#include "worker.h"

typedef struct source_buf {
    unsigned char *data;
    size_t len, cap;
    struct stat st;
} source_buf;

/* Reads the whole file with one read in the common case. Opened read-only:
 * a source is never modified. */
static int read_source(const char *path, source_buf *b)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
    if (fd < 0 || fstat(fd, &b->st) != 0) {
        msg_error(path, "cannot open: %s", strerror(errno));
        if (fd >= 0)
            close(fd);
        return -1;
    }
    size_t want = (size_t)b->st.st_size;
    if (want + 1 > b->cap) {     /* +1: a read of 0 confirms the end */
        free(b->data);
        b->cap = want + 1;
        if (!(b->data = malloc(b->cap))) {
            b->cap = 0;
            close(fd);
            msg_error(path, "out of memory reading %zu bytes", want);
            return -1;
        }
    }
    b->len = 0;
    for (;;) {
        ssize_t r = read(fd, b->data + b->len, b->cap - b->len);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            msg_error(path, "cannot read: %s", strerror(errno));
            close(fd);
            return -1;
        }
        b->len += (size_t)r;
        if (r == 0 || b->len == b->cap)
            break;               /* a file that grew is taken as first seen */
    }
    close(fd);
    return 0;
}

/* Refuses to replace the source itself (-o pointing at the source's own
 * directory, or a hard link): rename would destroy it. */
static int would_replace_source(const char *out, const struct stat *src)
{
    struct stat st;
    return stat(out, &st) == 0 && st.st_dev == src->st_dev && st.st_ino == src->st_ino;
}

#ifdef THUMBIFY_TESTING
/* Test-only fault injection: a source whose path contains
 * $THUMBIFY_TEST_CRASH kills its worker with SIGSEGV, as a decoder bug
 * would. Compiled only with -DTHUMBIFY_TESTING=ON. */
static void inject_faults(const char *path)
{
    const char *crash = getenv("THUMBIFY_TEST_CRASH");
    if (crash && *crash && strstr(path, crash))
        raise(SIGSEGV);
}
#else
static void inject_faults(const char *path)
{
    (void)path;
}
#endif

static void verbose_line(const job *j, const tf_result *r, const char *out)
{
    char orient[16] = "";
    if (r->orientation != 1)
        snprintf(orient, sizeof orient, ", orientation %d", r->orientation);
    msg_error(j->src, "%dx%d -> %dx%d (%s decode at 1/%d%s%s%s) -> %s", r->src_w, r->src_h,
              r->out_w, r->out_h, tf_path_str(r->path), r->scale_denom, orient,
              r->note[0] ? "; " : "", r->note, out);
}

/* Where this thumbnail goes: the planned name, with its extension changed
 * when the content decided another format than the name promised (PNG
 * bytes in a .jpg). A name that promised nothing keeps its name. */
static int final_path(const cli_options *o, const job *j, tf_format fmt, char *buf, size_t cap)
{
    if (o->params.format == TF_FORMAT_SAME && outname_kind(j->out) == TF_FORMAT_SAME)
        fmt = TF_FORMAT_SAME;
    if (outname_fix(buf, cap, j->out, fmt) == 0)
        return 0;
    msg_error(j->src, "output path for %s is too long", j->out);
    return -1;
}

/* Reports damage; under --strict it fails the file. */
static int judge_warnings(const cli_options *o, const job *j, const tf_result *r, tf_ctx *ctx)
{
    if (!r->warnings)
        return 0;
    if (o->strict) {
        msg_error(j->src, "%s (failed: --strict)", tf_message(ctx));
        return -1;
    }
    msg_warning(j->src, "%s", tf_message(ctx));
    return 0;
}

static int make_one(const cli_options *o, const job *j, tf_ctx *ctx, source_buf *b,
                    worker_slot *ws, result_slot *rs)
{
    inject_faults(j->src);
    if (read_source(j->src, b) != 0)
        return RESULT_FAILED;
    tf_result r;
    tf_status st = tf_thumbnail(ctx, b->data, b->len, &o->params, &r);
    if (st != TF_OK) {
        msg_error(j->src, "%s", tf_message(ctx));
        return RESULT_FAILED;
    }
    rs->warnings = r.warnings;
    rs->src_w = r.src_w;
    rs->src_h = r.src_h;
    rs->out_w = r.out_w;
    rs->out_h = r.out_h;
    rs->scale_denom = r.scale_denom;
    char out[PATH_MAX];
    if (judge_warnings(o, j, &r, ctx) != 0 || final_path(o, j, r.format, out, sizeof out) != 0)
        return RESULT_FAILED;
    if (would_replace_source(out, &b->st)) {
        msg_error(j->src, "output %s is the source itself; not written", out);
        return RESULT_FAILED;
    }
    const char *what;
    if (outfile_write(out, r.data, r.size, ws->tmp, sizeof ws->tmp, &what) != 0) {
        msg_error(out, "cannot %s the thumbnail: %s", what, strerror(errno));
        return RESULT_FAILED;
    }
    if (o->verbose)
        verbose_line(j, &r, out);
    return RESULT_OK;
}

/* A worker decodes image after image of similar size. glibc would serve
 * each large buffer (libjpeg's coefficient arrays, the file buffer) with a
 * fresh mmap and unmap it after use, so every image would page-fault its
 * memory in anew and the kernel would zero it. Keeping all allocations in
 * the heap and never trimming it makes later images reuse warm pages. */
static void keep_freed_memory(void)
{
    mallopt(M_MMAP_MAX, 0);
    mallopt(M_TRIM_THRESHOLD, INT_MAX);
    mallopt(M_TOP_PAD, 64 << 20);
}

int worker_run(const cli_options *o, const job_list *jobs, pool_shared *sh, int k)
{
    keep_freed_memory();
    /* The terminal's Ctrl-C reaches the whole process group; the parent
     * decides what happens, and tells workers to stop through sh->stop. */
    signal(SIGINT, SIG_IGN);
    signal(SIGHUP, SIG_IGN);
    tf_ctx *ctx = tf_new();
    if (!ctx) {
        msg_line("thumbify: worker %d: out of memory", k);
        return WORKER_BROKEN;
    }
    source_buf b = {0};
    int failed = 0;
    long i;
    while ((i = pool_claim(sh, k)) >= 0) {
        result_slot *rs = &sh->results[i];
        int state = make_one(o, &jobs->v[i], ctx, &b, &sh->workers[k], rs);
        failed |= state != RESULT_OK;
        pool_finish(sh, k, i, state);
    }
    free(b.data);
    tf_free(ctx);
    return failed ? WORKER_SOME_FAILED : WORKER_ALL_OK;
}
