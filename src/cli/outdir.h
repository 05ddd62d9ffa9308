/* outdir.h - output directories opened so that no symlink redirects a
 * write. An output directory's path starts with a prefix the user named
 * (-o DIR, or an operand's own directory): symlinks there are followed, as
 * given. Every component below it is one thumbify made (thumbs/, the
 * mirrored subdirectories of -r) and must be a real directory: each is
 * opened relative to its parent's descriptor with O_NOFOLLOW|O_DIRECTORY,
 * so a symlink put in its place, even mid-run, is refused, not followed.
 * Files are then created, linked and renamed relative to the descriptor
 * (openat, linkat, renameat), never through the path again. */
#ifndef THUMBIFY_OUTDIR_H
#define THUMBIFY_OUTDIR_H

#include <stddef.h>

/* Opens the directory path, whose first `trusted` bytes the user named.
 * make: creates missing components first (mode 0777 less the umask), as
 * mkdir -p does. Returns an O_PATH|O_DIRECTORY|O_CLOEXEC descriptor, or -1
 * with errno set and why (why_cap bytes) saying what is wrong, for a
 * message about path: "it is a symlink (refused)", "PREFIX is a symlink
 * (refused)" for a component below the trusted prefix that is one, else
 * strerror(errno) of the step that failed. */
int outdir_open(const char *path, size_t trusted, int make, char *why, size_t why_cap);

#endif
