/* png_decode.c - PNG to pixels with libpng's row API, from memory.
 *
 * libpng expands palettes, tRNS, low bit depths and 16-bit samples (scaled
 * with rounding), applies the file's gamma and deinterlaces Adam7, so every
 * PNG arrives as 8-bit sRGB-encoded grey or RGB, with alpha when the file
 * has any transparency. These are the transforms of libpng's simplified
 * API, which this file used before (the same pixels), but its
 * png_image_finish_read gets 16-bit Adam7 wrong (libpng 1.6.39), cuts
 * messages at 64 characters and keeps nothing of a truncated file.
 *
 * A file whose image data ends early keeps what was decoded, as a
 * truncated JPEG does: rows never decoded are the mid-grey libjpeg gives
 * missing JPEG data, so the damage shows and the thumbnail keeps its
 * shape; an interlaced file keeps its earlier passes (libpng's "display"
 * rows replicate each pass's pixels over the pixels later passes would
 * have filled), a coarser but whole picture, as a cut progressive JPEG.
 *
 * In two calls, as the JPEG decoder: tf_png_header() reads the header,
 * thumbnail.c plans, tf_png_decode() decodes the rows; libpng's state
 * lives in between on the handle (ctx->png). libpng's error function must
 * not return: ours longjmps back into guarded(), the only function that
 * calls setjmp, which both steps run through. */
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <png.h>

#include "internal.h"
#include "png_chunks.h"

/* One file's decode, from its header to its last row. */
typedef struct tf_png_dec {
    tf_ctx *ctx;
    png_structp png;
    png_infop info;
    const unsigned char *src;
    size_t len, pos;
    int ran_out; /* the read function reached the end of src */
    int in_rows; /* the header was read; rows are being decoded */
    int interlaced, passes;
    unsigned long calls; /* png_read_row calls done, all passes together */
    int warnings;        /* damage seen, harmless warnings not counted */
    char error[TF_MSG_MAX];
} png_run;

/* libpng warnings that are not damage: they go to the verbose note and
 * --strict passes the file. Matched at the end of the message, after the
 * chunk name (the profile's name, in between, is the file's own text). */
static const struct {
    const char *chunk, *reason;
} k_harmless[] = {
    /* The ICC header's PCS illuminant must be D50; Photoshop and other
     * writers store it rounded differently. LittleCMS converts through D50
     * whatever the header says, so the colours are the profile's. */
    {"iCCP", "PCS illuminant is not D50"},
    /* Early HP/Microsoft sRGB profiles with a D65 media white point: the
     * relative intent thumbify converts with never reads it (LittleCMS
     * takes D50 for a v2 display profile), so they convert as sRGB. */
    {"iCCP", "known incorrect sRGB profile"},
    /* A genuine sRGB profile from before profiles carried an MD5 ID. */
    {"iCCP", "out-of-date sRGB profile with no signature"},
    /* libpng will not take an altered sRGB profile for sRGB; LittleCMS
     * converts with it as it is. */
    {"iCCP", "Not recognizing known sRGB profile that has been edited"},
};

static int harmless(const char *text)
{
    size_t n = strlen(text);
    for (size_t i = 0; i < sizeof k_harmless / sizeof k_harmless[0]; i++) {
        size_t r = strlen(k_harmless[i].reason);
        if (strncmp(text, k_harmless[i].chunk, 4) == 0 && text[4] == ':' && n >= r &&
            strcmp(text + n - r, k_harmless[i].reason) == 0)
            return 1;
    }
    return 0;
}

/* libpng's text, lowercased like every core message except where it
 * starts with an acronym or a chunk name ("IDAT: CRC error", "iCCP: ..."). */
static void lowered(char *buf, size_t cap, const char *text)
{
    snprintf(buf, cap, "%s", text);
    if (buf[0] >= 'A' && buf[0] <= 'Z' && !(buf[1] >= 'A' && buf[1] <= 'Z'))
        buf[0] = (char)(buf[0] - 'A' + 'a');
}

static void on_warning(png_structp png, png_const_charp text)
{
    png_run *run = png_get_error_ptr(png);
    char msg[TF_MSG_MAX];
    lowered(msg, sizeof msg, text);
    if (harmless(text))
        tf_note(run->ctx, "%s", msg);
    else if (run->warnings++ == 0)
        tf_fail(run->ctx, TF_OK, "%s", msg); /* the first warning is kept */
}

static void on_error(png_structp png, png_const_charp text)
{
    png_run *run = png_get_error_ptr(png);
    lowered(run->error, sizeof run->error, text);
    png_longjmp(png, 1);
}

static void on_read(png_structp png, png_bytep out, size_t n)
{
    png_run *run = png_get_io_ptr(png);
    if (n > run->len - run->pos) {
        run->ran_out = 1;
        png_error(png, "premature end of PNG file");
    }
    memcpy(out, run->src + run->pos, n);
    run->pos += n;
}

/* As libpng's simplified reader: only the chunks that change the pixels
 * are parsed (PLTE and tRNS always are). Others are stepped over, their
 * CRC still checked; iCCP and eXIf are read by png_chunks.c as well. */
static void skip_unused_chunks(png_structp png)
{
    static const png_byte keep[] = "bKGD\0cHRM\0gAMA\0iCCP\0sBIT\0sRGB";
    png_set_keep_unknown_chunks(png, PNG_HANDLE_CHUNK_NEVER, NULL, -1);
    png_set_keep_unknown_chunks(png, PNG_HANDLE_CHUNK_AS_DEFAULT, keep, (int)sizeof keep / 5);
}

/* 8-bit grey or RGB, alpha kept, sRGB-encoded: the simplified reader's
 * transforms for those formats, with 16-bit files taken as sRGB-encoded
 * when they say nothing (as every viewer shows them; libpng's simplified
 * reader would take them as linear). Returns the channels. */
static int set_transforms(png_run *run)
{
    png_set_expand(run->png);
    png_set_alpha_mode_fixed(run->png, PNG_ALPHA_PNG, PNG_DEFAULT_sRGB); /* the file's default */
    png_set_scale_16(run->png);
    png_set_alpha_mode_fixed(run->png, PNG_ALPHA_PNG, PNG_DEFAULT_sRGB); /* the output */
    run->passes = png_set_interlace_handling(run->png);
    run->interlaced = png_get_interlace_type(run->png, run->info) != PNG_INTERLACE_NONE;
    png_read_update_info(run->png, run->info);
    return png_get_channels(run->png, run->info);
}

/* Every row of every pass, into the "display" argument: each pass's
 * pixels also cover the ones later passes replace, so a pass that never
 * comes leaves the earlier ones' coarser picture, not holes. */
static void read_rows(png_run *run, tf_image *img)
{
    size_t stride = (size_t)img->w * (size_t)img->channels;
    for (int pass = 0; pass < run->passes; pass++)
        for (int y = 0; y < img->h; y++, run->calls++)
            png_read_row(run->png, NULL, img->px + stride * (size_t)y);
}

/* The header (a step of guarded()): size, and libpng's checks of the
 * chunks before the image data. */
static tf_status read_header(png_run *run, tf_result *res)
{
    png_set_read_fn(run->png, run, on_read);
    skip_unused_chunks(run->png);
    png_read_info(run->png, run->info);
    png_uint_32 w = png_get_image_width(run->png, run->info);
    png_uint_32 h = png_get_image_height(run->png, run->info);
    if (w > 0x7fffffff || h > 0x7fffffff)
        return tf_fail(run->ctx, TF_E_LIMIT, "image is %ux%u pixels", w, h);
    res->src_w = (int)w;
    res->src_h = (int)h;
    res->scale_denom = 1; /* no DCT to scale with */
    return TF_OK;
}

/* The rows (a step of guarded()). */
static tf_status decode_rows(png_run *run, tf_result *res)
{
    tf_ctx *ctx = run->ctx;
    int channels = set_transforms(run);
    tf_status st = tf_image_reserve(ctx, &ctx->decoded, res->src_w, res->src_h, channels);
    if (st != TF_OK)
        return st;
    run->in_rows = 1;
    read_rows(run, &ctx->decoded);
    return TF_OK;
}

/* Rows from y down: mid-grey, opaque. */
static void fill_grey(tf_image *img, int y)
{
    size_t stride = (size_t)img->w * (size_t)img->channels;
    unsigned char *p = img->px + stride * (size_t)y;
    memset(p, 128, stride * (size_t)(img->h - y));
    if (img->channels == 2 || img->channels == 4)
        for (unsigned char *a = p + img->channels - 1; a < img->px + stride * (size_t)img->h;
             a += img->channels)
            *a = 255;
}

/* Whether libpng got past the last row before the data ended: it was
 * reading the end of the compressed stream. */
static int past_last_row(const png_run *run, int h)
{
    return run->interlaced ? png_get_current_pass_number(run->png) >= 7
                           : png_get_current_row_number(run->png) >= (png_uint_32)h;
}

/* The image data ended early (the file is cut, or its IDAT chunks stop
 * short): keep what was decoded, with a warning. Rows hold decoded pixels
 * from the top down to the cut, all of them once past the first pass.
 * Nothing decoded fails. */
static tf_status keep_decoded(png_run *run)
{
    tf_image *img = &run->ctx->decoded;
    int whole = past_last_row(run, img->h);
    int rows = whole || run->calls >= (unsigned long)img->h ? img->h : (int)run->calls;
    int pass = (int)(run->calls / (unsigned long)img->h) + 1;
    char what[TF_MSG_MAX];
    if (rows == 0)
        return tf_fail(run->ctx, TF_E_DECODE, "cannot decode the PNG: %s before any row",
                       run->error);
    if (whole)
        snprintf(what, sizeof what, "after every row was decoded");
    else if (rows < img->h)
        snprintf(what, sizeof what, "%d of %d rows decoded%s, the rest is grey", rows, img->h,
                 run->interlaced ? " (Adam7 pass 1, at 1/8 detail)" : "");
    else
        snprintf(what, sizeof what, "Adam7 pass %d of 7 cut short, the earlier passes fill in",
                 pass);
    if (rows < img->h)
        fill_grey(img, rows);
    if (run->warnings++ == 0)
        tf_fail(run->ctx, TF_OK, "%s: %s", run->error, what);
    return TF_OK;
}

/* The one setjmp. Only run's fields (in memory, not registers) are read
 * after a longjmp. */
__attribute__((noinline)) static tf_status
guarded(png_run *run, tf_status (*step)(png_run *, tf_result *), tf_result *res)
{
    if (setjmp(png_jmpbuf(run->png))) {
        /* libpng's own words for IDAT chunks that stop short */
        if (run->in_rows && (run->ran_out || strcmp(run->error, "not enough image data") == 0))
            return keep_decoded(run);
        return tf_fail(run->ctx, TF_E_DECODE, "cannot %s the PNG: %s",
                       run->in_rows ? "decode" : "read", run->error);
    }
    return step(run, res);
}

void tf_png_dec_free(png_run *run)
{
    if (run)
        png_destroy_read_struct(&run->png, &run->info, NULL);
    free(run);
}

/* libpng's state for a new file (the last one's, if any, destroyed). */
static tf_status begin(tf_ctx *ctx, const unsigned char *src, size_t len, size_t idat_cut)
{
    tf_png_dec_free(ctx->png);
    png_run *run = ctx->png = calloc(1, sizeof *run);
    if (run) {
        *run = (png_run){.ctx = ctx, .src = src, .len = len};
        run->png = png_create_read_struct(PNG_LIBPNG_VER_STRING, run, on_error, on_warning);
        run->info = run->png ? png_create_info_struct(run->png) : NULL;
    }
    if (!run || !run->info)
        return tf_fail(ctx, TF_E_NOMEM, "out of memory for the PNG decoder");
    /* libpng reads IDAT data in pieces of this size (8 KiB by default)
     * and a piece the file cannot fill is lost whole: in a file cut inside
     * an IDAT chunk, make the piece end where the file does. */
    if (idat_cut > 0 && idat_cut <= PNG_UINT_31_MAX)
        png_set_compression_buffer_size(run->png, idat_cut);
    return TF_OK;
}

/* libpng's state goes as soon as it is no longer needed. */
static tf_status end(tf_ctx *ctx, tf_status st, tf_result *res)
{
    res->warnings = ctx->png ? ctx->png->warnings : 0;
    tf_png_abort(ctx);
    return st;
}

void tf_png_abort(tf_ctx *ctx)
{
    tf_png_dec_free(ctx->png);
    ctx->png = NULL;
}

tf_status tf_png_header(tf_ctx *ctx, const unsigned char *src, size_t len, tf_result *res)
{
    tf_png_facts facts;
    tf_status st = tf_png_chunks(ctx, src, len, &facts);
    if (st != TF_OK)
        return st;
    res->orientation = facts.orientation;
    st = begin(ctx, src, len, facts.idat_cut);
    if (st == TF_OK)
        st = guarded(ctx->png, read_header, res);
    if (st != TF_OK)
        return end(ctx, st, res);
    res->warnings = ctx->png->warnings;
    return st;
}

tf_status tf_png_decode(tf_ctx *ctx, tf_result *res)
{
    return end(ctx, guarded(ctx->png, decode_rows, res), res);
}
