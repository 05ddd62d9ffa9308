/* outdir.c - output directories walked component by component. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "outdir.h"

/* O_PATH: a directory with write and search permission but no read
 * permission still works, as it does through a path. */
#define DIR_FLAGS (O_PATH | O_DIRECTORY | O_CLOEXEC)

/* The prefix the user named, p: made (as mkdir -p) when asked, then
 * opened following symlinks. On failure *bad is the length of the prefix
 * of p that failed. */
static int open_trusted(char *p, int make, size_t *bad)
{
    if (*p == '\0')
        return open(".", DIR_FLAGS);
    for (size_t i = 1; make; i++) {
        char c = p[i];
        if (c != '/' && c != '\0')
            continue;
        p[i] = '\0';
        int rc = mkdir(p, 0777);
        p[i] = c;
        if (rc != 0 && errno != EEXIST) {
            *bad = i;
            return -1;
        }
        if (c == '\0')
            break;
    }
    *bad = strlen(p);
    return open(p, DIR_FLAGS);
}

/* A component below the trusted prefix: made when asked, then opened
 * without following a symlink. A symlink fails with ELOOP, anything else
 * that is not a directory with ENOTDIR. */
static int open_below(int at, const char *name, int make)
{
    if (make && mkdirat(at, name, 0777) != 0 && errno != EEXIST)
        return -1;
    int fd = openat(at, name, DIR_FLAGS | O_NOFOLLOW);
    struct stat st;
    if (fd < 0 && errno == ENOTDIR) /* what O_PATH|O_NOFOLLOW gives for a symlink */
        errno = fstatat(at, name, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISLNK(st.st_mode) ? ELOOP
                                                                                        : ENOTDIR;
    return fd;
}

/* Walks p from fd (the trusted prefix, p[0..i) opened) down to its last
 * component; closes fd. On failure *bad is the length of the prefix of p
 * that failed. */
static int walk_below(int fd, char *p, size_t i, int make, size_t *bad)
{
    while (fd >= 0) {
        while (p[i] == '/')
            i++;
        if (!p[i])
            break;
        size_t end = i + strcspn(p + i, "/");
        char c = p[end];
        p[end] = '\0';
        int next = open_below(fd, p + i, make);
        int e = errno;
        p[end] = c;
        close(fd);
        errno = e;
        fd = next;
        *bad = end;
        i = end;
    }
    return fd;
}

static void say_why(const char *path, size_t trusted, size_t bad, int err, char *why, size_t cap)
{
    if (err != ELOOP || bad <= trusted)
        snprintf(why, cap, "%s", strerror(err));
    else if (path[bad] == '\0' || path[bad + strspn(path + bad, "/")] == '\0')
        snprintf(why, cap, "it is a symlink (refused)");
    else
        snprintf(why, cap, "%.*s is a symlink (refused)", (int)bad, path);
}

int outdir_open(const char *path, size_t trusted, int make, char *why, size_t why_cap)
{
    size_t len = strlen(path), bad = 0;
    trusted = trusted < len ? trusted : len;
    char *p = strdup(path);
    if (!p) {
        snprintf(why, why_cap, "%s", strerror(errno));
        return -1;
    }
    char c = p[trusted];
    p[trusted] = '\0';
    int fd = open_trusted(p, make, &bad);
    p[trusted] = c;
    if (fd >= 0)
        fd = walk_below(fd, p, trusted, make, &bad);
    int e = errno;
    free(p);
    if (fd < 0)
        say_why(path, trusted, bad, e, why, why_cap);
    errno = e;
    return fd;
}
