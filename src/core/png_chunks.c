/* png_chunks.c - iCCP and eXIf, read from the chunk list in memory (see
 * png_chunks.h). libpng's simplified and row APIs hand neither over in a
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

/* Where the file is cut inside an IDAT chunk's data: the bytes of it
 * there are (0: not cut there). */
static size_t idat_cut(const unsigned char *s, size_t len, size_t p)
{
    return p + 8 < len && memcmp(s + p + 4, "IDAT", 4) == 0 ? len - p - 8 : 0;
}

tf_status tf_png_chunks(tf_ctx *ctx, const unsigned char *s, size_t len, tf_png_facts *out)
{
    int iccp = 0, exif = 0, image_data = 0;
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
        }
        p += 12 + n;
    }
    out->idat_cut = idat_cut(s, len, p);
    return TF_OK;
}
