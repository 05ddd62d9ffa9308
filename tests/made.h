/* made.h - JPEG files the unit tests and fuzz targets make in memory:
 * a test pattern encoded with any sampling, quality, restart interval,
 * progression or Huffman tables. Header-only (static functions) for
 * single-file tests, like eighth.h (inline: not every includer uses all). */
#ifndef THUMBIFY_TESTS_MADE_H
#define THUMBIFY_TESTS_MADE_H

#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>

#include <jpeglib.h>

#include "eighth.h"

static inline unsigned char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    *len = 0;
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    *len = (size_t)ftell(f);
    rewind(f);
    unsigned char *b = malloc(*len ? *len : 1);
    if (b && fread(b, 1, *len, f) != *len) {
        free(b);
        b = NULL;
    }
    fclose(f);
    return b;
}

/* A test image: gradients, noise, and black/white 16x16 tiles whose DC
 * steps need the largest DC category (11) at quality 100. */
static inline unsigned char *pattern(int w, int h, int comps)
{
    unsigned char *px = malloc((size_t)w * h * comps);
    unsigned seed = 12345;
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++)
            for (int c = 0; c < comps; c++) {
                seed = seed * 1103515245u + 12345u;
                int v = (x * (3 + c) + y * (5 - c) + (int)(seed >> 27)) & 255;
                if (x < w / 3 && y < h / 2)
                    v = ((x / 16 + y / 16) & 1) ? 255 : 0;
                px[((size_t)y * w + x) * comps + c] = (unsigned char)v;
            }
    return px;
}

typedef struct variant {
    const char *name;
    int w, h, comps, quality;
    int h0, v0;     /* first component's sampling (the others 1x1) */
    int restart;    /* MCUs per interval, 0 = none */
    int per_comp;   /* the mozjpeg-like script below, else jpeg_simple_progression */
    int sequential; /* baseline instead (per_comp ignored) */
    int optimize;   /* Huffman tables made for the image, not the standard ones */
} variant;

/* Per-component DC first scans (Al = 2), full AC bands, an interleaved DC
 * refinement 2 -> 1, then per-component refinements 1 -> 0. */
static inline jpeg_scan_info *per_comp_script(int n, int *count)
{
    static jpeg_scan_info scans[16];
    int k = 0;
    for (int c = 0; c < n; c++)
        scans[k++] = (jpeg_scan_info){1, {c}, 0, 0, 0, 2};
    for (int c = 0; c < n; c++)
        scans[k++] = (jpeg_scan_info){1, {c}, 1, 63, 0, 0};
    scans[k] = (jpeg_scan_info){n, {0, 1, 2, 3}, 0, 0, 2, 1};
    k++;
    for (int c = 0; c < n; c++)
        scans[k++] = (jpeg_scan_info){1, {c}, 0, 0, 1, 0};
    *count = k;
    return scans;
}

/* Encodes the variant as a JPEG; *len 0 on failure. */
static inline unsigned char *encode(const variant *v, unsigned long *len)
{
    struct jpeg_compress_struct c;
    eighth_err e;
    unsigned char *out = NULL, *px = pattern(v->w, v->h, v->comps);
    *len = 0;
    eighth_err_init(&e);
    c.err = &e.pub;
    if (setjmp(e.jump)) {
        jpeg_destroy_compress(&c);
        free(px);
        free(out);
        *len = 0;
        return NULL;
    }
    jpeg_create_compress(&c);
    jpeg_mem_dest(&c, &out, len);
    c.image_width = (JDIMENSION)v->w;
    c.image_height = (JDIMENSION)v->h;
    c.input_components = v->comps;
    c.in_color_space = v->comps == 1 ? JCS_GRAYSCALE : v->comps == 4 ? JCS_CMYK : JCS_RGB;
    jpeg_set_defaults(&c);
    jpeg_set_quality(&c, v->quality, TRUE);
    for (int i = 0; i < c.num_components; i++)
        c.comp_info[i].h_samp_factor = c.comp_info[i].v_samp_factor = 1;
    c.comp_info[0].h_samp_factor = v->h0;
    c.comp_info[0].v_samp_factor = v->v0;
    c.restart_interval = (unsigned)v->restart;
    c.optimize_coding = v->optimize ? TRUE : FALSE;
    if (!v->sequential && v->per_comp)
        c.scan_info = per_comp_script(c.num_components, &c.num_scans);
    else if (!v->sequential)
        jpeg_simple_progression(&c);
    jpeg_start_compress(&c, TRUE);
    while (c.next_scanline < c.image_height) {
        JSAMPROW row = px + (size_t)c.next_scanline * v->w * v->comps;
        jpeg_write_scanlines(&c, &row, 1);
    }
    jpeg_finish_compress(&c);
    jpeg_destroy_compress(&c);
    free(px);
    return out;
}

#endif
