/* jobs_name.c - --name's thumbnail names, and the header read that %w and
 * %h need.
 *
 * Why in the parent, before any work: every output path must be known
 * when plan.c compares them (two names that could meet are only known to
 * meet once both are spelled out: "a1" and "%w" of 23 give what "a12" and
 * 3 give), and the stamp check and the report name the output. The size
 * comes from the header alone (tf_probe): a template with %w/%h costs one
 * read of each source's first bytes, serially, which a template without
 * them never pays. The worker checks that the thumbnail it made has the
 * size the name says (the source may have changed since). */
#include <errno.h>
#include <fcntl.h>
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

/* The thumbnail size of src in size box from its header. */
static jobs_name_status probe(job_list *l, const char *src, unsigned box, int *w, int *h, char *why,
                              size_t whylen)
{
    tf_params params = l->o->params;
    if (box < (unsigned)l->nsizes) { /* -s with several sizes: this one's */
        params.box_w = l->sizes[box].w;
        params.box_h = l->sizes[box].h;
    }
    if (!l->probe && !(l->probe = tf_new()))
        return JOBS_NAME_MEMORY;
    tf_result r;
    tf_status st = TF_E_DECODE;
    for (size_t max = HEADER_BYTES; st != TF_OK && st != TF_E_NOMEM; max = 0) {
        unsigned char *buf = NULL;
        size_t len = 0;
        jobs_name_status rs = read_start(src, max, &buf, &len, why, whylen);
        if (rs != JOBS_NAME_OK) {
            free(buf);
            return rs;
        }
        st = tf_probe(l->probe, buf, len, &params, &r);
        free(buf);
        if (len < (size_t)HEADER_BYTES || max == 0)
            break; /* all of the file was read */
    }
    if (st != TF_OK) {
        snprintf(why, whylen, "%s: %s", tf_status_str(st), tf_message(l->probe));
        return JOBS_NAME_NO_SIZE;
    }
    *w = r.out_w;
    *h = r.out_h;
    return 0;
}

jobs_name_status jobs_name(job_list *l, const char *src, unsigned box, tf_format fmt, int *w,
                           int *h, char **name, char *why, size_t whylen)
{
    *name = NULL;
    *why = '\0';
    jobs_name_status st =
        outname_has_size(l->o->name) ? probe(l, src, box, w, h, why, whylen) : JOBS_NAME_OK;
    if (st != JOBS_NAME_OK)
        return st;
    *name = outname_expand(l->o->name, src, fmt, *w, *h);
    return *name ? JOBS_NAME_OK : JOBS_NAME_MEMORY;
}
