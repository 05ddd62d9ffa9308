/* markers.c - the segment walk (see markers.h). */
#include "markers.h"

#include "entropy_bits.h"

tf_walk tf_jpeg_next_segment(const unsigned char *s, size_t len, size_t *p, tf_segment *seg)
{
    size_t at = *p;
    while (at + 1 < len && s[at] == 0xff && s[at + 1] == 0xff)
        at++; /* FF FF is fill before a marker */
    seg->at = at;
    if (at + 1 >= len)
        return TF_WALK_END;
    if (s[at] != 0xff)
        return TF_WALK_STOP;
    seg->m = s[at + 1];
    if (seg->m == M_EOI)
        return TF_WALK_EOI;
    if (seg->m == M_SOI || seg->m == 0x01 || tf_jpeg_is_rst(seg->m) || at + 4 > len)
        return TF_WALK_STOP;
    seg->seglen = (size_t)s[at + 2] << 8 | s[at + 3];
    if (seg->seglen < 2 || at + 2 + seg->seglen > len)
        return TF_WALK_STOP;
    *p = at + 2 + seg->seglen;
    if (seg->m == M_SOS)
        *p = tf_jpeg_entropy_end(s, *p, len);
    return TF_WALK_SEGMENT;
}
