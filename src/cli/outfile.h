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

/* What may be replaced. A file can appear at the final name, or the one
 * there change, while the data is being made: the check that found the
 * name free (or a file there that may go) is old by then. With a guard,
 * the name is taken only where nothing has it, atomically (linkat of the
 * unnamed file, renameat2(RENAME_NOREPLACE) or a hard link of the temp
 * name: each fails with EEXIST instead of replacing); where something
 * has it, replaceable() is asked just before the rename over it. It
 * returns 1 (replace it), 0 (keep it: the write fails with EEXIST, *what
 * OUTFILE_EXISTS, and nothing is left behind) or -1 (nothing is there any more:
 * try again). The rename after a 1 replaces whatever has the name then:
 * a file put there in the microseconds between the guard's look and the
 * rename is lost; Linux has no rename that replaces only a given inode. */
/* The step of a write that failed: the caller decides by it (EXISTS: the
 * guard kept what was there); outfile_step_name gives the verb a message
 * says ("create", "write", "sync", "close", "rename", "exists"). */
typedef enum {
    OUTFILE_CREATE,
    OUTFILE_WRITE,
    OUTFILE_SYNC,
    OUTFILE_CLOSE,
    OUTFILE_RENAME,
    OUTFILE_EXISTS
} outfile_step;

const char *outfile_step_name(outfile_step step);

typedef struct outfile_guard {
    int (*replaceable)(int dirfd, const char *name, void *arg);
    void *arg;
} outfile_guard;

/* Writes data to path, a file in the directory open as dirfd (see
 * outdir.h): the last component of path is its name there; the rest only
 * goes into messages and tmp_slot. A temp name's path is published in
 * tmp_slot (tmp_cap bytes, e.g. shared memory) before the name exists and
 * cleared once it is gone, so whoever kills this process can remove it.
 * sync: fsync the data before it gets its name, so that a crash of the
 * machine cannot leave an empty file under the final name. guard: what
 * may be replaced (above); NULL replaces whatever is there. Returns 0, or
 * -1 with errno set and what failed in *what; no file is left behind then. */
int outfile_write(int dirfd, const char *path, const void *data, size_t len, int sync,
                  const outfile_guard *guard, char *tmp_slot, size_t tmp_cap, outfile_step *what);

/* outfile_write into path's directory, opened through path as given
 * (following symlinks: a path the user named), replacing whatever is
 * there (no guard). */
int outfile_write_path(const char *path, const void *data, size_t len, int sync, char *tmp_slot,
                       size_t tmp_cap, outfile_step *what);

/* Writes all len bytes to fd, retrying short writes and EINTR. Returns 0,
 * or -1 with errno set. */
int outfile_write_all(int fd, const void *data, size_t len);

#endif
