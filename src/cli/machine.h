/* machine.h - whether the machine was busy with other work while bench
 * timed thumbify: the load average and the CPU steal time, from /proc. */
#ifndef THUMBIFY_MACHINE_H
#define THUMBIFY_MACHINE_H

typedef struct machine_sample {
    double load1;                  /* 1-minute load average; < 0 unknown */
    unsigned long long steal, all; /* jiffies of all CPUs; all 0 = unknown */
} machine_sample;

enum { MACHINE_BEFORE, MACHINE_AFTER };

/* Reads /proc/loadavg and the "cpu" line of /proc/stat; what cannot be
 * read is marked unknown. when (MACHINE_BEFORE or MACHINE_AFTER) matters
 * only to the test hook: with -DTHUMBIFY_TESTING, $THUMBIFY_TEST_PROC=DIR
 * reads DIR/before/ or DIR/after/ instead of /proc/. */
void machine_read(machine_sample *s, int when);

/* Says on stderr, one warning line per cause, why the times measured
 * between before and after may be slower and more spread than the machine
 * can do: the load average before the runs above a quarter of the usable
 * cores (at least 0.5), or after them above that plus max_procs (bench's
 * own workers, at most max_procs at a time); CPU steal above 2% of the CPU
 * time in between. Returns how many warnings it printed. */
int machine_warn(const machine_sample *before, const machine_sample *after, int cores,
                 int max_procs);

#endif
