/* test_webp.c - the core's WebP output (webp_encode.c), decoded back with
 * libwebp: lossless with alpha gives exactly the PNG output's pixels; the
 * file layout (simple without a comment; VP8X, image, XMP with one); the
 * comment XML-escaped; grey as grey; the same bytes from a reused handle.
 *
 * usage: test_webp TESTDATA_DIR */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <png.h>
#include <webp/decode.h>

#include "check.h"
#include "made.h"
#include "thumbify.h"

static const char *g_dir;

/* The thumbnail of testdata/name as format, with comment, copied out of
 * the handle; NULL on failure. */
static unsigned char *thumb(tf_ctx *ctx, const char *name, tf_format format, int quality,
                            const char *comment, size_t *len, tf_result *res)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", g_dir, name);
    size_t n;
    unsigned char *src = slurp(path, &n), *out = NULL;
    tf_params p;
    tf_params_default(&p);
    p.format = format;
    p.quality = quality;
    p.comment = comment;
    if (src && tf_thumbnail(ctx, src, n, &p, res) == TF_OK && (out = malloc(res->size))) {
        memcpy(out, res->data, res->size);
        *len = res->size;
    }
    if (!out)
        fprintf(stderr, "%s: %s\n", name, tf_message(ctx));
    free(src);
    return out;
}

static unsigned long le32(const unsigned char *p)
{
    return p[0] | (unsigned long)p[1] << 8 | (unsigned long)p[2] << 16 | (unsigned long)p[3] << 24;
}

static int contains(const unsigned char *hay, size_t n, const char *needle)
{
    size_t k = strlen(needle);
    for (size_t i = 0; k <= n && i + k <= n; i++)
        if (memcmp(hay + i, needle, k) == 0)
            return 1;
    return 0;
}

/* A PNG decoded to RGBA by libpng; NULL on failure. */
static unsigned char *png_rgba(const unsigned char *data, size_t len, int *w, int *h)
{
    png_image pi;
    memset(&pi, 0, sizeof pi);
    pi.version = PNG_IMAGE_VERSION;
    if (!png_image_begin_read_from_memory(&pi, data, len))
        return NULL;
    pi.format = PNG_FORMAT_RGBA;
    unsigned char *px = malloc(PNG_IMAGE_SIZE(pi));
    if (px && !png_image_finish_read(&pi, NULL, px, 0, NULL)) {
        free(px);
        px = NULL;
    }
    *w = (int)pi.width;
    *h = (int)pi.height;
    png_image_free(&pi);
    return px;
}

static void lossless_alpha(tf_ctx *ctx)
{
    tf_result r;
    size_t plen = 0, wlen = 0;
    unsigned char *png = thumb(ctx, "png/rgba_320x240.png", TF_FORMAT_PNG, 85, NULL, &plen, &r);
    unsigned char *webp = thumb(ctx, "png/rgba_320x240.png", TF_FORMAT_WEBP, 85, NULL, &wlen, &r);
    int pw = 0, ph = 0, ww = 0, wh = 0;
    unsigned char *a = png ? png_rgba(png, plen, &pw, &ph) : NULL;
    unsigned char *b = webp ? WebPDecodeRGBA(webp, wlen, &ww, &wh) : NULL;
    WebPBitstreamFeatures f = {0};
    int feat = webp && WebPGetFeatures(webp, wlen, &f) == VP8_STATUS_OK;
    CHECK(r.format == TF_FORMAT_WEBP && feat && f.has_alpha && f.format == 2,
          "rgba_320x240.png as WebP: lossless (VP8L) with alpha; got format %d, has_alpha %d, "
          "kind %d",
          (int)r.format, f.has_alpha, f.format);
    CHECK(a && b && pw == ww && ph == wh && memcmp(a, b, (size_t)pw * ph * 4) == 0,
          "... every RGBA sample as the PNG thumbnail's (%dx%d); got %dx%d", pw, ph, ww, wh);
    free(png);
    free(webp);
    free(a);
    WebPFree(b);
}

/* Without a comment: RIFF, WEBP, one VP8 chunk, nothing else. */
static void simple_layout(tf_ctx *ctx)
{
    tf_result r;
    size_t n = 0;
    unsigned char *w = thumb(ctx, "gradient_640x480.jpg", TF_FORMAT_WEBP, 85, NULL, &n, &r);
    CHECK(w && n > 20 && !memcmp(w, "RIFF", 4) && le32(w + 4) == n - 8 &&
              !memcmp(w + 8, "WEBPVP8 ", 8) && le32(w + 16) + 20 + (le32(w + 16) & 1) == n,
          "a JPEG as WebP without a comment: the simple format, RIFF then one VP8 chunk; "
          "got %zu bytes",
          n);
    int ww = 0, wh = 0;
    CHECK(w && WebPGetInfo(w, n, &ww, &wh) && ww == r.out_w && wh == r.out_h,
          "... of the thumbnail's size %dx%d; got %dx%d", r.out_w, r.out_h, ww, wh);
    free(w);
}

/* With a comment: VP8X (XMP flag), the image, the XMP chunk last; the
 * comment escaped for XML. */
static void comment_layout(tf_ctx *ctx)
{
    static const char comment[] = "a<b & c>d\x01"
                                  "e";
    tf_result r;
    size_t n = 0;
    unsigned char *w = thumb(ctx, "gradient_640x480.jpg", TF_FORMAT_WEBP, 85, comment, &n, &r);
    CHECK(w && n > 30 && !memcmp(w, "RIFF", 4) && le32(w + 4) == n - 8 && n % 2 == 0 &&
              !memcmp(w + 8, "WEBPVP8X", 8) && le32(w + 16) == 10 && w[20] == 0x04 &&
              !memcmp(w + 30, "VP8 ", 4),
          "with a comment: RIFF (size right, even), VP8X saying XMP only, then VP8");
    size_t img_end = w ? 38 + le32(w + 34) + (le32(w + 34) & 1) : 0;
    CHECK(w && img_end + 8 <= n && !memcmp(w + img_end, "XMP ", 4) &&
              img_end + 8 + le32(w + img_end + 4) + (le32(w + img_end + 4) & 1) == n,
          "... and the XMP chunk after the image, last");
    CHECK(w && contains(w, n, "<rdf:li xml:lang=\"x-default\">a&lt;b &amp; c&gt;d?e</rdf:li>"),
          "... holding the comment as dc:description, escaped (<, &, >; a control byte as ?)");
    int ww = 0, wh = 0;
    unsigned char *px = w ? WebPDecodeRGBA(w, n, &ww, &wh) : NULL;
    CHECK(px && ww == r.out_w && wh == r.out_h, "... and libwebp decodes it, %dx%d; got %dx%d",
          r.out_w, r.out_h, ww, wh);
    WebPFree(px);
    free(w);
}

/* The longest comment, all escaped: 5000 bytes of XMP. */
static void long_comment(tf_ctx *ctx)
{
    char comment[1001];
    memset(comment, '&', 1000);
    comment[1000] = '\0';
    tf_result r;
    size_t n = 0;
    unsigned char *w = thumb(ctx, "small_50x40.jpg", TF_FORMAT_WEBP, 85, comment, &n, &r);
    int ww = 0, wh = 0;
    CHECK(w && le32(w + 4) == n - 8 && WebPGetInfo(w, n, &ww, &wh) && ww == 50 && wh == 40 &&
              contains(w, n, "&amp;&amp;&amp;"),
          "a 1000-byte comment of '&': 5000 bytes escaped, the file still whole and 50x40");
    free(w);
}

static void grey(tf_ctx *ctx)
{
    tf_result r;
    size_t n = 0;
    unsigned char *w = thumb(ctx, "gray_300x200.jpg", TF_FORMAT_WEBP, 85, NULL, &n, &r);
    int ww = 0, wh = 0, off = 0;
    unsigned char *px = w ? WebPDecodeRGB(w, n, &ww, &wh) : NULL;
    for (int i = 0; px && i < ww * wh; i++) {
        const unsigned char *p = px + 3 * i;
        off += abs(p[0] - p[1]) > 2 || abs(p[1] - p[2]) > 2;
    }
    CHECK(px && ww == 75 && wh == 50 && off == 0,
          "a grey JPEG as WebP: 75x50, grey (R, G, B within 2); got %dx%d, %d coloured", ww, wh,
          off);
    WebPFree(px);
    free(w);
}

/* -Q matters, and a handle used before gives the bytes of a new one. */
static void quality_and_reuse(tf_ctx *ctx)
{
    tf_result r;
    size_t lo = 0, hi = 0, fresh_n = 0;
    unsigned char *a = thumb(ctx, "gradient_640x480.jpg", TF_FORMAT_WEBP, 30, "s", &lo, &r);
    unsigned char *b = thumb(ctx, "gradient_640x480.jpg", TF_FORMAT_WEBP, 95, "s", &hi, &r);
    CHECK(a && b && lo < hi, "quality 30 makes a smaller WebP than 95; got %zu and %zu bytes", lo,
          hi);
    tf_ctx *fresh = tf_new();
    unsigned char *c = thumb(fresh, "gradient_640x480.jpg", TF_FORMAT_WEBP, 95, "s", &fresh_n, &r);
    CHECK(b && c && hi == fresh_n && memcmp(b, c, hi) == 0,
          "a handle that made PNG and WebP thumbnails before gives a new handle's bytes");
    tf_free(fresh);
    free(a);
    free(b);
    free(c);
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fputs("usage: test_webp TESTDATA_DIR\n", stderr);
        return 2;
    }
    g_dir = argv[1];
    CHECK(strcmp(tf_format_ext(TF_FORMAT_WEBP), "webp") == 0, "tf_format_ext(WebP) is \"webp\"");
    tf_ctx *ctx = tf_new(); /* one handle for all, as a worker's */
    if (ctx) {
        lossless_alpha(ctx);
        simple_layout(ctx);
        comment_layout(ctx);
        long_comment(ctx);
        grey(ctx);
        quality_and_reuse(ctx);
        tf_free(ctx);
    }
    CHECK(ctx != NULL, "tf_new");
    return check_done();
}
