/* progress.c - the progress line. It is the parent's alone: workers print
 * only whole lines, which may land between two redraws; the next redraw
 * starts on a fresh line then. It never holds a file name, and it is cut to
 * the terminal's width so that it never wraps. */
#include <stdio.h>
#include <stdlib.h>
#include <sys/ioctl.h>
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

/* The width of the terminal on stderr: TIOCGWINSZ, asked at every redraw
 * (one cheap ioctl per 100 ms follows a resize without a SIGWINCH handler
 * that could interrupt the parent's waits); else $COLUMNS (stderr a file or
 * a pipe with --progress=always, or a pty whose size was never set); else
 * 80. */
static int columns(void)
{
    struct winsize ws;
    if (ioctl(STDERR_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
        return ws.ws_col;
    const char *env = getenv("COLUMNS");
    char *end;
    long c = env ? strtol(env, &end, 10) : 0;
    return env && *end == '\0' && c > 0 && c <= 4096 ? (int)c : 80;
}

/* The text of the line, at most room characters (all ASCII: one column
 * each): the full wording, else a compact one, else the compact one cut.
 * A line that filled the last column could wrap (terminals differ), and a
 * wrapped line is never erased by the next "\r\033[K": the screen would
 * scroll one line per redraw. */
static int progress_text(char *buf, size_t cap, int room, size_t done, size_t failed, size_t total,
                         double rate)
{
    char left[32] = "--";
    if (rate > 0)
        snprintf(left, sizeof left, "%.0f s", (double)(total - done) / rate);
    int n = snprintf(buf, cap, "%zu/%zu done, %zu failed, %.1f images/s, %s left", done, total,
                     failed, rate, left);
    if (n > room)
        n = snprintf(buf, cap, "%zu/%zu, %zu failed, %.1f/s, %s left", done, total, failed, rate,
                     left);
    if (n < 0)
        return 0;
    if (n >= (int)cap) /* cut by snprintf: no more than it wrote */
        n = (int)cap - 1;
    return n > room ? (room > 0 ? room : 0) : n;
}

void progress_show(size_t done, size_t failed, size_t total, long long start_ns, long long now_ns)
{
    if (drawn && now_ns - last_ns < 100000000LL)
        return;
    last_ns = now_ns;
    double secs = (double)(now_ns - start_ns) / 1e9;
    double rate = secs > 0 ? (double)done / secs : 0;
    char line[160] = "\r\033[K";
    int n = 4 + progress_text(line + 4, sizeof line - 4, columns() - 1, done, failed, total, rate);
    if (write(STDERR_FILENO, line, (size_t)n) == n)
        drawn = 1;
}

void progress_clear(void)
{
    if (drawn && write(STDERR_FILENO, "\r\033[K", 4) == 4)
        drawn = 0;
}
