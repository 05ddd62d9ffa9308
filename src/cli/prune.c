/* prune.c - orphaned thumbnails removed (see prune.h). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "array.h"
#include "identset.h"
#include "msg.h"
#include "outdir.h"
#include "outfile.h"
#include "outname.h"
#include "prune.h"
#include "stamp.h"

typedef struct pruner {
    const cli_options *o;
    identset keep;  /* every source and every current output */
    identset roots; /* output roots already walked */
    prune_list *list;
    int failures;
    int oom;
} pruner;

static int same_file(const struct stat *a, const struct stat *b)
{
    return a->st_dev == b->st_dev && a->st_ino == b->st_ino;
}

/* What no file of the tree may be: a source, or an output of this run. */
static int fill_keep(identset *keep, const job_list *jobs)
{
    for (size_t i = 0; i < jobs->n; i++) {
        struct stat st = {.st_dev = jobs->v[i].dev, .st_ino = jobs->v[i].ino};
        if (identset_add(keep, &st) < 0)
            return -1;
        if (lstat(jobs->v[i].out, &st) == 0 && identset_add(keep, &st) < 0)
            return -1;
    }
    return 0;
}

static void note(pruner *p, const char *path)
{
    char *copy = strdup(path);
    if (!copy || ARRAY_GROW(p->list->v, p->list->n, p->list->cap, 16) != 0) {
        free(copy);
        p->oom = 1;
        return;
    }
    p->list->v[p->list->n++] = copy;
}

/* Whether name (a regular file, *st) is a thumbnail of ours that this run
 * no longer makes: only then is it opened, never following a symlink. */
static int orphaned(const pruner *p, int dirfd, const char *name, const struct stat *st)
{
    size_t pre = sizeof OUTFILE_TMP_PREFIX - 1;
    if (identset_has(&p->keep, st) || strncmp(name, OUTFILE_TMP_PREFIX, pre) == 0)
        return 0;
    int fd = openat(dirfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
    struct stat now;
    int ours = fd >= 0 && fstat(fd, &now) == 0 && same_file(st, &now) && stamp_is_thumbnail(fd);
    if (fd >= 0)
        close(fd);
    return ours;
}

/* Removes (or, with -n, lists) the file; 1 when it is gone (or would be). */
static int remove_file(pruner *p, int dirfd, const char *name, const struct stat *st,
                       const char *path)
{
    char shown[4 * 4096 + 1];
    if (p->o->dry_run) {
        if (!(p->o->report && strcmp(p->o->report, "-") == 0))
            printf("would remove: %s\n", msg_escape(shown, sizeof shown, path));
        note(p, path);
        return 1;
    }
    struct stat now; /* still the file that was judged: nothing renamed in its place */
    if (fstatat(dirfd, name, &now, AT_SYMLINK_NOFOLLOW) != 0 || !same_file(st, &now))
        return 0;
    if (unlinkat(dirfd, name, 0) != 0) {
        msg_error(path, "cannot remove: %s", strerror(errno));
        p->failures++;
        return 0;
    }
    note(p, path);
    return 1;
}

static int walk(pruner *p, int dirfd, const char *path);

/* A subdirectory: walked, then removed if what was removed below it left
 * it empty (rmdir fails on anything else in it). 1 when it is gone. */
static int prune_subdir(pruner *p, int dirfd, const char *name, const struct stat *st,
                        const char *path)
{
    int fd = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    struct stat now;
    if (fd < 0 || fstat(fd, &now) != 0 || !same_file(st, &now)) {
        if (fd >= 0)
            close(fd);
        return 0;
    }
    int emptied = walk(p, fd, path) > 0 && !p->o->dry_run;
    close(fd);
    return emptied && unlinkat(dirfd, name, AT_REMOVEDIR) == 0;
}

static int prune_entry(pruner *p, int dirfd, const char *name, const char *dir)
{
    struct stat st;
    if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) != 0)
        return 0;
    char *path = outname_join(dir, name);
    int gone = 0;
    if (!path)
        p->oom = 1;
    else if (S_ISDIR(st.st_mode))
        gone = prune_subdir(p, dirfd, name, &st, path);
    else if (S_ISREG(st.st_mode) && orphaned(p, dirfd, name, &st))
        gone = remove_file(p, dirfd, name, &st, path);
    free(path);
    return gone;
}

/* Prunes the directory open as dirfd, whose path is path. Returns how many
 * of its entries went. */
static int walk(pruner *p, int dirfd, const char *path)
{
    int fd = openat(dirfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
    if (!d) {
        msg_error(path, "cannot prune: %s", strerror(errno));
        p->failures++;
        if (fd >= 0)
            close(fd);
        return 0;
    }
    int gone = 0;
    struct dirent *e;
    while (!p->oom && (e = readdir(d)))
        if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
            gone += prune_entry(p, dirfd, e->d_name, path);
    closedir(d);
    return gone;
}

/* One output root, whose first `trusted` bytes the user named; a missing
 * one has nothing to prune. */
static void prune_root(pruner *p, const char *root, size_t trusted)
{
    char why[4096 + 64];
    struct stat st;
    int fd = outdir_open(root, trusted, 0, why, sizeof why);
    if (fd < 0) {
        if (errno != ENOENT) {
            msg_error(root, "cannot prune: %s", why);
            p->failures++;
        }
        return;
    }
    int fresh = fstat(fd, &st) == 0 ? identset_add(&p->roots, &st) : 0;
    if (fresh < 0)
        p->oom = 1;
    else if (fresh)
        walk(p, fd, root);
    close(fd);
}

/* -o DIR, or the thumbs/ of each directory operand. */
static void prune_roots(pruner *p)
{
    const cli_options *o = p->o;
    if (o->out_dir) {
        prune_root(p, o->out_dir, strlen(o->out_dir));
        return;
    }
    for (int i = 0; i < o->npaths && !p->oom; i++) {
        struct stat st;
        char *root = stat(o->paths[i], &st) == 0 && S_ISDIR(st.st_mode)
                         ? outname_thumbs_dir(o->paths[i])
                         : NULL;
        if (root)
            prune_root(p, root, strlen(o->paths[i]));
        free(root);
    }
}

static int by_bytes(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int prune_run(const cli_options *o, const job_list *jobs, prune_list *removed)
{
    pruner p = {.o = o, .list = removed};
    if (fill_keep(&p.keep, jobs) != 0)
        p.oom = 1;
    if (!p.oom)
        prune_roots(&p);
    identset_free(&p.keep);
    identset_free(&p.roots);
    fflush(stdout);
    if (removed->n > 1)
        qsort(removed->v, removed->n, sizeof *removed->v, by_bytes);
    return p.oom ? -1 : p.failures;
}

void prune_free(prune_list *list)
{
    for (size_t i = 0; i < list->n; i++)
        free(list->v[i]);
    free(list->v);
    *list = (prune_list){0};
}
