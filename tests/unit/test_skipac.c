/* test_skipac.c - the 1/8 entropy decoder (jpeg/path_skip_ac.c), put in libjpeg's
 * place, must give exactly what libjpeg's own decoder gives: every file is
 * decoded at 1/8 by plain libjpeg and again with tf_skipac installed, and
 * whenever the skipping decoder says it finished, the two decodes must be
 * the same (the same error, or the same warnings and every sample).
 * Files: baseline JPEGs this test encodes in memory (every sampling, odd
 * sizes, restart intervals, quality 1 to 100, standard and optimised
 * Huffman tables), damaged copies of them (it must give up, never differ),
 * the testdata dir (argv[1]), and the decoder as the core uses it
 * (tf_decode: taken for a clean file, redone by libjpeg for a damaged
 * one), and a huge scan with no data at all (given up, never wrapped). With --corpus: every JPEG of
 * $THUMBIFY_CORPUS's photos/, orientation/ and edge/ (exit 77 when unset); the photos must all be
 * taken. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jpeglib.h>

#include "check.h"
#include "eighth.h"
#include "internal.h"
#include "made.h"
#include "entropy_run.h"

enum { GAVE_UP = 0, SAME = 1, DIFFERENT = -1 };

/* Decodes buf at 1/8 both ways: SAME when the skipping decoder finished
 * and matched libjpeg's own, GAVE_UP when it was not installed or gave
 * up, DIFFERENT otherwise. */
static int both(tf_skipac *s, const unsigned char *buf, size_t len)
{
    eighth plain, fast;
    int ok = skipac_decode(s, buf, len, 1ULL << 28, &fast);
    eighth_decode(buf, len, 0, 1ULL << 28, &plain);
    int res = !ok ? GAVE_UP : eighth_same(&plain, &fast) ? SAME : DIFFERENT;
    free(plain.px);
    free(fast.px);
    return res;
}

static const variant k_baseline[] = {
    {"4:4:4 803x601 q100", 803, 601, 3, 100, 1, 1, 0, 0, 1, 0},
    {"4:4:4 803x601 q100 optimised", 803, 601, 3, 100, 1, 1, 0, 0, 1, 1},
    {"4:2:2 801x599 q90 restart 7", 801, 599, 3, 90, 2, 1, 7, 0, 1, 0},
    {"4:2:2 800x600 q1", 800, 600, 3, 1, 2, 1, 0, 0, 1, 0},
    {"4:4:0 600x397 q85 restart 3 optimised", 600, 397, 3, 85, 1, 2, 3, 0, 1, 1},
    {"4:1:1 805x203 q90", 805, 203, 3, 90, 4, 1, 0, 0, 1, 0},
    {"4:2:0 641x479 q75 (chroma gets AC)", 641, 479, 3, 75, 2, 2, 0, 0, 1, 0},
    {"4:2:0 640x480 q100 restart 1 optimised", 640, 480, 3, 100, 2, 2, 1, 0, 1, 1},
    {"grey 333x222 q90 restart 5", 333, 222, 1, 90, 1, 1, 5, 0, 1, 0},
    {"grey 2x2 factor 250x170 q95", 250, 170, 1, 95, 2, 2, 0, 0, 1, 0},
    {"CMYK 257x129 q90 restart 1", 257, 129, 4, 90, 1, 1, 1, 0, 1, 0},
    {"4:2:2 9x7 q90 (one partial MCU)", 9, 7, 3, 90, 2, 1, 0, 0, 1, 0},
};

/* Damage: bytes changed one at a time across the file, and truncations.
 * Whatever it still finishes must decode as libjpeg decodes the damaged
 * file; both outcomes must occur. (Run under ASan in CI.) */
static void damage(tf_skipac *s, const char *name, const unsigned char *src, size_t len)
{
    unsigned char *m = malloc(len);
    int tried = 0, taken = 0, gave_up = 0, bad = 0;
    for (size_t at = 2; at < len; at += 1 + at / 48)
        for (int flip = 1; flip < 256; flip <<= 3) {
            memcpy(m, src, len);
            m[at] ^= (unsigned char)flip;
            int r = both(s, m, len);
            tried++;
            taken += r == SAME, gave_up += r == GAVE_UP, bad += r == DIFFERENT;
        }
    for (size_t cut = 2; cut < len; cut += 1 + cut / 16) {
        int r = both(s, src, cut);
        tried++;
        taken += r == SAME, gave_up += r == GAVE_UP, bad += r == DIFFERENT;
    }
    CHECK(bad == 0 && taken > 0 && gave_up > 0,
          "%s damaged: %d files, %d finished by the skipping decoder (each equal to libjpeg's "
          "decode), %d given up; got %d different",
          name, tried, taken, gave_up, bad);
    free(m);
}

static void made_here(tf_skipac *s)
{
    for (size_t i = 0; i < sizeof k_baseline / sizeof *k_baseline; i++) {
        const variant *v = &k_baseline[i];
        unsigned long len;
        unsigned char *jpg = encode(v, &len);
        if (!CHECK(jpg && len, "%s: encoded (%lu bytes)", v->name, len))
            continue;
        int r = both(s, jpg, len);
        CHECK(r == SAME,
              "%s: decoded to the end by the skipping decoder, equal to libjpeg's 1/8 "
              "decode in every sample; got %s",
              v->name, r == GAVE_UP ? "gave up" : "different");
        if (i == 2 || i == 6 || i == 8)
            damage(s, v->name, jpg, len);
        free(jpg);
    }
}

/* A directory's JPEGs: never different; *taken counts those it finished. */
static void dir_files(tf_skipac *s, const char *dir, int *files, int *taken)
{
    char path[4096];
    DIR *d = opendir(dir);
    for (struct dirent *de; d && (de = readdir(d));) {
        size_t n = strlen(de->d_name), len;
        if (n < 4 ||
            (strcasecmp(de->d_name + n - 4, ".jpg") && strcasecmp(de->d_name + n - 5, ".jpeg")))
            continue;
        snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
        unsigned char *buf = slurp(path, &len);
        int r = buf ? both(s, buf, len) : DIFFERENT;
        EXPECT(r != DIFFERENT, "%s: never decoded differently", path);
        *files += 1;
        *taken += r == SAME;
        free(buf);
    }
    if (d)
        closedir(d);
}

/* As the core uses it: tf_jpeg_entropy(ctx) says which decoder produced the rows,
 * and the rows are libjpeg's either way. */
static void in_the_core(tf_ctx *ctx)
{
    const variant *v = &k_baseline[2];
    unsigned long len;
    unsigned char *jpg = encode(v, &len);
    tf_params p;
    tf_params_default(&p);
    p.box_w = p.box_h = 32; /* 1/8 keeps twice the pixels of files from 512x384 */
    for (int damaged = 0; jpg && damaged < 2; damaged++) {
        if (damaged)
            len = len * 2 / 3; /* cut short: libjpeg warns and fills in grey */
        eighth ref;
        eighth_decode(jpg, len, 0, ~0ULL, &ref);
        tf_result res;
        memset(&res, 0, sizeof res);
        tf_format natural;
        tf_status st = tf_decode(ctx, jpg, len, &p, &res, &natural);
        tf_entropy want = damaged ? TF_ENTROPY_REDONE : TF_ENTROPY_SKIPAC;
        int same = core_rows_equal(&ref, ctx, st);
        CHECK(tf_jpeg_entropy(ctx) == want && same && res.warnings == ref.warnings &&
                  (ref.warnings > 0) == damaged,
              "tf_decode, %s file: %s, %d warnings, rows equal to libjpeg's; got entropy "
              "%d, status %d, warnings %d (libjpeg %d), same %d",
              damaged ? "a truncated" : "a clean",
              damaged ? "skipping decoder gave up, libjpeg decoded it again"
                      : "skipping decoder to the end",
              ref.warnings, tf_jpeg_entropy(ctx), st, res.warnings, ref.warnings, same);
        free(ref.px);
    }
    free(jpg);
}

/* A scan with no data at all, coded so that every block reads 1024 bits
 * (DC: one 16-bit code, category 0; AC: one 1-bit code, run 0 size 15),
 * 16384x16384 grey (the default --max-pixels): 2^32 bits are read past
 * the marker. The reader's count of them must not wrap to look clean (a
 * review found it did): the skipping decoder gives up, libjpeg warns. */
static unsigned char *missing_data(size_t *len)
{
    static const unsigned char hdr[] = {
        0xff, 0xd8,                                       /* SOI */
        0xff, 0xdb, 0, 67, 0,                             /* DQT 0: all 1 */
        1,    1,    1, 1,  1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
        1,    1,    1, 1,  1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
        1,    1,    1, 1,  1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
        0xff, 0xc0, 0, 11, 8, 0x40, 0, 0x40, 0, 1, 1, 0x11, 0, /* SOF0 16384x16384 grey */
        0xff, 0xc4, 0, 20, 0x00, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0x00,
        0xff, 0xc4, 0, 20, 0x10, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x0f,
        0xff, 0xda, 0, 8,  1, 1, 0x00, 0, 63, 0,        /* SOS */
        0xff, 0xd9};                                    /* EOI: no data */
    unsigned char *b = malloc(sizeof hdr);
    memcpy(b, hdr, sizeof hdr);
    *len = sizeof hdr;
    return b;
}

static void no_data(tf_ctx *ctx, tf_skipac *s)
{
    size_t len;
    unsigned char *jpg = missing_data(&len);
    eighth plain, fast;
    int ok = skipac_decode(s, jpg, len, ~0ULL, &fast);
    eighth_decode(jpg, len, 0, ~0ULL, &plain);
    tf_params p;
    tf_params_default(&p);
    p.box_w = p.box_h = 32; /* 1/8 keeps twice the pixels of files from 512x384 */
    tf_result res;
    memset(&res, 0, sizeof res);
    tf_format natural;
    tf_status st = tf_decode(ctx, jpg, len, &p, &res, &natural);
    CHECK(!ok && plain.warnings > 0 && st == TF_OK && tf_jpeg_entropy(ctx) == TF_ENTROPY_REDONE &&
              res.warnings == plain.warnings,
          "a 16384x16384 scan with no data (2^32 bits read past the marker): the skipping "
          "decoder gives up, libjpeg decodes it with its %d warnings; got finished %d, "
          "status %d, entropy %d, warnings %d",
          plain.warnings, ok, st, tf_jpeg_entropy(ctx), res.warnings);
    free(plain.px);
    free(fast.px);
    free(jpg);
}

static int corpus(tf_skipac *s)
{
    const char *root = getenv("THUMBIFY_CORPUS");
    if (!root || !*root) {
        printf("skipped: THUMBIFY_CORPUS is not set\n");
        return 77;
    }
    static const char *const sub[] = {"photos", "orientation", "edge"};
    char dir[4096];
    for (size_t i = 0; i < sizeof sub / sizeof *sub; i++) {
        int files = 0, taken = 0;
        snprintf(dir, sizeof dir, "%s/%s", root, sub[i]);
        dir_files(s, dir, &files, &taken);
        CHECK(files > 0 && (i > 0 || taken == files),
              "%s: %d JPEGs, %d decoded to the end by the skipping decoder%s, none differently",
              dir, files, taken, i == 0 ? " (all of them)" : "");
    }
    return check_done();
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: test_skipac TESTDATA | --corpus\n");
        return 2;
    }
    tf_skipac *s = tf_skipac_new();
    if (strcmp(argv[1], "--corpus") == 0) {
        int rc = corpus(s);
        tf_skipac_free(s);
        return rc;
    }
    made_here(s);
    int files = 0, taken = 0;
    dir_files(s, argv[1], &files, &taken);
    CHECK(files > 10 && taken > 10,
          "%s: %d JPEGs, %d decoded to the end by the skipping decoder, none differently", argv[1],
          files, taken);
    tf_ctx *ctx = tf_new();
    in_the_core(ctx);
    no_data(ctx, s);
    tf_free(ctx);
    tf_skipac_free(s);
    return check_done();
}
