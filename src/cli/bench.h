/* bench.h - `thumbify bench PATH [-p LIST] [--runs N] [--csv]`: the whole
 * job timed with -p 1 and each process count in LIST, into a temporary
 * directory it removes; a table of wall time, images/s, MP/s, speedup and
 * parallel efficiency against -p 1. */
#ifndef THUMBIFY_BENCH_H
#define THUMBIFY_BENCH_H

/* argv[0] is "bench". Returns the exit status. */
int bench_main(int argc, char **argv);

#endif
