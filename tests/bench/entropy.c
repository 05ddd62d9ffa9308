/*
 * entropy.c - thumbify's skipping Huffman decoder (src/core/jpeg/path_skip_ac.c)
 * against libjpeg-turbo's own, at 1/8: every file is decoded by plain
 * libjpeg and again with tf_skipac in place of its Huffman decoder (all
 * the rest - IDCT, upsampling, colour conversion - is libjpeg's either
 * way), --runs times each (default 9); the best time of each file is
 * summed. Prints both sums, their ratio, and how many files the skipping
 * decoder did not finish (those would be decoded again by libjpeg).
 *
 * Build, from the repository root, against a Release tree in build/:
 *   gcc -std=c17 -Wall -Wextra -O2 -Isrc/core -Itests -o entropy \
 *       tests/bench/entropy.c build/libthumbify.a -ljpeg -lm
 * This is a benchmark tool, never a test.
 */
#define _POSIX_C_SOURCE 200809L

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "entropy_run.h"
#include "made.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* The best of runs decodes of buf, with s in libjpeg's place or not. */
static double best(tf_skipac *s, const unsigned char *buf, size_t len, int runs, int *finished)
{
    double t = 1e9;
    for (int r = 0; r < runs; r++) {
        eighth o;
        double t0 = now();
        if (s)
            *finished = skipac_decode(s, buf, len, ~0ULL, &o);
        else
            eighth_decode(buf, len, 0, ~0ULL, &o);
        double dt = now() - t0;
        free(o.px);
        t = dt < t ? dt : t;
    }
    return t;
}

int main(int argc, char **argv)
{
    int runs = 9, first = 1;
    if (argc > 2 && strcmp(argv[1], "--runs") == 0) {
        runs = atoi(argv[2]);
        first = 3;
    }
    if (first >= argc || runs < 1) {
        fprintf(stderr, "usage: entropy [--runs N] FILE.jpg...\n");
        return 2;
    }
    tf_skipac *s = tf_skipac_new();
    double plain = 0, skip = 0;
    int files = 0, unfinished = 0;
    for (int i = first; i < argc; i++) {
        size_t len;
        unsigned char *buf = slurp(argv[i], &len);
        if (!buf) {
            fprintf(stderr, "entropy: cannot read %s\n", argv[i]);
            return 1;
        }
        int finished = 0;
        plain += best(NULL, buf, len, runs, &finished);
        skip += best(s, buf, len, runs, &finished);
        unfinished += !finished;
        files++;
        free(buf);
    }
    printf("entropy: %d files, best of %d: libjpeg %.1f ms, skipping decoder %.1f ms: %.2fx "
           "(%d not finished by it)\n",
           files, runs, plain * 1e3, skip * 1e3, skip / plain, unfinished);
    tf_skipac_free(s);
    return 0;
}
