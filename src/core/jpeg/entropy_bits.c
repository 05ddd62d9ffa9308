/* entropy_bits.c - the out-of-line parts of the entropy-data reader, and
 * where entropy-coded data ends. */
#include "entropy_bits.h"

size_t tf_jpeg_entropy_end(const unsigned char *s, size_t p, size_t len)
{
    while (p + 1 < len) {
        const unsigned char *ff = memchr(s + p, 0xff, len - p - 1);
        if (!ff)
            return len;
        p = (size_t)(ff - s);
        unsigned next = s[p + 1];
        if (next != 0x00 && next != 0xff && !tf_jpeg_is_rst(next))
            return p;
        p += next == 0xff ? 1 : 2; /* FF FF is fill before a marker */
    }
    return len;
}

void tf_bits_refill_slow(tf_bits *b)
{
    while (b->n <= 56) {
        unsigned byte = 0;
        if (b->p + 1 < b->end && b->p[0] == 0xff && b->p[1] == 0x00) {
            byte = 0xff;
            b->p += 2;
        } else if (b->p < b->end && b->p[0] != 0xff) {
            byte = *b->p++;
        } else { /* a marker (or the end): zeros from here */
            /* Saturated: a scan of missing data reads on for millions of
             * blocks, and an int would wrap back to looking clean. Past
             * the cap n (<= 64) < fake for good, which is all it says. */
            if (b->fake < TF_BITS_FAKE_MAX)
                b->fake += 8;
        }
        b->buf |= (uint64_t)byte << (56 - b->n);
        b->n += 8;
    }
}

int tf_bits_boundary(tf_bits *b, int rst)
{
    int clean = b->n >= b->fake && b->n - b->fake < 8 && (b->p == b->end || b->p[0] == 0xff);
    b->buf = 0;
    b->n = b->fake = 0;
    if (!clean)
        return -1;
    const unsigned char *m = b->p;
    while (m + 1 < b->end && m[0] == 0xff && m[1] == 0xff)
        m++; /* fill bytes */
    if (m + 1 >= b->end)
        return -1;
    int is_rst = m[1] >= 0xd0 && m[1] <= 0xd7;
    if (rst < 0)
        return m[1] != 0x00 && !is_rst ? 0 : -1;
    if (m[1] != 0xd0 + rst)
        return -1;
    b->p = m + 2;
    return 0;
}

int tf_huff_build(tf_huff *t, const unsigned char *counts, const unsigned char *vals, int nvals,
                  int dc)
{
    memset(t, 0, sizeof *t);
    int32_t code = 0;
    int k = 0;
    for (int l = 1; l <= 16; l++) {
        t->valoffset[l] = k - (int)code;
        for (int i = 0; i < counts[l - 1]; i++, k++, code++) {
            if (k >= nvals || (dc && vals[k] > 15) || code >= (int32_t)1 << l)
                return -1; /* a DC category libjpeg refuses; more codes than the length has */
            if (l <= 8)    /* every 8-bit pattern that starts with this code */
                for (int j = 0; j < 1 << (8 - l); j++) {
                    t->look_len[(code << (8 - l)) | j] = (unsigned char)l;
                    t->look_sym[(code << (8 - l)) | j] = vals[k];
                }
        }
        t->maxcode[l] = counts[l - 1] ? code - 1 : -1;
        if (code >= (int32_t)1 << l)
            return -1; /* an all-ones code: libjpeg refuses the table */
        code <<= 1;
    }
    memcpy(t->vals, vals, (size_t)nvals);
    t->defined = 1;
    return 0;
}
