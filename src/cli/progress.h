/* progress.h - the one updating line a person at a terminal sees:
 * done/total, failures, images/s and time left, on stderr. Rate-limited;
 * cleared before anything else is printed at the end. */
#ifndef THUMBIFY_PROGRESS_H
#define THUMBIFY_PROGRESS_H

#include <stddef.h>

#include "options.h"

/* Whether to show progress: --progress, else only when stderr is a
 * terminal and -q was not given. */
int progress_wanted(const cli_options *o);

/* Redraws the line if at least 100 ms passed since the last time, in at
 * most one column less than the terminal's width (re-read at each redraw;
 * $COLUMNS when stderr is not a terminal), so that it never wraps. */
void progress_show(size_t done, size_t failed, size_t total, long long start_ns, long long now_ns);

/* Erases the line, if one was drawn. */
void progress_clear(void);

#endif
