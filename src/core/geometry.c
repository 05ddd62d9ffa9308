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

tf_status tf_plan(tf_ctx *ctx, const tf_params *params, tf_result *res, int *rs_w, int *rs_h)
{
    int w = res->src_w, h = res->src_h;
    if (w < 1 || h < 1)
        return tf_fail(ctx, TF_E_DECODE, "image has no pixels (%dx%d)", w, h);
    if ((unsigned long long)w * (unsigned long long)h > params->max_pixels)
        return tf_fail(ctx, TF_E_LIMIT, "image is %dx%d, more than the limit of %llu pixels", w, h,
                       params->max_pixels);
    int swap = res->orientation >= 5; /* 5..8 turn the image a quarter */
    tf_fit_box(swap ? h : w, swap ? w : h, params->box_w, params->box_h, &res->out_w, &res->out_h);
    *rs_w = swap ? res->out_h : res->out_w;
    *rs_h = swap ? res->out_w : res->out_h;
    return ctx->probe_only ? TF_PROBED : TF_OK;
}
