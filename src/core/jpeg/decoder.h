/* decoder.h - the JPEG decoder's state (libjpeg's object, its error
 * handler, our entropy decoders and buffers), shared by jpeg/decode.c,
 * which owns it and the one setjmp, and the decode paths that drive it
 * from there (jpeg/path_embedded.c). Internal to src/core/jpeg/. */
#ifndef THUMBIFY_JPEG_DECODER_H
#define THUMBIFY_JPEG_DECODER_H

#include <setjmp.h>
#include <stdio.h> /* jpeglib.h needs FILE */

#include <jpeglib.h>

#include "internal.h"
#include "path_dc_only_feed.h"
#include "path_skip_ac.h"

struct tf_jpeg_err {
    struct jpeg_error_mgr pub;
    jmp_buf jump;
    tf_ctx *ctx;
    tf_status status; /* what longjmp means */
    int warnings;
    int reading_icc; /* warnings now are about the profile */
    int code;        /* libjpeg's message code of the last error */
};

struct tf_jpeg_dec {
    struct jpeg_decompress_struct cinfo; /* first: callbacks cast from it */
    struct tf_jpeg_err err;
    struct jpeg_progress_mgr progress;
    int used; /* cinfo has read a file: it holds that file's tables */
    int max_scans;
    unsigned char *row; /* one CMYK scanline, reused */
    size_t row_cap;
    tf_skipac *skip;          /* the 1/8 entropy decoder; NULL: libjpeg's */
    tf_feed *feed;            /* the planes' feeder; NULL: no DC-only rewrite */
    const tf_planes *feeding; /* the source is a header to feed these to */
    const unsigned char *in;  /* what the decoder reads now */
    size_t in_len;
    tf_entropy entropy; /* how the last scan was decoded (for tests) */
    tf_bytes dc_stream; /* a progressive file without AC scans */
    tf_bytes dc_planes; /* its coefficients (path_dc_only_sequential.c) */
    tf_planes planes;   /* ... laid out */
    tf_bytes dc_seq;    /* ... and the header of a sequential JPEG to feed them to */
    tf_bytes embedded;  /* the EXIF thumbnail (path_embedded.c) */
};

/* The output colour space: grey stays grey, CMYK and YCCK are read as
 * CMYK (converted to RGB row by row); *channels of the result. */
tf_status tf_jpeg_choose_color(tf_ctx *ctx, j_decompress_ptr cinfo, int *channels);

/* A memory source, remembered so that it can be read again; feeding: the
 * source is a header to feed these planes to (NULL: a whole stream). */
void tf_jpeg_set_source(struct tf_jpeg_dec *dec, const unsigned char *data, size_t len,
                        const tf_planes *feeding);

/* Header, metadata and plan: everything up to choosing the scale. */
tf_status tf_jpeg_read_and_plan(tf_ctx *ctx, struct tf_jpeg_dec *dec, const tf_params *params,
                                tf_result *res, int *channels);

/* Decodes the rows into ctx->decoded (skip_ac: with the 1/8 entropy
 * decoder where it can); *gave_up = 1 when ours could not finish. */
tf_status tf_jpeg_decode_pixels(tf_ctx *ctx, struct tf_jpeg_dec *dec, int channels, int skip_ac,
                                int *gave_up);

/* The EMBEDDED path (jpeg/path_embedded.c): uses the EXIF thumbnail when
 * it fits (*used = 1), else restarts the decoder on the main image. */
tf_status tf_jpeg_try_embedded(tf_ctx *ctx, struct tf_jpeg_dec *dec, const unsigned char *src,
                               size_t len, const tf_params *params, tf_result *res, int *channels,
                               int *used);

#endif
