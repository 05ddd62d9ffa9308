/* stamp.h - incremental runs. Each thumbnail carries a stamp (a JPEG COM
 * marker or PNG tEXt chunk in its first bytes, a WebP XMP chunk in its
 * last) naming its source's size and mtime and the options that shape the
 * output. A thumbnail whose stamp matches the source as it is now is up to
 * date: a changed, replaced or touched source, or other options, make it
 * stale. */
#ifndef THUMBIFY_STAMP_H
#define THUMBIFY_STAMP_H

#include <stddef.h>
#include <sys/stat.h>
#include <sys/types.h>

#include "options.h"

#define STAMP_MAX 256

/* Where a stamp may be: a file's first STAMP_READ bytes, and a WebP
 * file's last STAMP_READ (its XMP chunk follows the image). */
#define STAMP_READ 512
#define STAMP_AREA (2 * STAMP_READ)

/* Reads the area that may hold the stamp of the regular file open as fd
 * (status *st) into buf (STAMP_AREA bytes): the first STAMP_READ bytes,
 * then of a longer WebP file its last ones. Returns the bytes read, or -1. */
ssize_t stamp_read_area(int fd, const struct stat *st, char *buf);

/* stamp_read_area for a caller that has read the file's first n bytes
 * into head already: what head holds is taken from it (buf may be head),
 * only the rest of the area is read. */
ssize_t stamp_area_from(int fd, const struct stat *st, const char *head, size_t n, char *buf);

/* The stamp for a source with status *st under options o (every -s size:
 * the thumbnails of one decode carry one stamp). */
void stamp_make(char *buf, size_t cap, const cli_options *o, const struct stat *st);

/* The text a thumbnail carries: stamp, then what the source's first len
 * bytes at src say it is (" in=jpeg", " in=png"). Only stamp is compared
 * (stamp_check), so the rest may say what is known only once it is read. */
void stamp_describe(char *buf, size_t cap, const char *stamp, const void *src, size_t len);

/* From the n bytes of a thumbnail's stamp area (head): the source's size in bytes
 * when the stamp was made and its format ("jpeg", "png"; "" for a stamp
 * without it) into fmt. Returns 0, or -1 when head holds no stamp. */
int stamp_info(const char *head, size_t n, long long *src_size, char *fmt, size_t fmt_cap);

/* Whether the regular file open as fd carries a stamp in its stamp area:
 * a file thumbify made. */
int stamp_is_thumbnail(int fd);

/* What is at an output path now. */
typedef enum stamp_state {
    STAMP_NONE,    /* nothing: the thumbnail is new */
    STAMP_FOREIGN, /* something thumbify did not make: not a regular file
                      (a symlink, a FIFO...), or with no stamp in its first
                      bytes; not to be replaced without -f */
    STAMP_STALE,   /* a thumbnail with another stamp, or an empty file:
                      to be remade */
    STAMP_CURRENT, /* a thumbnail with exactly this stamp: up to date */
    STAMP_ERROR    /* a file that could not be read (errno says why): who
                      made it is not known, so it is not to be replaced
                      without -f either, but is reported as unread */
} stamp_state;

/* Looks at the file at path (not following a symlink; a FIFO or device is
 * opened non-blocking and never read) and compares its first 512 bytes,
 * and a WebP file's last 512 too, with stamp. STAMP_ERROR leaves errno
 * set. */
stamp_state stamp_check(const char *path, const char *stamp);

/* stamp_check of path relative to the directory open as dirfd. */
stamp_state stamp_check_at(int dirfd, const char *path, const char *stamp);

#endif
