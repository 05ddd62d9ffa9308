/* progress.c - the progress line. It is the parent's alone: workers print
 * only whole lines, which may land between two redraws; the next redraw
 * starts on a fresh line then. */
#include <stdio.h>
#include <unistd.h>

#include "progress.h"

static long long last_ns;
static int drawn;

int progress_wanted(const cli_options *o)
{
    if (o->progress != PROGRESS_AUTO)
        return o->progress == PROGRESS_ALWAYS;
    return !o->quiet && !o->dry_run && isatty(STDERR_FILENO);
}

void progress_show(size_t done, size_t failed, size_t total, long long start_ns, long long now_ns)
{
    if (drawn && now_ns - last_ns < 100000000LL)
        return;
    last_ns = now_ns;
    double secs = (double)(now_ns - start_ns) / 1e9;
    double rate = secs > 0 ? (double)done / secs : 0;
    char left[32] = "--";
    if (rate > 0)
        snprintf(left, sizeof left, "%.0f s", (double)(total - done) / rate);
    char line[160];
    int n = snprintf(line, sizeof line, "\r\033[K%zu/%zu done, %zu failed, %.1f images/s, %s left",
                     done, total, failed, rate, left);
    if (n > 0 && write(STDERR_FILENO, line, (size_t)n) == n)
        drawn = 1;
}

void progress_clear(void)
{
    if (drawn && write(STDERR_FILENO, "\r\033[K", 4) == 4)
        drawn = 0;
}
