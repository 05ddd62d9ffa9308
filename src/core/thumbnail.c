/* thumbnail.c - the pipeline: decode (DCT-scaled), area-average, encode. */
#include "internal.h"

static tf_status check_params(tf_ctx *ctx, const tf_params *p)
{
    if (p->box_w < 1 || p->box_h < 1)
        return tf_fail(ctx, TF_E_INVALID, "box %dx%d is empty", p->box_w, p->box_h);
    if (p->quality < 1 || p->quality > 100)
        return tf_fail(ctx, TF_E_INVALID, "quality %d is not in 1..100", p->quality);
    if (p->max_scans < 1)
        return tf_fail(ctx, TF_E_INVALID, "scan limit %d is below 1", p->max_scans);
    return TF_OK;
}

tf_status tf_thumbnail(tf_ctx *ctx, const void *src, size_t len,
                       const tf_params *params, tf_result *out)
{
    if (!ctx || !params || !out || (!src && len))
        return ctx ? tf_fail(ctx, TF_E_INVALID, "null argument") : TF_E_INVALID;
    ctx->msg[0] = '\0';
    *out = (tf_result){0};
    tf_status st = check_params(ctx, params);
    if (st == TF_OK)
        st = tf_jpeg_decode(ctx, src, len, params, out);
    if (st != TF_OK)
        return st;
    ctx->resized.w = out->out_w;
    ctx->resized.h = out->out_h;
    if ((st = tf_resize(ctx, &ctx->decoded, &ctx->resized)) != TF_OK)
        return st;
    return tf_jpeg_encode(ctx, &ctx->resized, params->quality, &out->data, &out->size);
}
