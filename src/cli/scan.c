/* scan.c - operands and --files-from paths into jobs: directories (with -r,
 * trees mirrored under the output root), files as given, --shard. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "array.h"
#include "identset.h"
#include "jobs.h"
#include "msg.h"
#include "outname.h"
#include "relpath.h"

/* A symlink to a directory, met with -r: followed after every real tree
 * is scanned. Where it is, and what scan_dir needs to go on from it. */
typedef struct dir_link {
    char *path, *out;
    size_t root_len, trusted;
} dir_link;

typedef struct scanner {
    const cli_options *o;
    job_list *l;
    ident *outs; /* existing output roots of this run */
    size_t nouts, outs_cap;
    ident *path; /* directories from the root down: loops */
    size_t depth, cap;
    identset seen;   /* every directory scanned */
    dir_link *links; /* symlinked directories to follow, in the order met */
    size_t nlinks, links_cap, next_link;
    int via_link; /* scanning below a followed symlink */
    char *cwd;    /* --files-from with -o: where relative paths start */
    char *base;   /* ... and the base, absolute and normal (relpath.h);
                     NULL when the current directory is unknown */
    int cwd_err;  /* why it is unknown */
} scanner;

static int same(ident a, const struct stat *st)
{
    return a.dev == st->st_dev && a.ino == st->st_ino;
}

static int is_output_root(const scanner *s, const struct stat *st)
{
    for (size_t i = 0; i < s->nouts; i++)
        if (same(s->outs[i], st))
            return 1;
    return 0;
}

/* The output roots that exist before the run: -o DIR, or each directory
 * operand's thumbs/. A directory that is one of them is never input. */
static int add_output_root(scanner *s, const char *dir)
{
    struct stat st;
    if (!dir || stat(dir, &st) != 0 || !S_ISDIR(st.st_mode) || is_output_root(s, &st))
        return 0;
    if (ARRAY_GROW(s->outs, s->nouts, s->outs_cap, 16) != 0)
        return -1;
    s->outs[s->nouts++] = (ident){st.st_dev, st.st_ino};
    return 0;
}

/* The output roots that exist before the run: -o DIR, or each directory
 * operand's thumbs/. A directory that is one of them is never input. (A
 * directory from --files-from adds its thumbs/ when it is scanned.) */
static int find_output_roots(scanner *s)
{
    const cli_options *o = s->o;
    if (o->out_dir)
        return add_output_root(s, o->out_dir);
    int rc = 0;
    for (int i = 0; rc == 0 && i < o->npaths; i++) {
        char *p = outname_thumbs_dir(o->paths[i]);
        rc = p ? add_output_root(s, p) : -1;
        free(p);
    }
    return rc;
}

/* Whether --shard leaves this file (path relative to its root) to us. */
static int in_shard(const cli_options *o, const char *rel)
{
    return o->shard_n == 0 || jobs_hash(rel) % o->shard_n == o->shard_i;
}

static int push(scanner *s, const struct stat *st)
{
    if (ARRAY_GROW(s->path, s->depth, s->cap, 16) != 0)
        return -1;
    s->path[s->depth++] = (ident){st->st_dev, st->st_ino};
    return 0;
}

static int on_path(const scanner *s, const struct stat *st)
{
    for (size_t i = 0; i < s->depth; i++)
        if (same(s->path[i], st))
            return 1;
    return 0;
}

/* One directory of a tree. root: the operand; rel: this directory below it
 * ("" or "a/b/"); out: the output directory for its files; trusted: how
 * much of out the user named (see out_dir). Files first, so that the jobs
 * of one directory stay together; then subdirectories, with -r. */
static int scan_dir(scanner *s, const char *dir, size_t root_len, const char *out, size_t trusted);

/* Scans directory dir (status *st) unless it is an output root, a loop,
 * or, below a followed symlink, a directory already scanned. A real
 * subdirectory of an operand is always scanned: its place in the tree
 * names its thumbnails. */
static int enter(scanner *s, const char *dir, const struct stat *st, size_t root_len,
                 const char *out, size_t trusted)
{
    if (is_output_root(s, st))
        return 0; /* our own output: never input */
    if (on_path(s, st)) {
        msg_warning(dir, "directory loop (it leads back to a parent); not descended");
        return 0;
    }
    int fresh = identset_add(&s->seen, st);
    if (fresh < 0)
        return -1;
    if (!fresh && s->via_link)
        return 0;
    if (push(s, st) != 0)
        return -1;
    int rc = scan_dir(s, dir, root_len, out, trusted);
    s->depth--;
    return rc;
}

/* Keeps a symlinked directory for follow_links (taking path and out). */
static int queue_link(scanner *s, char *path, char *out, size_t root_len, size_t trusted)
{
    if (ARRAY_GROW(s->links, s->nlinks, s->links_cap, 16) != 0) {
        free(path);
        free(out);
        return -1;
    }
    s->links[s->nlinks++] = (dir_link){path, out, root_len, trusted};
    return 0;
}

/* Descends into dir/name with -r; a symlink waits for follow_links. */
static int descend(scanner *s, const char *dir, const char *name, size_t root_len, const char *out,
                   size_t trusted)
{
    char *sub = outname_join(dir, name), *sub_out = outname_join(out, name);
    struct stat st;
    int rc = sub && sub_out ? 0 : -1;
    if (rc != 0 || lstat(sub, &st) != 0) {
        ; /* out of memory, or gone since readdir */
    } else if (S_ISLNK(st.st_mode)) {
        rc = queue_link(s, sub, sub_out, root_len, trusted);
        sub = sub_out = NULL;
    } else if (S_ISDIR(st.st_mode)) {
        rc = enter(s, sub, &st, root_len, sub_out, trusted);
    }
    free(sub);
    free(sub_out);
    return rc;
}

/* Whether directory *st is one that path passes through, from its
 * operand (the first root_len bytes) down: a link back up, a loop. */
static int leads_back(const char *path, size_t root_len, const struct stat *st)
{
    char *p = strdup(path), *slash;
    int found = 0;
    while (p && !found && (slash = strrchr(p, '/'))) {
        size_t len = (size_t)(slash - p);
        p[len ? len : 1] = '\0'; /* "/a" -> "/" */
        struct stat up;
        found = stat(p, &up) == 0 && up.st_dev == st->st_dev && up.st_ino == st->st_ino;
        if (len < root_len || len == 0)
            break;
    }
    free(p);
    return found;
}

/* One symlinked directory: followed when no path has scanned the
 * directory it leads to yet (so a tree of links that branch and meet
 * again is scanned once, not once per path through it). */
static int follow(scanner *s, const dir_link *k)
{
    struct stat st;
    if (stat(k->path, &st) != 0 || is_output_root(s, &st))
        return 0; /* dangling, or our own output */
    if (identset_has(&s->seen, &st)) {
        if (leads_back(k->path, k->root_len, &st))
            msg_warning(k->path, "directory loop (it leads back to a parent); not descended");
        return 0;
    }
    s->depth = 0;
    s->via_link = 1;
    return enter(s, k->path, &st, k->root_len, k->out, k->trusted);
}

/* The symlinked directories, after every operand's real tree: a directory
 * is named by its real place when it has one, else by the first link met
 * (breadth first). Links found below a followed one join the queue. */
static int follow_links(scanner *s)
{
    int rc = 0;
    for (; rc == 0 && s->next_link < s->nlinks; s->next_link++)
        rc = follow(s, &s->links[s->next_link]);
    return rc;
}

static int add_file(scanner *s, DIR *d, const char *dir, const struct dirent *e, size_t root_len,
                    unsigned *out_index, const char *out, size_t trusted)
{
    struct stat st;
    char *src = outname_join(dir, e->d_name);
    if (!src)
        return -1;
    size_t rel = root_len < strlen(src) ? root_len + (src[root_len] == '/') : 0;
    if (!in_shard(s->o, src + rel) || fstatat(dirfd(d), e->d_name, &st, 0) != 0 ||
        !S_ISREG(st.st_mode)) {
        free(src); /* another shard's, vanished, or not a file */
        return 0;
    }
    if (*out_index == (unsigned)-1) {
        if (jobs_add_dir(s->l, strdup(out), trusted, out_index) != 0) {
            free(src);
            return -1;
        }
        /* out is the output root plus what dir has below its input root */
        s->l->dirs[*out_index].root = strlen(out) - (strlen(dir) - root_len);
    }
    return jobs_add(s->l, src, rel, *out_index, s->o->params.format, &st);
}

static int is_dot_or_dotdot(const char *name)
{
    return name[0] == '.' && (!name[1] || (name[1] == '.' && !name[2]));
}

/* The output root of a directory: -o DIR, or DIR/thumbs; malloc'd. */
static char *out_root(const cli_options *o, const char *dir)
{
    return o->out_dir ? strdup(o->out_dir) : outname_thumbs_dir(dir);
}

static int is_subdir(DIR *d, const struct dirent *e)
{
    struct stat st;
    if (e->d_type == DT_DIR)
        return 1;
    if (e->d_type != DT_LNK && e->d_type != DT_UNKNOWN)
        return 0;
    return fstatat(dirfd(d), e->d_name, &st, 0) == 0 && S_ISDIR(st.st_mode);
}

static int scan_dir(scanner *s, const char *dir, size_t root_len, const char *out, size_t trusted)
{
    DIR *d = opendir(dir);
    if (!d) {
        msg_error(dir, "cannot open directory: %s", strerror(errno));
        s->l->failed++;
        return 0;
    }
    unsigned out_index = (unsigned)-1;
    int rc = 0, subdirs = 0;
    struct dirent *e;
    while (rc == 0 && (errno = 0, e = readdir(d))) {
        if (is_dot_or_dotdot(e->d_name))
            continue;
        if (s->o->recursive && is_subdir(d, e))
            subdirs = 1;
        else if (outname_kind(e->d_name) != TF_FORMAT_SAME)
            rc = add_file(s, d, dir, e, root_len, &out_index, out, trusted);
    }
    if (rc == 0 && errno) {
        msg_error(dir, "cannot read directory: %s", strerror(errno));
        s->l->failed++;
    }
    if (rc == 0 && subdirs) {
        rewinddir(d);
        while (rc == 0 && (e = readdir(d)))
            if (!is_dot_or_dotdot(e->d_name) && is_subdir(d, e))
                rc = descend(s, dir, e->d_name, root_len, out, trusted);
    }
    closedir(d);
    return rc;
}

/* A directory operand: its output root is -o DIR or DIR/thumbs. */
static int scan_root(scanner *s, const char *dir, const struct stat *st)
{
    if (is_output_root(s, st)) {
        msg_warning(dir, "is an output directory of this run; not scanned");
        return 0;
    }
    const cli_options *o = s->o;
    char *out = out_root(o, dir);
    int rc =
        out && push(s, st) == 0 && add_output_root(s, out) == 0 && identset_add(&s->seen, st) >= 0
            ? 0
            : -1;
    if (rc == 0)
        rc = scan_dir(s, dir, strlen(dir), out, o->out_dir ? strlen(out) : strlen(dir));
    s->depth = 0;
    free(out);
    return rc;
}

/* Adds file path (status *st) as a job writing into directory out (taking
 * out; trusted as for out_dir). */
static int add_path(scanner *s, const char *path, const struct stat *st, char *out, size_t trusted)
{
    unsigned index;
    if (jobs_add_dir(s->l, out, trusted, &index) != 0)
        return -1;
    char *src = strdup(path);
    return src ? jobs_add(s->l, src, 0, index, s->o->params.format, st) : -1;
}

/* A file operand: taken as given, whatever its name; --shard hashes the
 * path as given. Its output goes to -o DIR or to thumbs/ beside it. */
static int scan_file(scanner *s, const char *path, const struct stat *st)
{
    if (!in_shard(s->o, path))
        return 0;
    const char *slash = strrchr(path, '/');
    char *dir = !slash          ? strdup(".")
                : slash == path ? strdup("/")
                                : strndup(path, (size_t)(slash - path));
    char *out = dir ? out_root(s->o, dir) : NULL;
    size_t trusted = s->o->out_dir || !dir ? (out ? strlen(out) : 0) : strlen(dir);
    free(dir);
    return add_path(s, path, st, out, trusted);
}

/* A file from --files-from with -o DIR: written to DIR/<its path below the
 * base>, so that files of the same name in different directories do not
 * meet; a path that is not below the base fails alone. Only DIR itself is
 * trusted: the directories below it are thumbify's (see out_dir). */
static int scan_placed(scanner *s, const char *path, const struct stat *st)
{
    const char *odir = s->o->out_dir;
    if (!in_shard(s->o, path))
        return 0;
    if (!s->base) {
        msg_error(path, "cannot place it under %s: the current directory: %s", odir,
                  strerror(s->cwd_err));
        s->l->failed++;
        return 0;
    }
    char *abs = relpath_normal(path, s->cwd), *out = NULL;
    const char *rel = abs ? relpath_below(abs, s->base) : NULL;
    if (abs && !rel) {
        msg_error(path, "cannot place it under %s: it is not below the base directory %s", odir,
                  s->o->base ? s->o->base : "(the current directory; see --base)");
        s->l->failed++;
        free(abs);
        return 0;
    }
    const char *slash = rel ? strrchr(rel, '/') : NULL;
    char *sub = slash ? strndup(rel, (size_t)(slash - rel)) : NULL;
    if (rel && (!slash || sub))
        out = slash ? outname_join(odir, sub) : strdup(odir);
    free(sub);
    free(abs);
    return out ? add_path(s, path, st, out, strlen(odir)) : -1;
}

/* An operand, or (listed) a --files-from entry. */
static int scan_operand(scanner *s, const char *path, int listed)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        msg_error(path, "cannot access: %s", strerror(errno));
        s->l->failed++;
        return 0;
    }
    if (S_ISDIR(st.st_mode))
        return scan_root(s, path, &st);
    if (S_ISREG(st.st_mode))
        return listed && s->o->out_dir ? scan_placed(s, path, &st) : scan_file(s, path, &st);
    msg_error(path, "not a regular file or directory");
    s->l->failed++;
    return 0;
}

/* --files-from: one operand per line (or per NUL with -0); empty entries
 * are skipped. */
static int scan_list(scanner *s)
{
    const char *name = s->o->files_from;
    FILE *f = strcmp(name, "-") == 0 ? stdin : fopen(name, "re");
    if (!f) {
        msg_error(name, "cannot open the file list: %s", strerror(errno));
        s->l->failed++;
        return 0;
    }
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    int rc = 0, sep = s->o->null_sep ? '\0' : '\n';
    while (rc == 0 && (n = getdelim(&line, &cap, sep, f)) > 0) {
        if (line[n - 1] == sep)
            line[--n] = '\0';
        if (n > 0)
            rc = scan_operand(s, line, 1);
    }
    if (rc == 0 && ferror(f)) {
        msg_error(name, "cannot read the file list: %s", strerror(errno));
        s->l->failed++;
    }
    free(line);
    if (f != stdin)
        fclose(f);
    return rc;
}

/* Where --files-from files are placed from under -o DIR: the base,
 * absolute and normal. Returns -1 only when memory runs out; an unknown
 * current directory leaves s->base NULL (each such file fails). */
static int find_base(scanner *s)
{
    if (!s->o->files_from || !s->o->out_dir)
        return 0;
    if (!(s->cwd = relpath_cwd())) {
        s->cwd_err = errno;
        return errno == ENOMEM ? -1 : 0;
    }
    s->base = relpath_normal(s->o->base ? s->o->base : ".", s->cwd);
    return s->base ? 0 : -1;
}

int jobs_scan(const cli_options *o, job_list *l)
{
    scanner s = {.o = o, .l = l};
    l->o = o;
    l->sizes = o->sizes;
    l->nsizes = o->nsizes;
    int rc = find_output_roots(&s);
    if (rc == 0)
        rc = find_base(&s);
    for (int i = 0; rc == 0 && i < o->npaths; i++)
        rc = scan_operand(&s, o->paths[i], 0);
    if (rc == 0 && o->files_from)
        rc = scan_list(&s);
    if (rc == 0)
        rc = follow_links(&s);
    for (size_t i = 0; i < s.nlinks; i++) {
        free(s.links[i].path);
        free(s.links[i].out);
    }
    free(s.links);
    identset_free(&s.seen);
    free(s.outs);
    free(s.path);
    free(s.cwd);
    free(s.base);
    return rc;
}
