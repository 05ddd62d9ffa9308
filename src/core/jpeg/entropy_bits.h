/* entropy_bits.h - reading JPEG entropy-coded data: the bit reader and the
 * canonical Huffman tables shared by path_dc_only_sequential.c and
 * path_skip_ac.c, and where the data ends (path_dc_only_*.c, image_end.c).
 *
 * The reader is inline because it runs once per code; the table builder
 * and the byte-at-a-time refill (near FF bytes and at the end) are not. */
#ifndef THUMBIFY_JPEG_ENTROPY_BITS_H
#define THUMBIFY_JPEG_ENTROPY_BITS_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* Entropy-coded data, MSB first. At a marker (or the end of the buffer)
 * it supplies zero bits and counts them in fake (up to TF_BITS_FAKE_MAX);
 * once fake is non-zero every refill is fake, so n - fake never grows
 * again (or fake is past any n) and n < fake at any later point means
 * bits were consumed past the data. */
#define TF_BITS_FAKE_MAX (1 << 24)
typedef struct tf_bits {
    const unsigned char *p, *end;
    uint64_t buf; /* left-aligned; bits past n are 0 or the data's next bits */
    int n, fake;
} tf_bits;

/* Whether any byte of w is FF. */
static inline int tf_has_ff(uint64_t w)
{
    uint64_t x = ~w;
    return ((x - 0x0101010101010101u) & ~x & 0x8080808080808080u) != 0;
}

/* Byte by byte, unstuffing FF 00, to more than 56 bits. */
void tf_bits_refill_slow(tf_bits *b);

/* Tops the buffer up to at least 56 bits (n <= 56 on entry): seven bytes
 * or fewer at once while no FF is near. The load also ORs in bits past
 * the bytes counted in n: they are the data's next bits, which later
 * refills write again unchanged. */
static inline void tf_bits_refill(tf_bits *b)
{
    if (b->end - b->p >= 8) {
        uint64_t w;
        memcpy(&w, b->p, 8);
        if (!tf_has_ff(w)) {
            int take = (63 - b->n) >> 3;
            b->buf |= __builtin_bswap64(w) >> b->n;
            b->p += take;
            b->n += take * 8;
            return;
        }
    }
    tf_bits_refill_slow(b);
}

static inline void tf_bits_drop(tf_bits *b, int k)
{
    b->buf <<= k;
    b->n -= k;
}

/* The value of the s bits after the first len bits of buf, sign-extended
 * as JPEG codes it (HUFF_EXTEND: below 2^(s-1) is negative). */
static inline int tf_bits_value(uint64_t buf, int len, int s)
{
    if (!s)
        return 0;
    int r = (int)((buf << len) >> (64 - s));
    return r < 1 << (s - 1) ? r - (1 << s) + 1 : r;
}

/* The end of a restart interval (rst 0-7: RSTn must follow, and is read)
 * or of a scan (rst -1: a marker that is not RSTn must follow, and is
 * left unread): nothing read past the data, at most 7 padding bits left
 * unread, no data skipped. Returns 0, or -1. Empties the buffer. */
int tf_bits_boundary(tf_bits *b, int rst);

/* Whether marker m is a restart marker (RST0-7), which sits inside
 * entropy-coded data. */
static inline int tf_jpeg_is_rst(unsigned m)
{
    return m >= 0xd0 && m <= 0xd7;
}

/* Start of the next marker after entropy-coded data at s[p]: an FF followed
 * by neither a stuffed 00 nor a restart marker (FF FF is fill before a
 * marker); len when the data runs to the end (a truncated file). */
size_t tf_jpeg_entropy_end(const unsigned char *s, size_t p, size_t len);

/* A Huffman decoding table: an 8-bit lookahead for short codes, the
 * canonical per-length limits for the rest. */
typedef struct tf_huff {
    int defined;
    unsigned char look_len[256], look_sym[256]; /* look_len 0: a longer code */
    int32_t maxcode[17];                        /* largest code of each length, -1 if none */
    int valoffset[17];                          /* symbol index = code + valoffset */
    unsigned char vals[256];
} tf_huff;

/* Builds t from a DHT's 16 counts and nvals symbols, refusing what libjpeg
 * refuses (jpeg_make_d_derived_tbl): codes that overflow their length, an
 * all-ones code, and for a DC table (dc != 0) symbols over 15. 0 or -1. */
int tf_huff_build(tf_huff *t, const unsigned char *counts, const unsigned char *vals, int nvals,
                  int dc);

/* The code at the top of buf: its length, with its symbol in *sym, or -1
 * when t has no code of 16 bits or fewer there. */
static inline int tf_huff_code(const tf_huff *t, uint64_t buf, int *sym)
{
    unsigned look = (unsigned)(buf >> 56);
    int len = t->look_len[look];
    *sym = t->look_sym[look];
    if (len)
        return len;
    unsigned code = (unsigned)(buf >> 48);
    for (len = 9; len <= 16; len++) {
        int32_t c = (int32_t)(code >> (16 - len));
        if (c <= t->maxcode[len]) {
            *sym = t->vals[c + t->valoffset[len]];
            return len;
        }
    }
    return -1;
}

#endif
