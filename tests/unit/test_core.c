/* test_core.c - the image core end to end on the files in testdata/, all
 * through ONE handle (the point is that a handle is reused: after errors,
 * warnings and different sizes it must still give the same bytes).
 * Every thumbnail is decoded back with libjpeg to check what it holds.
 *
 * usage: test_core TESTDATA_DIR */
#include <math.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jpeglib.h>
#include <lcms2.h>

#include "check.h"
#include "internal.h" /* embedded_too_small: ctx->decoded */
#include "thumbify.h"

static const char *g_dir;

/* ---- helpers ---------------------------------------------------------- */

/* The whole file DIR/name in a malloc'd buffer (never NULL on success, even
 * when empty); NULL when it cannot be read. */
static unsigned char *read_file(const char *name, size_t *len)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", g_dir, name);
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    unsigned char *buf = NULL;
    size_t cap = 0, n = 0;
    for (;;) {
        if (n == cap) {
            unsigned char *p = realloc(buf, cap = cap ? 2 * cap : 65536);
            if (!p) {
                free(buf);
                fclose(f);
                return NULL;
            }
            buf = p;
        }
        size_t got = fread(buf + n, 1, cap - n, f);
        n += got;
        if (got == 0)
            break;
    }
    int bad = ferror(f);
    fclose(f);
    if (bad) {
        free(buf);
        return NULL;
    }
    *len = n;
    return buf;
}

/* A thumbnail decoded back to pixels. */
typedef struct image {
    int w, h, comps, warnings;
    unsigned char *px;           /* w * h * comps, rows packed */
    char why[JMSG_LENGTH_MAX];   /* the libjpeg error when decoding failed */
} image;

struct check_err {
    struct jpeg_error_mgr pub;
    jmp_buf jump;
    image *img;
};

static void check_error_exit(j_common_ptr cinfo)
{
    struct check_err *e = (struct check_err *)cinfo->err;
    (*cinfo->err->format_message)(cinfo, e->img->why);
    longjmp(e->jump, 1);
}

static void check_emit_message(j_common_ptr cinfo, int level)
{
    if (level < 0)
        ((struct check_err *)cinfo->err)->img->warnings++;
}

/* Decodes data[0..size) into *img (as stored: grey stays 1 component,
 * YCbCr becomes RGB). Returns 0, or -1 with img->why set. img->px is
 * freed by image_free() either way. */
static int decode_jpeg(const unsigned char *data, size_t size, image *img)
{
    struct jpeg_decompress_struct cinfo;
    struct check_err err;
    memset(img, 0, sizeof *img);
    cinfo.err = jpeg_std_error(&err.pub);
    err.pub.error_exit = check_error_exit;
    err.pub.emit_message = check_emit_message;
    err.img = img;
    if (setjmp(err.jump)) {
        jpeg_destroy_decompress(&cinfo);
        return -1;
    }
    jpeg_create_decompress(&cinfo);
    jpeg_mem_src(&cinfo, data, (unsigned long)size);
    jpeg_read_header(&cinfo, TRUE);
    jpeg_start_decompress(&cinfo);
    img->w = (int)cinfo.output_width;
    img->h = (int)cinfo.output_height;
    img->comps = cinfo.output_components;
    size_t stride = (size_t)img->w * img->comps;
    img->px = malloc(stride * img->h);
    if (!img->px) {
        snprintf(img->why, sizeof img->why, "out of memory");
        jpeg_destroy_decompress(&cinfo);
        return -1;
    }
    while (cinfo.output_scanline < cinfo.output_height) {
        JSAMPROW row = img->px + stride * cinfo.output_scanline;
        jpeg_read_scanlines(&cinfo, &row, 1);
    }
    jpeg_finish_decompress(&cinfo);
    jpeg_destroy_decompress(&cinfo);
    return 0;
}

static void image_free(image *img)
{
    free(img->px);
    img->px = NULL;
}

static const unsigned char *pixel(const image *img, int x, int y)
{
    return img->px + ((size_t)y * img->w + x) * img->comps;
}

/* Per-channel mean of a 3-component image. */
static void mean_rgb(const image *img, double m[3])
{
    double s[3] = {0, 0, 0};
    for (int y = 0; y < img->h; y++)
        for (int x = 0; x < img->w; x++)
            for (int c = 0; c < 3; c++)
                s[c] += pixel(img, x, y)[c];
    for (int c = 0; c < 3; c++)
        m[c] = s[c] / ((double)img->w * img->h);
}

/* Reads testdata/name and makes its thumbnail with ctx. The input buffer is
 * freed before returning (the result must not point into it). A file that
 * cannot be read fails the run loudly. */
static tf_status thumb(tf_ctx *ctx, const char *name, const tf_params *p, tf_result *r)
{
    size_t len = 0;
    unsigned char *src = read_file(name, &len);
    if (!EXPECT(src != NULL, "read %s/%s", g_dir, name)) {
        memset(r, 0, sizeof *r);
        return (tf_status)-1;
    }
    tf_status st = tf_thumbnail(ctx, src, len, p, r);
    free(src);
    return st;
}

static tf_status thumb_default(tf_ctx *ctx, const char *name, tf_result *r)
{
    tf_params p;
    tf_params_default(&p);
    return thumb(ctx, name, &p, r);
}

static int is_jpeg_bytes(const tf_result *r)
{
    return r->data && r->size > 100 && r->data[0] == 0xFF && r->data[1] == 0xD8 &&
           r->data[r->size - 2] == 0xFF && r->data[r->size - 1] == 0xD9;
}

/* Thumbnail of name with the defaults, decoded back into *img; 0 when both
 * worked. Silent on success (the caller's CHECK says what was checked). */
static int thumb_and_decode(tf_ctx *ctx, const char *name, tf_result *r, image *img)
{
    memset(img, 0, sizeof *img);
    tf_status st = thumb_default(ctx, name, r);
    if (!EXPECT(st == TF_OK, "%s -> TF_OK; got %d (%s) \"%s\"", name, (int)st,
                tf_status_str(st), tf_message(ctx)))
        return -1;
    if (!EXPECT(decode_jpeg(r->data, r->size, img) == 0,
                "%s: the thumbnail decodes back with libjpeg; got \"%s\"", name, img->why))
        return -1;
    return 0;
}

/* ---- the checks ------------------------------------------------------- */

static unsigned char *g_first;   /* gradient's thumbnail, for the reuse check */
static size_t g_first_size;

static void gradient(tf_ctx *ctx)
{
    tf_result r;
    image img;
    if (thumb_and_decode(ctx, "gradient_640x480.jpg", &r, &img) != 0) {
        image_free(&img);
        return;
    }
    CHECK(r.src_w == 640 && r.src_h == 480 && r.out_w == 75 && r.out_h == 56 &&
              r.scale_denom == 4 && r.warnings == 0,
          "gradient_640x480.jpg: src 640x480, out 75x56, scale_denom 4 (at 1/8, 80x60 is "
          "less than twice 75x56), 0 warnings; "
          "got %dx%d -> %dx%d, 1/%d, %d",
          r.src_w, r.src_h, r.out_w, r.out_h, r.scale_denom, r.warnings);
    CHECK(is_jpeg_bytes(&r), "gradient_640x480.jpg: %zu bytes (> 100), starts FF D8, ends FF D9",
          r.size);
    CHECK(tf_message(ctx) && tf_message(ctx)[0] == '\0',
          "gradient_640x480.jpg: tf_message is \"\" after TF_OK without warnings; got \"%s\"",
          tf_message(ctx));
    CHECK(r.format == TF_FORMAT_JPEG && r.orientation == 1 && r.note && r.note[0] == '\0',
          "gradient_640x480.jpg: JPEG out (format same), orientation 1, note \"\"; "
          "got format %d, orientation %d, note \"%s\"", (int)r.format, r.orientation,
          r.note ? r.note : "(null)");
    CHECK(img.w == 75 && img.h == 56 && img.comps == 3 && img.warnings == 0,
          "gradient_640x480.jpg: decoded back 75x56, 3 components, no libjpeg warnings; "
          "got %dx%d x%d, %d warnings", img.w, img.h, img.comps, img.warnings);
    g_first = malloc(r.size);
    if (g_first) {
        memcpy(g_first, r.data, r.size);
        g_first_size = r.size;
    }
    image_free(&img);
}

/* Every valid file: result fields and what the thumbnail decodes to. */
static void valid_files(tf_ctx *ctx)
{
    static const struct {
        const char *name;
        int src_w, src_h, out_w, out_h, denom, comps;
    } t[] = {
        {"gray_300x200.jpg", 300, 200, 75, 50, 2, 1},
        {"small_50x40.jpg", 50, 40, 50, 40, 1, 3},
        {"wide_1000x1.jpg", 1000, 1, 75, 1, 1, 3},
        {"tall_1x1000.jpg", 1, 1000, 1, 75, 1, 3},
        {"exactly_75x75.jpg", 75, 75, 75, 75, 1, 3},
        {"portrait_480x640.jpg", 480, 640, 56, 75, 4, 3},
        {"progressive_1024x768.jpg", 1024, 768, 75, 56, 4, 3},
        {"arith_400x300.jpg", 400, 300, 75, 56, 2, 3},
        {"arith_progressive_400x300.jpg", 400, 300, 75, 56, 2, 3},
        {"restart_500x375.jpg", 500, 375, 75, 56, 2, 3},
        {"subsamp_422_600x400.jpg", 600, 400, 75, 50, 4, 3},
        {"subsamp_440_600x400.jpg", 600, 400, 75, 50, 4, 3},
        {"subsamp_444_600x400.jpg", 600, 400, 75, 50, 4, 3},
        {"cmyk_adobe_400x300.jpg", 400, 300, 75, 56, 2, 3},
        {"ycck_400x300.jpg", 400, 300, 75, 56, 2, 3},
        {"icc_adobergb_400x300.jpg", 400, 300, 75, 56, 2, 3},
        {"icc_multichunk_400x300.jpg", 400, 300, 75, 56, 2, 3},
        {"blocks_800x600.jpg", 800, 600, 75, 56, 4, 3},
        {"name with spaces.jpg", 320, 240, 75, 56, 2, 3},
    };
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
        tf_result r;
        image img;
        if (thumb_and_decode(ctx, t[i].name, &r, &img) == 0) {
            CHECK(r.src_w == t[i].src_w && r.src_h == t[i].src_h && r.out_w == t[i].out_w &&
                  r.out_h == t[i].out_h && r.scale_denom == t[i].denom && r.warnings == 0 &&
                  r.data && r.size > 0 && r.data[0] == 0xFF && r.data[1] == 0xD8 &&
                  img.w == t[i].out_w && img.h == t[i].out_h && img.comps == t[i].comps &&
                  img.warnings == 0,
                  "%s: %dx%d -> %dx%d at 1/%d, decodes back to %dx%d with %d component(s); "
                  "got %dx%d -> %dx%d at 1/%d, %d warnings, decoded %dx%d x%d",
                  t[i].name, t[i].src_w, t[i].src_h, t[i].out_w, t[i].out_h, t[i].denom,
                  t[i].out_w, t[i].out_h, t[i].comps, r.src_w, r.src_h, r.out_w, r.out_h,
                  r.scale_denom, r.warnings, img.w, img.h, img.comps);
        }
        image_free(&img);
    }
}

/* blocks_800x600.jpg: 4 x 3 solid 200x200 blocks, row-major. */
static void blocks(tf_ctx *ctx)
{
    static const struct { const char *name; unsigned char rgb[3]; } k[12] = {
        {"red", {255, 0, 0}},        {"green", {0, 255, 0}},     {"blue", {0, 0, 255}},
        {"white", {255, 255, 255}},  {"black", {0, 0, 0}},       {"gray", {128, 128, 128}},
        {"yellow", {255, 255, 0}},   {"cyan", {0, 255, 255}},    {"magenta", {255, 0, 255}},
        {"orange", {255, 128, 0}},   {"purple", {128, 0, 128}},  {"teal", {0, 128, 128}},
    };
    tf_result r;
    image img;
    if (thumb_and_decode(ctx, "blocks_800x600.jpg", &r, &img) != 0 ||
        !CHECK(img.w == 75 && img.h == 56 && img.comps == 3, "blocks_800x600.jpg: 75x56 RGB")) {
        image_free(&img);
        return;
    }
    for (int i = 0; i < 12; i++) {
        int c = i % 4, row = i / 4;
        int x = (int)((c + 0.5) * 75 / 4), y = (int)((row + 0.5) * 56 / 3);
        const unsigned char *p = pixel(&img, x, y);
        int ok = 1;
        for (int ch = 0; ch < 3; ch++)
            ok &= abs((int)p[ch] - (int)k[i].rgb[ch]) <= 8;
        CHECK(ok, "blocks_800x600.jpg: block %d,%d at (%d,%d) is %s (%d,%d,%d) within 8; "
              "got (%d,%d,%d)", c, row, x, y, k[i].name, k[i].rgb[0], k[i].rgb[1],
              k[i].rgb[2], p[0], p[1], p[2]);
    }
    image_free(&img);
}

/* Adobe CMYK and YCCK (inverted) hold the same pattern as arith_400x300.jpg. */
static void cmyk(tf_ctx *ctx)
{
    static const char *const names[] = {"cmyk_adobe_400x300.jpg", "ycck_400x300.jpg"};
    tf_result r;
    image ref;
    double mref[3];
    if (thumb_and_decode(ctx, "arith_400x300.jpg", &r, &ref) != 0 || ref.comps != 3) {
        CHECK(0, "arith_400x300.jpg: an RGB reference thumbnail");
        image_free(&ref);
        return;
    }
    mean_rgb(&ref, mref);
    for (int i = 0; i < 2; i++) {
        image img;
        double m[3];
        if (thumb_and_decode(ctx, names[i], &r, &img) == 0 &&
            CHECK(img.comps == 3 && img.w == ref.w && img.h == ref.h,
                  "%s: a 3-channel %dx%d thumbnail; got %dx%d x%d", names[i], ref.w, ref.h,
                  img.w, img.h, img.comps)) {
            mean_rgb(&img, m);
            CHECK(fabs(m[0] - mref[0]) <= 6 && fabs(m[1] - mref[1]) <= 6 &&
                  fabs(m[2] - mref[2]) <= 6,
                  "%s: mean colour (%.1f,%.1f,%.1f) within 6 of arith_400x300.jpg's "
                  "(%.1f,%.1f,%.1f)", names[i], m[0], m[1], m[2], mref[0], mref[1], mref[2]);
        }
        image_free(&img);
    }
    image_free(&ref);
}

static void bad_files(tf_ctx *ctx)
{
    tf_result r;
    tf_status st = thumb_default(ctx, "bad/zero_bytes.jpg", &r);
    CHECK(st == TF_E_FORMAT && strcmp(tf_message(ctx), "empty file") == 0,
          "bad/zero_bytes.jpg -> TF_E_FORMAT \"empty file\"; got %d \"%s\"", (int)st,
          tf_message(ctx));

    st = thumb_default(ctx, "bad/not_a_jpeg.jpg", &r);
    CHECK(st != TF_OK && strstr(tf_message(ctx), "not a JPEG"),
          "bad/not_a_jpeg.jpg -> an error whose message says \"not a JPEG\"; got %d (%s) \"%s\"",
          (int)st, tf_status_str(st), tf_message(ctx));

    st = thumb_default(ctx, "bad/truncated_half.jpg", &r);
    CHECK(st == TF_OK && r.warnings > 0 && strstr(tf_message(ctx), "premature end") &&
          r.out_w == 75 && r.out_h == 56 && is_jpeg_bytes(&r),
          "bad/truncated_half.jpg -> TF_OK, a 75x56 JPEG, warnings > 0, message has "
          "\"premature end\"; got %d, %dx%d, %d warnings, \"%s\"", (int)st, r.out_w, r.out_h,
          r.warnings, tf_message(ctx));

    /* whatever the damage: TF_OK with a JPEG, or an error with a message */
    static const char *const any[] = {"bad/truncated_progressive.jpg",
                                      "bad/garbage_after_header.jpg"};
    for (int i = 0; i < 2; i++) {
        st = thumb_default(ctx, any[i], &r);
        CHECK(st == TF_OK ? is_jpeg_bytes(&r) && (r.warnings == 0) == (tf_message(ctx)[0] == 0)
                          : tf_message(ctx)[0] != '\0',
              "%s -> TF_OK with a JPEG (message iff warnings) or an error with a message; "
              "got %d, %d warnings, \"%s\"", any[i], (int)st, r.warnings, tf_message(ctx));
    }
}

/* The same handle, after all the errors above, gives the first bytes again. */
static void reuse(tf_ctx *ctx)
{
    tf_result r;
    tf_status st = thumb_default(ctx, "gradient_640x480.jpg", &r);
    CHECK(st == TF_OK && g_first && r.size == g_first_size &&
          memcmp(r.data, g_first, r.size) == 0 && tf_message(ctx)[0] == '\0' && r.warnings == 0,
          "gradient_640x480.jpg again on the reused handle after errors and warnings: "
          "byte-identical to the first %zu bytes, message \"\"; got %zu bytes, \"%s\"",
          g_first_size, r.size, tf_message(ctx));
}

static void params(tf_ctx *ctx)
{
    static const struct {
        const char *what;
        int box_w, box_h, quality, max_scans;
        unsigned long long max_pixels;
        tf_status want;
        const char *needle;      /* in the message, when an error */
        int out_w, out_h;        /* when TF_OK */
    } t[] = {
        {"quality 0", 75, 75, 0, 1000, TF_DEFAULT_MAX_PIXELS, TF_E_INVALID, "quality", 0, 0},
        {"quality 101", 75, 75, 101, 1000, TF_DEFAULT_MAX_PIXELS, TF_E_INVALID, "quality", 0, 0},
        {"quality -5", 75, 75, -5, 1000, TF_DEFAULT_MAX_PIXELS, TF_E_INVALID, "quality", 0, 0},
        {"box 0x75", 0, 75, 85, 1000, TF_DEFAULT_MAX_PIXELS, TF_E_INVALID, "box", 0, 0},
        {"box 75x0", 75, 0, 85, 1000, TF_DEFAULT_MAX_PIXELS, TF_E_INVALID, "box", 0, 0},
        {"box 0x0", 0, 0, 85, 1000, TF_DEFAULT_MAX_PIXELS, TF_E_INVALID, "box", 0, 0},
        {"box -1x75", -1, 75, 85, 1000, TF_DEFAULT_MAX_PIXELS, TF_E_INVALID, "box", 0, 0},
        {"max_scans 0", 75, 75, 85, 0, TF_DEFAULT_MAX_PIXELS, TF_E_INVALID, "scan", 0, 0},
        {"max_pixels 1000", 75, 75, 85, 1000, 1000, TF_E_LIMIT, "1000", 0, 0},
        {"max_pixels 640*480-1", 75, 75, 85, 1000, 640 * 480 - 1, TF_E_LIMIT, "307199", 0, 0},
        {"max_pixels 640*480 exactly", 75, 75, 85, 1000, 640 * 480, TF_OK, NULL, 75, 56},
        {"box 100x50", 100, 50, 85, 1000, TF_DEFAULT_MAX_PIXELS, TF_OK, NULL, 67, 50},
        {"box 50x100", 50, 100, 85, 1000, TF_DEFAULT_MAX_PIXELS, TF_OK, NULL, 50, 38},
        {"box 1x1", 1, 1, 85, 1000, TF_DEFAULT_MAX_PIXELS, TF_OK, NULL, 1, 1},
        {"box 640x480 (no resize)", 640, 480, 85, 1000, TF_DEFAULT_MAX_PIXELS, TF_OK, NULL, 640, 480},
        {"box 2000x2000 (no upscale)", 2000, 2000, 85, 1000, TF_DEFAULT_MAX_PIXELS, TF_OK, NULL, 640, 480},
        {"box 320x240 (1/2)", 320, 240, 85, 1000, TF_DEFAULT_MAX_PIXELS, TF_OK, NULL, 320, 240},
        {"quality 1", 75, 75, 1, 1000, TF_DEFAULT_MAX_PIXELS, TF_OK, NULL, 75, 56},
        {"quality 100", 75, 75, 100, 1000, TF_DEFAULT_MAX_PIXELS, TF_OK, NULL, 75, 56},
    };
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
        tf_params p = {.box_w = t[i].box_w, .box_h = t[i].box_h, .quality = t[i].quality,
                       .max_pixels = t[i].max_pixels, .max_scans = t[i].max_scans};
        tf_result r;
        tf_status st = thumb(ctx, "gradient_640x480.jpg", &p, &r);
        if (t[i].want == TF_OK) {
            image img;
            int dec = st == TF_OK ? decode_jpeg(r.data, r.size, &img) : -1;
            if (st != TF_OK)
                memset(&img, 0, sizeof img);
            CHECK(st == TF_OK && r.out_w == t[i].out_w && r.out_h == t[i].out_h && dec == 0 &&
                  img.w == t[i].out_w && img.h == t[i].out_h,
                  "gradient_640x480.jpg with %s -> TF_OK %dx%d; got %d %dx%d \"%s\"",
                  t[i].what, t[i].out_w, t[i].out_h, (int)st, r.out_w, r.out_h,
                  tf_message(ctx));
            image_free(&img);
        } else {
            CHECK(st == t[i].want && strstr(tf_message(ctx), t[i].needle),
                  "gradient_640x480.jpg with %s -> %s, message has \"%s\"; got %d \"%s\"",
                  t[i].what, tf_status_str(t[i].want), t[i].needle, (int)st, tf_message(ctx));
        }
    }

    /* quality changes the bytes: 100 is bigger than 1 */
    tf_params p;
    tf_params_default(&p);
    tf_result r;
    size_t small = 0, big = 0;
    p.quality = 1;
    if (thumb(ctx, "gradient_640x480.jpg", &p, &r) == TF_OK)
        small = r.size;
    p.quality = 100;
    if (thumb(ctx, "gradient_640x480.jpg", &p, &r) == TF_OK)
        big = r.size;
    CHECK(small > 0 && big > small, "quality 100 (%zu bytes) is bigger than quality 1 (%zu)",
          big, small);

    /* a progressive file with more scans than allowed (a box that needs the
     * full-size decode, so every scan must be read) */
    tf_params_default(&p);
    p.box_w = 1024;
    p.box_h = 768;
    p.max_scans = 2;
    tf_status st = thumb(ctx, "progressive_1024x768.jpg", &p, &r);
    CHECK(st == TF_E_LIMIT && strstr(tf_message(ctx), "scans"),
          "progressive_1024x768.jpg, box 1024x768, max_scans 2 -> TF_E_LIMIT about scans; "
          "got %d \"%s\"", (int)st, tf_message(ctx));
}

/* Offset just past the first SOS segment of a JPEG (where the headers end),
 * or of its first SOF when sof is set; 0 if not found. */
static size_t header_end(const unsigned char *s, size_t len, int sof)
{
    size_t p = 2;
    while (p + 4 <= len && s[p] == 0xff) {
        unsigned m = s[p + 1], seg = (unsigned)(s[p + 2] << 8 | s[p + 3]);
        if (sof && m >= 0xc0 && m <= 0xc2)
            return p;
        if (m == 0xda)
            return p + 2 + seg;
        p += 2 + seg;
    }
    return 0;
}

/* tf_probe: tf_thumbnail's sizes from the headers alone (the start of the
 * file is enough), an orientation that turns the image, errors as the
 * decoders give them; the handle still makes thumbnails afterwards. */
static void probe(tf_ctx *ctx)
{
    static const struct {
        const char *name;
        int src_w, src_h, orientation, out_w, out_h;
    } t[] = {{"gradient_640x480.jpg", 640, 480, 1, 75, 56},
             {"orientation/orient_6.jpg", 0, 0, 6, 0, 0},
             {"orientation/exif_orient8_after_idat.png", 0, 0, 8, 0, 0},
             {"png/rgb_320x240.png", 320, 240, 1, 75, 56}};
    tf_params p;
    tf_params_default(&p);
    for (size_t i = 0; i < sizeof t / sizeof *t; i++) {
        size_t len;
        unsigned char *data = read_file(t[i].name, &len);
        tf_result pr, tr;
        tf_status ps = data ? tf_probe(ctx, data, len, &p, &pr) : TF_E_INVALID;
        tf_status ts = data ? tf_thumbnail(ctx, data, len, &p, &tr) : TF_E_INVALID;
        CHECK(ps == TF_OK && ts == TF_OK && pr.data == NULL && pr.src_w == tr.src_w &&
                  pr.src_h == tr.src_h && pr.orientation == tr.orientation &&
                  pr.out_w == tr.out_w && pr.out_h == tr.out_h && pr.format == tr.format &&
                  (!t[i].src_w || (pr.src_w == t[i].src_w && pr.src_h == t[i].src_h &&
                                   pr.out_w == t[i].out_w && pr.out_h == t[i].out_h)) &&
                  pr.orientation == t[i].orientation,
              "tf_probe %s: %dx%d, orientation %d -> %dx%d, as tf_thumbnail (%dx%d)", t[i].name,
              pr.src_w, pr.src_h, pr.orientation, pr.out_w, pr.out_h, tr.out_w, tr.out_h);
        size_t head = data ? header_end(data, len, 0) : 0;
        if (head) {
            ps = tf_probe(ctx, data, head, &p, &pr);
            CHECK(ps == TF_OK && pr.out_w == tr.out_w && pr.out_h == tr.out_h,
                  "tf_probe %s: its first %zu bytes (the headers) are enough", t[i].name, head);
        }
        free(data);
    }
    static const unsigned char junk[] = "not an image";
    tf_result r;
    CHECK(tf_probe(ctx, junk, sizeof junk, &p, &r) == TF_E_FORMAT,
          "tf_probe of no image: TF_E_FORMAT (\"%s\")", tf_message(ctx));
    p.max_pixels = 1000;
    size_t len;
    unsigned char *data = read_file("gradient_640x480.jpg", &len);
    CHECK(data && tf_probe(ctx, data, len, &p, &r) == TF_E_LIMIT,
          "tf_probe over --max-pixels: TF_E_LIMIT (\"%s\")", tf_message(ctx));
    free(data);
}

/* A 16x16 JPEG of 2 components (no colour space thumbify takes). */
static unsigned char *two_components(size_t *len)
{
    struct jpeg_compress_struct c;
    struct jpeg_error_mgr e;
    unsigned char *buf = NULL, row[32] = {0};
    unsigned long n = 0;
    c.err = jpeg_std_error(&e);
    jpeg_create_compress(&c);
    jpeg_mem_dest(&c, &buf, &n);
    c.image_width = c.image_height = 16;
    c.input_components = 2;
    c.in_color_space = JCS_UNKNOWN;
    jpeg_set_defaults(&c);
    jpeg_start_compress(&c, TRUE);
    for (JSAMPROW r = row; c.next_scanline < 16;)
        jpeg_write_scanlines(&c, &r, 1);
    jpeg_finish_compress(&c);
    jpeg_destroy_compress(&c);
    *len = n;
    return buf;
}

/* A file that fails in its own right is not retried as "bytes after the
 * image" because the image before it on the same handle had such bytes:
 * that retry read the failed file again without its plan (a heap overrun
 * after a grey image). Here: grey with a second SOI where its EOI should
 * be (a warning), then 2 components (unsupported) ending the same way,
 * then grey again. */
static void tail_not_inherited(void)
{
    tf_ctx *ctx = tf_new();
    tf_params p;
    tf_params_default(&p);
    size_t glen = 0, tlen = 0;
    unsigned char *grey = read_file("gray_300x200.jpg", &glen);
    unsigned char *two = two_components(&tlen);
    unsigned char *tailed = grey ? malloc(glen + 2) : NULL;
    if (!ctx || !tailed || !two || glen < 4) {
        CHECK(0, "tail_not_inherited: set-up");
        return;
    }
    memcpy(tailed, grey, glen - 2); /* its EOI becomes a second SOI */
    tailed[glen - 2] = 0xff;
    tailed[glen - 1] = 0xd8;
    two[tlen - 1] = 0xd8; /* and the 2 components' too */
    tf_result r;
    tf_status st = tf_thumbnail(ctx, tailed, glen, &p, &r);
    CHECK(st == TF_OK && r.warnings > 0, "grey with a second SOI for its EOI: made, with a warning (%d, %d)",
          (int)st, r.warnings);
    st = tf_thumbnail(ctx, two, tlen, &p, &r);
    CHECK(st == TF_E_DECODE && strstr(tf_message(ctx), "colour components"),
          "then 2 components, also with a second SOI: fails as unsupported, not retried (%d \"%s\")",
          (int)st, tf_message(ctx));
    st = tf_thumbnail(ctx, grey, glen, &p, &r);
    CHECK(st == TF_OK && r.warnings == 0 && r.out_w == 75,
          "then the clean grey file: made, no warning (%d, %d)", (int)st, r.warnings);
    free(tailed);
    free(grey);
    free(two);
    tf_free(ctx);
}

/* tf_probes: every box's size from one read of the headers, the same as
 * tf_thumbnails makes, fitted and cropped, for an image the orientation
 * turns a quarter (the swap is the core's alone: the CLI's --name %w/%h
 * relies on it). */
static void probes(tf_ctx *ctx)
{
    static const char *const files[] = {"orientation/orient_6.jpg", "portrait_480x640.jpg",
                                        "orientation/exif_orient8_after_idat.png"};
    static const tf_box boxes[] = {{75, 75}, {200, 120}, {33, 300}};
    tf_params p;
    tf_params_default(&p);
    for (int fit = 0; fit < 2; fit++) {
        p.fit = fit ? TF_FIT_CROP : TF_FIT_INSIDE;
        for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
            size_t len;
            unsigned char *data = read_file(files[i], &len);
            tf_result pr[3], tr[3];
            tf_status ps = data ? tf_probes(ctx, data, len, &p, boxes, 3, pr) : TF_E_INVALID;
            tf_status ts = data ? tf_thumbnails(ctx, data, len, &p, boxes, 3, tr) : TF_E_INVALID;
            int same = ps == TF_OK && ts == TF_OK;
            for (int k = 0; same && k < 3; k++)
                same = pr[k].data == NULL && pr[k].out_w == tr[k].out_w &&
                       pr[k].out_h == tr[k].out_h && pr[k].orientation == tr[k].orientation;
            CHECK(same,
                  "tf_probes %s, %s, boxes 75x75 200x120 33x300: %dx%d %dx%d %dx%d, as "
                  "tf_thumbnails makes them (%dx%d %dx%d %dx%d)",
                  files[i], fit ? "crop" : "fit", pr[0].out_w, pr[0].out_h, pr[1].out_w,
                  pr[1].out_h, pr[2].out_w, pr[2].out_h, tr[0].out_w, tr[0].out_h, tr[1].out_w,
                  tr[1].out_h, tr[2].out_w, tr[2].out_h);
            free(data);
        }
    }
}

/* embedded_only: the EXIF thumbnail from the start of the file alone, the
 * same bytes as from the whole file; TF_E_NOT_EMBEDDED whenever it cannot
 * stand in or the headers are cut short. */
static void embedded_only(tf_ctx *ctx)
{
    tf_params p;
    tf_params_default(&p);
    p.use_embedded = 1;
    tf_result r;
    size_t len = 0;
    unsigned char *src = read_file("embedded/exif_thumb_640x480.jpg", &len), *whole = NULL;
    size_t whole_len = 0;
    if (!CHECK(src != NULL, "read embedded/exif_thumb_640x480.jpg"))
        return;
    if (tf_thumbnail(ctx, src, len, &p, &r) == TF_OK && r.path == TF_PATH_EMBEDDED) {
        whole = malloc(r.size);
        memcpy(whole, r.data, r.size);
        whole_len = r.size;
    }
    CHECK(whole != NULL, "exif_thumb_640x480.jpg, use_embedded: the EXIF thumbnail is used");
    size_t head = header_end(src, len, 0), sof = header_end(src, len, 1);
    p.embedded_only = 1;
    tf_status st = tf_thumbnail(ctx, src, head, &p, &r);
    CHECK(st == TF_OK && r.path == TF_PATH_EMBEDDED && whole && r.size == whole_len &&
              memcmp(r.data, whole, whole_len) == 0,
          "embedded_only on the first %zu of %zu bytes (up to the first scan): the same %zu "
          "bytes as from the whole file; got %d \"%s\"", head, len, whole_len, (int)st,
          tf_message(ctx));
    st = tf_thumbnail(ctx, src, sof, &p, &r);
    CHECK(st != TF_OK, "embedded_only on the first %zu bytes (cut before the frame header): "
                       "not OK; got %d", sof, (int)st);
    st = tf_thumbnail(ctx, src, head - 1, &p, &r);
    CHECK(st != TF_OK, "embedded_only cut one byte short of the first scan: not OK; got %d",
          (int)st);
    free(src);
    free(whole);

    static const struct {
        const char *file, *needle;
    } no[] = {{"embedded/exif_thumb_small_640x480.jpg", "40x30: too small (not decoded)"},
              {"embedded/exif_thumb_corrupt_640x480.jpg", "does not decode cleanly"},
              {"gradient_640x480.jpg", "none in the file"},
              {"png/rgb_320x240.png", "PNG"}};
    for (size_t i = 0; i < sizeof no / sizeof *no; i++) {
        st = thumb(ctx, no[i].file, &p, &r);
        CHECK(st == TF_E_NOT_EMBEDDED && strstr(tf_message(ctx), no[i].needle),
              "%s, embedded_only -> TF_E_NOT_EMBEDDED, message has \"%s\"; got %d \"%s\"",
              no[i].file, no[i].needle, (int)st, tf_message(ctx));
    }
    p.use_embedded = 0;
    st = thumb(ctx, "embedded/exif_thumb_640x480.jpg", &p, &r);
    CHECK(st == TF_E_INVALID, "embedded_only without use_embedded -> TF_E_INVALID; got %d",
          (int)st);
}

/* An EXIF thumbnail too small for one of the boxes (160x120 for 75 and
 * 200) is found so from its header: not decoded, in a fresh handle
 * ctx->decoded stays empty (white box). The worker tries a large file's
 * start with embedded_only first, then all of it: it would otherwise be
 * decoded twice for nothing. */
static void embedded_too_small(void)
{
    tf_ctx *ctx = tf_new();
    tf_params p;
    tf_params_default(&p);
    p.use_embedded = p.embedded_only = 1;
    size_t len;
    unsigned char *src = read_file("embedded/exif_thumb_640x480.jpg", &len);
    tf_box boxes[] = {{75, 75}, {200, 200}};
    tf_result r[2] = {{0}};
    tf_status st = ctx && src ? tf_thumbnails(ctx, src, len, &p, boxes, 2, r) : TF_E_NOMEM;
    CHECK(st == TF_E_NOT_EMBEDDED && strstr(tf_message(ctx), "160x120: too small (not decoded)") &&
              ctx->decoded.w == 0,
          "-s 75,200, embedded_only: the 160x120 EXIF thumbnail is too small by its header, not "
          "decoded; got %d \"%s\", %dx%d decoded",
          (int)st, ctx ? tf_message(ctx) : "", ctx ? ctx->decoded.w : 0, ctx ? ctx->decoded.h : 0);
    p.embedded_only = 0;
    st = ctx && src ? tf_thumbnails(ctx, src, len, &p, boxes, 2, r) : TF_E_NOMEM;
    CHECK(st == TF_OK && r[0].path == TF_PATH_FULL && r[1].out_w == 200 && r[1].out_h == 150,
          "-s 75,200, use_embedded: the main image decoded, 75x56 and 200x150; got %d, %s, %dx%d",
          (int)st, tf_path_str(r[0].path), r[1].out_w, r[1].out_h);
    free(src);
    tf_free(ctx);
}

/* use_embedded without an EXIF thumbnail: the main image by the path its
 * header gives, and the note says why the thumbnail was not used, on
 * every path (the DC-only path restarts libjpeg on a rewrite of the file:
 * that must not drop the note). */
static void embedded_unused_note(tf_ctx *ctx)
{
    static const struct {
        const char *file;
        tf_path path;
    } cases[] = {{"gradient_640x480.jpg", TF_PATH_FULL},
                 {"progressive_1024x768.jpg", TF_PATH_DC_ONLY}};
    tf_params p;
    tf_params_default(&p);
    p.use_embedded = 1;
    p.box_w = p.box_h = 40; /* 1/8 */
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        tf_result r;
        tf_status st = thumb(ctx, cases[i].file, &p, &r);
        CHECK(st == TF_OK && r.path == cases[i].path && r.scale_denom == 8 &&
                  strstr(r.note, "embedded thumbnail not used: none in the file"),
              "%s, use_embedded, none in the file: path %s at 1/8, the note says why; got %d, "
              "path %s, 1/%d, note \"%s\"",
              cases[i].file, tf_path_str(cases[i].path), (int)st, tf_path_str(r.path),
              r.scale_denom, r.note);
    }
}

/* A 64x48 JPEG of a colour pattern carrying profile (len bytes), or none. */
static unsigned char *jpeg_with_profile(const unsigned char *profile, unsigned len,
                                        unsigned long *out_len)
{
    struct jpeg_compress_struct c;
    struct jpeg_error_mgr err;
    unsigned char *out = NULL, row[64 * 3];
    *out_len = 0;
    c.err = jpeg_std_error(&err);
    jpeg_create_compress(&c);
    jpeg_mem_dest(&c, &out, out_len);
    c.image_width = 64;
    c.image_height = 48;
    c.input_components = 3;
    c.in_color_space = JCS_RGB;
    jpeg_set_defaults(&c);
    jpeg_start_compress(&c, TRUE);
    if (profile)
        jpeg_write_icc_profile(&c, profile, len);
    while (c.next_scanline < c.image_height) {
        for (int x = 0; x < 64; x++) {
            row[3 * x] = (unsigned char)(x * 4);
            row[3 * x + 1] = (unsigned char)(c.next_scanline * 5);
            row[3 * x + 2] = (unsigned char)(255 - x * 3);
        }
        JSAMPROW r = row;
        jpeg_write_scanlines(&c, &r, 1);
    }
    jpeg_finish_compress(&c);
    jpeg_destroy_compress(&c);
    return out;
}

/* The IEC sRGB profile (recognised by its header) is not converted: the
 * thumbnail is byte for byte the one without a profile. LittleCMS's own
 * sRGB profile, without that header, is converted as any profile. */
static void srgb_profile(tf_ctx *ctx)
{
    cmsHPROFILE srgb = cmsCreate_sRGBProfile();
    cmsUInt32Number n = 0;
    cmsSaveProfileToMem(srgb, NULL, &n);
    unsigned char *prof = malloc(n);
    cmsSaveProfileToMem(srgb, prof, &n);
    cmsCloseProfile(srgb);
    unsigned long plain_len, lcms_len, iec_len;
    unsigned char *plain = jpeg_with_profile(NULL, 0, &plain_len);
    unsigned char *lcms = jpeg_with_profile(prof, n, &lcms_len);
    memcpy(prof + 48, "IEC sRGB", 8);
    unsigned char *iec = jpeg_with_profile(prof, n, &iec_len);
    tf_params p;
    tf_params_default(&p);
    p.format = TF_FORMAT_PNG;
    tf_result r;
    unsigned char *want = NULL;
    size_t want_len = 0;
    if (tf_thumbnail(ctx, plain, plain_len, &p, &r) == TF_OK) {
        want = malloc(r.size);
        memcpy(want, r.data, r.size);
        want_len = r.size;
    }
    tf_status st = tf_thumbnail(ctx, iec, iec_len, &p, &r);
    CHECK(st == TF_OK && want && r.size == want_len && !memcmp(r.data, want, want_len) &&
              strstr(r.note, "ICC profile is sRGB: no conversion"),
          "a JPEG tagged with the IEC sRGB profile: not converted, the same PNG as untagged; "
          "got %d, note \"%s\"", (int)st, r.note);
    st = tf_thumbnail(ctx, lcms, lcms_len, &p, &r);
    CHECK(st == TF_OK && strstr(r.note, "ICC profile converted to sRGB"),
          "LittleCMS's own sRGB profile (no IEC header): converted; got %d, note \"%s\"", (int)st,
          r.note);
    free(want);
    free(plain);
    free(lcms);
    free(iec);
    free(prof);
}

static void arguments(tf_ctx *ctx)
{
    tf_params p;
    tf_params_default(&p);
    tf_result r;
    unsigned char byte = 0xFF;
    tf_status a = tf_thumbnail(ctx, NULL, 0, &p, &r);
    CHECK(a == TF_E_FORMAT && strcmp(tf_message(ctx), "empty file") == 0,
          "tf_thumbnail(src NULL, len 0) -> TF_E_FORMAT \"empty file\"; got %d \"%s\"", (int)a,
          tf_message(ctx));
    tf_status b = tf_thumbnail(ctx, NULL, 10, &p, &r);
    tf_status c = tf_thumbnail(ctx, &byte, 1, NULL, &r);
    tf_status d = tf_thumbnail(ctx, &byte, 1, &p, NULL);
    tf_status e = tf_thumbnail(NULL, &byte, 1, &p, &r);
    CHECK(b == TF_E_INVALID && c == TF_E_INVALID && d == TF_E_INVALID && e == TF_E_INVALID,
          "NULL src with len > 0, NULL params, NULL result, NULL handle -> TF_E_INVALID");
    tf_status f = tf_thumbnail(ctx, &byte, 1, &p, &r);
    CHECK(f != TF_OK && tf_message(ctx)[0] != '\0',
          "a 1-byte buffer -> an error with a message; got %d \"%s\"", (int)f, tf_message(ctx));
    CHECK(tf_message(NULL) != NULL, "tf_message(NULL) is not NULL");
    tf_free(NULL);
    CHECK(1, "tf_free(NULL) is a no-op");
}

static void status_strings(void)
{
    int ok = 1;
    for (int s = TF_OK; s <= TF_E_NOT_EMBEDDED; s++) {
        const char *str = tf_status_str((tf_status)s);
        ok &= str && str[0] != '\0';
        for (int t = TF_OK; ok && t < s; t++)
            ok &= strcmp(str, tf_status_str((tf_status)t)) != 0;
    }
    const char *unknown = tf_status_str((tf_status)99);
    ok &= unknown && unknown[0] != '\0';
    CHECK(ok, "tf_status_str: non-empty and distinct for TF_OK..TF_E_NOT_EMBEDDED, non-empty for 99");
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: %s TESTDATA_DIR\n", argv[0]);
        return 2;
    }
    g_dir = argv[1];
    tf_ctx *ctx = tf_new();
    if (!CHECK(ctx != NULL, "tf_new"))
        return check_done();
    gradient(ctx);
    valid_files(ctx);
    blocks(ctx);
    cmyk(ctx);
    bad_files(ctx);
    reuse(ctx);
    params(ctx);
    arguments(ctx);
    embedded_only(ctx);
    embedded_too_small();
    embedded_unused_note(ctx);
    probe(ctx);
    probes(ctx);
    tail_not_inherited();
    srgb_profile(ctx);
    reuse(ctx);
    status_strings();
    tf_free(ctx);
    free(g_first);
    return check_done();
}
