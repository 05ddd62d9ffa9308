/* cpus.h - how many CPUs this process may really use. */
#ifndef THUMBIFY_CPUS_H
#define THUMBIFY_CPUS_H

/* The CPUs in this process's affinity mask, lowered to ceil(quota/period)
 * when a cgroup v2 cpu.max quota applies (containers, systemd slices).
 * Always >= 1. */
int usable_cpus(void);

/* ceil(quota/period) for the text of a cgroup v2 cpu.max file ("max 100000"
 * or "150000 100000"); 0 when there is no quota or the text is malformed. */
int cpu_max_limit(const char *text);

#endif
