/* plan.c - output paths compared with each other and with the sources (see
 * plan.h). */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "casefold.h"
#include "msg.h"
#include "outname.h"
#include "plan.h"

enum clash { CLASH_NONE, CLASH_OUTPUT, CLASH_SELF, CLASH_REPLACES, CLASH_REPLACED, CLASH_DUP };

typedef struct key {
    char *canon; /* canonical output path */
    int exists;  /* a file is at the output path now */
    dev_t dev;   /* ... and its identity */
    ino_t ino;
    enum clash why; /* CLASH_DUP: the same source again, dropped */
    size_t partner; /* the other job of a clash */
} key;

typedef struct planner {
    job_list *l;
    key *k;        /* one per job, same index */
    char **dcanon; /* canonical output directories, per l->dirs index */
    char *dfold;   /* ... and whether it compares names without case */
} planner;

/* dir with trailing slashes removed ("/" stays): malloc'd. */
static char *trimmed(const char *dir)
{
    size_t n = strlen(dir);
    while (n > 1 && dir[n - 1] == '/')
        n--;
    return strndup(dir, n);
}

/* The canonical form of directory path dir: its realpath() when it
 * exists, else the canonical form of its parent plus its last name ("."
 * and ".." taken lexically), so that directories a dry run has not made
 * compare equal however they were spelled. malloc'd; NULL when out of
 * memory. */
static char *canon_dir(const char *dir)
{
    char *real = realpath(*dir ? dir : ".", NULL), *d;
    if (real || errno == ENOMEM || !(d = trimmed(dir)))
        return real;
    char *slash = strrchr(d, '/'), *name = slash ? slash + 1 : d, *parent, *out = NULL;
    if (slash)
        *slash = '\0';
    parent = canon_dir(!slash ? "." : slash == d ? "/" : d);
    if (parent && strcmp(name, ".") == 0) {
        out = parent;
        parent = NULL;
    } else if (parent && strcmp(name, "..") == 0) {
        char *up = strrchr(parent, '/');
        up[up == parent] = '\0'; /* "/a" -> "/", "/a/b" -> "/a" */
        out = parent;
        parent = NULL;
    } else if (parent) {
        out = outname_join(parent, name);
    }
    free(parent);
    free(d);
    return out;
}

/* The key of job i: its directory's canonical path plus its own name, and
 * the file at its path now. */
static int make_key(planner *p, size_t i)
{
    const job *j = &p->l->v[i];
    key *k = &p->k[i];
    if (!p->dcanon[j->dir]) {
        if (!(p->dcanon[j->dir] = canon_dir(p->l->dirs[j->dir].path)))
            return -1;
        p->dfold[j->dir] = (char)casefold_dir(p->l->dirs[j->dir].path);
    }
    const char *slash = strrchr(j->out, '/');
    if (!(k->canon = outname_join(p->dcanon[j->dir], slash ? slash + 1 : j->out)))
        return -1;
    if (p->dfold[j->dir]) /* the whole path: a directory may be spelt in either case too */
        casefold_ascii(k->canon);
    struct stat st;
    k->exists = stat(j->out, &st) == 0;
    k->dev = k->exists ? st.st_dev : 0;
    k->ino = k->exists ? st.st_ino : 0;
    k->partner = SIZE_MAX;
    return 0;
}

static int identity_cmp(dev_t dx, ino_t ix, dev_t dy, ino_t iy)
{
    if (dx != dy)
        return dx < dy ? -1 : 1;
    return ix < iy ? -1 : ix > iy;
}

/* The output's identity: the file there when one is (device, inode),
 * else the canonical path. One path gives one answer: both exist or not. */
static int by_output(const key *x, const key *y)
{
    if (x->exists != y->exists)
        return x->exists ? -1 : 1;
    if (!x->exists)
        return strcmp(x->canon, y->canon);
    return identity_cmp(x->dev, x->ino, y->dev, y->ino);
}

static int same_source(const job *x, const job *y)
{
    return x->dev == y->dev && x->ino == y->ino;
}

/* By output, then source identity, then scan order: the same source for
 * the same output ends up adjacent, its first spelling first. */
static int by_output_source(const void *a, const void *b, void *planner_)
{
    const planner *p = planner_;
    size_t i = *(const size_t *)a, j = *(const size_t *)b;
    const job *x = &p->l->v[i], *y = &p->l->v[j];
    int c = by_output(&p->k[i], &p->k[j]);
    if (!c)
        c = identity_cmp(x->dev, x->ino, y->dev, y->ino);
    if (c)
        return c;
    return i < j ? -1 : i > j;
}

/* Marks job i as clashing for why with partner, unless it already is. */
static void mark(planner *p, size_t i, enum clash why, size_t partner)
{
    if (p->k[i].why == CLASH_NONE) {
        p->k[i].why = why;
        p->k[i].partner = partner;
    }
}

/* One group of jobs with the same output, in order[0..n): repeats of a
 * source are dropped; two sources or more all clash. */
static void judge_group(planner *p, const size_t *order, size_t n)
{
    size_t first = order[0], other = SIZE_MAX;
    for (size_t g = 1; g < n; g++) {
        size_t i = order[g];
        if (same_source(&p->l->v[i], &p->l->v[order[g - 1]]))
            p->k[i].why = CLASH_DUP;
        else if (other == SIZE_MAX)
            other = i;
    }
    if (other == SIZE_MAX)
        return;
    for (size_t g = 0; g < n; g++)
        if (p->k[order[g]].why != CLASH_DUP)
            mark(p, order[g], CLASH_OUTPUT, order[g] == first ? other : first);
}

static void output_clashes(planner *p, size_t *order)
{
    size_t n = p->l->n;
    for (size_t i = 0; i < n; i++)
        order[i] = i;
    qsort_r(order, n, sizeof *order, by_output_source, p);
    for (size_t start = 0, end; start < n; start = end) {
        for (end = start + 1; end < n && by_output(&p->k[order[start]], &p->k[order[end]]) == 0;
             end++)
            ;
        judge_group(p, order + start, end - start);
    }
}

static int by_source(const void *a, const void *b, void *planner_)
{
    const planner *p = planner_;
    const job *x = &p->l->v[*(const size_t *)a], *y = &p->l->v[*(const size_t *)b];
    return identity_cmp(x->dev, x->ino, y->dev, y->ino);
}

/* bsearch's key: an existing output's identity, among source indices. */
typedef struct probe {
    const planner *p;
    dev_t dev;
    ino_t ino;
} probe;

static int is_source(const void *probe_, const void *elem)
{
    const probe *q = probe_;
    const job *y = &q->p->l->v[*(const size_t *)elem];
    return identity_cmp(q->dev, q->ino, y->dev, y->ino);
}

/* An output whose path is already one of the run's sources: the source
 * itself (-o into its own directory, a hard link), or another input. */
static void source_clashes(planner *p, size_t *order)
{
    size_t n = 0;
    for (size_t i = 0; i < p->l->n; i++)
        if (p->k[i].why != CLASH_DUP)
            order[n++] = i;
    qsort_r(order, n, sizeof *order, by_source, p);
    for (size_t i = 0; i < p->l->n; i++) {
        const key *k = &p->k[i];
        if (!k->exists || k->why == CLASH_DUP)
            continue;
        probe q = {p, k->dev, k->ino};
        const size_t *hit = bsearch(&q, order, n, sizeof *order, is_source);
        if (!hit)
            continue;
        if (same_source(&p->l->v[*hit], &p->l->v[i])) {
            mark(p, i, CLASH_SELF, i);
        } else {
            mark(p, i, CLASH_REPLACES, *hit);
            mark(p, *hit, CLASH_REPLACED, i);
        }
    }
}

/* Says why job i is not done (one line naming the other file) and drops
 * it; a repeat is dropped silently. */
static void explain(planner *p, size_t i)
{
    const key *k = &p->k[i];
    job *j = &p->l->v[i];
    const job *o = k->partner < p->l->n ? &p->l->v[k->partner] : NULL;
    switch (k->why) {
    case CLASH_NONE: return;
    case CLASH_DUP: break;
    case CLASH_OUTPUT:
        msg_error(j->src, "output %s would also be written from %s; neither is written", j->out,
                  o->src);
        break;
    case CLASH_SELF:
        msg_error(j->src, "output %s is the source itself; not written", j->out);
        break;
    case CLASH_REPLACES:
        msg_error(j->src, "output %s would replace %s, an input of this run; neither is written",
                  j->out, o->src);
        break;
    case CLASH_REPLACED:
        msg_error(j->src, "it is the output path of %s (%s); neither is written", o->src, o->out);
        break;
    }
    p->l->failed += k->why != CLASH_DUP;
}

int plan_outputs(job_list *l)
{
    planner p = {.l = l};
    size_t n = l->n;
    int rc = -1;
    p.k = calloc(n + 1, sizeof *p.k);
    p.dcanon = calloc(l->ndirs + 1, sizeof *p.dcanon);
    p.dfold = calloc(l->ndirs + 1, 1);
    size_t *order = malloc((n + 1) * sizeof *order);
    if (!p.k || !p.dcanon || !p.dfold || !order)
        goto out;
    for (size_t i = 0; i < n; i++)
        if (make_key(&p, i) != 0)
            goto out;
    output_clashes(&p, order);
    source_clashes(&p, order);
    for (size_t i = 0; i < n; i++)
        explain(&p, i);
    for (size_t i = 0; i < n; i++)
        if (p.k[i].why != CLASH_NONE)
            jobs_drop(&l->v[i]);
    jobs_compact(l);
    rc = 0;
out:
    for (size_t i = 0; p.k && i < n; i++)
        free(p.k[i].canon);
    for (size_t i = 0; p.dcanon && i < l->ndirs; i++)
        free(p.dcanon[i]);
    free(p.k);
    free(p.dcanon);
    free(p.dfold);
    free(order);
    return rc;
}

int plan_report_is_input(const job_list *l, const char *report)
{
    struct stat st;
    if (strcmp(report, "-") == 0 || stat(report, &st) != 0)
        return 0;
    for (size_t i = 0; i < l->n; i++)
        if (l->v[i].dev == st.st_dev && l->v[i].ino == st.st_ino) {
            msg_error(report, "is an input of this run (%s); the report is not written",
                      l->v[i].src);
            return 1;
        }
    return 0;
}
