/* stamp.c - the up-to-date check: a stamp string in the thumbnail. */
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "outname.h"
#include "stamp.h"

/* Bump when a change to thumbify changes its output for the same options. */
#define STAMP_VERSION 1

void stamp_make(char *buf, size_t cap, const cli_options *o, const struct stat *st)
{
    const tf_params *p = &o->params;
    snprintf(buf, cap, "thumbify-stamp %d src=%lld:%lld.%09ld size=%dx%d format=%d q=%d emb=%d",
             STAMP_VERSION, (long long)st->st_size, (long long)st->st_mtim.tv_sec,
             st->st_mtim.tv_nsec, p->box_w, p->box_h, (int)p->format, p->quality, p->use_embedded);
}

static int has_stamp(const char *path, const char *stamp)
{
    char head[512];
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
    if (fd < 0)
        return 0;
    ssize_t n = read(fd, head, sizeof head);
    close(fd);
    return n > 0 && memmem(head, (size_t)n, stamp, strlen(stamp)) != NULL;
}

int stamp_up_to_date(const cli_options *o, const job *j, const char *stamp)
{
    if (has_stamp(j->out, stamp))
        return (int)outname_kind(j->out);
    if (o->params.format != TF_FORMAT_SAME)
        return -1;
    /* the content may have decided the other format (PNG bytes in a .jpg) */
    char other[PATH_MAX];
    tf_format fmt = outname_kind(j->out) == TF_FORMAT_PNG ? TF_FORMAT_JPEG : TF_FORMAT_PNG;
    return outname_fix(other, sizeof other, j->out, fmt) == 0 && has_stamp(other, stamp) ? (int)fmt
                                                                                         : -1;
}
