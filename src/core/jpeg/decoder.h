/* decoder.h - the JPEG decoder's state (libjpeg's object, its error
 * handler, our entropy decoders and buffers, the image being decoded),
 * shared by jpeg/decode.c, which owns it and the one setjmp, and the
 * decode paths that drive it from there (jpeg/path_embedded.c). Internal
 * to src/core/jpeg/. */
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
    int rows_clean;  /* every row decoded without a warning: an error now is one */
    int code;        /* libjpeg's message code of the last error */
};

/* The paths, chosen once per image by decode.c's choose_path(). */
typedef enum tf_jpeg_path {
    TF_JPEG_FULL,     /* libjpeg alone, at the planned scale */
    TF_JPEG_SKIP_AC,  /* 1/8, one sequential scan: path_skip_ac.c decodes it */
    TF_JPEG_DC_ONLY,  /* 1/8, progressive: the DC scans (path_dc_only_*.c) */
    TF_JPEG_EMBEDDED, /* the EXIF thumbnail (path_embedded.c), else the above */
} tf_jpeg_path;

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
    /* This image: */
    const unsigned char *image; /* the file (or its part before a tail) */
    size_t image_len;
    const tf_params *params;
    tf_result *res; /* scale_denom: the scale planned */
    tf_jpeg_path path;
    int progressive;    /* the file's frame */
    int channels;       /* of the decoded pixels */
    int fresh;          /* cinfo has just read the image's header, nothing since */
    int redone;         /* libjpeg decoded again where ours gave up (for tests) */
    int dc_only;        /* cinfo reads a DC-only rewrite: no block smoothing */
    size_t note_len;    /* ctx->note after the header: the notes that stay */
    tf_entropy entropy; /* how the last scan was decoded (for tests) */
    /* Buffers, kept from file to file: */
    tf_bytes dc_stream; /* a progressive file without AC scans */
    tf_bytes dc_planes; /* its coefficients (path_dc_only_sequential.c) */
    tf_planes planes;   /* ... laid out */
    tf_bytes dc_seq;    /* ... and the header of a sequential JPEG to feed them to */
    tf_bytes embedded;  /* the EXIF thumbnail (path_embedded.c) */
};

/* A step that calls libjpeg: run through tf_jpeg_run(), never nested. */
typedef tf_status (*tf_jpeg_step)(tf_ctx *ctx, struct tf_jpeg_dec *dec, void *arg);

/* Runs step under the decoder's one setjmp: a libjpeg error ends it with
 * the error's status (the message on ctx), the decoder aborted. */
tf_status tf_jpeg_run(tf_ctx *ctx, struct tf_jpeg_dec *dec, tf_jpeg_step step, void *arg);

/* The output colour space: grey stays grey, CMYK and YCCK are read as
 * CMYK (converted to RGB row by row); *channels of the result. */
tf_status tf_jpeg_choose_color(tf_ctx *ctx, j_decompress_ptr cinfo, int *channels);

/* A memory source, remembered so that it can be read again; feeding: the
 * source is a header to feed these planes to (NULL: a whole stream). */
void tf_jpeg_set_source(struct tf_jpeg_dec *dec, const unsigned char *data, size_t len,
                        const tf_planes *feeding);

/* Decodes the rows into ctx->decoded (skip_ac: with the 1/8 entropy
 * decoder where it can); *gave_up = 1 when ours could not finish. Inside
 * a step. */
tf_status tf_jpeg_decode_pixels(tf_ctx *ctx, struct tf_jpeg_dec *dec, int channels, int skip_ac,
                                int *gave_up);

/* The EMBEDDED path (jpeg/path_embedded.c): decodes the EXIF thumbnail and
 * uses it when it fits (*used = 1); else says why in a note (or fails,
 * under embedded_only), and the main image is decoded. Not inside a step:
 * it runs its own. */
tf_status tf_jpeg_try_embedded(tf_ctx *ctx, struct tf_jpeg_dec *dec, int *used);

#endif
