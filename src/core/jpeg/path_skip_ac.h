/* path_skip_ac.h - a Huffman decoder for libjpeg that skips what 1/8 scale
 * does not use.
 *
 * At scale 1/8 libjpeg-turbo reconstructs a block scaled with a 1x1 IDCT
 * from its DC coefficient alone, yet its Huffman decoder still walks every
 * AC code of a baseline scan one symbol at a time: most of the time of a
 * 1/8 decode. This decoder, put in place of libjpeg's own for one
 * sequential scan, decodes DC exactly and steps over runs of AC codes with
 * one table lookup for several codes and their value bits. Blocks scaled
 * with a larger IDCT (4:2:0 chroma at 1/8: 2x2) get all their coefficients,
 * as libjpeg would give them. Everything else - dequantisation, IDCT,
 * upsampling, colour conversion - stays libjpeg's, so the pixels are the
 * ones libjpeg would produce.
 *
 * It never guesses: on anything a clean stream does not have (a code no
 * table holds, a DC out of range, data cut short, a restart marker out of
 * place, bytes between the data and the next marker) it stops decoding
 * and says so through tf_skipac_ok(); the caller then decodes the file
 * again with libjpeg's own decoder, which reports and repairs damage as
 * it always does. */
#ifndef THUMBIFY_JPEG_PATH_SKIP_AC_H
#define THUMBIFY_JPEG_PATH_SKIP_AC_H

#include <stdio.h> /* jpeglib.h needs FILE */

#include <jpeglib.h>

typedef struct tf_skipac tf_skipac;

/* A decoder's state and its table cache; NULL when memory is exhausted. */
tf_skipac *tf_skipac_new(void);
void tf_skipac_free(tf_skipac *s);

/* Call after jpeg_start_decompress(), before the first scanline, with a
 * memory source (jpeg_mem_src): takes over the entropy decoding of the
 * scan when the frame is one 8-bit sequential Huffman scan of all its
 * components and no input has been read past its header. Returns 1 when
 * it did, 0 when libjpeg's own decoder stays (nothing changed). */
int tf_skipac_install(tf_skipac *s, j_decompress_ptr cinfo);

/* After the last scanline of an installed decode: 1 when every MCU was
 * decoded and the data ended cleanly at a marker (the output is exact and
 * the source is positioned at that marker for jpeg_finish_decompress); 0
 * when it stopped, and the output must be decoded again without it. */
int tf_skipac_ok(const tf_skipac *s);

#endif
