/* cpus.c - usable CPU count: sched_getaffinity, then the cgroup v2 quota. */
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cpus.h"

int cpu_max_limit(const char *text)
{
    char quota[32];
    long long period;
    if (sscanf(text, "%31s %lld", quota, &period) != 2 || period <= 0)
        return 0;
    if (strcmp(quota, "max") == 0)
        return 0;
    char *end;
    errno = 0;
    long long q = strtoll(quota, &end, 10);
    if (*end || q <= 0 || errno == ERANGE)
        return 0;
    long long n = q / period + (q % period != 0);
    return n > 4096 ? 4096 : (int)n;
}

/* This process's own cgroup, from /proc/self/cgroup ("0::/path"), and its
 * cpu.max. Parent cgroups may be stricter, but walking them costs more
 * than it usually tells: the leaf is where container runtimes set it. */
static int cgroup_limit(void)
{
    FILE *f = fopen("/proc/self/cgroup", "re");
    if (!f)
        return 0;
    char line[4096], path[4200];
    int found = 0;
    while (!found && fgets(line, sizeof line, f))
        if (strncmp(line, "0::", 3) == 0) {
            line[strcspn(line, "\n")] = '\0';
            snprintf(path, sizeof path, "/sys/fs/cgroup%s/cpu.max", line + 3);
            found = 1;
        }
    fclose(f);
    if (!found || !(f = fopen(path, "re")))
        return 0;
    char text[128] = "";
    int limit = fgets(text, sizeof text, f) ? cpu_max_limit(text) : 0;
    fclose(f);
    return limit;
}

int usable_cpus(void)
{
    cpu_set_t set;
    int n = 1;
    if (sched_getaffinity(0, sizeof set, &set) == 0)
        n = CPU_COUNT(&set);
    int limit = cgroup_limit();
    if (limit > 0 && limit < n)
        n = limit;
    return n < 1 ? 1 : n;
}
