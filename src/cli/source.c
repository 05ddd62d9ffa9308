/* source.c - source files mapped or read (see source.h). */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "signals.h"
#include "source.h"

/* Reads want bytes into the kept buffer, growing it first if need be. A
 * short read means the file shrank since its fstat: what was read is taken,
 * and source_changed() will say so. */
static int read_source(source *s, int fd, size_t want, source_failure *what)
{
    if (want > s->cap || !s->buf) {
        free(s->buf);
        s->cap = want ? want : 1;
        if (!(s->buf = malloc(s->cap))) {
            s->cap = 0;
            *what = SOURCE_MEMORY;
            errno = ENOMEM;
            return -1;
        }
    }
    *what = SOURCE_READ;
    s->len = 0;
    while (s->len < want) {
        ssize_t r = read(fd, s->buf + s->len, want - s->len);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0)
            return -1;
        if (r == 0)
            break;
        s->len += (size_t)r;
    }
    s->data = s->buf;
    return 0;
}

const char *source_failure_name(source_failure what)
{
    static const char *const names[] = {"open", "type", "read", "memory"};
    return names[what];
}

int source_open(source *s, const char *path, size_t limit, struct stat *st, source_failure *what)
{
    s->data = NULL;
    s->len = 0;
    *what = SOURCE_OPEN;
    /* O_NONBLOCK: a FIFO or device swapped in for the file since the scan
     * must not hold the worker in open() until --timeout; what was opened
     * is then judged by its own status, not the path's. */
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
    if (fd < 0)
        return -1;
    int bad = fstat(fd, st) != 0 ? errno : S_ISREG(st->st_mode) ? 0 : EINVAL;
    if (bad) {
        *what = bad == EINVAL ? SOURCE_TYPE : SOURCE_OPEN;
        close(fd);
        errno = bad;
        return -1;
    }
    size_t size = (size_t)st->st_size, want = size < limit ? size : limit;
    /* All of a file is read: populated up front. Of a prefix (--embedded's
     * first look) only the headers are, as they are touched. A small file
     * is read into the kept buffer instead. */
    int populate = want == size ? MAP_POPULATE : 0;
    void *m = want > SOURCE_READ_MAX ? mmap(NULL, want, PROT_READ, MAP_PRIVATE | populate, fd, 0)
                                     : MAP_FAILED;
    int rc = 0;
    s->fd = fd;
    s->st = *st;
    if (m != MAP_FAILED) {
        s->map = m;
        s->map_len = want;
        s->data = m;
        s->len = want;
        signals_guard_bus(m, want);
    } else {
        rc = read_source(s, fd, want, what);
    }
    if (rc != 0) {
        int e = errno;
        source_close(s);
        errno = e;
    }
    return rc;
}

int source_changed(const source *s)
{
    struct stat now;
    if (s->map && signals_bus_hit())
        return 1;
    return s->fd >= 0 && (fstat(s->fd, &now) != 0 || now.st_size != s->st.st_size ||
                          now.st_mtim.tv_sec != s->st.st_mtim.tv_sec ||
                          now.st_mtim.tv_nsec != s->st.st_mtim.tv_nsec ||
                          now.st_ctim.tv_sec != s->st.st_ctim.tv_sec ||
                          now.st_ctim.tv_nsec != s->st.st_ctim.tv_nsec);
}

void source_close(source *s)
{
    if (s->fd >= 0)
        close(s->fd);
    s->fd = -1;
    if (s->map) {
        signals_guard_bus(NULL, 0);
        munmap(s->map, s->map_len);
        s->map = NULL;
    }
    s->data = NULL;
    s->len = 0;
}

void source_free(source *s)
{
    source_close(s);
    free(s->buf);
    s->buf = NULL;
    s->cap = 0;
}
