/* jpeg_dcseq.c - the DC scans of a progressive JPEG as one sequential scan.
 *
 * libjpeg decodes even a DC-only progressive stream the progressive way:
 * a whole-image buffer of 64 coefficients per block (64 MB for a 16 MP
 * 4:2:2 photo) is allocated, page-faulted in, zeroed, filled scan by scan
 * and read back. Most of the time of a DC-only decode goes there, not into
 * the DC scans. So the DC scans are decoded here (Huffman first scans and
 * refinements) into one DC value per block, and written out as a
 * sequential JPEG (SOF1) whose blocks hold that DC and an end-of-block:
 * libjpeg decodes that in one pass through an MCU buffer, to the same
 * pixels (at 1/8 a block's output is its DC alone; all else is libjpeg).
 *
 * Components that libjpeg scales with a 2x2 IDCT at 1/8 (4:2:0 chroma)
 * keep their AC scans (jpeg_dconly.c): those are decoded too
 * (jpeg_acscan.c), into 64 coefficients per block, and written out with a
 * standard AC table. Anything else - arithmetic coding, 12 bits, a bad
 * code, a restart out of place, a progression libjpeg would warn about,
 * data before a marker - makes it give up (*done = 0) and libjpeg decodes
 * the DC-only stream as before, with its own warnings and errors. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "internal.h"
#include "jpeg_acscan.h"
#include "jpeg_bits.h"

enum { M_SOF2 = 0xc2, M_DHT = 0xc4, M_SOI = 0xd8, M_EOI = 0xd9, M_SOS = 0xda, M_DQT = 0xdb,
       M_DRI = 0xdd };

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
    size_t src_len;
    unsigned long long max_pixels;
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
        /* libjpeg-turbo's choice of IDCT size at 1/8 (jdmaster.c) */
        c->full = f->maxh % (2 * c->h) == 0 && f->maxv % (2 * c->v) == 0;
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
static int first_mcu(tf_bits *b, const scan_info *sc, const layout *l, int16_t *const *cur, int *pred)
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

/* The sequential stream: bits into out->data, FF stuffed. */
typedef struct writer {
    unsigned char *o;
    uint64_t acc;
    int n;
} writer;

/* Writes the 32 bits above the n pending ones, FF stuffed. */
static void flush32(writer *w)
{
    w->n -= 32;
    uint32_t word = (uint32_t)(w->acc >> w->n);
    if (!tf_has_ff(word)) { /* the upper half of the 64 bits is 0, never FF */
        word = __builtin_bswap32(word);
        memcpy(w->o, &word, 4);
        w->o += 4;
        return;
    }
    for (int sh = 24; sh >= 0; sh -= 8) {
        unsigned char byte = (unsigned char)(word >> sh);
        *w->o++ = byte;
        if (byte == 0xff)
            *w->o++ = 0;
    }
}

/* Appends the k low bits of v (k <= 32). */
static void put(writer *w, uint32_t v, int k)
{
    w->acc = w->acc << k | v;
    w->n += k;
    if (w->n >= 32)
        flush32(w);
}

/* The last bits, padded with 1s to a byte boundary. */
static void put_end(writer *w)
{
    int pad = (8 - w->n % 8) % 8;
    w->acc = w->acc << pad | ((1u << pad) - 1);
    w->n += pad;
    while (w->n >= 8) {
        w->n -= 8;
        unsigned char byte = (unsigned char)(w->acc >> w->n);
        *w->o++ = byte;
        if (byte == 0xff)
            *w->o++ = 0;
    }
}

/* The standard luminance AC table (JPEG Annex K.5): every run and size
 * an 8-bit image has, for the blocks that keep their AC. */
#define K_AC_COUNTS 0, 2, 1, 3, 3, 2, 4, 3, 5, 5, 4, 4, 0, 0, 1, 0x7d
#define K_AC_VALS                                                                           \
    0x01, 0x02, 0x03, 0x00, 0x04, 0x11, 0x05, 0x12, 0x21, 0x31, 0x41, 0x06, 0x13, 0x51, 0x61, \
        0x07, 0x22, 0x71, 0x14, 0x32, 0x81, 0x91, 0xa1, 0x08, 0x23, 0x42, 0xb1, 0xc1, 0x15,   \
        0x52, 0xd1, 0xf0, 0x24, 0x33, 0x62, 0x72, 0x82, 0x09, 0x0a, 0x16, 0x17, 0x18, 0x19,   \
        0x1a, 0x25, 0x26, 0x27, 0x28, 0x29, 0x2a, 0x34, 0x35, 0x36, 0x37, 0x38, 0x39, 0x3a,   \
        0x43, 0x44, 0x45, 0x46, 0x47, 0x48, 0x49, 0x4a, 0x53, 0x54, 0x55, 0x56, 0x57, 0x58,   \
        0x59, 0x5a, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68, 0x69, 0x6a, 0x73, 0x74, 0x75, 0x76,   \
        0x77, 0x78, 0x79, 0x7a, 0x83, 0x84, 0x85, 0x86, 0x87, 0x88, 0x89, 0x8a, 0x92, 0x93,   \
        0x94, 0x95, 0x96, 0x97, 0x98, 0x99, 0x9a, 0xa2, 0xa3, 0xa4, 0xa5, 0xa6, 0xa7, 0xa8,   \
        0xa9, 0xaa, 0xb2, 0xb3, 0xb4, 0xb5, 0xb6, 0xb7, 0xb8, 0xb9, 0xba, 0xc2, 0xc3, 0xc4,   \
        0xc5, 0xc6, 0xc7, 0xc8, 0xc9, 0xca, 0xd2, 0xd3, 0xd4, 0xd5, 0xd6, 0xd7, 0xd8, 0xd9,   \
        0xda, 0xe1, 0xe2, 0xe3, 0xe4, 0xe5, 0xe6, 0xe7, 0xe8, 0xe9, 0xea, 0xf1, 0xf2, 0xf3,   \
        0xf4, 0xf5, 0xf6, 0xf7, 0xf8, 0xf9, 0xfa

static const unsigned char k_ac_counts[16] = {K_AC_COUNTS};
static const unsigned char k_ac_vals[162] = {K_AC_VALS};

/* DC table 0: categories 0-11, all 4-bit codes (code = category). AC table
 * 0: one symbol, end-of-block, coded as a single 0 bit. AC table 1: the
 * standard one above. */
static const unsigned char k_tables[] = {
    0xff, M_DHT, 0, 49 + 17 + 162,
    0x00, 0, 0, 0, 12, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11,
    0x10, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0x00,
    0x11, K_AC_COUNTS,
    K_AC_VALS};

/* AC table 1's code for each symbol (canonical, as a decoder builds it). */
typedef struct ac_codes {
    uint16_t code[256];
    unsigned char len[256]; /* 0: no such symbol */
} ac_codes;

static void make_ac_codes(ac_codes *t)
{
    memset(t->len, 0, sizeof t->len);
    unsigned code = 0;
    for (int l = 1, k = 0; l <= 16; l++, code <<= 1)
        for (int i = 0; i < k_ac_counts[l - 1]; i++, k++, code++) {
            t->code[k_ac_vals[k]] = (uint16_t)code;
            t->len[k_ac_vals[k]] = (unsigned char)l;
        }
}

/* A DC difference; then end-of-block unless the AC follows. */
static int put_dc(writer *w, int *pred, int dc, int eob)
{
    int d = dc - *pred, mag = d < 0 ? -d : d;
    int cat = mag ? 32 - __builtin_clz((unsigned)mag) : 0;
    *pred = dc;
    if (cat > 11)
        return -1;
    unsigned extra = (unsigned)(d < 0 ? d - 1 : d) & ((1u << cat) - 1);
    put(w, ((unsigned)cat << cat | extra) << eob, 4 + cat + eob);
    return 0;
}

/* A block's AC coefficients (zigzag order, the non-zero ones marked in
 * nz) with AC table 1. */
static int put_ac(writer *w, const ac_codes *t, const int16_t *coef, uint64_t nz)
{
    int last = 0;
    for (uint64_t m = nz & ~1ull; m; m &= m - 1) {
        int k = __builtin_ctzll(m), run = k - last - 1, v = coef[k], mag = v < 0 ? -v : v;
        last = k;
        for (; run > 15; run -= 16)
            put(w, t->code[0xf0], t->len[0xf0]);
        int size = 32 - __builtin_clz((unsigned)mag), sym = run << 4 | size;
        if (size > 10)
            return -1; /* not an 8-bit image's coefficient: the table has no code */
        unsigned extra = (unsigned)(v < 0 ? v - 1 : v) & ((1u << size) - 1);
        put(w, (unsigned)t->code[sym] << size | extra, t->len[sym] + size);
    }
    if (last < 63)
        put(w, t->code[0x00], t->len[0x00]);
    return 0;
}

/* The scan: every component interleaved (one alone when the frame has one),
 * no restarts. */
static int write_scan(frame *f, writer *w)
{
    comp *c[4] = {&f->c[0], &f->c[1], &f->c[2], &f->c[3]};
    layout l;
    plan_layout(f, c, f->ncomp, &l);
    ac_codes t;
    make_ac_codes(&t);
    int pred[4] = {0};
    for (int my = 0; my < l.ys; my++)
        for (int mx = 0; mx < l.xs; mx++)
            for (int i = 0; i < l.n; i++) {
                const comp *ci = c[l.k[i]];
                ptrdiff_t at = l.at[i] - ci->dc + my * l.dy[i] + mx * l.dx[i];
                if (put_dc(w, &pred[l.k[i]], ci->dc[at], !ci->full) != 0 ||
                    (ci->full && put_ac(w, &t, ci->ac.coef + at * 64, ci->ac.nz[at]) != 0))
                    return -1;
            }
    put_end(w);
    return 0;
}

static void append(tf_bytes *out, const void *p, size_t n)
{
    memcpy(out->data + out->len, p, n);
    out->len += n;
}

/* After the walk: SOI, the copied header segments (in out already), SOF1,
 * the tables, SOS, the data, EOI. */
static int write_stream(frame *f, const unsigned char *src, tf_bytes *out)
{
    size_t sof_len = (size_t)(src[f->sof_at + 2] << 8 | src[f->sof_at + 3]);
    unsigned char sof[2] = {0xff, 0xc1};
    append(out, sof, 2);
    append(out, src + f->sof_at + 2, sof_len);
    append(out, k_tables, sizeof k_tables);
    unsigned char sos[4 + 2 * 4 + 4] = {0xff, M_SOS, 0, (unsigned char)(6 + 2 * f->ncomp),
                                       (unsigned char)f->ncomp};
    size_t n = 5;
    for (int k = 0; k < f->ncomp; k++) {
        sos[n++] = (unsigned char)f->c[k].id;
        sos[n++] = f->c[k].full ? 0x01 : 0x00; /* DC table 0; AC table 1 or 0 */
    }
    sos[n++] = 0, sos[n++] = 63, sos[n++] = 0;
    append(out, sos, n);
    writer w = {.o = out->data + out->len};
    if (write_scan(f, &w) != 0)
        return -1;
    out->len = (size_t)(w.o - out->data);
    append(out, (const unsigned char[]){0xff, M_EOI}, 2);
    return 0;
}

/* Sets the planes up in ctx->dc_planes once the frame is known: a DC per
 * block, zeroed as libjpeg's coefficient buffer is; for the components
 * that keep their AC (*full of their blocks) a non-zero mask per block,
 * zeroed, and 64 coefficients, read only where the mask says. */
static tf_status planes(tf_ctx *ctx, frame *f, size_t *blocks, size_t *full)
{
    *blocks = *full = 0;
    for (int i = 0; i < f->ncomp; i++) {
        size_t n = (size_t)f->c[i].pw * (size_t)f->c[i].ph;
        *blocks += n;
        *full += f->c[i].full ? n : 0;
    }
    size_t zeroed = *full * sizeof(uint64_t) + *blocks * sizeof(int16_t);
    tf_status st = tf_bytes_reserve(ctx, &ctx->dc_planes, zeroed + *full * 64 * sizeof(int16_t));
    if (st != TF_OK)
        return st;
    memset(ctx->dc_planes.data, 0, zeroed);
    uint64_t *nz = (uint64_t *)(void *)ctx->dc_planes.data; /* malloc's alignment */
    int16_t *p = (int16_t *)(void *)(nz + *full);
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
static int segment(tf_ctx *ctx, frame *f, const unsigned char *s, size_t p, int scans,
                   tf_bytes *out, tf_status *st)
{
    unsigned m = s[p + 1];
    size_t seglen = (size_t)(s[p + 2] << 8 | s[p + 3]);
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
        size_t blocks = 0, full = 0;
        /* a block costs at most 16 bits, or 16 + 63 * 26 with its AC,
         * doubled by FF stuffing */
        if ((*st = planes(ctx, f, &blocks, &full)) != TF_OK ||
            (*st = tf_bytes_reserve(ctx, out, f->src_len + 4 * blocks + 416 * full + 512)) !=
                TF_OK)
            return -1;
        return 0;
    }
    /* After the first scan libjpeg still acts on APPn (JFIF's version
     * warning, Adobe's transform flag) and DQT: the rewrite would not. */
    int header = (m >= 0xe0 && m <= 0xef) || m == 0xfe || m == M_DQT; /* APPn, COM, DQT */
    if (!header || scans)
        return -1;
    if (!scans)
        append(out, s + p, 2 + seglen);
    return 0;
}

/* The walk over the DC-only stream s. Returns TF_OK with *done set, or an
 * allocation failure. */
static tf_status walk(tf_ctx *ctx, const unsigned char *s, size_t len, unsigned long long max_px,
                      tf_bytes *out, int *done)
{
    frame f = {.src_len = len, .max_pixels = max_px};
    size_t p = 2;
    int scans = 0;
    tf_status st = TF_OK;
    append(out, s, 2);
    while (p + 4 <= len && s[p] == 0xff) {
        unsigned m = s[p + 1];
        size_t seglen = (size_t)(s[p + 2] << 8 | s[p + 3]);
        if (m == 0xff) { /* fill byte */
            p++;
            continue;
        }
        if (m == M_EOI || seglen < 2 || p + 2 + seglen > len)
            break;
        if (m != M_SOS) {
            if (segment(ctx, &f, s, p, scans, out, &st) != 0)
                return st;
            p += 2 + seglen;
            continue;
        }
        size_t end = tf_jpeg_entropy_end(s, p + 2 + seglen, len);
        if (!f.ncomp || read_sos(&f, s + p + 4, seglen - 2, s + len) != 0)
            return TF_OK;
        scans++;
        p = end;
    }
    if (p + 2 != len || s[p] != 0xff || s[p + 1] != M_EOI || !scans)
        return TF_OK; /* truncated, or data after EOI: libjpeg judges */
    for (int i = 0; i < f.ncomp; i++)
        if (f.c[i].al < 0)
            return TF_OK; /* a component without DC: libjpeg warns */
    *done = write_stream(&f, s, out) == 0;
    return TF_OK;
}

tf_status tf_jpeg_dc_sequential(tf_ctx *ctx, const unsigned char *src, size_t len,
                                unsigned long long max_pixels, tf_bytes *out, int *done)
{
    *done = 0;
    out->len = 0;
    if (len < 4 || src[0] != 0xff || src[1] != M_SOI)
        return TF_OK;
    tf_status st = tf_bytes_reserve(ctx, out, len + 256); /* the copied headers */
    return st == TF_OK ? walk(ctx, src, len, max_pixels, out, done) : st;
}
