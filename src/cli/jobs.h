/* jobs.h - the work list the parent builds before forking: one job per
 * input file, with its output path. Workers inherit it read-only through
 * fork, so only results travel through shared memory. */
#ifndef THUMBIFY_JOBS_H
#define THUMBIFY_JOBS_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "options.h"

typedef struct job {
    char *src;     /* as given, or ROOT/sub/name */
    char *out;     /* OUTDIR/name, extension per -F: final */
    tf_format fmt; /* what to encode: -F, or what out's name says
                      (outname_format) */
    size_t rel;    /* src + rel: the path below its input root
                      (what --shard hashes) */
    unsigned box;  /* which -s size: the jobs of one source under several
                      sizes follow each other in box order, a group
                      that one worker makes from one decode */
    unsigned dir;  /* index of the output directory */
    off_t size;    /* for largest-first ordering */
    dev_t dev;     /* identity, to drop the same file twice */
    ino_t ino;
    int name_w; /* --name with %w/%h: the thumbnail size its */
    int name_h; /* name says (from the header); else 0 */
} job;

typedef struct out_dir {
    char *path;
    size_t trusted; /* path[0..trusted) was given by the user;
                       below it thumbify made the directories
                       and refuses symlinks */
    size_t root;    /* path[0..root) is the output root (-o DIR or
                       thumbs/), where several sizes put WxH/ */
} out_dir;

typedef struct job_list {
    job *v;
    size_t n, cap;
    out_dir *dirs; /* every distinct output directory */
    size_t ndirs, dirs_cap;
    int failed; /* paths that failed before any decoding */
    const cli_options *o; /* what names follow: --name, -s, -F */
    struct tf_ctx *probe; /* reads headers for %w/%h (jobs_name.c) */
    const tf_box *sizes; /* -s: a job per source and size */
    int nsizes;
} job_list;

/* Scans every operand and --files-from path into *list: directories listed
 * once (JPEG and PNG names, regular files; with -r their subdirectories
 * too, mirrored under the output root, never an output directory, loops
 * detected), files taken as given; then applies --shard. Reports each bad
 * path on stderr and counts it in list->failed. Returns 0, or -1 when
 * memory runs out. */
int jobs_scan(const cli_options *opts, job_list *list);

/* Creates each output directory (with parents) and removes temp files
 * that killed runs left there; jobs whose directory cannot be made are
 * reported once per directory, counted as failed and removed. Call it
 * after plan_outputs(), so that no directory is made for a refused job,
 * and before jobs_order(), while jobs are in scan order. */
void jobs_make_dirs(job_list *list);

/* Orders the jobs largest first (ties by path). Call it after
 * plan_outputs(). */
void jobs_order(job_list *list);

/* Frees job j's paths and marks it dropped (src NULL); jobs_compact()
 * then removes the dropped jobs, keeping the order of the rest. */
void jobs_drop(job *j);
void jobs_compact(job_list *list);

void jobs_free(job_list *list);

/* How many jobs from i on are one source's group (1 with one size). */
size_t jobs_group(const job_list *list, size_t i);

/* Building blocks for scanning. jobs_add_dir registers an output directory
 * (taking path; its root is all of it until the caller says otherwise) and
 * gives its index; the same path as one of the last ones registered
 * shares its index. jobs_add adds a job (taking src), one per -s size,
 * each in its size's WxH/ below the directory's root when there are
 * several. Both
 * return 0, or -1 when memory runs out. */
struct stat;
int jobs_add_dir(job_list *list, char *path, size_t trusted, unsigned *index);
int jobs_add(job_list *list, char *src, size_t rel, unsigned dir, tf_format fmt,
             const struct stat *st);

/* What jobs_name did: named the thumbnail; found no size in the source's
 * header (*why says why: that source fails alone); ran out of memory. */
typedef enum { JOBS_NAME_OK, JOBS_NAME_NO_SIZE, JOBS_NAME_MEMORY } jobs_name_status;

/* The name of src's thumbnail in -s size box under --name (see
 * outname.h) into *name (malloc'd; NULL unless JOBS_NAME_OK), filling
 * *w x *h when the name needs the thumbnail's size: then src's header is
 * read (the first 256 KiB, or all of it if that is not enough). */
jobs_name_status jobs_name(job_list *list, const char *src, unsigned box, tf_format fmt, int *w,
                           int *h, char **name, char *why, size_t whylen);

/* FNV-1a, 64-bit, of a path: what --shard takes modulo N. */
uint64_t jobs_hash(const char *path);

#endif
