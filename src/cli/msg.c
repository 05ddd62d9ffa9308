/* msg.c - formatted one-write messages on stderr, and the escaping of the
 * names in them. */
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "msg.h"

static int erase_first;

void msg_erase_first(int on)
{
    erase_first = on;
}

/* The length of the valid, printable UTF-8 sequence at s (n bytes left),
 * or 0: a bad lead or continuation byte, an overlong form, a surrogate,
 * beyond U+10FFFF, or a C1 control (a terminal acts on those too). */
static size_t utf8_printable(const unsigned char *s, size_t n)
{
    size_t len = s[0] >= 0xf0 ? 4 : s[0] >= 0xe0 ? 3 : s[0] >= 0xc0 ? 2 : 0;
    if (len == 0 || len > n || s[0] > 0xf4)
        return 0;
    unsigned cp = s[0] & (0x7f >> len);
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xc0) != 0x80)
            return 0;
        cp = cp << 6 | (s[i] & 0x3f);
    }
    static const unsigned least[] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < least[len] || (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff || cp <= 0x9f)
        return 0;
    return len;
}

char *msg_escape(char *dst, size_t cap, const char *src)
{
    static const char named[] = "abtnvfr"; /* \a (7) to \r (13) */
    const unsigned char *s = (const unsigned char *)src;
    size_t o = 0, n = strlen(src);
    for (size_t i = 0; i < n;) {
        char esc[5];
        size_t len = 0, k = s[i] >= 0x80 ? utf8_printable(s + i, n - i) : 1;
        if (s[i] == '\\')
            len = (size_t)snprintf(esc, sizeof esc, "\\\\");
        else if (s[i] >= 7 && s[i] <= 13)
            len = (size_t)snprintf(esc, sizeof esc, "\\%c", named[s[i] - 7]);
        else if (s[i] < 0x20 || s[i] == 0x7f || k == 0)
            k = 1, len = (size_t)snprintf(esc, sizeof esc, "\\%03o", s[i]);
        const char *out = len ? esc : (const char *)s + i; /* k bytes as they are */
        size_t outlen = len ? len : k;
        if (o + outlen >= cap)
            break;
        memcpy(dst + o, out, outlen);
        o += outlen;
        i += k;
    }
    dst[o] = '\0';
    return dst;
}

static void write_all(const char *p, size_t n)
{
    /* stderr may be a pipe closed by the reader: nothing more to do then */
    while (n > 0) {
        ssize_t w = write(STDERR_FILENO, p, n);
        if (w <= 0)
            break;
        p += w;
        n -= (size_t)w;
    }
}

static void emit(const char *path, const char *kind, const char *fmt, va_list ap)
{
    /* whole: the source's path, then one more and a reason */
    char raw[2 * PATH_MAX + 1024], line[4 * sizeof raw + 8];
    int n = path ? snprintf(raw, sizeof raw, "thumbify: %s: %s", path, kind)
                 : snprintf(raw, sizeof raw, "%s", kind);
    if (n < 0 || (size_t)n >= sizeof raw)
        n = (int)sizeof raw - 1;
    vsnprintf(raw + n, sizeof raw - (size_t)n, fmt, ap);
    size_t pre = erase_first ? 4 : 0;
    memcpy(line, "\r\033[K", pre);
    msg_escape(line + pre, sizeof line - pre - 1, raw);
    size_t len = strlen(line);
    line[len++] = '\n';
    write_all(line, len);
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
