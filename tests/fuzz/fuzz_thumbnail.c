/* fuzz_thumbnail.c - libFuzzer target for the whole memory-to-memory image
 * path: tf_thumbnail() on the input as a file's bytes (JPEG or PNG, told
 * apart by content), so EXIF parsing, ICC handling, DC-only progressive
 * decoding, resizing, orientation and the three encoders all run.
 *
 * One static tf_ctx serves every input, as a worker's handle serves every
 * file: buffers, the JPEG decoder after a longjmp, and the cached ICC
 * transform are all reused after errors. A crash may therefore depend on
 * the inputs before it; the replay test runs a corpus in one process too.
 *
 * Parameters: one of eight variants (box, format, quality, scan limit,
 * --embedded, comment), picked by the last byte of the input
 * mixed with its length. Decoders ignore what follows EOI / IEND, so
 * libFuzzer can change the variant of an image without breaking it, and
 * seeds (all ending D9 or 82) still spread over the variants by length.
 * max_pixels is limited to 4,000,000 in every variant so the fuzzer does
 * not spend its time (and its 2 GB RSS limit) on legitimately huge images:
 * the limit check itself is still fuzzed (small max_pixels in one variant).
 *
 * Any status is accepted; crashes, leaks, UB and broken invariants are
 * findings. On TF_OK the thumbnail must fit the box, be non-empty, and
 * decode again (with a second handle; a WebP with libwebp) to the same
 * size. With
 * use_embedded, embedded_only on the input and on its first half may
 * succeed only with the very bytes of the whole input's embedded result.
 *
 *   clang-14 -g -O1 -fsanitize=fuzzer,address,undefined -Isrc/core -I/usr/include/stb \
 *       tests/fuzz/fuzz_thumbnail.c src/core/[a-z]*.c third_party/stb_image_resize_impl.c \
 *       -ljpeg -lpng -llcms2 -lwebp -lz -lm -o fuzz_thumbnail */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <webp/decode.h>

#include "thumbify.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_MAX_PIXELS 4000000ULL

/* A comment at the 1000-byte limit, for the encoders' splicing. */
static const char *long_comment(void)
{
    static char c[1001];
    if (!c[0]) {
        for (int i = 0; i < 1000; i++)
            c[i] = (char)('a' + i % 26);
        c[1000] = '\0';
    }
    return c;
}

static void variant(unsigned sel, tf_params *p)
{
    tf_params_default(p);
    p->max_pixels = FUZZ_MAX_PIXELS;
    switch (sel % 8) {
    case 0: /* the product's defaults, --embedded */
        p->use_embedded = 1;
        break;
    case 1: /* 75x75 JPEG out: PNG alpha gets flattened; a comment */
        p->format = TF_FORMAT_JPEG;
        p->comment = "made by fuzz_thumbnail";
        break;
    case 2: /* a wide box, PNG out, --embedded */
        p->box_w = 16;
        p->box_h = 9;
        p->format = TF_FORMAT_PNG;
        p->use_embedded = 1;
        break;
    case 3: /* a box larger than most inputs: no resize (copy path); WebP
               (lossy at quality 1, lossless with alpha; the comment as XMP) */
        p->box_w = 4096;
        p->box_h = 4096;
        p->quality = 1;
        p->format = TF_FORMAT_WEBP;
        p->comment = long_comment();
        break;
    case 4: /* 1x1, top quality, few scans allowed, --embedded */
        p->box_w = 1;
        p->box_h = 1;
        p->quality = 100;
        p->max_scans = 3;
        p->format = TF_FORMAT_JPEG;
        p->use_embedded = 1;
        break;
    case 5: /* a tall box and a low pixel limit, an empty comment */
        p->box_w = 7;
        p->box_h = 300;
        p->max_pixels = 10000;
        p->format = TF_FORMAT_PNG;
        p->comment = "";
        break;
    case 6: /* the product's defaults */
        break;
    case 7: /* a box larger than EXIF thumbnails, --embedded */
        p->box_w = 200;
        p->box_h = 150;
        p->format = TF_FORMAT_JPEG;
        p->use_embedded = 1;
        break;
    }
}

static void fail(const char *what, const tf_params *p, const tf_result *r)
{
    fprintf(stderr,
            "fuzz_thumbnail: invariant broken: %s (box %dx%d, format %d; src %dx%d, "
            "out %dx%d, format %d, data %p, size %zu)\n",
            what, p->box_w, p->box_h, (int)p->format, r->src_w, r->src_h, r->out_w, r->out_h,
            (int)r->format, (const void *)r->data, r->size);
    abort();
}

static int contains(const unsigned char *hay, size_t n, const char *needle)
{
    size_t k = strlen(needle);
    for (size_t i = 0; k <= n && i <= n - k; i++)
        if (memcmp(hay + i, needle, k) == 0)
            return 1;
    return 0;
}

/* A WebP thumbnail, which the core does not read: libwebp decodes it whole
 * to its size. */
static void check_webp_output(const tf_params *p, const tf_result *r)
{
    int w = 0, h = 0;
    uint8_t *px = WebPDecodeRGBA(r->data, r->size, &w, &h);
    if (!px || w != r->out_w || h != r->out_h)
        fail("the WebP output decodes (libwebp) to its own size", p, r);
    WebPFree(px);
}

/* The thumbnail, fed back in, must decode as itself: already inside the
 * box, so the same size and format come out. */
static void check_output(const tf_params *p, const tf_result *r)
{
    if (r->format == TF_FORMAT_WEBP) {
        check_webp_output(p, r);
        return;
    }
    static tf_ctx *again;
    if (!again && !(again = tf_new()))
        abort();
    tf_params q;
    tf_params_default(&q);
    q.box_w = p->box_w;
    q.box_h = p->box_h;
    tf_result r2;
    tf_status st = tf_thumbnail(again, r->data, r->size, &q, &r2);
    if (st != TF_OK) {
        fprintf(stderr, "fuzz_thumbnail: output does not decode: %s: %s\n", tf_status_str(st),
                tf_message(again));
        fail("output decodes", p, r);
    }
    if (r2.out_w != r->out_w || r2.out_h != r->out_h || r2.format != r->format ||
        r2.src_w != r->out_w || r2.src_h != r->out_h)
        fail("output decodes to its own size and format", p, r);
}

/* embedded_only, as the CLI uses it on the start of a large file: on the
 * whole input and on its first half, success must mean exactly the
 * thumbnail the whole input gives with use_embedded (full: its status,
 * thumb: its bytes when it used the embedded thumbnail, else NULL). */
static void check_embedded_only(const uint8_t *data, size_t size, const tf_params *p,
                                const unsigned char *thumb, size_t thumb_len)
{
    static tf_ctx *other;
    if (!other && !(other = tf_new()))
        abort();
    tf_params q = *p;
    q.embedded_only = 1;
    for (size_t len = size; len; len = len == size ? size / 2 : 0) {
        tf_result r;
        if (tf_thumbnail(other, data, len, &q, &r) != TF_OK)
            continue;
        if (!thumb || r.path != TF_PATH_EMBEDDED || r.size != thumb_len ||
            memcmp(r.data, thumb, thumb_len) != 0)
            fail("embedded_only succeeds only with the whole input's embedded thumbnail", p, &r);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static tf_ctx *ctx;
    if (!ctx && !(ctx = tf_new()))
        abort();
    tf_params p;
    variant(size ? (unsigned)(data[size - 1] ^ (uint8_t)size) : 0, &p);
    tf_result r;
    tf_status st = tf_thumbnail(ctx, data, size, &p, &r);
    if (p.use_embedded) {
        int used = st == TF_OK && r.path == TF_PATH_EMBEDDED;
        unsigned char *copy = used ? malloc(r.size) : NULL;
        if (copy)
            memcpy(copy, r.data, r.size);
        check_embedded_only(data, size, &p, copy, used ? r.size : 0);
        free(copy);
    }
    const char *msg = tf_message(ctx);
    if (!msg || !r.note)
        fail("message and note are never NULL", &p, &r);
    if (st != TF_OK) {
        if (msg[0] == '\0')
            fail("a failure has a message", &p, &r);
        return 0;
    }
    if (r.out_w < 1 || r.out_h < 1 || r.out_w > p.box_w || r.out_h > p.box_h)
        fail("thumbnail fits the box", &p, &r);
    int swap = r.orientation >= 5;
    if (r.orientation < 1 || r.orientation > 8 || r.out_w > (swap ? r.src_h : r.src_w) ||
        r.out_h > (swap ? r.src_w : r.src_h))
        fail("orientation 1..8 and never upscaled", &p, &r);
    if (!r.data || r.size == 0)
        fail("thumbnail data is non-empty", &p, &r);
    if (r.format != TF_FORMAT_JPEG && r.format != TF_FORMAT_PNG && r.format != TF_FORMAT_WEBP)
        fail("result format is JPEG, PNG or WebP", &p, &r);
    if (p.format != TF_FORMAT_SAME && r.format != p.format)
        fail("result format is the one asked for", &p, &r);
    if ((r.warnings > 0) != (msg[0] != '\0'))
        fail("a message after TF_OK exactly when there are warnings", &p, &r);
    if (r.path == TF_PATH_EMBEDDED && !p.use_embedded)
        fail("the embedded thumbnail only with use_embedded", &p, &r);
    if (p.comment && p.comment[0] && !contains(r.data, r.size, p.comment))
        fail("the comment is in the thumbnail", &p, &r);
    check_output(&p, &r);
    return 0;
}
