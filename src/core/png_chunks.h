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
 *   first of each counts.
 */
#ifndef THUMBIFY_PNG_CHUNKS_H
#define THUMBIFY_PNG_CHUNKS_H

#include <stddef.h>

#include "internal.h"

/* Inflates the iCCP profile into ctx->profile (len 0 when there is none;
 * one that does not inflate is dropped with a note) and sets *orientation
 * from the eXIf chunk: 1..8, 1 without one. Fails only for memory. */
tf_status tf_png_chunks(tf_ctx *ctx, const unsigned char *src, size_t len, int *orientation);

#endif
