/* fuzz_dcseq.c - differential libFuzzer target for the progressive DC
 * path (jpeg/path_dc_only_sequential.c, jpeg/path_dc_only_ac.c,
 * jpeg/path_dc_only_feed.c). The input is taken as a JPEG: its AC scans
 * are stripped (tf_jpeg_strip_ac) and, whenever tf_jpeg_dc_sequential()
 * goes ahead, libjpeg fed its planes behind the
 * sequential header must decode at 1/8 exactly as it decodes the DC-only
 * stream: the same error, or the same warnings and every sample equal.
 * Anything else abort()s, so a decode that hides a defect or changes a
 * pixel is a finding, not just an out-of-bounds access. Frames over
 * 4,000,000 pixels are not decoded (the max_pixels argument). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "entropy_run.h"
#include "internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static tf_ctx *ctx;
    static tf_bytes dc, seq, coefs;
    if (!ctx)
        ctx = tf_new();
    int stripped = 0, scans = 0, done = 0;
    const unsigned char *in = data;
    size_t len = size;
    if (tf_jpeg_strip_ac(ctx, data, size, &dc, &stripped, &scans) == TF_OK && stripped)
        in = dc.data, len = dc.len;
    /* frames over 4 MP are refused by tf_jpeg_dc_sequential itself, as thumbify's
     * --max-pixels check refuses them before it */
    tf_planes planes;
    if (tf_jpeg_dc_sequential(ctx, in, len, 4000000, &seq, &coefs, &planes, &done) != TF_OK ||
        !done)
        return 0;
    eighth a, b;
    eighth_decode(in, len, 0, 4000000, &a);
    int fed = feed_decode(seq.data, seq.len, &planes, 4000000, &b);
    int ok = feed_same(&a, &b, fed);
    if (!ok)
        fprintf(stderr, "fuzz_dcseq: the planes decode differently (fed %d): error %d/%d, "
                        "warnings %d/%d\n", fed, a.error, b.error, a.warnings, b.warnings);
    free(a.px);
    free(b.px);
    if (!ok)
        abort();
    return 0;
}
