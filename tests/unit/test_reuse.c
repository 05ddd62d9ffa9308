/* test_reuse.c - a handle that has made thumbnails before gives every file
 * the thumbnail (or the error) a new handle gives it: nothing of one image's
 * decode carries over to the next. libjpeg keeps the Huffman and
 * quantisation tables a file defined in its decompressor; a file that
 * defines none relies on the defaults (an MJPEG frame: the standard Huffman
 * tables) or is broken (no DQT), and must not be decoded with the tables of
 * the file before it. Files are made in memory (made.h): a first file with
 * Huffman tables of its own, then the same kind of image with its DHT (or
 * DQT) segments cut out; at 1/4 (libjpeg's entropy decoder) and at 1/8 (the
 * skipping decoder, jpeg/path_skip_ac.c). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "made.h"
#include "thumbify.h"

/* src without its segments of marker type m (before the first SOS). */
static unsigned char *without(const unsigned char *src, size_t len, int m, size_t *out_len)
{
    unsigned char *out = malloc(len);
    size_t p = 2, o = 2;
    memcpy(out, src, 2); /* SOI */
    while (p + 4 <= len && src[p] == 0xff && src[p + 1] != 0xda) {
        size_t seg = 2 + ((size_t)src[p + 2] << 8 | src[p + 3]);
        if (src[p + 1] != m) {
            memcpy(out + o, src + p, seg);
            o += seg;
        }
        p += seg;
    }
    memcpy(out + o, src + p, len - p);
    *out_len = o + len - p;
    return out;
}

typedef struct made {
    tf_status st;
    int warnings;
    char msg[256];
    unsigned char *data;
    size_t size;
} made;

static made thumb(tf_ctx *ctx, const unsigned char *src, size_t len)
{
    tf_params p;
    tf_params_default(&p);
    tf_result r;
    made m = {.st = tf_thumbnail(ctx, src, len, &p, &r)};
    snprintf(m.msg, sizeof m.msg, "%s", tf_message(ctx));
    if (m.st == TF_OK) {
        m.warnings = r.warnings;
        m.size = r.size;
        m.data = malloc(r.size);
        memcpy(m.data, r.data, r.size);
    }
    return m;
}

static int same(const made *a, const made *b)
{
    return a->st == b->st && a->warnings == b->warnings && strcmp(a->msg, b->msg) == 0 &&
           a->size == b->size && (!a->size || memcmp(a->data, b->data, a->size) == 0);
}

/* The file cut of marker m, on a new handle and on one that has just made
 * the thumbnail of first. */
static void after(const unsigned char *first, size_t first_len, const unsigned char *file,
                  size_t len, int m, const char *what, int want_ok)
{
    size_t cut_len;
    unsigned char *cut = without(file, len, m, &cut_len);
    tf_ctx *fresh = tf_new(), *used = tf_new();
    made a = thumb(fresh, cut, cut_len);
    made warm = thumb(used, first, first_len);
    made b = thumb(used, cut, cut_len);
    CHECK(cut_len < len && warm.st == TF_OK && (a.st == TF_OK) == want_ok &&
              (!want_ok || a.warnings == 0),
          "%s: %s on a new handle; got status %d, %d warnings, \"%s\"", what,
          want_ok ? "a clean thumbnail" : "an error", (int)a.st, a.warnings, a.msg);
    CHECK(same(&a, &b),
          "%s: after another file on the same handle, the same status, message and bytes; "
          "got status %d/%d, \"%s\"/\"%s\", %zu/%zu bytes",
          what, (int)a.st, (int)b.st, a.msg, b.msg, a.size, b.size);
    free(a.data);
    free(b.data);
    free(warm.data);
    tf_free(fresh);
    tf_free(used);
    free(cut);
}

int main(void)
{
    /* 320x240 is decoded at 1/4, 640x480 at 1/8 (75x75 box) */
    static const int sizes[][2] = {{320, 240}, {640, 480}};
    for (size_t i = 0; i < sizeof sizes / sizeof *sizes; i++) {
        int w = sizes[i][0], h = sizes[i][1];
        variant own = {"own tables", w, h, 3, 90, 2, 2, 0, 0, 1, 1};
        variant std = {"standard tables", w, h, 3, 75, 2, 2, 0, 0, 1, 0};
        unsigned long own_len, std_len;
        unsigned char *first = encode(&own, &own_len), *file = encode(&std, &std_len);
        if (!CHECK(first && file, "%dx%d test files made", w, h))
            return check_done();
        char what[96];
        snprintf(what, sizeof what, "%dx%d without DHT (standard tables implied)", w, h);
        after(first, own_len, file, std_len, 0xc4, what, 1);
        snprintf(what, sizeof what, "%dx%d without DQT", w, h);
        after(first, own_len, file, std_len, 0xdb, what, 0);
        free(first);
        free(file);
    }
    return check_done();
}
