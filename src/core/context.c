/* context.c - the handle: lifetime, messages, reusable pixel buffers. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

void tf_params_default(tf_params *p)
{
    /* every field not named is 0: off, or none */
    *p = (tf_params){.box_w = 75, .box_h = 75, .quality = 85, .format = TF_FORMAT_SAME,
                     .max_pixels = TF_DEFAULT_MAX_PIXELS, .max_scans = 1000};
}

tf_ctx *tf_new(void)
{
    return calloc(1, sizeof(tf_ctx));
}

void tf_free(tf_ctx *ctx)
{
    if (!ctx)
        return;
    tf_jpeg_dec_free(ctx->dec);
    tf_png_dec_free(ctx->png);
    tf_jpeg_enc_free(ctx->enc);
    tf_icc_free(ctx->icc);
    tf_image_release(&ctx->decoded);
    tf_image_release(&ctx->resized);
    tf_image_release(&ctx->oriented);
    free(ctx->profile.data);
    free(ctx->png_out.data);
    free(ctx->webp_out.data);
    free(ctx->webp_px.data);
    free(ctx->resize_tmp.data);
    for (int i = 0; i < TF_MAX_BOXES; i++)
        free(ctx->outs[i].data);
    free(ctx);
}

const char *tf_message(const tf_ctx *ctx)
{
    return ctx ? ctx->msg : "no handle";
}

const char *tf_status_str(tf_status st)
{
    switch (st) {
    case TF_OK: return "ok";
    case TF_E_INVALID: return "invalid argument";
    case TF_E_NOMEM: return "out of memory";
    case TF_E_FORMAT: return "unsupported format";
    case TF_E_DECODE: return "decode error";
    case TF_E_LIMIT: return "limit exceeded";
    case TF_E_ENCODE: return "encode error";
    case TF_E_NOT_EMBEDDED: return "no usable embedded thumbnail";
    }
    return "unknown status";
}

const char *tf_format_ext(tf_format f)
{
    return f == TF_FORMAT_PNG ? "png" : f == TF_FORMAT_WEBP ? "webp" : "jpg";
}

const char *tf_path_str(tf_path path)
{
    switch (path) {
    case TF_PATH_FULL: return "full";
    case TF_PATH_DC_ONLY: return "dc-only";
    case TF_PATH_EMBEDDED: return "embedded";
    }
    return "unknown";
}

void tf_note(tf_ctx *ctx, const char *fmt, ...)
{
    size_t used = strlen(ctx->note);
    if (used && used + 2 < sizeof ctx->note) {
        memcpy(ctx->note + used, "; ", 3);
        used += 2;
    }
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(ctx->note + used, sizeof ctx->note - used, fmt, ap);
    va_end(ap);
}

tf_status tf_fail(tf_ctx *ctx, tf_status st, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(ctx->msg, sizeof ctx->msg, fmt, ap);
    va_end(ap);
    return st;
}

tf_status tf_image_reserve(tf_ctx *ctx, tf_image *img, int w, int h, int channels)
{
    size_t need = (size_t)w * (size_t)h * (size_t)channels;
    if (need > img->cap) {
        /* realloc would copy pixels we are about to overwrite */
        free(img->px);
        img->px = malloc(need);
        img->cap = img->px ? need : 0;
        if (!img->px)
            return tf_fail(ctx, TF_E_NOMEM, "out of memory for a %dx%d image", w, h);
    }
    img->w = w;
    img->h = h;
    img->ext_w = w;
    img->ext_h = h;
    img->org_x = img->org_y = 0;
    img->channels = channels;
    return TF_OK;
}

tf_status tf_bytes_reserve(tf_ctx *ctx, tf_bytes *b, size_t cap)
{
    if (cap > b->cap) {
        unsigned char *p = realloc(b->data, cap);
        if (!p)
            return tf_fail(ctx, TF_E_NOMEM, "out of memory for %zu bytes", cap);
        b->data = p;
        b->cap = cap;
    }
    return TF_OK;
}

int tf_bytes_append(tf_bytes *b, const void *p, size_t n)
{
    if (n > b->cap - b->len)
        return -1;
    memcpy(b->data + b->len, p, n);
    b->len += n;
    return 0;
}

void tf_image_release(tf_image *img)
{
    free(img->px);
    memset(img, 0, sizeof *img);
}
