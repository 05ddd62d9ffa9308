/* path_dc_only_ac.c - progressive AC scans into coefficient blocks, mirroring
 * libjpeg's decode_mcu_AC_first and decode_mcu_AC_refine (jdphuff.c):
 * end-of-band runs across blocks, zero-run codes, correction bits for
 * coefficients already non-zero. Where libjpeg would go on regardless
 * (a coefficient written past the band, a new coefficient of size other
 * than 1 in a refinement), this gives up instead. */
#include <stdint.h>

#include "path_dc_only_ac.h"

static int get_bit(tf_bits *b)
{
    if (b->n < 1)
        tf_bits_refill(b);
    int bit = (int)(b->buf >> 63);
    tf_bits_drop(b, 1);
    return bit;
}

/* The code at the reader: 0 with *r (run) and *s (size), or -1. */
static int next_code(tf_bits *b, const tf_huff *t, int *r, int *s)
{
    if (b->n < 32)
        tf_bits_refill(b);
    int sym, len = tf_huff_code(t, b->buf, &sym);
    if (len < 0)
        return -1;
    tf_bits_drop(b, len);
    *r = sym >> 4;
    *s = sym & 15;
    return 0;
}

/* An end-of-band code's run: 2^r blocks plus r appended bits. */
static unsigned band_run(tf_bits *b, int r)
{
    unsigned run = 1u << r;
    if (r) {
        if (b->n < 32)
            tf_bits_refill(b);
        run += (unsigned)(b->buf >> (64 - r));
        tf_bits_drop(b, r);
    }
    return run;
}

static int first_block(tf_bits *b, const tf_ac_scan *sc, int16_t *coef, uint64_t *nz,
                       unsigned *eobrun)
{
    if (*eobrun) {
        (*eobrun)--;
        return 0;
    }
    for (int k = sc->ss; k <= sc->se; k++) {
        int r, s;
        if (next_code(b, sc->t, &r, &s) != 0)
            return -1;
        if (!s) {
            if (r == 15) { /* sixteen zeros */
                k += 15;
                continue;
            }
            *eobrun = band_run(b, r) - 1;
            return 0;
        }
        k += r;
        if (k > sc->se)
            return -1; /* libjpeg writes it past the band */
        if (b->n < 32)
            tf_bits_refill(b);
        long v = (long)tf_bits_value(b->buf, 0, s) * (1L << sc->al);
        tf_bits_drop(b, s);
        if (v < INT16_MIN || v > INT16_MAX)
            return -1; /* libjpeg would wrap it */
        coef[k] = (int16_t)v;
        *nz |= 1ull << k;
    }
    return 0;
}

/* A correction bit for a non-zero coefficient: away from zero by p1 when
 * set, unless that bit is set already. */
static void correct(tf_bits *b, int16_t *c, int p1)
{
    if (get_bit(b) && (*c & p1) == 0)
        *c = (int16_t)(*c >= 0 ? *c + p1 : *c - p1);
}

/* Past r zero coefficients (correcting the non-zero ones on the way), to
 * the next zero one, or past the band. Returns the position reached. */
static int skip_zeros(tf_bits *b, const tf_ac_scan *sc, int16_t *coef, uint64_t nz, int k, int r,
                      int p1)
{
    for (; k <= sc->se; k++) {
        if (nz >> k & 1)
            correct(b, &coef[k], p1);
        else if (--r < 0)
            break;
    }
    return k;
}

static int refine_block(tf_bits *b, const tf_ac_scan *sc, int16_t *coef, uint64_t *nz,
                        unsigned *eobrun)
{
    int p1 = 1 << sc->al, k = sc->ss;
    for (; !*eobrun && k <= sc->se; k++) {
        int r, s, v = 0;
        if (next_code(b, sc->t, &r, &s) != 0 || s > 1)
            return -1; /* a new coefficient is always +-1: libjpeg warns */
        if (s)
            v = get_bit(b) ? p1 : -p1;
        else if (r != 15) {
            *eobrun = band_run(b, r);
            break;
        }
        k = skip_zeros(b, sc, coef, *nz, k, r, p1);
        if (v) {
            if (k > sc->se)
                return -1; /* libjpeg writes it past the band */
            coef[k] = (int16_t)v;
            *nz |= 1ull << k;
        }
    }
    if (*eobrun) { /* the rest of the band: corrections only, in order */
        uint64_t m = k <= sc->se ? *nz & ~0ull << k & ~0ull >> (63 - sc->se) : 0;
        for (; m; m &= m - 1)
            correct(b, &coef[__builtin_ctzll(m)], p1);
        (*eobrun)--;
    }
    return 0;
}

/* The progression as libjpeg checks it (jdphuff.c start_pass): a band in
 * range, one point transform step at a time, each coefficient refined only
 * after its previous scan. Records the new state. */
static int progression(tf_ac_plane *p, const tf_ac_scan *sc)
{
    if (sc->ss < 1 || sc->se < sc->ss || sc->se > 63 || sc->al > 13 ||
        (sc->ah && sc->al != sc->ah - 1) || p->bits[0] < 0)
        return -1;
    for (int k = sc->ss; k <= sc->se; k++)
        if (p->bits[k] != (sc->ah ? sc->ah : -1))
            return -1;
    for (int k = sc->ss; k <= sc->se; k++)
        p->bits[k] = (signed char)sc->al;
    return 0;
}

int tf_ac_scan_decode(tf_ac_plane *p, const tf_ac_scan *sc, const unsigned char *data,
                      const unsigned char *end)
{
    if (!sc->t || progression(p, sc) != 0)
        return -1;
    tf_bits b = {.p = data, .end = end};
    unsigned long todo = sc->restart, rst = 0;
    unsigned eobrun = 0;
    for (int by = 0; by < p->bh; by++)
        for (int bx = 0; bx < p->bw; bx++) {
            if (sc->restart && todo-- == 0) {
                if (tf_bits_boundary(&b, (int)(rst++ & 7)) != 0)
                    return -1;
                eobrun = 0;
                todo = sc->restart - 1;
            }
            size_t at = (size_t)by * (size_t)p->stride + (size_t)bx;
            int16_t *coef = p->coef + at * 64;
            if ((sc->ah ? refine_block(&b, sc, coef, &p->nz[at], &eobrun)
                        : first_block(&b, sc, coef, &p->nz[at], &eobrun)) != 0)
                return -1;
        }
    return tf_bits_boundary(&b, -1);
}
