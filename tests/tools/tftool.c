/* tftool.c - the tests' independent eye on images. It shares no code with
 * thumbify: references are computed here from scratch, so a bug in the core
 * cannot hide itself.
 *
 *   tftool dims FILE                 print "W H C" of a JPEG or PNG; C is
 *                                    the channels: 1 grey, 2 grey+alpha,
 *                                    3 RGB, 4 RGBA
 *   tftool pixel FILE X Y            print the samples at (X, Y)
 *   tftool psnr [--orient auto|N] SRC THUMB [MIN_DB]
 *                                    PSNR of THUMB against the exact area
 *                                    average of SRC decoded at full size;
 *                                    exit 1 when below MIN_DB. --orient
 *                                    turns the full-size SRC upright first
 *                                    (auto: by SRC's own EXIF tag). A SRC
 *                                    with alpha against a THUMB without is
 *                                    composited over white first; alpha
 *                                    against alpha compares all channels,
 *                                    the reference averaged premultiplied.
 *                                    --icc converts SRC's colour pixels
 *                                    (RGB, RGBA, CMYK) through its embedded
 *                                    ICC profile to sRGB first, as
 *                                    mean-icc does; grey stays grey.
 *                                    --crop averages only the centred
 *                                    region of the upright SRC with
 *                                    THUMB's aspect ratio, as large as
 *                                    fits (sides rounded, offsets halved
 *                                    down): what -s WxH --crop shows.
 *   tftool derive SRC OUTDIR N SEED [WxH]
 *                                    writes N photo-like JPEGs of 400 to 700
 *                                    pixels on the longer side (or all W x
 *                                    H) into OUTDIR (d0000.jpg ...): crops
 *                                    of SRC at random scales and places,
 *                                    exactly area-averaged, quality 70-95,
 *                                    mostly 4:2:0, some 4:4:4 or
 *                                    progressive; a pure function of SRC,
 *                                    SEED and the size
 *   tftool mean FILE                 the mean of each channel, 2 decimals
 *   tftool mean-icc SRC              the mean colour of SRC after converting
 *                                    its pixels through its embedded ICC
 *                                    profile to sRGB; exit 2 without one
 *   tftool exif-orientation FILE     the EXIF orientation tag, 1 if absent
 *                                    or not 1..8
 *
 * Files are told apart by their first bytes (PNG signature, else JPEG),
 * never by their names. Exit 2 on unreadable files and usage errors.
 *
 * Link: -ljpeg -lpng -llcms2 -lm
 */
#include <math.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jpeglib.h>
#include <lcms2.h>
#include <png.h>

typedef struct image {
    int w, h, c;
    unsigned char *px;
} image;

typedef struct blob {
    unsigned char *data;
    size_t len;
} blob;

static const unsigned char png_sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

/* 1 when the file starts with the PNG signature, 0 when not, -1 unreadable. */
static int is_png(const char *path)
{
    unsigned char head[8];
    FILE *f = fopen(path, "rb");
    if (!f) {
        perror(path);
        return -1;
    }
    size_t n = fread(head, 1, sizeof head, f);
    fclose(f);
    return n == sizeof head && memcmp(head, png_sig, sizeof head) == 0;
}

static int has_alpha(int c) { return c == 2 || c == 4; }

/* ------------------------------------------------------------------ */
/* JPEG                                                                */
/* ------------------------------------------------------------------ */

struct err_mgr {
    struct jpeg_error_mgr pub;
    jmp_buf jump;
};

static void on_error(j_common_ptr cinfo)
{
    struct err_mgr *e = (struct err_mgr *)cinfo->err;
    (*cinfo->err->output_message)(cinfo);
    longjmp(e->jump, 1);
}

static void on_message(j_common_ptr cinfo, int level)
{
    (void)cinfo; /* warnings on damaged sources are expected in tests */
    (void)level;
}

enum { KEEP_CMYK = 1 }; /* load_jpeg: 4-channel inverted CMYK as stored */

/* Full-size decode: grey stays 1 channel, colour becomes RGB, CMYK is read
 * as Adobe-inverted CMYK and converted, as Photoshop writes it (with
 * KEEP_CMYK the 4 inverted samples are kept). When icc is given it gets
 * the embedded ICC profile, or NULL/0 when there is none. */
static int load_jpeg(const char *path, image *img, int header_only, int flags, blob *icc)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        perror(path);
        return -1;
    }
    struct jpeg_decompress_struct cinfo;
    struct err_mgr err;
    cinfo.err = jpeg_std_error(&err.pub);
    err.pub.error_exit = on_error;
    err.pub.emit_message = on_message;
    img->px = NULL;
    if (icc) {
        icc->data = NULL;
        icc->len = 0;
    }
    if (setjmp(err.jump)) {
        jpeg_destroy_decompress(&cinfo);
        fclose(f);
        free(img->px);
        img->px = NULL;
        if (icc) {
            free(icc->data);
            icc->data = NULL;
        }
        return -1;
    }
    jpeg_create_decompress(&cinfo);
    jpeg_stdio_src(&cinfo, f);
    if (icc)
        jpeg_save_markers(&cinfo, JPEG_APP0 + 2, 0xFFFF);
    jpeg_read_header(&cinfo, TRUE);
    if (icc) {
        JOCTET *data = NULL;
        unsigned int len = 0;
        if (jpeg_read_icc_profile(&cinfo, &data, &len)) {
            icc->data = data;
            icc->len = len;
        }
    }
    int cmyk = cinfo.num_components == 4;
    cinfo.out_color_space = cinfo.num_components == 1 ? JCS_GRAYSCALE : cmyk ? JCS_CMYK : JCS_RGB;
    img->w = (int)cinfo.image_width;
    img->h = (int)cinfo.image_height;
    img->c = cinfo.num_components == 1 ? 1 : cmyk && (flags & KEEP_CMYK) ? 4 : 3;
    if (!header_only) {
        jpeg_start_decompress(&cinfo);
        img->px = malloc((size_t)img->w * img->h * img->c);
        unsigned char *row = malloc((size_t)img->w * 4);
        if (!img->px || !row) {
            fprintf(stderr, "%s: out of memory\n", path);
            free(row);
            longjmp(err.jump, 1);
        }
        int convert = cmyk && img->c == 3;
        while (cinfo.output_scanline < cinfo.output_height) {
            unsigned char *dst = img->px + (size_t)cinfo.output_scanline * img->w * img->c;
            JSAMPROW r = convert ? row : dst;
            jpeg_read_scanlines(&cinfo, &r, 1);
            for (int x = 0; convert && x < img->w; x++)
                for (int k = 0; k < 3; k++)
                    dst[x * 3 + k] = (unsigned char)((row[x * 4 + k] * row[x * 4 + 3] + 127) / 255);
        }
        free(row);
        jpeg_finish_decompress(&cinfo);
    }
    jpeg_destroy_decompress(&cinfo);
    fclose(f);
    return 0;
}

/* ------------------------------------------------------------------ */
/* PNG                                                                 */
/* ------------------------------------------------------------------ */

struct png_err {
    const char *path;
    volatile int after_pixels; /* errors past the image data: not reported */
};

static void png_on_error(png_structp p, png_const_charp msg)
{
    struct png_err *e = png_get_error_ptr(p);
    if (!e->after_pixels)
        fprintf(stderr, "%s: %s\n", e->path, msg);
    png_longjmp(p, 1);
}

static void png_on_warning(png_structp p, png_const_charp msg)
{
    (void)p; /* as for JPEG: damaged sources are expected in tests */
    (void)msg;
}

/* Full-size decode with libpng's low-level API, 8 bits per sample:
 * palette expanded to RGB, tRNS to an alpha channel, grey below 8 bits
 * widened, 16 bits scaled with rounding (v * 255 / 65535), Adam7
 * deinterlaced. No gamma or colour handling (gAMA, cHRM, sRGB, iCCP are
 * not applied): the samples as stored. icc, when given, gets the iCCP
 * profile; exif, when given, the eXIf payload (a TIFF header onwards),
 * looked for after the image data too. */
static int load_png(const char *path, image *img, int header_only, blob *icc, blob *exif)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        perror(path);
        return -1;
    }
    struct png_err err = {path, 0};
    png_structp p = png_create_read_struct(PNG_LIBPNG_VER_STRING, &err, png_on_error,
                                           png_on_warning);
    png_infop info = p ? png_create_info_struct(p) : NULL;
    if (!info) {
        fprintf(stderr, "%s: cannot create a libpng reader\n", path);
        png_destroy_read_struct(&p, NULL, NULL);
        fclose(f);
        return -1;
    }
    /* volatile: changed between setjmp and a possible longjmp */
    unsigned char *volatile px = NULL;
    png_bytep *volatile rows = NULL;
    img->px = NULL;
    if (icc) {
        icc->data = NULL;
        icc->len = 0;
    }
    if (exif) {
        exif->data = NULL;
        exif->len = 0;
    }
    if (setjmp(png_jmpbuf(p))) {
        if (err.after_pixels) /* damage after the pixels: they are good */
            goto done;
        png_destroy_read_struct(&p, &info, NULL);
        fclose(f);
        free(px);
        free(rows);
        if (icc) {
            free(icc->data);
            icc->data = NULL;
        }
        if (exif) {
            free(exif->data);
            exif->data = NULL;
        }
        return -1;
    }
    png_init_io(p, f);
    png_read_info(p, info);
    png_set_expand(p);
    png_set_scale_16(p);
    (void)png_set_interlace_handling(p);
    png_read_update_info(p, info);
    img->w = (int)png_get_image_width(p, info);
    img->h = (int)png_get_image_height(p, info);
    img->c = png_get_channels(p, info);
    if (icc) {
        png_charp name;
        int compression;
        png_bytep prof;
        png_uint_32 len;
        if (png_get_iCCP(p, info, &name, &compression, &prof, &len) && len > 0) {
            icc->data = malloc(len);
            if (icc->data) {
                memcpy(icc->data, prof, len);
                icc->len = len;
            }
        }
    }
    if (!header_only || exif) {
        size_t stride = png_get_rowbytes(p, info);
        if (stride != (size_t)img->w * img->c) {
            fprintf(stderr, "%s: unexpected PNG row size\n", path);
            png_longjmp(p, 1);
        }
        px = malloc(stride * img->h);
        rows = malloc(sizeof *rows * img->h);
        if (!px || !rows) {
            fprintf(stderr, "%s: out of memory\n", path);
            png_longjmp(p, 1);
        }
        for (int y = 0; y < img->h; y++)
            rows[y] = px + (size_t)y * stride;
        png_read_image(p, rows);
        err.after_pixels = 1;
        if (exif)
            png_read_end(p, info);
    }
done:
    if (exif) {
        png_bytep data;
        png_uint_32 len;
        if (png_get_eXIf_1(p, info, &len, &data) && len > 0) {
            exif->data = malloc(len);
            if (exif->data) {
                memcpy(exif->data, data, len);
                exif->len = len;
            }
        }
    }
    png_destroy_read_struct(&p, &info, NULL);
    fclose(f);
    free(rows);
    if (header_only)
        free(px);
    else
        img->px = px;
    return 0;
}

/* Either format, by content. */
static int load_image(const char *path, image *img, int header_only)
{
    int png = is_png(path);
    if (png < 0)
        return -1;
    return png ? load_png(path, img, header_only, NULL, NULL)
               : load_jpeg(path, img, header_only, 0, NULL);
}

/* ------------------------------------------------------------------ */
/* EXIF orientation                                                    */
/* ------------------------------------------------------------------ */

static unsigned rd16(const unsigned char *p, int be)
{
    return be ? (unsigned)p[0] << 8 | p[1] : (unsigned)p[1] << 8 | p[0];
}

static uint32_t rd32(const unsigned char *p, int be)
{
    return be ? (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3]
              : (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 | (uint32_t)p[1] << 8 | p[0];
}

/* The Orientation tag (0x0112) of IFD0 in a TIFF structure of len bytes
 * (starting at "II"/"MM"); 1 when absent, malformed or not in 1..8. Every
 * offset is checked against len before it is read. */
static int tiff_orientation(const unsigned char *t, size_t len)
{
    if (len < 8)
        return 1;
    int be;
    if (t[0] == 'I' && t[1] == 'I')
        be = 0;
    else if (t[0] == 'M' && t[1] == 'M')
        be = 1;
    else
        return 1;
    if (rd16(t + 2, be) != 42)
        return 1;
    uint32_t ifd = rd32(t + 4, be);
    if (ifd < 8 || ifd > len || len - ifd < 2)
        return 1;
    unsigned n = rd16(t + ifd, be);
    for (unsigned i = 0; i < n; i++) {
        size_t e = (size_t)ifd + 2 + (size_t)i * 12;
        if (e + 12 > len)
            return 1;
        if (rd16(t + e, be) != 0x0112)
            continue;
        unsigned type = rd16(t + e + 2, be);
        uint32_t count = rd32(t + e + 4, be);
        unsigned v;
        if (type == 3 && count >= 1)        /* SHORT, left-justified */
            v = rd16(t + e + 8, be);
        else if (type == 4 && count == 1)   /* LONG, seen in the wild */
            v = (unsigned)rd32(t + e + 8, be);
        else
            return 1;
        return v >= 1 && v <= 8 ? (int)v : 1;
    }
    return 1;
}

/* The orientation of a JPEG: walks the marker segments from SOI up to SOS
 * or EOI (own parser, not libjpeg's) and reads the first APP1 that starts
 * with "Exif\0\0". -1 when the file cannot be read. */
static int jpeg_orientation(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        perror(path);
        return -1;
    }
    int c1 = getc(f), c2 = getc(f);
    if (c1 != 0xFF || c2 != 0xD8) {
        fclose(f);
        return 1;
    }
    int result = 1;
    for (;;) {
        int c = getc(f);
        if (c != 0xFF)
            break;                      /* not at a marker: give up */
        while (c == 0xFF)               /* fill bytes */
            c = getc(f);
        if (c == EOF || c == 0xD9 || c == 0xDA)
            break;
        if (c == 0x01 || (c >= 0xD0 && c <= 0xD7))
            continue;                   /* TEM, RSTn: no length */
        int hi = getc(f), lo = getc(f);
        if (hi == EOF || lo == EOF)
            break;
        size_t seg = (size_t)hi << 8 | (size_t)lo;
        if (seg < 2)
            break;
        seg -= 2;
        if (c == 0xE1) {
            unsigned char *d = malloc(seg ? seg : 1);
            if (!d || fread(d, 1, seg, f) != seg) {
                free(d);
                break;
            }
            int exif = seg >= 6 && memcmp(d, "Exif\0\0", 6) == 0;
            if (exif)
                result = tiff_orientation(d + 6, seg - 6);
            free(d);
            if (exif)
                break;
        } else if (fseek(f, (long)seg, SEEK_CUR) != 0) {
            break;
        }
    }
    fclose(f);
    return result;
}

/* Either format: for a PNG, its eXIf chunk. -1 when unreadable. */
static int file_orientation(const char *path)
{
    int png = is_png(path);
    if (png < 0)
        return -1;
    if (!png)
        return jpeg_orientation(path);
    image img;
    blob exif;
    if (load_png(path, &img, 1, NULL, &exif) != 0)
        return -1;
    int o = exif.data ? tiff_orientation(exif.data, exif.len) : 1;
    free(exif.data);
    return o;
}

/* The upright image of src stored with orientation n: for each displayed
 * pixel (dx, dy), the stored pixel (sx, sy) that shows there. Tag meaning
 * (TIFF 6.0): n = where row 0 and column 0 of the stored image are seen:
 * 1 top/left, 2 top/right, 3 bottom/right, 4 bottom/left, 5 left/top,
 * 6 right/top, 7 right/bottom, 8 left/bottom. */
static int orient(image *img, int n)
{
    if (n <= 1 || n > 8)
        return 0;
    int sw = img->w, sh = img->h, c = img->c;
    int dw = n >= 5 ? sh : sw, dh = n >= 5 ? sw : sh;
    unsigned char *out = malloc((size_t)dw * dh * c);
    if (!out)
        return -1;
    for (int dy = 0; dy < dh; dy++)
        for (int dx = 0; dx < dw; dx++) {
            int sx, sy;
            switch (n) {
            case 2: sx = sw - 1 - dx; sy = dy; break;
            case 3: sx = sw - 1 - dx; sy = sh - 1 - dy; break;
            case 4: sx = dx; sy = sh - 1 - dy; break;
            case 5: sx = dy; sy = dx; break;
            case 6: sx = dy; sy = sh - 1 - dx; break;
            case 7: sx = sw - 1 - dy; sy = sh - 1 - dx; break;
            default: sx = sw - 1 - dy; sy = dx; break; /* 8 */
            }
            memcpy(out + ((size_t)dy * dw + dx) * c, img->px + ((size_t)sy * sw + sx) * c,
                   (size_t)c);
        }
    free(img->px);
    img->px = out;
    img->w = dw;
    img->h = dh;
    return 0;
}

/* ------------------------------------------------------------------ */
/* ICC                                                                 */
/* ------------------------------------------------------------------ */

static void lcms_log(cmsContext ctx, cmsUInt32Number code, const char *text)
{
    (void)ctx;
    (void)code;
    fprintf(stderr, "lcms2: %s\n", text);
}

/* The embedded profile's transform to sRGB for img's pixels (CMYK as
 * Adobe-inverted, as load_jpeg keeps it); *oc: channels after. Intent:
 * relative colorimetric, no black point compensation. With grey set, grey
 * images are converted too (to RGB); else NULL for them. */
static cmsHTRANSFORM icc_transform(const char *path, const image *img, const blob *icc, int png,
                                   int grey, int *oc)
{
    cmsSetLogErrorHandler(lcms_log);
    cmsHPROFILE in = cmsOpenProfileFromMem(icc->data, (cmsUInt32Number)icc->len);
    cmsHPROFILE out = cmsCreate_sRGBProfile();
    cmsHTRANSFORM xf = NULL;
    if (!in || !out) {
        fprintf(stderr, "%s: the embedded ICC profile cannot be read\n", path);
        goto done;
    }
    cmsColorSpaceSignature cs = cmsGetColorSpace(in);
    cmsUInt32Number in_type, out_type;
    if (cs == cmsSigRgbData && (img->c == 3 || img->c == 4)) {
        in_type = out_type = img->c == 4 ? TYPE_RGBA_8 : TYPE_RGB_8;
        *oc = img->c;
    } else if (grey && cs == cmsSigGrayData && (img->c == 1 || img->c == 2)) {
        in_type = img->c == 2 ? TYPE_GRAYA_8 : TYPE_GRAY_8;
        out_type = img->c == 2 ? TYPE_RGBA_8 : TYPE_RGB_8;
        *oc = img->c == 2 ? 4 : 3;
    } else if (cs == cmsSigCmykData && img->c == 4 && !png) {
        in_type = TYPE_CMYK_8_REV; /* Adobe inverted CMYK */
        out_type = TYPE_RGB_8;
        *oc = 3;
    } else {
        if (grey || img->c > 2)
            fprintf(stderr, "%s: ICC colour space does not match the %d-channel image\n", path,
                    img->c);
        goto done;
    }
    xf = cmsCreateTransform(in, in_type, out, out_type, INTENT_RELATIVE_COLORIMETRIC,
                            has_alpha(*oc) ? cmsFLAGS_COPY_ALPHA : 0);
    if (!xf)
        fprintf(stderr, "%s: no transform from the embedded ICC profile to sRGB\n", path);
done:
    if (in)
        cmsCloseProfile(in);
    if (out)
        cmsCloseProfile(out);
    return xf;
}

/* Loads path at full size with its pixels converted through the embedded
 * profile to sRGB (see icc_transform). 0 done, 1 nothing to convert (no
 * profile, or grey without `grey`: img as stored, CMYK converted without
 * a profile), -1 error. */
static int load_srgb(const char *path, image *img, int grey)
{
    int png = is_png(path);
    if (png < 0)
        return -1;
    blob icc;
    int rc = png ? load_png(path, img, 0, &icc, NULL) : load_jpeg(path, img, 0, KEEP_CMYK, &icc);
    if (rc != 0)
        return -1;
    int oc = 0, ret = -1;
    cmsHTRANSFORM xf = icc.data ? icc_transform(path, img, &icc, png, grey, &oc) : NULL;
    size_t npix = (size_t)img->w * img->h;
    unsigned char *conv = xf ? malloc(npix * oc) : NULL;
    if (xf && conv) {
        cmsDoTransform(xf, img->px, conv, (cmsUInt32Number)npix);
        ret = 0;
    } else if (!icc.data || (!grey && img->c <= 2)) {
        ret = 1;
    }
    if (ret == 1 && img->c == 4 && !png) { /* CMYK without a profile: as load_jpeg does */
        conv = malloc(npix * 3);
        for (size_t i = 0; conv && i < npix; i++)
            for (int k = 0; k < 3; k++)
                conv[i * 3 + k] =
                    (unsigned char)((img->px[i * 4 + k] * img->px[i * 4 + 3] + 127) / 255);
        oc = 3;
    }
    if (conv) {
        free(img->px);
        img->px = conv;
        img->c = oc;
    }
    if (xf)
        cmsDeleteTransform(xf);
    free(icc.data);
    if (ret < 0) {
        free(img->px);
        img->px = NULL;
    }
    return ret;
}

/* ------------------------------------------------------------------ */
/* Exact area average                                                  */
/* ------------------------------------------------------------------ */

/* Weights of source samples [0, n) for output sample o of m: the exact
 * overlap of [i, i+1) with [o*n/m, (o+1)*n/m), divided by n/m. */
static void footprint(int n, int m, int o, int *first, int *last, double *w, int cap)
{
    double a = (double)o * n / m, b = (double)(o + 1) * n / m;
    *first = (int)floor(a);
    *last = (int)ceil(b) - 1;
    if (*last >= n)
        *last = n - 1;
    for (int i = *first; i <= *last && i - *first < cap; i++) {
        double lo = fmax(a, i), hi = fmin(b, i + 1.0);
        w[i - *first] = (hi - lo) / (b - a);
    }
}

/* Separable exact box filter of w x h x c samples (u8 or, when f is not
 * NULL, doubles) to ow x oh, in doubles. */
static double *area_average(const unsigned char *u8, const double *f, int w, int h, int c,
                            int ow, int oh)
{
    int cap = w / ow + h / oh + 4;
    double *wt = malloc(sizeof(double) * (size_t)cap);
    double *tmp = calloc((size_t)ow * h * c, sizeof(double));
    double *out = calloc((size_t)ow * oh * c, sizeof(double));
    if (!wt || !tmp || !out) {
        fprintf(stderr, "out of memory\n");
        exit(2);
    }
    for (int y = 0; y < h; y++)
        for (int ox = 0; ox < ow; ox++) {
            int fi, l;
            footprint(w, ow, ox, &fi, &l, wt, cap);
            for (int x = fi; x <= l; x++)
                for (int k = 0; k < c; k++) {
                    size_t i = ((size_t)y * w + x) * c + k;
                    tmp[((size_t)y * ow + ox) * c + k] += wt[x - fi] * (f ? f[i] : u8[i]);
                }
        }
    for (int oy = 0; oy < oh; oy++) {
        int fi, l;
        footprint(h, oh, oy, &fi, &l, wt, cap);
        for (int y = fi; y <= l; y++)
            for (int i = 0; i < ow * c; i++)
                out[(size_t)oy * ow * c + i] += wt[y - fi] * tmp[(size_t)y * ow * c + i];
    }
    free(wt);
    free(tmp);
    return out;
}

/* src with alpha as doubles: colour over white, alpha dropped
 * (premultiplied=0), or colour premultiplied by alpha/255 with alpha kept
 * (premultiplied=1). */
static double *alpha_doubles(const image *s, int premultiplied)
{
    int cc = s->c - 1, oc = premultiplied ? s->c : cc;
    size_t n = (size_t)s->w * s->h;
    double *d = malloc(sizeof(double) * n * oc);
    if (!d) {
        fprintf(stderr, "out of memory\n");
        exit(2);
    }
    for (size_t i = 0; i < n; i++) {
        const unsigned char *p = s->px + i * s->c;
        double a = p[cc] / 255.0;
        for (int k = 0; k < cc; k++)
            d[i * oc + k] = premultiplied ? p[k] * a : p[k] * a + 255.0 * (1 - a);
        if (premultiplied)
            d[i * oc + cc] = p[cc];
    }
    return d;
}

/* Replaces *img by its centred region of aspect tw:th, as large as fits. */
static void crop_centre(image *img, int tw, int th)
{
    int rw = img->w, rh = img->h;
    if ((double)img->w * th >= (double)img->h * tw)
        rw = (int)floor((double)img->h * tw / th + 0.5);
    else
        rh = (int)floor((double)img->w * th / tw + 0.5);
    rw = rw < tw ? tw : rw > img->w ? img->w : rw;
    rh = rh < th ? th : rh > img->h ? img->h : rh;
    int x0 = (img->w - rw) / 2, y0 = (img->h - rh) / 2;
    unsigned char *px = malloc((size_t)rw * rh * img->c);
    if (!px) {
        fprintf(stderr, "out of memory\n");
        exit(2);
    }
    for (int y = 0; y < rh; y++)
        memcpy(px + (size_t)y * rw * img->c, img->px + ((size_t)(y0 + y) * img->w + x0) * img->c,
               (size_t)rw * img->c);
    free(img->px);
    *img = (image){rw, rh, img->c, px};
}

static int cmd_psnr(int orient_n, int icc, int crop, const char *src_path, const char *thumb_path,
                    double min_db)
{
    image src, th;
    if (icc ? load_srgb(src_path, &src, 0) < 0 : load_image(src_path, &src, 0) != 0)
        return 2;
    if (load_image(thumb_path, &th, 0) != 0) {
        free(src.px);
        return 2;
    }
    int ret = 1;
    double *ref = NULL;
    int scc = has_alpha(src.c) ? src.c - 1 : src.c; /* colour channels */
    int tcc = has_alpha(th.c) ? th.c - 1 : th.c;
    if (scc != tcc) {
        fprintf(stderr, "%s: %d channels, thumbnail %s has %d\n", src_path, src.c, thumb_path,
                th.c);
        goto out;
    }
    if (orient_n < 0) {
        orient_n = file_orientation(src_path);
        if (orient_n < 0) {
            ret = 2;
            goto out;
        }
    }
    if (orient(&src, orient_n) != 0) {
        fprintf(stderr, "out of memory\n");
        ret = 2;
        goto out;
    }
    if (crop)
        crop_centre(&src, th.w, th.h);
    /* ref: th.c channels per pixel. An opaque source against a thumbnail
     * with alpha: alpha 255 is expected. */
    if (has_alpha(src.c)) {
        double *d = alpha_doubles(&src, has_alpha(th.c));
        ref = area_average(NULL, d, src.w, src.h, th.c, th.w, th.h);
        free(d);
        if (has_alpha(th.c)) /* un-premultiply */
            for (size_t i = 0; i < (size_t)th.w * th.h; i++) {
                double *r = ref + i * th.c, a = r[tcc];
                for (int k = 0; k < tcc; k++)
                    r[k] = a > 0 ? r[k] * 255.0 / a : 0;
            }
    } else {
        double *r = area_average(src.px, NULL, src.w, src.h, src.c, th.w, th.h);
        if (has_alpha(th.c)) {
            ref = malloc(sizeof(double) * th.w * th.h * th.c);
            if (!ref) {
                fprintf(stderr, "out of memory\n");
                exit(2);
            }
            for (size_t i = 0; i < (size_t)th.w * th.h; i++) {
                memcpy(ref + i * th.c, r + i * tcc, sizeof(double) * tcc);
                ref[i * th.c + tcc] = 255;
            }
            free(r);
        } else {
            ref = r;
        }
    }
    /* Colour where the reference is (nearly) fully transparent is
     * meaningless and not compared; alpha always is. */
    double se = 0;
    size_t n = 0;
    for (size_t i = 0; i < (size_t)th.w * th.h; i++) {
        const double *r = ref + i * th.c;
        const unsigned char *t = th.px + i * th.c;
        int skip_colour = has_alpha(th.c) && floor(r[tcc] + 0.5) == 0;
        for (int k = 0; k < th.c; k++) {
            if (skip_colour && k < tcc)
                continue;
            double v = floor(r[k] + 0.5);
            v = v < 0 ? 0 : v > 255 ? 255 : v;
            double d = v - t[k];
            se += d * d;
            n++;
        }
    }
    double db = se == 0 ? 99.0 : 10 * log10(255.0 * 255.0 * (double)n / se);
    char how[48] = "";
    if (orient_n > 1)
        snprintf(how, sizeof how, ", orientation %d", orient_n);
    if (crop)
        snprintf(how + strlen(how), sizeof how - strlen(how), ", centre crop");
    printf("psnr %s: %.2f dB (%dx%dx%d against %dx%dx%d%s)\n", thumb_path, db, th.w, th.h, th.c,
           src.w, src.h, src.c, how);
    ret = db >= min_db ? 0 : 1;
out:
    free(ref);
    free(src.px);
    free(th.px);
    return ret;
}

/* ------------------------------------------------------------------ */
/* Means                                                               */
/* ------------------------------------------------------------------ */

static void print_mean(const unsigned char *px, size_t npix, int c)
{
    for (int k = 0; k < c; k++) {
        double sum = 0;
        for (size_t i = 0; i < npix; i++)
            sum += px[i * c + k];
        printf(k ? " %.2f" : "%.2f", npix ? sum / (double)npix : 0.0);
    }
    printf("\n");
}

static int cmd_mean(const char *path)
{
    image img;
    if (load_image(path, &img, 0) != 0)
        return 2;
    print_mean(img.px, (size_t)img.w * img.h, img.c);
    free(img.px);
    return 0;
}

/* The pixels converted through the embedded profile to sRGB (grey
 * profiles to sRGB too), then averaged. The thumbnailer may use
 * perceptual; for the matrix/TRC profiles of the test files (Display P3,
 * Adobe RGB, swapped primaries) LittleCMS has no perceptual table and uses
 * the same colorimetric transform, and their black is 0, so the two
 * agree. */
static int cmd_mean_icc(const char *path)
{
    image img;
    int rc = load_srgb(path, &img, 1);
    if (rc < 0)
        return 2;
    if (rc > 0) {
        fprintf(stderr, "%s: no embedded ICC profile\n", path);
        free(img.px);
        return 2;
    }
    print_mean(img.px, (size_t)img.w * img.h, img.c);
    free(img.px);
    return 0;
}

/* ------------------------------------------------------------------ */
/* Derived photos                                                      */
/* ------------------------------------------------------------------ */

/* Writes img (grey or RGB) as a JPEG: quality q, chroma 4:4:4 or 4:2:0,
 * optionally progressive. -1 on failure. */
static int write_jpeg(const char *path, const image *img, int q, int s444, int progressive)
{
    FILE *f = fopen(path, "wb");
    if (!f) {
        perror(path);
        return -1;
    }
    struct jpeg_compress_struct cinfo;
    struct err_mgr err;
    cinfo.err = jpeg_std_error(&err.pub);
    err.pub.error_exit = on_error;
    if (setjmp(err.jump)) {
        jpeg_destroy_compress(&cinfo);
        fclose(f);
        return -1;
    }
    jpeg_create_compress(&cinfo);
    jpeg_stdio_dest(&cinfo, f);
    cinfo.image_width = (JDIMENSION)img->w;
    cinfo.image_height = (JDIMENSION)img->h;
    cinfo.input_components = img->c;
    cinfo.in_color_space = img->c == 1 ? JCS_GRAYSCALE : JCS_RGB;
    jpeg_set_defaults(&cinfo);
    jpeg_set_quality(&cinfo, q, TRUE);
    if (s444 && img->c == 3)
        cinfo.comp_info[0].h_samp_factor = cinfo.comp_info[0].v_samp_factor = 1;
    if (progressive)
        jpeg_simple_progression(&cinfo);
    jpeg_start_compress(&cinfo, TRUE);
    while (cinfo.next_scanline < cinfo.image_height) {
        JSAMPROW row = img->px + (size_t)cinfo.next_scanline * img->w * img->c;
        jpeg_write_scanlines(&cinfo, &row, 1);
    }
    jpeg_finish_compress(&cinfo);
    jpeg_destroy_compress(&cinfo);
    return fclose(f) == 0 ? 0 : -1;
}

/* Numerical Recipes' LCG: the same numbers everywhere. */
static unsigned lcg(unsigned long *state, unsigned n)
{
    *state = (*state * 1664525ul + 1013904223ul) & 0xfffffffful;
    return (unsigned)((*state >> 8) % n);
}

/* The exact area average of the rw x rh region of src at (x0, y0), at
 * ow x oh, rounded to 8 bits. */
static image average_region(const image *src, int x0, int y0, int rw, int rh, int ow, int oh)
{
    image r = {rw, rh, src->c, malloc((size_t)rw * rh * src->c)};
    image o = {ow, oh, src->c, malloc((size_t)ow * oh * src->c)};
    if (!r.px || !o.px) {
        fprintf(stderr, "out of memory\n");
        exit(2);
    }
    for (int y = 0; y < rh; y++)
        memcpy(r.px + (size_t)y * rw * r.c, src->px + ((size_t)(y0 + y) * src->w + x0) * src->c,
               (size_t)rw * r.c);
    double *d = area_average(r.px, NULL, rw, rh, r.c, ow, oh);
    for (size_t i = 0; i < (size_t)ow * oh * o.c; i++)
        o.px[i] = (unsigned char)floor(fmin(fmax(d[i], 0), 255) + 0.5);
    free(d);
    free(r.px);
    return o;
}

/* derive: a master of at most 1600 pixels a side (an exact area average
 * of SRC), then for each output a random size (longer side 400-700,
 * aspect 1:1 to 2:1 either way) unless fw x fh > 0 is given, a random
 * scale (the region covers 1 to 3 times the output size, as the master
 * allows) and place. */
static int cmd_derive(const char *src_path, const char *outdir, int n, unsigned long seed, int fw,
                      int fh)
{
    image src;
    if (n < 1 || load_image(src_path, &src, 0) != 0 || has_alpha(src.c))
        return 2;
    double k = fmin(1.0, 1600.0 / (src.w > src.h ? src.w : src.h));
    int mw = (int)(src.w * k), mh = (int)(src.h * k);
    image master = k < 1 ? average_region(&src, 0, 0, src.w, src.h, mw, mh) : src;
    unsigned long st = seed * 2654435761ul + 1;
    int ret = 0;
    for (int i = 0; i < n && ret == 0; i++) {
        int lng = 400 + (int)lcg(&st, 301), shrt = lng / 2 + (int)lcg(&st, (unsigned)lng / 2 + 1);
        int ow = lcg(&st, 2) ? lng : shrt, oh = ow == lng ? shrt : lng;
        if (fw > 0 && fh > 0)
            ow = fw, oh = fh;
        double most = fmin(3.0, fmin((double)master.w / ow, (double)master.h / oh));
        if (most < 1) { /* the master is smaller: keep the aspect, fit inside */
            ow = (int)(ow * most);
            oh = (int)(oh * most);
            most = 1;
        }
        double f = 1 + (most - 1) * lcg(&st, 1001) / 1000.0;
        int rw = (int)(ow * f), rh = (int)(oh * f);
        int x0 = (int)lcg(&st, (unsigned)(master.w - rw + 1));
        int y0 = (int)lcg(&st, (unsigned)(master.h - rh + 1));
        image o = average_region(&master, x0, y0, rw, rh, ow, oh);
        char path[4096];
        snprintf(path, sizeof path, "%s/d%04d.jpg", outdir, i);
        int q = 70 + (int)lcg(&st, 26), kind = (int)lcg(&st, 10);
        if (write_jpeg(path, &o, q, kind == 0, kind == 1) != 0)
            ret = 2;
        free(o.px);
    }
    if (master.px != src.px)
        free(master.px);
    free(src.px);
    return ret;
}

static int usage(void)
{
    fprintf(stderr,
            "usage: tftool dims FILE | pixel FILE X Y |\n"
            "       psnr [--orient auto|N] [--icc] [--crop] SRC THUMB [MIN_DB] | mean FILE |\n"
            "       mean-icc SRC | exif-orientation FILE | derive SRC OUTDIR N SEED [WxH]\n");
    return 2;
}

int main(int argc, char **argv)
{
    image img;
    if (argc == 3 && strcmp(argv[1], "dims") == 0) {
        if (load_image(argv[2], &img, 1) != 0)
            return 2;
        printf("%d %d %d\n", img.w, img.h, img.c);
        return 0;
    }
    if (argc == 5 && strcmp(argv[1], "pixel") == 0) {
        int x = atoi(argv[3]), y = atoi(argv[4]);
        if (load_image(argv[2], &img, 0) != 0)
            return 2;
        if (x < 0 || y < 0 || x >= img.w || y >= img.h) {
            fprintf(stderr, "%s: (%d, %d) is outside %dx%d\n", argv[2], x, y, img.w, img.h);
            free(img.px);
            return 2;
        }
        for (int k = 0; k < img.c; k++)
            printf(k ? " %d" : "%d", img.px[((size_t)y * img.w + x) * img.c + k]);
        printf("\n");
        free(img.px);
        return 0;
    }
    if (argc >= 4 && strcmp(argv[1], "psnr") == 0) {
        int orient_n = 1, icc = 0, crop = 0; /* -1: auto */
        const char *pos[3];
        int npos = 0;
        for (int i = 2; i < argc; i++) {
            if (strcmp(argv[i], "--icc") == 0) {
                icc = 1;
            } else if (strcmp(argv[i], "--crop") == 0) {
                crop = 1;
            } else if (strcmp(argv[i], "--orient") == 0 && i + 1 < argc) {
                const char *v = argv[++i];
                char *end;
                if (strcmp(v, "auto") == 0) {
                    orient_n = -1;
                    continue;
                }
                long n = strtol(v, &end, 10);
                if (*v == '\0' || *end || n < 0 || n > 8)
                    return usage();
                orient_n = n == 0 ? 1 : (int)n;
            } else if (npos < 3) {
                pos[npos++] = argv[i];
            } else {
                return usage();
            }
        }
        if (npos < 2)
            return usage();
        return cmd_psnr(orient_n, icc, crop, pos[0], pos[1], npos == 3 ? atof(pos[2]) : 0);
    }
    if (argc == 3 && strcmp(argv[1], "mean") == 0)
        return cmd_mean(argv[2]);
    if ((argc == 6 || argc == 7) && strcmp(argv[1], "derive") == 0) {
        int fw = 0, fh = 0;
        if (argc == 7 && (sscanf(argv[6], "%dx%d", &fw, &fh) != 2 || fw < 1 || fh < 1))
            return usage();
        return cmd_derive(argv[2], argv[3], atoi(argv[4]), strtoul(argv[5], NULL, 10), fw, fh);
    }
    if (argc == 3 && strcmp(argv[1], "mean-icc") == 0)
        return cmd_mean_icc(argv[2]);
    if (argc == 3 && strcmp(argv[1], "exif-orientation") == 0) {
        int o = file_orientation(argv[2]);
        if (o < 0)
            return 2;
        printf("%d\n", o);
        return 0;
    }
    return usage();
}
