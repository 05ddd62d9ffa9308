/* outfile.c - temp file plus rename. */
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "outfile.h"

/* TMP path for path's directory: DIR/.thumbify-PID-N.tmp */
static int tmp_name(const char *path, char *buf, size_t cap)
{
    static unsigned long counter;
    const char *slash = strrchr(path, '/');
    int dirlen = slash ? (int)(slash - path + 1) : 0;
    int n = snprintf(buf, cap, "%.*s" OUTFILE_TMP_PREFIX "%ld-%lu" OUTFILE_TMP_SUFFIX, dirlen, path,
                     (long)getpid(), counter++);
    if (n < 0 || (size_t)n >= cap) {
        errno = ENAMETOOLONG;
        return -1;
    }
    return 0;
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

/* Unlinks the temp file and clears the slot, keeping errno. */
static int discard(char *tmp_slot, const char **what, const char *step)
{
    int e = errno;
    unlink(tmp_slot);
    tmp_slot[0] = '\0';
    *what = step;
    errno = e;
    return -1;
}

int outfile_write(const char *path, const void *data, size_t len, int sync, char *tmp_slot,
                  size_t tmp_cap, const char **what)
{
    *what = "create";
    if (tmp_name(path, tmp_slot, tmp_cap) != 0)
        return -1;
    /* 0666: the user's umask decides, as for any file a tool creates */
    int fd = open(tmp_slot, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOCTTY, 0666);
    if (fd < 0) {
        tmp_slot[0] = '\0';
        return -1;
    }
    if (outfile_write_all(fd, data, len) != 0) {
        int e = errno;
        close(fd);
        errno = e;
        return discard(tmp_slot, what, "write");
    }
    if (sync && fsync(fd) != 0) {
        int e = errno;
        close(fd);
        errno = e;
        return discard(tmp_slot, what, "sync");
    }
    if (close(fd) != 0)
        return discard(tmp_slot, what, "close");
    if (rename(tmp_slot, path) != 0)
        return discard(tmp_slot, what, "rename");
    tmp_slot[0] = '\0';
    return 0;
}

/* The PID in ".thumbify-PID-N.tmp", or 0 when name is not ours. */
static long tmp_owner(const char *name)
{
    size_t pre = sizeof OUTFILE_TMP_PREFIX - 1, suf = sizeof OUTFILE_TMP_SUFFIX - 1;
    size_t len = strlen(name);
    if (len <= pre + suf || strncmp(name, OUTFILE_TMP_PREFIX, pre) != 0 ||
        strcmp(name + len - suf, OUTFILE_TMP_SUFFIX) != 0)
        return 0;
    char *end;
    long pid = strtol(name + pre, &end, 10);
    return *end == '-' && pid > 0 ? pid : 0;
}

/* Whether pid is gone: no such process, or a zombie (dead, not yet reaped:
 * right after a kill -9 of a run, its orphaned workers are that). */
static int process_gone(long pid)
{
    if (kill((pid_t)pid, 0) != 0)
        return errno == ESRCH;
    char path[64], buf[256];
    snprintf(path, sizeof path, "/proc/%ld/stat", pid);
    FILE *f = fopen(path, "re");
    if (!f)
        return 0;
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    const char *paren = strrchr(buf, ')'); /* "PID (comm) STATE ..." */
    return paren && paren[1] == ' ' && paren[2] == 'Z';
}

void outfile_remove_stale(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    struct dirent *e;
    while ((e = readdir(d))) {
        long pid = tmp_owner(e->d_name);
        if (pid && process_gone(pid))
            unlinkat(dirfd(d), e->d_name, 0);
    }
    closedir(d);
}
