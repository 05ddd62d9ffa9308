/* stamp.h - incremental runs. Each thumbnail carries a stamp (a JPEG COM
 * marker or PNG tEXt chunk in its first bytes) naming its source's size
 * and mtime and the options that shape the output. A thumbnail whose stamp
 * matches the source as it is now is up to date: a changed, replaced or
 * touched source, or other options, make it stale. */
#ifndef THUMBIFY_STAMP_H
#define THUMBIFY_STAMP_H

#include <stddef.h>
#include <sys/stat.h>

#include "options.h"

#define STAMP_MAX 256

/* The stamp for a source with status *st under options o (every -s size:
 * the thumbnails of one decode carry one stamp). */
void stamp_make(char *buf, size_t cap, const cli_options *o, const struct stat *st);

/* What is at an output path now. */
typedef enum stamp_state {
    STAMP_NONE,    /* nothing: the thumbnail is new */
    STAMP_FOREIGN, /* something thumbify did not make: not a regular file
                      (a symlink, a FIFO...), unreadable, or with no stamp
                      in its first bytes; not to be replaced without -f */
    STAMP_STALE,   /* a thumbnail with another stamp, or an empty file:
                      to be remade */
    STAMP_CURRENT  /* a thumbnail with exactly this stamp: up to date */
} stamp_state;

/* Looks at the file at path (not following a symlink; a FIFO or device is
 * opened non-blocking and never read) and compares its first 512 bytes
 * with stamp. */
stamp_state stamp_check(const char *path, const char *stamp);

/* stamp_check of path relative to the directory open as dirfd. */
stamp_state stamp_check_at(int dirfd, const char *path, const char *stamp);

#endif
