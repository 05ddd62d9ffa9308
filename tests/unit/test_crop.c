/* test_crop.c - --crop's geometry (tf_crop_box) and the crop through the
 * core: odd box ratios, tiny sources, EXIF orientations 6 and 8 (the
 * region is centred in the upright image), and several boxes from one
 * decode (tf_thumbnails) against single ones. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "internal.h"
#include "thumbify.h"

static void crop_cases(void)
{
    static const struct {
        int w, h, bw, bh, ow, oh, rx, ry, rw, rh;
        const char *why;
    } t[] = {
        {4000, 3000, 75, 75, 75, 75, 500, 0, 3000, 3000, "landscape into a square"},
        {3000, 4000, 75, 75, 75, 75, 0, 500, 3000, 3000, "portrait into a square"},
        {640, 480, 100, 60, 100, 60, 0, 48, 640, 384, "wider box: rows cut"},
        {640, 480, 37, 91, 37, 91, 222, 0, 195, 480, "odd tall box: 195.16 columns -> 195"},
        {641, 480, 75, 75, 75, 75, 80, 0, 480, 480, "odd margin: the extra column right"},
        {1000, 7, 3, 1, 3, 1, 489, 0, 21, 7, "thin source, 3:1 box"},
        {50, 40, 75, 75, 50, 40, 0, 0, 50, 40, "smaller than the box: kept whole"},
        {100, 50, 75, 75, 75, 50, 12, 0, 75, 50, "one side short: that side kept, 1:1"},
        {80, 200, 75, 75, 75, 75, 0, 60, 80, 80, "one side barely over: 80x80 square, centred"},
        {1, 1, 75, 75, 1, 1, 0, 0, 1, 1, "one pixel"},
        {75, 75, 75, 75, 75, 75, 0, 0, 75, 75, "exactly the box"},
    };
    for (size_t i = 0; i < sizeof t / sizeof *t; i++) {
        int ow, oh, rx, ry, rw, rh;
        tf_status st = tf_crop_box(t[i].w, t[i].h, t[i].bw, t[i].bh, &ow, &oh, &rx, &ry, &rw, &rh);
        CHECK(st == TF_OK && ow == t[i].ow && oh == t[i].oh && rx == t[i].rx && ry == t[i].ry &&
                  rw == t[i].rw && rh == t[i].rh,
              "%s: %dx%d in %dx%d -> %dx%d from %dx%d at (%d,%d); got %dx%d from %dx%d at (%d,%d)",
              t[i].why, t[i].w, t[i].h, t[i].bw, t[i].bh, t[i].ow, t[i].oh, t[i].rw, t[i].rh,
              t[i].rx, t[i].ry, ow, oh, rw, rh, rx, ry);
    }
    int a, b, c, d, e, f;
    CHECK(tf_crop_box(0, 5, 75, 75, &a, &b, &c, &d, &e, &f) == TF_E_INVALID &&
              tf_crop_box(5, 5, 75, 0, &a, &b, &c, &d, &e, &f) == TF_E_INVALID,
          "empty image or box: TF_E_INVALID");
}

/* Property sweep: the region has the output's aspect within rounding,
 * lies inside the image, is centred (margins differ by at most 1, the
 * larger right/bottom) and never smaller than the output. */
static void crop_sweep(void)
{
    int bad = 0, n = 0;
    for (int w = 1; w < 400; w += 7)
        for (int h = 1; h < 400; h += 11)
            for (int bw = 1; bw < 200; bw += 23)
                for (int bh = 1; bh < 200; bh += 29) {
                    int ow, oh, rx, ry, rw, rh;
                    tf_crop_box(w, h, bw, bh, &ow, &oh, &rx, &ry, &rw, &rh);
                    int lm = rx, rm = w - rx - rw, tm = ry, bm = h - ry - rh;
                    double asp = (double)rw * oh - (double)rh * ow; /* 0 within rounding */
                    int ok = ow == (bw < w ? bw : w) && oh == (bh < h ? bh : h) && rw >= ow &&
                             rh >= oh && rx >= 0 && ry >= 0 && rm >= 0 && bm >= 0 &&
                             (rm - lm == 0 || rm - lm == 1) && (bm - tm == 0 || bm - tm == 1) &&
                             (rw == w || rh == h) && asp * asp <= (double)ow * ow + (double)oh * oh;
                    bad += !EXPECT(ok, "%dx%d box %dx%d: %dx%d from %dx%d at (%d,%d)", w, h, bw, bh,
                                   ow, oh, rw, rh, rx, ry);
                    n++;
                }
    CHECK(bad == 0, "%d crops: exact output size, centred, inside, box aspect; got %d bad", n, bad);
}

/* The region of an upright crop in stored pixels: orientation 6 and 8
 * turn a quarter, so the upright rows cut are stored columns, and 8
 * mirrors them (the larger margin moves to the other side). */
static void orient_rects(void)
{
    /* upright 120x160 (stored 160x120), box 100x60: region 120x72 at (0,44) */
    int x = 0, y = 44, w = 120, h = 72;
    tf_orient_rect(6, 160, 120, &x, &y, &w, &h);
    CHECK(x == 44 && y == 0 && w == 72 && h == 120,
          "orientation 6: stored columns 44..115; got "
          "(%d,%d) %dx%d",
          x, y, w, h);
    x = 0, y = 44, w = 120, h = 72;
    tf_orient_rect(8, 160, 120, &x, &y, &w, &h);
    CHECK(x == 44 && y == 0 && w == 72 && h == 120,
          "orientation 8: stored columns 44..115; got "
          "(%d,%d) %dx%d",
          x, y, w, h);
    /* an odd margin: upright 121 wide, region 72 at x 24 (25 right) */
    x = 24, y = 0, w = 72, h = 160;
    tf_orient_rect(6, 160, 121, &x, &y, &w, &h);
    CHECK(x == 0 && y == 25 && w == 160 && h == 72,
          "orientation 6, odd margin: upright left margin is the stored bottom one; got "
          "(%d,%d) %dx%d",
          x, y, w, h);
    x = 24, y = 0, w = 72, h = 160;
    tf_orient_rect(8, 160, 121, &x, &y, &w, &h);
    CHECK(x == 0 && y == 24 && w == 160 && h == 72,
          "orientation 8, odd margin: upright left margin is the stored top one; got "
          "(%d,%d) %dx%d",
          x, y, w, h);
}

static unsigned char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    *len = (size_t)ftell(f);
    rewind(f);
    unsigned char *p = malloc(*len);
    if (p && fread(p, 1, *len, f) != *len) {
        free(p);
        p = NULL;
    }
    fclose(f);
    return p;
}

/* Through the core: exact box sizes, the DCT scale chosen from the region
 * (a 640x480 crop to 100x60 keeps 640x384: 1/2), and tf_thumbnails'
 * boxes equal to one tf_thumbnail each when the scale is the same. */
static void through_core(const char *testdata)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/orientation/orient_6.jpg", testdata);
    size_t len;
    unsigned char *src = slurp(path, &len);
    if (!CHECK(src != NULL, "read %s", path))
        return;
    tf_ctx *ctx = tf_new();
    tf_params p;
    tf_params_default(&p);
    p.fit = TF_FIT_CROP;
    p.format = TF_FORMAT_PNG;
    p.box_w = 100;
    p.box_h = 60;
    tf_result r;
    tf_status st = tf_thumbnail(ctx, src, len, &p, &r);
    CHECK(st == TF_OK && r.out_w == 100 && r.out_h == 60 && r.orientation == 6,
          "orientation 6, --crop 100x60: exactly 100x60 upright; got %d %dx%d o%d", (int)st,
          r.out_w, r.out_h, r.orientation);
    tf_box boxes[3] = {{30, 30}, {100, 60}, {7, 13}};
    tf_result rs[3];
    st = tf_thumbnails(ctx, src, len, &p, boxes, 3, rs);
    int sizes_ok = st == TF_OK;
    for (int i = 0; i < 3 && sizes_ok; i++)
        sizes_ok = rs[i].out_w == boxes[i].w && rs[i].out_h == boxes[i].h;
    CHECK(sizes_ok, "three boxes from one decode: each exactly its box; got %d", (int)st);
    unsigned char *keep = malloc(rs[1].size);
    size_t keep_len = rs[1].size;
    if (keep)
        memcpy(keep, rs[1].data, keep_len);
    st = tf_thumbnail(ctx, src, len, &p, &r); /* 100x60 alone: the same scale (1/1) */
    CHECK(st == TF_OK && keep && r.size == keep_len && memcmp(r.data, keep, keep_len) == 0,
          "the 100x60 of three boxes is byte for byte the 100x60 alone");
    free(keep);
    tf_box none[1] = {{0, 5}};
    CHECK(tf_thumbnails(ctx, src, len, &p, none, 1, rs) == TF_E_INVALID &&
              tf_thumbnails(ctx, src, len, &p, boxes, 0, rs) == TF_E_INVALID &&
              tf_thumbnails(ctx, src, len, &p, boxes, TF_MAX_BOXES + 1, rs) == TF_E_INVALID,
          "an empty box, no boxes, more than %d boxes: TF_E_INVALID", TF_MAX_BOXES);
    free(src);
    snprintf(path, sizeof path, "%s/gradient_640x480.jpg", testdata);
    src = slurp(path, &len);
    if (CHECK(src != NULL, "read %s", path)) {
        st = tf_thumbnail(ctx, src, len, &p, &r);
        CHECK(st == TF_OK && r.scale_denom == 2,
              "640x480 cropped to 100x60: the 640x384 region decides the scale, 1/2; got 1/%d",
              r.scale_denom);
        tf_box two[2] = {{20, 20}, {100, 60}};
        st = tf_thumbnails(ctx, src, len, &p, two, 2, rs);
        CHECK(st == TF_OK && rs[0].scale_denom == 2,
              "20x20 and 100x60 together: decoded at the larger's 1/2 (20x20 alone: 1/8); got 1/%d",
              rs[0].scale_denom);
        free(src);
    }
    tf_free(ctx);
}

int main(int argc, char **argv)
{
    crop_cases();
    crop_sweep();
    orient_rects();
    through_core(argc > 1 ? argv[1] : "testdata");
    return check_done();
}
