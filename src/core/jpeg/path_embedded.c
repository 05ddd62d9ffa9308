/* path_embedded.c - the EMBEDDED path (tf_params use_embedded and
 * embedded_only): the EXIF thumbnail decoded in place of the main image
 * when it fits every box. Driven by jpeg/decode.c, inside its setjmp; a broken thumbnail has
 * a setjmp of its own, so it only means falling back to the main image. */
#include <setjmp.h>
#include <stdio.h>
#include <string.h>

#include "decoder.h"
#include "exif.h"

/* The EXIF thumbnail, copied out of the saved APP1 (libjpeg frees saved
 * markers when it restarts). Returns its length, 0 when there is none. */
static size_t copy_embedded(tf_ctx *ctx, struct tf_jpeg_dec *dec)
{
    j_decompress_ptr cinfo = &dec->cinfo;
    for (jpeg_saved_marker_ptr m = cinfo->marker_list; m; m = m->next) {
        if (m->marker != JPEG_APP0 + 1 || m->data_length < 6 || memcmp(m->data, "Exif\0\0", 6))
            continue;
        tf_exif exif;
        tf_exif_parse(m->data, m->data_length, &exif);
        if (!exif.thumb_len || tf_bytes_reserve(ctx, &dec->embedded, exif.thumb_len) != TF_OK)
            return 0;
        memcpy(dec->embedded.data, m->data + exif.thumb_offset, exif.thumb_len);
        return exif.thumb_len;
    }
    return 0;
}

/* Decodes the embedded thumbnail into ctx->decoded, under a setjmp of its
 * own: a broken thumbnail only means falling back to the main image.
 * With scale, a large one (phones store 240x320 and up) is DCT-scaled
 * while it keeps twice the pixels each box needs (*denom). Returns 1
 * when it decoded without a warning. */
__attribute__((noinline)) static int decode_embedded(tf_ctx *ctx, struct tf_jpeg_dec *dec,
                                                     size_t len, const tf_result *res, int scale,
                                                     int *denom)
{
    jmp_buf outer;
    memcpy(outer, dec->err.jump, sizeof outer);
    volatile int ok = 0;
    int warnings = dec->err.warnings, gave_up = 0;
    if (setjmp(dec->err.jump) == 0) {
        int channels = 0;
        jpeg_abort_decompress(&dec->cinfo);
        jpeg_mem_src(&dec->cinfo, dec->embedded.data, (unsigned long)len);
        /* Its header may claim any size: a "thumbnail" larger than the
         * image itself (which passed --max-pixels) is not decoded. */
        if (jpeg_read_header(&dec->cinfo, TRUE) == JPEG_HEADER_OK &&
            (unsigned long long)dec->cinfo.image_width * dec->cinfo.image_height <=
                (unsigned long long)res->src_w * res->src_h &&
            tf_jpeg_choose_color(ctx, &dec->cinfo, &channels) == TF_OK) {
            *denom = scale ? tf_plan_denom(ctx, res, (int)dec->cinfo.image_width,
                                           (int)dec->cinfo.image_height)
                           : 1;
            dec->cinfo.scale_num = 1;
            dec->cinfo.scale_denom = (unsigned)*denom;
            ok = tf_jpeg_decode_pixels(ctx, dec, channels, 0, &gave_up) == TF_OK &&
                 dec->err.warnings == warnings;
        }
    }
    memcpy(dec->err.jump, outer, sizeof outer);
    return ok;
}

/* The embedded thumbnail decoded, its black letterbox bars trimmed. One
 * with bars is decoded again unscaled if it was scaled: at 1/2 the edge
 * of a bar blurs into the picture's first row. */
static int decode_trimmed(tf_ctx *ctx, struct tf_jpeg_dec *dec, size_t len, const tf_result *res,
                          int *denom)
{
    if (!decode_embedded(ctx, dec, len, res, 1, denom))
        return 0;
    int w = ctx->decoded.w, h = ctx->decoded.h;
    tf_trim_black_bars(&ctx->decoded);
    if (*denom == 1 || (ctx->decoded.w == w && ctx->decoded.h == h))
        return 1;
    if (!decode_embedded(ctx, dec, len, res, 0, denom))
        return 0;
    tf_trim_black_bars(&ctx->decoded);
    return 1;
}

/* Whether the decoded thumbnail (bars trimmed) can stand in for the main
 * image: the same aspect within 2%, and pixels enough for every box. */
static int embedded_fits(const tf_ctx *ctx, const tf_result *res)
{
    const tf_image *img = &ctx->decoded;
    double aspect = (double)res->src_w / res->src_h, thumb = (double)img->w / img->h;
    return tf_plan_fits(ctx, res, img->w, img->h) && thumb >= aspect * 0.98 &&
           thumb <= aspect * 1.02;
}

/* --embedded: uses the EXIF thumbnail when it fits, else restarts the
 * decoder on the main image (*used = 0). -v says which and why. */
tf_status tf_jpeg_try_embedded(tf_ctx *ctx, struct tf_jpeg_dec *dec, const unsigned char *src,
                               size_t len, const tf_params *params, tf_result *res, int *channels,
                               int *used)
{
    size_t n = copy_embedded(ctx, dec);
    char why[96] = "none in the file";
    int denom = 1;
    if (n && !decode_trimmed(ctx, dec, n, res, &denom))
        snprintf(why, sizeof why, "it does not decode cleanly");
    else if (n && !embedded_fits(ctx, res))
        snprintf(why, sizeof why,
                 "%dx%d (decoded at 1/%d) after trimming bars: too small or "
                 "another aspect",
                 ctx->decoded.w, ctx->decoded.h, denom);
    else if (n) {
        res->path = TF_PATH_EMBEDDED;
        res->scale_denom = denom;
        *used = 1;
        return TF_OK;
    }
    if (params->embedded_only)
        return tf_fail(ctx, TF_E_NOT_EMBEDDED, "embedded thumbnail not used: %s", why);
    jpeg_abort_decompress(&dec->cinfo);
    tf_jpeg_set_source(dec, src, len, NULL);
    dec->err.warnings = 0; /* the main header is read again */
    ctx->msg[0] = ctx->note[0] = '\0';
    tf_status st = tf_jpeg_read_and_plan(ctx, dec, params, res, channels);
    tf_note(ctx, "embedded thumbnail not used: %s", why);
    return st;
}
