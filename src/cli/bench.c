/* bench.c - the built-in single- against multi-process comparison. Each
 * configuration runs once untimed (to warm the page cache and the
 * allocator), then --runs times; the median wall time is reported. */
#include <errno.h>
#include <ftw.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "batch.h"
#include "bench.h"
#include "cpus.h"
#include "msg.h"
#include "options.h"

#define MAX_COUNTS 64

typedef struct bench_opts {
    const char *path;
    int counts[MAX_COUNTS];
    int ncounts;
    int runs;
    int csv;
} bench_opts;

static const char bench_usage[] =
    "usage: thumbify bench PATH [-p LIST] [--runs N] [--csv]\n"
    "  -p, --procs LIST   process counts, comma-separated (default: 1 and the usable cores)\n"
    "      --runs N       timed runs per count, median reported (default 3)\n"
    "      --csv          comma-separated output\n";

/* "1,2,4": each 1..4096; 1 is always measured first, as the baseline. */
static int parse_counts(const char *s, bench_opts *b)
{
    b->counts[0] = 1;
    b->ncounts = 1;
    while (*s) {
        char *end;
        long v = strtol(s, &end, 10);
        if (end == s || v < 1 || v > 4096 || (*end && *end != ',') || b->ncounts == MAX_COUNTS)
            return -1;
        if (v != 1)
            b->counts[b->ncounts++] = (int)v;
        s = *end ? end + 1 : end;
    }
    return 0;
}

static int parse(int argc, char **argv, bench_opts *b)
{
    static const struct option longs[] = {{"procs", required_argument, NULL, 'p'},
                                          {"runs", required_argument, NULL, 'r'},
                                          {"csv", no_argument, NULL, 'c'},
                                          {NULL, 0, NULL, 0}};
    *b = (bench_opts){.runs = 3};
    int cores = usable_cpus(), c;
    b->counts[0] = 1;
    b->ncounts = cores > 1 ? 2 : 1;
    b->counts[1] = cores;
    optind = 0;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":p:", longs, NULL)) != -1) {
        char *end;
        if (c == 'p' && parse_counts(optarg, b) != 0)
            return msg_line("thumbify: invalid value '%s' for bench -p/--procs: expected "
                            "counts from 1 to 4096, like 1,2,4",
                            optarg),
                   -1;
        if (c == 'r' && ((b->runs = (int)strtol(optarg, &end, 10)) < 1 || *end || b->runs > 1000))
            return msg_line("thumbify: invalid value '%s' for bench --runs: expected 1 to "
                            "1000",
                            optarg),
                   -1;
        if (c == 'c')
            b->csv = 1;
        if (c == '?' || c == ':')
            return msg_line("thumbify: bench: bad option '%s'", argv[optind - 1]), -1;
    }
    if (optind != argc - 1)
        return msg_line("thumbify: bench takes exactly one PATH"), -1;
    b->path = argv[optind];
    return 0;
}

static int by_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    return remove(path);
}

/* One configuration: the warm-up, then runs timed; the median wall time. */
static int measure(const bench_opts *b, cli_options *o, int procs, double *median,
                   batch_result *last)
{
    double t[1000];
    o->procs = procs;
    for (int r = -1; r < b->runs; r++) {
        if (batch_run(o, last) != 0 || last->st.signal)
            return -1;
        if (r >= 0)
            t[r] = last->seconds;
    }
    qsort(t, (size_t)b->runs, sizeof *t, by_double);
    *median = b->runs % 2 ? t[b->runs / 2] : (t[b->runs / 2 - 1] + t[b->runs / 2]) / 2;
    return 0;
}

static void row(const bench_opts *b, int procs, double wall, double base, const batch_result *r)
{
    double ips = (double)r->st.ok / wall, mps = r->megapixels / wall, speedup = base / wall;
    if (b->csv)
        printf("%d,%.4f,%.2f,%.2f,%.3f,%.1f\n", procs, wall, ips, mps, speedup,
               100 * speedup / procs);
    else {
        char w[32];
        snprintf(w, sizeof w, "%.2f s", wall);
        printf("%-11d %-8s %-10.1f %-7.0f %-8.2f %4.0f%%\n", procs, w, ips, mps, speedup,
               100 * speedup / procs);
    }
    fflush(stdout);
}

static int run_all(const bench_opts *b, cli_options *o)
{
    double base = 0;
    for (int i = 0; i < b->ncounts; i++) {
        double wall;
        batch_result r;
        if (measure(b, o, b->counts[i], &wall, &r) != 0)
            return 1;
        if (i == 0) {
            base = wall;
            if (!b->csv)
                printf("bench: %s: %zu images, %.1f MP, %zu failed; median of %d runs, %d "
                       "usable cores\nprocesses   wall     images/s   MP/s    speedup  "
                       "efficiency\n",
                       b->path, r.st.ok, r.megapixels, r.st.failed, b->runs, usable_cpus());
            else
                printf("processes,wall_s,images_per_s,mp_per_s,speedup,efficiency_pct\n");
        }
        row(b, b->counts[i], wall, base, &r);
    }
    return 0;
}

int bench_main(int argc, char **argv)
{
    bench_opts b;
    if (parse(argc, argv, &b) != 0) {
        fputs(bench_usage, stderr);
        return 2;
    }
    const char *base = getenv("TMPDIR");
    char dir[4096];
    snprintf(dir, sizeof dir, "%s/thumbify-bench.XXXXXX", base && *base ? base : "/tmp");
    if (!mkdtemp(dir)) {
        msg_line("thumbify: bench: cannot make a temporary directory in %s: %s",
                 base && *base ? base : "/tmp", strerror(errno));
        return 1;
    }
    /* -q -f: every run does the whole job, silently */
    char *args[] = {"thumbify", "-q", "-f", "-o", dir, (char *)b.path, NULL};
    cli_options o;
    char err[256];
    int rc = options_parse(6, args, &o, err, sizeof err) == OPTIONS_OK ? run_all(&b, &o) : 2;
    nftw(dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
    return rc;
}
