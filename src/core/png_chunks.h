/* png_chunks.h - the PNG chunks the core reads itself, walking the chunk
 * list in memory: iCCP (libpng checks the profile, but LittleCMS converts
 * with it) and eXIf (the EXIF orientation, which libpng does not apply).
 *
 * Contract
 * - Hostile input is expected: nothing outside src[0..len) is read, and a
 *   chunk length that runs past the end stops the walk (what came before
 *   is kept); a truncated file is walked as far as it goes.
 * - The iCCP profile must come before the first IDAT (PNG spec), the eXIf
 *   chunk may come anywhere (writers put it after the image data too); the
 *   first of each counts. Without an eXIf chunk, the orientation comes from
 *   ImageMagick's "Raw profile type exif" text chunk (tEXt or zTXt), as
 *   Pillow and libvips read it.
 */
#ifndef THUMBIFY_PNG_CHUNKS_H
#define THUMBIFY_PNG_CHUNKS_H

#include <stddef.h>

#include "internal.h"

typedef struct tf_png_facts {
    int orientation; /* from the EXIF: 1..8, 1 without any */
    size_t idat_cut; /* the file ends inside an IDAT chunk's data, after
                        this many bytes of it; 0 when it does not */
} tf_png_facts;

/* Inflates the iCCP profile into ctx->profile (len 0 when there is none;
 * one that does not inflate is dropped with a note) and fills *out. The
 * whole chunk list is walked (chunk headers only). Fails only for memory. */
tf_status tf_png_chunks(tf_ctx *ctx, const unsigned char *src, size_t len, tf_png_facts *out);

#endif
