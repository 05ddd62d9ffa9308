/* thumbfacts.c - a thumbnail's header and stamp read (see thumbfacts.h). */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "stamp.h"
#include "thumbfacts.h"

/* Enough for what thumbify writes before the frame header: SOI, JFIF,
 * the stamp, the quantisation tables. */
#define HEAD_MAX 4096

static int be16(const unsigned char *p)
{
    return p[0] << 8 | p[1];
}

static int be31(const unsigned char *p)
{
    unsigned long v = (unsigned long)p[0] << 24 | (unsigned long)p[1] << 16 | p[2] << 8 | p[3];
    return v <= 0x7fffffffUL ? (int)v : 0;
}

/* The first SOFn segment's size: walked marker by marker, as a decoder
 * would, so no stamp or profile bytes are mistaken for one. */
static void jpeg_size(const unsigned char *d, size_t n, thumb_facts *f)
{
    size_t i = 2;
    while (i + 4 <= n && d[i] == 0xff) {
        int m = d[i + 1];
        if (m == 0xff) { /* fill byte */
            i++;
            continue;
        }
        if (m == 0x01 || (m >= 0xd0 && m <= 0xd8)) { /* no length */
            i += 2;
            continue;
        }
        int sof = m >= 0xc0 && m <= 0xcf && m != 0xc4 && m != 0xc8 && m != 0xcc;
        if (sof && i + 9 <= n) {
            f->h = be16(d + i + 5);
            f->w = be16(d + i + 7);
            return;
        }
        if (sof || m == 0xd9 || m == 0xda)
            return;
        i += 2 + (size_t)be16(d + i + 2);
    }
}

static int le24(const unsigned char *p)
{
    return p[0] | p[1] << 8 | p[2] << 16;
}

/* The header's facts; the stamp's are read from area (n_area bytes, see
 * stamp_read_area), which for a WebP thumbnail holds its end. */
static void parse(const unsigned char *d, size_t n, const char *area, ssize_t n_area,
                  thumb_facts *f)
{
    if (n >= 30 && memcmp(d, "RIFF", 4) == 0 && memcmp(d + 8, "WEBPVP8X", 8) == 0) {
        f->format = "webp"; /* the canvas of the extended format thumbify writes */
        f->w = le24(d + 24) + 1;
        f->h = le24(d + 27) + 1;
    } else if (n >= 24 && memcmp(d, "\x89PNG\r\n\x1a\n", 8) == 0 && memcmp(d + 12, "IHDR", 4) == 0) {
        f->format = "png";
        f->w = be31(d + 16);
        f->h = be31(d + 20);
    } else if (n >= 3 && d[0] == 0xff && d[1] == 0xd8 && d[2] == 0xff) {
        f->format = "jpeg";
        jpeg_size(d, n, f);
    }
    if (n_area <= 0 ||
        stamp_info(area, (size_t)n_area, &f->src_size, f->src_format, sizeof f->src_format) != 0)
        f->src_size = -1;
}

int thumbfacts_read(const char *path, thumb_facts *f)
{
    *f = (thumb_facts){.src_size = -1};
    unsigned char head[HEAD_MAX];
    struct stat st;
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NOFOLLOW | O_NONBLOCK);
    if (fd < 0)
        return -1;
    char area[STAMP_AREA];
    ssize_t n = fstat(fd, &st) == 0 && S_ISREG(st.st_mode) ? pread(fd, head, sizeof head, 0) : -1;
    /* the stamp's area from the bytes just read: read once */
    ssize_t n_area = n < 0 ? -1 : stamp_area_from(fd, &st, (const char *)head, (size_t)n, area);
    close(fd);
    if (n < 0)
        return -1;
    parse(head, (size_t)n, area, n_area, f);
    return 0;
}
