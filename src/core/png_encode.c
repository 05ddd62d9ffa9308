/* png_encode.c - pixels to PNG in memory with libpng's simplified API.
 * The simplified API writes no text chunks, so a comment is spliced in as
 * a tEXt chunk right after IHDR, where readers of the first bytes find it. */
#include <string.h>

#include <png.h>
#include <zlib.h>

#include "internal.h"

static const png_uint_32 formats[] = {0, PNG_FORMAT_GRAY, PNG_FORMAT_GA, PNG_FORMAT_RGB,
                                      PNG_FORMAT_RGBA};

static void put32(unsigned char *p, unsigned long v)
{
    p[0] = (unsigned char)(v >> 24);
    p[1] = (unsigned char)(v >> 16);
    p[2] = (unsigned char)(v >> 8);
    p[3] = (unsigned char)v;
}

/* Inserts tEXt "Comment" after the signature and IHDR (8 + 25 bytes). The
 * buffer has room: tf_png_encode reserved it. */
static void splice_comment(unsigned char *png, size_t *len, const char *comment)
{
    static const char key[] = "Comment"; /* with its NUL separator */
    size_t n = strlen(comment), body = sizeof key + n, at = 33;
    unsigned char *c = png + at;
    memmove(c + 12 + body, c, *len - at);
    put32(c, (unsigned long)body);
    memcpy(c + 4, "tEXt", 4);
    memcpy(c + 8, key, sizeof key);
    memcpy(c + 8 + sizeof key, comment, n);
    put32(c + 8 + body, crc32(crc32(0, NULL, 0), c + 4, (uInt)(4 + body)));
    *len += 12 + body;
}

tf_status tf_png_encode(tf_ctx *ctx, const tf_image *img, const char *comment,
                        const unsigned char **data, size_t *size)
{
    png_image pi;
    memset(&pi, 0, sizeof pi);
    pi.version = PNG_IMAGE_VERSION;
    pi.width = (png_uint_32)img->w;
    pi.height = (png_uint_32)img->h;
    pi.format = formats[img->channels];
    /* An upper bound: one allocation, one compression pass. */
    size_t extra = comment ? 12 + 8 + strlen(comment) : 0;
    size_t cap = PNG_IMAGE_PNG_SIZE_MAX(pi) + extra;
    tf_status st = tf_bytes_reserve(ctx, &ctx->png_out, cap);
    if (st != TF_OK)
        return st;
    png_alloc_size_t len = cap - extra;
    if (!png_image_write_to_memory(&pi, ctx->png_out.data, &len, 0, img->px, 0, NULL)) {
        st = tf_fail(ctx, TF_E_ENCODE, "cannot encode the PNG: %s", pi.message);
        png_image_free(&pi);
        return st;
    }
    *size = len;
    if (comment)
        splice_comment(ctx->png_out.data, size, comment);
    *data = ctx->png_out.data;
    return TF_OK;
}
