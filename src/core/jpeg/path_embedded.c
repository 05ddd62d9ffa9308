/* path_embedded.c - the EMBEDDED path (tf_params use_embedded and
 * embedded_only): the EXIF thumbnail decoded in place of the main image
 * when it fits every box. Driven by jpeg/decode.c; each decode of the
 * thumbnail is a step of its own (tf_jpeg_run), so a broken one only
 * means falling back to the main image. */
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

/* The thumbnail's decode: its length, whether to DCT-scale it, and the
 * scale it was decoded at. */
typedef struct thumb_job {
    size_t len;
    int scale, denom;
    int too_small; /* its header says it is too small for some box */
} thumb_job;

/* Decodes the embedded thumbnail into ctx->decoded (a step of
 * tf_jpeg_run). With scale, a large one (phones store 240x320 and up) is
 * DCT-scaled while it keeps twice the pixels each box needs. */
static tf_status decode_thumb(tf_ctx *ctx, struct tf_jpeg_dec *dec, void *arg)
{
    thumb_job *job = arg;
    const tf_result *res = dec->res;
    int channels = 0, gave_up = 0;
    dec->fresh = 0; /* the main header is read again after this */
    jpeg_abort_decompress(&dec->cinfo);
    jpeg_mem_src(&dec->cinfo, dec->embedded.data, (unsigned long)job->len);
    /* Its header may claim any size: a "thumbnail" larger than the
     * image itself (which passed --max-pixels) is not decoded. */
    if (jpeg_read_header(&dec->cinfo, TRUE) != JPEG_HEADER_OK ||
        (unsigned long long)dec->cinfo.image_width * dec->cinfo.image_height >
            (unsigned long long)res->src_w * res->src_h)
        return TF_E_DECODE;
    /* Trimming bars and scaling only take pixels away: one too small for
     * a box by its header is not decoded (its size stays in dec->cinfo). */
    if (!tf_plan_fits(ctx, res, (int)dec->cinfo.image_width, (int)dec->cinfo.image_height)) {
        job->too_small = 1;
        return TF_E_DECODE;
    }
    tf_status st = tf_jpeg_choose_color(ctx, &dec->cinfo, &channels);
    if (st != TF_OK)
        return st;
    job->denom = job->scale ? tf_plan_denom(ctx, res, (int)dec->cinfo.image_width,
                                            (int)dec->cinfo.image_height)
                            : 1;
    dec->cinfo.scale_num = 1;
    dec->cinfo.scale_denom = (unsigned)job->denom;
    return tf_jpeg_decode_pixels(ctx, dec, channels, 0, &gave_up);
}

/* Returns 1 when the thumbnail decoded without a warning, -1 when its
 * header says it is too small for some box (not decoded), else 0: a
 * broken one only means falling back to the main image. */
static int decode_embedded(tf_ctx *ctx, struct tf_jpeg_dec *dec, size_t len, int scale, int *denom)
{
    thumb_job job = {len, scale, *denom, 0};
    int warnings = dec->err.warnings;
    int ok = tf_jpeg_run(ctx, dec, decode_thumb, &job) == TF_OK && dec->err.warnings == warnings;
    *denom = job.denom;
    if (job.too_small)
        return -1;
    return ok;
}

/* The embedded thumbnail decoded, its black letterbox bars trimmed. One
 * with bars is decoded again unscaled if it was scaled: at 1/2 the edge
 * of a bar blurs into the picture's first row. */
static int decode_trimmed(tf_ctx *ctx, struct tf_jpeg_dec *dec, size_t len, int *denom)
{
    int got = decode_embedded(ctx, dec, len, 1, denom);
    if (got != 1)
        return got;
    int w = ctx->decoded.w, h = ctx->decoded.h;
    tf_trim_black_bars(&ctx->decoded);
    if (*denom == 1 || (ctx->decoded.w == w && ctx->decoded.h == h))
        return 1;
    if (decode_embedded(ctx, dec, len, 0, denom) != 1)
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

/* --embedded: uses the EXIF thumbnail when it fits, else the main image
 * is decoded (*used = 0). -v says which and why. */
tf_status tf_jpeg_try_embedded(tf_ctx *ctx, struct tf_jpeg_dec *dec, int *used)
{
    tf_result *res = dec->res;
    size_t n = copy_embedded(ctx, dec);
    char why[96] = "none in the file";
    int denom = 1, got = n ? decode_trimmed(ctx, dec, n, &denom) : 0;
    /* Known from its header alone: a caller that tries the file's start
     * (embedded_only), then all of it, decodes it in neither. */
    if (got < 0)
        snprintf(why, sizeof why, "%ux%u: too small (not decoded)", dec->cinfo.image_width,
                 dec->cinfo.image_height);
    else if (n && !got)
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
    if (dec->params->embedded_only)
        return tf_fail(ctx, TF_E_NOT_EMBEDDED, "embedded thumbnail not used: %s", why);
    ctx->note[dec->note_len] = '\0'; /* the thumbnail's own notes go */
    tf_note(ctx, "embedded thumbnail not used: %s", why);
    return TF_OK;
}
