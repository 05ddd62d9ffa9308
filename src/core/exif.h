/* exif.h - the few EXIF facts the core needs, read from an APP1 payload.
 *
 * Contract
 * - Input is the APP1 payload: the bytes after the segment's length field,
 *   "Exif\0\0" followed by a TIFF block ("II*\0" or "MM\0*", then the IFD0
 *   offset, relative to the TIFF header).
 * - Hostile input is expected: the parser never reads outside
 *   [data, data + len), whatever the bytes say, never allocates, keeps no
 *   state and never fails loudly. Anything malformed leaves the defaults
 *   for the fields it would have given, so callers need no error path.
 * - Only IFD0 (orientation) and IFD1 (thumbnail) are read; no other IFD,
 *   sub-IFD or next-IFD chain is followed, so loops cannot run forever.
 */
#ifndef THUMBIFY_EXIF_H
#define THUMBIFY_EXIF_H

#include <stddef.h>

typedef struct tf_exif {
    /* IFD0 Orientation (0x0112), SHORT, count 1: 1..8. It is 1 when the tag
     * is absent, has another type or count, or holds 0 or a value above 8. */
    int orientation;
    /* IFD1 JPEGInterchangeFormat (0x0201): where the embedded JPEG thumbnail
     * starts, in bytes from `data` (not from the TIFF header). */
    size_t thumb_offset;
    /* IFD1 JPEGInterchangeFormatLength (0x0202). Both thumb fields are 0
     * unless the thumbnail lies wholly inside [data, data + len) and starts
     * with FF D8, so data[thumb_offset .. thumb_offset + thumb_len) can be
     * read without further checks. */
    size_t thumb_len;
} tf_exif;

/* Fills *out (which must not be NULL) from data[0..len). data may be NULL
 * when len is 0. */
void tf_exif_parse(const unsigned char *data, size_t len, tf_exif *out);

/* The IFD0 orientation (as tf_exif.orientation) of a bare TIFF block:
 * tiff[0..len) starts with the TIFF header itself, as a PNG eXIf chunk
 * does, without "Exif\0\0". 1 when anything is malformed. */
int tf_exif_tiff_orientation(const unsigned char *tiff, size_t len);

#endif
