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

/* "75x75" or "75x75,150x150,...": -s as it was meant */
static void sizes(char *buf, size_t cap, const cli_options *o)
{
    size_t n = 0;
    buf[0] = '\0';
    for (int i = 0; i < o->nsizes && n < cap; i++)
        n += (size_t)snprintf(buf + n, cap - n, "%s%dx%d", i ? "," : "", o->sizes[i].w,
                              o->sizes[i].h);
}

void stamp_make(char *buf, size_t cap, const cli_options *o, const struct stat *st)
{
    const tf_params *p = &o->params;
    char size[TF_MAX_BOXES * 12];
    sizes(size, sizeof size, o);
    snprintf(buf, cap, STAMP_PREFIX "%d src=%lld:%lld.%09ld size=%s format=%d q=%d emb=%d%s",
             STAMP_VERSION, (long long)st->st_size, (long long)st->st_mtim.tv_sec,
             st->st_mtim.tv_nsec, size, (int)p->format, p->quality, p->use_embedded,
             p->fit == TF_FIT_CROP ? " crop" : "");
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
