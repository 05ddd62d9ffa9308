/* test_dconly.c - the DC-only path for progressive JPEGs must give exactly
 * what a full decode at 1/8 gives: each file is decoded twice with plain
 * libjpeg at scale 1/8, once as it is and once after tf_jpeg_strip_ac(),
 * and every sample must be equal. Files: argv[1] is the testdata dir (its
 * progressive files: libjpeg's simple script, mozjpeg-style per-component
 * DC scans with DC refinement, restart markers, arithmetic coding); more
 * files may follow (the corpus test passes real photos made progressive). */
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jpeglib.h>

#include "check.h"
#include "internal.h"

typedef struct err_mgr {
    struct jpeg_error_mgr pub;
    jmp_buf jump;
} err_mgr;

static void on_error(j_common_ptr c)
{
    longjmp(((err_mgr *)c->err)->jump, 1);
}

static void quiet(j_common_ptr c, int level)
{
    (void)c;
    (void)level;
}

/* Decodes buf at 1/8 into *px (RGB or grey); returns 0 on success. */
static int decode8(const unsigned char *buf, size_t len, int smoothing, unsigned char **px,
                   int *w, int *h, int *c)
{
    struct jpeg_decompress_struct d;
    err_mgr e;
    d.err = jpeg_std_error(&e.pub);
    e.pub.error_exit = on_error;
    e.pub.emit_message = quiet;
    *px = NULL;
    if (setjmp(e.jump)) {
        jpeg_destroy_decompress(&d);
        free(*px);
        return -1;
    }
    jpeg_create_decompress(&d);
    jpeg_mem_src(&d, buf, (unsigned long)len);
    jpeg_read_header(&d, TRUE);
    d.scale_num = 1;
    d.scale_denom = 8;
    d.do_block_smoothing = smoothing ? TRUE : FALSE;
    jpeg_start_decompress(&d);
    *w = (int)d.output_width, *h = (int)d.output_height, *c = d.output_components;
    size_t stride = (size_t)*w * *c;
    *px = malloc(stride * *h);
    while (d.output_scanline < d.output_height) {
        JSAMPROW row = *px + stride * d.output_scanline;
        jpeg_read_scanlines(&d, &row, 1);
    }
    jpeg_finish_decompress(&d);
    jpeg_destroy_decompress(&d);
    return 0;
}

static unsigned char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    *len = (size_t)ftell(f);
    rewind(f);
    unsigned char *b = malloc(*len ? *len : 1);
    if (b && fread(b, 1, *len, f) != *len) {
        free(b);
        b = NULL;
    }
    fclose(f);
    return b;
}

static void compare(tf_ctx *ctx, const char *path)
{
    size_t len;
    unsigned char *src = slurp(path, &len), *a = NULL, *b = NULL;
    if (!CHECK(src != NULL, "%s: read", path))
        return;
    tf_bytes out = {0};
    int stripped = 0, scans = 0;
    tf_jpeg_strip_ac(ctx, src, len, &out, &stripped, &scans);
    if (CHECK(stripped, "%s: AC scans stripped", path)) {
        CHECK(out.len < len, "%s: DC-only stream is %zu of %zu bytes", path, out.len, len);
        int wa, ha, ca, wb, hb, cb;
        int ra = decode8(src, len, 1, &a, &wa, &ha, &ca);
        int rb = decode8(out.data, out.len, 0, &b, &wb, &hb, &cb);
        if (CHECK(ra == 0 && rb == 0 && wa == wb && ha == hb && ca == cb,
                  "%s: both decode at 1/8 to the same size; got %dx%dx%d and %dx%dx%d", path,
                  wa, ha, ca, wb, hb, cb)) {
            size_t n = (size_t)wa * ha * ca, diff = 0;
            for (size_t i = 0; i < n; i++)
                diff += a[i] != b[i];
            CHECK(diff == 0, "%s: DC-only equals the full 1/8 decode, all %zu samples; got %zu differ",
                  path, n, diff);
        }
    }
    free(a);
    free(b);
    free(out.data);
    free(src);
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
        fprintf(stderr, "usage: test_dconly TESTDATA [FILE...]\n");
        return 2;
    }
    static const char *const progressive[] = {
        "progressive_1024x768.jpg", "progressive_dc_refine_800x600.jpg",
        "progressive_restart_800x600.jpg", "arith_progressive_800x600.jpg"};
    tf_ctx *ctx = tf_new();
    char path[4096];
    for (size_t i = 0; i < sizeof progressive / sizeof *progressive; i++) {
        snprintf(path, sizeof path, "%s/%s", argv[1], progressive[i]);
        compare(ctx, path);
    }
    for (int i = 2; i < argc; i++)
        compare(ctx, argv[i]);
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
