/* test_resize.c - tf_resize against an exact area average computed here in
 * doubles: random images (grey, RGB, and RGBA through stb's path), random
 * output sizes, and true extents that end inside the last column and row
 * (a DCT-scaled partial block). Every sample rounded from the reference
 * (within 0.55: fixed-point weights), the mean error that of rounding. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "internal.h"

/* Numerical Recipes' LCG: the same cases on every machine. */
static unsigned next(unsigned long *s, unsigned n)
{
    *s = (*s * 1664525ul + 1013904223ul) & 0xfffffffful;
    return (unsigned)((*s >> 8) % n);
}

/* The mean of channel k over [x0, x1) x [y0, y1) of img, each pixel
 * weighted by its overlap. */
static double area_mean(const tf_image *img, int k, double x0, double x1, double y0, double y1)
{
    double sum = 0;
    /* (o + 1) * ext / n may round past the extent: never past the image */
    int ye = (int)ceil(y1) < img->h ? (int)ceil(y1) : img->h;
    int xe = (int)ceil(x1) < img->w ? (int)ceil(x1) : img->w;
    for (int y = (int)floor(y0); y < ye; y++)
        for (int x = (int)floor(x0); x < xe; x++) {
            double ov = (fmin(x1, x + 1.0) - fmax(x0, (double)x)) *
                        (fmin(y1, y + 1.0) - fmax(y0, (double)y));
            sum += ov * img->px[((size_t)y * img->w + x) * img->channels + k];
        }
    return sum / ((x1 - x0) * (y1 - y0));
}

/* One case: max and mean |error| against the reference. */
static void one_case(tf_ctx *ctx, const tf_image *src, tf_image *dst, double *max, double *mean)
{
    *max = *mean = 1e9;
    if (tf_resize(ctx, src, dst) != TF_OK)
        return;
    double sum = 0, worst = 0, rx = src->ext_w / dst->w, ry = src->ext_h / dst->h;
    for (int y = 0; y < dst->h; y++)
        for (int x = 0; x < dst->w; x++)
            for (int k = 0; k < src->channels; k++) {
                double want = area_mean(src, k, x * rx, (x + 1) * rx, y * ry, (y + 1) * ry);
                double d = fabs(want - dst->px[((size_t)y * dst->w + x) * dst->channels + k]);
                sum += d;
                worst = fmax(worst, d);
            }
    *max = worst;
    *mean = sum / ((double)dst->w * dst->h * src->channels);
}

/* A smooth picture with edges and noise, alpha 255 (so that colour needs
 * no weighting and the reference holds for RGBA too). */
static void fill(tf_image *img, unsigned long *s)
{
    for (int y = 0; y < img->h; y++)
        for (int x = 0; x < img->w; x++)
            for (int k = 0; k < img->channels; k++) {
                int v = (x * 255 / img->w + (y / 7 % 2) * 90 + k * 40 + (int)next(s, 30)) % 256;
                img->px[((size_t)y * img->w + x) * img->channels + k] =
                    (unsigned char)(k == 3 ? 255 : v);
            }
}

int main(void)
{
    tf_ctx *ctx = tf_new();
    if (!CHECK(ctx != NULL, "tf_new"))
        return check_done();
    unsigned long s = 12345;
    int cases = 0, bad = 0;
    double worst = 0, worst_mean = 0;
    static const int chans[] = {1, 3, 4};
    for (int i = 0; i < 300; i++) {
        tf_image src = {0}, dst = {0};
        int c = chans[i % 3];
        int w = 2 + (int)next(&s, 400), h = 2 + (int)next(&s, 300);
        if (tf_image_reserve(ctx, &src, w, h, c) != TF_OK)
            break;
        fill(&src, &s);
        /* a partial last column / row in half the cases: 1/8 .. 7/8 */
        if (next(&s, 2))
            src.ext_w = w - 1 + (1 + next(&s, 7)) / 8.0;
        if (next(&s, 2))
            src.ext_h = h - 1 + (1 + next(&s, 7)) / 8.0;
        dst.w = 1 + (int)next(&s, (unsigned)(src.ext_w < 80 ? src.ext_w : 80));
        dst.h = 1 + (int)next(&s, (unsigned)(src.ext_h < 80 ? src.ext_h : 80));
        double max, mean;
        one_case(ctx, &src, &dst, &max, &mean);
        cases++;
        bad += !EXPECT(max <= 0.55 && mean < 0.3,
                       "%dx%dx%d (extent %.3fx%.3f) to %dx%d: the exact area average rounded "
                       "(max error 0.55, mean < 0.3); got max %.3f, mean %.4f",
                       w, h, c, src.ext_w, src.ext_h, dst.w, dst.h, max, mean);
        worst = fmax(worst, max);
        worst_mean = fmax(worst_mean, mean);
        tf_image_release(&src);
        tf_image_release(&dst);
    }
    CHECK(cases == 300 && bad == 0,
          "%d random resizes (grey, RGB, RGBA; whole and partial last pixels): every sample "
          "the exact area average rounded (worst %.3f, worst mean %.4f); %d bad",
          cases, worst, worst_mean, bad);
    tf_free(ctx);
    return check_done();
}
