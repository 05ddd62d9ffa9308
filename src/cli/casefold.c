/* casefold.c - is a directory case-insensitive (see casefold.h). */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <linux/magic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "casefold.h"
#include "testhook.h"

#define DIR_FLAGS (O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NONBLOCK)

/* How far up the tree, and how many names per directory, the look-up
 * probe tries before it gives up. */
enum { PROBE_LEVELS = 8, PROBE_NAMES = 64 };

void casefold_ascii(char *s)
{
    for (; *s; s++)
        if (*s >= 'A' && *s <= 'Z')
            *s = (char)(*s - 'A' + 'a');
}

/* dir, or its nearest existing ancestor, opened for reading; -1 when
 * none can be (no permission, a file in the path). */
static int open_nearest(const char *dir)
{
    char *p = strdup(*dir ? dir : ".");
    int fd = -1;
    while (p && (fd = open(p, DIR_FLAGS)) < 0 && errno == ENOENT) {
        if (strcmp(p, ".") == 0 || strcmp(p, "/") == 0)
            break; /* a removed working directory */
        size_t n = strlen(p);
        while (n > 1 && p[n - 1] == '/')
            n--;
        while (n > 0 && p[n - 1] != '/')
            n--;
        while (n > 1 && p[n - 1] == '/')
            n--;
        if (n == 0)
            strcpy(p, ".");
        else
            p[n] = '\0';
    }
    free(p);
    return fd;
}

/* The casefold attribute (ext4, f2fs), or a file system that folds
 * every name. */
static int folds_by_type(int fd)
{
    int flags = 0;
    if (ioctl(fd, FS_IOC_GETFLAGS, &flags) == 0 && (flags & FS_CASEFOLD_FL))
        return 1;
    struct statfs sf;
    return fstatfs(fd, &sf) == 0 &&
           (sf.f_type == MSDOS_SUPER_MAGIC || sf.f_type == EXFAT_SUPER_MAGIC);
}

/* name with the case of its ASCII letters swapped into out; 0 when it
 * has none (nothing to tell by). */
static int swapped(const char *name, char *out, size_t cap)
{
    int letters = 0;
    size_t i = 0;
    for (; name[i] && i + 1 < cap; i++) {
        unsigned char c = (unsigned char)name[i];
        letters |= isascii(c) && isalpha(c);
        out[i] = (char)(isascii(c) && isupper(c)   ? tolower(c)
                        : isascii(c) && islower(c) ? toupper(c)
                                                   : c);
    }
    out[i] = '\0';
    return letters && !name[i];
}

/* Looks up the first names with a letter in the directory fd with their
 * case swapped: 1 when one finds the same file (and it has no other
 * link), 0 when it finds none or another file, -1 when no name tells. */
static int probe_names(int fd)
{
    int dfd = openat(fd, ".", DIR_FLAGS);
    DIR *d = dfd >= 0 ? fdopendir(dfd) : NULL;
    if (!d) {
        if (dfd >= 0)
            close(dfd);
        return -1;
    }
    int answer = -1, tried = 0;
    struct dirent *e;
    char other[256];
    while (answer < 0 && tried < PROBE_NAMES && (e = readdir(d))) {
        struct stat a, b;
        if (!swapped(e->d_name, other, sizeof other) ||
            fstatat(fd, e->d_name, &a, AT_SYMLINK_NOFOLLOW) != 0)
            continue;
        tried++;
        if (fstatat(fd, other, &b, AT_SYMLINK_NOFOLLOW) != 0)
            answer = errno == ENOENT ? 0 : -1;
        else if (a.st_dev != b.st_dev || a.st_ino != b.st_ino)
            answer = 0;
        else /* not a hard link by the other name: "A" and "a" on ext4 */
            answer = S_ISDIR(a.st_mode) || a.st_nlink == 1 ? 1 : -1;
    }
    closedir(d);
    return answer;
}

/* probe_names in fd, else in its parents on the same file system (an
 * empty directory usually folds as its parent does). Closes fd. */
static int probe_up(int fd)
{
    int answer = -1;
    struct stat here, up;
    for (int level = 0; answer < 0 && level < PROBE_LEVELS && fd >= 0; level++) {
        answer = probe_names(fd);
        int parent = answer < 0 ? openat(fd, "..", DIR_FLAGS) : -1;
        if (parent >= 0 && (fstat(fd, &here) != 0 || fstat(parent, &up) != 0 ||
                            here.st_dev != up.st_dev || here.st_ino == up.st_ino)) {
            close(parent); /* another file system, or the root */
            parent = -1;
        }
        close(fd);
        fd = parent;
    }
    if (fd >= 0)
        close(fd);
    return answer > 0;
}

int casefold_dir(const char *dir)
{
    /* test-only: a directory on a case-sensitive file system taken as
     * case-insensitive */
    if (testhook_match("THUMBIFY_TEST_CASEFOLD", dir))
        return 1;
    int fd = open_nearest(dir);
    if (fd < 0)
        return 0;
    if (folds_by_type(fd)) {
        close(fd);
        return 1;
    }
    return probe_up(fd);
}
