/* prune.h - --prune: after a run, the thumbnails no current source maps to
 * are removed from the output tree (-o DIR, or each directory operand's
 * thumbs/), and the directories that this leaves empty. Only a regular
 * file that carries a thumbify stamp is removed, never the output root,
 * never a source or a current output (told by device and inode, whatever
 * the spelling of their paths), never a temp file of a live writer, and
 * never anything reached through a symlink: the tree is walked with
 * openat(O_NOFOLLOW) from the root's descriptor. */
#ifndef THUMBIFY_PRUNE_H
#define THUMBIFY_PRUNE_H

#include <stddef.h>

#include "jobs.h"
#include "options.h"

typedef struct prune_list {
    char **v; /* the removed files' paths (with -n: those that would be),
                 sorted by byte order */
    size_t n, cap;
} prune_list;

/* Prunes the output trees of o's run over jobs; with o->dry_run removes
 * nothing and lists "would remove: PATH" on stdout (unless the report is
 * on stdout). Fills *removed. Returns the number of failures (each said
 * on stderr), or -1 when memory runs out. */
int prune_run(const cli_options *o, const job_list *jobs, prune_list *removed);

void prune_free(prune_list *list);

#endif
