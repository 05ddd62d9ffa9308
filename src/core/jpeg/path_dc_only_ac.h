/* path_dc_only_ac.h - the AC scans of a progressive JPEG (first scans and
 * refinements), decoded into coefficient blocks as libjpeg decodes them
 * (jdphuff.c). For path_dc_only_sequential.c: the components that libjpeg scales with
 * a 2x2 IDCT at 1/8 (4:2:0 chroma) need their AC coefficients. */
#ifndef THUMBIFY_JPEG_PATH_DC_ONLY_AC_H
#define THUMBIFY_JPEG_PATH_DC_ONLY_AC_H

#include <stdint.h>

#include "entropy_bits.h"

/* One component's coefficients, and how far each has been coded. */
typedef struct tf_ac_plane {
    int bw, bh;           /* blocks a scan of it codes, across and down */
    int stride;           /* blocks per row of coef and nz */
    int16_t *coef;        /* 64 per block, in zigzag order; [0] unused */
    uint64_t *nz;         /* per block: bit k set when coef[k] is non-zero;
                             coef[k] is only read, and need only be set, then */
    signed char bits[64]; /* point transform of each coefficient so far; -1 none yet */
} tf_ac_plane;

typedef struct tf_ac_scan {
    int ss, se, ah, al;
    const tf_huff *t;
    unsigned restart; /* blocks per restart interval, 0 = none */
} tf_ac_scan;

/* Decodes one AC scan of p from data (it runs to the next marker before
 * end). Returns 0, or -1 for anything libjpeg would refuse or warn about,
 * or would decode by guessing: a progression out of order, a bad code, a
 * coefficient past the band or out of range, a restart out of place, data
 * cut short or left over. */
int tf_ac_scan_decode(tf_ac_plane *p, const tf_ac_scan *sc, const unsigned char *data,
                      const unsigned char *end);

#endif
