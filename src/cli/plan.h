/* plan.h - every output path checked once, before any work.
 *
 * An output path is final when the job is made (jobs_add, outname_format):
 * nothing about it depends on the bytes of a source. Here all of them are
 * compared, canonically, against each other and against every source:
 *
 *   - outputs are the same when their canonical paths are (the real path
 *     of the directory plus the name: "x/a.jpg" and "./x/a.jpg" are one),
 *     or when a file is there already and both are that file (device and
 *     inode: a case-insensitive file system, a symlink); in a directory
 *     that compares names without case (casefold.h) the paths are
 *     compared with ASCII letters folded, so "A.jpg" and "a.jpg" are one
 *     output before either exists;
 *   - an output is a source when the file already at that path is one of
 *     the run's sources (device and inode).
 *
 * The same source for the same output is done once, silently. Otherwise a
 * clash fails every file in it, each with one message naming the other,
 * and none of them is written: nothing thumbify writes may replace an
 * input of the run, or depend on which of two workers renames last. */
#ifndef THUMBIFY_PLAN_H
#define THUMBIFY_PLAN_H

#include "jobs.h"

/* Checks the outputs of every job in list (in scan order, directories made
 * or not: a directory that does not exist yet is compared by its
 * canonical parent plus its name), drops the duplicates and fails the
 * clashing jobs (reported on stderr, counted in list->failed, removed).
 * The order of the remaining jobs is kept. Returns 0, or -1 when memory
 * runs out. */
int plan_outputs(job_list *list);

/* Whether the report's path (--report; "-" is not a path) names a file
 * that is one of the jobs' sources: then it is said on stderr, and the
 * report must not be written there. */
int plan_report_is_input(const job_list *list, const char *report);

#endif
