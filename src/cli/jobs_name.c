/* jobs_name.c - --name's thumbnail names, and the header read that %w and
 * %h need.
 *
 * Why in the parent, before any work: every output path must be known
 * when plan.c compares them (two names that could meet are only known to
 * meet once both are spelled out: "a1" and "%w" of 23 give what "a12" and
 * 3 give), and the stamp check and the report name the output. The size
 * comes from the header alone (tf_probes, every -s box at once, so the
 * core's geometry and orientation are never redone here): a template with
 * %w/%h costs one read of each source's first bytes, serially, whatever
 * the number of sizes, which a template without them never pays. The
 * worker checks that the thumbnail it made has the size the name says
 * (the source may have changed since). */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "jobs.h"
#include "outname.h"

#define HEADER_BYTES (256 * 1024)

/* Up to max bytes of path (max 0: all of it) into a malloc'd *buf. */
static jobs_name_status read_start(const char *path, size_t max, unsigned char **buf, size_t *len,
                                   char *why, size_t whylen)
{
    struct stat st;
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
    if (fd < 0 || fstat(fd, &st) != 0) {
        snprintf(why, whylen, "cannot read its header: %s", strerror(errno));
        if (fd >= 0)
            close(fd);
        return JOBS_NAME_NO_SIZE;
    }
    size_t want = (size_t)st.st_size, got = 0;
    if (max && want > max)
        want = max;
    *buf = malloc(want + 1);
    ssize_t n = 1;
    while (*buf && got < want && (n = read(fd, *buf + got, want - got)) > 0)
        got += (size_t)n;
    close(fd);
    *len = got;
    if (!*buf)
        return JOBS_NAME_MEMORY;
    if (n < 0) {
        snprintf(why, whylen, "cannot read its header: %s", strerror(errno));
        return JOBS_NAME_NO_SIZE;
    }
    return JOBS_NAME_OK;
}

/* What a source's header says, kept for its next sizes: the jobs of one
 * source under several -s sizes are named one after another (jobs_add),
 * and one read of the header gives the thumbnail size of every box. */
static struct {
    const job_list *list;
    char src[PATH_MAX]; /* "" when nothing is kept */
    jobs_name_status st; /* JOBS_NAME_OK: the sizes below; else why */
    int w[TF_MAX_BOXES], h[TF_MAX_BOXES]; /* the thumbnail's size in each box */
    char why[256];
} header;

/* The header of src, read and probed in every size's box into header;
 * else why says why not (nothing when memory ran out). */
static jobs_name_status probe(job_list *l, const char *src, char *why, size_t whylen)
{
    const tf_params *params = &l->o->params;
    tf_box one = {params->box_w, params->box_h};
    const tf_box *boxes = l->nsizes > 0 ? l->sizes : &one;
    int n = l->nsizes > 0 ? l->nsizes : 1;
    if (!l->probe && !(l->probe = tf_new()))
        return JOBS_NAME_MEMORY;
    tf_result r[TF_MAX_BOXES];
    tf_status st = TF_E_DECODE;
    for (size_t max = HEADER_BYTES; st != TF_OK && st != TF_E_NOMEM; max = 0) {
        unsigned char *buf = NULL;
        size_t len = 0;
        jobs_name_status rs = read_start(src, max, &buf, &len, why, whylen);
        if (rs != JOBS_NAME_OK) {
            free(buf);
            return rs;
        }
        st = tf_probes(l->probe, buf, len, params, boxes, n, r);
        free(buf);
        if (len < (size_t)HEADER_BYTES || max == 0)
            break; /* all of the file was read */
    }
    if (st != TF_OK) {
        snprintf(why, whylen, "%s: %s", tf_status_str(st), tf_message(l->probe));
        return JOBS_NAME_NO_SIZE;
    }
    for (int k = 0; k < n; k++) {
        header.w[k] = r[k].out_w;
        header.h[k] = r[k].out_h;
    }
    return JOBS_NAME_OK;
}

/* The header of src as header holds it, read first unless it is src's
 * (box > 0: the same source's next size); else why says why not. */
static jobs_name_status know_header(job_list *l, const char *src, unsigned box, char *why,
                                    size_t whylen)
{
    if (box == 0 || header.list != l || strcmp(header.src, src) != 0) {
        header.src[0] = '\0';
        header.st = probe(l, src, why, whylen);
        if (header.st == JOBS_NAME_MEMORY)
            return header.st; /* nothing kept */
        header.list = l;
        if (strlen(src) < sizeof header.src)
            strcpy(header.src, src);
        snprintf(header.why, sizeof header.why, "%s", header.st == JOBS_NAME_OK ? "" : why);
    }
    snprintf(why, whylen, "%s", header.why);
    return header.st;
}

jobs_name_status jobs_name(job_list *l, const char *src, unsigned box, tf_format fmt, int *w,
                           int *h, char **name, char *why, size_t whylen)
{
    *name = NULL;
    *why = '\0';
    if (outname_has_size(l->o->name)) {
        jobs_name_status st = know_header(l, src, box, why, whylen);
        if (st != JOBS_NAME_OK)
            return st;
        *w = header.w[box < (unsigned)l->nsizes ? box : 0];
        *h = header.h[box < (unsigned)l->nsizes ? box : 0];
    }
    *name = outname_expand(l->o->name, src, fmt, *w, *h);
    return *name ? JOBS_NAME_OK : JOBS_NAME_MEMORY;
}
