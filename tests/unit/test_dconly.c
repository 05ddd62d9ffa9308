/* test_dconly.c - the DC-only path for progressive JPEGs must give exactly
 * what a full decode at 1/8 gives. Each file is decoded with plain libjpeg
 * at scale 1/8 as it is, after tf_jpeg_strip_ac(), and - when it is
 * Huffman-coded - as tf_jpeg_dc_sequential() decoded it (DC, and all
 * coefficients of the components libjpeg scales with a 2x2 IDCT: 4:2:0
 * chroma), its planes fed to libjpeg (jpeg/path_dc_only_feed.c) behind the sequential
 * header it wrote; every sample must be equal.
 * Files: argv[1] is the testdata dir (libjpeg's simple script, mozjpeg-style
 * per-component DC scans with DC refinement, restart markers, arithmetic
 * coding), plus progressive files this test encodes in memory (every
 * sampling, odd sizes, restarts in interleaved and single-component scans,
 * grey, CMYK); more files may follow. With --corpus it takes
 * $THUMBIFY_CORPUS instead (exit 77 when unset): the edge corpus's
 * progressive files and the photos made progressive losslessly. */
#include <dirent.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jpeglib.h>

#include "check.h"
#include "eighth.h"
#include "entropy_run.h"
#include "internal.h"
#include "made.h"

/* Whether libjpeg scales some component of the frame in buf with a 2x2
 * IDCT at 1/8 (subsampled 2x2 against the largest): then it keeps its AC
 * scans and the stream cannot become sequential. -1 if there is no frame.
 * *sof: the frame's marker (C2 Huffman progressive, CA arithmetic). */
static int has_2x2_component(const unsigned char *buf, size_t len, unsigned *sof)
{
    size_t p = 2;
    while (p + 10 < len && buf[p] == 0xff) {
        unsigned m = buf[p + 1], seglen = (unsigned)(buf[p + 2] << 8 | buf[p + 3]);
        if (m >= 0xc0 && m <= 0xcf && m != 0xc4 && m != 0xc8 && m != 0xcc) {
            int nf = buf[p + 9], maxh = 1, maxv = 1, r = 0;
            *sof = m;
            for (int i = 0; i < nf && p + 12 + 3 * (size_t)i < len; i++) {
                int hv = buf[p + 11 + 3 * i];
                maxh = hv >> 4 > maxh ? hv >> 4 : maxh;
                maxv = (hv & 15) > maxv ? hv & 15 : maxv;
            }
            for (int i = 0; i < nf && p + 12 + 3 * (size_t)i < len; i++) {
                int h = buf[p + 11 + 3 * i] >> 4, v = buf[p + 11 + 3 * i] & 15;
                r |= h && v && maxh % (2 * h) == 0 && maxv % (2 * v) == 0;
            }
            return r;
        }
        p += 2 + seglen;
    }
    return -1;
}

/* Samples of a and b (both decoded at 1/8, a with block smoothing when
 * asked) that differ, or -1 when either does not decode or sizes differ. */
static long differ(const unsigned char *a, size_t alen, int asmooth, const unsigned char *b,
                   size_t blen)
{
    eighth da, db;
    eighth_decode(a, alen, asmooth, ~0ULL, &da);
    eighth_decode(b, blen, 0, ~0ULL, &db);
    long n = eighth_differ(&da, &db);
    free(da.px);
    free(db.px);
    return n;
}

/* a decoded at 1/8 (with block smoothing when asked) against the header
 * seq fed p's blocks: the samples that differ, -1 when either does not
 * decode or p was not fed; *same: whether the two decode the same way
 * (feed_same: the same error, or fed with the same warnings and pixels). */
static long differ_fed(const unsigned char *a, size_t alen, int asmooth, const unsigned char *seq,
                       size_t slen, const tf_planes *p, int *same)
{
    eighth da, db;
    eighth_decode(a, alen, asmooth, ~0ULL, &da);
    int fed = feed_decode(seq, slen, p, ~0ULL, &db);
    long n = fed ? eighth_differ(&da, &db) : -1;
    *same = feed_same(&da, &db, fed);
    free(da.px);
    free(db.px);
    return n;
}

/* The checks on one progressive file in memory: stripped, then (when it
 * is Huffman-coded) decoded here and fed to libjpeg, each equal to the
 * full decode at 1/8. */

static void compare_buf(tf_ctx *ctx, const char *name, const unsigned char *src, size_t len)
{
    tf_bytes out = {0}, seq = {0}, coefs = {0};
    tf_planes planes;
    int stripped = 0, scans = 0, done = 0;
    tf_jpeg_strip_ac(ctx, src, len, &out, &stripped, &scans);
    if (CHECK(stripped, "%s: AC scans stripped", name)) {
        CHECK(out.len < len, "%s: DC-only stream is %zu of %zu bytes", name, out.len, len);
        long d = differ(src, len, 1, out.data, out.len);
        CHECK(d == 0, "%s: DC-only equals the full 1/8 decode in every sample; got %ld differ "
                      "(-1: no decode)", name, d);
        unsigned sof = 0;
        int two = has_2x2_component(src, len, &sof) == 1, want = sof == 0xc2;
        CHECK(tf_jpeg_dc_sequential(ctx, out.data, out.len, ~0ULL, &seq, &coefs, &planes, &done) ==
                      TF_OK &&
                  done == want,
              "%s: %s; got done=%d", name,
              !want ? "left progressive (arithmetic)"
              : two ? "decoded into planes, with the AC of the 2x2-scaled components"
                    : "decoded into planes",
              done);
        if (done) {
            int same;
            d = differ_fed(src, len, 1, seq.data, seq.len, &planes, &same);
            CHECK(d == 0 && same,
                  "%s: its planes fed to libjpeg behind a sequential header (%zu bytes) equal "
                  "the full 1/8 decode in every sample, warnings too; got %ld differ (-1: not "
                  "fed), same %d",
                  name, seq.len, d, same);
        }
    }
    free(seq.data);
    free(coefs.data);
    free(out.data);
}

static void compare(tf_ctx *ctx, const char *path)
{
    size_t len;
    unsigned char *src = slurp(path, &len);
    if (CHECK(src != NULL, "%s: read", path))
        compare_buf(ctx, path, src, len);
    free(src);
}

/* ---- progressive files made here ---- */

static const variant k_variants[] = {
    {"made 4:4:4 803x601 q100", 803, 601, 3, 100, 1, 1, 0, 0, 0, 0},
    {"made 4:2:2 801x599 restart 7", 801, 599, 3, 90, 2, 1, 7, 0, 0, 0},
    {"made 4:4:0 600x397 per-component DC, restart 3", 600, 397, 3, 85, 1, 2, 3, 1, 0, 0},
    {"made 4:1:1 805x203", 805, 203, 3, 90, 4, 1, 0, 0, 0, 0},
    {"made grey 333x222 restart 5", 333, 222, 1, 90, 1, 1, 5, 0, 0, 0},
    {"made grey 2x2 factor 250x170 per-component DC", 250, 170, 1, 95, 2, 2, 0, 1, 0, 0},
    {"made CMYK 257x129 per-component DC, restart 1", 257, 129, 4, 90, 1, 1, 1, 1, 0, 0},
    {"made 4:2:0 640x480 (chroma AC decoded)", 640, 480, 3, 90, 2, 2, 0, 0, 0, 0},
    {"made 4:2:0 643x475 q100 per-component, restart 2", 643, 475, 3, 100, 2, 2, 2, 1, 0, 0},
    {"made 4:2:0 321x243 q20 restart 9, optimised", 321, 243, 3, 20, 2, 2, 9, 0, 0,
     1},
};

/* Lossless conversion to progressive (jpegtran -progressive in memory). */
static unsigned char *make_progressive(const unsigned char *src, size_t srclen, unsigned long *len)
{
    struct jpeg_decompress_struct d;
    struct jpeg_compress_struct c;
    eighth_err e;
    unsigned char *out = NULL;
    *len = 0;
    eighth_err_init(&e);
    d.err = c.err = &e.pub;
    jpeg_create_decompress(&d);
    jpeg_create_compress(&c);
    if (setjmp(e.jump)) {
        jpeg_destroy_compress(&c);
        jpeg_destroy_decompress(&d);
        free(out);
        *len = 0;
        return NULL;
    }
    jpeg_mem_src(&d, src, (unsigned long)srclen);
    jpeg_read_header(&d, TRUE);
    jvirt_barray_ptr *coefs = jpeg_read_coefficients(&d);
    jpeg_copy_critical_parameters(&d, &c);
    jpeg_simple_progression(&c);
    jpeg_mem_dest(&c, &out, len);
    jpeg_write_coefficients(&c, coefs);
    jpeg_finish_compress(&c);
    jpeg_finish_decompress(&d);
    jpeg_destroy_compress(&c);
    jpeg_destroy_decompress(&d);
    return out;
}

/* Damage: one byte of the DC-only stream changed at a time, and every
 * truncation. Whenever they are still decoded into planes, the fed decode must be
 * libjpeg's decode of the damaged stream: same error, or same warnings
 * and pixels. The planes never hide a defect. (Run under ASan in CI.) */
static void damage(tf_ctx *ctx, const unsigned char *src, size_t len)
{
    tf_bytes out = {0}, seq = {0}, coefs = {0};
    tf_planes planes;
    int stripped = 0, scans = 0, done = 0, tried = 0, decoded = 0, bad = 0;
    tf_jpeg_strip_ac(ctx, src, len, &out, &stripped, &scans);
    unsigned char *m = malloc(out.len);
    for (size_t at = 2; stripped && at < out.len; at += 1 + at / 64)
        for (int flip = 1; flip < 256; flip <<= 3) {
            memcpy(m, out.data, out.len);
            m[at] ^= (unsigned char)flip;
            tried++;
            if (tf_jpeg_dc_sequential(ctx, m, out.len, ~0ULL, &seq, &coefs, &planes, &done) !=
                    TF_OK ||
                !done)
                continue;
            decoded++;
            int same;
            differ_fed(m, out.len, 0, seq.data, seq.len, &planes, &same);
            bad += !same;
        }
    for (size_t cut = 2; stripped && cut < out.len; cut += 1 + cut / 16) {
        tried++;
        if (tf_jpeg_dc_sequential(ctx, out.data, cut, ~0ULL, &seq, &coefs, &planes, &done) ==
                TF_OK &&
            done)
            bad++; /* a truncated stream is libjpeg's to judge */
    }
    CHECK(stripped && bad == 0,
          "damaged DC-only streams: %d tried, %d still decoded into planes, each fed decoding "
          "exactly as libjpeg decodes the damaged stream; got %d not", tried, decoded, bad);
    free(m);
    free(seq.data);
    free(coefs.data);
    free(out.data);
}

/* libjpeg acts on APPn segments between scans too (a JFIF version it does
 * not know is a warning; Adobe's transform flag changes CMYK pixels): the
 * header, which keeps only the segments before the first scan, must leave
 * such a stream alone. */
static void late_markers(tf_ctx *ctx, const unsigned char *src, size_t len)
{
    static const unsigned char jfif201[] = {0xff, 0xe0, 0, 16, 'J', 'F', 'I', 'F', 0, 2, 1,
                                            0,    0,    1, 0,  1,   0,   0};
    tf_bytes out = {0}, seq = {0}, coefs = {0};
    tf_planes planes;
    int stripped = 0, scans = 0, done = 1;
    tf_jpeg_strip_ac(ctx, src, len, &out, &stripped, &scans);
    size_t first = 0, second = 0;
    for (size_t p = 2; stripped && p + 1 < out.len && !second; p++)
        if (out.data[p] == 0xff && out.data[p + 1] == 0xda)
            *(first ? &second : &first) = p;
    unsigned char *m = malloc(out.len + sizeof jfif201);
    if (second && m) {
        memcpy(m, out.data, second);
        memcpy(m + second, jfif201, sizeof jfif201);
        memcpy(m + second + sizeof jfif201, out.data + second, out.len - second);
        tf_jpeg_dc_sequential(ctx, m, out.len + sizeof jfif201, ~0ULL, &seq, &coefs, &planes,
                              &done);
    }
    CHECK(second && !done, "a JFIF 2.01 APP0 between the DC scans (libjpeg warns there): "
                           "left progressive; got done=%d", done);
    /* the DC planes are sized by the frame: not beyond the pixel limit */
    int at_limit = 0, over = 1;
    tf_jpeg_dc_sequential(ctx, out.data, out.len, 801ULL * 599, &seq, &coefs, &planes, &at_limit);
    tf_jpeg_dc_sequential(ctx, out.data, out.len, 801ULL * 599 - 1, &seq, &coefs, &planes, &over);
    CHECK(at_limit && !over, "801x599: decoded with max_pixels 801*599, not with one less; "
                             "got %d and %d", at_limit, over);
    free(m);
    free(seq.data);
    free(coefs.data);
    free(out.data);
}

/* As the core uses it: tf_decode takes the DC-only path and feeds
 * the planes (tf_jpeg_entropy(ctx)), and its rows are libjpeg's full 1/8 decode. */
static void in_the_core(tf_ctx *ctx, const char *name, const unsigned char *src, size_t len)
{
    tf_params p;
    tf_params_default(&p);
    p.box_w = p.box_h = 32; /* 1/8 keeps twice the pixels of files from 512x384 */
    tf_result res;
    memset(&res, 0, sizeof res);
    eighth ref;
    eighth_decode(src, len, 1, ~0ULL, &ref);
    tf_format natural;
    tf_status st = tf_decode(ctx, src, len, &p, &res, &natural);
    int same = core_rows_equal(&ref, ctx, st);
    CHECK(res.path == TF_PATH_DC_ONLY && tf_jpeg_entropy(ctx) == TF_ENTROPY_FED && same &&
              res.warnings == 0,
          "%s through tf_decode: DC-only, planes fed, rows equal to libjpeg's full 1/8 "
          "decode; got path %d, entropy %d, status %d, same %d, warnings %d",
          name, res.path, tf_jpeg_entropy(ctx), st, same, res.warnings);
    free(ref.px);
}

static void made_here(tf_ctx *ctx)
{
    for (size_t i = 0; i < sizeof k_variants / sizeof *k_variants; i++) {
        unsigned long len;
        unsigned char *jpg = encode(&k_variants[i], &len);
        if (CHECK(jpg && len, "%s: encoded (%lu bytes)", k_variants[i].name, len))
            compare_buf(ctx, k_variants[i].name, jpg, len);
        if (jpg && (i == 1 || i == 7)) {
            damage(ctx, jpg, len);
            in_the_core(ctx, k_variants[i].name, jpg, len);
        }
        if (jpg && i == 1)
            late_markers(ctx, jpg, len);
        free(jpg);
    }
}

/* --corpus: the edge corpus's progressive files as they are, and every
 * photo made progressive. */
static int corpus(tf_ctx *ctx)
{
    const char *root = getenv("THUMBIFY_CORPUS");
    if (!root || !*root) {
        printf("skipped: THUMBIFY_CORPUS is not set\n");
        return 77;
    }
    static const char *const edge[] = {
        "progressive_11scans_650x470.jpg", "progressive_android_422_restart_685x999.jpg",
        "progressive_grayscale_2x2factor_900x675.jpg", "progressive_iphone_444_restart_1023x663.jpg",
        "progressive_restarts_32x32.jpg", "progressive_successive_approx_32x32.jpg",
        "progressive_64_scans_spectral_32x32.jpg", "icc_large_multichunk_progressive_425x250.jpg",
        "ycck_progressive_300x389.jpg", "subsamp_2x2_2x2_1x1_progressive_32x32.jpg",
        "arith_progressive_real_3264x2448.jpg"};
    char path[4096];
    for (size_t i = 0; i < sizeof edge / sizeof *edge; i++) {
        snprintf(path, sizeof path, "%s/edge/%s", root, edge[i]);
        compare(ctx, path);
    }
    snprintf(path, sizeof path, "%s/photos", root);
    DIR *dir = opendir(path);
    int photos = 0;
    for (struct dirent *de; dir && (de = readdir(dir));) {
        size_t n = strlen(de->d_name), len;
        if (n < 4 || strcmp(de->d_name + n - 4, ".jpg") != 0)
            continue;
        snprintf(path, sizeof path, "%s/photos/%s", root, de->d_name);
        unsigned char *src = slurp(path, &len);
        unsigned long plen = 0;
        unsigned char *prog = src ? make_progressive(src, len, &plen) : NULL;
        if (CHECK(prog != NULL, "%s: made progressive (%lu bytes)", path, plen))
            compare_buf(ctx, path, prog, plen);
        photos++;
        free(prog);
        free(src);
    }
    if (dir)
        closedir(dir);
    CHECK(photos > 0, "the corpus has photos (%d)", photos);
    return check_done();
}

static void not_stripped(tf_ctx *ctx, const char *path)
{
    size_t len;
    unsigned char *src = slurp(path, &len);
    tf_bytes out = {0};
    int stripped = 1, scans = 0;
    if (src)
        tf_jpeg_strip_ac(ctx, src, len, &out, &stripped, &scans);
    CHECK(src && !stripped, "%s: a baseline file is left to the full decode", path);
    free(out.data);
    free(src);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: test_dconly TESTDATA [FILE...] | --corpus\n");
        return 2;
    }
    tf_ctx *ctx = tf_new();
    if (strcmp(argv[1], "--corpus") == 0) {
        int rc = corpus(ctx);
        tf_free(ctx);
        return rc;
    }
    static const char *const progressive[] = {
        "progressive_1024x768.jpg", "progressive_dc_refine_800x600.jpg",
        "progressive_restart_800x600.jpg", "arith_progressive_800x600.jpg"};
    char path[4096];
    for (size_t i = 0; i < sizeof progressive / sizeof *progressive; i++) {
        snprintf(path, sizeof path, "%s/%s", argv[1], progressive[i]);
        compare(ctx, path);
    }
    for (int i = 2; i < argc; i++)
        compare(ctx, argv[i]);
    made_here(ctx);
    snprintf(path, sizeof path, "%s/gradient_640x480.jpg", argv[1]);
    not_stripped(ctx, path);

    /* Truncated and junk inputs never read out of bounds (run under ASan). */
    size_t len;
    snprintf(path, sizeof path, "%s/progressive_dc_refine_800x600.jpg", argv[1]);
    unsigned char *src = slurp(path, &len);
    tf_bytes out = {0};
    int stripped, scans, survived = 1;
    for (size_t cut = 0; src && cut < len; cut += 97)
        survived &= tf_jpeg_strip_ac(ctx, src, cut, &out, &stripped, &scans) == TF_OK;
    CHECK(survived, "every truncation of a progressive file is handled");
    free(out.data);
    free(src);
    tf_free(ctx);
    return check_done();
}
