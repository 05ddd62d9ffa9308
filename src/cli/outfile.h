/* outfile.h - atomic output: a thumbnail appears under its final name only
 * complete. It is written to a temp file in the same directory (so rename
 * is atomic), then renamed over the final name. */
#ifndef THUMBIFY_OUTFILE_H
#define THUMBIFY_OUTFILE_H

#include <stddef.h>

/* Temp files are named ".thumbify-PID-N.tmp": recognisable, short enough
 * for any directory, and unique per process. */
#define OUTFILE_TMP_PREFIX ".thumbify-"
#define OUTFILE_TMP_SUFFIX ".tmp"

/* Writes data to path through a temp file. The temp file's path is
 * published in tmp_slot (tmp_cap bytes, e.g. shared memory) before it is
 * created and cleared once it is gone, so whoever kills this process can
 * remove it. sync: fsync the data before the rename, so that a crash of
 * the machine cannot leave an empty file under the final name. Returns 0, or -1 with errno set and
 * what failed in *what
 * ("create", "write", "sync", "close", "rename"); no file is left behind
 * then. */
int outfile_write(const char *path, const void *data, size_t len, int sync, char *tmp_slot,
                  size_t tmp_cap, const char **what);

/* Writes all len bytes to fd, retrying short writes and EINTR. Returns 0,
 * or -1 with errno set. */
int outfile_write_all(int fd, const void *data, size_t len);

/* Removes temp files in dir left by thumbify processes that no longer
 * exist (a kill -9 of a whole run); those of live processes are kept. */
void outfile_remove_stale(const char *dir);

#endif
