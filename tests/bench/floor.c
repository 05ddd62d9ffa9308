/*
 * floor.c - "the floor": the least work any libjpeg-turbo thumbnailer must do.
 *
 * For every file on the command line: read it into memory (once, untimed),
 * then decode it with jpeg_mem_src() at scale 1/8 (scale_num = 1,
 * scale_denom = 8, the library's default DCT method), reading every scanline
 * into a row buffer and discarding it.  No resize, no encode, no file output.
 * The whole set is decoded --runs times; the median total is reported,
 * together with total/P ("floor/P"): the ideal wall time for P worker
 * processes on P idle cores.
 *
 * --dc-only: for a progressive file decoded at 1/8, first drop its AC scans
 * (a marker-level copy keeping only the scans with Ss = 0; timed), then
 * decode that.  At 1/8 only the DC coefficient of each block is used, so a
 * thumbnailer that does this is not bound by the full progressive decode.
 *
 * --entropy-only uses jpeg_read_coefficients() instead: pure Huffman
 * (entropy) decode of every DCT block, no IDCT, no colour conversion, no
 * upsampling.  That is the Huffman floor that DCT scaling cannot reduce.
 *
 * Why floor strips the AC scans itself, not with the core's
 * tf_jpeg_strip_ac (src/core/jpeg/path_dc_only_strip.c): the two keep
 * different scans, so reusing the core's would measure something else.
 * The core keeps the AC scans of a component libjpeg-turbo scales with a
 * 2x2 IDCT at 1/8 (4:2:0 chroma), because that IDCT reads them and thumbify
 * must give libjpeg's own 1/8 pixels; floor drops every scan with Ss > 0,
 * which is the least entropy decoding any thumbnailer must do, exact or
 * not. For a 4:2:0 progressive 12 MP photo (mei_Nikon_D90.jpg saved
 * progressive by Pillow, q 90) the DC scans are 220 KB and the chroma AC
 * scans another 154 KB: with the core's stripping floor would decode 1.7x
 * the entropy-coded data and stop being the lower bound that speedup.sh
 * and peers.sh compare thumbify with. (Floor also builds with gcc and
 * -ljpeg alone, so it times any checkout, main's included; the core's
 * function needs the library's tf_ctx and its internal header.)
 *
 * Build: gcc -std=c17 -Wall -Wextra -Werror -O2 -o floor floor.c -ljpeg
 * This is a benchmark tool, never a test.
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jpeglib.h>

#ifdef __GLIBC__
#include <malloc.h>
#endif

struct file_data {
    const char *path;
    unsigned char *data;
    unsigned long size;
    JDIMENSION width, height;         /* full size, from the header */
    JDIMENSION out_width, out_height; /* as decoded */
    double *secs;                     /* per run, for -v */
    int denom;                        /* scale actually used */
    int dc_only;                      /* AC scans were dropped */
    unsigned char *dcbuf;             /* the copy without AC scans */
};

struct err_mgr {
    struct jpeg_error_mgr pub;
    jmp_buf jump;
};

static void err_exit(j_common_ptr cinfo)
{
    struct err_mgr *err = (struct err_mgr *)cinfo->err;
    longjmp(err->jump, 1);
}

/* Warnings (corrupt data etc.) are counted by libjpeg; stay silent. */
static void err_output(j_common_ptr cinfo)
{
    (void)cinfo;
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median(const double *v, int n)
{
    double *tmp = malloc((size_t)n * sizeof *tmp);
    double m;
    if (!tmp) {
        perror("floor: malloc");
        exit(1);
    }
    memcpy(tmp, v, (size_t)n * sizeof *tmp);
    qsort(tmp, (size_t)n, sizeof *tmp, cmp_double);
    m = (n % 2) ? tmp[n / 2] : (tmp[n / 2 - 1] + tmp[n / 2]) / 2.0;
    free(tmp);
    return m;
}

static int read_file(struct file_data *f)
{
    FILE *fp = fopen(f->path, "rb");
    long len;
    if (!fp) {
        fprintf(stderr, "floor: %s: %s\n", f->path, strerror(errno));
        return -1;
    }
    if (fseek(fp, 0, SEEK_END) != 0 || (len = ftell(fp)) < 0 ||
        fseek(fp, 0, SEEK_SET) != 0) {
        fprintf(stderr, "floor: %s: cannot determine size\n", f->path);
        fclose(fp);
        return -1;
    }
    f->size = (unsigned long)len;
    f->data = malloc(len > 0 ? (size_t)len : 1);
    if (!f->data || fread(f->data, 1, (size_t)len, fp) != (size_t)len) {
        fprintf(stderr, "floor: %s: read failed\n", f->path);
        fclose(fp);
        return -1;
    }
    fclose(fp);
    return 0;
}

/*
 * Decode one in-memory JPEG.  Returns 0 on success, -1 on a libjpeg error
 * (message printed).  *sink accumulates a byte per image so the work has an
 * observable result.
 */
/*
 * With --fit WxH: the largest denominator (8, 4, 2, 1; at most max_denom)
 * whose decoded image still covers the thumbnail that fits in WxH, as a
 * thumbnailer must.  cinfo has its header read.
 */
static int fit_denom(j_decompress_ptr cinfo, int max_denom, int fit_w, int fit_h)
{
    double w = cinfo->image_width, h = cinfo->image_height;
    double s = fit_w / w < fit_h / h ? fit_w / w : fit_h / h;
    long tw, th;
    int d;
    if (s > 1.0)
        s = 1.0;
    tw = (long)(w * s + 0.5);
    th = (long)(h * s + 0.5);
    if (tw < 1)
        tw = 1;
    if (th < 1)
        th = 1;
    for (d = max_denom; d > 1; d /= 2) {
        cinfo->scale_num = 1;
        cinfo->scale_denom = (unsigned int)d;
        jpeg_calc_output_dimensions(cinfo);
        if ((long)cinfo->output_width >= tw && (long)cinfo->output_height >= th)
            return d;
    }
    return 1;
}

/* Index of the marker that ends the entropy-coded data starting at i. */
static unsigned long scan_end(const unsigned char *d, unsigned long n,
                              unsigned long i)
{
    while (i + 1 < n) {
        const unsigned char *ff = memchr(d + i, 0xFF, n - i - 1);
        if (!ff)
            return n;
        i = (unsigned long)(ff - d);
        if (d[i + 1] != 0x00 && !(d[i + 1] >= 0xD0 && d[i + 1] <= 0xD7))
            return i;
        i++;
    }
    return n;
}

/*
 * Copy of a progressive JPEG (d, n) without its AC scans (Ss > 0), into
 * out (at least n bytes).  Returns the length, or 0 when the file is not
 * progressive or its markers do not parse (then decode it as it is).
 */
static unsigned long strip_ac_scans(const unsigned char *d, unsigned long n,
                                    unsigned char *out)
{
    unsigned long i = 2, o = 2, len, end;
    int progressive = 0;
    unsigned char m;

    if (n < 4 || d[0] != 0xFF || d[1] != 0xD8)
        return 0;
    out[0] = 0xFF;
    out[1] = 0xD8;
    while (i + 1 < n) {
        if (d[i] != 0xFF)
            return 0;
        while (i + 1 < n && d[i + 1] == 0xFF) /* fill bytes */
            i++;
        m = d[i + 1];
        if (m == 0xD9) /* EOI */
            break;
        if (m == 0x01 || (m >= 0xD0 && m <= 0xD7)) { /* no length */
            i += 2;
            continue;
        }
        if (i + 4 > n)
            return 0;
        len = ((unsigned long)d[i + 2] << 8) | d[i + 3];
        if (len < 2 || i + 2 + len > n)
            return 0;
        end = i + 2 + len;
        if (m == 0xC2 || m == 0xCA) {
            progressive = 1;
        } else if (m >= 0xC0 && m <= 0xCF && m != 0xC4 && m != 0xC8 && m != 0xCC) {
            return 0; /* another SOF: not progressive */
        }
        if (m == 0xDA) { /* SOS: header, then entropy-coded data */
            unsigned long ns = d[i + 4], ss_at = i + 5 + 2 * ns;
            if (!progressive || ss_at >= end)
                return 0;
            end = scan_end(d, n, end);
            if (d[ss_at] != 0) /* an AC scan: drop it */
            {
                i = end;
                continue;
            }
        }
        memcpy(out + o, d + i, end - i);
        o += end - i;
        i = end;
    }
    if (!progressive)
        return 0;
    out[o++] = 0xFF;
    out[o++] = 0xD9;
    return o;
}

static int decode(struct file_data *f, int denom, int fit_w, int fit_h,
                  int dc_only, int entropy_only, unsigned char **rowbuf,
                  size_t *rowcap, unsigned long *sink)
{
    struct jpeg_decompress_struct cinfo;
    struct err_mgr jerr;

    cinfo.err = jpeg_std_error(&jerr.pub);
    jerr.pub.error_exit = err_exit;
    jerr.pub.output_message = err_output;
    if (setjmp(jerr.jump)) {
        char msg[JMSG_LENGTH_MAX];
        (*cinfo.err->format_message)((j_common_ptr)&cinfo, msg);
        fprintf(stderr, "floor: %s: %s\n", f->path, msg);
        jpeg_destroy_decompress(&cinfo);
        free(f->dcbuf);
        f->dcbuf = NULL;
        return -1;
    }
    jpeg_create_decompress(&cinfo);
    jpeg_mem_src(&cinfo, f->data, f->size);
    jpeg_read_header(&cinfo, TRUE);
    f->width = cinfo.image_width;
    f->height = cinfo.image_height;

    if (entropy_only) {
        jvirt_barray_ptr *coefs = jpeg_read_coefficients(&cinfo);
        /* Touch one coefficient so the result is used. */
        JBLOCKARRAY blk = (*cinfo.mem->access_virt_barray)(
            (j_common_ptr)&cinfo, coefs[0], 0, 1, FALSE);
        *sink += (unsigned long)(unsigned short)blk[0][0][0];
        f->out_width = cinfo.comp_info[0].width_in_blocks;
        f->out_height = cinfo.comp_info[0].height_in_blocks;
    } else {
        size_t stride;
        f->denom = fit_w > 0 ? fit_denom(&cinfo, denom, fit_w, fit_h) : denom;
        f->dc_only = 0;
        if (dc_only && cinfo.progressive_mode && f->denom == 8) {
            unsigned long len;
            f->dcbuf = malloc(f->size + 2);
            if (!f->dcbuf) {
                perror("floor: malloc");
                exit(1);
            }
            len = strip_ac_scans(f->data, f->size, f->dcbuf);
            if (len > 0) {
                jpeg_abort_decompress(&cinfo);
                jpeg_mem_src(&cinfo, f->dcbuf, len);
                jpeg_read_header(&cinfo, TRUE);
                /* smoothing would only guess the missing ACs */
                cinfo.do_block_smoothing = FALSE;
                f->dc_only = 1;
            }
        }
        cinfo.scale_num = 1;
        cinfo.scale_denom = (unsigned int)f->denom;
        jpeg_start_decompress(&cinfo);
        stride = (size_t)cinfo.output_width * (size_t)cinfo.output_components;
        if (stride > *rowcap) {
            unsigned char *p = realloc(*rowbuf, stride);
            if (!p) {
                perror("floor: realloc");
                exit(1);
            }
            *rowbuf = p;
            *rowcap = stride;
        }
        while (cinfo.output_scanline < cinfo.output_height) {
            JSAMPROW row = *rowbuf;
            jpeg_read_scanlines(&cinfo, &row, 1);
        }
        *sink += (*rowbuf)[stride / 2];
        f->out_width = cinfo.output_width;
        f->out_height = cinfo.output_height;
    }
    jpeg_finish_decompress(&cinfo);
    jpeg_destroy_decompress(&cinfo);
    free(f->dcbuf);
    f->dcbuf = NULL;
    return 0;
}

static void usage(FILE *out)
{
    fprintf(out,
            "usage: floor [--runs N] [--denom N] [--fit WxH] [--dc-only]\n"
            "             [--entropy-only] [--procs P] [-v] FILE.jpg...\n"
            "\n"
            "Decode every FILE (read into memory once, untimed) with libjpeg-turbo\n"
            "at scale 1/N (default 1/8) into a scanline buffer, --runs times\n"
            "(default 5), and print the median total time, per-image ms, and\n"
            "total/P (\"floor/P\", default P=2): the ideal wall time for P worker\n"
            "processes.\n"
            "\n"
            "  --runs N         repeat the whole set N times (default 5)\n"
            "  --denom N        scale_denom: 1, 2, 4 or 8 (default 8); libjpeg-turbo\n"
            "                   also accepts 3, 5, 6, 7, 9..16\n"
            "  --fit WxH        per image, the largest of 8, 4, 2, 1 (at most\n"
            "                   --denom) whose output still covers the thumbnail\n"
            "                   fitting WxH: the floor for small images\n"
            "  --dc-only        progressive files decoded at 1/8: drop the AC scans\n"
            "                   first (timed), as a DC-only thumbnailer can\n"
            "  --entropy-only   jpeg_read_coefficients(): Huffman decode only,\n"
            "                   no IDCT / upsampling / colour conversion\n"
            "  --procs P        divisor for the floor/P line (default 2)\n"
            "  -v               per-file dimensions and median ms\n"
            "  -h, --help       this help\n");
}

static int parse_int(const char *opt, const char *s, int lo, int hi)
{
    char *end;
    long v;
    if (!s) {
        fprintf(stderr, "floor: %s needs an argument\n", opt);
        exit(2);
    }
    errno = 0;
    v = strtol(s, &end, 10);
    if (errno || *end || end == s || v < lo || v > hi) {
        fprintf(stderr, "floor: %s: expected an integer in %d..%d, got '%s'\n",
                opt, lo, hi, s);
        exit(2);
    }
    return (int)v;
}

int main(int argc, char **argv)
{
    int runs = 5, denom = 8, entropy_only = 0, procs = 2, verbose = 0;
    int fit_w = 0, fit_h = 0, dc_only = 0, n_dc = 0;
    int nfiles = 0, i, r;
    struct file_data *files;
    double *totals;
    unsigned char *rowbuf = NULL;
    size_t rowcap = 0;
    unsigned long sink = 0;
    double med;
    char mode[128];
    double ms;

    files = calloc((size_t)argc, sizeof *files);
    if (!files) {
        perror("floor: calloc");
        return 1;
    }
    for (i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            usage(stdout);
            return 0;
        } else if (!strcmp(a, "--runs")) {
            runs = parse_int(a, argv[++i], 1, 1000000);
        } else if (!strcmp(a, "--denom")) {
            denom = parse_int(a, argv[++i], 1, 16);
        } else if (!strcmp(a, "--fit")) {
            const char *v = argv[++i];
            char c;
            if (!v || sscanf(v, "%dx%d%c", &fit_w, &fit_h, &c) != 2 ||
                fit_w < 1 || fit_h < 1) {
                fprintf(stderr, "floor: --fit: expected WxH, e.g. 75x75\n");
                return 2;
            }
        } else if (!strcmp(a, "--procs")) {
            procs = parse_int(a, argv[++i], 1, 4096);
        } else if (!strcmp(a, "--dc-only")) {
            dc_only = 1;
        } else if (!strcmp(a, "--entropy-only")) {
            entropy_only = 1;
        } else if (!strcmp(a, "-v")) {
            verbose = 1;
        } else if (!strcmp(a, "--")) {
            for (i++; i < argc; i++)
                files[nfiles++].path = argv[i];
        } else if (a[0] == '-' && a[1] != '\0') {
            fprintf(stderr, "floor: unknown option '%s'\n", a);
            usage(stderr);
            return 2;
        } else {
            files[nfiles++].path = a;
        }
    }
    if (nfiles == 0) {
        usage(stderr);
        return 2;
    }

#ifdef __GLIBC__
    /*
     * jpeg_read_coefficients() and progressive decoding materialise the whole
     * image's coefficients (~64 MB for a 16 MP 4:2:2 photo).  glibc would
     * mmap and unmap that for every image, so the time would be dominated by
     * page faults.  Keep freed memory in the heap instead, as a long-running
     * worker can (a baseline decode at 1/8 allocates little either way).
     */
    mallopt(M_MMAP_THRESHOLD, 1 << 30);
    mallopt(M_TRIM_THRESHOLD, 1 << 30);
#endif
    totals = calloc((size_t)runs, sizeof *totals);
    if (!totals) {
        perror("floor: calloc");
        return 1;
    }
    for (i = 0; i < nfiles; i++) {
        if (read_file(&files[i]) != 0)
            return 1;
        files[i].secs = calloc((size_t)runs, sizeof(double));
        if (!files[i].secs) {
            perror("floor: calloc");
            return 1;
        }
    }

    for (r = 0; r < runs; r++) {
        double t_run = 0.0;
        for (i = 0; i < nfiles; i++) {
            double t0 = now(), dt;
            if (decode(&files[i], denom, fit_w, fit_h, dc_only, entropy_only,
                       &rowbuf, &rowcap, &sink) != 0)
                return 1;
            dt = now() - t0;
            files[i].secs[r] = dt;
            t_run += dt;
        }
        totals[r] = t_run;
    }

    for (i = 0; i < nfiles; i++)
        n_dc += files[i].dc_only;
    if (entropy_only) {
        snprintf(mode, sizeof mode, "entropy-only");
    } else if (fit_w > 0) {
        /* e.g. "fit 75x75: 992 at 1/8, 8 at 1/4" */
        int d, n, len = snprintf(mode, sizeof mode, "fit %dx%d:", fit_w, fit_h);
        const char *sep = " ";
        for (d = 16; d >= 1; d--) {
            for (n = 0, i = 0; i < nfiles; i++)
                n += files[i].denom == d;
            if (n && len < (int)sizeof mode)
                len += snprintf(mode + len, sizeof mode - (size_t)len,
                                "%s%d at 1/%d", sep, n, d);
            if (n)
                sep = ", ";
        }
    } else {
        snprintf(mode, sizeof mode, "1/%d scale", denom);
    }
    if (n_dc) {
        size_t len = strlen(mode);
        snprintf(mode + len, sizeof mode - len, "; %d progressive DC-only", n_dc);
    }

    if (verbose) {
        for (i = 0; i < nfiles; i++) {
            struct file_data *f = &files[i];
            printf("  %-40s %5ux%-5u -> %4ux%-4u%s %8.2f ms  (%lu bytes)\n",
                   f->path, (unsigned)f->width, (unsigned)f->height,
                   (unsigned)f->out_width, (unsigned)f->out_height,
                   entropy_only ? " blocks" : "", median(f->secs, runs) * 1e3,
                   f->size);
            if (!entropy_only && (f->denom != denom || f->dc_only))
                printf("  %-40s decoded at 1/%d%s\n", "", f->denom,
                       f->dc_only ? ", DC scans only" : "");
        }
    }

    med = median(totals, runs);
    ms = med * 1e3 / nfiles;
    printf("floor: %d files, median %.3f s total, %.*f ms/image (%s, %d runs)\n",
           nfiles, med, ms < 10 ? 2 : 1, ms, mode, runs);
    printf("floor/%d: %.3f s (ideal wall time for %d processes)\n", procs,
           med / procs, procs);
    if (verbose)
        printf("(checksum %lu)\n", sink);

    for (i = 0; i < nfiles; i++) {
        free(files[i].data);
        free(files[i].secs);
    }
    free(files);
    free(totals);
    free(rowbuf);
    return 0;
}
