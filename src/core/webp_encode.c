/* webp_encode.c - pixels to WebP in memory with libwebp's advanced API.
 *
 * An opaque image is lossy (VP8) at the caller's quality, as a JPEG would
 * be. An image with alpha comes from a PNG and is mostly a logo, an icon
 * or a screenshot, whose edges VP8's halved chroma would smear: it is
 * lossless (VP8L), alpha and every colour kept as -F png keeps them.
 *
 * libwebp writes the simple container: RIFF, then one VP8 or VP8L chunk.
 * A comment goes into an XMP chunk, which needs the extended container: a
 * VP8X chunk before the image saying that XMP (and alpha) are there, the
 * XMP chunk after the image, where the container specification orders
 * metadata (readers stop early; stamp.c reads a WebP file's tail). */
#include <stdlib.h>
#include <string.h>

#include <webp/encode.h>

#include "internal.h"

#define RIFF_HEAD 12 /* "RIFF", size, "WEBP" */
#define VP8X_SIZE 18 /* chunk header (8) and flags, canvas size (10) */
#define VP8X_ALPHA 0x10
#define VP8X_XMP 0x04

/* The XMP packet around the comment, a dc:description as exiftool and
 * other XMP readers show it. */
static const char xmp_head[] =
    "<?xpacket begin=\"\xef\xbb\xbf\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>"
    "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">"
    "<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">"
    "<rdf:Description rdf:about=\"\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\">"
    "<dc:description><rdf:Alt><rdf:li xml:lang=\"x-default\">";
static const char xmp_tail[] = "</rdf:li></rdf:Alt></dc:description></rdf:Description>"
                               "</rdf:RDF></x:xmpmeta><?xpacket end=\"r\"?>";

static void put_le(unsigned char *p, unsigned long v, int bytes)
{
    for (int i = 0; i < bytes; i++)
        p[i] = (unsigned char)(v >> (8 * i));
}

/* Makes room for n more bytes after b->len, doubling. */
static int room(tf_bytes *b, size_t n)
{
    if (b->len + n <= b->cap)
        return 1;
    size_t cap = b->cap ? b->cap : 4096;
    while (cap < b->len + n)
        cap *= 2;
    unsigned char *p = realloc(b->data, cap);
    if (!p)
        return 0;
    b->data = p;
    b->cap = cap;
    return 1;
}

/* libwebp's output callback: appends to ctx->webp_out. */
static int writer(const uint8_t *data, size_t size, const WebPPicture *pic)
{
    tf_bytes *b = &((tf_ctx *)pic->custom_ptr)->webp_out;
    return room(b, size) && tf_bytes_append(b, data, size) == 0;
}

/* Grey and grey+alpha widened to RGB and RGBA, which is all libwebp takes. */
static const unsigned char *rgb_pixels(tf_ctx *ctx, const tf_image *img, int *channels)
{
    *channels = img->channels;
    if (img->channels >= 3)
        return img->px;
    *channels = img->channels + 2;
    size_t n = (size_t)img->w * img->h;
    if (tf_bytes_reserve(ctx, &ctx->webp_px, n * (size_t)*channels) != TF_OK)
        return NULL;
    unsigned char *out = ctx->webp_px.data;
    for (size_t i = 0; i < n; i++, out += *channels) {
        const unsigned char *in = img->px + i * img->channels;
        out[0] = out[1] = out[2] = in[0];
        if (img->channels == 2)
            out[3] = in[1];
    }
    return ctx->webp_px.data;
}

/* Thumbnails are small: the most thorough lossy method (6) costs about a
 * millisecond at 75x75 and saves a few percent; over 256x256 pixels it
 * doubles the time of the default (4) for less. Lossless level 6 costs
 * little more than the default (5) at any size; beyond it the time grows
 * tenfold. Sharp RGB to YUV keeps colour edges that 4:2:0 would blur
 * (+2 dB PSNR on colourful thumbnails). */
static int set_config(WebPConfig *cfg, int lossless, int quality, const tf_image *img)
{
    if (!WebPConfigInit(cfg))
        return 0;
    if (lossless) {
        if (!WebPConfigLosslessPreset(cfg, 6))
            return 0;
        cfg->exact = 1; /* keep the colour under transparent pixels, as PNG does */
    } else {
        cfg->quality = (float)quality;
        cfg->method = (long long)img->w * img->h <= 256 * 256 ? 6 : 4;
        cfg->use_sharp_yuv = 1;
    }
    return WebPValidateConfig(cfg);
}

static const char *why(WebPEncodingError e)
{
    switch (e) {
    case VP8_ENC_ERROR_OUT_OF_MEMORY:
    case VP8_ENC_ERROR_BITSTREAM_OUT_OF_MEMORY: return "out of memory";
    case VP8_ENC_ERROR_BAD_DIMENSION: return "larger than 16383 pixels on a side";
    case VP8_ENC_ERROR_PARTITION0_OVERFLOW:
    case VP8_ENC_ERROR_PARTITION_OVERFLOW: return "too much data for a lossy WebP";
    case VP8_ENC_ERROR_FILE_TOO_BIG: return "larger than 4 GiB";
    case VP8_ENC_ERROR_BAD_WRITE: return "out of memory for the file";
    default: return "libwebp failed";
    }
}

/* Encodes img into ctx->webp_out after VP8X_SIZE bytes left free: the
 * simple file as libwebp writes it starts there. */
static tf_status encode(tf_ctx *ctx, const tf_image *img, int quality)
{
    int channels;
    const unsigned char *px = rgb_pixels(ctx, img, &channels);
    if (!px)
        return TF_E_NOMEM;
    WebPConfig cfg;
    WebPPicture pic;
    int alpha = channels == 4;
    if (!set_config(&cfg, alpha, quality, img) || !WebPPictureInit(&pic))
        return tf_fail(ctx, TF_E_ENCODE, "cannot encode the WebP: libwebp version mismatch");
    /* ARGB in, so that WebPEncode makes the YUV with cfg's sharp
     * conversion: imported as YUV it would get libwebp's plain one. */
    pic.use_argb = 1;
    pic.width = img->w;
    pic.height = img->h;
    pic.writer = writer;
    pic.custom_ptr = ctx;
    ctx->webp_out.len = 0;
    int ok = room(&ctx->webp_out, VP8X_SIZE);
    ctx->webp_out.len = VP8X_SIZE;
    int stride = img->w * channels;
    ok = ok &&
         (alpha ? WebPPictureImportRGBA(&pic, px, stride) : WebPPictureImportRGB(&pic, px, stride));
    if (!ok) {
        WebPPictureFree(&pic);
        return tf_fail(ctx, TF_E_NOMEM, "out of memory for the WebP encoder");
    }
    ok = WebPEncode(&cfg, &pic);
    WebPEncodingError e = pic.error_code;
    WebPPictureFree(&pic);
    if (!ok)
        return tf_fail(ctx, e == VP8_ENC_ERROR_OUT_OF_MEMORY ? TF_E_NOMEM : TF_E_ENCODE,
                       "cannot encode the WebP: %s", why(e));
    return TF_OK;
}

/* The comment, XML-escaped; control characters XML cannot hold become
 * '?'. Returns the bytes it takes when out is NULL. */
static size_t escape(const char *s, char *out)
{
    size_t n = 0;
    for (; *s; s++) {
        const char *rep = *s == '&' ? "&amp;" : *s == '<' ? "&lt;" : *s == '>' ? "&gt;" : NULL;
        char c = (unsigned char)*s < 0x20 && !strchr("\t\n\r", *s) ? '?' : *s;
        size_t k = rep ? strlen(rep) : 1;
        if (out)
            memcpy(out + n, rep ? rep : &c, k);
        n += k;
    }
    return n;
}

/* Appends the XMP chunk (padded to an even size, as RIFF wants). */
static tf_status append_xmp(tf_ctx *ctx, const char *comment)
{
    tf_bytes *b = &ctx->webp_out;
    size_t body = sizeof xmp_head - 1 + escape(comment, NULL) + sizeof xmp_tail - 1;
    if (!room(b, 8 + body + 1))
        return tf_fail(ctx, TF_E_NOMEM, "out of memory for the WebP file");
    unsigned char head[8] = "XMP ";
    put_le(head + 4, (unsigned long)body, 4);
    /* room() made space for all of it */
    tf_bytes_append(b, head, 8);
    tf_bytes_append(b, xmp_head, sizeof xmp_head - 1);
    b->len += escape(comment, (char *)b->data + b->len);
    tf_bytes_append(b, xmp_tail, sizeof xmp_tail - 1);
    if (body % 2)
        b->data[b->len++] = 0;
    return TF_OK;
}

/* Turns the simple file at VP8X_SIZE into an extended one starting at 0:
 * a RIFF header and the VP8X chunk fill the 18 free bytes and overwrite
 * libwebp's 12-byte RIFF header, so its image chunk follows them as it
 * is. Then the XMP chunk, and the RIFF size of it all. */
static tf_status extend(tf_ctx *ctx, const tf_image *img, const char *comment)
{
    unsigned char *p = ctx->webp_out.data;
    const unsigned char *chunk = p + VP8X_SIZE + RIFF_HEAD;
    if (ctx->webp_out.len < VP8X_SIZE + RIFF_HEAD + 8 + 5 ||
        (memcmp(chunk, "VP8 ", 4) != 0 && memcmp(chunk, "VP8L", 4) != 0))
        return tf_fail(ctx, TF_E_ENCODE, "cannot encode the WebP: unexpected layout from libwebp");
    /* VP8L's header: signature 0x2f, then 14+14 bits of size, alpha_is_used */
    int alpha = memcmp(chunk, "VP8L", 4) == 0 && (chunk[8 + 4] & 0x10);
    memcpy(p, "RIFF\0\0\0\0WEBPVP8X", 16);
    put_le(p + 16, 10, 4);
    p[20] = (unsigned char)(VP8X_XMP | (alpha ? VP8X_ALPHA : 0));
    put_le(p + 21, 0, 3);
    put_le(p + 24, (unsigned long)img->w - 1, 3);
    put_le(p + 27, (unsigned long)img->h - 1, 3);
    tf_status st = append_xmp(ctx, comment);
    if (st == TF_OK)
        put_le(ctx->webp_out.data + 4, (unsigned long)(ctx->webp_out.len - 8), 4);
    return st;
}

tf_status tf_webp_encode(tf_ctx *ctx, const tf_image *img, int quality, const char *comment,
                         const unsigned char **data, size_t *size)
{
    tf_status st = encode(ctx, img, quality);
    if (st == TF_OK && comment)
        st = extend(ctx, img, comment);
    if (st != TF_OK)
        return st;
    size_t skip = comment ? 0 : VP8X_SIZE;
    *data = ctx->webp_out.data + skip;
    *size = ctx->webp_out.len - skip;
    return TF_OK;
}
