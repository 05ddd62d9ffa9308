/* stamp.c - the up-to-date check: a stamp string in the thumbnail. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "stamp.h"

/* Bump when a change to thumbify changes its output for the same options. */
#define STAMP_VERSION 2 /* 2: the source's format follows the compared part */

/* Every stamp starts so: a file that has it is a thumbnail. */
#define STAMP_PREFIX "thumbify-stamp "

/* FNV-1a 64 of s: --name's template in a fixed-size field, whatever its
 * bytes. */
static unsigned long long hash(const char *s)
{
    unsigned long long h = 0xcbf29ce484222325ULL;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        h = (h ^ *p) * 0x100000001b3ULL;
    return h;
}

/* What follows the compared part: facts about the source for the report,
 * known only once it is read. */
#define STAMP_INFO " in="


/* "75x75" or "75x75,150x150,...": -s as it was meant */
static void sizes(char *buf, size_t cap, const cli_options *o)
{
    size_t n = 0;
    buf[0] = '\0';
    for (int i = 0; i < o->nsizes && n < cap; i++)
        n += (size_t)snprintf(buf + n, cap - n, "%s%dx%d", i ? "," : "", o->sizes[i].w,
                              o->sizes[i].h);
}

void stamp_make(char *buf, size_t cap, const cli_options *o, const struct stat *st)
{
    const tf_params *p = &o->params;
    char name[32] = "", size[TF_MAX_BOXES * 12];
    /* --name and --crop only when given, so that thumbnails made before
     * they existed stay up to date; before src=, so that the stamp without
     * them (which stamp_check looks for anywhere in the file) is no part of
     * the stamp with them: at the end, "... emb=0" would be found in
     * "... emb=0 crop" and a fit run would take a crop for up to date. */
    if (o->name)
        snprintf(name, sizeof name, "name=%016llx ", hash(o->name));
    sizes(size, sizeof size, o);
    snprintf(buf, cap, STAMP_PREFIX "%d %s%ssrc=%lld:%lld.%09ld size=%s format=%d q=%d emb=%d",
             STAMP_VERSION, name, p->fit == TF_FIT_CROP ? "crop " : "", (long long)st->st_size,
             (long long)st->st_mtim.tv_sec, st->st_mtim.tv_nsec, size, (int)p->format, p->quality,
             p->use_embedded);
}

/* A WebP thumbnail's stamp is in its XMP chunk, which the container puts
 * after the image (webp_encode.c): for a WebP file the last STAMP_READ
 * bytes are read too, after the first. */
static int is_webp(const char *head, ssize_t n)
{
    return n >= 12 && memcmp(head, "RIFF", 4) == 0 && memcmp(head + 8, "WEBP", 4) == 0;
}

ssize_t stamp_area_from(int fd, const struct stat *st, const char *head, size_t n, char *buf)
{
    size_t k = n < STAMP_READ ? n : STAMP_READ;
    if (buf != head)
        memcpy(buf, head, k);
    if (k < STAMP_READ || !is_webp(buf, (ssize_t)k) || st->st_size <= (off_t)k)
        return (ssize_t)k;
    off_t from = st->st_size - STAMP_READ > (off_t)k ? st->st_size - STAMP_READ : (off_t)k;
    size_t len = (size_t)(st->st_size - from);
    size_t have = (off_t)n > from ? (size_t)((off_t)n - from) : 0; /* of it in head */
    have = have < len ? have : len;
    if (have)
        memcpy(buf + k, head + from, have);
    ssize_t t = have < len ? pread(fd, buf + k + have, len - have, from + (off_t)have) : 0;
    return t < 0 ? -1 : (ssize_t)(k + have) + t;
}

ssize_t stamp_read_area(int fd, const struct stat *st, char *buf)
{
    ssize_t n = pread(fd, buf, STAMP_READ, 0);
    return n < 0 ? -1 : stamp_area_from(fd, st, buf, (size_t)n, buf);
}

/* The source's format by its first bytes (what the core goes by too). */
static const char *source_format(const unsigned char *d, size_t len)
{
    if (len >= 3 && d[0] == 0xff && d[1] == 0xd8 && d[2] == 0xff)
        return "jpeg";
    if (len >= 8 && memcmp(d, "\x89PNG\r\n\x1a\n", 8) == 0)
        return "png";
    return "unknown";
}

void stamp_describe(char *buf, size_t cap, const char *stamp, const void *src, size_t len)
{
    snprintf(buf, cap, "%s" STAMP_INFO "%s", stamp, source_format(src, len));
}

/* The stamp's text from its prefix on: up to cap-1 bytes, to the first
 * byte that cannot be in a stamp (the PNG tEXt chunk's CRC, the next JPEG
 * marker). */
static void stamp_text(const char *head, size_t n, char *text, size_t cap)
{
    const char *s = memmem(head, n, STAMP_PREFIX, sizeof STAMP_PREFIX - 1);
    size_t k = 0;
    for (size_t i = s ? (size_t)(s - head) : n; i < n && k + 1 < cap; i++) {
        unsigned char c = (unsigned char)head[i];
        if (c < 0x20 || c > 0x7e)
            break;
        text[k++] = (char)c;
    }
    text[k] = '\0';
}

int stamp_info(const char *head, size_t n, long long *src_size, char *fmt, size_t fmt_cap)
{
    char text[STAMP_MAX + 32];
    stamp_text(head, n, text, sizeof text);
    const char *src = strstr(text, " src="), *in = strstr(text, STAMP_INFO);
    if (!*text || !src || sscanf(src, " src=%lld:", src_size) != 1)
        return -1;
    /* matched by name: a PNG's tEXt chunk is followed by its CRC, whose
     * bytes may be letters */
    static const char *const known[] = {"jpeg", "png", "unknown"};
    snprintf(fmt, fmt_cap, "%s", "");
    for (size_t i = 0; in && i < sizeof known / sizeof *known; i++)
        if (strncmp(in + sizeof STAMP_INFO - 1, known[i], strlen(known[i])) == 0)
            snprintf(fmt, fmt_cap, "%s", known[i]);
    return 0;
}

int stamp_is_thumbnail(int fd)
{
    char head[STAMP_AREA];
    struct stat st;
    ssize_t n = fstat(fd, &st) == 0 ? stamp_read_area(fd, &st, head) : -1;
    return n > 0 && memmem(head, (size_t)n, STAMP_PREFIX, sizeof STAMP_PREFIX - 1) != NULL;
}

stamp_state stamp_check(const char *path, const char *stamp)
{
    return stamp_check_at(AT_FDCWD, path, stamp);
}

/* What a failed open of path says: no such name (the write will say why
 * it cannot be made), not a regular file (a symlink refused by O_NOFOLLOW,
 * a socket: not ours), or a file that cannot be read, errno kept. */
static stamp_state open_failed(int dirfd, const char *path)
{
    int e = errno;
    struct stat st;
    if (e == ENOENT || e == ENAMETOOLONG || e == ENOTDIR)
        return STAMP_NONE;
    if (fstatat(dirfd, path, &st, AT_SYMLINK_NOFOLLOW) == 0 && !S_ISREG(st.st_mode))
        return STAMP_FOREIGN;
    errno = e;
    return STAMP_ERROR;
}

stamp_state stamp_check_at(int dirfd, const char *path, const char *stamp)
{
    char head[STAMP_AREA];
    struct stat st;
    int fd = openat(dirfd, path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NOFOLLOW | O_NONBLOCK);
    if (fd < 0)
        return open_failed(dirfd, path);
    int known = fstat(fd, &st) == 0, regular = known && S_ISREG(st.st_mode);
    ssize_t n = regular ? stamp_read_area(fd, &st, head) : -1;
    int e = errno;
    close(fd);
    if (!known || (regular && n < 0)) { /* an I/O error: who made it is not known */
        errno = e;
        return STAMP_ERROR;
    }
    if (n == 0)
        return STAMP_STALE; /* an empty file (a crash before its data reached the disk): nothing
                               to lose */
    if (n < 0 || !memmem(head, (size_t)n, STAMP_PREFIX, sizeof STAMP_PREFIX - 1))
        return STAMP_FOREIGN;
    return memmem(head, (size_t)n, stamp, strlen(stamp)) ? STAMP_CURRENT : STAMP_STALE;
}
