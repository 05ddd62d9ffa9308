/* identset.c - a hash set of (device, inode). */
#include <stdint.h>
#include <stdlib.h>

#include "identset.h"

static size_t slot_of(const identset *s, ident id)
{
    uint64_t h = ((uint64_t)id.ino * 0x9e3779b97f4a7c15ULL) ^ (uint64_t)id.dev;
    h ^= h >> 29;
    size_t i = (size_t)h & (s->cap - 1);
    while (s->used[i] && (s->v[i].dev != id.dev || s->v[i].ino != id.ino))
        i = (i + 1) & (s->cap - 1); /* linear probing; never full */
    return i;
}

int identset_has(const identset *s, const struct stat *st)
{
    return s->cap && s->used[slot_of(s, (ident){st->st_dev, st->st_ino})];
}

/* Doubles the table (16 at first) and puts every identity back. */
static int grow(identset *s)
{
    identset bigger = {.cap = s->cap ? s->cap * 2 : 16};
    bigger.v = malloc(bigger.cap * sizeof *bigger.v);
    bigger.used = calloc(bigger.cap, 1);
    if (!bigger.v || !bigger.used) {
        identset_free(&bigger);
        return -1;
    }
    for (size_t i = 0; i < s->cap; i++)
        if (s->used[i]) {
            size_t k = slot_of(&bigger, s->v[i]);
            bigger.v[k] = s->v[i];
            bigger.used[k] = 1;
        }
    bigger.n = s->n;
    identset_free(s);
    *s = bigger;
    return 0;
}

int identset_add(identset *s, const struct stat *st)
{
    if (identset_has(s, st))
        return 0;
    if (2 * (s->n + 1) > s->cap && grow(s) != 0)
        return -1;
    ident id = {st->st_dev, st->st_ino};
    size_t k = slot_of(s, id);
    s->v[k] = id;
    s->used[k] = 1;
    s->n++;
    return 1;
}

void identset_free(identset *s)
{
    free(s->v);
    free(s->used);
    *s = (identset){0};
}
