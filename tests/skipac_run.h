/* skipac_run.h - a 1/8 decode with the skipping entropy decoder
 * (jpeg_skipac.c) in libjpeg's place, for test_skipac and fuzz_skipac:
 * eighth.h's reference decode, hooked. Header-only, like eighth.h. */
#ifndef THUMBIFY_TESTS_SKIPAC_RUN_H
#define THUMBIFY_TESTS_SKIPAC_RUN_H

#include "eighth.h"
#include "jpeg_skipac.h"

typedef struct skipac_run {
    tf_skipac *s;
    int installed, ok;
} skipac_run;

/* eighth_hook: install after jpeg_start_decompress; after the rows, stop
 * when it gave up (its rows are not the image). */
static inline int skipac_hook(struct jpeg_decompress_struct *d, int after, void *arg)
{
    skipac_run *r = arg;
    if (!after) {
        r->installed = tf_skipac_install(r->s, d);
        return 0;
    }
    r->ok = r->installed && tf_skipac_ok(r->s);
    return r->installed && !r->ok;
}

/* Decodes buf at 1/8 through s into *o; returns 1 when s decoded the scan
 * to the end (then *o is to be compared), 0 when it was not installed or
 * gave up. */
static inline int skipac_decode(tf_skipac *s, const unsigned char *buf, size_t len,
                                unsigned long long max_px, eighth *o)
{
    skipac_run r = {s, 0, 0};
    eighth_decode_hooked(buf, len, 0, max_px, skipac_hook, &r, o);
    return r.ok;
}

#endif
