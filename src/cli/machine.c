/* machine.c - load average and steal time around bench's runs. The load
 * average is the kernel's 1-minute mean of runnable tasks, so it lags: read
 * before the runs it shows work that was already there, read after them it
 * includes bench's own workers. Steal time is what a hypervisor gave to
 * other guests while this one wanted to run: any of it slows the runs. */
#include <stdio.h>
#include <stdlib.h>

#include "machine.h"
#include "msg.h"

/* The path of /proc/NAME, or of the test hook's stand-in. */
static const char *proc_path(char *buf, size_t cap, const char *name, int when)
{
#ifdef THUMBIFY_TESTING
    const char *dir = getenv("THUMBIFY_TEST_PROC");
    if (dir && *dir) {
        snprintf(buf, cap, "%s/%s/%s", dir, when == MACHINE_BEFORE ? "before" : "after", name);
        return buf;
    }
#endif
    (void)when;
    snprintf(buf, cap, "/proc/%s", name);
    return buf;
}

void machine_read(machine_sample *s, int when)
{
    char path[4096];
    *s = (machine_sample){.load1 = -1};
    FILE *f = fopen(proc_path(path, sizeof path, "loadavg", when), "r");
    if (f) {
        if (fscanf(f, "%lf", &s->load1) != 1)
            s->load1 = -1;
        fclose(f);
    }
    /* cpu  user nice system idle iowait irq softirq steal [guest guest_nice]:
     * guest time is already counted in user and nice, so it is not added */
    unsigned long long v[8];
    f = fopen(proc_path(path, sizeof path, "stat", when), "r");
    if (f && fscanf(f, "cpu %llu %llu %llu %llu %llu %llu %llu %llu", &v[0], &v[1], &v[2], &v[3],
                    &v[4], &v[5], &v[6], &v[7]) == 8) {
        s->steal = v[7];
        for (int i = 0; i < 8; i++)
            s->all += v[i];
    }
    if (f)
        fclose(f);
}

/* The load average above which other work competes with bench's runs. */
static double busy_load(int cores)
{
    return cores / 4.0 > 0.5 ? cores / 4.0 : 0.5;
}

int machine_warn(const machine_sample *before, const machine_sample *after, int cores,
                 int max_procs)
{
    static const char advice[] = "the times may be slower and more spread than on an idle "
                                 "machine";
    double limit = busy_load(cores);
    int n = 0;
    if (before->load1 > limit && ++n)
        msg_line("thumbify: bench: warning: the machine was busy: load average %.2f before the "
                 "runs, above %.2f for %d usable cores; %s",
                 before->load1, limit, cores, advice);
    else if (after->load1 > limit + max_procs && ++n)
        msg_line("thumbify: bench: warning: the machine was busy: load average %.2f after the "
                 "runs, above %.2f for %d usable cores and bench's %d workers; %s",
                 after->load1, limit + max_procs, cores, max_procs, advice);
    if (before->all && after->all > before->all && after->steal >= before->steal) {
        double pct =
            100.0 * (double)(after->steal - before->steal) / (double)(after->all - before->all);
        if (pct > 2 && ++n)
            msg_line("thumbify: bench: warning: CPU steal time was %.1f%% during the runs (the "
                     "host of this virtual machine ran other work); %s",
                     pct, advice);
    }
    return n;
}
