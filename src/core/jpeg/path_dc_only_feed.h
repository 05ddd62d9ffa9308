/* path_dc_only_feed.h - an entropy decoder for libjpeg that decodes nothing: it
 * hands libjpeg each MCU's blocks from coefficient planes decoded ahead of
 * it (path_dc_only_sequential.c), for the header-only sequential stream written with
 * them. libjpeg then dequantises, scales and converts as it always does. */
#ifndef THUMBIFY_JPEG_PATH_DC_ONLY_FEED_H
#define THUMBIFY_JPEG_PATH_DC_ONLY_FEED_H

#include <stdio.h> /* jpeglib.h needs FILE */

#include <jpeglib.h>

#include "internal.h"

typedef struct tf_feed tf_feed;

tf_feed *tf_feed_new(void);
void tf_feed_free(tf_feed *f);

/* Call after jpeg_start_decompress() on the header stream: takes over its
 * one scan with the blocks of *p (which must outlive the decode) when the
 * frame's layout matches the planes - components, whole MCUs, and AC
 * present exactly for the components libjpeg scales with an IDCT larger
 * than 1x1. Returns 1 when it did, 0 when nothing changed. */
int tf_feed_install(tf_feed *f, j_decompress_ptr cinfo, const tf_planes *p);

/* After the last scanline: 1 when every MCU was fed. */
int tf_feed_ok(const tf_feed *f);

#endif
