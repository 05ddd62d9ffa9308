/* thumbify.h - the thumbify image core: compressed image in, thumbnail out.
 *
 * Contract
 * - Memory to memory: the core reads a caller-owned buffer and returns an
 *   encoded thumbnail in a buffer owned by the handle. It opens no files,
 *   prints nothing, never exits and keeps no global state.
 * - One tf_ctx per thread (or process). A handle keeps its decoder, encoder
 *   and pixel buffers between calls, so a worker that makes many thumbnails
 *   allocates once; it is not safe to share a handle between threads.
 * - Every call returns a tf_status. On anything but TF_OK, tf_message()
 *   says what failed and why, in lowercase, without the file name (the
 *   caller knows the name). After TF_OK, tf_message() holds the first
 *   warning when result.warnings > 0, else "".
 */
#ifndef THUMBIFY_H
#define THUMBIFY_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

#define TF_VERSION "0.1.0"

/* Default limit on decoded pixels (width * height as stored), as sharp. */
#define TF_DEFAULT_MAX_PIXELS 268435456ULL

typedef enum tf_status {
    TF_OK = 0,
    TF_E_INVALID, /* bad parameters from the caller */
    TF_E_NOMEM,   /* an allocation failed */
    TF_E_FORMAT,  /* not an image format the core reads */
    TF_E_DECODE,  /* corrupt, truncated beyond use, or unsupported data */
    TF_E_LIMIT,   /* the image exceeds a configured limit */
    TF_E_ENCODE,  /* the thumbnail could not be encoded */
    TF_E_NOT_EMBEDDED /* embedded_only: no usable EXIF thumbnail (not an error
                         of the file: decode all of it without embedded_only) */
} tf_status;

typedef enum tf_format {
    TF_FORMAT_SAME = 0, /* as the source: JPEG -> JPEG, PNG -> PNG */
    TF_FORMAT_JPEG,
    TF_FORMAT_PNG,
    TF_FORMAT_WEBP /* lossy (quality applies); lossless with alpha kept for an
                      image with alpha */
} tf_format;

/* How the pixels were obtained. */
typedef enum tf_path {
    TF_PATH_FULL = 0, /* the whole image decoded (DCT-scaled for JPEG) */
    TF_PATH_DC_ONLY,  /* progressive JPEG: only its DC scans decoded */
    TF_PATH_EMBEDDED  /* the EXIF thumbnail stood in for the image */
} tf_path;

/* How a thumbnail meets its box. */
typedef enum tf_fit {
    TF_FIT_INSIDE = 0, /* the whole image, fitting inside the box */
    TF_FIT_CROP        /* fills the box exactly: the centred region of the
                          upright image with the box's aspect ratio (a
                          source smaller than the box on a side keeps that
                          side: never upscaled) */
} tf_fit;

/* Most boxes tf_thumbnails makes from one decode. */
#define TF_MAX_BOXES 8

typedef struct tf_box {
    int w, h;
} tf_box;

typedef struct tf_params {
    int box_w, box_h;              /* the thumbnail fits this box (>= 1 each) */
    tf_fit fit;                    /* inside the box, or filling it */
    int quality;                   /* JPEG and lossy WebP quality 1..100 */
    tf_format format;              /* output format */
    unsigned long long max_pixels; /* refuse larger images before decoding */
    int max_scans;                 /* refuse progressive files with more scans */
    int use_embedded;              /* allow TF_PATH_EMBEDDED (may be stale) */
    int embedded_only;             /* with use_embedded: never decode the main
                                      image. src may be just the start of the
                                      file (the headers before the first
                                      scan). TF_OK only with the EXIF
                                      thumbnail; TF_E_NOT_EMBEDDED when it
                                      cannot stand in or the headers are cut
                                      or damaged; any other status is what
                                      the (maybe cut) bytes gave: the file's
                                      real status comes from decoding all of
                                      it without embedded_only. */
    const char *comment;           /* stored in the thumbnail (JPEG COM marker,
                                      PNG tEXt "Comment" right after IHDR,
                                      WebP XMP dc:description at the end of
                                      the file), or NULL; at most 1000 bytes */
} tf_params;

typedef struct tf_result {
    int src_w, src_h; /* the image as stored in the file */
    int orientation;  /* EXIF orientation applied, 1..8 */
    int scale_denom;  /* DCT-domain reduction used: 1, 2, 4 or 8 */
    tf_path path;
    int out_w, out_h;          /* the thumbnail, upright */
    tf_format format;          /* TF_FORMAT_JPEG, _PNG or _WEBP */
    int warnings;              /* recoverable damage seen while decoding */
    const char *note;          /* for verbose output: what was done about
                                  colour profiles; "" when nothing */
    const unsigned char *data; /* encoded thumbnail; data and note are */
    size_t size;               /* owned by the handle, valid until the
                                  next call or tf_free() */
} tf_result;

typedef struct tf_ctx tf_ctx;

/* Fills *p with the defaults: 75x75 box, quality 85, same format, default
 * limits, no embedded thumbnails. */
void tf_params_default(tf_params *p);

/* Returns a new handle, or NULL when memory is exhausted. */
tf_ctx *tf_new(void);
void tf_free(tf_ctx *ctx);

/* Decodes src[0..len) (JPEG or PNG, told apart by content), applies its
 * EXIF orientation, downscales it by area averaging to fit the box (never
 * upscaling), converts an embedded ICC profile's colours to sRGB and encodes
 * the result into *out. JPEG output of an image with alpha is composited
 * over white; WebP output of one is lossless, alpha kept. */
tf_status tf_thumbnail(tf_ctx *ctx, const void *src, size_t len, const tf_params *params,
                       tf_result *out);

/* What tf_thumbnail would give for src, from its headers alone, without
 * decoding a pixel: src_w, src_h, orientation, out_w, out_h and format;
 * data is NULL. src may be just the start of the file, as long as it holds
 * the headers before the image data (else an error: try all of it). The
 * same statuses as tf_thumbnail for what the headers show (TF_E_FORMAT,
 * TF_E_LIMIT, TF_E_DECODE). */
tf_status tf_probe(tf_ctx *ctx, const void *src, size_t len, const tf_params *params,
                   tf_result *out);

/* tf_probe for n boxes (as tf_thumbnails takes them): out[i].out_w and
 * out_h for boxes[i], the rest shared. One read of the headers gives the
 * size of every box, the orientation applied as tf_thumbnails does. */
tf_status tf_probes(tf_ctx *ctx, const void *src, size_t len, const tf_params *params,
                    const tf_box *boxes, int n, tf_result *out);

/* tf_thumbnail for n boxes (1..TF_MAX_BOXES; params->box_w/h unused) from
 * one decode, at the DCT scale the most demanding box needs, each
 * thumbnail an area average of that decode: out[i] for boxes[i]. The
 * results share src_w/h, orientation, scale_denom, path and warnings;
 * each out[i].data is owned by the handle until the next call. */
tf_status tf_thumbnails(tf_ctx *ctx, const void *src, size_t len, const tf_params *params,
                        const tf_box *boxes, int n, tf_result *out);

/* The message of the last call (see the contract above). Never NULL. */
const char *tf_message(const tf_ctx *ctx);

/* A short lowercase name for a status, e.g. "decode error". */
const char *tf_status_str(tf_status status);

/* "jpg" / "png" / "webp" for a format: the file name extension for its
 * output. */
const char *tf_format_ext(tf_format format);

/* "full", "dc-only", "embedded". */
const char *tf_path_str(tf_path path);

/* Geometry, exposed for callers and tests.
 * tf_fit_box: the thumbnail size for a w x h image and a box: scale
 * s = min(box_w/w, box_h/h), capped at 1 (never upscale), each side
 * round(side*s) and at least 1. Returns TF_E_INVALID for sizes < 1. */
tf_status tf_fit_box(int w, int h, int box_w, int box_h, int *out_w, int *out_h);

/* tf_crop_box: for TF_FIT_CROP, the thumbnail size and the region of the
 * upright w x h image it averages: the box's aspect ratio, centred
 * (rounded), as large as fits; a side of the image shorter than the box's
 * is kept whole, not upscaled. *out_w x *out_h = min(box, image) per side;
 * region (*rx, *ry) + *rw x *rh, in upright pixels. TF_E_INVALID for sizes
 * < 1. */
tf_status tf_crop_box(int w, int h, int box_w, int box_h, int *out_w, int *out_h, int *rx, int *ry,
                      int *rw, int *rh);

/* The largest libjpeg scale_denom d in {8,4,2} for which the image's
 * extent at 1/d, w/d x h/d, is still at least twice out_w x out_h (the
 * thumbnail is then an area average over two or more decoded pixels per
 * side, where the errors of DCT scaling average out); 1 when none is. */
int tf_scale_denom(int w, int h, int out_w, int out_h);

#ifdef __cplusplus
}
#endif
#endif
