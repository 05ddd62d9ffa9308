/* fuzz_skipac.c - differential libFuzzer target for the 1/8 entropy
 * decoder (jpeg/path_skip_ac.c). The input is taken as a JPEG and decoded at 1/8
 * by plain libjpeg and again with tf_skipac in place of libjpeg's Huffman
 * decoder; whenever the skipping decoder says it finished, the two decodes
 * must be the same (the same error, or the same warnings and every sample).
 * Anything else abort()s: a decode that hides damage or changes a pixel is
 * a finding, not just an out-of-bounds access. Frames over 4,000,000
 * pixels are not decoded (thumbify's --max-pixels refuses them earlier). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "entropy_run.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static tf_skipac *s;
    if (!s && !(s = tf_skipac_new()))
        abort();
    eighth a, b;
    if (!skipac_decode(s, data, size, 4000000, &b)) {
        free(b.px);
        return 0;
    }
    eighth_decode(data, size, 0, 4000000, &a);
    int same = eighth_same(&a, &b);
    if (!same)
        fprintf(stderr, "fuzz_skipac: decodes differently: error %d/%d, warnings %d/%d\n", a.error,
                b.error, a.warnings, b.warnings);
    free(a.px);
    free(b.px);
    if (!same)
        abort();
    return 0;
}
