/* markers.h - the walk over a JPEG's segments that the DC-only path's two
 * passes share (path_dc_only_strip.c, path_dc_only_sequential.c): one
 * segment at a time, a scan with its entropy-coded data. The walk only
 * finds segments; what each means is the caller's. */
#ifndef THUMBIFY_JPEG_MARKERS_H
#define THUMBIFY_JPEG_MARKERS_H

#include <stddef.h>

enum {
    M_SOF2 = 0xc2,
    M_DHT = 0xc4,
    M_SOF10 = 0xca,
    M_SOI = 0xd8,
    M_EOI = 0xd9,
    M_SOS = 0xda,
    M_DQT = 0xdb,
    M_DRI = 0xdd
};

typedef struct tf_segment {
    unsigned m;    /* the marker */
    size_t at;     /* where its FF is */
    size_t seglen; /* its length field: 2 + the body that follows */
} tf_segment;

typedef enum tf_walk {
    TF_WALK_SEGMENT, /* a marker with a length (for SOS: then its data) */
    TF_WALK_EOI,     /* at EOI */
    TF_WALK_END,     /* the data ends between segments: a truncated file */
    TF_WALK_STOP     /* anything else: a byte that is no marker, a marker
                        without a length where a segment belongs (SOI, RSTn,
                        TEM), a length past the end */
} tf_walk;

/* The segment at s[*p] (fill bytes before it skipped) into *seg; *p moves
 * past it, past a scan's entropy-coded data too. */
tf_walk tf_jpeg_next_segment(const unsigned char *s, size_t len, size_t *p, tf_segment *seg);

#endif
