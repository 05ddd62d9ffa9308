/* thumbfacts.h - what a thumbnail file says about itself, for the report's
 * manifest: its size from its header (PNG IHDR, JPEG SOF, WebP VP8X), its format from
 * its signature, and from its stamp the size and format of the source it
 * was made from. Nothing is decoded: a run where every thumbnail is up to
 * date reads only the first bytes of each. */
#ifndef THUMBIFY_THUMBFACTS_H
#define THUMBIFY_THUMBFACTS_H

typedef struct thumb_facts {
    int w, h;           /* 0 when the header was not found */
    long long src_size; /* -1 when the file has no stamp */
    char src_format[8]; /* "jpeg", "png", or "" when unknown */
    const char *format; /* "jpeg", "png", "webp", or NULL when none */
} thumb_facts;

/* Reads the facts of the thumbnail at path (a symlink is not followed, a
 * FIFO or device not read). Returns 0, or -1 when it is not a readable
 * regular file (*f then says nothing is known). */
int thumbfacts_read(const char *path, thumb_facts *f);

#endif
