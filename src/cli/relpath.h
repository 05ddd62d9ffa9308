/* relpath.h - where a --files-from file goes under -o DIR: its path
 * relative to the base directory (--base, else the current directory),
 * worked out on the spelling ("./" and "a/../b" lexically), so that a
 * listed tree keeps its shape and no listed name can climb out of DIR. */
#ifndef THUMBIFY_RELPATH_H
#define THUMBIFY_RELPATH_H

/* The absolute, lexically normal form of path: cwd in front when it is
 * relative, empty and "." components dropped, ".." removing the component
 * before it (at "/" it stays "/"). No file is looked at. malloc'd; NULL
 * when memory runs out. */
char *relpath_normal(const char *path, const char *cwd);

/* The directory relative paths start from: $PWD when it is absolute and
 * names the current directory (the spelling the user sees, as pwd -L), else
 * getcwd(). malloc'd; NULL on failure (errno set). */
char *relpath_cwd(void);

/* The part of path (absolute, normal) below base (absolute, normal), or
 * NULL when path is not strictly below base. Points into path. */
const char *relpath_below(const char *path, const char *base);

#endif
