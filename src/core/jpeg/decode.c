/* decode.c - JPEG to pixels with libjpeg-turbo, from memory, in two calls:
 * tf_jpeg_header() reads the size and orientation, thumbnail.c plans from
 * them, and tf_jpeg_decode() decodes at the scale planned, by the one path
 * choose_path() picks (docs/architecture.md): EMBEDDED (path_embedded.c),
 * DC_ONLY for a progressive file at 1/8 (path_dc_only_*.c), SKIP_AC for a
 * sequential one at 1/8 (path_skip_ac.c), else FULL, libjpeg alone.
 *
 * libjpeg reports fatal errors through error_exit, which must not return:
 * ours longjmps back into tf_jpeg_run(), the only setjmp, which every step
 * that calls libjpeg goes through, one at a time; so one bad file fails
 * alone and the decoder stays reusable (jpeg_abort_decompress keeps the
 * object and its permanent allocations). Between files libjpeg's object is
 * made again (dec_renew): it would keep the last file's tables; ours
 * (entropy decoders, buffers) are kept. */
#include <ctype.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jpeglib.h>
#include <jerror.h>

#include "decoder.h"
#include "exif.h"

/* libjpeg's messages start with a capital; ours are lowercase, except
 * for acronyms ("JPEG datastream contains no image"). */
static void format_lower(j_common_ptr cinfo, char *buf)
{
    (*cinfo->err->format_message)(cinfo, buf);
    if (!isupper((unsigned char)buf[1]))
        buf[0] = (char)tolower((unsigned char)buf[0]);
}

static void on_error_exit(j_common_ptr cinfo)
{
    struct tf_jpeg_err *err = (struct tf_jpeg_err *)cinfo->err;
    char buf[JMSG_LENGTH_MAX];
    format_lower(cinfo, buf);
    err->code = cinfo->err->msg_code;
    err->status = cinfo->err->msg_code == JERR_OUT_OF_MEMORY ? TF_E_NOMEM : TF_E_DECODE;
    if (err->status == TF_E_DECODE && err->rows_clean) { /* see finish() */
        err->warnings++;
        err->status = tf_fail(err->ctx, TF_OK, "%s, after every row was decoded", buf);
    } else
        tf_fail(err->ctx, err->status, "%s%s", err->status == TF_E_NOMEM ? "out of memory: " : "",
                buf);
    longjmp(err->jump, 1);
}

/* Level -1 is recoverable corruption; higher levels are traces. The first
 * warning is kept on the handle; later ones are only counted. */
static void on_emit_message(j_common_ptr cinfo, int level)
{
    struct tf_jpeg_err *err = (struct tf_jpeg_err *)cinfo->err;
    if (level >= 0)
        return;
    if (err->reading_icc) { /* a broken profile is dropped, not damage */
        char buf[JMSG_LENGTH_MAX];
        format_lower(cinfo, buf);
        tf_note(err->ctx, "ICC profile dropped: %s", buf);
        return;
    }
    if (err->warnings++ == 0) {
        char buf[JMSG_LENGTH_MAX];
        format_lower(cinfo, buf);
        snprintf(err->ctx->msg, sizeof err->ctx->msg, "%s", buf);
    }
}

/* A progressive file can hold thousands of tiny scans that each cost a pass
 * over the whole coefficient buffer: refuse it past max_scans. */
static void on_progress(j_common_ptr cinfo)
{
    struct tf_jpeg_dec *dec = (struct tf_jpeg_dec *)cinfo;
    if (dec->cinfo.input_scan_number > dec->max_scans) {
        tf_fail(dec->err.ctx, TF_E_LIMIT, "more than %d scans in a progressive JPEG",
                dec->max_scans);
        dec->err.status = TF_E_LIMIT;
        longjmp(dec->err.jump, 1);
    }
}

/* The one setjmp. Nothing here changes after setjmp but the decoder,
 * which libjpeg resets with jpeg_abort_decompress (a no-op on an object
 * jpeg_create_decompress could not make). */
__attribute__((noinline)) tf_status tf_jpeg_run(tf_ctx *ctx, struct tf_jpeg_dec *dec,
                                                tf_jpeg_step step, void *arg)
{
    if (setjmp(dec->err.jump)) {
        dec->err.rows_clean = 0;
        dec->fresh = 0;
        jpeg_abort_decompress(&dec->cinfo);
        return dec->err.status;
    }
    dec->err.code = 0; /* a libjpeg error of this step's, or none */
    return step(ctx, dec, arg);
}

/* jpeg_create_decompress can only fail by running out of memory, which
 * goes through error_exit. */
static tf_status create(tf_ctx *ctx, struct tf_jpeg_dec *dec, void *arg)
{
    (void)ctx, (void)arg;
    jpeg_create_decompress(&dec->cinfo);
    dec->cinfo.progress = &dec->progress;
    jpeg_save_markers(&dec->cinfo, JPEG_APP0 + 1, 0xffff); /* EXIF */
    jpeg_save_markers(&dec->cinfo, JPEG_APP0 + 2, 0xffff); /* ICC */
    return TF_OK;
}

static int dec_init(tf_ctx *ctx, struct tf_jpeg_dec *dec)
{
    return tf_jpeg_run(ctx, dec, create, NULL) == TF_OK ? 0 : -1;
}

static tf_status dec_get(tf_ctx *ctx, struct tf_jpeg_dec **out)
{
    if (!ctx->dec) {
        struct tf_jpeg_dec *dec = calloc(1, sizeof *dec);
        if (!dec)
            return tf_fail(ctx, TF_E_NOMEM, "out of memory for the JPEG decoder");
        dec->cinfo.err = jpeg_std_error(&dec->err.pub);
        dec->err.pub.error_exit = on_error_exit;
        dec->err.pub.emit_message = on_emit_message;
        dec->err.ctx = ctx;
        dec->progress.progress_monitor = on_progress;
        dec->skip = tf_skipac_new(); /* without them, libjpeg decodes alone */
        dec->feed = tf_feed_new();
        if (dec_init(ctx, dec) != 0) {
            tf_skipac_free(dec->skip);
            tf_feed_free(dec->feed);
            free(dec);
            return tf_fail(ctx, TF_E_NOMEM, "out of memory for the JPEG decoder");
        }
        ctx->dec = dec;
    }
    *out = ctx->dec;
    return TF_OK;
}

/* A decompressor as new for the next file. libjpeg keeps the Huffman and
 * quantisation tables a file defined in the object, and only tables never
 * defined count as missing: a file that defines none would be decoded
 * with the last file's (an MJPEG frame relying on the standard Huffman
 * tables gets another file's optimised ones; one without DQT decodes
 * instead of failing). Making it again costs well under a microsecond;
 * the tables of our own decoders (path_skip_ac.c) stay cached. */
static tf_status dec_renew(tf_ctx *ctx, struct tf_jpeg_dec *dec)
{
    if (!dec->used)
        return TF_OK;
    jpeg_destroy_decompress(&dec->cinfo); /* keeps cinfo.err */
    if (dec_init(ctx, dec) != 0)
        return tf_fail(ctx, TF_E_NOMEM, "out of memory for the JPEG decoder");
    dec->used = 0;
    return TF_OK;
}

void tf_jpeg_dec_free(struct tf_jpeg_dec *dec)
{
    if (!dec)
        return;
    jpeg_destroy_decompress(&dec->cinfo);
    tf_skipac_free(dec->skip);
    tf_feed_free(dec->feed);
    free(dec->row);
    free(dec->dc_stream.data);
    free(dec->dc_planes.data);
    free(dec->dc_seq.data);
    free(dec->embedded.data);
    free(dec);
}

tf_entropy tf_jpeg_entropy(const tf_ctx *ctx)
{
    if (!ctx->dec)
        return TF_ENTROPY_LIBJPEG;
    return ctx->dec->redone ? TF_ENTROPY_REDONE : ctx->dec->entropy;
}

/* Chooses the output colour space: grey stays grey, 4-component files
 * (CMYK, YCCK) are read as CMYK and converted by cmyk_row_to_rgb(). */
tf_status tf_jpeg_choose_color(tf_ctx *ctx, j_decompress_ptr cinfo, int *channels)
{
    switch (cinfo->num_components) {
    case 1:
        cinfo->out_color_space = JCS_GRAYSCALE;
        *channels = 1;
        return TF_OK;
    case 3:
        cinfo->out_color_space = JCS_RGB;
        *channels = 3;
        return TF_OK;
    case 4:
        cinfo->out_color_space = JCS_CMYK;
        *channels = 3;
        return TF_OK;
    default:
        return tf_fail(ctx, TF_E_DECODE, "unsupported number of colour components (%d)",
                       cinfo->num_components);
    }
}

/* Without a profile: Adobe applications write CMYK inverted (0 = full ink)
 * and mark it with an APP14 segment; plain CMYK is 0 = no ink. Both become
 * RGB = (1-C)(1-K)... */
static void cmyk_row_to_rgb(const unsigned char *cmyk, unsigned char *rgb, int w, int inverted)
{
    for (int x = 0; x < w; x++, cmyk += 4, rgb += 3) {
        unsigned k = inverted ? cmyk[3] : 255u - cmyk[3];
        for (int c = 0; c < 3; c++) {
            unsigned v = inverted ? cmyk[c] : 255u - cmyk[c];
            rgb[c] = (unsigned char)((v * k + 127) / 255);
        }
    }
}

static tf_status read_rows(tf_ctx *ctx, struct tf_jpeg_dec *dec, tf_image *img)
{
    j_decompress_ptr cinfo = &dec->cinfo;
    int cmyk = cinfo->out_color_space == JCS_CMYK;
    tf_status st = TF_OK;
    /* CMYK is converted row by row as it is read: through its profile
     * where it has a usable one, before any averaging. */
    int managed = cmyk && tf_icc_cmyk_begin(ctx, cinfo->saw_Adobe_marker, &st);
    if (st != TF_OK)
        return st;
    if (cmyk && dec->row_cap < (size_t)img->w * 4) {
        free(dec->row);
        dec->row_cap = (size_t)img->w * 4;
        dec->row = malloc(dec->row_cap);
        if (!dec->row) {
            dec->row_cap = 0;
            return tf_fail(ctx, TF_E_NOMEM, "out of memory for a scanline");
        }
    }
    size_t stride = (size_t)img->w * img->channels;
    while (cinfo->output_scanline < cinfo->output_height) {
        unsigned char *dst = img->px + stride * cinfo->output_scanline;
        JSAMPROW row = cmyk ? dec->row : dst;
        if (jpeg_read_scanlines(cinfo, &row, 1) != 1)
            return tf_fail(ctx, TF_E_DECODE, "decoder returned no scanline");
        if (managed)
            tf_icc_cmyk_row(ctx, dec->row, dst, img->w);
        else if (cmyk)
            cmyk_row_to_rgb(dec->row, dst, img->w, cinfo->saw_Adobe_marker);
    }
    return TF_OK;
}

/* EXIF orientation from the first APP1 that holds EXIF. */
static int read_orientation(j_decompress_ptr cinfo)
{
    for (jpeg_saved_marker_ptr m = cinfo->marker_list; m; m = m->next)
        if (m->marker == JPEG_APP0 + 1 && m->data_length >= 6 &&
            memcmp(m->data, "Exif\0\0", 6) == 0) {
            tf_exif exif;
            tf_exif_parse(m->data, m->data_length, &exif);
            return exif.orientation;
        }
    return 1;
}

/* The ICC profile, reassembled from its APP2 chunks by libjpeg-turbo (in
 * sequence order, whatever order they were stored in). */
static tf_status read_profile(tf_ctx *ctx, struct tf_jpeg_dec *dec)
{
    JOCTET *icc = NULL;
    unsigned int len = 0;
    ctx->profile.len = 0;
    dec->err.reading_icc = 1;
    boolean found = jpeg_read_icc_profile(&dec->cinfo, &icc, &len);
    dec->err.reading_icc = 0;
    if (!found)
        return TF_OK;
    tf_status st = tf_bytes_reserve(ctx, &ctx->profile, len);
    if (st == TF_OK) {
        memcpy(ctx->profile.data, icc, len);
        ctx->profile.len = len;
    }
    free(icc);
    return st;
}

/* A memory source, remembered so that it can be read again. */
void tf_jpeg_set_source(struct tf_jpeg_dec *dec, const unsigned char *data, size_t len,
                        const tf_planes *feeding)
{
    jpeg_mem_src(&dec->cinfo, data, (unsigned long)len);
    dec->in = data;
    dec->in_len = len;
    dec->feeding = feeding;
}

/* The header: what thumbnail.c plans from. */
static tf_status read_header(tf_ctx *ctx, struct tf_jpeg_dec *dec, void *arg)
{
    tf_result *res = arg;
    j_decompress_ptr cinfo = &dec->cinfo;
    tf_jpeg_set_source(dec, dec->image, dec->image_len, NULL);
    if (jpeg_read_header(cinfo, TRUE) != JPEG_HEADER_OK)
        return tf_fail(ctx, TF_E_DECODE, "JPEG datastream contains no image");
    res->src_w = (int)cinfo->image_width;
    res->src_h = (int)cinfo->image_height;
    res->orientation = read_orientation(cinfo);
    dec->progressive = cinfo->progressive_mode;
    dec->fresh = 1;
    return TF_OK;
}

tf_status tf_jpeg_header(tf_ctx *ctx, const unsigned char *src, size_t len, const tf_params *params,
                         tf_result *res)
{
    struct tf_jpeg_dec *dec = NULL;
    tf_status st = dec_get(ctx, &dec);
    if (st == TF_OK && (st = dec_renew(ctx, dec)) != TF_OK) {
        tf_jpeg_dec_free(dec); /* destroyed: only freeing is left */
        ctx->dec = NULL;
    }
    if (st != TF_OK)
        return st;
    dec->used = 1;
    dec->err.warnings = 0;
    dec->err.reading_icc = 0;
    dec->entropy = TF_ENTROPY_LIBJPEG; /* nothing of the last image's */
    dec->redone = 0;
    dec->max_scans = params->max_scans;
    dec->image = src;
    dec->image_len = len;
    st = tf_jpeg_run(ctx, dec, read_header, res);
    res->warnings = dec->err.warnings;
    return st;
}

/* The planned scale, and output colour space, on the header just read. */
static tf_status apply_target(tf_ctx *ctx, struct tf_jpeg_dec *dec)
{
    dec->cinfo.scale_num = 1;
    dec->cinfo.scale_denom = (unsigned)dec->res->scale_denom;
    if (dec->dc_only) /* smoothing would invent detail from the missing AC */
        dec->cinfo.do_block_smoothing = FALSE;
    return tf_jpeg_choose_color(ctx, &dec->cinfo, &dec->channels);
}

/* What the pixels need from the header besides the plan: the colour
 * space, the ICC profile. A part of a file (--embedded-only) ends early:
 * only headers read cleanly count. */
static tf_status prepare(tf_ctx *ctx, struct tf_jpeg_dec *dec, void *arg)
{
    (void)arg;
    dec->dc_only = 0;
    tf_status st = apply_target(ctx, dec);
    if (st == TF_OK)
        st = read_profile(ctx, dec);
    dec->note_len = strlen(ctx->note);
    if (st == TF_OK && dec->params->embedded_only && dec->err.warnings)
        return tf_fail(ctx, TF_E_NOT_EMBEDDED, "headers not clean: %s", ctx->msg);
    return st;
}

/* libjpeg again from the start of a stream of the same image (the file, a
 * rewrite of it, or a part): its header read again, with its warnings
 * counted afresh, at the scale already planned. No plan, no metadata: the
 * image is the same. */
static tf_status restart(tf_ctx *ctx, struct tf_jpeg_dec *dec, const unsigned char *data,
                         size_t len, const tf_planes *feeding)
{
    jpeg_abort_decompress(&dec->cinfo);
    tf_jpeg_set_source(dec, data, len, feeding);
    dec->err.warnings = 0;
    ctx->msg[0] = '\0';
    if (jpeg_read_header(&dec->cinfo, TRUE) != JPEG_HEADER_OK)
        return tf_fail(ctx, TF_E_DECODE, "JPEG datastream contains no image");
    dec->fresh = 1;
    return apply_target(ctx, dec);
}

/* The one choice: the EXIF thumbnail when asked for it; at 1/8 a
 * progressive file's DC scans, a sequential file's scan with its AC codes
 * stepped over; else libjpeg's own decode. */
static tf_jpeg_path choose_path(const struct tf_jpeg_dec *dec, int embedded)
{
    if (embedded)
        return TF_JPEG_EMBEDDED;
    if (dec->res->scale_denom != 8)
        return TF_JPEG_FULL;
    return dec->progressive ? TF_JPEG_DC_ONLY : TF_JPEG_SKIP_AC;
}

/* DC_ONLY: the stream libjpeg reads is a copy without the AC scans, or
 * where those can be decoded here (path_dc_only_sequential.c), a
 * sequential header they are fed to. Where the copy cannot be made, the
 * file itself is decoded. */
static tf_status switch_to_dc_only(tf_ctx *ctx, struct tf_jpeg_dec *dec)
{
    int stripped, scans, seq = 0;
    tf_status st =
        tf_jpeg_strip_ac(ctx, dec->image, dec->image_len, &dec->dc_stream, &stripped, &scans);
    if (st != TF_OK || !stripped)
        return st;
    if (scans > dec->params->max_scans)
        return tf_fail(ctx, TF_E_LIMIT, "more than %d scans in a progressive JPEG",
                       dec->params->max_scans);
    st =
        tf_jpeg_dc_sequential(ctx, dec->dc_stream.data, dec->dc_stream.len, dec->params->max_pixels,
                              &dec->dc_seq, &dec->dc_planes, &dec->planes, &seq);
    if (st != TF_OK)
        return st;
    const tf_bytes *use = seq ? &dec->dc_seq : &dec->dc_stream;
    dec->dc_only = 1;
    dec->res->path = TF_PATH_DC_ONLY;
    return restart(ctx, dec, use->data, use->len, seq ? &dec->planes : NULL);
}

/* After jpeg_start_decompress: which entropy decoder reads the scan. A
 * header stream must be fed (TF_ENTROPY_LIBJPEG there: it cannot be). */
static tf_entropy choose_entropy(struct tf_jpeg_dec *dec, int skip_ac)
{
    if (dec->feeding)
        return dec->feed && tf_feed_install(dec->feed, &dec->cinfo, dec->feeding)
                   ? TF_ENTROPY_FED
                   : TF_ENTROPY_LIBJPEG;
    if (skip_ac && dec->skip && tf_skipac_install(dec->skip, &dec->cinfo))
        return TF_ENTROPY_SKIPAC;
    return TF_ENTROPY_LIBJPEG;
}

/* After the last row: an error libjpeg raises now, reading what follows
 * the image data (a second SOI where the EOI should be, as when another
 * JPEG was appended to one cut short; a bogus marker), leaves every row as
 * a clean decode gives it, provided libjpeg had nothing to say while
 * decoding them (a scan cut short by that marker, or garbage in the data,
 * warns first: then the rows are not the image, and the error stands).
 * on_error_exit() makes it a warning, as libjpeg's own warnings about
 * damaged data are (--strict still fails the file), and tf_jpeg_run()
 * returns TF_OK; any other status (a limit) stands. */
static void finish(struct tf_jpeg_dec *dec)
{
    dec->err.rows_clean = dec->err.warnings == 0;
    jpeg_finish_decompress(&dec->cinfo);
    dec->err.rows_clean = 0;
}

/* The rows. With skip_ac, the 1/8 entropy decoder (path_skip_ac.c) takes
 * the scan where it can; a header stream is fed its planes. *gave_up = 1
 * when either could not finish (the rows are then not the image): on
 * something a clean stream does not have, or a header that cannot be
 * fed. */
tf_status tf_jpeg_decode_pixels(tf_ctx *ctx, struct tf_jpeg_dec *dec, int channels, int skip_ac,
                                int *gave_up)
{
    j_decompress_ptr cinfo = &dec->cinfo;
    dec->fresh = 0;
    jpeg_start_decompress(cinfo);
    dec->entropy = choose_entropy(dec, skip_ac);
    if (dec->feeding && dec->entropy != TF_ENTROPY_FED) {
        *gave_up = 1;
        return TF_OK;
    }
    tf_status st = tf_image_reserve(ctx, &ctx->decoded, (int)cinfo->output_width,
                                    (int)cinfo->output_height, channels);
    /* output_width is the extent rounded up to whole pixels */
    ctx->decoded.ext_w = (double)cinfo->image_width * cinfo->scale_num / cinfo->scale_denom;
    ctx->decoded.ext_h = (double)cinfo->image_height * cinfo->scale_num / cinfo->scale_denom;
    if (st == TF_OK)
        st = read_rows(ctx, dec, &ctx->decoded);
    *gave_up = st == TF_OK && ((dec->entropy == TF_ENTROPY_SKIPAC && !tf_skipac_ok(dec->skip)) ||
                               (dec->entropy == TF_ENTROPY_FED && !tf_feed_ok(dec->feed)));
    if (st == TF_OK && !*gave_up)
        finish(dec);
    return st;
}

/* Where ours gave up (the skipping decoder, the feeder), libjpeg decodes
 * the same stream (for a fed header: the DC-only stream) again by itself,
 * to report and repair damage as it always does. */
static tf_status redo(tf_ctx *ctx, struct tf_jpeg_dec *dec)
{
    int gave_up = 0;
    dec->redone = 1; /* before any longjmp: a warning after the rows ends the step there */
    tf_status st = dec->feeding ? restart(ctx, dec, dec->dc_stream.data, dec->dc_stream.len, NULL)
                                : restart(ctx, dec, dec->in, dec->in_len, NULL);
    if (st == TF_OK)
        st = tf_jpeg_decode_pixels(ctx, dec, dec->channels, 0, &gave_up);
    return st;
}

/* The main image by its path (a step of tf_jpeg_run): decoded once, then
 * redone by libjpeg where ours gave up. */
static tf_status decode_image(tf_ctx *ctx, struct tf_jpeg_dec *dec, void *arg)
{
    (void)arg;
    int gave_up = 0;
    tf_status st = TF_OK;
    dec->dc_only = 0;
    if (!dec->fresh) /* libjpeg has read something else since the header */
        st = restart(ctx, dec, dec->image, dec->image_len, NULL);
    if (st == TF_OK && dec->path == TF_JPEG_DC_ONLY)
        st = switch_to_dc_only(ctx, dec);
    if (st == TF_OK)
        st = tf_jpeg_decode_pixels(ctx, dec, dec->channels, dec->path != TF_JPEG_FULL, &gave_up);
    if (st == TF_OK && gave_up)
        st = redo(ctx, dec);
    return st;
}

/* libjpeg stopped at something after the image data (a second SOI, an
 * unknown marker) before it gave a row, as in a progressive file, which it
 * reads whole first, and said nothing before. The data before that marker,
 * ended with an EOI, is what a clean file of those scans holds: decode it
 * by the same path, and the error becomes a warning. Where the walk finds
 * no such place, or that decode fails as well, the first error stands. */
static tf_status decode_before_tail(tf_ctx *ctx, struct tf_jpeg_dec *dec)
{
    size_t end = tf_jpeg_image_end(dec->image, dec->image_len);
    unsigned char *cut = end ? malloc(end + 2) : NULL;
    if (!cut)
        return TF_E_DECODE;
    char why[TF_MSG_MAX];
    memcpy(why, ctx->msg, sizeof why);
    memcpy(cut, dec->image, end);
    cut[end] = 0xff;
    cut[end + 1] = JPEG_EOI;
    dec->image = cut;
    dec->image_len = end + 2;
    dec->fresh = 0; /* libjpeg must read the cut copy, whatever it last read */
    tf_status st = tf_jpeg_run(ctx, dec, decode_image, NULL);
    jpeg_abort_decompress(&dec->cinfo); /* before the source goes */
    dec->image = NULL;
    free(cut);
    if (st != TF_OK) {
        memcpy(ctx->msg, why, sizeof why);
        return TF_E_DECODE;
    }
    if (dec->err.warnings++ == 0)
        tf_fail(ctx, TF_OK, "%s, after the image data: the rest of the file is ignored", why);
    return TF_OK;
}

static int tail_may_follow(const struct tf_jpeg_dec *dec, tf_status st)
{
    return st == TF_E_DECODE && dec->err.warnings == 0 && !dec->params->embedded_only &&
           (dec->err.code == JERR_SOI_DUPLICATE || dec->err.code == JERR_UNKNOWN_MARKER);
}

tf_status tf_jpeg_decode(tf_ctx *ctx, const tf_params *params, tf_result *res)
{
    struct tf_jpeg_dec *dec = ctx->dec;
    int used = 0;
    dec->params = params;
    dec->res = res;
    tf_status st = tf_jpeg_run(ctx, dec, prepare, NULL);
    dec->path = choose_path(dec, params->use_embedded);
    if (st == TF_OK && dec->path == TF_JPEG_EMBEDDED) {
        st = tf_jpeg_try_embedded(ctx, dec, &used);
        dec->path = choose_path(dec, 0); /* for the main image, when unused */
    }
    if (st == TF_OK && !used)
        st = tf_jpeg_run(ctx, dec, decode_image, NULL);
    if (tail_may_follow(dec, st))
        st = decode_before_tail(ctx, dec);
    jpeg_abort_decompress(&dec->cinfo);
    res->warnings = dec->err.warnings;
    return st;
}
