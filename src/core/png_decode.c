/* png_decode.c - PNG to pixels with libpng's simplified API, from memory.
 * libpng expands palettes, tRNS, 16-bit samples and Adam7 interlacing and
 * applies the file's gamma, so every PNG arrives as 8-bit sRGB-encoded grey
 * or RGB, with alpha when the file has any transparency. */
#include <string.h>

#include <png.h>
#include <zlib.h>

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

static unsigned long be32(const unsigned char *p)
{
    return (unsigned long)p[0] << 24 | (unsigned long)p[1] << 16 | (unsigned long)p[2] << 8 | p[3];
}

/* Inflates an iCCP chunk's profile (after its name and method byte) into
 * ctx->profile; a profile that does not inflate cleanly is dropped. */
static tf_status inflate_profile(tf_ctx *ctx, const unsigned char *z, size_t zlen)
{
    enum { MAX_PROFILE = 4 << 20 }; /* real profiles are far smaller */
    z_stream zs = {0};
    if (inflateInit(&zs) != Z_OK)
        return tf_fail(ctx, TF_E_NOMEM, "out of memory for the ICC profile");
    zs.next_in = (unsigned char *)z;
    zs.avail_in = (uInt)zlen;
    int rc = Z_OK;
    tf_status st = TF_OK;
    while (rc == Z_OK && st == TF_OK) {
        size_t cap = ctx->profile.cap ? ctx->profile.cap * 2 : 65536;
        if (ctx->profile.len == ctx->profile.cap &&
            (cap > MAX_PROFILE || (st = tf_bytes_reserve(ctx, &ctx->profile, cap)) != TF_OK))
            break;
        zs.next_out = ctx->profile.data + ctx->profile.len;
        zs.avail_out = (uInt)(ctx->profile.cap - ctx->profile.len);
        rc = inflate(&zs, Z_NO_FLUSH);
        ctx->profile.len = ctx->profile.cap - zs.avail_out;
    }
    inflateEnd(&zs);
    if (rc != Z_STREAM_END) {
        ctx->profile.len = 0;
        tf_note(ctx, "ICC profile dropped: it does not inflate");
    }
    return st;
}

/* The iCCP chunk, if any, before the image data. libpng's simplified API
 * does not expose it, and the chunks are easy to walk. */
static tf_status read_iccp(tf_ctx *ctx, const unsigned char *s, size_t len)
{
    for (size_t p = 8; p + 12 <= len;) {
        unsigned long n = be32(s + p);
        if (n > len - p - 12 || memcmp(s + p + 4, "IDAT", 4) == 0)
            break;
        if (memcmp(s + p + 4, "iCCP", 4) == 0) {
            const unsigned char *d = s + p + 8;
            const unsigned char *nul = memchr(d, 0, n < 80 ? n : 80);
            if (nul && (size_t)(nul - d) + 2 <= n && nul[1] == 0)
                return inflate_profile(ctx, nul + 2, n - (size_t)(nul - d) - 2);
            tf_note(ctx, "ICC profile dropped: malformed iCCP chunk");
            break;
        }
        p += 12 + n;
    }
    return TF_OK;
}

tf_status tf_png_decode(tf_ctx *ctx, const unsigned char *src, size_t len, const tf_params *params,
                        tf_result *res)
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
    if ((st = read_iccp(ctx, src, len)) != TF_OK)
        return st;
    if (img.warning_or_error & PNG_IMAGE_WARNING) {
        res->warnings = 1;
        tf_fail(ctx, TF_OK, "%s", img.message);
    }
    png_image_free(&img);
    return TF_OK;
}
