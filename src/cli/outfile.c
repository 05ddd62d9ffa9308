/* outfile.c - a file written whole, then given its name (see outfile.h). */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "outfile.h"
#include "testhook.h"

/* Process-wide facts, learnt once. linkat(fd, "", AT_EMPTY_PATH) needs
 * CAP_DAC_READ_SEARCH; without it an unnamed file is linked through
 * /proc/self/fd, and without a /proc it cannot be linked at all. */
static int empty_path_refused, tmpfile_unlinkable;

typedef struct target {
    int dirfd;
    const char *path; /* for tmp_slot: path[0..dirlen) is the directory */
    size_t dirlen;
    const char *name; /* the final name in dirfd */
    char *slot;
    size_t cap;
    const outfile_guard *guard; /* NULL: whatever is at name is replaced */
    outfile_step *what;
} target;

const char *outfile_step_name(outfile_step step)
{
    static const char *const names[] = {"create", "write", "sync", "close", "rename", "exists"};
    return names[step];
}

/* Records the failed step, keeping errno; returns -1. */
static int failed(const target *t, outfile_step step)
{
    *t->what = step;
    return -1;
}

static void close_keeping_errno(int fd)
{
    int e = errno;
    close(fd);
    errno = e;
}

/* 64 bits that no other process, here or on another host, draws: from
 * getrandom(), or, should it fail, the time, the pid and a counter
 * mixed (splitmix64). */
static uint64_t random64(void)
{
    uint64_t r;
    if (getrandom(&r, sizeof r, 0) == (ssize_t)sizeof r)
        return r;
    static uint64_t counter;
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    r = (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
    r ^= (uint64_t)getpid() << 40 ^ ++counter * 0x9e3779b97f4a7c15ULL;
    r = (r ^ r >> 30) * 0xbf58476d1ce4e5b9ULL;
    r = (r ^ r >> 27) * 0x94d049bb133111ebULL;
    return r ^ r >> 31;
}

/* A new temp name in name (cap >= 32), its path published in the slot
 * before the file exists. */
static int new_tmp_name(const target *t, char *name, size_t cap)
{
    snprintf(name, cap, OUTFILE_TMP_PREFIX "%016llx" OUTFILE_TMP_SUFFIX,
             (unsigned long long)random64());
    int n = snprintf(t->slot, t->cap, "%.*s%s", (int)t->dirlen, t->path, name);
    if (n < 0 || (size_t)n >= t->cap) {
        t->slot[0] = '\0';
        errno = ENAMETOOLONG;
        return -1;
    }
    return 0;
}

/* Removes the temp name and clears the slot, keeping errno. */
static void drop_tmp(const target *t, const char *tmp)
{
    int e = errno;
    unlinkat(t->dirfd, tmp, 0);
    t->slot[0] = '\0';
    errno = e;
}

int outfile_write_all(int fd, const void *data, size_t len)
{
    const unsigned char *p = data;
    while (len > 0) {
        ssize_t w = write(fd, p, len);
        if (w < 0 && errno == EINTR)
            continue;
        if (w < 0)
            return -1;
        p += w;
        len -= (size_t)w;
    }
    return 0;
}

static int fill(const target *t, int fd, const void *data, size_t len, int sync)
{
    if (outfile_write_all(fd, data, len) != 0)
        return failed(t, OUTFILE_WRITE);
    if (sync && fsync(fd) != 0)
        return failed(t, OUTFILE_SYNC);
    return 0;
}

/* Links the unnamed file fd into dirfd as name. */
static int link_fd(int fd, int dirfd, const char *name)
{
    int refused = empty_path_refused || testhook_is("THUMBIFY_TEST_TMPFILE", "proc");
    if (!refused && linkat(fd, "", dirfd, name, AT_EMPTY_PATH) == 0)
        return 0;
    if (!refused && errno != ENOENT)
        return -1;
    char proc[48];
    snprintf(proc, sizeof proc, "/proc/self/fd/%d", fd);
    if (linkat(AT_FDCWD, proc, dirfd, name, AT_SYMLINK_FOLLOW) != 0)
        return -1;
    if (!refused)
        empty_path_refused = 1; /* ENOENT above, and the directory is there */
    return 0;
}

/* Renames tmp to name only where nothing has that name: one atomic step,
 * renameat2(RENAME_NOREPLACE), or where the file system has no such flag
 * (NFS) a hard link, which fails with EEXIST as atomically, then the temp
 * name removed. A file system with neither (no hard links either) is
 * checked first and renamed after: a window of microseconds. Returns 0,
 * or -1 with errno set (EEXIST: something has that name). */
static int rename_new(int dirfd, const char *tmp, const char *name)
{
    int linked = testhook_is("THUMBIFY_TEST_NOREPLACE", "link");
    if (!linked && renameat2(dirfd, tmp, dirfd, name, RENAME_NOREPLACE) == 0)
        return 0;
    if (!linked && errno != EINVAL && errno != ENOSYS && errno != EOPNOTSUPP)
        return -1;
    if (linkat(dirfd, tmp, dirfd, name, 0) == 0) {
        unlinkat(dirfd, tmp, 0);
        return 0;
    }
    if (errno != EPERM && errno != EOPNOTSUPP && errno != ENOSYS)
        return -1;
    struct stat st;
    if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0) {
        errno = EEXIST;
        return -1;
    }
    return renameat(dirfd, tmp, dirfd, name);
}

/* The complete temp file tmp gets the final name. Without a guard it
 * replaces whatever is there. With one it takes the name only where
 * nothing has it, or where the guard, asked just before the rename, lets
 * the file there be replaced; a file that vanishes in between is tried
 * again. Fails with EEXIST ("exists") when the guard refuses; when the
 * name was taken at every try and free again when the guard looked, the
 * rename is what failed, for EEXIST: nothing was refused. */
static int put(const target *t, const char *tmp)
{
    if (!t->guard)
        return renameat(t->dirfd, tmp, t->dirfd, t->name) == 0 ? 0 : failed(t, OUTFILE_RENAME);
    for (int tries = 0; tries < 8; tries++) {
        if (rename_new(t->dirfd, tmp, t->name) == 0)
            return 0;
        if (errno != EEXIST)
            return failed(t, OUTFILE_RENAME);
        int may = t->guard->replaceable(t->dirfd, t->name, t->guard->arg);
        if (may == 0) {
            errno = EEXIST;
            return failed(t, OUTFILE_EXISTS);
        }
        if (may > 0)
            return renameat(t->dirfd, tmp, t->dirfd, t->name) == 0 ? 0 : failed(t, OUTFILE_RENAME);
    }
    errno = EEXIST;
    return failed(t, OUTFILE_RENAME);
}

/* The unnamed file fd, complete, gets its final name: linked straight to
 * it when there is none yet (linkat never replaces), else linked to a
 * temp name that put() renames over it. Returns 0, -1 (failed), or 1 when
 * it cannot be linked at all (no /proc): nothing was named then. */
static int name_unnamed(const target *t, int fd)
{
    if (link_fd(fd, t->dirfd, t->name) == 0)
        return 0;
    if (errno == ENOENT && faccessat(AT_FDCWD, "/proc/self/fd", F_OK, 0) != 0) {
        tmpfile_unlinkable = 1;
        return 1;
    }
    if (errno != EEXIST)
        return failed(t, OUTFILE_CREATE);
    char tmp[64];
    if (new_tmp_name(t, tmp, sizeof tmp) != 0)
        return failed(t, OUTFILE_CREATE);
    flock(fd, LOCK_EX); /* the temp name is locked until it is final */
    if (link_fd(fd, t->dirfd, tmp) != 0) {
        t->slot[0] = '\0';
        return failed(t, OUTFILE_CREATE);
    }
    if (put(t, tmp) != 0) {
        drop_tmp(t, tmp);
        return -1;
    }
    t->slot[0] = '\0';
    return 0;
}

/* Whether open(O_TMPFILE) failed because the file system (or the kernel,
 * before 3.11) has no unnamed files. */
static int no_tmpfile(int e)
{
    return e == EOPNOTSUPP || e == EISDIR || e == EINVAL;
}

/* The unnamed-file way. Returns 0, -1 (failed), or 1 when this file
 * system or process cannot do it: nothing was written then. */
static int via_unnamed(const target *t, const void *data, size_t len, int sync)
{
    if (tmpfile_unlinkable || testhook_is("THUMBIFY_TEST_TMPFILE", "named"))
        return 1;
    /* 0666: the user's umask decides, as for any file a tool creates */
    int fd = openat(t->dirfd, ".", O_TMPFILE | O_WRONLY | O_CLOEXEC, 0666);
    if (fd < 0)
        return no_tmpfile(errno) ? 1 : failed(t, OUTFILE_CREATE);
    int rc = fill(t, fd, data, len, sync);
    if (rc == 0) {
        testhook_stop("THUMBIFY_TEST_STOP_WRITTEN", t->path);
        rc = name_unnamed(t, fd);
    }
    close_keeping_errno(fd);
    return rc;
}

/* Creates a new temp file under a fresh random name (in tmp). */
static int create_named(const target *t, char *tmp, size_t cap)
{
    for (int tries = 0; tries < 8; tries++) {
        if (new_tmp_name(t, tmp, cap) != 0)
            return -1;
        int fd = openat(t->dirfd, tmp,
                        O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY, 0666);
        if (fd >= 0 || errno != EEXIST) {
            if (fd < 0)
                t->slot[0] = '\0';
            return fd;
        }
    }
    t->slot[0] = '\0';
    return -1;
}

/* The named-temp-file way: written, closed (where NFS reports a failed
 * write), renamed over the final name. A duplicate of the descriptor keeps
 * the flock through the close until the name is final. */
static int via_named(const target *t, const void *data, size_t len, int sync)
{
    char tmp[64];
    int fd = create_named(t, tmp, sizeof tmp);
    if (fd < 0)
        return failed(t, OUTFILE_CREATE);
    int lock = dup(fd);
    if (lock >= 0)
        flock(lock, LOCK_EX);
    int rc = fill(t, fd, data, len, sync);
    testhook_stop("THUMBIFY_TEST_STOP_WRITTEN", t->path);
    if (rc != 0)
        close_keeping_errno(fd);
    else if (close(fd) != 0)
        rc = failed(t, OUTFILE_CLOSE);
    if (rc == 0)
        rc = put(t, tmp);
    if (rc != 0)
        drop_tmp(t, tmp);
    t->slot[0] = '\0';
    if (lock >= 0)
        close_keeping_errno(lock);
    return rc;
}

int outfile_write(int dirfd, const char *path, const void *data, size_t len, int sync,
                  const outfile_guard *guard, char *tmp_slot, size_t tmp_cap, outfile_step *what)
{
    const char *slash = strrchr(path, '/');
    size_t dirlen = slash ? (size_t)(slash - path + 1) : 0;
    target t = {dirfd, path, dirlen, path + dirlen, tmp_slot, tmp_cap, guard, what};
    tmp_slot[0] = '\0';
    int rc = via_unnamed(&t, data, len, sync);
    return rc <= 0 ? rc : via_named(&t, data, len, sync);
}

int outfile_write_path(const char *path, const void *data, size_t len, int sync, char *tmp_slot,
                       size_t tmp_cap, outfile_step *what)
{
    const char *slash = strrchr(path, '/');
    char dir[PATH_MAX];
    int n = !slash          ? snprintf(dir, sizeof dir, ".")
            : slash == path ? snprintf(dir, sizeof dir, "/")
                            : snprintf(dir, sizeof dir, "%.*s", (int)(slash - path), path);
    int dirfd = n > 0 && (size_t)n < sizeof dir ? open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC) : -1;
    if (dirfd < 0) {
        if (n <= 0 || (size_t)n >= sizeof dir)
            errno = ENAMETOOLONG;
        *what = OUTFILE_CREATE;
        return -1;
    }
    int rc = outfile_write(dirfd, path, data, len, sync, NULL, tmp_slot, tmp_cap, what);
    close_keeping_errno(dirfd);
    return rc;
}
