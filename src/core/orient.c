/* orient.c - small pixel operations on thumbnail-sized images (a few
 * thousand pixels): EXIF orientation, alpha flattening, black bars. */
#include <string.h>

#include "internal.h"

/* Source coordinates of upright pixel (x, y) for orientation o, for a
 * stored image of w x h. The EXIF names: 2 mirror, 3 rotate 180, 4 flip,
 * 5 transpose, 6 rotate 90 clockwise, 7 transverse, 8 rotate 270. */
static void source_of(int o, int x, int y, int w, int h, int *sx, int *sy)
{
    switch (o) {
    case 2:
        *sx = w - 1 - x;
        *sy = y;
        break;
    case 3:
        *sx = w - 1 - x;
        *sy = h - 1 - y;
        break;
    case 4:
        *sx = x;
        *sy = h - 1 - y;
        break;
    case 5:
        *sx = y;
        *sy = x;
        break;
    case 6:
        *sx = y;
        *sy = h - 1 - x;
        break;
    case 7:
        *sx = w - 1 - y;
        *sy = h - 1 - x;
        break;
    case 8:
        *sx = w - 1 - y;
        *sy = x;
        break;
    default:
        *sx = x;
        *sy = y;
        break;
    }
}

void tf_orient_rect(int o, int stored_w, int stored_h, int *x, int *y, int *w, int *h)
{
    int ax, ay, bx, by; /* the stored pixels of the first and last corner */
    source_of(o, *x, *y, stored_w, stored_h, &ax, &ay);
    source_of(o, *x + *w - 1, *y + *h - 1, stored_w, stored_h, &bx, &by);
    *x = ax < bx ? ax : bx;
    *y = ay < by ? ay : by;
    *w = (ax < bx ? bx - ax : ax - bx) + 1;
    *h = (ay < by ? by - ay : ay - by) + 1;
}

tf_status tf_orient(tf_ctx *ctx, const tf_image *src, tf_image *dst, int o)
{
    int swap = tf_orient_turns(o);
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

/* A line of n samples, step apart, is a bar if it is dark throughout: JPEG
 * noise in a black bar stays well under these levels. */
static int dark(const unsigned char *p, int n, size_t step, int c)
{
    unsigned sum = 0, max = 0;
    for (int i = 0; i < n; i++, p += step)
        for (int k = 0; k < c; k++) {
            sum += p[k];
            max = p[k] > max ? p[k] : max;
        }
    return max <= 48 && sum <= 16u * (unsigned)(n * c);
}

void tf_trim_black_bars(tf_image *img)
{
    int c = img->channels, w = img->w, h = img->h;
    size_t stride = (size_t)w * c;
    int top = 0, bottom = h, left = 0, right = w;
    while (top < bottom && dark(img->px + stride * top, w, (size_t)c, c))
        top++;
    while (bottom > top && dark(img->px + stride * (bottom - 1), w, (size_t)c, c))
        bottom--;
    if (top == bottom)
        return; /* all black: a black picture, not bars */
    while (left < right && dark(img->px + stride * top + (size_t)left * c, bottom - top, stride, c))
        left++;
    while (right > left &&
           dark(img->px + stride * top + (size_t)(right - 1) * c, bottom - top, stride, c))
        right--;
    int nw = right - left, nh = bottom - top;
    for (int y = 0; y < nh; y++)
        memmove(img->px + (size_t)y * nw * c, img->px + stride * (top + y) + (size_t)left * c,
                (size_t)nw * c);
    /* a partial last column (row) that was trimmed leaves whole pixels */
    img->ext_w = right < w ? nw : img->ext_w - left;
    img->ext_h = bottom < h ? nh : img->ext_h - top;
    img->w = nw;
    img->h = nh;
}
