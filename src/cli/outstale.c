/* outstale.c - dead temp files removed, live ones kept (see outstale.h). */
#include <dirent.h>
#include <fcntl.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "outfile.h"
#include "outstale.h"

/* ".thumbify-<16 lowercase hex digits>.tmp", or an earlier version's
 * ".thumbify-PID-N.tmp". */
static int is_temp_name(const char *name)
{
    static const char digits[] = "0123456789";
    size_t pre = sizeof OUTFILE_TMP_PREFIX - 1, suf = sizeof OUTFILE_TMP_SUFFIX - 1;
    size_t len = strlen(name);
    if (len <= pre + suf || strncmp(name, OUTFILE_TMP_PREFIX, pre) != 0 ||
        strcmp(name + len - suf, OUTFILE_TMP_SUFFIX) != 0)
        return 0;
    const char *p = name + pre;
    size_t n = len - pre - suf, pid = strspn(p, digits);
    if (n == 16 && strspn(p, "0123456789abcdef") >= 16)
        return 1;
    return pid > 0 && pid + 1 < n && p[pid] == '-' && strspn(p + pid + 1, digits) == n - pid - 1;
}

static int same_file(const struct stat *a, const struct stat *b)
{
    return a->st_dev == b->st_dev && a->st_ino == b->st_ino;
}

/* Removes name when it is a regular file, old, and its lock is free: the
 * lock is taken (and held through the unlink), so a writer cannot be
 * holding it; the name must still be that file, so nothing renamed in its
 * place is removed. Only regular files are opened at all. */
static void remove_if_dead(int dirfd, const char *name, time_t before)
{
    struct stat st, now;
    if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) != 0 || !S_ISREG(st.st_mode) ||
        st.st_mtime >= before)
        return;
    /* write access: NFS grants an exclusive lock only to a writer */
    int flags = O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC;
    int fd = openat(dirfd, name, O_RDWR | flags);
    if (fd < 0)
        fd = openat(dirfd, name, O_RDONLY | flags);
    if (fd < 0)
        return;
    if (fstat(fd, &now) == 0 && same_file(&st, &now) && flock(fd, LOCK_EX | LOCK_NB) == 0 &&
        fstatat(dirfd, name, &now, AT_SYMLINK_NOFOLLOW) == 0 && same_file(&st, &now))
        unlinkat(dirfd, name, 0);
    close(fd);
}

void outstale_remove(int dirfd)
{
    int fd = openat(dirfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
    if (!d) {
        if (fd >= 0)
            close(fd);
        return;
    }
    time_t before = time(NULL) - OUTSTALE_SECONDS;
    struct dirent *e;
    while ((e = readdir(d)))
        if (is_temp_name(e->d_name))
            remove_if_dead(dirfd, e->d_name, before);
    closedir(d);
}
