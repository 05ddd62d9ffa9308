/* image_end.c - where a JPEG's image data ends when something that is not
 * part of it follows (see tf_jpeg_image_end in internal.h). */
#include "internal.h"
#include "entropy_bits.h"

/* Markers libjpeg reads inside an image: SOFn, DHT, DAC (C0-CF but the
 * reserved JPG, C8), SOS, DQT, DNL, DRI (DA-DD), APPn, COM. */
static int in_image(unsigned m)
{
    return (m >= 0xc0 && m <= 0xcf && m != 0xc8) || (m >= 0xda && m <= 0xdd) ||
           (m >= 0xe0 && m <= 0xef) || m == 0xfe;
}

/* Markers without a length: RSTn and TEM. */
static int standalone(unsigned m)
{
    return (m >= 0xd0 && m <= 0xd7) || m == 0x01;
}

size_t tf_jpeg_image_end(const unsigned char *s, size_t len)
{
    int scans = 0;
    for (size_t p = 2; p + 2 <= len;) {
        unsigned m = s[p + 1];
        if (s[p] != 0xff)
            return 0; /* not at a marker: a layout this walk does not follow */
        if (m == 0xff || standalone(m)) {
            p += m == 0xff ? 1 : 2; /* FF FF is fill before a marker */
            continue;
        }
        if (m == 0xd9)
            return 0; /* EOI: the stream ends as it should */
        if (!in_image(m))
            return scans ? p : 0;
        if (p + 4 > len)
            return 0;
        size_t seg = (size_t)s[p + 2] << 8 | s[p + 3];
        if (seg < 2 || seg > len - p - 2)
            return 0;
        p += 2 + seg;
        if (m == 0xda) {
            scans++;
            p = tf_jpeg_entropy_end(s, p, len);
        }
    }
    return 0;
}
