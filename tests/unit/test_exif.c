/* test_exif.c - tf_exif_parse on synthetic APP1 payloads (and
 * tf_exif_tiff_orientation on their TIFF block alone) in both byte
 * orders: every orientation, invalid values and headers, bad offsets and
 * counts, IFD loops, the IFD1 thumbnail, every truncation of a valid
 * payload, and a fixed-seed random mutation run. Buffers handed to the
 * parser are malloc'd at their exact length, so a build with
 * -fsanitize=address,undefined turns any out-of-bounds read into a crash.
 * Loops count their own failures and end in one CHECK, so the totals are
 * checks, not iterations. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "exif.h"

/* The payload's layout: offsets in the TIFF block (T_*) are what the file
 * stores; the payload adds the 6 bytes of "Exif\0\0" in front. */
enum {
    EXIF_HDR = 6,
    T_IFD0 = 8,                 /* 3 entries: Make, Orientation, XResolution */
    T_ORIENT = T_IFD0 + 2 + 12, /* the orientation entry */
    T_IFD0_NEXT = T_IFD0 + 2 + 3 * 12,
    T_MAKE = T_IFD0_NEXT + 4, /* "Canon\0" */
    T_XRES = T_MAKE + 6,      /* RATIONAL 72/1 */
    T_IFD1 = T_XRES + 8,      /* 3 entries: Compression, offset, length */
    T_THUMB_OFF_ENTRY = T_IFD1 + 2 + 12,
    T_THUMB_LEN_ENTRY = T_IFD1 + 2 + 24,
    T_IFD1_NEXT = T_IFD1 + 2 + 3 * 12,
    T_THUMB = T_IFD1_NEXT + 4,
    THUMB_LEN = 20,
    T_END = T_THUMB + THUMB_LEN,
    FULL_LEN = EXIF_HDR + T_END,
    PAYLOAD_MAX = 256
};

typedef struct payload {
    unsigned char b[PAYLOAD_MAX];
    size_t len;
    int be;
} payload;

/* Writers at TIFF offsets, in the payload's byte order. */
static void put16(payload *p, size_t t, unsigned v)
{
    unsigned char *d = p->b + EXIF_HDR + t;
    d[p->be ? 0 : 1] = (unsigned char)(v >> 8);
    d[p->be ? 1 : 0] = (unsigned char)v;
}

static void put32(payload *p, size_t t, uint32_t v)
{
    unsigned char *d = p->b + EXIF_HDR + t;
    for (int i = 0; i < 4; i++)
        d[p->be ? i : 3 - i] = (unsigned char)(v >> (24 - 8 * i));
}

static void put_entry(payload *p, size_t t, unsigned tag, unsigned type, uint32_t count,
                      uint32_t value)
{
    put16(p, t, tag);
    put16(p, t + 2, type);
    put32(p, t + 4, count);
    if (type == 3 && count == 1) {
        put32(p, t + 8, 0); /* a SHORT sits in the first 2 bytes, rest 0 */
        put16(p, t + 8, value);
    } else {
        put32(p, t + 8, value);
    }
}

/* A well-formed payload shaped like a camera's: the orientation is not the
 * first entry of IFD0, and IFD1 holds a 20-byte JPEG thumbnail. */
static void build(payload *p, int be, unsigned orientation)
{
    memset(p, 0, sizeof *p);
    p->be = be;
    p->len = FULL_LEN;
    memcpy(p->b, "Exif\0\0", EXIF_HDR);
    memcpy(p->b + EXIF_HDR, be ? "MM\0*" : "II*\0", 4);
    put32(p, 4, T_IFD0);

    put16(p, T_IFD0, 3);
    put_entry(p, T_IFD0 + 2, 0x010F, 2, 6, T_MAKE);
    put_entry(p, T_ORIENT, 0x0112, 3, 1, orientation);
    put_entry(p, T_IFD0 + 2 + 24, 0x011A, 5, 1, T_XRES);
    put32(p, T_IFD0_NEXT, T_IFD1);
    memcpy(p->b + EXIF_HDR + T_MAKE, "Canon\0", 6);
    put32(p, T_XRES, 72);
    put32(p, T_XRES + 4, 1);

    put16(p, T_IFD1, 3);
    put_entry(p, T_IFD1 + 2, 0x0103, 3, 1, 6);
    put_entry(p, T_THUMB_OFF_ENTRY, 0x0201, 4, 1, T_THUMB);
    put_entry(p, T_THUMB_LEN_ENTRY, 0x0202, 4, 1, THUMB_LEN);
    put32(p, T_IFD1_NEXT, 0);
    unsigned char *th = p->b + EXIF_HDR + T_THUMB;
    for (int i = 0; i < THUMB_LEN; i++)
        th[i] = (unsigned char)(0x40 + i);
    th[0] = 0xFF, th[1] = 0xD8, th[THUMB_LEN - 2] = 0xFF, th[THUMB_LEN - 1] = 0xD9;
}

/* Parses the first len bytes of p from an exact-size heap copy. */
static tf_exif parse_n(const payload *p, size_t len)
{
    unsigned char *copy = len ? malloc(len) : NULL;
    tf_exif e;
    memset(&e, 0x5A, sizeof e); /* garbage in: every field must be set */
    if (len && !copy) {
        e.orientation = -1;
        return e;
    }
    if (len)
        memcpy(copy, p->b, len);
    tf_exif_parse(copy, len, &e);
    free(copy);
    return e;
}

static tf_exif parse(const payload *p)
{
    return parse_n(p, p->len);
}

static const char *order(int be)
{
    return be ? "MM" : "II";
}

static int no_thumb(const tf_exif *e)
{
    return e->thumb_offset == 0 && e->thumb_len == 0;
}

static int good_thumb(const tf_exif *e)
{
    return e->thumb_offset == EXIF_HDR + T_THUMB && e->thumb_len == THUMB_LEN;
}

static void orientations(void)
{
    for (int be = 0; be < 2; be++) {
        for (unsigned v = 1; v <= 8; v++) {
            payload p;
            build(&p, be, v);
            tf_exif e = parse(&p);
            CHECK(e.orientation == (int)v && good_thumb(&e), "%s orientation %u read (got %d)",
                  order(be), v, e.orientation);
        }
    }
}

static void invalid_orientations(void)
{
    static const unsigned bad[] = {0, 9, 0x0100, 0xFFFF};
    for (int be = 0; be < 2; be++) {
        for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
            payload p;
            build(&p, be, bad[i]);
            tf_exif e = parse(&p);
            CHECK(e.orientation == 1 && good_thumb(&e), "%s orientation %u -> 1 (got %d)",
                  order(be), bad[i], e.orientation);
        }
        payload p;
        build(&p, be, 6);
        put_entry(&p, T_ORIENT, 0x0112, 4, 1, 6);
        CHECK(parse(&p).orientation == 1, "%s orientation as LONG is ignored", order(be));
        build(&p, be, 6);
        put_entry(&p, T_ORIENT, 0x0112, 3, 2, 6);
        put16(&p, T_ORIENT + 8, 6);
        CHECK(parse(&p).orientation == 1, "%s orientation with count 2 is ignored", order(be));
        build(&p, be, 6);
        put16(&p, T_ORIENT, 0x0113);
        CHECK(parse(&p).orientation == 1, "%s no orientation tag -> 1", order(be));
    }
    /* The value is the first 2 bytes in the file's order: bytes 06 00 are
     * 6 little-endian but 0x0600 big-endian. */
    payload p;
    build(&p, 1, 1);
    memcpy(p.b + EXIF_HDR + T_ORIENT + 8, "\x06\x00\x00\x00", 4);
    CHECK(parse(&p).orientation == 1, "MM bytes 06 00 are 0x0600 -> 1");
    build(&p, 0, 1);
    memcpy(p.b + EXIF_HDR + T_ORIENT + 8, "\x06\x00\x00\x00", 4);
    CHECK(parse(&p).orientation == 6, "II bytes 06 00 are 6");
}

static void bad_headers(void)
{
    tf_exif e;
    memset(&e, 0x5A, sizeof e);
    tf_exif_parse(NULL, 0, &e);
    CHECK(e.orientation == 1 && no_thumb(&e), "NULL, 0 gives the defaults");

    static const struct {
        size_t at;
        const char *bytes;
        size_t n;
        const char *why;
    } t[] = {
        {0, "Exif\0\1", 6, "\"Exif\\0\\1\""},
        {0, "JFIF\0\0", 6, "\"JFIF\" instead of \"Exif\""},
        {0, "exif\0\0", 6, "lowercase \"exif\""},
        {6, "IM", 2, "byte order \"IM\""},
        {6, "MI", 2, "byte order \"MI\""},
        {8, "\x2B\x00", 2, "magic 43"},
        {6, "MM*\0", 4, "\"MM\" with a little-endian magic"},
        {6, "II\0*", 4, "\"II\" with a big-endian magic"},
    };
    for (int be = 0; be < 2; be++) {
        for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
            payload p;
            build(&p, be, 6);
            memcpy(p.b + t[i].at, t[i].bytes, t[i].n);
            if (t[i].at == 8 && be) /* magic 43 in the file's own order */
                memcpy(p.b + 8, "\x00\x2B", 2);
            e = parse(&p);
            CHECK(e.orientation == 1 && no_thumb(&e), "%s %s -> defaults", order(be), t[i].why);
        }
    }
}

/* Every prefix of a valid payload: no crash, and either the right value or
 * the default; once IFD0's entries fit the orientation must be found, and
 * the thumbnail only when all of it is there. */
static void truncations(void)
{
    for (int be = 0; be < 2; be++) {
        payload p;
        build(&p, be, 7);
        int bad = 0;
        size_t first_bad = 0;
        for (size_t n = 0; n <= p.len; n++) {
            tf_exif e = parse_n(&p, n);
            int orient_ok =
                n >= EXIF_HDR + T_IFD0 + 2 + 3 * 12 ? e.orientation == 7 : e.orientation == 1;
            int thumb_ok = n == p.len ? good_thumb(&e) : no_thumb(&e);
            if (!(orient_ok && thumb_ok) && bad++ == 0)
                first_bad = n;
        }
        CHECK(bad == 0, "%s truncated at each length 0..%zu (%d bad, first at %zu)", order(be),
              p.len, bad, first_bad);
    }
}

static void bad_ifd0(void)
{
    static const uint32_t offs[] = {0,         4,          7,          T_END - 1, T_END,
                                    T_END + 1, 0x7FFFFFFF, 0xFFFFFFF0, 0xFFFFFFFF};
    for (int be = 0; be < 2; be++) {
        for (size_t i = 0; i < sizeof offs / sizeof offs[0]; i++) {
            payload p;
            build(&p, be, 6);
            put32(&p, 4, offs[i]);
            tf_exif e = parse(&p);
            CHECK(e.orientation == 1 && no_thumb(&e), "%s IFD0 offset 0x%X -> defaults", order(be),
                  (unsigned)offs[i]);
        }
        /* Entries that would run past the end by one byte or by far. */
        static const unsigned counts[] = {(T_END - T_IFD0 - 2) / 12 + 1, 0x7FFF, 0xFFFF};
        for (size_t i = 0; i < sizeof counts / sizeof counts[0]; i++) {
            payload p;
            build(&p, be, 6);
            put16(&p, T_IFD0, counts[i]);
            tf_exif e = parse(&p);
            CHECK(e.orientation == 1 && no_thumb(&e), "%s IFD0 entry count %u -> defaults",
                  order(be), counts[i]);
        }
        /* The largest count that fits is accepted: orientation found. */
        payload p;
        build(&p, be, 6);
        put16(&p, T_IFD0, (T_END - T_IFD0 - 2) / 12);
        CHECK(parse(&p).orientation == 6, "%s largest IFD0 count that fits is read", order(be));
        build(&p, be, 6);
        put16(&p, T_IFD0, 0);
        CHECK(parse(&p).orientation == 1, "%s empty IFD0 -> 1", order(be));
    }
}

static void thumbnails(void)
{
    for (int be = 0; be < 2; be++) {
        payload p;
        build(&p, be, 3);
        tf_exif e = parse(&p);
        CHECK(good_thumb(&e) && p.b[e.thumb_offset] == 0xFF && p.b[e.thumb_offset + 1] == 0xD8 &&
                  p.b[e.thumb_offset + e.thumb_len - 1] == 0xD9,
              "%s thumbnail at %zu, %zu bytes, relative to data", order(be), e.thumb_offset,
              e.thumb_len);

        static const struct {
            uint32_t off, len;
            const char *why;
        } t[] = {
            {T_THUMB, THUMB_LEN + 1, "one byte past the end"},
            {T_THUMB + 1, THUMB_LEN, "shifted one byte past the end"},
            {T_END - 1, 2, "starting on the last byte"},
            {T_END, 0, "empty at the end"},
            {T_THUMB, 0, "length 0"},
            {T_THUMB, 1, "length 1"},
            {0xFFFFFFF0, THUMB_LEN, "offset 0xFFFFFFF0"},
            {0xFFFFFFF0, 0x20, "offset + length wrapping 32 bits"},
            {T_THUMB, 0xFFFFFFF0, "length 0xFFFFFFF0"},
            {0xFFFFFFFF, 0xFFFFFFFF, "offset and length 0xFFFFFFFF"},
            {T_THUMB + 2, THUMB_LEN - 2, "not starting FF D8"},
        };
        for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
            build(&p, be, 3);
            put32(&p, T_THUMB_OFF_ENTRY + 8, t[i].off);
            put32(&p, T_THUMB_LEN_ENTRY + 8, t[i].len);
            e = parse(&p);
            CHECK(no_thumb(&e) && e.orientation == 3, "%s thumbnail %s -> none", order(be),
                  t[i].why);
        }

        /* A smaller thumbnail that ends exactly at the end still counts. */
        build(&p, be, 3);
        p.b[EXIF_HDR + T_END - 2] = 0xFF, p.b[EXIF_HDR + T_END - 1] = 0xD8;
        put32(&p, T_THUMB_OFF_ENTRY + 8, T_END - 2);
        put32(&p, T_THUMB_LEN_ENTRY + 8, 2);
        e = parse(&p);
        CHECK(e.thumb_offset == FULL_LEN - 2 && e.thumb_len == 2,
              "%s thumbnail ending on the last byte is kept", order(be));

        build(&p, be, 3);
        put16(&p, T_THUMB_LEN_ENTRY, 0x0203);
        e = parse(&p);
        CHECK(no_thumb(&e), "%s offset without length -> none", order(be));
        build(&p, be, 3);
        put_entry(&p, T_THUMB_OFF_ENTRY, 0x0201, 3, 1, T_THUMB);
        e = parse(&p);
        CHECK(no_thumb(&e), "%s offset as SHORT -> none", order(be));
        build(&p, be, 3);
        put32(&p, T_THUMB_LEN_ENTRY + 4, 2);
        e = parse(&p);
        CHECK(no_thumb(&e), "%s length with count 2 -> none", order(be));
        /* Only IFD1 holds the thumbnail: the same tags in IFD0 are not it. */
        build(&p, be, 3);
        put_entry(&p, T_IFD0 + 2, 0x0201, 4, 1, T_THUMB);
        put_entry(&p, T_IFD0 + 2 + 24, 0x0202, 4, 1, THUMB_LEN);
        put32(&p, T_IFD0_NEXT, 0);
        e = parse(&p);
        CHECK(no_thumb(&e) && e.orientation == 3, "%s thumbnail tags in IFD0 ignored", order(be));
    }
}

/* Next-IFD pointers that loop must end the walk, keeping what was read. */
static void ifd_loops(void)
{
    for (int be = 0; be < 2; be++) {
        payload p;
        build(&p, be, 5);
        put32(&p, T_IFD0_NEXT, T_IFD0);
        tf_exif e = parse(&p);
        CHECK(e.orientation == 5 && no_thumb(&e), "%s IFD1 pointing back at IFD0 ends", order(be));

        /* The loop must not make IFD0 count as IFD1, even when IFD0 holds
         * thumbnail tags that would be valid there. */
        build(&p, be, 5);
        put_entry(&p, T_IFD0 + 2, 0x0201, 4, 1, T_THUMB);
        put_entry(&p, T_IFD0 + 2 + 24, 0x0202, 4, 1, THUMB_LEN);
        put32(&p, T_IFD0_NEXT, T_IFD0);
        e = parse(&p);
        CHECK(e.orientation == 5 && no_thumb(&e), "%s IFD0 looping on itself is not IFD1",
              order(be));

        build(&p, be, 5);
        put32(&p, T_IFD1_NEXT, T_IFD1);
        e = parse(&p);
        CHECK(e.orientation == 5 && good_thumb(&e), "%s IFD1 pointing at itself ends", order(be));

        build(&p, be, 5);
        put32(&p, T_IFD1_NEXT, T_IFD0);
        e = parse(&p);
        CHECK(e.orientation == 5 && good_thumb(&e), "%s IFD1 pointing back at IFD0 ends",
              order(be));

        static const uint32_t offs[] = {0, 4, T_END, 0xFFFFFFF0, 0xFFFFFFFF};
        for (size_t i = 0; i < sizeof offs / sizeof offs[0]; i++) {
            build(&p, be, 5);
            put32(&p, T_IFD0_NEXT, offs[i]);
            e = parse(&p);
            CHECK(e.orientation == 5 && no_thumb(&e), "%s IFD1 offset 0x%X -> no thumbnail",
                  order(be), (unsigned)offs[i]);
        }

        /* IFD1 whose entries overrun: no thumbnail, orientation kept. */
        build(&p, be, 5);
        put16(&p, T_IFD1, 0xFFFF);
        e = parse(&p);
        CHECK(e.orientation == 5 && no_thumb(&e), "%s IFD1 entry count 0xFFFF -> no thumbnail",
              order(be));
    }
}

static uint64_t next_rand(uint64_t *s) /* xorshift64*: fixed seed, repeatable */
{
    *s ^= *s >> 12;
    *s ^= *s << 25;
    *s ^= *s >> 27;
    return *s * 0x2545F4914F6CDD1DULL;
}

/* Damages p in place: random bytes, 0x00/0xFF, or a whole hostile 32-bit
 * value, mostly in the header and IFDs where the offsets live. */
static void mutate(payload *p, uint64_t *s)
{
    static const uint32_t words[] = {0,     1,          8,          T_IFD0,     T_IFD1,
                                     T_END, 0x7FFFFFFF, 0xFFFFFFF0, 0xFFFFFFFF, 0xFFFF};
    int k = 1 + (int)(next_rand(s) % 4);
    for (int i = 0; i < k; i++) {
        uint64_t r = next_rand(s);
        size_t span = r % 4 ? EXIF_HDR + T_THUMB : p->len;
        size_t at = (size_t)(r >> 8) % span;
        switch ((r >> 40) % 4) {
        case 0: p->b[at] = (unsigned char)(r >> 48); break;
        case 1: p->b[at] = (r >> 48) & 1 ? 0xFF : 0x00; break;
        case 2: p->b[at] ^= (unsigned char)(1u << ((r >> 48) % 8)); break;
        default:
            if (at + 4 <= p->len) {
                memcpy(p->b + at, &words[(r >> 48) % (sizeof words / sizeof words[0])], 4);
            }
            break;
        }
    }
    if (next_rand(s) % 4 == 0)
        p->len = (size_t)(next_rand(s) % (p->len + 1));
}

/* Whatever the damage, the result obeys the contract: an orientation in
 * 1..8 and a thumbnail that is either absent or inside the buffer and
 * starting FF D8. Out-of-bounds reads are the sanitizer's to catch. */
static void mutations(void)
{
    enum { RUNS = 200000 };
    uint64_t seed = 0x7468756D62696679ULL; /* "thumbify" */
    int bad = 0, rotated = 0, thumbs = 0;
    for (int i = 0; i < RUNS; i++) {
        payload p;
        build(&p, i & 1, 6);
        mutate(&p, &seed);
        unsigned char *copy = malloc(p.len ? p.len : 1);
        if (!copy) {
            bad++;
            continue;
        }
        memcpy(copy, p.b, p.len);
        tf_exif e;
        memset(&e, 0x5A, sizeof e);
        tf_exif_parse(p.len ? copy : NULL, p.len, &e);
        int ok = e.orientation >= 1 && e.orientation <= 8;
        if (e.thumb_len) {
            ok = ok && e.thumb_len >= 2 && e.thumb_offset <= p.len &&
                 e.thumb_len <= p.len - e.thumb_offset && copy[e.thumb_offset] == 0xFF &&
                 copy[e.thumb_offset + 1] == 0xD8;
            thumbs++;
        } else {
            ok = ok && e.thumb_offset == 0;
        }
        rotated += e.orientation != 1;
        bad += !ok;
        free(copy);
    }
    CHECK(bad == 0,
          "%d random mutations keep the contract (%d bad; %d kept an orientation, "
          "%d a thumbnail)",
          RUNS, bad, rotated, thumbs);
}

/* tf_exif_tiff_orientation on the TIFF block alone (a PNG eXIf chunk's
 * layout), from exact-size copies: every orientation in both orders, and
 * every truncation gives the value or 1, never a read past the end; the
 * APP1 payload itself ("Exif\0\0" first) is not a TIFF block. */
static int tiff_orientation_n(const payload *p, size_t len)
{
    unsigned char *copy = malloc(len ? len : 1);
    if (!copy)
        return -1;
    memcpy(copy, p->b + EXIF_HDR, len);
    int o = tf_exif_tiff_orientation(copy, len);
    free(copy);
    return o;
}

static void bare_tiff(void)
{
    for (int be = 0; be < 2; be++) {
        int wrong = 0, cut_bad = 0;
        for (unsigned v = 1; v <= 8; v++) {
            payload p;
            build(&p, be, v);
            wrong += tiff_orientation_n(&p, p.len - EXIF_HDR) != (int)v;
        }
        payload p;
        build(&p, be, 6);
        for (size_t n = 0; n < p.len - EXIF_HDR; n++) {
            int o = tiff_orientation_n(&p, n);
            /* the entry's value ends at T_ORIENT + 10 */
            cut_bad += n >= T_ORIENT + 10 ? o != 6 && o != 1 : o != 1;
        }
        CHECK(wrong == 0, "%s bare TIFF block: orientations 1-8 read (%d wrong)", order(be), wrong);
        CHECK(cut_bad == 0, "%s bare TIFF block: every truncation gives 6 or 1 (%d bad)", order(be),
              cut_bad);
        CHECK(tf_exif_tiff_orientation(p.b, p.len) == 1,
              "%s: an APP1 payload is not a bare TIFF block", order(be));
    }
    CHECK(tf_exif_tiff_orientation(NULL, 0) == 1, "bare TIFF block: NULL, 0 gives 1");
}

int main(void)
{
    orientations();
    invalid_orientations();
    bad_headers();
    truncations();
    bad_ifd0();
    thumbnails();
    ifd_loops();
    mutations();
    bare_tiff();
    int rc = check_done();
    printf("%d passed, %d failed\n", check_total_ - check_failed_, check_failed_);
    return rc;
}
