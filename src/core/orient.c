/* orient.c - EXIF orientation and alpha flattening, on thumbnail-sized
 * images (cheap: a few thousand pixels). */
#include <string.h>

#include "internal.h"

/* Source coordinates of upright pixel (x, y) for orientation o, for a
 * stored image of w x h. The EXIF names: 2 mirror, 3 rotate 180, 4 flip,
 * 5 transpose, 6 rotate 90 clockwise, 7 transverse, 8 rotate 270. */
static void source_of(int o, int x, int y, int w, int h, int *sx, int *sy)
{
    switch (o) {
    case 2: *sx = w - 1 - x; *sy = y; break;
    case 3: *sx = w - 1 - x; *sy = h - 1 - y; break;
    case 4: *sx = x; *sy = h - 1 - y; break;
    case 5: *sx = y; *sy = x; break;
    case 6: *sx = y; *sy = h - 1 - x; break;
    case 7: *sx = w - 1 - y; *sy = h - 1 - x; break;
    case 8: *sx = w - 1 - y; *sy = x; break;
    default: *sx = x; *sy = y; break;
    }
}

tf_status tf_orient(tf_ctx *ctx, const tf_image *src, tf_image *dst, int o)
{
    int swap = o >= 5 && o <= 8;
    int w = swap ? src->h : src->w, h = swap ? src->w : src->h, c = src->channels;
    tf_status st = tf_image_reserve(ctx, dst, w, h, c);
    if (st != TF_OK)
        return st;
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++) {
            int sx, sy;
            source_of(o, x, y, src->w, src->h, &sx, &sy);
            memcpy(dst->px + ((size_t)y * w + x) * c, src->px + ((size_t)sy * src->w + sx) * c,
                   (size_t)c);
        }
    return TF_OK;
}

/* out = a*colour + (1-a)*white, rounded. */
void tf_flatten(tf_image *img)
{
    if (img->channels != 2 && img->channels != 4)
        return;
    int c = img->channels - 1;
    size_t n = (size_t)img->w * img->h;
    unsigned char *in = img->px, *out = img->px;
    for (size_t i = 0; i < n; i++, in += c + 1, out += c) {
        unsigned a = in[c];
        for (int k = 0; k < c; k++)
            out[k] = (unsigned char)((in[k] * a + 255u * (255u - a) + 127) / 255);
    }
    img->channels = c;
}
