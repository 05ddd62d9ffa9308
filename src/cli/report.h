/* report.h - the JSON report (--report FILE), a manifest of the outputs:
 * one record per input, in the byte order of the source paths, with its
 * source and output paths, status, message, the thumbnail's size and
 * format, the source's size (bytes) and format, decode path and time; then
 * the files --prune removed; then the totals. Every string is valid JSON whatever bytes the file
 * names hold: bytes that are not UTF-8 are written as \u00XX. */
#ifndef THUMBIFY_REPORT_H
#define THUMBIFY_REPORT_H

#include "jobs.h"
#include "options.h"
#include "pool.h"
#include "prune.h"
#include "run.h"

/* Writes the report to o->report ("-" = stdout; a file only when its
 * content changed, see reportfile.h). sh may be NULL when no job ran (then
 * every job is reported as "skipped", as in a dry run where uptodate[i]
 * says which are up to date). removed: --prune's list, or NULL. Returns 0,
 * or -1 after saying why on stderr. */
int report_write(const cli_options *o, const job_list *jobs, const pool_shared *sh,
                 const unsigned char *uptodate, const prune_list *removed, const run_stats *st,
                 double seconds);

#endif
