/* internal.h - the handle and the steps of the pipeline, private to the core.
 * Each step reports failure through tf_fail(), which records the message on
 * the handle and returns the status, so callers can write
 * `return tf_fail(ctx, TF_E_NOMEM, "...")`. */
#ifndef THUMBIFY_INTERNAL_H
#define THUMBIFY_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "thumbify.h"

/* Room for every message whole: libjpeg's and libpng's own texts are
 * under 200 characters (their buffers: JMSG_LENGTH_MAX, libpng's 196 plus
 * a chunk name), and what the core adds around one is short. Notes can
 * gather several of libpng's. */
#define TF_MSG_MAX 256
#define TF_NOTE_MAX 1024

/* A raster: 8-bit samples, rows packed. channels: 1 grey, 2 grey+alpha,
 * 3 RGB, 4 RGBA (alpha last, not premultiplied). */
typedef struct tf_image {
    unsigned char *px;
    size_t cap; /* bytes allocated at px */
    int w, h, channels;
    /* The source extent the pixels stand for, in pixels: w x h, except
     * after DCT scaling, where a partial last block gives a last column
     * (row) that stands for a fraction of one (450 rows at 1/8: 57 rows,
     * 56.25 of them image). tf_image_reserve sets w x h. */
    double ext_w, ext_h;
    /* Where that extent starts (0 but for a crop, which averages only a
     * region of the decoded pixels). tf_image_reserve sets 0. */
    double org_x, org_y;
} tf_image;

/* One thumbnail of a call: its size upright, the same in the stored
 * orientation (what is resized to before turning), and the region of the
 * source, in stored pixels, that it averages (the whole image but for
 * TF_FIT_CROP). */
typedef struct tf_box_plan {
    int out_w, out_h, rs_w, rs_h;
    int rx, ry, rw, rh;
} tf_box_plan;

/* A growable byte buffer owned by the handle. */
typedef struct tf_bytes {
    unsigned char *data;
    size_t len, cap;
} tf_bytes;

/* Coefficients decoded ahead of libjpeg (jpeg/path_dc_only_sequential.c), per component in
 * frame order: a DC per block, pw x ph blocks (whole MCUs); for components
 * scaled with a 2x2 IDCT at 1/8 also 64 coefficients per block (zigzag
 * order), valid where the block's bit in nz is set. */
typedef struct tf_plane {
    const int16_t *dc;
    const int16_t *coef; /* NULL: DC only */
    const uint64_t *nz;
    int pw, ph;
} tf_plane;

typedef struct tf_planes {
    int n;
    tf_plane c[4];
} tf_planes;

/* Which Huffman decoder read a JPEG's scan. */
typedef enum tf_entropy {
    TF_ENTROPY_LIBJPEG = 0, /* libjpeg's own */
    TF_ENTROPY_SKIPAC,      /* jpeg/path_skip_ac.c, to the end */
    TF_ENTROPY_REDONE,      /* jpeg/path_skip_ac.c gave up; libjpeg decoded it again */
    TF_ENTROPY_FED          /* none: jpeg/path_dc_only_feed.c gave libjpeg the planes */
} tf_entropy;

/* What became of ctx->profile in this call: the decoder of a CMYK image
 * decides, and once only, even when it decodes the image again. */
typedef enum tf_profile_state {
    TF_PROFILE_PENDING = 0,
    TF_PROFILE_APPLIED, /* the pixels are sRGB now */
    TF_PROFILE_DROPPED  /* unusable for these pixels (a note says why) */
} tf_profile_state;

struct tf_ctx {
    char msg[TF_MSG_MAX];    /* the failure, or the first warning */
    char note[TF_NOTE_MAX];  /* verbose-only remarks (tf_result.note) */
    struct tf_jpeg_dec *dec; /* each created on first use, then reused */
    struct tf_png_dec *png;
    struct tf_jpeg_enc *enc;
    struct tf_icc *icc;
    tf_image decoded, resized, oriented;
    tf_bytes profile; /* the source's ICC profile, if any */
    tf_profile_state profile_state;
    tf_bytes png_out;
    tf_bytes webp_out;   /* the WebP file being written (webp_encode.c) */
    tf_bytes webp_px;    /* grey pixels widened to RGB(A) for libwebp */
    tf_bytes resize_tmp; /* resize.c's weights and filtered rows */
    int probe_only;      /* tf_probe: tf_plan ends the decode with TF_PROBED */
    tf_box boxes[TF_MAX_BOXES]; /* this call's boxes (tf_thumbnails) */
    int nboxes;
    tf_box_plan plan[TF_MAX_BOXES]; /* ... planned by tf_plan */
    tf_bytes outs[TF_MAX_BOXES];    /* their encoded thumbnails, when several */
};

/* What tf_plan returns under probe_only, once res->out_w/out_h are set: a
 * status tf_decode returns before any pixel is decoded, and that tf_probe
 * alone turns into TF_OK. */
#define TF_PROBED ((tf_status)100)

tf_status tf_fail(tf_ctx *ctx, tf_status st, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Appends a remark to ctx->note ("; " between remarks). */
void tf_note(tf_ctx *ctx, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Makes img hold w x h x channels, reusing its buffer when large enough. */
tf_status tf_image_reserve(tf_ctx *ctx, tf_image *img, int w, int h, int channels);
void tf_image_release(tf_image *img);
tf_status tf_bytes_reserve(tf_ctx *ctx, tf_bytes *b, size_t cap);
/* Appends n bytes within b's capacity: 0, or -1 when they do not fit. */
int tf_bytes_append(tf_bytes *b, const void *p, size_t n);

/* Whether EXIF orientation o (5..8) turns the image a quarter, so that
 * the stored width is the upright height. */
static inline int tf_orient_turns(int o)
{
    return o >= 5 && o <= 8;
}

/* Plans ctx->plan[0 .. ctx->nboxes) for a source of res->src_w x
 * res->src_h with res->orientation, after checking params->max_pixels;
 * sets res->out_w/out_h to the first box's thumbnail. Under ctx->probe_only
 * it returns TF_PROBED. */
tf_status tf_plan(tf_ctx *ctx, const tf_params *params, tf_result *res);

/* The DCT scale for decoding a w x h rendition of the source (the source
 * itself, or its EXIF thumbnail): the smallest tf_scale_denom any planned
 * box needs over its region, scaled to that rendition. */
int tf_plan_denom(const tf_ctx *ctx, const tf_result *res, int w, int h);

/* Whether a w x h rendition of the source has at least each box's stored
 * size of pixels in its region. */
int tf_plan_fits(const tf_ctx *ctx, const tf_result *res, int w, int h);

/* Decodes src into ctx->decoded (stored orientation), ctx->profile and
 * res (src_w/h, orientation, scale_denom, path, out_w/h, warnings): the
 * decoder reads the header, tf_plan plans from it (once; under probe_only
 * that is the end: TF_PROBED), the decoder decodes at the scale planned.
 * *natural: the source's format. */
tf_status tf_decode(tf_ctx *ctx, const unsigned char *src, size_t len, const tf_params *params,
                    tf_result *res, tf_format *natural);

/* Each decoder in two calls: the header (res->src_w/h, orientation,
 * warnings), then, after tf_plan, the pixels at res->scale_denom. */
tf_status tf_jpeg_header(tf_ctx *ctx, const unsigned char *src, size_t len, const tf_params *params,
                         tf_result *res);
tf_status tf_jpeg_decode(tf_ctx *ctx, const tf_params *params, tf_result *res);
void tf_jpeg_dec_free(struct tf_jpeg_dec *dec);
/* How the last JPEG's scan was decoded (for tests). */
tf_entropy tf_jpeg_entropy(const tf_ctx *ctx);

/* Whether libjpeg-turbo scales a component sampled h x v in a frame whose
 * largest factors are maxh x maxv with a 2x2 (or larger) IDCT at 1/8, as
 * jdmaster.c picks IDCT sizes: subsampled 2x2 against the largest (4:2:0
 * chroma). Such a component needs its AC coefficients at 1/8. */
static inline int tf_jpeg_idct_2x2(int maxh, int maxv, int h, int v)
{
    return h && v && maxh % (2 * h) == 0 && maxv % (2 * v) == 0;
}

/* Copies a progressive JPEG without its AC scans (spectral start > 0) into
 * *out and sets *stripped; *stripped = 0 when src is not progressive or
 * has a layout the copy does not follow (then decode src itself). *scans:
 * the scans the original has, so that the scan limit still applies. */
tf_status tf_jpeg_strip_ac(tf_ctx *ctx, const unsigned char *src, size_t len, tf_bytes *out,
                           int *stripped, int *scans);

/* Where the image data of the JPEG src[0..len) ends when a marker that
 * has no place in an image follows its scans (a second SOI, as when
 * another JPEG was appended to one cut short, or an unknown marker): the
 * offset of that marker, after at least one scan. 0 when the stream ends
 * with EOI, is cut short, or has a layout the walk does not follow. */
size_t tf_jpeg_image_end(const unsigned char *src, size_t len);

/* Decodes a DC-only progressive JPEG (tf_jpeg_strip_ac's output: AC scans
 * only for components scaled with a 2x2 IDCT at 1/8) into *planes (their
 * memory in *coefs), and writes into *out the header of a sequential JPEG
 * with the same frame and one scan with no data: libjpeg reads that, and
 * jpeg/path_dc_only_feed.c hands it the planes' blocks, to the same pixels at 1/8 as
 * the progressive decode without a whole-image coefficient buffer.
 * *done = 0 when src is anything it does not decode exactly, or its frame
 * has more than max_pixels pixels: then decode src itself. */
tf_status tf_jpeg_dc_sequential(tf_ctx *ctx, const unsigned char *src, size_t len,
                                unsigned long long max_pixels, tf_bytes *out, tf_bytes *coefs,
                                tf_planes *planes, int *done);
tf_status tf_png_header(tf_ctx *ctx, const unsigned char *src, size_t len, tf_result *res);
tf_status tf_png_decode(tf_ctx *ctx, tf_result *res);
void tf_png_dec_free(struct tf_png_dec *png);
/* libpng's state after tf_png_header, let go where no decode follows (a
 * probe, a plan that failed): it points into the caller's buffer. */
void tf_png_abort(tf_ctx *ctx);

/* Area-averages src's extent (src->ext_w x src->ext_h from (src->org_x,
 * src->org_y)) into dst at dst->w x dst->h (set by the caller): each output
 * pixel the exact mean of the source area it covers, within rounding,
 * colour weighted by alpha when there is an alpha channel. */
tf_status tf_resize(tf_ctx *ctx, const tf_image *src, tf_image *dst);

/* Converts img (RGB or RGBA) in place from ctx->profile to sRGB; a profile
 * that cannot be used is dropped with a note, never an error. Runs on the
 * decoded image, before averaging: averaging in the profile's space and
 * converting the means is wrong for any non-linear profile. Nothing to do
 * once the decoder dealt with the profile (ctx->profile_state). */
tf_status tf_icc_to_srgb(tf_ctx *ctx, tf_image *img);
/* CMYK through a CMYK profile (inverted: Adobe's 0 = full ink): returns 1
 * when ctx->profile is a usable CMYK profile (profile_state APPLIED), then
 * tf_icc_cmyk_row converts rows of w pixels to RGB; 0 when the caller
 * converts without one (the profile, if any, DROPPED with a note). */
int tf_icc_cmyk_begin(tf_ctx *ctx, int inverted, tf_status *st);
void tf_icc_cmyk_row(tf_ctx *ctx, const unsigned char *cmyk, unsigned char *rgb, int w);
void tf_icc_free(struct tf_icc *icc);

/* The rectangle of a stored image (stored_w x stored_h) that shows as the
 * upright rectangle (*x, *y) + *w x *h under EXIF orientation o: the
 * same rectangle, mirrored and/or transposed, in place. */
void tf_orient_rect(int o, int stored_w, int stored_h, int *x, int *y, int *w, int *h);

/* dst = src turned upright for EXIF orientation 1..8. */
tf_status tf_orient(tf_ctx *ctx, const tf_image *src, tf_image *dst, int orientation);

/* Crops rows and columns of near-black from the edges of img, in place:
 * the letterbox bars some cameras put around the EXIF thumbnail. An image
 * that is black all over is left as it is. */
void tf_trim_black_bars(tf_image *img);

/* Drops the alpha channel of img in place, compositing over white. */
void tf_flatten(tf_image *img);

/* Encoders: data and size point into a buffer owned by the handle;
 * comment (or NULL) is stored as a COM marker / tEXt chunk / XMP chunk. */
tf_status tf_jpeg_encode(tf_ctx *ctx, const tf_image *img, int quality, const char *comment,
                         const unsigned char **data, size_t *size);
void tf_jpeg_enc_free(struct tf_jpeg_enc *enc);
tf_status tf_png_encode(tf_ctx *ctx, const tf_image *img, const char *comment,
                        const unsigned char **data, size_t *size);
tf_status tf_webp_encode(tf_ctx *ctx, const tf_image *img, int quality, const char *comment,
                         const unsigned char **data, size_t *size);

#endif
