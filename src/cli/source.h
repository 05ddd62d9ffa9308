/* source.h - a source file in memory, read-only.
 *
 * A regular file is mapped (MAP_POPULATE): no copy, and no fresh pages for
 * the kernel to zero and fault in, which for a camera photo costs more
 * than copying it. Should the file shrink while it is mapped (another
 * program truncating it), reading past its new end would raise SIGBUS;
 * instead (signals_guard_bus; signals_worker_setup installs the handler
 * before source_open) the pages past the end read as zeros, the decode sees damage,
 * and source_changed() tells the caller to throw the result away; it also
 * notices a file rewritten in place, from its status. A file of at most
 * SOURCE_READ_MAX bytes is read instead, with one read() into a buffer kept
 * for the next file: for a web-size photo that costs less than mapping it
 * and unmapping it again (no page tables to fill and tear down), and the
 * buffer's pages stay warm. So is what cannot be mapped (an empty file, a
 * failed mmap). One source at a time per process. */
#ifndef THUMBIFY_SOURCE_H
#define THUMBIFY_SOURCE_H

#include <stddef.h>
#include <sys/stat.h>

typedef struct source {
    const unsigned char *data; /* the bytes, valid until source_close */
    size_t len;
    unsigned char *buf; /* the read buffer, kept between files */
    size_t cap;
    void *map; /* the mapping, if mapped */
    size_t map_len;
    int fd;         /* open until source_close; -1 when none */
    struct stat st; /* as opened */
} source;

/* Files up to this size are read, larger ones mapped. */
#define SOURCE_READ_MAX (128u << 10)

/* An empty source: no file, no buffer. */
#define SOURCE_INIT                                                                                \
    {                                                                                              \
        .fd = -1                                                                                   \
    }

/* What source_open could not do: open it, find a regular file (TYPE), read
 * it or get the memory for it; source_failure_name gives the verb a
 * message says ("open", "type", "read", "memory"). */
typedef enum { SOURCE_OPEN, SOURCE_TYPE, SOURCE_READ, SOURCE_MEMORY } source_failure;

const char *source_failure_name(source_failure what);

/* Opens path read-only and non-blocking, and takes its first limit bytes
 * (SIZE_MAX: all of it, as large as it is when read); *st is the open
 * file's status. Only a regular file is read: anything else (a FIFO or
 * device put in its place since the scan) is closed at once. Returns 0,
 * or -1 with errno set and what failed in *what. */
int source_open(source *s, const char *path, size_t limit, struct stat *st, source_failure *what);

/* Whether the file changed since source_open (it shrank under the
 * mapping, or its size, mtime or ctime moved: rewritten in place): the
 * bytes seen may not be the file's. */
int source_changed(const source *s);

/* Unmaps the file (the read buffer is kept). */
void source_close(source *s);

/* Frees the read buffer too. */
void source_free(source *s);

#endif
