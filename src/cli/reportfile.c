/* reportfile.c - the report saved (see reportfile.h). */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "outfile.h"
#include "reportfile.h"

/* Whether the file at path holds same_if in its first bytes: the report
 * it holds says the same, and it is left as it is. */
static int unchanged(const char *path, const char *same_if)
{
    char head[512];
    struct stat st;
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
    if (fd < 0)
        return 0;
    ssize_t n = fstat(fd, &st) == 0 && S_ISREG(st.st_mode) ? pread(fd, head, sizeof head, 0) : -1;
    close(fd);
    return n > 0 && memmem(head, (size_t)n, same_if, strlen(same_if)) != NULL;
}

/* The descriptor a path names when it is one of the process's own
 * (/dev/stdout, /dev/stderr, /dev/fd/N, /proc/self/fd/N), else -1: such a
 * descriptor is written as it is, so that `--report /dev/stdout >>log`
 * appends as the shell asked, where opening the path again would truncate
 * the file behind it. */
static int own_fd(const char *path)
{
    if (strcmp(path, "/dev/stdout") == 0)
        return 1;
    if (strcmp(path, "/dev/stderr") == 0)
        return 2;
    const char *n = strncmp(path, "/dev/fd/", 8) == 0          ? path + 8
                    : strncmp(path, "/proc/self/fd/", 14) == 0 ? path + 14
                                                               : NULL;
    if (!n || *n < '0' || *n > '9')
        return -1;
    char *end;
    long fd = strtol(n, &end, 10);
    return *end == '\0' && fd <= INT_MAX ? (int)fd : -1;
}

/* A new or regular file gets the report atomically (temp file + rename),
 * through a symbolic link onto the file it points to, so the link stays.
 * A FIFO or device is opened and written, as is a link to nothing yet
 * (creating its target); a descriptor of our own is written as it is. */
int reportfile_save(const char *path, const char *text, size_t len, const char *same_if)
{
    int fd = own_fd(path);
    if (fd >= 0)
        return outfile_write_all(fd, text, len);
    struct stat st, lst;
    char real[PATH_MAX], tmp[PATH_MAX];
    outfile_step what = OUTFILE_WRITE;
    int exists = stat(path, &st) == 0;
    if ((exists && S_ISREG(st.st_mode)) || (!exists && lstat(path, &lst) != 0)) {
        if (exists && unchanged(path, same_if))
            return 0;
        const char *target = exists && realpath(path, real) ? real : path;
        return outfile_write_path(target, text, len, 0, tmp, sizeof tmp, &what);
    }
    /* a device or FIFO; or a link to nothing yet, whose target is made */
    int flags = O_WRONLY | O_CLOEXEC | O_NOCTTY | (exists ? 0 : O_CREAT | O_TRUNC);
    if ((fd = open(path, flags, 0666)) < 0)
        return -1;
    int rc = outfile_write_all(fd, text, len);
    int saved = errno;
    if (close(fd) != 0 && rc == 0)
        return -1;
    errno = saved;
    return rc;
}
