/* png_chunks.c - iCCP and the EXIF orientation, read from the chunk list
 * in memory (see png_chunks.h). libpng's simplified and row APIs hand neither over in a
 * form the core can use before decoding, and the chunks are easy to walk. */
#include <string.h>

#include <zlib.h>

#include "exif.h"
#include "png_chunks.h"

static unsigned long be32(const unsigned char *p)
{
    return (unsigned long)p[0] << 24 | (unsigned long)p[1] << 16 | (unsigned long)p[2] << 8 | p[3];
}

/* Inflates an iCCP chunk's profile (after its name and method byte) into
 * ctx->profile; a profile that does not inflate cleanly is dropped. */
static tf_status inflate_profile(tf_ctx *ctx, const unsigned char *z, size_t zlen)
{
    enum { MAX_PROFILE = 4 << 20 }; /* real profiles are far smaller */
    z_stream zs = {0};
    if (inflateInit(&zs) != Z_OK)
        return tf_fail(ctx, TF_E_NOMEM, "out of memory for the ICC profile");
    zs.next_in = (unsigned char *)z;
    zs.avail_in = (uInt)zlen;
    int rc = Z_OK;
    tf_status st = TF_OK;
    while (rc == Z_OK && st == TF_OK) {
        size_t cap = ctx->profile.cap ? ctx->profile.cap * 2 : 65536;
        if (ctx->profile.len == ctx->profile.cap &&
            (cap > MAX_PROFILE || (st = tf_bytes_reserve(ctx, &ctx->profile, cap)) != TF_OK))
            break;
        zs.next_out = ctx->profile.data + ctx->profile.len;
        zs.avail_out = (uInt)(ctx->profile.cap - ctx->profile.len);
        rc = inflate(&zs, Z_NO_FLUSH);
        ctx->profile.len = ctx->profile.cap - zs.avail_out;
    }
    inflateEnd(&zs);
    if (rc != Z_STREAM_END) {
        ctx->profile.len = 0;
        tf_note(ctx, "ICC profile dropped: it does not inflate");
    }
    return st;
}

/* An iCCP chunk's data d[0..n): a name of 1-79 bytes, NUL, method 0, then
 * the deflated profile. */
static tf_status read_iccp(tf_ctx *ctx, const unsigned char *d, size_t n)
{
    const unsigned char *nul = memchr(d, 0, n < 80 ? n : 80);
    if (nul && (size_t)(nul - d) + 2 <= n && nul[1] == 0)
        return inflate_profile(ctx, nul + 2, n - (size_t)(nul - d) - 2);
    tf_note(ctx, "ICC profile dropped: malformed iCCP chunk");
    return TF_OK;
}

/* An eXIf chunk holds a TIFF block; some writers put APP1's "Exif\0\0"
 * before it, which readers accept, as here. */
static int exif_orientation(const unsigned char *d, size_t n)
{
    if (n >= 6 && memcmp(d, "Exif\0\0", 6) == 0) {
        tf_exif exif;
        tf_exif_parse(d, n, &exif);
        return exif.orientation;
    }
    return tf_exif_tiff_orientation(d, n);
}

/* ImageMagick (before PNG had eXIf) and tools following it store the
 * APP1 payload as hex text in a tEXt or zTXt chunk: keyword "Raw profile
 * type exif", then "\nexif\n", the length in decimal, "\n" and the hex
 * digits, broken into lines. Pillow and libvips read it too. Only the
 * start is decoded: IFD0, which holds the orientation, comes first. */
enum { RAW_TEXT_MAX = 8192, RAW_EXIF_MAX = 3072 };
static const char k_raw_exif[] = "Raw profile type exif";

static int hex_digit(int c)
{
    return c >= '0' && c <= '9'   ? c - '0'
           : c >= 'a' && c <= 'f' ? c - 'a' + 10
           : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                  : -1;
}

static int raw_profile_orientation(const unsigned char *t, size_t n)
{
    unsigned char exif[RAW_EXIF_MAX];
    size_t i = 0, len = 0;
    int lines = 0;
    while (i < n && lines < 3) /* "\nexif\n" and the length's line */
        lines += t[i++] == '\n';
    for (int hi = -1; i < n && len < sizeof exif; i++) {
        int d = hex_digit(t[i]);
        if (d < 0)
            continue;
        if (hi < 0)
            hi = d;
        else
            exif[len++] = (unsigned char)(hi << 4 | d), hi = -1;
    }
    return exif_orientation(exif, len);
}

/* The text of a zTXt chunk's value (after keyword, NUL, method), as much
 * of it as fits in out. */
static size_t inflate_text(const unsigned char *z, size_t zlen, unsigned char *out, size_t cap)
{
    z_stream zs = {0};
    if (inflateInit(&zs) != Z_OK)
        return 0;
    zs.next_in = (unsigned char *)z;
    zs.avail_in = (uInt)zlen;
    zs.next_out = out;
    zs.avail_out = (uInt)cap;
    while (inflate(&zs, Z_NO_FLUSH) == Z_OK && zs.avail_out > 0)
        ;
    size_t got = cap - zs.avail_out;
    inflateEnd(&zs);
    return got;
}

/* The orientation in a tEXt or zTXt chunk holding the raw EXIF profile;
 * 0 when the chunk holds something else. */
static int text_orientation(const unsigned char *d, size_t n, int compressed)
{
    size_t k = sizeof k_raw_exif; /* with its NUL */
    if (n < k + (size_t)compressed || memcmp(d, k_raw_exif, k) != 0)
        return 0;
    if (!compressed)
        return raw_profile_orientation(d + k, n - k);
    unsigned char text[RAW_TEXT_MAX];
    size_t len = d[k] == 0 ? inflate_text(d + k + 1, n - k - 1, text, sizeof text) : 0;
    return raw_profile_orientation(text, len);
}

/* Where the file is cut inside an IDAT chunk's data: the bytes of it
 * there are (0: not cut there). */
static size_t idat_cut(const unsigned char *s, size_t len, size_t p)
{
    return p + 8 < len && memcmp(s + p + 4, "IDAT", 4) == 0 ? len - p - 8 : 0;
}

tf_status tf_png_chunks(tf_ctx *ctx, const unsigned char *s, size_t len, tf_png_facts *out)
{
    int iccp = 0, exif = 0, raw = 0, image_data = 0;
    ctx->profile.len = 0;
    *out = (tf_png_facts){.orientation = 1};
    size_t p = 8;
    while (p + 12 <= len) {
        unsigned long n = be32(s + p);
        const unsigned char *type = s + p + 4, *data = s + p + 8;
        if (n > len - p - 12 || memcmp(type, "IEND", 4) == 0)
            break;
        if (memcmp(type, "IDAT", 4) == 0)
            image_data = 1;
        else if (memcmp(type, "iCCP", 4) == 0 && !iccp && !image_data) {
            iccp = 1;
            tf_status st = read_iccp(ctx, data, n);
            if (st != TF_OK)
                return st;
        } else if (memcmp(type, "eXIf", 4) == 0 && !exif) {
            exif = 1;
            out->orientation = exif_orientation(data, n);
        } else if (!exif && !raw &&
                   (memcmp(type, "tEXt", 4) == 0 || memcmp(type, "zTXt", 4) == 0)) {
            int o = text_orientation(data, n, type[0] == 'z');
            raw = o > 0;
            if (raw)
                out->orientation = o; /* until an eXIf chunk says otherwise */
        }
        p += 12 + n;
    }
    out->idat_cut = idat_cut(s, len, p);
    return TF_OK;
}
