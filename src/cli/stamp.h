/* stamp.h - incremental runs. Each thumbnail carries a stamp (a JPEG COM
 * marker or PNG tEXt chunk in its first bytes) naming its source's size
 * and mtime and the options that shape the output. A thumbnail whose stamp
 * matches the source as it is now is up to date: a changed, replaced or
 * touched source, or other options, make it stale. */
#ifndef THUMBIFY_STAMP_H
#define THUMBIFY_STAMP_H

#include <stddef.h>
#include <sys/stat.h>

#include "jobs.h"
#include "options.h"

#define STAMP_MAX 160

/* The stamp for a source with status *st under options o. */
void stamp_make(char *buf, size_t cap, const cli_options *o, const struct stat *st);

/* Whether job j's thumbnail exists under its planned name (or, for -F
 * same, under the other format's name) and carries exactly this stamp:
 * -1 when not, else the format to give outname_final() for the name that
 * matched. Reads at most the first 512 bytes of the thumbnail. */
int stamp_up_to_date(const cli_options *o, const job *j, const char *stamp);

#endif
