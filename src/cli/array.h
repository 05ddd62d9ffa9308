/* array.h - growing the CLI's dynamic arrays by doubling. */
#ifndef THUMBIFY_ARRAY_H
#define THUMBIFY_ARRAY_H

#include <stdlib.h>
#include <string.h>

/* Makes room for one more element in the array *arrp of *cap elements of
 * elem bytes, n of them used: doubles it (first: the first capacity).
 * Returns 0, or -1 with the array unchanged when memory runs out. The
 * pointer is read and written with memcpy: arrp points to a T*, not a
 * void*. */
static inline int array_grow_(void *arrp, size_t elem, size_t n, size_t *cap, size_t first)
{
    if (n < *cap)
        return 0;
    void *old;
    memcpy(&old, arrp, sizeof old);
    size_t c = *cap ? *cap * 2 : first;
    void *p = realloc(old, c * elem);
    if (!p)
        return -1;
    memcpy(arrp, &p, sizeof p);
    *cap = c;
    return 0;
}

#define ARRAY_GROW(arr, n, cap, first) array_grow_(&(arr), sizeof *(arr), (n), &(cap), (first))

#endif
