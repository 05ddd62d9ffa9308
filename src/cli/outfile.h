/* outfile.h - atomic output: a file appears under its final name only
 * complete, and a run killed or crashed at any point leaves no partial
 * file under that name.
 *
 * Where the file system has O_TMPFILE (ext4, XFS, btrfs, tmpfs), the data
 * is written to an unnamed file in the target directory, then linked in
 * under its final name: there is no temp name to collide with another
 * writer's, and a crash leaves nothing behind to clean. linkat cannot
 * replace a file, so an existing one is replaced by linking the new file
 * to a temp name and renaming that over it. Elsewhere (NFS, ...) the data
 * goes to a temp file created with O_EXCL, which is then renamed over the
 * final name.
 *
 * Temp names are ".thumbify-<16 hex digits>.tmp", 64 bits from
 * getrandom(): unique among processes, PID namespaces (containers) and
 * hosts sharing the directory, with nothing to compare but the name. The
 * writer holds an flock on a temp file for as long as it carries that
 * name, which is how a later run's clean-up (outstale.h) knows it alive. */
#ifndef THUMBIFY_OUTFILE_H
#define THUMBIFY_OUTFILE_H

#include <stddef.h>

#define OUTFILE_TMP_PREFIX ".thumbify-"
#define OUTFILE_TMP_SUFFIX ".tmp"

/* Writes data to path, a file in the directory open as dirfd (see
 * outdir.h): the last component of path is its name there; the rest only
 * goes into messages and tmp_slot. A temp name's path is published in
 * tmp_slot (tmp_cap bytes, e.g. shared memory) before the name exists and
 * cleared once it is gone, so whoever kills this process can remove it.
 * sync: fsync the data before it gets its name, so that a crash of the
 * machine cannot leave an empty file under the final name. Returns 0, or
 * -1 with errno set and what failed in *what ("create", "write", "sync",
 * "close", "rename"); no file is left behind then. */
int outfile_write(int dirfd, const char *path, const void *data, size_t len, int sync,
                  char *tmp_slot, size_t tmp_cap, const char **what);

/* outfile_write into path's directory, opened through path as given
 * (following symlinks: a path the user named). */
int outfile_write_path(const char *path, const void *data, size_t len, int sync, char *tmp_slot,
                       size_t tmp_cap, const char **what);

/* Writes all len bytes to fd, retrying short writes and EINTR. Returns 0,
 * or -1 with errno set. */
int outfile_write_all(int fd, const void *data, size_t len);

#endif
