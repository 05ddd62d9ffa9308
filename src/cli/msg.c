/* msg.c - formatted one-write messages on stderr. */
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <unistd.h>

#include "msg.h"

static int erase_first;

void msg_erase_first(int on)
{
    erase_first = on;
}

static void emit(const char *path, const char *kind, const char *fmt, va_list ap)
{
    char buf[2 * PATH_MAX + 1024]; /* whole: the source's path, then one more and a reason */
    const char *erase = erase_first ? "\r\033[K" : "";
    int n;
    if (path)
        n = snprintf(buf, sizeof buf, "%sthumbify: %s: %s", erase, path, kind);
    else
        n = snprintf(buf, sizeof buf, "%s%s", erase, kind);
    if (n < 0 || (size_t)n >= sizeof buf - 2)
        n = (int)sizeof buf - 2;
    int m = vsnprintf(buf + n, sizeof buf - 1 - (size_t)n, fmt, ap);
    n += m < 0 ? 0 : m;
    if ((size_t)n > sizeof buf - 2)
        n = (int)sizeof buf - 2;
    buf[n++] = '\n';
    /* stderr may be a pipe closed by the reader: nothing more to do then */
    for (const char *p = buf; n > 0;) {
        ssize_t w = write(STDERR_FILENO, p, (size_t)n);
        if (w <= 0)
            break;
        p += w;
        n -= (int)w;
    }
}

void msg_error(const char *path, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    emit(path, "", fmt, ap);
    va_end(ap);
}

void msg_warning(const char *path, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    emit(path, "warning: ", fmt, ap);
    va_end(ap);
}

void msg_line(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    emit(NULL, "", fmt, ap);
    va_end(ap);
}
