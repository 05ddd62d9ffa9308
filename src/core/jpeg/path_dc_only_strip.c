/* path_dc_only_strip.c - a progressive JPEG without its AC scans.
 *
 * At 1/8 scale every output pixel is an 8x8 block's mean: its DC
 * coefficient alone. A progressive file keeps DC and AC in separate scans,
 * and the AC scans are most of the file, so leaving them out skips most of
 * the entropy decoding while the result stays exact. DC refinement scans
 * (Ss = 0, Ah > 0) are kept, so DC values are complete.
 *
 * One exception keeps the result equal to libjpeg's own 1/8 decode: for a
 * component subsampled 2x2 against the largest (4:2:0 chroma), libjpeg-turbo
 * scales with a 2x2 IDCT instead of upsampling, and that IDCT reads AC
 * coefficients. Such components keep their AC scans; chroma is a small part
 * of a file.
 *
 * The walk is conservative: anything it does not recognise makes it give
 * up, and the caller decodes the original file instead. */
#include <string.h>

#include "internal.h"
#include "markers.h"

/* What the walk knows of the frame: components that keep their AC. */
typedef struct frame {
    int progressive;
    int ncomp;
    unsigned char id[4], keep_ac[4];
    int dc_scans; /* DC scans kept */
    int scans;    /* all scans seen */
} frame;

/* Reads SOF at seg: FF Cn Lh Ll P Yh Yl Xh Xl Nf (C HV Tq)*Nf. A component whose
 * sampling divides the maximum by 2 in both directions is decoded by
 * libjpeg-turbo with a 2x2 (or larger) IDCT at 1/8 scale. */
static int read_frame(const unsigned char *seg, size_t seglen, frame *f)
{
    size_t nf = seglen >= 8 ? seg[9] : 0;
    if (nf < 1 || nf > 4 || seglen != 8 + 3 * nf)
        return -1;
    int maxh = 1, maxv = 1;
    for (size_t i = 0; i < nf; i++) {
        int h = seg[11 + 3 * i] >> 4, v = seg[11 + 3 * i] & 15;
        maxh = h > maxh ? h : maxh;
        maxv = v > maxv ? v : maxv;
    }
    for (size_t i = 0; i < nf; i++) {
        int h = seg[11 + 3 * i] >> 4, v = seg[11 + 3 * i] & 15;
        f->id[i] = seg[10 + 3 * i];
        f->keep_ac[i] = tf_jpeg_idct_2x2(maxh, maxv, h, v);
    }
    f->ncomp = (int)nf;
    f->progressive = 1;
    return 0;
}

/* An AC scan (one component) is kept when that component keeps its AC. */
static int keeps_ac(const frame *f, unsigned id)
{
    for (int i = 0; i < f->ncomp; i++)
        if (f->id[i] == id)
            return f->keep_ac[i];
    return 0;
}

/* One scan: the SOS segment at s[seg->at..] and its entropy data, up to
 * end. Kept when Ss (the spectral start) is 0, or for components that
 * keep their AC. 0, or -1 to decode the original. */
static int scan(const unsigned char *s, const tf_segment *seg, size_t end, frame *f, tf_bytes *out)
{
    /* FF DA Lh Ll Ns (Cs Td/Ta)*Ns Ss Se AhAl */
    const unsigned char *sos = s + seg->at;
    if (seg->seglen < 6 || seg->seglen != 6 + 2 * (size_t)sos[4])
        return -1;
    size_t ns = sos[4];
    f->scans++;
    int dc = sos[5 + 2 * ns] == 0;
    if (!dc && !(ns == 1 && keeps_ac(f, sos[5])))
        return 0;
    f->dc_scans += dc;
    return tf_bytes_append(out, sos, end - seg->at);
}

/* A segment other than SOS: copied, and a progressive frame read. 0, or
 * -1 for any other frame type, or a second frame. */
static int segment(const unsigned char *s, const tf_segment *seg, frame *f, tf_bytes *out)
{
    unsigned m = seg->m;
    if (m >= 0xc0 && m <= 0xcf && m != 0xc4 && m != 0xc8 && m != 0xcc) {
        if ((m != M_SOF2 && m != M_SOF10) || f->progressive ||
            read_frame(s + seg->at, seg->seglen, f) != 0)
            return -1;
    }
    return tf_bytes_append(out, s + seg->at, 2 + seg->seglen);
}

/* The walk: returns 1 with the stripped stream in out, or 0 to decode the
 * original. */
static int strip(const unsigned char *s, size_t len, tf_bytes *out, frame *f)
{
    size_t p = 2;
    tf_segment seg;
    out->len = 0;
    if (len < 4 || s[0] != 0xff || s[1] != M_SOI || tf_bytes_append(out, s, 2) != 0)
        return 0;
    for (;;) {
        switch (tf_jpeg_next_segment(s, len, &p, &seg)) {
        case TF_WALK_SEGMENT:
            if (seg.m == M_SOS ? !f->progressive || scan(s, &seg, p, f, out) != 0
                               : segment(s, &seg, f, out) != 0)
                return 0;
            continue;
        case TF_WALK_EOI: return f->dc_scans > 0 && tf_bytes_append(out, s + seg.at, 2) == 0;
        case TF_WALK_END: /* truncated: libjpeg warns about it as for the original */
            return f->dc_scans > 0;
        case TF_WALK_STOP: /* junk between segments and the like: let libjpeg judge */ return 0;
        }
    }
}

tf_status tf_jpeg_strip_ac(tf_ctx *ctx, const unsigned char *src, size_t len, tf_bytes *out,
                           int *stripped, int *scans)
{
    /* The result is never longer than the source. */
    frame f = {0};
    tf_status st = tf_bytes_reserve(ctx, out, len);
    *stripped = st == TF_OK && strip(src, len, out, &f);
    *scans = f.scans;
    return st;
}
