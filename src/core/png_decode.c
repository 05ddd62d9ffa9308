/* png_decode.c - PNG to pixels with libpng's simplified API, from memory.
 * libpng expands palettes, tRNS, 16-bit samples and Adam7 interlacing and
 * applies the file's gamma, so every PNG arrives as 8-bit sRGB-encoded grey
 * or RGB, with alpha when the file has any transparency. */
#include <string.h>

#include <png.h>

#include "internal.h"

/* The natural 8-bit layout for the file: its colour and alpha flags, with
 * colour-map and 16-bit flags dropped. */
static png_uint_32 output_format(png_uint_32 file_format)
{
    return file_format & (PNG_FORMAT_FLAG_COLOR | PNG_FORMAT_FLAG_ALPHA);
}

/* libpng's message, lowercased like every core message. */
static tf_status png_error_status(tf_ctx *ctx, png_image *img, const char *step)
{
    tf_status st = tf_fail(ctx, TF_E_DECODE, "%s: %s", step, img->message);
    if (ctx->msg[0] >= 'A' && ctx->msg[0] <= 'Z')
        ctx->msg[0] = (char)(ctx->msg[0] - 'A' + 'a');
    png_image_free(img);
    return st;
}

tf_status tf_png_decode(tf_ctx *ctx, const unsigned char *src, size_t len,
                        const tf_params *params, tf_result *res)
{
    png_image img;
    memset(&img, 0, sizeof img);
    img.version = PNG_IMAGE_VERSION;
    ctx->profile.len = 0;
    if (!png_image_begin_read_from_memory(&img, src, len))
        return png_error_status(ctx, &img, "cannot read the PNG header");
    /* 16-bit files without gAMA/sRGB are sRGB-encoded in practice, as every
     * viewer shows them; libpng would otherwise take them as linear. */
    img.flags |= PNG_IMAGE_FLAG_16BIT_sRGB;
    res->src_w = (int)img.width;
    res->src_h = (int)img.height;
    res->orientation = 1;
    res->scale_denom = 1;
    int rs_w, rs_h;
    if (img.width > 0x7fffffff || img.height > 0x7fffffff) {
        png_image_free(&img);
        return tf_fail(ctx, TF_E_LIMIT, "image is %ux%u pixels", img.width, img.height);
    }
    tf_status st = tf_plan(ctx, params, res, &rs_w, &rs_h);
    img.format = output_format(img.format);
    if (st == TF_OK)
        st = tf_image_reserve(ctx, &ctx->decoded, res->src_w, res->src_h,
                              (int)PNG_IMAGE_SAMPLE_CHANNELS(img.format));
    if (st != TF_OK) {
        png_image_free(&img);
        return st;
    }
    if (!png_image_finish_read(&img, NULL, ctx->decoded.px, 0, NULL))
        return png_error_status(ctx, &img, "cannot decode the PNG");
    if (img.warning_or_error & PNG_IMAGE_WARNING) {
        res->warnings = 1;
        tf_fail(ctx, TF_OK, "%s", img.message);
    }
    png_image_free(&img);
    return TF_OK;
}
