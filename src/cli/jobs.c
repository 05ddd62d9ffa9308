/* jobs.c - scanning operands into jobs, and preparing output directories. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "jobs.h"
#include "msg.h"
#include "outname.h"

/* dir + "/" + name, without doubling a trailing slash. */
static char *join(const char *dir, const char *name)
{
    size_t dl = strlen(dir), nl = strlen(name);
    int slash = dl > 0 && dir[dl - 1] != '/';
    char *p = malloc(dl + (size_t)slash + nl + 1);
    if (!p)
        return NULL;
    memcpy(p, dir, dl);
    if (slash)
        p[dl] = '/';
    memcpy(p + dl + (size_t)slash, name, nl + 1);
    return p;
}

/* The directory part of a file operand: "a/b.jpg" -> "a", "b.jpg" -> ".". */
static char *dir_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    if (!slash)
        return strdup(".");
    if (slash == path)
        return strdup("/");
    return strndup(path, (size_t)(slash - path));
}

static const char *base_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

/* Keeps an out_dir string owned by the list; returns it, or NULL. The same
 * directory as the last one shares its string: jobs_make_dirs() relies on
 * that to create each directory once. */
static const char *own_dir(job_list *l, char *dir)
{
    if (!dir)
        return NULL;
    if (l->ndirs && strcmp(l->dirs[l->ndirs - 1], dir) == 0) {
        free(dir);
        return l->dirs[l->ndirs - 1];
    }
    if (l->ndirs == l->dirs_cap) {
        size_t cap = l->dirs_cap ? l->dirs_cap * 2 : 16;
        char **v = realloc(l->dirs, cap * sizeof *v);
        if (!v) {
            free(dir);
            return NULL;
        }
        l->dirs = v;
        l->dirs_cap = cap;
    }
    return l->dirs[l->ndirs++] = dir;
}

/* The output directory for sources in src_dir. */
static const char *out_dir_for(const cli_options *o, job_list *l, const char *src_dir)
{
    return own_dir(l, o->out_dir ? strdup(o->out_dir) : join(src_dir, "thumbs"));
}

static int grow_jobs(job_list *l)
{
    if (l->n < l->cap)
        return 0;
    size_t cap = l->cap ? l->cap * 2 : 256;
    job *v = realloc(l->v, cap * sizeof *v);
    if (!v)
        return -1;
    l->v = v;
    l->cap = cap;
    return 0;
}

/* OUT_DIR/<src's name, extension per -F>; NULL when out of memory. */
static char *out_path(const char *out_dir, const char *src, tf_format fmt)
{
    char *plain = join(out_dir, base_of(src));
    size_t cap = plain ? strlen(plain) + 8 : 0;
    char *out = plain ? malloc(cap) : NULL;
    if (out && outname_fix(out, cap, plain, fmt) != 0) {
        free(out);
        out = NULL;
    }
    free(plain);
    return out;
}

/* Takes ownership of src. */
static int add_job(job_list *l, char *src, const char *out_dir, tf_format fmt,
                   const struct stat *st)
{
    char *out = src && out_dir ? out_path(out_dir, src, fmt) : NULL;
    if (!out || grow_jobs(l) != 0) {
        free(src);
        free(out);
        return -1;
    }
    l->v[l->n++] = (job){src, out, out_dir, st->st_size, st->st_dev, st->st_ino};
    return 0;
}

static int same_file(const struct stat *a, const struct stat *b)
{
    return a->st_dev == b->st_dev && a->st_ino == b->st_ino;
}

/* True when dir is the output directory of this run (-o DIR) or the
 * thumbs/ of another directory operand: its files are our own output. */
static int is_output_dir(const cli_options *o, const struct stat *dir)
{
    struct stat st;
    if (o->out_dir)
        return stat(o->out_dir, &st) == 0 && same_file(&st, dir);
    for (int i = 0; i < o->npaths; i++) {
        char *t = join(o->paths[i], "thumbs");
        int hit = t && stat(t, &st) == 0 && same_file(&st, dir);
        free(t);
        if (hit)
            return 1;
    }
    return 0;
}

/* Lists one directory: every regular file (links followed) with a JPEG or
 * PNG name. */
static int scan_dir(const cli_options *o, job_list *l, const char *dir)
{
    DIR *d = opendir(dir);
    if (!d) {
        msg_error(dir, "cannot open directory: %s", strerror(errno));
        l->failed++;
        return 0;
    }
    const char *out_dir = out_dir_for(o, l, dir);
    int rc = out_dir ? 0 : -1;
    struct dirent *e;
    while (rc == 0 && (errno = 0, e = readdir(d))) {
        struct stat st;
        if (outname_kind(e->d_name) == TF_FORMAT_SAME || e->d_type == DT_DIR)
            continue;
        if (fstatat(dirfd(d), e->d_name, &st, 0) != 0 || !S_ISREG(st.st_mode))
            continue;            /* vanished, dangling link or not a file */
        rc = add_job(l, join(dir, e->d_name), out_dir, o->params.format, &st);
    }
    if (rc == 0 && errno) {
        msg_error(dir, "cannot read directory: %s", strerror(errno));
        l->failed++;
    }
    closedir(d);
    return rc;
}

static int scan_operand(const cli_options *o, job_list *l, const char *path)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        msg_error(path, "cannot access: %s", strerror(errno));
        l->failed++;
        return 0;
    }
    if (S_ISDIR(st.st_mode)) {
        if (!is_output_dir(o, &st))
            return scan_dir(o, l, path);
        msg_warning(path, "is an output directory of this run; not scanned");
        return 0;
    }
    if (!S_ISREG(st.st_mode)) {
        msg_error(path, "not a regular file or directory");
        l->failed++;
        return 0;
    }
    char *src_dir = dir_of(path);
    const char *out_dir = src_dir ? out_dir_for(o, l, src_dir) : NULL;
    free(src_dir);
    return add_job(l, out_dir ? strdup(path) : NULL, out_dir, o->params.format, &st);
}

int jobs_scan(const cli_options *o, job_list *l)
{
    for (int i = 0; i < o->npaths; i++)
        if (scan_operand(o, l, o->paths[i]) != 0)
            return -1;
    return 0;
}

static int by_identity(const void *a, const void *b)
{
    const job *x = a, *y = b;
    if (x->dev != y->dev)
        return x->dev < y->dev ? -1 : 1;
    if (x->ino != y->ino)
        return x->ino < y->ino ? -1 : 1;
    return strcmp(x->src, y->src);
}

static int by_output(const void *a, const void *b)
{
    const job *x = a, *y = b;
    int c = strcmp(x->out, y->out);
    return c ? c : strcmp(x->src, y->src);
}

static int by_size_desc(const void *a, const void *b)
{
    const job *x = a, *y = b;
    if (x->size != y->size)
        return x->size > y->size ? -1 : 1;
    return strcmp(x->src, y->src);
}

static void drop(job *j)
{
    free(j->src);
    free(j->out);
    j->src = j->out = NULL;
}

/* Removes dropped jobs (src == NULL), keeping the order of the rest. */
static void compact(job_list *l)
{
    size_t k = 0;
    for (size_t i = 0; i < l->n; i++)
        if (l->v[i].src)
            l->v[k++] = l->v[i];
    l->n = k;
}

void jobs_finalize(job_list *l)
{
    qsort(l->v, l->n, sizeof *l->v, by_identity);
    for (size_t i = 1; i < l->n; i++)
        if (l->v[i].dev == l->v[i - 1].dev && l->v[i].ino == l->v[i - 1].ino)
            drop(&l->v[i]);      /* the same file twice: silently once */
    compact(l);
    qsort(l->v, l->n, sizeof *l->v, by_output);
    for (size_t i = 1, first = 0; i < l->n; i++) {
        if (strcmp(l->v[i].out, l->v[first].out) != 0) {
            first = i;
            continue;
        }
        msg_error(l->v[i].src, "output %s would also be written from %s; skipped",
                  l->v[i].out, l->v[first].src);
        l->failed++;
        drop(&l->v[i]);
    }
    compact(l);
    qsort(l->v, l->n, sizeof *l->v, by_size_desc);
}

/* mkdir -p: creates each missing component of path. */
static int make_dir(const char *path)
{
    char *p = strdup(path);
    if (!p)
        return -1;
    for (char *s = p + 1; *s; s++) {
        if (*s != '/')
            continue;
        *s = '\0';
        int rc = mkdir(p, 0777);
        *s = '/';
        if (rc != 0 && errno != EEXIST)
            break;
    }
    free(p);
    if (mkdir(path, 0777) != 0 && errno != EEXIST)
        return -1;
    struct stat st;
    if (stat(path, &st) != 0)
        return -1;
    if (!S_ISDIR(st.st_mode)) {
        errno = ENOTDIR;
        return -1;
    }
    return 0;
}

void jobs_make_dirs(job_list *l)
{
    const char *dir = NULL;
    int ok = 1;
    for (size_t i = 0; i < l->n; i++) {
        job *j = &l->v[i];
        if (j->out_dir != dir) { /* jobs of one directory are consecutive */
            dir = j->out_dir;
            ok = make_dir(dir) == 0;
            if (!ok)
                msg_error(dir, "cannot create output directory: %s", strerror(errno));
        }
        if (!ok) {
            drop(j);
            l->failed++;
        }
    }
    compact(l);
}

void jobs_free(job_list *l)
{
    for (size_t i = 0; i < l->n; i++)
        drop(&l->v[i]);
    for (size_t i = 0; i < l->ndirs; i++)
        free(l->dirs[i]);
    free(l->v);
    free(l->dirs);
    *l = (job_list){0};
}
