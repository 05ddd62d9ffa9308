/* thumbnail.c - the pipeline: decode (DCT-scaled for JPEG), colour-convert,
 * area-average, orient, flatten if needed, encode. */
#include <string.h>

#include "internal.h"

static tf_status check_boxes(tf_ctx *ctx, const tf_box *boxes, int n)
{
    if (n < 1 || n > TF_MAX_BOXES)
        return tf_fail(ctx, TF_E_INVALID, "%d boxes, not 1..%d", n, TF_MAX_BOXES);
    for (int i = 0; i < n; i++)
        if (boxes[i].w < 1 || boxes[i].h < 1)
            return tf_fail(ctx, TF_E_INVALID, "box %dx%d is empty", boxes[i].w, boxes[i].h);
    memcpy(ctx->boxes, boxes, (size_t)n * sizeof *boxes);
    ctx->nboxes = n;
    return TF_OK;
}

static tf_status check_params(tf_ctx *ctx, const tf_params *p)
{
    if (p->fit != TF_FIT_INSIDE && p->fit != TF_FIT_CROP)
        return tf_fail(ctx, TF_E_INVALID, "unknown fit %d", (int)p->fit);
    if (p->quality < 1 || p->quality > 100)
        return tf_fail(ctx, TF_E_INVALID, "quality %d is not in 1..100", p->quality);
    if (p->max_scans < 1)
        return tf_fail(ctx, TF_E_INVALID, "scan limit %d is below 1", p->max_scans);
    if (p->comment && strlen(p->comment) > 1000)
        return tf_fail(ctx, TF_E_INVALID, "comment longer than 1000 bytes");
    if (p->embedded_only && !p->use_embedded)
        return tf_fail(ctx, TF_E_INVALID, "embedded_only without use_embedded");
    if (p->format < TF_FORMAT_SAME || p->format > TF_FORMAT_WEBP)
        return tf_fail(ctx, TF_E_INVALID, "unknown output format %d", (int)p->format);
    return TF_OK;
}

static int is_png(const unsigned char *s, size_t len)
{
    return len >= 8 && memcmp(s, "\x89PNG\r\n\x1a\n", 8) == 0;
}

/* By content, not by name: JPEG starts FF D8, PNG with its signature.
 * The plan is made here, once, from the header's size and orientation;
 * the decoder then decodes at the scale planned. */
tf_status tf_decode(tf_ctx *ctx, const unsigned char *s, size_t len, const tf_params *p,
                    tf_result *res, tf_format *natural)
{
    if (len == 0)
        return tf_fail(ctx, TF_E_FORMAT, "empty file");
    int png = is_png(s, len);
    tf_status st;
    if (png) {
        *natural = TF_FORMAT_PNG;
        if (p->embedded_only)
            return tf_fail(ctx, TF_E_NOT_EMBEDDED, "a PNG file has no EXIF thumbnail");
        st = tf_png_header(ctx, s, len, res);
    } else {
        if (len < 2 || s[0] != 0xff || s[1] != 0xd8)
            return tf_fail(ctx, TF_E_FORMAT, "not a JPEG or PNG file (starts with 0x%02x 0x%02x)",
                           s[0], len > 1 ? s[1] : 0);
        *natural = TF_FORMAT_JPEG;
        st = tf_jpeg_header(ctx, s, len, p, res);
    }
    if (st == TF_OK)
        st = tf_plan(ctx, p, res);
    if (st != TF_OK) {
        if (png)
            tf_png_abort(ctx);
        return st;
    }
    if (png)
        return tf_png_decode(ctx, res); /* at full size: PNG has no DCT to scale */
    res->scale_denom = tf_plan_denom(ctx, res, res->src_w, res->src_h);
    return tf_jpeg_decode(ctx, p, res);
}

/* Box i's thumbnail: its region of the decoded image (already sRGB)
 * resized, in stored orientation, then turned upright (on the thumbnail
 * only). A region is in source pixels: scaled to the decoded extent, which
 * stands for the whole source. Returns the finished image. */
static tf_status shape(tf_ctx *ctx, const tf_result *res, int i, tf_image **out)
{
    const tf_box_plan *b = &ctx->plan[i];
    tf_image *d = &ctx->decoded;
    double full_w = d->ext_w, full_h = d->ext_h;
    double kx = full_w / res->src_w, ky = full_h / res->src_h;
    d->org_x = b->rx * kx;
    d->org_y = b->ry * ky;
    if (b->rw != res->src_w || b->rh != res->src_h) {
        d->ext_w = b->rw * kx;
        d->ext_h = b->rh * ky;
    }
    ctx->resized.w = b->rs_w;
    ctx->resized.h = b->rs_h;
    tf_status st = tf_resize(ctx, d, &ctx->resized);
    d->ext_w = full_w;
    d->ext_h = full_h;
    d->org_x = d->org_y = 0;
    if (st != TF_OK || res->orientation == 1) {
        *out = &ctx->resized;
        return st;
    }
    *out = &ctx->oriented;
    return tf_orient(ctx, &ctx->resized, &ctx->oriented, res->orientation);
}

static tf_status encode(tf_ctx *ctx, const tf_params *params, tf_image *img, tf_result *out)
{
    if (out->format == TF_FORMAT_PNG)
        return tf_png_encode(ctx, img, params->comment, &out->data, &out->size);
    if (out->format == TF_FORMAT_WEBP)
        return tf_webp_encode(ctx, img, params->quality, params->comment, &out->data, &out->size);
    tf_flatten(img);
    return tf_jpeg_encode(ctx, img, params->quality, params->comment, &out->data, &out->size);
}

/* Box i of several: shaped, encoded and kept in ctx->outs[i], since the
 * encoders' buffers serve the next box. */
static tf_status make_box(tf_ctx *ctx, const tf_params *params, int i, tf_result *out)
{
    tf_image *img = NULL;
    out->out_w = ctx->plan[i].out_w;
    out->out_h = ctx->plan[i].out_h;
    tf_status st = shape(ctx, out, i, &img);
    if (st == TF_OK)
        st = encode(ctx, params, img, out);
    if (st != TF_OK || ctx->nboxes == 1)
        return st;
    if ((st = tf_bytes_reserve(ctx, &ctx->outs[i], out->size)) != TF_OK)
        return st;
    memcpy(ctx->outs[i].data, out->data, out->size);
    out->data = ctx->outs[i].data;
    return TF_OK;
}

/* What every call starts with: arguments, message, result cleared, the
 * boxes taken. */
static tf_status begin(tf_ctx *ctx, const void *src, size_t len, const tf_params *params,
                       const tf_box *boxes, int n, tf_result *out)
{
    if (!ctx || !params || !out || !boxes || (!src && len))
        return ctx ? tf_fail(ctx, TF_E_INVALID, "null argument") : TF_E_INVALID;
    ctx->msg[0] = ctx->note[0] = '\0';
    ctx->profile.len = 0;
    ctx->profile_state = TF_PROFILE_PENDING;
    *out = (tf_result){.note = ctx->note};
    tf_status st = check_params(ctx, params);
    return st == TF_OK ? check_boxes(ctx, boxes, n) : st;
}

tf_status tf_thumbnails(tf_ctx *ctx, const void *src, size_t len, const tf_params *params,
                        const tf_box *boxes, int n, tf_result *out)
{
    tf_format natural = TF_FORMAT_JPEG;
    tf_status st = begin(ctx, src, len, params, boxes, n, out);
    if (st == TF_OK)
        st = tf_decode(ctx, src, len, params, out, &natural);
    if (st == TF_OK) /* once, before averaging (see tf_icc_to_srgb) */
        st = tf_icc_to_srgb(ctx, &ctx->decoded);
    if (st != TF_OK)
        return st;
    out->format = params->format == TF_FORMAT_SAME ? natural : params->format;
    for (int i = n - 1; i >= 0 && st == TF_OK; i--) { /* out[0] last: it holds the common part */
        out[i] = out[0];
        st = make_box(ctx, params, i, &out[i]);
    }
    return st;
}

typedef tf_status boxes_call(tf_ctx *ctx, const void *src, size_t len, const tf_params *params,
                             const tf_box *boxes, int n, tf_result *out);

/* The one-box calls: call for params' own box. */
static tf_status in_params_box(boxes_call *call, tf_ctx *ctx, const void *src, size_t len,
                               const tf_params *params, tf_result *out)
{
    if (!params)
        return ctx ? tf_fail(ctx, TF_E_INVALID, "null argument") : TF_E_INVALID;
    tf_box box = {params->box_w, params->box_h};
    return call(ctx, src, len, params, &box, 1, out);
}

tf_status tf_thumbnail(tf_ctx *ctx, const void *src, size_t len, const tf_params *params,
                       tf_result *out)
{
    return in_params_box(tf_thumbnails, ctx, src, len, params, out);
}

/* tf_decode stops at tf_plan, before the decoder sees a pixel: see
 * TF_PROBED. The EXIF thumbnail is not looked at, as it never changes
 * the size. */
tf_status tf_probes(tf_ctx *ctx, const void *src, size_t len, const tf_params *params,
                    const tf_box *boxes, int n, tf_result *out)
{
    tf_format natural = TF_FORMAT_JPEG;
    tf_status st = begin(ctx, src, len, params, boxes, n, out);
    if (st != TF_OK)
        return st;
    tf_params p = *params;
    p.use_embedded = p.embedded_only = 0;
    ctx->probe_only = 1;
    st = tf_decode(ctx, src, len, &p, out, &natural);
    ctx->probe_only = 0;
    if (st != TF_PROBED)
        return st == TF_OK ? tf_fail(ctx, TF_E_DECODE, "decoded without a plan") : st;
    out->format = params->format == TF_FORMAT_SAME ? natural : params->format;
    out->warnings = 0; /* the headers' warnings are the decode's to give */
    ctx->msg[0] = '\0';
    for (int i = n - 1; i >= 0; i--) { /* out[0] last: it holds the common part */
        out[i] = out[0];
        out[i].out_w = ctx->plan[i].out_w;
        out[i].out_h = ctx->plan[i].out_h;
    }
    return TF_OK;
}

tf_status tf_probe(tf_ctx *ctx, const void *src, size_t len, const tf_params *params,
                   tf_result *out)
{
    return in_params_box(tf_probes, ctx, src, len, params, out);
}
