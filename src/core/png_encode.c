/* png_encode.c - pixels to PNG in memory with libpng's simplified API. */
#include <string.h>

#include <png.h>

#include "internal.h"

static const png_uint_32 formats[] = {0, PNG_FORMAT_GRAY, PNG_FORMAT_GA, PNG_FORMAT_RGB,
                                      PNG_FORMAT_RGBA};

tf_status tf_png_encode(tf_ctx *ctx, const tf_image *img, const unsigned char **data,
                        size_t *size)
{
    png_image pi;
    memset(&pi, 0, sizeof pi);
    pi.version = PNG_IMAGE_VERSION;
    pi.width = (png_uint_32)img->w;
    pi.height = (png_uint_32)img->h;
    pi.format = formats[img->channels];
    /* An upper bound: one allocation, one compression pass. */
    size_t cap = PNG_IMAGE_PNG_SIZE_MAX(pi);
    tf_status st = tf_bytes_reserve(ctx, &ctx->png_out, cap);
    if (st != TF_OK)
        return st;
    png_alloc_size_t len = cap;
    if (!png_image_write_to_memory(&pi, ctx->png_out.data, &len, 0, img->px, 0, NULL)) {
        st = tf_fail(ctx, TF_E_ENCODE, "cannot encode the PNG: %s", pi.message);
        png_image_free(&pi);
        return st;
    }
    *data = ctx->png_out.data;
    *size = len;
    return TF_OK;
}
