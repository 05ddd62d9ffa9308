/* stamp.c - the up-to-date check: a stamp string in the thumbnail. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "stamp.h"

/* Bump when a change to thumbify changes its output for the same options. */
#define STAMP_VERSION 1

/* Every stamp starts so: a file that has it is a thumbnail. */
#define STAMP_PREFIX "thumbify-stamp "

/* FNV-1a 64 of s: --name's template in a fixed-size field, whatever its
 * bytes. */
static unsigned long long hash(const char *s)
{
    unsigned long long h = 0xcbf29ce484222325ULL;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        h = (h ^ *p) * 0x100000001b3ULL;
    return h;
}

void stamp_make(char *buf, size_t cap, const cli_options *o, const struct stat *st)
{
    const tf_params *p = &o->params;
    char name[32] = "";
    /* Only with --name, so that thumbnails of the default name made before
     * --name existed stay up to date; before src=, so that the default
     * stamp (which stamp_check looks for anywhere) is no part of it. */
    if (o->name)
        snprintf(name, sizeof name, "name=%016llx ", hash(o->name));
    snprintf(buf, cap, STAMP_PREFIX "%d %ssrc=%lld:%lld.%09ld size=%dx%d format=%d q=%d emb=%d",
             STAMP_VERSION, name, (long long)st->st_size, (long long)st->st_mtim.tv_sec,
             st->st_mtim.tv_nsec, p->box_w, p->box_h, (int)p->format, p->quality, p->use_embedded);
}

stamp_state stamp_check(const char *path, const char *stamp)
{
    return stamp_check_at(AT_FDCWD, path, stamp);
}

stamp_state stamp_check_at(int dirfd, const char *path, const char *stamp)
{
    char head[512];
    struct stat st;
    int fd = openat(dirfd, path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NOFOLLOW | O_NONBLOCK);
    if (fd < 0) /* no such name (the write will say why it cannot be made), or not ours */
        return errno == ENOENT || errno == ENAMETOOLONG || errno == ENOTDIR ? STAMP_NONE
                                                                            : STAMP_FOREIGN;
    ssize_t n = fstat(fd, &st) == 0 && S_ISREG(st.st_mode) ? read(fd, head, sizeof head) : -1;
    close(fd);
    if (n == 0)
        return STAMP_STALE; /* an empty file (a crash before its data reached the disk): nothing
                               to lose */
    if (n < 0 || !memmem(head, (size_t)n, STAMP_PREFIX, sizeof STAMP_PREFIX - 1))
        return STAMP_FOREIGN;
    return memmem(head, (size_t)n, stamp, strlen(stamp)) ? STAMP_CURRENT : STAMP_STALE;
}
