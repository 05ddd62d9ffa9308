/* exif.c - a defensive reader of the EXIF orientation and thumbnail.
 *
 * Every offset in the file is untrusted, so all reads go through get16() and
 * get32(), which check the span first. Spans are checked as
 * `off <= len && n <= len - off`, never by adding to an offset, so a value
 * such as 0xFFFFFFF0 cannot wrap around size_t (32-bit hosts included). */
#include <stdint.h>
#include <string.h>

#include "exif.h"

#define EXIF_HDR_LEN 6 /* "Exif\0\0" before the TIFF block */
#define TIFF_HDR_LEN 8 /* byte order, 42, IFD0 offset */
#define TIFF_MAGIC 42
#define ENTRY_LEN 12 /* tag, type, count, value or offset */

#define TAG_ORIENTATION 0x0112
#define TAG_THUMB_OFFSET 0x0201
#define TAG_THUMB_LEN 0x0202

#define TYPE_SHORT 3
#define TYPE_LONG 4

/* The TIFF block: offsets in the file are relative to its first byte. */
typedef struct tiff_view {
    const unsigned char *p;
    size_t len;
    int big_endian;
} tiff_view;

typedef struct ifd_entry {
    unsigned tag, type;
    uint32_t count;
    size_t value_at; /* offset of the 4-byte value field */
} ifd_entry;

/* Whether n bytes at off lie inside a block of len bytes, without overflow. */
static int fits(size_t len, size_t off, size_t n)
{
    return off <= len && n <= len - off;
}

static int get16(const tiff_view *t, size_t off, unsigned *v)
{
    if (!fits(t->len, off, 2))
        return 0;
    const unsigned char *b = t->p + off;
    *v = t->big_endian ? (unsigned)b[0] << 8 | b[1] : (unsigned)b[1] << 8 | b[0];
    return 1;
}

static int get32(const tiff_view *t, size_t off, uint32_t *v)
{
    if (!fits(t->len, off, 4))
        return 0;
    const unsigned char *b = t->p + off;
    if (t->big_endian)
        *v = (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
    else
        *v = (uint32_t)b[3] << 24 | (uint32_t)b[2] << 16 | (uint32_t)b[1] << 8 | b[0];
    return 1;
}

/* Checks a TIFF header at p; on success fills *t and *ifd0. */
static int open_tiff_block(const unsigned char *p, size_t len, tiff_view *t, size_t *ifd0)
{
    if (!p || len < TIFF_HDR_LEN)
        return 0;
    t->p = p;
    t->len = len;
    if (p[0] == 'I' && p[1] == 'I')
        t->big_endian = 0;
    else if (p[0] == 'M' && p[1] == 'M')
        t->big_endian = 1;
    else
        return 0;
    unsigned magic;
    uint32_t off;
    if (!get16(t, 2, &magic) || magic != TIFF_MAGIC || !get32(t, 4, &off))
        return 0;
    /* An IFD inside the header would reinterpret it as entries: refuse. */
    if (off < TIFF_HDR_LEN)
        return 0;
    *ifd0 = off;
    return 1;
}

/* Checks "Exif\0\0" and the TIFF header after it. */
static int open_tiff(const unsigned char *data, size_t len, tiff_view *t, size_t *ifd0)
{
    if (!data || len < EXIF_HDR_LEN || memcmp(data, "Exif\0\0", EXIF_HDR_LEN) != 0)
        return 0;
    return open_tiff_block(data + EXIF_HDR_LEN, len - EXIF_HDR_LEN, t, ifd0);
}

/* Reads an IFD's entry count, and accepts the IFD only when all of its
 * entries lie inside the block: a count that overruns means the offset or
 * the count is garbage, and the entries cannot be trusted either. */
static int ifd_open(const tiff_view *t, size_t off, unsigned *count)
{
    return get16(t, off, count) && fits(t->len, off + 2, (size_t)*count * ENTRY_LEN);
}

/* Entry i of an IFD accepted by ifd_open(). The reads cannot fail there,
 * but are still checked so that no path uses an unread field. */
static int ifd_entry_at(const tiff_view *t, size_t ifd, unsigned i, ifd_entry *e)
{
    size_t at = ifd + 2 + (size_t)i * ENTRY_LEN;
    e->value_at = at + 8;
    return get16(t, at, &e->tag) && get16(t, at + 2, &e->type) && get32(t, at + 4, &e->count);
}

/* The offset of the IFD after this one, or 0 when none or unreadable. */
static size_t ifd_next(const tiff_view *t, size_t ifd, unsigned count)
{
    uint32_t next;
    if (!get32(t, ifd + 2 + (size_t)count * ENTRY_LEN, &next))
        return 0;
    return next;
}

/* The value of a single SHORT or LONG held inline in the entry; 0 (false)
 * for any other type or count, which is how a wrong entry is ignored. */
static int entry_short(const tiff_view *t, const ifd_entry *e, unsigned *v)
{
    return e->type == TYPE_SHORT && e->count == 1 && get16(t, e->value_at, v);
}

static int entry_long(const tiff_view *t, const ifd_entry *e, uint32_t *v)
{
    return e->type == TYPE_LONG && e->count == 1 && get32(t, e->value_at, v);
}

static void read_orientation(const tiff_view *t, size_t ifd, unsigned count, tf_exif *out)
{
    for (unsigned i = 0; i < count; i++) {
        ifd_entry e;
        unsigned v;
        if (!ifd_entry_at(t, ifd, i, &e))
            return;
        if (e.tag == TAG_ORIENTATION && entry_short(t, &e, &v)) {
            out->orientation = v >= 1 && v <= 8 ? (int)v : 1;
            return;
        }
    }
}

/* Reports the IFD1 thumbnail only when it is wholly inside the buffer and
 * looks like a JPEG, so a caller may decode it without checking again. */
static void read_thumbnail(const tiff_view *t, size_t ifd, unsigned count, tf_exif *out)
{
    uint32_t off = 0, n = 0;
    int have_off = 0, have_len = 0;
    for (unsigned i = 0; i < count; i++) {
        ifd_entry e;
        if (!ifd_entry_at(t, ifd, i, &e))
            return;
        if (e.tag == TAG_THUMB_OFFSET && !have_off)
            have_off = entry_long(t, &e, &off);
        else if (e.tag == TAG_THUMB_LEN && !have_len)
            have_len = entry_long(t, &e, &n);
    }
    if (!have_off || !have_len || n < 2 || !fits(t->len, off, n))
        return;
    if (t->p[off] != 0xFF || t->p[off + 1] != 0xD8)
        return;
    /* The caller counts from the APP1 payload, which starts before "Exif". */
    out->thumb_offset = EXIF_HDR_LEN + (size_t)off;
    out->thumb_len = n;
}

void tf_exif_parse(const unsigned char *data, size_t len, tf_exif *out)
{
    out->orientation = 1;
    out->thumb_offset = 0;
    out->thumb_len = 0;

    tiff_view t;
    size_t ifd0;
    unsigned count0;
    if (!open_tiff(data, len, &t, &ifd0) || !ifd_open(&t, ifd0, &count0))
        return;
    read_orientation(&t, ifd0, count0, out);

    /* IFD1 must be a different IFD outside the header; pointing back at
     * IFD0 is the usual loop, and anything past IFD1 is never followed. */
    size_t ifd1 = ifd_next(&t, ifd0, count0);
    unsigned count1;
    if (ifd1 < TIFF_HDR_LEN || ifd1 == ifd0 || !ifd_open(&t, ifd1, &count1))
        return;
    read_thumbnail(&t, ifd1, count1, out);
}

int tf_exif_tiff_orientation(const unsigned char *tiff, size_t len)
{
    tf_exif out = {.orientation = 1};
    tiff_view t;
    size_t ifd0;
    unsigned count0;
    if (open_tiff_block(tiff, len, &t, &ifd0) && ifd_open(&t, ifd0, &count0))
        read_orientation(&t, ifd0, count0, &out);
    return out.orientation;
}
