/* geometry.c - thumbnail size and DCT reduction: pure integer arithmetic so
 * results never depend on float rounding. */
#include <stdint.h>

#include "internal.h"

/* round(num / den) for non-negative operands, halves rounding up. */
static int64_t div_round(int64_t num, int64_t den)
{
    return (2 * num + den) / (2 * den);
}

tf_status tf_fit_box(int w, int h, int box_w, int box_h, int *out_w, int *out_h)
{
    if (w < 1 || h < 1 || box_w < 1 || box_h < 1)
        return TF_E_INVALID;
    if (w <= box_w && h <= box_h) { /* already inside: never upscale */
        *out_w = w;
        *out_h = h;
        return TF_OK;
    }
    /* Width limits when box_w/w <= box_h/h, i.e. box_w*h <= box_h*w. */
    if ((int64_t)box_w * h <= (int64_t)box_h * w) {
        int64_t oh = div_round((int64_t)h * box_w, w);
        *out_w = box_w;
        *out_h = oh < 1 ? 1 : (int)oh;
    } else {
        int64_t ow = div_round((int64_t)w * box_h, h);
        *out_w = ow < 1 ? 1 : (int)ow;
        *out_h = box_h;
    }
    return TF_OK;
}

/* Decoded pixels kept per thumbnail pixel and side (Pillow's "reducing
 * gap"). Below about 2 the area average runs at ratios near 1, where a
 * DCT-scaled pixel is not the mean of the source pixels it stands for and
 * each lands on one output pixel: the errors stay instead of averaging out
 * (a 600x450 photo at 1/8 lost 5 to 8 dB). tests/bench/quality.sh on
 * 1000 small photos: 2 gives 50.6 dB median, 37.9 worst; 3 gives 54.4 and
 * 44.6 for 12% more instructions than 2 (callgrind); 2 meets the goals
 * (40 and 30) at the smaller cost. */
enum { REDUCING_GAP = 2 };

int tf_scale_denom(int w, int h, int out_w, int out_h)
{
    for (int d = 8; d > 1; d /= 2)
        if ((int64_t)w >= (int64_t)REDUCING_GAP * d * out_w &&
            (int64_t)h >= (int64_t)REDUCING_GAP * d * out_h)
            return d;
    return 1;
}

tf_status tf_crop_box(int w, int h, int box_w, int box_h, int *out_w, int *out_h, int *rx, int *ry,
                      int *rw, int *rh)
{
    if (w < 1 || h < 1 || box_w < 1 || box_h < 1)
        return TF_E_INVALID;
    int ow = box_w < w ? box_w : w, oh = box_h < h ? box_h : h; /* never upscale */
    int64_t cw = w, ch = h; /* the largest region of aspect ow:oh */
    if ((int64_t)w * oh >= (int64_t)h * ow)
        cw = div_round((int64_t)h * ow, oh);
    else
        ch = div_round((int64_t)w * oh, ow);
    cw = cw < ow ? ow : cw > w ? w : cw; /* rounding: never under the output */
    ch = ch < oh ? oh : ch > h ? h : ch;
    *out_w = ow;
    *out_h = oh;
    *rw = (int)cw;
    *rh = (int)ch;
    *rx = (int)((w - cw) / 2);
    *ry = (int)((h - ch) / 2);
    return TF_OK;
}

/* One box: the thumbnail and the region it averages, chosen upright (a
 * crop is centred in the image as it is shown), then turned into the
 * stored orientation that decoders and tf_resize work in. */
static void plan_box(const tf_params *p, tf_box box, int w, int h, int o, tf_box_plan *b)
{
    int swap = tf_orient_turns(o);
    int uw = swap ? h : w, uh = swap ? w : h;
    b->rx = b->ry = 0;
    b->rw = uw;
    b->rh = uh;
    if (p->fit == TF_FIT_CROP)
        tf_crop_box(uw, uh, box.w, box.h, &b->out_w, &b->out_h, &b->rx, &b->ry, &b->rw, &b->rh);
    else
        tf_fit_box(uw, uh, box.w, box.h, &b->out_w, &b->out_h);
    tf_orient_rect(o, w, h, &b->rx, &b->ry, &b->rw, &b->rh);
    b->rs_w = swap ? b->out_h : b->out_w;
    b->rs_h = swap ? b->out_w : b->out_h;
}

tf_status tf_plan(tf_ctx *ctx, const tf_params *params, tf_result *res)
{
    int w = res->src_w, h = res->src_h;
    if (w < 1 || h < 1)
        return tf_fail(ctx, TF_E_DECODE, "image has no pixels (%dx%d)", w, h);
    if ((unsigned long long)w * (unsigned long long)h > params->max_pixels)
        return tf_fail(ctx, TF_E_LIMIT, "image is %dx%d, more than the limit of %llu pixels", w, h,
                       params->max_pixels);
    for (int i = 0; i < ctx->nboxes; i++)
        plan_box(params, ctx->boxes[i], w, h, res->orientation, &ctx->plan[i]);
    res->out_w = ctx->plan[0].out_w;
    res->out_h = ctx->plan[0].out_h;
    return ctx->probe_only ? TF_PROBED : TF_OK;
}

/* A length of the source scaled to a rendition n pixels long where the
 * source is src_n (exact for the source itself). */
static int scaled(int len, int n, int src_n)
{
    return (int)((int64_t)len * n / src_n);
}

int tf_plan_denom(const tf_ctx *ctx, const tf_result *res, int w, int h)
{
    int d = 8;
    for (int i = 0; i < ctx->nboxes; i++) {
        const tf_box_plan *b = &ctx->plan[i];
        int bd = tf_scale_denom(scaled(b->rw, w, res->src_w), scaled(b->rh, h, res->src_h), b->rs_w,
                                b->rs_h);
        d = bd < d ? bd : d;
    }
    return d;
}

int tf_plan_fits(const tf_ctx *ctx, const tf_result *res, int w, int h)
{
    for (int i = 0; i < ctx->nboxes; i++) {
        const tf_box_plan *b = &ctx->plan[i];
        if (scaled(b->rw, w, res->src_w) < b->rs_w || scaled(b->rh, h, res->src_h) < b->rs_h)
            return 0;
    }
    return 1;
}
