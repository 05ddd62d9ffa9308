/* path_skip_ac.c - a Huffman decoder for libjpeg at 1/8 scale: DC exact, AC
 * stepped over (see path_skip_ac.h for the contract).
 *
 * libjpeg's entropy decoder is a module behind cinfo->entropy (jpegint.h):
 * its coefficient controller calls decode_mcu once per MCU with zeroed
 * blocks to fill. Ours takes that place for one scan. Where libjpeg walks
 * AC codes one by one, a lookup of the next LOOK bits here steps over as
 * many whole codes (with their value bits) as fit: the table entry says
 * how many bits they take and how far they move through the block, so
 * the common block is a handful of lookups. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "path_skip_ac.h"
#include "entropy_scan.h"

#include <jpegint.h>

#include "entropy_bits.h"

enum { LOOK = 11 }; /* bits per lookup (<= 16): 2 Ki entries, 8 KiB a table */
_Static_assert(2 * LOOK <= 32, "two lookups after one refill test");

/* A table as built from one DHT, remembered by its contents: camera files
 * use the same tables photo after photo, and building costs ~20 us. */
typedef struct table {
    int built;
    unsigned char counts[16], vals[256];
    tf_huff canon;
    /* DC: a code and its value bits within LOOK: len | (diff + 65536) << 5.
     * AC: whole codes within LOOK: len | advance << 5 | (limit + 1) << 12,
     * where advance is how far k moves (64 more at an end-of-block) and a
     * block position k <= limit may take them all. 0: decode code by code. */
    uint32_t fast[1 << LOOK];
} table;

typedef struct block {
    const table *dc, *ac;
    int comp; /* index in the scan: which prediction */
    int full; /* all coefficients wanted (an IDCT larger than 1x1) */
} block;

struct tf_skipac {
    struct jpeg_entropy_decoder pub; /* first: libjpeg calls through it */
    struct jpeg_source_mgr *src;
    tf_bits b;
    int nblocks;
    block blk[D_MAX_BLOCKS_IN_MCU];
    int pred[MAX_COMPS_IN_SCAN];
    unsigned restart, todo, next_rst;
    unsigned long mcus_left;
    int failed;
    table dc[NUM_HUFF_TBLS], ac[NUM_HUFF_TBLS];
};

static void fill_dc(table *t)
{
    for (uint32_t pat = 0; pat < 1u << LOOK; pat++) {
        uint64_t buf = (uint64_t)pat << (64 - LOOK);
        int s, len = tf_huff_code(&t->canon, buf, &s);
        t->fast[pat] = 0;
        if (len > 0 && len + s <= LOOK)
            t->fast[pat] = (uint32_t)(len + s) | (uint32_t)(tf_bits_value(buf, len, s) + 65536)
                                                     << 5;
    }
}

/* The codes wholly inside one LOOK-bit pattern, in order, up to an
 * end-of-block (any symbol of size 0 but ZRL ends a block in libjpeg).
 * Taking them all is right while none but the last reaches k = 64. */
static uint32_t ac_entry(const tf_huff *t, uint64_t buf)
{
    int used = 0, adv = 0;
    for (;;) {
        int sym, len = tf_huff_code(t, buf << used, &sym);
        int s = sym & 15, r = sym >> 4;
        if (len < 0 || used + len + s > LOOK)
            break;
        used += len + s;
        if (!s && r != 15) { /* k + adv <= 63 before it */
            int limit = 63 - adv;
            return limit < 1
                       ? 0
                       : (uint32_t)used | (uint32_t)(adv + 64) << 5 | (uint32_t)(limit + 1) << 12;
        }
        adv += s ? r + 1 : 16;
        if (adv >= 63)
            break;
    }
    int limit = 64 - adv; /* k + adv <= 64 */
    return !used || limit < 1 ? 0
                              : (uint32_t)used | (uint32_t)adv << 5 | (uint32_t)(limit + 1) << 12;
}

/* Makes *t the table for h, building it unless it already is. */
static int use_table(table *t, const JHUFF_TBL *h, int dc)
{
    if (!h)
        return -1;
    int n = 0;
    for (int l = 1; l <= 16; l++)
        n += h->bits[l];
    if (n > 256)
        return -1;
    unsigned char counts[16];
    for (int l = 0; l < 16; l++)
        counts[l] = (unsigned char)h->bits[l + 1];
    if (t->built && !memcmp(t->counts, counts, 16) && !memcmp(t->vals, h->huffval, (size_t)n))
        return 0;
    t->built = 0;
    memcpy(t->counts, counts, 16);
    memset(t->vals, 0, sizeof t->vals);
    memcpy(t->vals, h->huffval, (size_t)n);
    if (tf_huff_build(&t->canon, counts, t->vals, n, dc) != 0)
        return -1;
    if (dc)
        fill_dc(t);
    else
        for (uint32_t pat = 0; pat < 1u << LOOK; pat++)
            t->fast[pat] = ac_entry(&t->canon, (uint64_t)pat << (64 - LOOK));
    t->built = 1;
    return 0;
}

static int dc_diff(tf_bits *b, const table *t, int *diff)
{
    if (b->n < 32)
        tf_bits_refill(b);
    uint32_t e = t->fast[b->buf >> (64 - LOOK)];
    if (e) {
        tf_bits_drop(b, (int)(e & 31));
        *diff = (int)(e >> 5) - 65536;
        return 0;
    }
    int s, len = tf_huff_code(&t->canon, b->buf, &s);
    if (len < 0)
        return -1;
    *diff = tf_bits_value(b->buf, len, s);
    tf_bits_drop(b, len + s);
    return 0;
}

/* One AC code as libjpeg reads it: k moves past the coefficient (or 16
 * for ZRL), *v its value; 1 at the end of the block, -1 for a bad code. */
static int ac_code(tf_bits *b, const table *t, int *k, int *v)
{
    int sym, len = tf_huff_code(&t->canon, b->buf, &sym);
    if (len < 0)
        return -1;
    int s = sym & 15, r = sym >> 4;
    *v = tf_bits_value(b->buf, len, s);
    tf_bits_drop(b, len + s);
    if (!s && r != 15)
        return 1;
    *k += s ? r : 15;
    return 0;
}

/* Steps over a block's AC codes. After a refill test (n >= 32) two
 * lookups of at most LOOK bits each need no other: the loop branches once
 * per two lookups. */
static int ac_skip(tf_bits *b, const table *t)
{
    int k = 1;
    while (k < 64) {
        if (b->n < 32)
            tf_bits_refill(b);
        int steps = 0;
        for (; steps < 2; steps++) {
            uint32_t e = t->fast[b->buf >> (64 - LOOK)];
            if (k >= (int)(e >> 12))
                break;
            tf_bits_drop(b, (int)(e & 31));
            k += (int)(e >> 5) & 127;
            if (k >= 64)
                return 0;
        }
        if (steps)
            continue;
        int v, end = ac_code(b, t, &k, &v);
        if (end)
            return end < 0 ? -1 : 0;
        k++;
    }
    return 0;
}

/* Decodes a block's AC coefficients into it, in natural order. */
static int ac_all(tf_bits *b, const table *t, JCOEF *coef)
{
    for (int k = 1; k < 64; k++) {
        if (b->n < 32)
            tf_bits_refill(b);
        int v, end = ac_code(b, t, &k, &v);
        if (end)
            return end < 0 ? -1 : 0;
        if (v)
            coef[tf_jpeg_natural[k]] = (JCOEF)v;
    }
    return 0;
}

static int decode_blocks(tf_skipac *s, JBLOCKROW *data)
{
    tf_bits b = s->b;
    for (int i = 0; i < s->nblocks; i++) {
        const block *bl = &s->blk[i];
        int diff;
        if (dc_diff(&b, bl->dc, &diff) != 0)
            return -1;
        int dc = s->pred[bl->comp] + diff;
        if (dc < INT16_MIN || dc > INT16_MAX)
            return -1; /* libjpeg would wrap it: not a real image */
        s->pred[bl->comp] = dc;
        data[i][0][0] = (JCOEF)dc;
        if ((bl->full ? ac_all(&b, bl->ac, data[i][0]) : ac_skip(&b, bl->ac)) != 0)
            return -1;
    }
    s->b = b;
    return 0;
}

/* After the last MCU: leaves libjpeg's source at the marker that ends the
 * data, as its own decoder would, for jpeg_finish_decompress. */
static int finish(tf_skipac *s)
{
    if (tf_bits_boundary(&s->b, -1) != 0)
        return -1;
    s->src->bytes_in_buffer -= (size_t)(s->b.p - s->src->next_input_byte);
    s->src->next_input_byte = s->b.p;
    return 0;
}

static boolean decode_mcu(j_decompress_ptr cinfo, JBLOCKROW *data)
{
    tf_skipac *s = (tf_skipac *)(void *)cinfo->entropy;
    if (s->failed || s->mcus_left == 0) {
        s->failed = 1;
        return TRUE;
    }
    if (s->restart && s->todo-- == 0) {
        if (tf_bits_boundary(&s->b, (int)(s->next_rst++ & 7)) != 0) {
            s->failed = 1;
            return TRUE;
        }
        memset(s->pred, 0, sizeof s->pred);
        s->todo = s->restart - 1;
    }
    /* read past the data: give up now, not after the rest of the scan */
    if (decode_blocks(s, data) != 0 || s->b.n < s->b.fake ||
        (--s->mcus_left == 0 && finish(s) != 0))
        s->failed = 1;
    return TRUE;
}

/* A second scan would restart the decoder: never for one we take. */
static void start_pass(j_decompress_ptr cinfo)
{
    ((tf_skipac *)(void *)cinfo->entropy)->failed = 1;
}

tf_skipac *tf_skipac_new(void)
{
    return calloc(1, sizeof(tf_skipac));
}

void tf_skipac_free(tf_skipac *s)
{
    free(s);
}

/* The blocks of an MCU: their tables and whether they need AC. */
static int plan_blocks(tf_skipac *s, j_decompress_ptr c)
{
    s->nblocks = c->blocks_in_MCU;
    for (int i = 0; i < c->blocks_in_MCU; i++) {
        int ci = c->MCU_membership[i];
        if (ci < 0 || ci >= c->comps_in_scan)
            return -1;
        const jpeg_component_info *comp = c->cur_comp_info[ci];
        int dt = comp->dc_tbl_no, at = comp->ac_tbl_no;
        if (dt < 0 || dt >= NUM_HUFF_TBLS || at < 0 || at >= NUM_HUFF_TBLS ||
            use_table(&s->dc[dt], c->dc_huff_tbl_ptrs[dt], 1) != 0 ||
            use_table(&s->ac[at], c->ac_huff_tbl_ptrs[at], 0) != 0)
            return -1;
        s->blk[i] = (block){&s->dc[dt], &s->ac[at], ci, tf_jpeg_needs_ac(comp)};
    }
    return 0;
}

int tf_skipac_install(tf_skipac *s, j_decompress_ptr cinfo)
{
    s->failed = 1;
    if (!tf_jpeg_one_scan(cinfo) || plan_blocks(s, cinfo) != 0)
        return 0;
    s->src = cinfo->src;
    s->b = (tf_bits){.p = cinfo->src->next_input_byte,
                     .end = cinfo->src->next_input_byte + cinfo->src->bytes_in_buffer};
    memset(s->pred, 0, sizeof s->pred);
    s->restart = cinfo->restart_interval;
    s->todo = s->restart;
    s->next_rst = 0;
    s->mcus_left = (unsigned long)cinfo->MCUs_per_row * cinfo->MCU_rows_in_scan;
    s->failed = 0;
    s->pub.start_pass = start_pass;
    s->pub.decode_mcu = decode_mcu;
    s->pub.insufficient_data = FALSE;
    cinfo->entropy = &s->pub;
    return 1;
}

int tf_skipac_ok(const tf_skipac *s)
{
    return !s->failed && s->mcus_left == 0;
}
