/* resize.c - exact area-average downscaling.
 * Samples are averaged as stored (gamma-encoded), as Pillow's BOX filter and
 * every peer thumbnailer do, so results are comparable. Each output pixel is
 * the mean of the source area it covers, source pixels weighted by their
 * exact overlap, over the source's true extent (a DCT-scaled partial last
 * block stands for a fraction of its pixel).
 *
 * Opaque images (grey, RGB) go through a separable fixed-point filter:
 * stb_image_resize converts every sample to float and rebuilds its filters
 * on each call, which cost a fifth of a small photo's time once the DCT
 * scale kept twice the pixels. With an alpha channel stb's box filter
 * (the same exact weights) weights colour by alpha, so transparent pixels'
 * colour cannot bleed into visible ones. */
#include <math.h>
#include <stdint.h>
#include <string.h>

#include <stb_image_resize.h>

#include "internal.h"

/* Weights are 14-bit fixed point, each output's summing to exactly 1. */
enum { WBITS = 14, ONE = 1 << WBITS };

/* One axis: output o averages source pixels first[o] .. first[o] +
 * count[o] - 1 with weights w[at[o]] ... */
typedef struct axis {
    int *first, *count, *at;
    uint16_t *w;
} axis;

/* The weights for n outputs over a source extent ext from org (pixels
 * floor(org) .. ceil(org + ext) - 1): output o covers [org + o * ext / n,
 * org + (o + 1) * ext / n). Each
 * weight is the rounded running sum less the one before, so that they
 * add up to exactly ONE and none is negative. */
static void axis_weights(axis *a, double org, double ext, int n, int src_n)
{
    double r = ext / n;
    int k = 0;
    for (int o = 0; o < n; o++) {
        double lo = org + o * r, hi = org + (o == n - 1 ? ext : (o + 1) * r), cum = 0;
        int i0 = (int)floor(lo), i1 = (int)ceil(hi), prev = 0;
        if (i1 > src_n)
            i1 = src_n;
        if (i1 <= i0)
            i1 = i0 + 1;
        a->first[o] = i0;
        a->count[o] = i1 - i0;
        a->at[o] = k;
        for (int i = i0; i < i1; i++, k++) {
            cum += fmax(0.0, fmin(hi, i + 1.0) - fmax(lo, (double)i)) / (hi - lo);
            int now = i == i1 - 1 ? ONE : (int)lround(fmin(cum, 1.0) * ONE);
            a->w[k] = (uint16_t)(now - prev);
            prev = now;
        }
    }
}

/* Bytes for an axis of n outputs over src_n pixels: each output spans at
 * most src_n / n + 2 of them. */
static size_t axis_size(int n, int src_n)
{
    return (size_t)n * (3 * sizeof(int) + ((size_t)src_n / n + 2) * sizeof(uint16_t));
}

static void axis_place(axis *a, unsigned char *base, int n)
{
    a->first = (int *)(void *)base;
    a->count = a->first + n;
    a->at = a->count + n;
    a->w = (uint16_t *)(void *)(a->at + n);
}

/* The two passes are most of a small photo's time outside libjpeg:
 * filter_image is built for AVX2 as well, picked at load time where the
 * CPU has it (integer arithmetic: the same bytes either way). */
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__) && !defined(__SANITIZE_ADDRESS__)
#define RESIZE_CLONES __attribute__((target_clones("avx2", "default")))
#else
#define RESIZE_CLONES
#endif

/* Vertical pass for output row o: the weighted sum of the source rows it
 * covers, n samples wide, with 8 fraction bits (255 << 8 fits 16 bits).
 * Runs along whole rows, which the compiler vectorises. */
static inline void filter_rows(const axis *y, int o, const unsigned char *src, size_t n,
                               uint32_t *acc, uint16_t *out)
{
    const uint16_t *w = y->w + y->at[o];
    const unsigned char *first = src + (size_t)y->first[o] * n;
    for (size_t i = 0; i < n; i++) /* the first row sets the sums: no memset */
        acc[i] = (uint32_t)w[0] * first[i];
    for (int j = 1; j < y->count[o]; j++) {
        const unsigned char *row = first + (size_t)j * n;
        uint32_t wj = w[j];
        for (size_t i = 0; i < n; i++)
            acc[i] += wj * row[i];
    }
    for (size_t i = 0; i < n; i++)
        out[i] = (uint16_t)((acc[i] + (1u << (WBITS - 9))) >> (WBITS - 8));
}

/* Horizontal pass of one filtered row into out_w x c samples; the channel
 * count as a constant, so that the sums stay in registers. */
static inline void filter_columns_c(const axis *x, const uint16_t *row, int c, int out_w,
                                    unsigned char *out)
{
    for (int o = 0; o < out_w; o++) {
        const uint16_t *w = x->w + x->at[o];
        const uint16_t *p = row + (size_t)x->first[o] * c;
        uint32_t acc[3] = {0, 0, 0};
        for (int i = 0; i < x->count[o]; i++, p += c)
            for (int k = 0; k < c; k++)
                acc[k] += (uint32_t)w[i] * p[k];
        /* 8 + WBITS fraction bits; at most 255 after rounding */
        for (int k = 0; k < c; k++)
            out[o * c + k] = (unsigned char)((acc[k] + (1u << (WBITS + 7))) >> (WBITS + 8));
    }
}

/* Both passes over the whole image (grey or RGB), one output row at a
 * time: acc and row hold one filtered row. */
RESIZE_CLONES static void filter_image(const axis *x, const axis *y, const tf_image *src,
                                       tf_image *dst, uint32_t *acc, uint16_t *row)
{
    int c = src->channels, ow = dst->w;
    size_t n = (size_t)src->w * c;
    for (int o = 0; o < dst->h; o++) {
        unsigned char *out = dst->px + (size_t)o * ow * c;
        filter_rows(y, o, src->px, n, acc, row);
        if (c == 3)
            filter_columns_c(x, row, 3, ow, out);
        else
            filter_columns_c(x, row, 1, ow, out);
    }
}

static tf_status resize_opaque(tf_ctx *ctx, const tf_image *src, tf_image *dst)
{
    int c = src->channels, ow = dst->w, oh = dst->h;
    size_t n = (size_t)src->w * c;
    size_t xs = (axis_size(ow, src->w) + 15) & ~(size_t)15;
    size_t ys = (axis_size(oh, src->h) + 15) & ~(size_t)15;
    size_t accs = n * sizeof(uint32_t);
    tf_status st = tf_bytes_reserve(ctx, &ctx->resize_tmp, xs + ys + accs + n * sizeof(uint16_t));
    if (st != TF_OK)
        return st;
    axis x, y;
    unsigned char *base = ctx->resize_tmp.data;
    axis_place(&x, base, ow);
    axis_place(&y, base + xs, oh);
    uint32_t *acc = (uint32_t *)(void *)(base + xs + ys);
    uint16_t *row = (uint16_t *)(void *)(base + xs + ys + accs);
    axis_weights(&x, src->org_x, src->ext_w, ow, src->w);
    axis_weights(&y, src->org_y, src->ext_h, oh, src->h);
    filter_image(&x, &y, src, dst, acc, row);
    return TF_OK;
}

tf_status tf_resize(tf_ctx *ctx, const tf_image *src, tf_image *dst)
{
    tf_status st = tf_image_reserve(ctx, dst, dst->w, dst->h, src->channels);
    if (st != TF_OK)
        return st;
    if (dst->w == src->w && dst->h == src->h && src->ext_w == src->w && src->ext_h == src->h &&
        src->org_x == 0 && src->org_y == 0) {
        memcpy(dst->px, src->px, (size_t)src->w * src->h * src->channels);
        return TF_OK;
    }
    if (src->channels == 1 || src->channels == 3)
        return resize_opaque(ctx, src, dst);
    /* The region ends inside the last column (row) when that stands for a
     * fraction of a pixel; a crop's starts inside the image. */
    float s0 = (float)(src->org_x / src->w), t0 = (float)(src->org_y / src->h);
    float s1 = (float)((src->org_x + src->ext_w) / src->w);
    float t1 = (float)((src->org_y + src->ext_h) / src->h);
    if (!stbir_resize_region(src->px, src->w, src->h, 0, dst->px, dst->w, dst->h, 0,
                             STBIR_TYPE_UINT8, src->channels, src->channels - 1, 0,
                             STBIR_EDGE_CLAMP, STBIR_EDGE_CLAMP, STBIR_FILTER_BOX, STBIR_FILTER_BOX,
                             STBIR_COLORSPACE_LINEAR, NULL, s0, t0, s1, t1))
        return tf_fail(ctx, TF_E_NOMEM, "out of memory while resizing");
    return TF_OK;
}
