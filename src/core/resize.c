/* resize.c - area-average downscaling with stb_image_resize's box filter.
 * Samples are averaged as stored (gamma-encoded), as Pillow's BOX filter and
 * every peer thumbnailer do, so results are comparable. With an alpha
 * channel stb weights colour by alpha, so transparent pixels' colour
 * cannot bleed into visible ones. */
#include <string.h>

#include <stb_image_resize.h>

#include "internal.h"

tf_status tf_resize(tf_ctx *ctx, const tf_image *src, tf_image *dst)
{
    tf_status st = tf_image_reserve(ctx, dst, dst->w, dst->h, src->channels);
    if (st != TF_OK)
        return st;
    if (dst->w == src->w && dst->h == src->h && src->ext_w == src->w && src->ext_h == src->h) {
        memcpy(dst->px, src->px, (size_t)src->w * src->h * src->channels);
        return TF_OK;
    }
    int alpha =
        src->channels == 2 || src->channels == 4 ? src->channels - 1 : STBIR_ALPHA_CHANNEL_NONE;
    /* The region ends inside the last column (row) when that stands for a
     * fraction of a pixel: mapping all of it onto the output would shift
     * the picture by up to 3/4 of an output pixel. stb's box filter weights
     * each source pixel by its exact overlap with the output pixel. */
    float s1 = (float)(src->ext_w / src->w), t1 = (float)(src->ext_h / src->h);
    if (!stbir_resize_region(src->px, src->w, src->h, 0, dst->px, dst->w, dst->h, 0,
                             STBIR_TYPE_UINT8, src->channels, alpha, 0, STBIR_EDGE_CLAMP,
                             STBIR_EDGE_CLAMP, STBIR_FILTER_BOX, STBIR_FILTER_BOX,
                             STBIR_COLORSPACE_LINEAR, NULL, 0.0f, 0.0f, s1, t1))
        return tf_fail(ctx, TF_E_NOMEM, "out of memory while resizing");
    return TF_OK;
}
