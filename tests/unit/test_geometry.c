/* test_geometry.c - tf_fit_box and tf_scale_denom: fixed cases, then a
 * property sweep over many image sizes. */
#include <limits.h>
#include <stdlib.h>

#include "check.h"
#include "thumbify.h"

static void fit_cases(void)
{
    static const struct {
        int w, h, bw, bh, ow, oh;
        const char *why;
    } t[] = {
        {4000, 3000, 75, 75, 75, 56, "landscape"},
        {3000, 4000, 75, 75, 56, 75, "portrait"},
        {3000, 3000, 75, 75, 75, 75, "square"},
        {75, 75, 75, 75, 75, 75, "exactly the box stays"},
        {50, 40, 75, 75, 50, 40, "never upscale"},
        {1, 1, 75, 75, 1, 1, "one pixel stays"},
        {75, 10, 75, 75, 75, 10, "touches the box, stays"},
        {1000, 1, 75, 75, 75, 1, "thin side at least 1"},
        {1, 1000, 75, 75, 1, 75, "thin side at least 1 (tall)"},
        {65500, 1, 75, 75, 75, 1, "very wide"},
        {1, 65500, 75, 75, 1, 75, "very tall"},
        {INT_MAX, 1, 75, 75, 75, 1, "INT_MAX wide, no overflow"},
        {INT_MAX, INT_MAX, 75, 75, 75, 75, "INT_MAX square, no overflow"},
        {76, 75, 75, 75, 75, 74, "one over the box: 74.01 -> 74"},
        {75, 76, 75, 75, 74, 75, "one over the box (tall)"},
        /* rounding: side*75/long exactly x.5 rounds up, below .5 down */
        {150, 101, 75, 75, 75, 51, "50.5 rounds up"},
        {101, 150, 75, 75, 51, 75, "50.5 rounds up (tall)"},
        {150, 3, 75, 75, 75, 2, "1.5 rounds up"},
        {300, 202, 75, 75, 75, 51, "50.5 rounds up (300x202)"},
        {300, 201, 75, 75, 75, 50, "50.25 rounds down"},
        {300, 203, 75, 75, 75, 51, "50.75 rounds up"},
        {150, 1, 75, 75, 75, 1, "0.5 rounds up to 1"},
        {1000, 6, 75, 75, 75, 1, "0.45 rounds down, then at least 1"},
        {1000, 7, 75, 75, 75, 1, "0.525 rounds up to 1"},
        /* non-square boxes */
        {4000, 3000, 100, 50, 67, 50, "box 100x50, height limits"},
        {4000, 1000, 100, 50, 100, 25, "box 100x50, width limits"},
        {200, 100, 100, 50, 100, 50, "box 100x50, same aspect"},
        {3000, 4000, 100, 50, 38, 50, "box 100x50, portrait"},
        {80, 40, 100, 50, 80, 40, "box 100x50, inside stays"},
        {120, 40, 100, 50, 100, 33, "box 100x50, 33.3 -> 33"},
        {640, 480, 1, 1, 1, 1, "box 1x1"},
    };
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
        int ow = -1, oh = -1;
        tf_status st = tf_fit_box(t[i].w, t[i].h, t[i].bw, t[i].bh, &ow, &oh);
        CHECK(st == TF_OK && ow == t[i].ow && oh == t[i].oh,
              "tf_fit_box %dx%d in %dx%d -> %dx%d (%s); got %dx%d status %d",
              t[i].w, t[i].h, t[i].bw, t[i].bh, t[i].ow, t[i].oh, t[i].why, ow, oh, (int)st);
    }
}

static void fit_invalid(void)
{
    static const struct { int w, h, bw, bh; } t[] = {
        {0, 100, 75, 75},   {100, 0, 75, 75},   {-1, 100, 75, 75},  {100, -5, 75, 75},
        {100, 100, 0, 75},  {100, 100, 75, 0},  {100, 100, -75, 75}, {100, 100, 75, -1},
        {0, 0, 0, 0},       {INT_MIN, 1, 75, 75},
    };
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
        int ow = 12345, oh = 12345;
        tf_status st = tf_fit_box(t[i].w, t[i].h, t[i].bw, t[i].bh, &ow, &oh);
        CHECK(st == TF_E_INVALID, "tf_fit_box %dx%d in %dx%d -> TF_E_INVALID; got status %d",
              t[i].w, t[i].h, t[i].bw, t[i].bh, (int)st);
    }
}

static void denom_cases(void)
{
    static const struct {
        int w, h, ow, oh, d;
        const char *why;
    } t[] = {
        {4000, 3000, 75, 56, 8, "500x375: over twice 75x56"},
        {400, 300, 75, 56, 2, "/4 gives 100 < 150: 200x150 at /2"},
        {160, 120, 75, 56, 1, "/2 gives 80 < 150"},
        {75, 75, 75, 75, 1, "no reduction possible"},
        {1000, 1, 75, 1, 1, "one row cannot be halved"},
        {1, 1000, 1, 75, 1, "one column cannot be halved (tall)"},
        {2000, 16, 75, 1, 8, "16/8 = 2 rows for 1"},
        {1200, 900, 75, 56, 8, "1200/8 = 150 = 2 x 75 exactly"},
        {1199, 900, 75, 56, 4, "1199/8 < 150"},
        {1200, 896, 75, 56, 8, "896/8 = 112 = 2 x 56 exactly"},
        {1200, 895, 75, 56, 4, "height decides: 895/8 < 112"},
        {599, 449, 75, 56, 2, "599/4 < 150 (the old rule took /8: 75x57 for 75x56)"},
        {600, 450, 75, 56, 4, "600/4 = 150, 450/4 = 112.5"},
        {500, 375, 75, 56, 2, "a typical web photo: 500/4 = 125 < 150"},
        {225, 329, 51, 75, 2, "112.5x164.5 at /2 (the old rule took /4: 57x83 for 51x75)"},
        {300, 300, 75, 75, 2, "exactly twice at /2"},
        {299, 299, 75, 75, 1, "just under twice at /2"},
        {149, 149, 75, 75, 1, "a ratio below 2 is resampled at full size"},
        {50, 40, 50, 40, 1, "no resize at all"},
        {640, 480, 75, 56, 4, "gradient"},
        {640, 480, 32, 24, 8, "the box the 1/8 tests use"},
        {800, 600, 75, 56, 4, "blocks"},
    };
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
        int d = tf_scale_denom(t[i].w, t[i].h, t[i].ow, t[i].oh);
        CHECK(d == t[i].d, "tf_scale_denom %dx%d for %dx%d -> %d (%s); got %d",
              t[i].w, t[i].h, t[i].ow, t[i].oh, t[i].d, t[i].why, d);
    }
}

/* For every w x h in a grid and a few boxes: the properties the header
 * promises, checked against an independent formulation. */
static void property_sweep(int bw, int bh)
{
    int n = 0, bad = 0;
    for (int w = 1; w <= 300; w += 7)
        for (int h = 1; h <= 300; h += 7) {
            int ow = 0, oh = 0;
            n++;
            if (!EXPECT(tf_fit_box(w, h, bw, bh, &ow, &oh) == TF_OK,
                        "sweep %dx%d in %dx%d: status TF_OK", w, h, bw, bh)) {
                bad++;
                continue;
            }
            int d = tf_scale_denom(w, h, ow, oh);
            int ok = 1;
            ok &= EXPECT(ow >= 1 && oh >= 1 && ow <= bw && oh <= bh,
                         "sweep %dx%d in %dx%d: %dx%d inside the box", w, h, bw, bh, ow, oh);
            ok &= EXPECT(ow <= w && oh <= h,
                         "sweep %dx%d in %dx%d: %dx%d no upscale", w, h, bw, bh, ow, oh);
            if (w <= bw && h <= bh)
                ok &= EXPECT(ow == w && oh == h,
                             "sweep %dx%d in %dx%d: inside stays, got %dx%d", w, h, bw, bh, ow, oh);
            else
                ok &= EXPECT(ow == bw || oh == bh,
                             "sweep %dx%d in %dx%d: %dx%d touches the box", w, h, bw, bh, ow, oh);
            if (bw == bh) {
                int lo = w > h ? ow : oh, srclong = w > h ? w : h;
                ok &= EXPECT(lo == (srclong < bw ? srclong : bw),
                             "sweep %dx%d in %dx%d: longer side %d == min(%d, %d)",
                             w, h, bw, bh, lo, bw, srclong);
            }
            /* the other side is round(side * scale): within half a pixel
             * of the exact value, unless raised to 1 */
            if (w > bw || h > bh) {
                long long num, den, got;
                if ((long long)bw * h <= (long long)bh * w) { /* width limits */
                    num = (long long)h * bw; den = w; got = oh;
                } else {
                    num = (long long)w * bh; den = h; got = ow;
                }
                long long err2 = 2 * got * den - 2 * num; /* 2*den*(got - exact) */
                ok &= EXPECT((err2 > -den && err2 <= den) || (got == 1 && 2 * num < den),
                             "sweep %dx%d in %dx%d: %dx%d rounded to nearest, halves up",
                             w, h, bw, bh, ow, oh);
            }
            ok &= EXPECT(d == 1 || d == 2 || d == 4 || d == 8,
                         "sweep %dx%d: denom %d in {1,2,4,8}", w, h, d);
            /* in doubles: w/d >= 2*ow is exact for these sizes */
            ok &= EXPECT(d == 1 || ((double)w / d >= 2.0 * ow && (double)h / d >= 2.0 * oh),
                         "sweep %dx%d -> %dx%d: at 1/%d still twice the pixels (%.2fx%.2f)", w, h,
                         ow, oh, d, (double)w / d, (double)h / d);
            if (d < 8)
                ok &= EXPECT((double)w / (2 * d) < 2.0 * ow || (double)h / (2 * d) < 2.0 * oh,
                             "sweep %dx%d -> %dx%d: denom %d is the largest (%d would keep "
                             "twice the pixels)",
                             w, h, ow, oh, d, 2 * d);
            bad += !ok;
        }
    CHECK(bad == 0,
          "property sweep: %d sizes 1..300 step 7 in %dx%d (fit inside, no upscale, "
          "rounding, largest denom that keeps twice the pixels); %d bad",
          n, bw, bh, bad);
}

int main(void)
{
    fit_cases();
    fit_invalid();
    denom_cases();
    property_sweep(75, 75);
    property_sweep(100, 50);
    property_sweep(1, 1);
    property_sweep(300, 300);
    return check_done();
}
