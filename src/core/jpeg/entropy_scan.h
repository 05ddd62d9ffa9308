/* entropy_scan.h - what the entropy decoders of ours that take libjpeg's
 * place (path_skip_ac.c, path_dc_only_feed.c) need to know of its scan. */
#ifndef THUMBIFY_JPEG_ENTROPY_SCAN_H
#define THUMBIFY_JPEG_ENTROPY_SCAN_H

#include <stdio.h> /* jpeglib.h needs FILE */

#include <jpeglib.h>

/* Whether libjpeg, after jpeg_start_decompress(), is about to decode one
 * 8-bit sequential Huffman scan of all the frame's components from a
 * memory source, with nothing read past the scan's header: the case where
 * an entropy decoder of ours may take its place. */
int tf_jpeg_one_scan(j_decompress_ptr cinfo);

/* Whether libjpeg wants all of a component's coefficients from the
 * entropy decoder (jdhuff.c's ac_needed: an IDCT larger than 1x1), after
 * jpeg_start_decompress chose the scale. */
int tf_jpeg_needs_ac(const jpeg_component_info *comp);

/* Zigzag to natural order, with libjpeg's 16 extra entries that send a
 * run past the end to the last coefficient (jutils.c). */
extern const unsigned char tf_jpeg_natural[64 + 16];

#endif
