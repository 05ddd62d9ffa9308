/* batch.h - one whole run over the inputs: scan, prepare output
 * directories, run the workers (or, with -n, list), prune, write the
 * report. */
#ifndef THUMBIFY_BATCH_H
#define THUMBIFY_BATCH_H

#include "options.h"
#include "run.h"

typedef struct batch_result {
    run_stats st;      /* st.failed counts path errors too */
    size_t inputs;     /* images found (after --shard) */
    size_t removed;    /* --prune: files removed (with -n: that would be) */
    double megapixels; /* of the sources of the thumbnails made */
    double seconds;
} batch_result;

/* Runs o; returns 0, or -1 when the run could not happen at all (out of
 * memory, no worker process; already said on stderr). */
int batch_run(const cli_options *o, batch_result *res);

#endif
