/*
 * gen_testdata.c - deterministic test-image generator for thumbify.
 *
 * Usage: gen_testdata OUTDIR
 *
 * Writes a fixed set of JPEG/PNG images (plus some deliberately broken
 * files) into OUTDIR and the subfolders orientation/, png/, bad/ and
 * embedded/.
 * Every byte is a pure function of this source: no clocks, no unseeded
 * randomness, and the one time stamp libraries insert (the ICC header
 * date) is overwritten with a constant.  Re-running therefore reproduces
 * identical files, so the output can be committed and diffed.
 *
 * Build:
 *   gcc -std=c17 -Wall -Wextra -Werror -O2 tests/gen/gen_testdata.c \
 *       -ljpeg -lpng -lz -llcms2 -lm -o /tmp/gen
 *
 * Any library error or I/O failure prints a message and exits with 1.
 */
#define _POSIX_C_SOURCE 200809L /* mkdir() under -std=c17 */

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>

#include <jpeglib.h> /* must follow stdio.h/stddef.h */
#include <lcms2.h>
#include <png.h>
#include <zlib.h>

#define PI 3.14159265358979323846 /* M_PI is not ISO C */

/* ------------------------------------------------------------------ */
/* Small utilities                                                     */
/* ------------------------------------------------------------------ */

static const char *g_outdir;
static int g_files;
static size_t g_bytes;

static void die(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("gen_testdata: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    exit(1);
}

static void *xmalloc(size_t n)
{
    void *p = calloc(1, n ? n : 1);
    if (!p)
        die("out of memory (%zu bytes)", n);
    return p;
}

/* Joins OUTDIR and a relative name; refuses silently-truncated paths. */
static void make_path(char *dst, size_t n, const char *rel)
{
    int len = snprintf(dst, n, "%s/%s", g_outdir, rel);
    if (len < 0 || (size_t)len >= n)
        die("path too long: %s/%s", g_outdir, rel);
}

static void make_dir(const char *rel)
{
    char path[4096];
    if (rel)
        make_path(path, sizeof path, rel);
    else
        snprintf(path, sizeof path, "%s", g_outdir);
    if (mkdir(path, 0755) != 0 && errno != EEXIST)
        die("mkdir %s: %s", path, strerror(errno));
}

static void write_out(const char *rel, const void *data, size_t len)
{
    char path[4096];
    make_path(path, sizeof path, rel);
    FILE *f = fopen(path, "wb");
    if (!f)
        die("open %s: %s", path, strerror(errno));
    if (len && fwrite(data, 1, len, f) != len)
        die("write %s: %s", path, strerror(errno));
    if (fclose(f) != 0)
        die("close %s: %s", path, strerror(errno));
    g_files++;
    g_bytes += len;
}

/* Big/little-endian stores for hand-built EXIF and ICC headers. */
static void put16(unsigned char *p, unsigned v, bool be)
{
    p[be ? 0 : 1] = (unsigned char)(v >> 8);
    p[be ? 1 : 0] = (unsigned char)v;
}

static void put32(unsigned char *p, uint32_t v, bool be)
{
    put16(p + (be ? 0 : 2), (unsigned)(v >> 16), be);
    put16(p + (be ? 2 : 0), (unsigned)(v & 0xffff), be);
}

/* ------------------------------------------------------------------ */
/* In-memory images and pixel content                                  */
/* ------------------------------------------------------------------ */

typedef struct {
    int w, h, comps; /* comps: 1 gray, 3 RGB, 4 CMYK */
    unsigned char *px;
} Image;

static Image img_new(int w, int h, int comps)
{
    Image im = {w, h, comps, NULL};
    im.px = xmalloc((size_t)w * (size_t)h * (size_t)comps);
    return im;
}

static unsigned char *img_at(const Image *im, int x, int y)
{
    return im->px + ((size_t)y * (size_t)im->w + (size_t)x) * (size_t)im->comps;
}

static double clamp01(double v) { return v < 0 ? 0 : v > 1 ? 1 : v; }

/* Round half up; floor() keeps it identical on every libm. */
static unsigned char to8(double v)
{
    return (unsigned char)floor(clamp01(v) * 255.0 + 0.5);
}

/*
 * The shared "smooth but non-trivial" pattern, in [0,1] per channel.
 * Coordinates are normalised so every size shows the same picture:
 * linear ramps (so a wrong scale/offset shows as a colour shift),
 * diagonal sine waves (so aliasing from bad filters is visible) and an
 * anti-aliased ring centred in the image (so cropping/flipping and
 * aspect-ratio errors are visible).  No hard edges: JPEG stays small.
 */
static void pattern_rgb(int x, int y, int w, int h, double rgb[3])
{
    double u = w > 1 ? (double)x / (w - 1) : 0.5;
    double v = h > 1 ? (double)y / (h - 1) : 0.5;
    double s = w < h ? w : h; /* ring radius relative to shorter side */
    double dx = (x - (w - 1) / 2.0) / s, dy = (y - (h - 1) / 2.0) / s;
    double d = sqrt(dx * dx + dy * dy);
    double ring = fmax(0.0, 1.0 - fabs(d - 0.3) / 0.05);
    double w1 = 0.5 + 0.5 * sin(2 * PI * (3 * u + 2 * v));
    double w2 = 0.5 + 0.5 * sin(2 * PI * (5 * v - 2 * u));
    rgb[0] = 0.10 + 0.55 * u + 0.20 * w1 + 0.30 * ring;
    rgb[1] = 0.10 + 0.55 * v + 0.20 * w2 + 0.30 * ring;
    rgb[2] = 0.20 + 0.45 * (1 - u) * (1 - v) + 0.25 * w1 * w2 - 0.2 * ring;
}

static Image img_pattern(int w, int h)
{
    Image im = img_new(w, h, 3);
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++) {
            double c[3];
            unsigned char *p = img_at(&im, x, y);
            pattern_rgb(x, y, w, h, c);
            for (int i = 0; i < 3; i++)
                p[i] = to8(c[i]);
        }
    return im;
}

/* Luma of the pattern (BT.601 weights) for the grayscale variants. */
static double pattern_gray(int x, int y, int w, int h)
{
    double c[3];
    pattern_rgb(x, y, w, h, c);
    return clamp01(0.299 * c[0] + 0.587 * c[1] + 0.114 * c[2]);
}

static Image img_pattern_gray(int w, int h)
{
    Image im = img_new(w, h, 1);
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++)
            *img_at(&im, x, y) = to8(pattern_gray(x, y, w, h));
    return im;
}

/* Fills a rectangle of an RGB image with one colour. */
static void fill_rect(Image *im, int x0, int y0, int w, int h,
                      const unsigned char rgb[3])
{
    for (int y = y0; y < y0 + h; y++)
        for (int x = x0; x < x0 + w; x++)
            memcpy(img_at(im, x, y), rgb, 3);
}

/* ------------------------------------------------------------------ */
/* JPEG encoding                                                       */
/* ------------------------------------------------------------------ */

typedef struct {
    int quality;           /* 0 means 90 */
    int h_samp, v_samp;    /* luma sampling factors; 0 = library default */
    J_COLOR_SPACE jpeg_cs; /* JCS_UNKNOWN = library default for input */
    bool progressive, arith, optimize, no_jfif;
    bool dc_per_component; /* mozjpeg-style scans: see k_dc_refine_scans */
    int restart_mcus;
    const unsigned char *icc; /* embedded ICC profile, or NULL */
    size_t icc_len;
    int icc_chunks;            /* 0: jpeg_write_icc_profile; N: N APP2s */
    const unsigned char *app1; /* full APP1 payload (EXIF), or NULL */
    size_t app1_len;
} JpegOpts;

typedef struct {
    unsigned char *data;
    size_t len;
} Buf;

/* libjpeg's default error_exit also exits; this adds our prefix. */
static void jpeg_die(j_common_ptr cinfo)
{
    char msg[JMSG_LENGTH_MAX];
    (*cinfo->err->format_message)(cinfo, msg);
    die("libjpeg: %s", msg);
}

static J_COLOR_SPACE input_space(int comps)
{
    return comps == 1 ? JCS_GRAYSCALE : comps == 4 ? JCS_CMYK : JCS_RGB;
}

/*
 * Splits the profile by hand into n APP2 markers.  Each marker carries
 * the ICC.1 header "ICC_PROFILE\0", a 1-based sequence number and the
 * total count, exactly what jpeg_write_icc_profile does, only with far
 * smaller chunks so multi-chunk reassembly is exercised cheaply.
 */
static void write_icc_chunks(j_compress_ptr c, const JpegOpts *o)
{
    size_t per = (o->icc_len + (size_t)o->icc_chunks - 1) / (size_t)o->icc_chunks;
    unsigned char marker[14 + 65519];
    if (o->icc_chunks > 255 || per > 65519)
        die("bad ICC chunking");
    for (int i = 0; i < o->icc_chunks; i++) {
        size_t off = (size_t)i * per;
        size_t n = o->icc_len - off < per ? o->icc_len - off : per;
        memcpy(marker, "ICC_PROFILE", 12); /* includes the NUL */
        marker[12] = (unsigned char)(i + 1);
        marker[13] = (unsigned char)o->icc_chunks;
        memcpy(marker + 14, o->icc + off, n);
        jpeg_write_marker(c, JPEG_APP0 + 2, marker, (unsigned)(14 + n));
    }
}

/* APP1 first so EXIF sits right after SOI (when JFIF is disabled). */
static void write_extra_markers(j_compress_ptr c, const JpegOpts *o)
{
    if (o->app1)
        jpeg_write_marker(c, JPEG_APP0 + 1, o->app1, (unsigned)o->app1_len);
    if (o->icc && o->icc_chunks == 0)
        jpeg_write_icc_profile(c, o->icc, (unsigned)o->icc_len);
    else if (o->icc)
        write_icc_chunks(c, o);
}

/* A progressive script as mozjpeg and some cameras write it: one DC scan
 * per component with a point transform (Al = 1), the AC bands, then a DC
 * refinement scan (Ah = 1) for all components. A DC-only decoder must keep
 * both kinds of DC scan to get exact DC values. */
static const jpeg_scan_info k_dc_refine_scans[] = {
    {1, {0}, 0, 0, 0, 1},      {1, {1}, 0, 0, 0, 1},      {1, {2}, 0, 0, 0, 1},
    {1, {0}, 1, 5, 0, 2},      {1, {2}, 1, 63, 0, 1},     {1, {1}, 1, 63, 0, 1},
    {1, {0}, 6, 63, 0, 2},     {1, {0}, 1, 63, 2, 1},     {3, {0, 1, 2}, 0, 0, 1, 0},
    {1, {2}, 1, 63, 1, 0},     {1, {1}, 1, 63, 1, 0},     {1, {0}, 1, 63, 1, 0},
};

/* Everything that must be set between jpeg_set_defaults and start. */
static void apply_opts(j_compress_ptr c, const JpegOpts *o)
{
    if (o->jpeg_cs != JCS_UNKNOWN)
        jpeg_set_colorspace(c, o->jpeg_cs); /* resets sampling factors */
    jpeg_set_quality(c, o->quality ? o->quality : 90, TRUE);
    if (o->h_samp) {
        c->comp_info[0].h_samp_factor = o->h_samp;
        c->comp_info[0].v_samp_factor = o->v_samp;
    }
    c->arith_code = o->arith ? TRUE : FALSE;
    c->optimize_coding = o->optimize ? TRUE : FALSE;
    c->restart_interval = (unsigned)o->restart_mcus;
    if (o->no_jfif)
        c->write_JFIF_header = FALSE;
    if (o->progressive && o->dc_per_component) {
        c->scan_info = k_dc_refine_scans;
        c->num_scans = (int)(sizeof k_dc_refine_scans / sizeof k_dc_refine_scans[0]);
    } else if (o->progressive) { /* after set_colorspace: depends on components */
        jpeg_simple_progression(c);
    }
}

static Buf jpeg_encode(const Image *im, const JpegOpts *o)
{
    struct jpeg_compress_struct c;
    struct jpeg_error_mgr err;
    unsigned char *out = NULL;
    unsigned long out_len = 0;

    c.err = jpeg_std_error(&err);
    err.error_exit = jpeg_die;
    jpeg_create_compress(&c);
    jpeg_mem_dest(&c, &out, &out_len); /* in memory: bad/ truncates it */
    c.image_width = (JDIMENSION)im->w;
    c.image_height = (JDIMENSION)im->h;
    c.input_components = im->comps;
    c.in_color_space = input_space(im->comps);
    jpeg_set_defaults(&c);
    apply_opts(&c, o);
    jpeg_start_compress(&c, TRUE);
    write_extra_markers(&c, o);
    for (int y = 0; y < im->h; y++) {
        JSAMPROW row = img_at(im, 0, y);
        jpeg_write_scanlines(&c, &row, 1);
    }
    jpeg_finish_compress(&c);
    jpeg_destroy_compress(&c);
    return (Buf){out, (size_t)out_len};
}

static void save_jpeg(const char *rel, const Image *im, const JpegOpts *o)
{
    Buf b = jpeg_encode(im, o);
    write_out(rel, b.data, b.len);
    free(b.data);
}

/* ------------------------------------------------------------------ */
/* PNG encoding                                                        */
/* ------------------------------------------------------------------ */

typedef struct {
    int w, h, color_type, bit_depth;
    bool interlace;
    const unsigned char *px; /* packed rows, PNG byte order (16-bit BE) */
    const png_color *pal;
    int npal;
    const png_byte *trns;
    int ntrns;
} PngSpec;

static void png_die(png_structp p, png_const_charp msg)
{
    (void)p;
    die("libpng: %s", msg);
}

static void png_warn(png_structp p, png_const_charp msg)
{
    (void)p;
    fprintf(stderr, "gen_testdata: libpng warning: %s\n", msg);
}

static size_t png_row_bytes(const PngSpec *s)
{
    int ch = s->color_type == PNG_COLOR_TYPE_RGB          ? 3
             : s->color_type == PNG_COLOR_TYPE_RGB_ALPHA  ? 4
             : s->color_type == PNG_COLOR_TYPE_GRAY_ALPHA ? 2
                                                          : 1;
    return (size_t)s->w * (size_t)ch * (size_t)(s->bit_depth / 8);
}

/* Header chunks only; no tIME/text chunks, so output is reproducible. */
static void png_set_header(png_structp p, png_infop info, const PngSpec *s)
{
    png_set_IHDR(p, info, (png_uint_32)s->w, (png_uint_32)s->h, s->bit_depth,
                 s->color_type,
                 s->interlace ? PNG_INTERLACE_ADAM7 : PNG_INTERLACE_NONE,
                 PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    if (s->pal)
        png_set_PLTE(p, info, s->pal, s->npal);
    if (s->trns)
        png_set_tRNS(p, info, s->trns, s->ntrns, NULL);
}

static void png_to_buf(png_structp p, png_bytep data, size_t n)
{
    Buf *b = png_get_io_ptr(p);
    b->data = realloc(b->data, b->len + n);
    if (!b->data)
        die("out of memory");
    memcpy(b->data + b->len, data, n);
    b->len += n;
}

static void png_flush_none(png_structp p)
{
    (void)p;
}

static Buf encode_png(const PngSpec *s)
{
    Buf b = {NULL, 0};
    png_structp p =
        png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, png_die, png_warn);
    png_infop info = p ? png_create_info_struct(p) : NULL;
    if (!info)
        die("libpng: cannot create write struct");
    png_set_write_fn(p, &b, png_to_buf, png_flush_none);
    png_set_header(p, info, s);
    png_write_info(p, info);
    png_bytep *rows = xmalloc(sizeof *rows * (size_t)s->h);
    for (int y = 0; y < s->h; y++)
        rows[y] = (png_bytep)s->px + (size_t)y * png_row_bytes(s);
    png_write_image(p, rows); /* handles Adam7 passes itself */
    png_write_end(p, info);
    png_destroy_write_struct(&p, &info);
    free(rows);
    return b;
}

static void write_png(const char *rel, const PngSpec *s)
{
    Buf b = encode_png(s);
    write_out(rel, b.data, b.len);
    free(b.data);
}

/* Inserts a chunk (length, type, data, CRC) into the PNG in *b at byte
 * at: 33 is right after IHDR, b->len - 12 right before IEND. Chunks
 * libpng would check or refuse on writing go in this way. */
static void splice_chunk(Buf *b, size_t at, const char type[4], const void *data, size_t n)
{
    unsigned char *out = xmalloc(b->len + 12 + n);
    memcpy(out, b->data, at);
    unsigned char *c = out + at;
    put32(c, (uint32_t)n, true);
    memcpy(c + 4, type, 4);
    if (n)
        memcpy(c + 8, data, n);
    put32(c + 8 + n, (uint32_t)crc32(0, c + 4, (uInt)(4 + n)), true);
    memcpy(c + 12 + n, b->data + at, b->len - at);
    free(b->data);
    b->data = out;
    b->len += 12 + n;
}

static void save_png_rgb(const char *rel, const Image *im, bool interlace)
{
    PngSpec s = {im->w, im->h, PNG_COLOR_TYPE_RGB, 8, interlace, im->px,
                 NULL, 0, NULL, 0};
    write_png(rel, &s);
}

/* ------------------------------------------------------------------ */
/* Top-level JPEGs                                                     */
/* ------------------------------------------------------------------ */

typedef struct {
    const char *name;
    int w, h, comps;
    JpegOpts o;
} PatternJpeg;

/* Quality defaults to 90; sampling to 4:2:0 (libjpeg's 2x2 luma). */
static const PatternJpeg k_pattern_jpegs[] = {
    {"gradient_640x480.jpg", 640, 480, 3, {.quality = 90}},
    {"portrait_480x640.jpg", 480, 640, 3, {.quality = 90}},
    {"gray_300x200.jpg", 300, 200, 1, {.quality = 90}},
    {"progressive_1024x768.jpg", 1024, 768, 3, {.progressive = true}},
    {"progressive_dc_refine_800x600.jpg", 800, 600, 3,
     {.progressive = true, .dc_per_component = true}},
    {"progressive_restart_800x600.jpg", 800, 600, 3,
     {.progressive = true, .restart_mcus = 3}},
    {"arith_progressive_800x600.jpg", 800, 600, 3, {.arith = true, .progressive = true}},
    {"arith_400x300.jpg", 400, 300, 3, {.arith = true}},
    {"arith_progressive_400x300.jpg", 400, 300, 3,
     {.arith = true, .progressive = true}},
    {"restart_500x375.jpg", 500, 375, 3, {.restart_mcus = 4}},
    {"wide_1000x1.jpg", 1000, 1, 3, {.quality = 90}},
    {"tall_1x1000.jpg", 1, 1000, 3, {.quality = 90}},
    {"small_50x40.jpg", 50, 40, 3, {.quality = 90}},
    {"exactly_75x75.jpg", 75, 75, 3, {.quality = 90}},
    {"subsamp_422_600x400.jpg", 600, 400, 3, {.h_samp = 2, .v_samp = 1}},
    {"subsamp_440_600x400.jpg", 600, 400, 3, {.h_samp = 1, .v_samp = 2}},
    {"subsamp_444_600x400.jpg", 600, 400, 3, {.h_samp = 1, .v_samp = 1}},
    /* extension/name variants: the file walker must accept all of them */
    {"upper_case.JPG", 320, 240, 3, {.quality = 90}},
    {"ext_jpeg.jpeg", 320, 240, 3, {.quality = 90}},
    {"ext_jpe.jpe", 320, 240, 3, {.quality = 90}},
    {"ext_jfif.jfif", 320, 240, 3, {.quality = 90}},
    {"name with spaces.jpg", 320, 240, 3, {.quality = 90}},
};

static void gen_pattern_jpegs(void)
{
    size_t n = sizeof k_pattern_jpegs / sizeof k_pattern_jpegs[0];
    for (size_t i = 0; i < n; i++) {
        const PatternJpeg *e = &k_pattern_jpegs[i];
        Image im = e->comps == 1 ? img_pattern_gray(e->w, e->h)
                                 : img_pattern(e->w, e->h);
        save_jpeg(e->name, &im, &e->o);
        free(im.px);
    }
}

/* Row-major 4x3 grid of 200x200 blocks; tests check these colours. */
static const unsigned char k_block_colours[12][3] = {
    {255, 0, 0},   {0, 255, 0},     {0, 0, 255},   {255, 255, 255},
    {0, 0, 0},     {128, 128, 128}, {255, 255, 0}, {0, 255, 255},
    {255, 0, 255}, {255, 128, 0},   {128, 0, 128}, {0, 128, 128},
};

/* q100 + 4:4:4 so solid blocks decode to (almost) the exact colours. */
static void gen_blocks(void)
{
    Image im = img_new(800, 600, 3);
    for (int i = 0; i < 12; i++)
        fill_rect(&im, (i % 4) * 200, (i / 4) * 200, 200, 200,
                  k_block_colours[i]);
    JpegOpts o = {.quality = 100, .h_samp = 1, .v_samp = 1};
    save_jpeg("blocks_800x600.jpg", &im, &o);
    free(im.px);
}

/*
 * CMYK as Adobe Photoshop writes it.  With C,M,Y,K in [0,1] (ink
 * amounts, 1 = full ink) the pattern's RGB r,g,b in [0,1] is separated
 * naively: K = 1 - max(r,g,b), C = (1 - r - K) / (1 - K) (same for M
 * with g, Y with b; all 0 when K = 1), so that
 *     R = 255 * (1 - C) * (1 - K)    (likewise G from M, B from Y).
 * Adobe stores the samples *inverted*: byte = 255 * (1 - ink), i.e.
 * 255 = no ink.  Hence the stored bytes are Ci = 255(1-C), Ki = 255(1-K)
 * and a decoder recovers R = Ci * Ki / 255.  libjpeg passes JCS_CMYK
 * samples through untouched and, because the JPEG colour space is CMYK
 * or YCCK, writes the Adobe APP14 marker itself (write_Adobe_marker,
 * transform 0 for CMYK, 2 for YCCK).  The decoded RGB therefore equals
 * the same-sized RGB pattern (e.g. arith_400x300.jpg) up to JPEG loss.
 */
static Image img_pattern_cmyk_inverted(int w, int h)
{
    Image im = img_new(w, h, 4);
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++) {
            double c[3];
            unsigned char *p = img_at(&im, x, y);
            pattern_rgb(x, y, w, h, c);
            double mx = fmax(clamp01(c[0]), fmax(clamp01(c[1]), clamp01(c[2])));
            double k = 1.0 - mx;
            for (int i = 0; i < 3; i++) /* 1 - C = r / (1 - K) */
                p[i] = to8(mx > 0 ? clamp01(c[i]) / mx : 1.0);
            p[3] = to8(1.0 - k);
        }
    return im;
}

static void gen_cmyk(void)
{
    Image im = img_pattern_cmyk_inverted(400, 300);
    JpegOpts cmyk = {.quality = 90, .jpeg_cs = JCS_CMYK};
    JpegOpts ycck = {.quality = 90, .jpeg_cs = JCS_YCCK};
    save_jpeg("cmyk_adobe_400x300.jpg", &im, &cmyk);
    save_jpeg("ycck_400x300.jpg", &im, &ycck);
    free(im.px);
}

/* ------------------------------------------------------------------ */
/* ICC (Adobe RGB 1998) JPEGs                                          */
/* ------------------------------------------------------------------ */

/*
 * sRGB colours of the 4x2 grid of 100x150 patches (row-major) in the
 * ICC images.  The stored pixels are these colours converted to Adobe
 * RGB, so a colour-managed decoder (embedded profile -> sRGB) should
 * reproduce these values within a few units:
 *   row 0: red (255,0,0)      green (0,255,0)      blue (0,0,255)
 *          gray (128,128,128)
 *   row 1: orange (240,160,40) leaf (40,180,60)    skin (200,150,120)
 *          sky (60,100,200)
 * Read naively as sRGB they look visibly desaturated (e.g. the green
 * patch is stored as roughly (144,255,60)).
 */
static const unsigned char k_srgb_patches[8][3] = {
    {255, 0, 0},    {0, 255, 0},   {0, 0, 255},     {128, 128, 128},
    {240, 160, 40}, {40, 180, 60}, {200, 150, 120}, {60, 100, 200},
};

static void lcms_log(cmsContext ctx, cmsUInt32Number code, const char *text)
{
    (void)ctx;
    die("lcms2 error %u: %s", (unsigned)code, text);
}

/* Gamma 563/256 as a 1024-entry table: bigger profile, other curve type. */
static cmsToneCurve *tabulated_gamma(double g)
{
    cmsUInt16Number t[1024];
    for (int i = 0; i < 1024; i++)
        t[i] = (cmsUInt16Number)floor(65535.0 * pow(i / 1023.0, g) + 0.5);
    return cmsBuildTabulatedToneCurve16(NULL, 1024, t);
}

static void set_text_tag(cmsHPROFILE p, cmsTagSignature sig, const char *s)
{
    cmsMLU *mlu = cmsMLUalloc(NULL, 1);
    if (!mlu || !cmsMLUsetASCII(mlu, "en", "US", s) ||
        !cmsWriteTag(p, sig, mlu))
        die("lcms2: cannot set text tag");
    cmsMLUfree(mlu);
}

/*
 * Adobe RGB (1998) compatible matrix/TRC profile: D65 white, primaries
 * R(0.64,0.33) G(0.21,0.71) B(0.15,0.06), gamma 563/256 = 2.19921875.
 * Written as ICC v2.1 (what the real Adobe profile is, and what every
 * CMM reads).  lcms2 stamps the current time into the header, so the
 * date (bytes 24..35) is overwritten with 2024-01-01 00:00:00 to keep
 * output deterministic; the profile ID stays zero ("not computed").
 */
/* A v2.1 matrix/TRC profile, D65 white, the same curve g (freed here) on
 * each channel. */
static cmsHPROFILE build_rgb_profile(const cmsCIExyYTRIPLE *prim, cmsToneCurve *g, const char *desc)
{
    cmsCIExyY d65 = {0.3127, 0.3290, 1.0};
    if (!g)
        die("lcms2: cannot build tone curve");
    cmsToneCurve *curves[3] = {g, g, g};
    cmsHPROFILE p = cmsCreateRGBProfile(&d65, prim, curves);
    cmsFreeToneCurve(g);
    if (!p)
        die("lcms2: cannot create RGB profile");
    cmsSetProfileVersion(p, 2.1);
    set_text_tag(p, cmsSigProfileDescriptionTag, desc);
    set_text_tag(p, cmsSigCopyrightTag, "Public domain test data");
    return p;
}

static cmsHPROFILE build_adobe_profile(bool tabulated)
{
    const double gamma = 563.0 / 256.0;
    cmsCIExyYTRIPLE prim = {{0.64, 0.33, 1.0}, {0.21, 0.71, 1.0}, {0.15, 0.06, 1.0}};
    return build_rgb_profile(&prim, tabulated ? tabulated_gamma(gamma) : cmsBuildGamma(NULL, gamma),
                             tabulated ? "thumbify test Adobe RGB (1998) compatible, table TRC"
                                       : "thumbify test Adobe RGB (1998) compatible");
}

static Buf serialize_profile(cmsHPROFILE p)
{
    static const unsigned char date[12] = {0x07, 0xe8, 0, 1, 0, 1,
                                           0,    0,    0, 0, 0, 0};
    cmsUInt32Number n = 0;
    if (!cmsSaveProfileToMem(p, NULL, &n) || n < 128)
        die("lcms2: cannot size profile");
    Buf b = {xmalloc(n), n};
    if (!cmsSaveProfileToMem(p, b.data, &n))
        die("lcms2: cannot save profile");
    memcpy(b.data + 24, date, sizeof date); /* dateTimeNumber, big-endian */
    return b;
}

/* Converts the sRGB patch colours with the *serialized* profile, i.e.
 * exactly what gets embedded, so decode + profile gives them back. */
static void patches_to_profile(const Buf *icc, unsigned char out[8][3])
{
    cmsHPROFILE srgb = cmsCreate_sRGBProfile();
    cmsHPROFILE dst = cmsOpenProfileFromMem(icc->data, (cmsUInt32Number)icc->len);
    if (!srgb || !dst)
        die("lcms2: cannot open profiles");
    cmsHTRANSFORM xf = cmsCreateTransform(srgb, TYPE_RGB_8, dst, TYPE_RGB_8,
                                          INTENT_RELATIVE_COLORIMETRIC, 0);
    if (!xf)
        die("lcms2: cannot create transform");
    cmsDoTransform(xf, k_srgb_patches, out, 8);
    cmsDeleteTransform(xf);
    cmsCloseProfile(dst);
    cmsCloseProfile(srgb);
}

/* The 4x2 grid of 100x150 patches, stored in the Adobe-compatible
 * profile, which *icc gets (the caller frees both). */
static Image img_icc_patches(bool tabulated, Buf *icc)
{
    cmsHPROFILE p = build_adobe_profile(tabulated);
    *icc = serialize_profile(p);
    cmsCloseProfile(p);
    unsigned char patch[8][3];
    patches_to_profile(icc, patch);
    Image im = img_new(400, 300, 3);
    for (int i = 0; i < 8; i++)
        fill_rect(&im, (i % 4) * 100, (i / 4) * 150, 100, 150, patch[i]);
    return im;
}

/* q95 4:4:4 keeps the solid patches within ~1 unit after decoding. */
static void save_icc_jpeg(const char *rel, bool tabulated, int chunks)
{
    Buf icc;
    Image im = img_icc_patches(tabulated, &icc);
    JpegOpts o = {.quality = 95, .h_samp = 1, .v_samp = 1, .icc = icc.data,
                  .icc_len = icc.len, .icc_chunks = chunks};
    save_jpeg(rel, &im, &o);
    free(im.px);
    free(icc.data);
}

static void gen_icc(void)
{
    cmsSetLogErrorHandler(lcms_log);
    save_icc_jpeg("icc_adobergb_400x300.jpg", false, 0);
    /* ~2.6 KB profile split into 3 APP2 chunks of <= ~0.9 KB each. */
    save_icc_jpeg("icc_multichunk_400x300.jpg", true, 3);
}

/* ------------------------------------------------------------------ */
/* ICC that must be applied before averaging                           */
/* ------------------------------------------------------------------ */

/*
 * "Steep": sRGB's primaries and white with a tone curve of gamma 0.4
 * (stored values brighten steeply from black), so far from sRGB's that
 * the mean of two stored values converted is tens of levels from the
 * mean of the two converted. icc_steep_400x300.jpg: the pattern in 4x4
 * squares alternating with a quarter of its brightness (top half) and
 * 4-pixel rows of the pattern and black (bottom half), q95 4:4:4; 4
 * pixels survive the 1/2 DCT scaling a 75x56 thumbnail of it gets. A
 * thumbnailer that averages before converting is visibly too bright.
 */
static cmsHPROFILE build_steep_profile(void)
{
    cmsCIExyYTRIPLE prim = {{0.64, 0.33, 1.0}, {0.30, 0.60, 1.0}, {0.15, 0.06, 1.0}};
    return build_rgb_profile(&prim, tabulated_gamma(0.4), "thumbify test steep RGB, gamma 0.4");
}

/* Writes im as rel with profile p embedded (and closes p). */
static void save_with_profile(const char *rel, const Image *im, JpegOpts o, cmsHPROFILE p)
{
    Buf icc = serialize_profile(p);
    cmsCloseProfile(p);
    o.icc = icc.data;
    o.icc_len = icc.len;
    save_jpeg(rel, im, &o);
    free(icc.data);
}

static void gen_icc_steep(void)
{
    Image im = img_new(400, 300, 3);
    for (int y = 0; y < im.h; y++)
        for (int x = 0; x < im.w; x++) {
            double c[3];
            pattern_rgb(x, y, im.w, im.h, c);
            bool dark = y < im.h / 2 ? ((x / 4) + (y / 4)) % 2 : (y / 4) % 2;
            double f = y < im.h / 2 ? 0.25 : 0.0;
            for (int i = 0; i < 3; i++)
                img_at(&im, x, y)[i] = to8(dark ? f * c[i] : c[i]);
        }
    JpegOpts o = {.quality = 95, .h_samp = 1, .v_samp = 1};
    save_with_profile("icc_steep_400x300.jpg", &im, o, build_steep_profile());
    free(im.px);
}

/*
 * A CMYK output profile: AToB0 a 9-point CLUT from CMYK (0 = no ink) to
 * Lab, for RGB = ((1 - C)(1 - K))^1.8 per channel (M, Y for G, B) taken
 * as linear sRGB: ink darkens far faster than the naive (1 - C)(1 - K)
 * of a decoder without the profile, so the two differ by tens of levels.
 */
static int cmyk_sampler(const cmsUInt16Number in[], cmsUInt16Number out[], void *cargo)
{
    (void)cargo;
    double k = 1.0 - in[3] / 65535.0, lin[3];
    for (int i = 0; i < 3; i++)
        lin[i] = pow((1.0 - in[i] / 65535.0) * k, 1.8);
    cmsCIEXYZ xyz = {/* linear sRGB (D65) to XYZ, Bradford-adapted to D50 */
                     0.4360747 * lin[0] + 0.3850649 * lin[1] + 0.1430804 * lin[2],
                     0.2225045 * lin[0] + 0.7168786 * lin[1] + 0.0606169 * lin[2],
                     0.0139322 * lin[0] + 0.0971045 * lin[1] + 0.7141733 * lin[2]};
    cmsCIELab lab;
    cmsXYZ2Lab(cmsD50_XYZ(), &lab, &xyz);
    cmsFloat2LabEncoded(out, &lab);
    return 1;
}

static cmsHPROFILE build_cmyk_profile(void)
{
    cmsHPROFILE p = cmsCreateProfilePlaceholder(NULL);
    cmsPipeline *lut = cmsPipelineAlloc(NULL, 4, 3);
    cmsStage *clut = cmsStageAllocCLut16bit(NULL, 9, 4, 3, NULL);
    if (!p || !lut || !clut || !cmsStageSampleCLut16bit(clut, cmyk_sampler, NULL, 0) ||
        !cmsPipelineInsertStage(lut, cmsAT_BEGIN, clut))
        die("lcms2: cannot build the CMYK table");
    cmsSetProfileVersion(p, 2.1);
    cmsSetDeviceClass(p, cmsSigOutputClass);
    cmsSetColorSpace(p, cmsSigCmykData);
    cmsSetPCS(p, cmsSigLabData);
    if (!cmsWriteTag(p, cmsSigAToB0Tag, lut) ||
        !cmsWriteTag(p, cmsSigMediaWhitePointTag, cmsD50_XYZ()))
        die("lcms2: cannot write the CMYK profile's tags");
    cmsPipelineFree(lut);
    set_text_tag(p, cmsSigProfileDescriptionTag, "thumbify test CMYK, ink^1.8");
    set_text_tag(p, cmsSigCopyrightTag, "Public domain test data");
    return p;
}

/* cmyk_icc_400x300.jpg: the CMYK pattern (Adobe, inverted) with it. */
static void gen_cmyk_icc(void)
{
    Image im = img_pattern_cmyk_inverted(400, 300);
    JpegOpts o = {.quality = 95, .jpeg_cs = JCS_CMYK};
    save_with_profile("cmyk_icc_400x300.jpg", &im, o, build_cmyk_profile());
    free(im.px);
}

/* ------------------------------------------------------------------ */
/* EXIF orientation                                                    */
/* ------------------------------------------------------------------ */

enum { UP_W = 160, UP_H = 120 };

/*
 * Upright reference: four tinted quadrants (TL red, TR green, BL blue,
 * BR yellow) over the pattern plus a black "F" in the top-left quadrant.
 * Every one of the 8 flips/rotations rearranges it distinguishably.
 */
static void upright_pixel(int x, int y, unsigned char out[3])
{
    static const double tint[4][3] = {
        {0.86, 0.16, 0.16}, {0.16, 0.78, 0.16},
        {0.16, 0.16, 0.86}, {0.86, 0.86, 0.16}};
    int q = (x >= UP_W / 2) + 2 * (y >= UP_H / 2);
    bool f_glyph = (x >= 20 && x < 28 && y >= 15 && y < 55) ||
                   (y >= 15 && y < 23 && x >= 20 && x < 56) ||
                   (y >= 31 && y < 38 && x >= 20 && x < 46);
    double c[3];
    pattern_rgb(x, y, UP_W, UP_H, c);
    for (int i = 0; i < 3; i++)
        out[i] = f_glyph ? 0 : to8(0.7 * tint[q][i] + 0.3 * c[i]);
}

/*
 * Maps a stored pixel (sx,sy) to the upright pixel it must show, for
 * EXIF orientation n.  Derived from the tag's meaning ("row 0 is the
 * visual top/bottom/left/right, column 0 the visual left/right/top/
 * bottom"); for 5..8 the stored image is UP_H wide and UP_W tall.
 */
static void stored_to_upright(int n, int sx, int sy, int *x, int *y)
{
    switch (n) {
    case 1: *x = sx;            *y = sy;            break;
    case 2: *x = UP_W - 1 - sx; *y = sy;            break; /* mirror */
    case 3: *x = UP_W - 1 - sx; *y = UP_H - 1 - sy; break; /* 180 */
    case 4: *x = sx;            *y = UP_H - 1 - sy; break; /* flip */
    case 5: *x = sy;            *y = sx;            break; /* transpose */
    case 6: *x = UP_W - 1 - sy; *y = sx;            break; /* needs 90 CW */
    case 7: *x = UP_W - 1 - sy; *y = UP_H - 1 - sx; break; /* transverse */
    default: *x = sy;           *y = UP_H - 1 - sx; break; /* needs 90 CCW */
    }
}

/*
 * Minimal EXIF APP1: "Exif\0\0", TIFF header (MM big-endian or II
 * little-endian), IFD0 at offset 8 with one entry: tag 0x0112
 * (Orientation), type 3 SHORT, count 1, value n left-justified in the
 * 4-byte value field, then next-IFD offset 0.  32 bytes in total.
 */
static size_t make_exif(int n, bool be, unsigned char out[32])
{
    unsigned char *t = out + 6;
    memset(out, 0, 32);
    memcpy(out, "Exif\0\0", 6);
    memcpy(t, be ? "MM" : "II", 2);
    put16(t + 2, 42, be);
    put32(t + 4, 8, be);      /* IFD0 offset */
    put16(t + 8, 1, be);      /* one entry */
    put16(t + 10, 0x0112, be);
    put16(t + 12, 3, be);     /* SHORT */
    put32(t + 14, 1, be);     /* count */
    put16(t + 18, (unsigned)n, be);
    put32(t + 22, 0, be);     /* no IFD1 */
    return 32;
}

/* The upright reference as stored for EXIF orientation n. */
static Image img_stored(int n)
{
    bool swap = n >= 5;
    Image im = img_new(swap ? UP_H : UP_W, swap ? UP_W : UP_H, 3);
    for (int sy = 0; sy < im.h; sy++)
        for (int sx = 0; sx < im.w; sx++) {
            int x, y;
            stored_to_upright(n, sx, sy, &x, &y);
            upright_pixel(x, y, img_at(&im, sx, sy));
        }
    return im;
}

static void gen_orient_one(int n)
{
    Image im = img_stored(n);
    unsigned char exif[32];
    char name[64];
    /* Odd n big-endian, even n little-endian: both byte orders tested.
     * No JFIF marker, like camera files; q95 4:4:4 for clean compares. */
    JpegOpts o = {.quality = 95, .h_samp = 1, .v_samp = 1, .no_jfif = true,
                  .app1 = exif, .app1_len = make_exif(n, n % 2 == 1, exif)};
    snprintf(name, sizeof name, "orientation/orient_%d.jpg", n);
    save_jpeg(name, &im, &o);
    free(im.px);
}

static void gen_orientation(void)
{
    Image up = img_new(UP_W, UP_H, 3);
    for (int y = 0; y < UP_H; y++)
        for (int x = 0; x < UP_W; x++)
            upright_pixel(x, y, img_at(&up, x, y));
    save_png_rgb("orientation/upright_reference.png", &up, false);
    free(up.px);
    for (int n = 1; n <= 8; n++)
        gen_orient_one(n);
}

/* ------------------------------------------------------------------ */
/* PNGs                                                                */
/* ------------------------------------------------------------------ */

/* RGBA: pattern colours, alpha ramps 0 (top-left) to 255 (bottom-right). */
static void gen_png_rgba(void)
{
    int w = 320, h = 240;
    unsigned char *px = xmalloc((size_t)w * h * 4);
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++) {
            double c[3];
            unsigned char *p = px + ((size_t)y * w + x) * 4;
            pattern_rgb(x, y, w, h, c);
            for (int i = 0; i < 3; i++)
                p[i] = to8(c[i]);
            p[3] = to8((double)(x + y) / (w + h - 2));
        }
    PngSpec s = {w, h, PNG_COLOR_TYPE_RGB_ALPHA, 8, false, px, NULL, 0, NULL, 0};
    write_png("png/rgba_320x240.png", &s);
    free(px);
}

/*
 * Palette: 4x4 grid of the 12 block colours + 4 extras.  tRNS makes
 * index 0 (red) fully transparent, 1 (green) alpha 128, 2 (blue)
 * alpha 64; all other indices are opaque.
 */
static void gen_png_palette(void)
{
    int w = 200, h = 150;
    png_color pal[16];
    for (int i = 0; i < 12; i++)
        pal[i] = (png_color){k_block_colours[i][0], k_block_colours[i][1],
                             k_block_colours[i][2]};
    pal[12] = (png_color){255, 192, 203};
    pal[13] = (png_color){139, 69, 19};
    pal[14] = (png_color){192, 192, 192};
    pal[15] = (png_color){64, 64, 64};
    static const png_byte trns[3] = {0, 128, 64};
    unsigned char *px = xmalloc((size_t)w * h);
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++)
            px[(size_t)y * w + x] = (unsigned char)(x * 4 / w + 4 * (y * 4 / h));
    PngSpec s = {w, h, PNG_COLOR_TYPE_PALETTE, 8, false, px, pal, 16, trns, 3};
    write_png("png/palette_200x150.png", &s);
    free(px);
}

/* 16-bit grey with real 16-bit precision (values are not multiples of
 * 257), so a sloppy 16->8 reduction (>> 8 vs rounding) is detectable. */
static void gen_png_gray16(void)
{
    int w = 200, h = 150;
    unsigned char *px = xmalloc((size_t)w * h * 2);
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++) {
            double v = pattern_gray(x, y, w, h);
            unsigned u16 = (unsigned)floor(v * 65535.0 + 0.5);
            put16(px + ((size_t)y * w + x) * 2, u16, true); /* PNG is BE */
        }
    PngSpec s = {w, h, PNG_COLOR_TYPE_GRAY, 16, false, px, NULL, 0, NULL, 0};
    write_png("png/gray16_200x150.png", &s);
    free(px);
}

/* Grey + alpha: alpha ~253 in the centre fading to ~1 at the corners. */
static void gen_png_gray_alpha(void)
{
    int w = 200, h = 150;
    unsigned char *px = xmalloc((size_t)w * h * 2);
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++) {
            double dx = (x - (w - 1) / 2.0) / (w / 2.0);
            double dy = (y - (h - 1) / 2.0) / (h / 2.0);
            unsigned char *p = px + ((size_t)y * w + x) * 2;
            p[0] = to8(pattern_gray(x, y, w, h));
            p[1] = to8(1.0 - sqrt(dx * dx + dy * dy) / sqrt(2.0));
        }
    PngSpec s = {w, h, PNG_COLOR_TYPE_GRAY_ALPHA, 8, false, px, NULL, 0, NULL, 0};
    write_png("png/gray_alpha_200x150.png", &s);
    free(px);
}

/* 16-bit RGB with real 16-bit precision, plain and Adam7: twins that must
 * give the same thumbnail. */
static void gen_png_rgb16(void)
{
    int w = 200, h = 150;
    unsigned char *px = xmalloc((size_t)w * h * 6);
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++) {
            double c[3];
            pattern_rgb(x, y, w, h, c);
            for (int i = 0; i < 3; i++)
                put16(px + ((size_t)y * w + x) * 6 + 2 * i,
                      (unsigned)floor(clamp01(c[i]) * 65535.0 + 0.5), true);
        }
    PngSpec s = {w, h, PNG_COLOR_TYPE_RGB, 16, false, px, NULL, 0, NULL, 0};
    write_png("png/rgb16_200x150.png", &s);
    s.interlace = true;
    write_png("png/rgb16_interlaced_200x150.png", &s);
    free(px);
}

/*
 * The orientation reference stored for EXIF orientation n, with the
 * orientation in an eXIf chunk: make_exif's TIFF block without "Exif\0\0"
 * (the PNG extension's layout), right after IHDR or, as some writers put
 * it, after the image data.
 */
static void save_exif_png(const char *rel, int n, bool be, bool after_idat)
{
    Image im = img_stored(n);
    unsigned char exif[32];
    size_t len = make_exif(n, be, exif);
    PngSpec s = {im.w, im.h, PNG_COLOR_TYPE_RGB, 8, false, im.px, NULL, 0, NULL, 0};
    Buf b = encode_png(&s);
    splice_chunk(&b, after_idat ? b.len - 12 : 33, "eXIf", exif + 6, len - 6);
    write_out(rel, b.data, b.len);
    free(b.data);
    free(im.px);
}

/*
 * The same with the orientation where ImageMagick put EXIF before PNG had
 * eXIf: a zTXt chunk "Raw profile type exif" whose text is "\nexif\n", the
 * APP1 payload's length in 8 columns, "\n", and the payload ("Exif\0\0"
 * and the TIFF block) in hex, 72 digits a line.
 */
static void save_raw_profile_png(const char *rel, int n, bool be)
{
    static const char key[] = "Raw profile type exif";
    Image im = img_stored(n);
    unsigned char exif[32];
    size_t len = make_exif(n, be, exif);
    char text[256];
    int at = snprintf(text, sizeof text, "\nexif\n%8zu\n", len);
    for (size_t i = 0; i < len; i++)
        at += snprintf(text + at, sizeof text - (size_t)at, "%02x%s", exif[i],
                       i + 1 == len || (i + 1) % 36 == 0 ? "\n" : "");
    uLongf zlen = compressBound((uLong)at);
    unsigned char *d = xmalloc(sizeof key + 1 + zlen);
    memcpy(d, key, sizeof key); /* with its NUL */
    d[sizeof key] = 0;          /* method: deflate */
    if (compress2(d + sizeof key + 1, &zlen, (const Bytef *)text, (uLong)at, 9) != Z_OK)
        die("zlib: cannot compress the text");
    PngSpec s = {im.w, im.h, PNG_COLOR_TYPE_RGB, 8, false, im.px, NULL, 0, NULL, 0};
    Buf b = encode_png(&s);
    splice_chunk(&b, 33, "zTXt", d, sizeof key + 1 + zlen);
    write_out(rel, b.data, b.len);
    free(b.data);
    free(d);
    free(im.px);
}

/* An iCCP chunk after IHDR: name, NUL, method 0, the deflated profile. */
static void splice_iccp(Buf *png, const char *name, const Buf *icc)
{
    uLongf zlen = compressBound((uLong)icc->len);
    size_t n = strlen(name);
    unsigned char *d = xmalloc(n + 2 + zlen);
    memcpy(d, name, n + 1);
    d[n + 1] = 0;
    if (compress2(d + n + 2, &zlen, icc->data, (uLong)icc->len, 9) != Z_OK)
        die("zlib: cannot compress the profile");
    splice_chunk(png, 33, "iCCP", d, n + 2 + zlen);
    free(d);
}

/* The longest profile name a PNG allows (79 bytes): libpng's messages
 * quote it, so they run long. */
static const char k_long_profile_name[] =
    "thumbify test profile with a name as long as an iCCP chunk allows, 79 bytes....";

/*
 * icc_adobergb_400x300.jpg's patches in a PNG whose profile header gives
 * D65 as the PCS illuminant (0.9505, 1, 1.0891) where ICC wants D50, as
 * many wide-gamut profiles' rounded headers do: libpng warns "PCS
 * illuminant is not D50", and the profile still converts the patches back
 * to the sRGB colours listed above.  And the grey pattern tagged with that
 * RGB profile, which libpng refuses with a long message quoting the name.
 */
static void gen_png_icc(void)
{
    Buf icc;
    Image im = img_icc_patches(false, &icc);
    PngSpec s = {im.w, im.h, PNG_COLOR_TYPE_RGB, 8, false, im.px, NULL, 0, NULL, 0};
    Buf b = encode_png(&s);
    Buf d65 = {xmalloc(icc.len), icc.len};
    memcpy(d65.data, icc.data, icc.len);
    put32(d65.data + 68, 62292, true); /* s15Fixed16: 0.9505 */
    put32(d65.data + 72, 65536, true); /* 1.0 */
    put32(d65.data + 76, 71375, true); /* 1.0891 */
    splice_iccp(&b, k_long_profile_name, &d65);
    write_out("png/icc_pcs_d65_400x300.png", b.data, b.len);
    free(b.data);
    free(im.px);
    free(d65.data);

    Image grey = img_pattern_gray(200, 150);
    PngSpec g = {grey.w, grey.h, PNG_COLOR_TYPE_GRAY, 8, false, grey.px, NULL, 0, NULL, 0};
    b = encode_png(&g);
    splice_iccp(&b, k_long_profile_name, &icc);
    write_out("png/gray_rgb_icc_200x150.png", b.data, b.len);
    free(b.data);
    free(grey.px);
    free(icc.data);
}

static void gen_pngs(void)
{
    Image im = img_pattern(320, 240);
    save_png_rgb("png/rgb_320x240.png", &im, false);
    save_png_rgb("png/interlaced_320x240.png", &im, true);
    free(im.px);
    gen_png_rgba();
    gen_png_palette();
    gen_png_gray16();
    gen_png_gray_alpha();
    Image tiny = img_new(1, 1, 3);
    memcpy(tiny.px, (unsigned char[3]){200, 100, 50}, 3);
    save_png_rgb("png/tiny_1x1.png", &tiny, false);
    free(tiny.px);
    gen_png_rgb16();
    save_exif_png("orientation/exif_orient6.png", 6, true, false);
    save_exif_png("orientation/exif_orient8_after_idat.png", 8, false, true);
    save_raw_profile_png("orientation/raw_profile_orient5.png", 5, true);
    gen_png_icc();
}

/* ------------------------------------------------------------------ */
/* Broken inputs                                                       */
/* ------------------------------------------------------------------ */

/* Offset just past the first SOS segment, or 0 if none is found. */
static size_t scan_data_offset(const Buf *b)
{
    for (size_t i = 2; i + 3 < b->len;) {
        if (b->data[i] != 0xff)
            return 0;
        size_t seg = ((size_t)b->data[i + 2] << 8) | b->data[i + 3];
        if (b->data[i + 1] == 0xda)
            return i + 2 + seg;
        i += 2 + seg;
    }
    return 0;
}

/*
 * 600 valid bytes then 2000 bytes from a fixed-seed LCG (Numerical
 * Recipes constants).  Huffman tables are optimised so the headers end
 * before byte 600: the junk then lands in the entropy-coded data, which
 * is the case a decoder is least likely to reject up front.
 */
static void gen_garbage(void)
{
    Image im = img_pattern(640, 480);
    JpegOpts o = {.quality = 90, .optimize = true};
    Buf b = jpeg_encode(&im, &o);
    size_t sos = scan_data_offset(&b);
    if (sos == 0 || sos >= 600 || b.len < 600)
        die("garbage source: headers end at %zu, expected < 600", sos);
    unsigned char out[2600];
    memcpy(out, b.data, 600);
    uint32_t s = 20240101u;
    for (int i = 600; i < 2600; i++) {
        s = s * 1664525u + 1013904223u;
        out[i] = (unsigned char)(s >> 24);
    }
    write_out("bad/garbage_after_header.jpg", out, sizeof out);
    free(b.data);
    free(im.px);
}

static void gen_truncated(void)
{
    Image im = img_pattern(640, 480);
    JpegOpts base = {.quality = 90};
    JpegOpts prog = {.quality = 90, .progressive = true};
    Buf b = jpeg_encode(&im, &base);
    write_out("bad/truncated_half.jpg", b.data, b.len / 2);
    free(b.data);
    b = jpeg_encode(&im, &prog);
    write_out("bad/truncated_progressive.jpg", b.data, b.len * 2 / 5);
    free(b.data);
    free(im.px);
}

static void gen_bad(void)
{
    static const char text[] = "this is not a jpeg\n";
    gen_truncated();
    write_out("bad/not_a_jpeg.jpg", text, sizeof text - 1);
    write_out("bad/zero_bytes.jpg", NULL, 0);
    Image im = img_pattern(64, 48);
    save_png_rgb("bad/png_named.jpg", &im, false);
    free(im.px);
    gen_garbage();
}

/* ------------------------------------------------------------------ */
/* Embedded EXIF thumbnails (--embedded)                               */
/* ------------------------------------------------------------------ */

/*
 * Each file in embedded/ is a camera-style JPEG (no JFIF, q95 4:4:4) of
 * the pattern with an EXIF APP1 holding IFD0 (Orientation) and IFD1 (a
 * JPEG thumbnail).  The thumbnail shows the same picture, but tinted
 * strongly towards magenta: a thumbnail made from it has a mean colour
 * far from one made from the main image (green much lower), so a test
 * can tell which of the two was used.
 */
static const double k_thumb_tint[3] = {0.95, 0.15, 0.85};

/* The upright picture at (x, y) of w x h, tinted or not. */
static void embedded_pixel(int x, int y, int w, int h, bool tinted, unsigned char out[3])
{
    double c[3];
    pattern_rgb(x, y, w, h, c);
    for (int i = 0; i < 3; i++)
        out[i] = to8(tinted ? 0.4 * clamp01(c[i]) + 0.6 * k_thumb_tint[i] : c[i]);
}

/*
 * An upright w x h picture as stored for EXIF orientation 1 or 6 (6: the
 * stored image is h wide and w tall and must be turned 90 degrees
 * clockwise; stored (sx, sy) shows upright (w - 1 - sy, sx)).  pic_h < h
 * letterboxes it: a w x pic_h picture between black bars, the top bar
 * (h - pic_h) / 2 rows high, the rest at the bottom.
 */
static Image img_embedded(int w, int h, int orient, bool tinted, int pic_h)
{
    bool swap = orient == 6;
    Image im = img_new(swap ? h : w, swap ? w : h, 3);
    int top = (h - pic_h) / 2;
    for (int sy = 0; sy < im.h; sy++)
        for (int sx = 0; sx < im.w; sx++) {
            int x = swap ? w - 1 - sy : sx, y = swap ? sx : sy;
            unsigned char *p = img_at(&im, sx, sy);
            if (y < top || y >= top + pic_h)
                memset(p, 0, 3);
            else
                embedded_pixel(x, y - top, w, pic_h, tinted, p);
        }
    return im;
}

/*
 * APP1 payload: "Exif\0\0", TIFF header (MM or II), IFD0 at 8 with
 * Orientation, IFD1 at 26 with Compression (6 = JPEG),
 * JPEGInterchangeFormat (the thumbnail's offset from the TIFF header:
 * 68, right after IFD1) and JPEGInterchangeFormatLength, then the
 * thumbnail bytes.  The caller frees the result.
 */
static Buf make_exif_thumb(int orient, bool be, const unsigned char *thumb, size_t len)
{
    enum { IFD0 = 8, IFD1 = IFD0 + 2 + 12 + 4, DATA = IFD1 + 2 + 3 * 12 + 4 };
    Buf b = {xmalloc(6 + DATA + len), 6 + DATA + len};
    if (b.len > 65533)
        die("EXIF thumbnail too large for one APP1 (%zu bytes)", b.len);
    unsigned char *t = b.data + 6;
    memcpy(b.data, "Exif\0\0", 6);
    memcpy(t, be ? "MM" : "II", 2);
    put16(t + 2, 42, be);
    put32(t + 4, IFD0, be);
    put16(t + IFD0, 1, be);
    put16(t + IFD0 + 2, 0x0112, be);       /* Orientation, SHORT, 1 */
    put16(t + IFD0 + 4, 3, be);
    put32(t + IFD0 + 6, 1, be);
    put16(t + IFD0 + 10, (unsigned)orient, be);
    put32(t + IFD0 + 14, IFD1, be);        /* next IFD: IFD1 */
    static const unsigned tags[3] = {0x0103, 0x0201, 0x0202};
    put16(t + IFD1, 3, be);
    for (int i = 0; i < 3; i++) {
        unsigned char *e = t + IFD1 + 2 + 12 * i;
        put16(e, tags[i], be);
        put16(e + 2, i == 0 ? 3 : 4, be);  /* SHORT, then two LONGs */
        put32(e + 4, 1, be);
        if (i == 0)
            put16(e + 8, 6, be);
        else
            put32(e + 8, i == 1 ? (uint32_t)DATA : (uint32_t)len, be);
    }
    put32(t + IFD1 + 2 + 36, 0, be);       /* no IFD2 */
    memcpy(t + DATA, thumb, len);
    return b;
}

typedef enum { THUMB_GOOD, THUMB_TRUNCATED, THUMB_GARBAGE } ThumbKind;

typedef struct {
    const char *name;
    int w, h, orient;   /* the main image, upright size */
    int tw, th, tpic_h; /* the thumbnail, upright; tpic_h < th: letterbox */
    ThumbKind kind;
    bool be;
} EmbeddedJpeg;

static const EmbeddedJpeg k_embedded[] = {
    {"embedded/exif_thumb_640x480.jpg", 640, 480, 1, 160, 120, 120, THUMB_GOOD, false},
    /* 3:2 main, 4:3 thumbnail: 160x107 picture between 6 + 7 black rows */
    {"embedded/exif_thumb_letterbox_640x427.jpg", 640, 427, 1, 160, 120, 107, THUMB_GOOD, true},
    /* 16:9 thumbnail of a 4:3 image: must not be used */
    {"embedded/exif_thumb_wrong_aspect_640x480.jpg", 640, 480, 1, 160, 90, 90, THUMB_GOOD, false},
    /* 40x30: smaller than a 75x75 box needs (75x56) */
    {"embedded/exif_thumb_small_640x480.jpg", 640, 480, 1, 40, 30, 30, THUMB_GOOD, true},
    /* IFD1 covers only the first half of a valid thumbnail JPEG */
    {"embedded/exif_thumb_corrupt_640x480.jpg", 640, 480, 1, 160, 120, 120, THUMB_TRUNCATED, false},
    /* IFD1 points to FF D8 FF followed by 2000 fixed-seed LCG bytes */
    {"embedded/exif_thumb_garbage_640x480.jpg", 640, 480, 1, 160, 120, 120, THUMB_GARBAGE, true},
    /* stored 640x480 with orientation 6, thumbnail stored 160x120 the
     * same way (unrotated): both must be turned upright */
    {"embedded/exif_thumb_orient6_480x640.jpg", 480, 640, 6, 120, 160, 160, THUMB_GOOD, true},
};

static void gen_embedded_one(const EmbeddedJpeg *e)
{
    Buf thumb;
    if (e->kind == THUMB_GARBAGE) {
        thumb = (Buf){xmalloc(2003), 2003};
        memcpy(thumb.data, "\xff\xd8\xff", 3);
        uint32_t s = 20240202u;
        for (size_t i = 3; i < thumb.len; i++) {
            s = s * 1664525u + 1013904223u;
            thumb.data[i] = (unsigned char)(s >> 24);
        }
    } else {
        Image ti = img_embedded(e->tw, e->th, e->orient, true, e->tpic_h);
        JpegOpts to = {.quality = 90, .h_samp = 1, .v_samp = 1, .no_jfif = true};
        thumb = jpeg_encode(&ti, &to);
        free(ti.px);
        if (e->kind == THUMB_TRUNCATED)
            thumb.len /= 2;
    }
    Buf app1 = make_exif_thumb(e->orient, e->be, thumb.data, thumb.len);
    Image im = img_embedded(e->w, e->h, e->orient, false, e->h);
    JpegOpts o = {.quality = 95, .h_samp = 1, .v_samp = 1, .no_jfif = true,
                  .app1 = app1.data, .app1_len = app1.len};
    save_jpeg(e->name, &im, &o);
    free(im.px);
    free(app1.data);
    free(thumb.data);
}

static void gen_embedded(void)
{
    for (size_t i = 0; i < sizeof k_embedded / sizeof k_embedded[0]; i++)
        gen_embedded_one(&k_embedded[i]);
}

int main(int argc, char **argv)
{
    if (argc != 2 || argv[1][0] == '\0') {
        fprintf(stderr, "usage: %s OUTDIR\n", argc > 0 ? argv[0] : "gen_testdata");
        return 2;
    }
    g_outdir = argv[1];
    make_dir(NULL);
    make_dir("orientation");
    make_dir("png");
    make_dir("bad");
    make_dir("embedded");
    gen_pattern_jpegs();
    gen_blocks();
    gen_cmyk();
    gen_icc();
    gen_icc_steep();
    gen_cmyk_icc();
    gen_orientation();
    gen_pngs();
    gen_bad();
    gen_embedded();
    printf("gen_testdata: wrote %d files, %zu bytes, to %s\n", g_files, g_bytes,
           g_outdir);
    return 0;
}
