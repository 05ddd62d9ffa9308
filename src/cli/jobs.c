/* jobs.c - the job list: adding, ordering, output directories. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "array.h"
#include "jobs.h"
#include "msg.h"
#include "outfile.h"
#include "outname.h"

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
    if (l->ndirs && strcmp(l->dirs[l->ndirs - 1].path, path) == 0) {
        free(path);
        *index = (unsigned)(l->ndirs - 1);
        return 0;
    }
    if (ARRAY_GROW(l->dirs, l->ndirs, l->dirs_cap, 16) != 0) {
        free(path);
        return -1;
    }
    l->dirs[l->ndirs] = (out_dir){path, trusted};
    *index = (unsigned)l->ndirs++;
    return 0;
}

/* OUT_DIR/<src's name, extension per -F>; NULL when out of memory. */
static char *out_path(const char *dir, const char *src, tf_format fmt)
{
    const char *slash = strrchr(src, '/');
    const char *name = slash ? slash + 1 : src;
    size_t cap = strlen(dir) + strlen(name) + 8;
    char *plain = outname_join(dir, name), *out = malloc(cap);
    if (plain && out) {
        if (outname_fix(out, cap, plain, fmt) != 0) {
            free(out);
            out = NULL;
        }
    } else {
        free(out);
        out = NULL;
    }
    free(plain);
    return out;
}

int jobs_add(job_list *l, char *src, size_t rel, unsigned dir, tf_format fmt, const struct stat *st)
{
    char *out = src ? out_path(l->dirs[dir].path, src, fmt) : NULL;
    if (!out || ARRAY_GROW(l->v, l->n, l->cap, 256) != 0) {
        free(src);
        free(out);
        return -1;
    }
    l->v[l->n++] =
        (job){src, out, outname_format(out, fmt), rel, dir, st->st_size, st->st_dev, st->st_ino};
    return 0;
}

static int by_size_desc(const void *a, const void *b)
{
    const job *x = a, *y = b;
    if (x->size != y->size)
        return x->size > y->size ? -1 : 1;
    return strcmp(x->src, y->src);
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

/* One component of an output path: made if missing, then it must be a
 * directory; refuse_link: and not a symlink. */
static int make_component(const char *p, int refuse_link)
{
    struct stat st;
    if (mkdir(p, 0777) != 0 && errno != EEXIST)
        return -1;
    if (refuse_link && lstat(p, &st) == 0 && S_ISLNK(st.st_mode)) {
        errno = ELOOP;
        return -1;
    }
    if (stat(p, &st) != 0)
        return -1;
    if (!S_ISDIR(st.st_mode)) {
        errno = ENOTDIR;
        return -1;
    }
    return 0;
}

/* mkdir -p. Components below d->trusted must be real directories, not
 * symlinks: a thumbs/ that links elsewhere must not redirect our writes. */
static int make_dir(const out_dir *d)
{
    char *p = strdup(d->path);
    if (!p)
        return -1;
    int rc = 0;
    for (size_t i = 1; rc == 0; i++) {
        char c = p[i];
        if (c != '/' && c != '\0')
            continue;
        p[i] = '\0';
        rc = make_component(p, i > d->trusted);
        p[i] = c;
        if (c == '\0')
            break;
    }
    free(p);
    return rc;
}

void jobs_make_dirs(job_list *l)
{
    unsigned dir = (unsigned)-1;
    int ok = 1;
    for (size_t i = 0; i < l->n; i++) {
        job *j = &l->v[i];
        if (j->dir != dir) { /* jobs of one directory are consecutive */
            dir = j->dir;
            ok = make_dir(&l->dirs[dir]) == 0;
            if (!ok)
                msg_error(l->dirs[dir].path, "cannot create output directory: %s",
                          errno == ELOOP ? "it is a symlink (refused)" : strerror(errno));
            else
                outfile_remove_stale(l->dirs[dir].path);
        }
        if (!ok) {
            jobs_drop(j);
            l->failed++;
        }
    }
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
    *l = (job_list){0};
}
