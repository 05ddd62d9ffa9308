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

/* How much of a file is read at its start (and of a WebP file at its end). */
#define STAMP_READ 512

void stamp_make(char *buf, size_t cap, const cli_options *o, const struct stat *st)
{
    const tf_params *p = &o->params;
    snprintf(buf, cap, STAMP_PREFIX "%d src=%lld:%lld.%09ld size=%dx%d format=%d q=%d emb=%d",
             STAMP_VERSION, (long long)st->st_size, (long long)st->st_mtim.tv_sec,
             st->st_mtim.tv_nsec, p->box_w, p->box_h, (int)p->format, p->quality, p->use_embedded);
}

/* A WebP thumbnail's stamp is in its XMP chunk, which the container puts
 * after the image (webp_encode.c): for a WebP file the last STAMP_READ
 * bytes are read too, after the first. */
static int is_webp(const char *head, ssize_t n)
{
    return n >= 12 && memcmp(head, "RIFF", 4) == 0 && memcmp(head + 8, "WEBP", 4) == 0;
}

/* Reads what may hold the stamp into buf (2 * STAMP_READ bytes): the first
 * STAMP_READ bytes, and of a longer WebP file the last ones after them.
 * Returns the bytes read, or -1. */
static ssize_t read_stamp_area(int fd, const struct stat *st, char *buf)
{
    ssize_t n = read(fd, buf, STAMP_READ);
    if (n < STAMP_READ || !is_webp(buf, n) || st->st_size <= n)
        return n;
    off_t from = st->st_size - STAMP_READ > n ? st->st_size - STAMP_READ : n;
    ssize_t t = pread(fd, buf + n, (size_t)(st->st_size - from), from);
    return t < 0 ? -1 : n + t;
}

stamp_state stamp_check(const char *path, const char *stamp)
{
    char head[2 * STAMP_READ];
    struct stat st;
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NOFOLLOW | O_NONBLOCK);
    if (fd < 0) /* no such name (the write will say why it cannot be made), or not ours */
        return errno == ENOENT || errno == ENAMETOOLONG || errno == ENOTDIR ? STAMP_NONE
                                                                            : STAMP_FOREIGN;
    ssize_t n = fstat(fd, &st) == 0 && S_ISREG(st.st_mode) ? read_stamp_area(fd, &st, head) : -1;
    close(fd);
    if (n == 0)
        return STAMP_STALE; /* an empty file (a crash before its data reached the disk): nothing
                               to lose */
    if (n < 0 || !memmem(head, (size_t)n, STAMP_PREFIX, sizeof STAMP_PREFIX - 1))
        return STAMP_FOREIGN;
    return memmem(head, (size_t)n, stamp, strlen(stamp)) ? STAMP_CURRENT : STAMP_STALE;
}
