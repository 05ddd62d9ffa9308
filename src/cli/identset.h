/* identset.h - a set of file identities (device, inode): which
 * directories a scan has entered. Open addressing, so a tree of a million
 * directories costs a million lookups, not a million squared. */
#ifndef THUMBIFY_IDENTSET_H
#define THUMBIFY_IDENTSET_H

#include <stddef.h>
#include <sys/stat.h>

typedef struct ident {
    dev_t dev;
    ino_t ino;
} ident;

typedef struct identset {
    ident *v;
    unsigned char *used;
    size_t n, cap; /* cap: 0 or a power of two, kept over twice n */
} identset;

/* Whether st's file is in the set. */
int identset_has(const identset *set, const struct stat *st);

/* Adds st's file: 1 when it was new, 0 when it was there, -1 when memory
 * runs out. */
int identset_add(identset *set, const struct stat *st);

void identset_free(identset *set);

#endif
