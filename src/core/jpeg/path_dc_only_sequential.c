/* path_dc_only_sequential.c - the DC scans of a progressive JPEG, decoded ahead of
 * libjpeg, fed to it as one sequential scan.
 *
 * libjpeg decodes even a DC-only progressive stream the progressive way:
 * a whole-image buffer of 64 coefficients per block (64 MB for a 16 MP
 * 4:2:2 photo) is allocated, page-faulted in, zeroed, filled scan by scan
 * and read back. Most of the time of a DC-only decode goes there, not into
 * the DC scans. So the DC scans are decoded here (Huffman first scans and
 * refinements) into one DC value per block, and libjpeg is given the
 * header of a sequential JPEG (SOF1) with the same frame: path_dc_only_feed.c then
 * hands it each MCU's blocks from the planes, and libjpeg reconstructs
 * them in one pass through its MCU buffer, to the same pixels (at 1/8 a
 * block's output is its DC alone; all else is libjpeg).
 *
 * Components that libjpeg scales with a 2x2 IDCT at 1/8 (4:2:0 chroma)
 * keep their AC scans (path_dc_only_strip.c): those are decoded too
 * (path_dc_only_ac.c), into 64 coefficients per block. Anything else -
 * arithmetic coding, 12 bits, a bad code, a restart out of place, a
 * progression libjpeg would warn about, data before a marker - makes it
 * give up (*done = 0) and libjpeg decodes the DC-only stream as before,
 * with its own warnings and errors. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "internal.h"
#include "path_dc_only_ac.h"
#include "entropy_bits.h"
#include "markers.h"

typedef struct comp {
    int id, h, v;
    int bw, bh;   /* blocks coded in a scan of this component alone */
    int pw, ph;   /* blocks in the plane: whole MCUs */
    int al;       /* the point transform of its DC so far; -1 before its first scan */
    int16_t *dc;  /* pw x ph DC values */
    int full;     /* scaled with a 2x2 IDCT at 1/8: its AC is kept, in ac */
    tf_ac_plane ac;
} comp;

typedef struct frame {
    int w, h, ncomp, maxh, maxv, mcus_x, mcus_y;
    comp c[4];
    tf_huff dc[4], ac[4];
    unsigned restart; /* DRI: MCUs per restart interval, 0 = none */
    size_t sof_at;    /* the SOF segment in the source */
    unsigned long long max_pixels;
    tf_bytes *coefs; /* the planes' memory */
} frame;

/* A DC difference: a category code from t, then that many bits. Returns 0,
 * or -1 for a code t does not have. */
static int decode_diff(tf_bits *b, const tf_huff *t, int *diff)
{
    if (b->n < 32) /* a code (<= 16 bits) and its bits (<= 15) */
        tf_bits_refill(b);
    int s, len = tf_huff_code(t, b->buf, &s);
    if (len < 0)
        return -1;
    *diff = tf_bits_value(b->buf, len, s);
    tf_bits_drop(b, len + s);
    return 0;
}

/* DHT: the tables. An AC table that does not build is left undefined:
 * libjpeg only refuses it if a scan uses it. */
static int read_dht(frame *f, const unsigned char *s, size_t len)
{
    size_t p = 0;
    while (p < len) {
        if (len - p < 17)
            return -1;
        int cls = s[p] >> 4, id = s[p] & 15, n = 0;
        for (int i = 1; i <= 16; i++)
            n += s[p + i];
        if (cls > 1 || id > 3 || n > 256 || len - p - 17 < (size_t)n)
            return -1;
        if (cls == 0 && tf_huff_build(&f->dc[id], s + p + 1, s + p + 17, n, 1) != 0)
            return -1;
        if (cls == 1)
            tf_huff_build(&f->ac[id], s + p + 1, s + p + 17, n, 0);
        p += 17 + (size_t)n;
    }
    return 0;
}

static int ceil_div(long a, long b)
{
    return (int)((a + b - 1) / b);
}

/* SOF2: an 8-bit frame of 1-4 components, sized as libjpeg sizes it
 * (jdinput.c: blocks per component, MCUs of an interleaved scan). */
static int read_sof(frame *f, const unsigned char *s, size_t len)
{
    int nf = len >= 6 ? s[5] : 0;
    if (nf < 1 || nf > 4 || len != 6 + 3 * (size_t)nf || s[0] != 8)
        return -1;
    f->h = s[1] << 8 | s[2];
    f->w = s[3] << 8 | s[4];
    if ((unsigned long long)f->w * (unsigned long long)f->h > f->max_pixels)
        return -1; /* the planes are allocated for the frame: not for any size */
    f->ncomp = nf;
    f->maxh = f->maxv = 1;
    for (int i = 0; i < nf; i++) {
        comp *c = &f->c[i];
        c->id = s[6 + 3 * i];
        c->h = s[7 + 3 * i] >> 4;
        c->v = s[7 + 3 * i] & 15;
        c->al = -1;
        if (c->h < 1 || c->h > 4 || c->v < 1 || c->v > 4 || f->w == 0 || f->h == 0)
            return -1;
        for (int j = 0; j < i; j++)
            if (f->c[j].id == c->id)
                return -1;
        f->maxh = c->h > f->maxh ? c->h : f->maxh;
        f->maxv = c->v > f->maxv ? c->v : f->maxv;
    }
    int blocks = 0;
    for (int i = 0; i < nf; i++)
        blocks += f->c[i].h * f->c[i].v;
    if (nf > 1 && blocks > 10)
        return -1; /* one interleaved scan could not hold the MCU (libjpeg's limit) */
    f->mcus_x = ceil_div(f->w, 8L * f->maxh);
    f->mcus_y = ceil_div(f->h, 8L * f->maxv);
    for (int i = 0; i < nf; i++) {
        comp *c = &f->c[i];
        c->bw = ceil_div((long)f->w * c->h, 8L * f->maxh);
        c->bh = ceil_div((long)f->h * c->v, 8L * f->maxv);
        c->pw = nf == 1 ? c->bw : f->mcus_x * c->h;
        c->ph = nf == 1 ? c->bh : f->mcus_y * c->v;
        c->full = tf_jpeg_idct_2x2(f->maxh, f->maxv, c->h, c->v);
        c->ac = (tf_ac_plane){.bw = c->bw, .bh = c->bh, .stride = c->pw};
        memset(c->ac.bits, -1, sizeof c->ac.bits);
    }
    return 0;
}

/* One scan's components, in scan order, and how to read it. */
typedef struct scan_info {
    int ns, ah, al;
    comp *c[4];
    const tf_huff *t[4];
} scan_info;

/* The blocks of one MCU in coding order, flattened: which of the scan's
 * components each is, where it lies in its plane relative to the first
 * MCU, and how far it moves per MCU across and down. A scan of one
 * component has one block per MCU and covers only that component's own
 * blocks (jdinput.c); an interleaved one covers whole MCUs. */
typedef struct layout {
    int n, xs, ys; /* blocks per MCU; MCUs across and down */
    int k[10];
    int16_t *at[10];
    ptrdiff_t dx[10], dy[10];
} layout;

static void plan_layout(const frame *f, comp *const *c, int ns, layout *l)
{
    l->n = 0;
    if (ns == 1) {
        *l = (layout){1, c[0]->bw, c[0]->bh, {0}, {c[0]->dc}, {1}, {c[0]->pw}};
        return;
    }
    l->xs = f->mcus_x, l->ys = f->mcus_y;
    for (int k = 0; k < ns; k++)
        for (int y = 0; y < c[k]->v; y++)
            for (int x = 0; x < c[k]->h; x++, l->n++) {
                l->k[l->n] = k;
                l->at[l->n] = c[k]->dc + (ptrdiff_t)y * c[k]->pw + x;
                l->dx[l->n] = c[k]->h;
                l->dy[l->n] = (ptrdiff_t)c[k]->v * c[k]->pw;
            }
}

/* One MCU of a first scan: DC differences, added to each component's
 * prediction and scaled up by the point transform. */
static int first_mcu(tf_bits *b, const scan_info *sc, const layout *l, int16_t *const *cur,
                     int *pred)
{
    for (int i = 0; i < l->n; i++) {
        int k = l->k[i], diff;
        if (decode_diff(b, sc->t[k], &diff) != 0)
            return -1;
        pred[k] += diff;
        long v = (long)pred[k] * (1L << sc->al);
        if (v < INT16_MIN || v > INT16_MAX)
            return -1; /* libjpeg would wrap it: not a real image */
        *cur[i] = (int16_t)v;
    }
    return 0;
}

/* One MCU of a refinement scan: the next bit of every block's DC. */
static void refine_mcu(tf_bits *b, const scan_info *sc, const layout *l, int16_t *const *cur)
{
    if (b->n < l->n)
        tf_bits_refill(b); /* at most 10 bits */
    for (int i = 0; i < l->n; i++) {
        int bit = (int)(b->buf >> 63);
        tf_bits_drop(b, 1);
        *cur[i] = (int16_t)(*cur[i] | bit << sc->al);
    }
}

static int decode_scan(const frame *f, const scan_info *sc, const unsigned char *data,
                       const unsigned char *end)
{
    tf_bits b = {.p = data, .end = end};
    layout l;
    plan_layout(f, sc->c, sc->ns, &l);
    int16_t *cur[10];
    int pred[4] = {0};
    unsigned long todo = f->restart, rst = 0;
    for (int my = 0; my < l.ys; my++) {
        for (int i = 0; i < l.n; i++)
            cur[i] = l.at[i] + my * l.dy[i];
        for (int mx = 0; mx < l.xs; mx++) {
            if (f->restart && todo-- == 0) {
                if (tf_bits_boundary(&b, (int)(rst++ & 7)) != 0)
                    return -1;
                memset(pred, 0, sizeof pred);
                todo = f->restart - 1;
            }
            if (sc->ah)
                refine_mcu(&b, sc, &l, cur);
            else if (first_mcu(&b, sc, &l, cur, pred) != 0)
                return -1;
            for (int i = 0; i < l.n; i++)
                cur[i] += l.dx[i];
        }
    }
    return tf_bits_boundary(&b, -1);
}

/* SOS of an AC scan: one component, one that keeps its AC. */
static int read_ac_sos(frame *f, const unsigned char *s, size_t seglen, const unsigned char *end)
{
    if (s[0] != 1)
        return -1; /* libjpeg refuses an interleaved AC scan */
    comp *c = NULL;
    for (int i = 0; i < f->ncomp; i++)
        if (f->c[i].id == s[1])
            c = &f->c[i];
    int ta = s[2] & 15;
    if (!c || !c->full || ta > 3 || !f->ac[ta].defined)
        return -1;
    tf_ac_scan sc = {s[3], s[4], s[5] >> 4, s[5] & 15, &f->ac[ta], f->restart};
    c->ac.bits[0] = (signed char)c->al;
    return tf_ac_scan_decode(&c->ac, &sc, s + seglen, end);
}

/* SOS: a DC scan whose progression libjpeg accepts without a warning
 * (jdphuff.c), its data (which runs to the next marker before end, the
 * end of the stream) decoded into the planes. */
static int read_sos(frame *f, const unsigned char *s, size_t seglen, const unsigned char *end)
{
    scan_info sc = {.ns = seglen >= 1 ? s[0] : 0};
    if (sc.ns < 1 || sc.ns > 4 || seglen != 4 + 2 * (size_t)sc.ns)
        return -1;
    int ss = s[1 + 2 * sc.ns], se = s[2 + 2 * sc.ns], blocks = 0;
    sc.ah = s[3 + 2 * sc.ns] >> 4;
    sc.al = s[3 + 2 * sc.ns] & 15;
    if (ss != 0)
        return read_ac_sos(f, s, seglen, end);
    if (se != 0 || sc.al > 13 || (sc.ah && sc.al != sc.ah - 1))
        return -1;
    /* Components in frame order: whatever libjpeg's check of the order
     * (it differs between versions), that order passes it. */
    for (int k = 0, prev = -1; k < sc.ns; k++) {
        int id = s[1 + 2 * k], td = s[2 + 2 * k] >> 4, at = -1;
        for (int i = 0; i < f->ncomp; i++)
            if (f->c[i].id == id)
                at = i;
        if (at <= prev)
            return -1;
        prev = at;
        sc.c[k] = &f->c[at];
        if (td > 3 || (!sc.ah && !f->dc[td].defined))
            return -1;
        if (sc.ah ? sc.c[k]->al != sc.ah : sc.c[k]->al != -1)
            return -1; /* an inconsistent progression: libjpeg warns */
        sc.t[k] = &f->dc[td];
        sc.c[k]->al = sc.al;
        blocks += sc.c[k]->h * sc.c[k]->v;
    }
    if (sc.ns > 1 && blocks > 10)
        return -1;
    return decode_scan(f, &sc, s + seglen, end);
}

/* DC table 0: categories 0-11; AC table 0: end-of-block alone. libjpeg
 * builds the scan's tables before the first MCU, though path_dc_only_feed.c then
 * decodes in its place. */
static const unsigned char k_tables[] = {
    0xff, M_DHT, 0, 49,
    0x00, 0, 0, 0, 12, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11,
    0x10, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0x00};

/* After the walk: SOI, the copied header segments (in out already), SOF1,
 * the tables, SOS of one scan of every component with no data, EOI; and
 * the planes laid out for path_dc_only_feed.c. */
static int write_header(frame *f, const unsigned char *src, tf_bytes *out, tf_planes *planes)
{
    size_t sof_len = (size_t)(src[f->sof_at + 2] << 8 | src[f->sof_at + 3]);
    unsigned char sof[2] = {0xff, 0xc1};
    if (tf_bytes_append(out, sof, 2) || tf_bytes_append(out, src + f->sof_at + 2, sof_len) ||
        tf_bytes_append(out, k_tables, sizeof k_tables))
        return -1;
    unsigned char sos[4 + 2 * 4 + 4] = {0xff, M_SOS, 0, (unsigned char)(6 + 2 * f->ncomp),
                                       (unsigned char)f->ncomp};
    size_t n = 5;
    for (int k = 0; k < f->ncomp; k++) {
        sos[n++] = (unsigned char)f->c[k].id;
        sos[n++] = 0x00;
    }
    sos[n++] = 0, sos[n++] = 63, sos[n++] = 0;
    if (tf_bytes_append(out, sos, n) ||
        tf_bytes_append(out, (const unsigned char[]){0xff, M_EOI}, 2))
        return -1;
    planes->n = f->ncomp;
    for (int k = 0; k < f->ncomp; k++) {
        const comp *c = &f->c[k];
        planes->c[k] = (tf_plane){c->dc, c->full ? c->ac.coef : NULL, c->full ? c->ac.nz : NULL,
                                  c->pw, c->ph};
    }
    return 0;
}

/* Sets the planes up in f->coefs once the frame is known: a DC per
 * block, zeroed as libjpeg's coefficient buffer is; for the components
 * that keep their AC a non-zero mask per block, zeroed, and 64
 * coefficients, read only where the mask says. */
static tf_status planes(tf_ctx *ctx, frame *f)
{
    size_t blocks = 0, full = 0;
    for (int i = 0; i < f->ncomp; i++) {
        size_t n = (size_t)f->c[i].pw * (size_t)f->c[i].ph;
        blocks += n;
        full += f->c[i].full ? n : 0;
    }
    size_t zeroed = full * sizeof(uint64_t) + blocks * sizeof(int16_t);
    tf_status st = tf_bytes_reserve(ctx, f->coefs, zeroed + full * 64 * sizeof(int16_t));
    if (st != TF_OK)
        return st;
    memset(f->coefs->data, 0, zeroed);
    uint64_t *nz = (uint64_t *)(void *)f->coefs->data; /* malloc's alignment */
    int16_t *p = (int16_t *)(void *)(nz + full);
    for (int i = 0; i < f->ncomp; i++) {
        size_t n = (size_t)f->c[i].pw * (size_t)f->c[i].ph;
        f->c[i].dc = p;
        p += n;
    }
    for (int i = 0; i < f->ncomp; i++) {
        size_t n = (size_t)f->c[i].pw * (size_t)f->c[i].ph;
        if (f->c[i].full) {
            f->c[i].ac.nz = nz;
            f->c[i].ac.coef = p;
            nz += n;
            p += 64 * n;
        }
    }
    return TF_OK;
}

/* A segment other than SOS: tables and the frame are read, header
 * segments (APPn, COM, DQT) copied while no scan has been seen. Returns
 * -1 for anything else: another frame type, a second frame, any segment
 * but DHT and DRI after the first scan, DNL, unknown markers. */
static int segment(tf_ctx *ctx, frame *f, const unsigned char *s, const tf_segment *seg, int scans,
                   tf_bytes *out, tf_status *st)
{
    unsigned m = seg->m;
    size_t p = seg->at, seglen = seg->seglen;
    const unsigned char *body = s + p + 4;
    if (m == M_DHT)
        return read_dht(f, body, seglen - 2);
    if (m == M_DRI) {
        if (seglen != 4)
            return -1;
        f->restart = (unsigned)(body[0] << 8 | body[1]);
        return 0;
    }
    if (m == M_SOF2) {
        if (f->ncomp || read_sof(f, body, seglen - 2) != 0)
            return -1;
        f->sof_at = p;
        return (*st = planes(ctx, f)) == TF_OK ? 0 : -1;
    }
    /* After the first scan libjpeg still acts on APPn (JFIF's version
     * warning, Adobe's transform flag) and DQT: the rewrite would not. */
    int header = (m >= 0xe0 && m <= 0xef) || m == 0xfe || m == M_DQT; /* APPn, COM, DQT */
    if (!header || scans)
        return -1;
    return tf_bytes_append(out, s + p, 2 + seglen);
}

/* The walk over the DC-only stream s. Returns TF_OK with *done set, or an
 * allocation failure. */
static tf_status walk(tf_ctx *ctx, const unsigned char *s, size_t len, unsigned long long max_px,
                      tf_bytes *out, tf_bytes *coefs, tf_planes *planes, int *done)
{
    frame f = {.max_pixels = max_px, .coefs = coefs};
    size_t p = 2;
    int scans = 0;
    tf_status st = TF_OK;
    tf_segment seg;
    tf_walk at;
    tf_bytes_append(out, s, 2);
    while ((at = tf_jpeg_next_segment(s, len, &p, &seg)) == TF_WALK_SEGMENT) {
        if (seg.m != M_SOS) {
            if (segment(ctx, &f, s, &seg, scans, out, &st) != 0)
                return st;
            continue;
        }
        if (!f.ncomp || read_sos(&f, s + seg.at + 4, seg.seglen - 2, s + len) != 0)
            return TF_OK;
        scans++;
    }
    if (at != TF_WALK_EOI || seg.at + 2 != len || !scans)
        return TF_OK; /* truncated, or data after EOI: libjpeg judges */
    for (int i = 0; i < f.ncomp; i++)
        if (f.c[i].al < 0)
            return TF_OK; /* a component without DC: libjpeg warns */
    *done = write_header(&f, s, out, planes) == 0;
    return TF_OK;
}

tf_status tf_jpeg_dc_sequential(tf_ctx *ctx, const unsigned char *src, size_t len,
                                unsigned long long max_pixels, tf_bytes *out, tf_bytes *coefs,
                                tf_planes *planes, int *done)
{
    *done = 0;
    out->len = 0;
    planes->n = 0;
    if (len < 4 || src[0] != 0xff || src[1] != M_SOI)
        return TF_OK;
    /* the copied headers, SOF, the tables, SOS and EOI */
    tf_status st = tf_bytes_reserve(ctx, out, len + 256);
    return st == TF_OK ? walk(ctx, src, len, max_pixels, out, coefs, planes, done) : st;
}
