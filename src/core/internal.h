/* internal.h - the handle and the steps of the pipeline, private to the core.
 * Each step reports failure through tf_fail(), which records the message on
 * the handle and returns the status, so callers can write
 * `return tf_fail(ctx, TF_E_NOMEM, "...")`. */
#ifndef THUMBIFY_INTERNAL_H
#define THUMBIFY_INTERNAL_H

#include <stddef.h>

#include "thumbify.h"

#define TF_MSG_MAX 256

/* A decoded or resized raster: 8-bit samples, rows packed. */
typedef struct tf_image {
    unsigned char *px;
    size_t cap;                  /* bytes allocated at px */
    int w, h, channels;          /* channels: 1 (grey) or 3 (RGB) */
} tf_image;

struct jpeg_decompress_struct;
struct jpeg_compress_struct;

struct tf_ctx {
    char msg[TF_MSG_MAX];
    struct tf_jpeg_dec *dec;     /* created on first use, then reused */
    struct tf_jpeg_enc *enc;
    tf_image decoded, resized;
};

tf_status tf_fail(tf_ctx *ctx, tf_status st, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Makes img hold w x h x channels, reusing its buffer when large enough. */
tf_status tf_image_reserve(tf_ctx *ctx, tf_image *img, int w, int h, int channels);
void tf_image_release(tf_image *img);

/* Decodes a JPEG at the reduction chosen for params into ctx->decoded,
 * filling res->src_w/src_h/scale_denom/out_w/out_h/warnings. */
tf_status tf_jpeg_decode(tf_ctx *ctx, const unsigned char *src, size_t len,
                         const tf_params *params, tf_result *res);
void tf_jpeg_dec_free(struct tf_jpeg_dec *dec);

/* Area-averages src into dst at dst->w x dst->h (set by the caller). */
tf_status tf_resize(tf_ctx *ctx, const tf_image *src, tf_image *dst);

/* Encodes img as JPEG; data and size point into the encoder's buffer. */
tf_status tf_jpeg_encode(tf_ctx *ctx, const tf_image *img, int quality,
                         const unsigned char **data, size_t *size);
void tf_jpeg_enc_free(struct tf_jpeg_enc *enc);

#endif
