/* path_dc_only_feed.c - libjpeg's entropy decoder replaced by a copy from planes
 * (see path_dc_only_feed.h). The planes are laid out in whole MCUs, as libjpeg
 * lays out an interleaved scan, so an MCU's blocks are found by its
 * position and each component's sampling factors. */
#include <stdlib.h>

#include "path_dc_only_feed.h"
#include "entropy_scan.h"

#include <jpegint.h>

struct tf_feed {
    struct jpeg_entropy_decoder pub; /* first: libjpeg calls through it */
    tf_planes p;
    int nblocks;
    struct {
        const tf_plane *plane;
        int x, y, w, h; /* the block within its component's part of the MCU; that part's size */
    } blk[D_MAX_BLOCKS_IN_MCU];
    unsigned mx, my, mcus_x;
    unsigned long left;
    int failed;
};

static void copy_block(JCOEF *out, const tf_plane *pl, size_t at)
{
    out[0] = pl->dc[at];
    if (!pl->coef)
        return;
    const int16_t *coef = pl->coef + at * 64;
    for (uint64_t m = pl->nz[at] & ~1ull; m; m &= m - 1) {
        int k = __builtin_ctzll(m);
        out[tf_jpeg_natural[k]] = coef[k];
    }
}

static boolean decode_mcu(j_decompress_ptr cinfo, JBLOCKROW *data)
{
    tf_feed *f = (tf_feed *)(void *)cinfo->entropy;
    if (f->failed || f->left == 0) {
        f->failed = 1;
        return TRUE;
    }
    for (int i = 0; i < f->nblocks; i++) {
        size_t row = (size_t)f->my * f->blk[i].h + (size_t)f->blk[i].y;
        size_t col = (size_t)f->mx * f->blk[i].w + (size_t)f->blk[i].x;
        copy_block(data[i][0], f->blk[i].plane, row * (size_t)f->blk[i].plane->pw + col);
    }
    if (++f->mx == f->mcus_x) {
        f->mx = 0;
        f->my++;
    }
    f->left--;
    return TRUE;
}

/* A second scan would restart the decoder: never for the header stream. */
static void start_pass(j_decompress_ptr cinfo)
{
    ((tf_feed *)(void *)cinfo->entropy)->failed = 1;
}

tf_feed *tf_feed_new(void)
{
    return calloc(1, sizeof(tf_feed));
}

void tf_feed_free(tf_feed *f)
{
    free(f);
}

/* Whether component ci of the scan is the plane's: its MCU part fits the
 * plane for every MCU, and it has AC exactly when libjpeg needs it. */
static int matches(j_decompress_ptr c, int ci, const tf_plane *pl)
{
    const jpeg_component_info *comp = c->cur_comp_info[ci];
    return comp->component_index == ci && tf_jpeg_needs_ac(comp) == (pl->coef != NULL) &&
           (unsigned long)c->MCUs_per_row * (unsigned)comp->MCU_width <= (unsigned long)pl->pw &&
           (unsigned long)c->MCU_rows_in_scan * (unsigned)comp->MCU_height <= (unsigned long)pl->ph;
}

int tf_feed_install(tf_feed *f, j_decompress_ptr cinfo, const tf_planes *p)
{
    f->failed = 1;
    if (!tf_jpeg_one_scan(cinfo) || p->n != cinfo->num_components)
        return 0;
    for (int ci = 0; ci < cinfo->comps_in_scan; ci++)
        if (!matches(cinfo, ci, &p->c[ci]))
            return 0;
    f->p = *p;
    f->nblocks = cinfo->blocks_in_MCU;
    for (int i = 0, ci = 0, at = 0; i < cinfo->blocks_in_MCU; i++) {
        if (cinfo->MCU_membership[i] != ci) { /* the next component's blocks */
            ci = cinfo->MCU_membership[i];
            at = 0;
        }
        const jpeg_component_info *comp = cinfo->cur_comp_info[ci];
        f->blk[i].plane = &f->p.c[ci];
        f->blk[i].w = comp->MCU_width;
        f->blk[i].h = comp->MCU_height;
        f->blk[i].x = at % comp->MCU_width;
        f->blk[i].y = at / comp->MCU_width;
        at++;
    }
    f->mx = f->my = 0;
    f->mcus_x = cinfo->MCUs_per_row;
    f->left = (unsigned long)cinfo->MCUs_per_row * cinfo->MCU_rows_in_scan;
    f->failed = 0;
    f->pub.start_pass = start_pass;
    f->pub.decode_mcu = decode_mcu;
    f->pub.insufficient_data = FALSE;
    cinfo->entropy = &f->pub;
    return 1;
}

int tf_feed_ok(const tf_feed *f)
{
    return !f->failed && f->left == 0;
}
