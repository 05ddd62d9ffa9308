/* thumbnail.c - the pipeline: decode (DCT-scaled for JPEG), colour-convert,
 * area-average, orient, flatten if needed, encode. */
#include <string.h>

#include "internal.h"

static tf_status check_params(tf_ctx *ctx, const tf_params *p)
{
    if (p->box_w < 1 || p->box_h < 1)
        return tf_fail(ctx, TF_E_INVALID, "box %dx%d is empty", p->box_w, p->box_h);
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

/* By content, not by name: JPEG starts FF D8, PNG with its signature. */
static tf_status decode(tf_ctx *ctx, const unsigned char *s, size_t len, const tf_params *p,
                        tf_result *res, tf_format *natural)
{
    if (len == 0)
        return tf_fail(ctx, TF_E_FORMAT, "empty file");
    if (is_png(s, len)) {
        *natural = TF_FORMAT_PNG;
        if (p->embedded_only)
            return tf_fail(ctx, TF_E_NOT_EMBEDDED, "a PNG file has no EXIF thumbnail");
        return tf_png_decode(ctx, s, len, p, res);
    }
    if (len < 2 || s[0] != 0xff || s[1] != 0xd8)
        return tf_fail(ctx, TF_E_FORMAT, "not a JPEG or PNG file (starts with 0x%02x 0x%02x)", s[0],
                       len > 1 ? s[1] : 0);
    *natural = TF_FORMAT_JPEG;
    return tf_jpeg_decode(ctx, s, len, p, res);
}

/* Colour to sRGB, then resize, both in stored orientation, then turn
 * upright (on the thumbnail only). Returns the finished image. */
static tf_status shape(tf_ctx *ctx, const tf_result *res, tf_image **out)
{
    int swap = res->orientation >= 5;
    ctx->resized.w = swap ? res->out_h : res->out_w;
    ctx->resized.h = swap ? res->out_w : res->out_h;
    tf_status st = tf_icc_to_srgb(ctx, &ctx->decoded);
    if (st == TF_OK)
        st = tf_resize(ctx, &ctx->decoded, &ctx->resized);
    if (st != TF_OK || res->orientation == 1) {
        *out = &ctx->resized;
        return st;
    }
    *out = &ctx->oriented;
    return tf_orient(ctx, &ctx->resized, &ctx->oriented, res->orientation);
}

/* What every call starts with: arguments, message, result cleared. */
static tf_status begin(tf_ctx *ctx, const void *src, size_t len, const tf_params *params,
                       tf_result *out)
{
    if (!ctx || !params || !out || (!src && len))
        return ctx ? tf_fail(ctx, TF_E_INVALID, "null argument") : TF_E_INVALID;
    ctx->msg[0] = ctx->note[0] = '\0';
    ctx->profile.len = 0;
    ctx->profile_state = TF_PROFILE_PENDING;
    *out = (tf_result){.note = ctx->note};
    return check_params(ctx, params);
}

tf_status tf_thumbnail(tf_ctx *ctx, const void *src, size_t len, const tf_params *params,
                       tf_result *out)
{
    tf_format natural = TF_FORMAT_JPEG;
    tf_image *img = NULL;
    tf_status st = begin(ctx, src, len, params, out);
    if (st == TF_OK)
        st = decode(ctx, src, len, params, out, &natural);
    if (st == TF_OK)
        st = shape(ctx, out, &img);
    if (st != TF_OK)
        return st;
    out->format = params->format == TF_FORMAT_SAME ? natural : params->format;
    if (out->format == TF_FORMAT_PNG)
        return tf_png_encode(ctx, img, params->comment, &out->data, &out->size);
    if (out->format == TF_FORMAT_WEBP)
        return tf_webp_encode(ctx, img, params->quality, params->comment, &out->data, &out->size);
    tf_flatten(img);
    return tf_jpeg_encode(ctx, img, params->quality, params->comment, &out->data, &out->size);
}

/* The decoders stop in tf_plan, before any pixel: see TF_PROBED. The
 * EXIF thumbnail is not looked at, as it never changes the size. */
tf_status tf_probe(tf_ctx *ctx, const void *src, size_t len, const tf_params *params,
                   tf_result *out)
{
    tf_format natural = TF_FORMAT_JPEG;
    tf_status st = begin(ctx, src, len, params, out);
    if (st != TF_OK)
        return st;
    tf_params p = *params;
    p.use_embedded = p.embedded_only = 0;
    ctx->probe_only = 1;
    st = decode(ctx, src, len, &p, out, &natural);
    ctx->probe_only = 0;
    if (st != TF_PROBED)
        return st == TF_OK ? tf_fail(ctx, TF_E_DECODE, "decoded without a plan") : st;
    out->format = params->format == TF_FORMAT_SAME ? natural : params->format;
    out->warnings = 0; /* the headers' warnings are the decode's to give */
    ctx->msg[0] = '\0';
    return TF_OK;
}
