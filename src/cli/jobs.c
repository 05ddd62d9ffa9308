/* jobs.c - the job list: adding, ordering, output directories. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "array.h"
#include "jobs.h"
#include "msg.h"
#include "outdir.h"
#include "outname.h"
#include "outstale.h"

uint64_t jobs_hash(const char *path)
{
    uint64_t h = 0xcbf29ce484222325ULL;
    for (const unsigned char *p = (const unsigned char *)path; *p; p++)
        h = (h ^ *p) * 0x100000001b3ULL;
    return h;
}

int jobs_add_dir(job_list *l, char *path, size_t trusted, unsigned *index)
{
    if (!path)
        return -1;
    /* the last one, or with several sizes one of the last (they take
     * turns) */
    size_t look = l->nsizes > 1 ? (size_t)l->nsizes : 1;
    for (size_t k = l->ndirs, back = 0; k > 0 && back < look; k--, back++)
        if (strcmp(l->dirs[k - 1].path, path) == 0) {
            free(path);
            *index = (unsigned)(k - 1);
            return 0;
        }
    if (ARRAY_GROW(l->dirs, l->ndirs, l->dirs_cap, 16) != 0) {
        free(path);
        return -1;
    }
    l->dirs[l->ndirs] = (out_dir){path, trusted, strlen(path)};
    *index = (unsigned)l->ndirs++;
    return 0;
}

/* The output path of src for size box: outname_in, or with --name
 * DIR/<the template's name>. A source whose header does not give the size
 * %w/%h need fails alone (said here, counted in failed): 1. 0 done, -1 out
 * of memory. */
static int output_of(job_list *l, const char *src, unsigned dir, unsigned box, tf_format fmt,
                     char **out, int *w, int *h)
{
    char why[256] = "";
    *w = *h = 0;
    if (!l->o || !l->o->name)
        return (*out = outname_in(l->dirs[dir].path, src, fmt)) ? 0 : -1;
    char *name;
    jobs_name_status st = jobs_name(l, src, box, fmt, w, h, &name, why, sizeof why);
    *out = name ? outname_join(l->dirs[dir].path, name) : NULL;
    free(name);
    if (st != JOBS_NAME_NO_SIZE)
        return *out ? 0 : -1;
    msg_error(src, "cannot name its thumbnail (--name %s): %s", l->o->name, why);
    l->failed++;
    return 1;
}

/* The directory of size k: dir's path with WxH/ put in after its root. */
static int sized_dir(job_list *l, unsigned dir, int k, unsigned *index)
{
    const out_dir *d = &l->dirs[dir];
    char *p = outname_sized_dir(d->path, d->root, l->sizes[k].w, l->sizes[k].h);
    return p ? jobs_add_dir(l, p, d->trusted, index) : -1;
}

static int add_one(job_list *l, char *src, size_t rel, unsigned dir, unsigned box, tf_format fmt,
                   const struct stat *st)
{
    char *out = NULL;
    int w, h, rc = src ? output_of(l, src, dir, box, fmt, &out, &w, &h) : -1;
    if (rc != 0 || ARRAY_GROW(l->v, l->n, l->cap, 256) != 0) {
        free(src);
        free(out);
        return rc > 0 ? 0 : -1;
    }
    l->v[l->n++] = (job){
        src, out, outname_format(out, fmt), rel, box, dir, st->st_size, st->st_dev, st->st_ino, w, h};
    return 0;
}

int jobs_add(job_list *l, char *src, size_t rel, unsigned dir, tf_format fmt, const struct stat *st)
{
    if (l->nsizes <= 1)
        return add_one(l, src, rel, dir, 0, fmt, st);
    for (int k = 0; k < l->nsizes; k++) {
        unsigned kdir;
        int last = k + 1 == l->nsizes;
        if (sized_dir(l, dir, k, &kdir) != 0) {
            free(src);
            return -1;
        }
        char *copy = last ? src : src ? strdup(src) : NULL;
        if (add_one(l, copy, rel, kdir, (unsigned)k, fmt, st) != 0) { /* add_one freed copy */
            if (!last)
                free(src);
            return -1;
        }
    }
    return 0;
}

size_t jobs_group(const job_list *l, size_t i)
{
    size_t n = 1;
    while (i + n < l->n && l->v[i + n].box > l->v[i + n - 1].box &&
           strcmp(l->v[i + n].src, l->v[i].src) == 0)
        n++;
    return n;
}

static int by_size_desc(const void *a, const void *b)
{
    const job *x = a, *y = b;
    if (x->size != y->size)
        return x->size > y->size ? -1 : 1;
    int c = strcmp(x->src, y->src);
    return c ? c : x->box < y->box ? -1 : x->box > y->box;
}

void jobs_drop(job *j)
{
    free(j->src);
    free(j->out);
    j->src = j->out = NULL;
}

void jobs_compact(job_list *l)
{
    size_t k = 0;
    for (size_t i = 0; i < l->n; i++)
        if (l->v[i].src)
            l->v[k++] = l->v[i];
    l->n = k;
}

void jobs_order(job_list *l)
{
    if (l->n > 1) /* qsort wants a base */
        qsort(l->v, l->n, sizeof *l->v, by_size_desc);
}

/* Creates (mkdir -p) and opens the output directory: below the part the
 * user named, components must be real directories, not symlinks (see
 * outdir.h); then removes the temp files dead runs left there. */
static int make_dir(const out_dir *d)
{
    char why[PATH_MAX + 64];
    int fd = outdir_open(d->path, d->trusted, 1, why, sizeof why);
    if (fd < 0) {
        msg_error(d->path, "cannot create output directory: %s", why);
        return -1;
    }
    outstale_remove(fd);
    close(fd);
    return 0;
}

void jobs_make_dirs(job_list *l)
{
    /* each directory once: 0 not yet, 1 made, 2 failed (several sizes
     * take turns, so one directory's jobs need not be consecutive) */
    unsigned char *made = calloc(l->ndirs ? l->ndirs : 1, 1);
    for (size_t i = 0; i < l->n; i++) {
        job *j = &l->v[i];
        if (made && !made[j->dir])
            made[j->dir] = make_dir(&l->dirs[j->dir]) == 0 ? 1 : 2;
        if (!made || made[j->dir] == 2) {
            jobs_drop(j);
            l->failed++;
        }
    }
    free(made);
    jobs_compact(l);
}

void jobs_free(job_list *l)
{
    for (size_t i = 0; i < l->n; i++)
        jobs_drop(&l->v[i]);
    for (size_t i = 0; i < l->ndirs; i++)
        free(l->dirs[i].path);
    free(l->v);
    free(l->dirs);
    tf_free(l->probe);
    *l = (job_list){0};
}
