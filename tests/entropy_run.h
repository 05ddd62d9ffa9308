/* entropy_run.h - 1/8 decodes with one of the core's entropy decoders in
 * libjpeg's place: the skipping decoder (jpeg/path_skip_ac.c: test_skipac,
 * fuzz_skipac) or the planes' feeder (jpeg/path_dc_only_feed.c: test_dconly,
 * fuzz_dcseq). eighth.h's reference decode, hooked. Header-only, like
 * eighth.h (inline: not every includer uses all). */
#ifndef THUMBIFY_TESTS_ENTROPY_RUN_H
#define THUMBIFY_TESTS_ENTROPY_RUN_H

#include "eighth.h"
#include "jpeg/path_dc_only_feed.h"
#include "jpeg/path_skip_ac.h"

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

typedef struct feed_run {
    tf_feed *f;
    const tf_planes *p;
    int installed, ok;
} feed_run;

static inline int feed_hook(struct jpeg_decompress_struct *d, int after, void *arg)
{
    feed_run *r = arg;
    if (!after) {
        r->installed = tf_feed_install(r->f, d, r->p);
        return 0;
    }
    r->ok = r->installed && tf_feed_ok(r->f);
    return r->installed && !r->ok;
}

/* Decodes the header stream hdr at 1/8 with p's blocks fed to libjpeg;
 * returns 1 when they were (then *o is to be compared), 0 when the feeder
 * could not be installed or did not finish (o->error -3, or libjpeg's
 * decode of a scan with no data), or libjpeg stopped before the scan
 * (o->error: its error, from the copied headers). */
static inline int feed_decode(const unsigned char *hdr, size_t len, const tf_planes *p,
                              unsigned long long max_px, eighth *o)
{
    static tf_feed *f;
    if (!f)
        f = tf_feed_new();
    feed_run r = {f, p, 0, 0};
    eighth_decode_hooked(hdr, len, 0, max_px, feed_hook, &r, o);
    return r.ok;
}

/* Whether a (a decode of the DC-only stream) and b (feed_decode's, which
 * returned fed) are the same: the same error from the headers, or fed and
 * eighth_same. */
static inline int feed_same(const eighth *a, const eighth *b, int fed)
{
    return eighth_same(a, b) && (fed || (b->error != 0 && b->error != -3));
}

/* Whether the core's decode (tf_decode into ctx->decoded, status st)
 * gave exactly the rows of the reference decode ref. */
static inline int core_rows_equal(const eighth *ref, const tf_ctx *ctx, tf_status st)
{
    const tf_image *d = &ctx->decoded;
    return st == TF_OK && !ref->error && ref->w == d->w && ref->h == d->h &&
           ref->c == d->channels && !memcmp(ref->px, d->px, (size_t)ref->w * ref->h * ref->c);
}

#endif
