/* eighth.h - the tests' reference decode: a JPEG decoded by plain libjpeg
 * at scale 1/8, with the error that stopped it and its warnings, so that
 * two streams can be held to decoding identically. Header-only (static
 * functions) for the unit tests and fuzz targets, each one translation
 * unit; it shares no code with src/. */
#ifndef THUMBIFY_TESTS_EIGHTH_H
#define THUMBIFY_TESTS_EIGHTH_H

#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jpeglib.h>

/* An error manager that longjmps on errors and counts warnings. */
typedef struct eighth_err {
    struct jpeg_error_mgr pub;
    jmp_buf jump;
    int warnings;
} eighth_err;

static inline void eighth_on_error(j_common_ptr c)
{
    longjmp(((eighth_err *)c->err)->jump, 1);
}

static inline void eighth_count_warning(j_common_ptr c, int level)
{
    if (level < 0)
        ((eighth_err *)c->err)->warnings++;
}

static inline void eighth_err_init(eighth_err *e)
{
    jpeg_std_error(&e->pub);
    e->pub.error_exit = eighth_on_error;
    e->pub.emit_message = eighth_count_warning;
    e->warnings = 0;
}

typedef struct eighth {
    int error; /* libjpeg's msg_code that stopped it; 0 none; -2 over max_px */
    int warnings;
    int w, h, c;
    unsigned char *px; /* w x h x c samples, NULL after an error; free() it */
} eighth;

/* Called after jpeg_start_decompress (after = 0) and after the last
 * scanline (after = 1); a non-zero return from the second call stops the
 * decode there with o->error = -3. Lets a test put another entropy
 * decoder in libjpeg's place. */
typedef int (*eighth_hook)(struct jpeg_decompress_struct *d, int after, void *arg);

/* Decodes buf at 1/8 (block smoothing as asked) into *o; a frame of more
 * than max_px pixels is not decoded (o->error = -2). hook may be NULL. */
static inline void eighth_decode_hooked(const unsigned char *buf, size_t len, int smoothing,
                                        unsigned long long max_px, eighth_hook hook, void *arg,
                                        eighth *o)
{
    struct jpeg_decompress_struct d;
    eighth_err e;
    memset(o, 0, sizeof *o);
    eighth_err_init(&e);
    d.err = &e.pub;
    jpeg_create_decompress(&d);
    if (setjmp(e.jump)) {
        o->error = e.pub.msg_code ? e.pub.msg_code : -1;
        o->warnings = e.warnings;
        free(o->px);
        o->px = NULL;
        jpeg_destroy_decompress(&d);
        return;
    }
    jpeg_mem_src(&d, buf, (unsigned long)len);
    jpeg_read_header(&d, TRUE);
    if ((unsigned long long)d.image_width * d.image_height > max_px) {
        o->error = -2;
        jpeg_destroy_decompress(&d);
        return;
    }
    d.scale_num = 1;
    d.scale_denom = 8;
    d.do_block_smoothing = smoothing ? TRUE : FALSE;
    jpeg_start_decompress(&d);
    if (hook)
        hook(&d, 0, arg);
    o->w = (int)d.output_width, o->h = (int)d.output_height, o->c = d.output_components;
    size_t stride = (size_t)o->w * o->c;
    o->px = malloc(stride * o->h + 1);
    while (d.output_scanline < d.output_height) {
        JSAMPROW row = o->px + stride * d.output_scanline;
        jpeg_read_scanlines(&d, &row, 1);
    }
    if (hook && hook(&d, 1, arg)) {
        o->error = -3;
        free(o->px);
        o->px = NULL;
        jpeg_destroy_decompress(&d);
        return;
    }
    jpeg_finish_decompress(&d);
    o->warnings = e.warnings;
    jpeg_destroy_decompress(&d);
}

static inline void eighth_decode(const unsigned char *buf, size_t len, int smoothing,
                                 unsigned long long max_px, eighth *o)
{
    eighth_decode_hooked(buf, len, smoothing, max_px, NULL, NULL, o);
}

/* Samples of two successful decodes that differ; -1 when either failed or
 * their sizes differ. */
static inline long eighth_differ(const eighth *a, const eighth *b)
{
    if (a->error || b->error || a->w != b->w || a->h != b->h || a->c != b->c)
        return -1;
    long n = 0;
    for (size_t i = 0; i < (size_t)a->w * a->h * a->c; i++)
        n += a->px[i] != b->px[i];
    return n;
}

/* Whether two decodes are the same: the same error, or no error, as many
 * warnings and every sample equal. */
static inline int eighth_same(const eighth *a, const eighth *b)
{
    if (a->error || b->error)
        return a->error == b->error && a->warnings == b->warnings;
    return a->warnings == b->warnings && eighth_differ(a, b) == 0;
}

#endif
