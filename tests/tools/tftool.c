/* tftool.c - the tests' independent eye on images. It shares no code with
 * thumbify: references are computed here from scratch, so a bug in the core
 * cannot hide itself.
 *
 *   tftool dims FILE                 print "W H C" of a JPEG
 *   tftool pixel FILE X Y            print the samples at (X, Y)
 *   tftool psnr SRC THUMB [MIN_DB]   PSNR of THUMB against the exact area
 *                                    average of SRC decoded at full size;
 *                                    exit 1 when below MIN_DB
 */
#include <math.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jpeglib.h>

typedef struct image {
    int w, h, c;
    unsigned char *px;
} image;

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

/* Full-size decode: grey stays 1 channel, colour becomes RGB, CMYK is read
 * as Adobe-inverted CMYK and converted, as Photoshop writes it. */
static int load_jpeg(const char *path, image *img, int header_only)
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
    if (setjmp(err.jump)) {
        jpeg_destroy_decompress(&cinfo);
        fclose(f);
        free(img->px);
        return -1;
    }
    jpeg_create_decompress(&cinfo);
    jpeg_stdio_src(&cinfo, f);
    jpeg_read_header(&cinfo, TRUE);
    int cmyk = cinfo.num_components == 4;
    cinfo.out_color_space = cinfo.num_components == 1 ? JCS_GRAYSCALE : cmyk ? JCS_CMYK : JCS_RGB;
    img->w = (int)cinfo.image_width;
    img->h = (int)cinfo.image_height;
    img->c = cinfo.num_components == 1 ? 1 : 3;
    if (!header_only) {
        jpeg_start_decompress(&cinfo);
        img->px = malloc((size_t)img->w * img->h * img->c);
        unsigned char *row = malloc((size_t)img->w * 4);
        while (cinfo.output_scanline < cinfo.output_height) {
            unsigned char *dst = img->px + (size_t)cinfo.output_scanline * img->w * img->c;
            JSAMPROW r = cmyk ? row : dst;
            jpeg_read_scanlines(&cinfo, &r, 1);
            for (int x = 0; cmyk && x < img->w; x++)
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

/* Separable exact box filter to ow x oh, in doubles. */
static double *area_average(const image *s, int ow, int oh)
{
    int cap = s->w / ow + s->h / oh + 4;
    double *wt = malloc(sizeof(double) * (size_t)cap);
    double *tmp = calloc((size_t)ow * s->h * s->c, sizeof(double));
    double *out = calloc((size_t)ow * oh * s->c, sizeof(double));
    for (int y = 0; y < s->h; y++)
        for (int ox = 0; ox < ow; ox++) {
            int f, l;
            footprint(s->w, ow, ox, &f, &l, wt, cap);
            for (int x = f; x <= l; x++)
                for (int k = 0; k < s->c; k++)
                    tmp[((size_t)y * ow + ox) * s->c + k] +=
                        wt[x - f] * s->px[((size_t)y * s->w + x) * s->c + k];
        }
    for (int oy = 0; oy < oh; oy++) {
        int f, l;
        footprint(s->h, oh, oy, &f, &l, wt, cap);
        for (int y = f; y <= l; y++)
            for (int i = 0; i < ow * s->c; i++)
                out[(size_t)oy * ow * s->c + i] += wt[y - f] * tmp[(size_t)y * ow * s->c + i];
    }
    free(wt);
    free(tmp);
    return out;
}

static int cmd_psnr(const char *src_path, const char *thumb_path, double min_db)
{
    image src, th;
    if (load_jpeg(src_path, &src, 0) != 0 || load_jpeg(thumb_path, &th, 0) != 0)
        return 2;
    if (src.c != th.c) {
        fprintf(stderr, "%s: %d channels, thumbnail has %d\n", src_path, src.c, th.c);
        return 1;
    }
    double *ref = area_average(&src, th.w, th.h), se = 0;
    size_t n = (size_t)th.w * th.h * th.c;
    for (size_t i = 0; i < n; i++) {
        double d = floor(ref[i] + 0.5) - th.px[i];
        se += d * d;
    }
    double db = se == 0 ? 99.0 : 10 * log10(255.0 * 255.0 * (double)n / se);
    printf("psnr %s: %.2f dB (%dx%d against %dx%d)\n", thumb_path, db, th.w, th.h, src.w, src.h);
    free(ref);
    free(src.px);
    free(th.px);
    return db >= min_db ? 0 : 1;
}

int main(int argc, char **argv)
{
    image img;
    if (argc == 3 && strcmp(argv[1], "dims") == 0) {
        if (load_jpeg(argv[2], &img, 1) != 0)
            return 2;
        printf("%d %d %d\n", img.w, img.h, img.c);
        return 0;
    }
    if (argc == 5 && strcmp(argv[1], "pixel") == 0) {
        int x = atoi(argv[3]), y = atoi(argv[4]);
        if (load_jpeg(argv[2], &img, 0) != 0 || x < 0 || y < 0 || x >= img.w || y >= img.h)
            return 2;
        for (int k = 0; k < img.c; k++)
            printf(k ? " %d" : "%d", img.px[((size_t)y * img.w + x) * img.c + k]);
        printf("\n");
        free(img.px);
        return 0;
    }
    if ((argc == 4 || argc == 5) && strcmp(argv[1], "psnr") == 0)
        return cmd_psnr(argv[2], argv[3], argc == 5 ? atof(argv[4]) : 0);
    fprintf(stderr, "usage: tftool dims FILE | pixel FILE X Y | psnr SRC THUMB [MIN_DB]\n");
    return 2;
}
