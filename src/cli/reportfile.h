/* reportfile.h - where the report goes. A new or regular file gets it
 * atomically (temp file + rename), and only when what it says changed: a
 * run that changes nothing leaves the file and its mtime alone, so that
 * what a Makefile makes from the report is not made again. */
#ifndef THUMBIFY_REPORTFILE_H
#define THUMBIFY_REPORTFILE_H

#include <stddef.h>

/* Saves text[0..len) to path. A regular file whose first 512 bytes hold
 * same_if (the report's digest line) is left as it is; otherwise it gets
 * text atomically, through a symlink onto its target (the link stays). A
 * FIFO, a device or a descriptor of our own (/dev/stdout, /dev/fd/N) is
 * written as it is. Returns 0, or -1 with errno set. */
int reportfile_save(const char *path, const char *text, size_t len, const char *same_if);

#endif
