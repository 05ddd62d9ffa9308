/* main.c - thumbify's command line: parse, run the batch (or the bench
 * subcommand), summarise, exit. Everything here is sequencing; each step
 * lives in its own file. */
#include <stdio.h>
#include <string.h>

#include "batch.h"
#include "bench.h"
#include "msg.h"
#include "options.h"
#include "signals.h"

static void summary(const batch_result *r, int prune)
{
    const run_stats *st = &r->st;
    char extra[128] = "";
    int n = 0;
    if (st->uptodate)
        n += snprintf(extra + n, sizeof extra - (size_t)n, ", %zu up to date", st->uptodate);
    if (prune)
        n += snprintf(extra + n, sizeof extra - (size_t)n, ", %zu removed", r->removed);
    if (st->signal)
        snprintf(extra + n, sizeof extra - (size_t)n, ", %zu not done (interrupted)", st->not_done);
    msg_line("%zu thumbnail%s, %zu failed%s, %.2f s", st->ok, st->ok == 1 ? "" : "s", st->failed,
             extra, r->seconds);
}

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "bench") == 0)
        return bench_main(argc - 1, argv + 1);
    cli_options o;
    char err[512];
    if (options_parse(argc, argv, &o, err, sizeof err) != OPTIONS_OK) {
        msg_line("thumbify: %s", err);
        msg_line("%s", options_try_help);
        return 2;
    }
    if (o.help || o.version) {
        fputs(o.help ? options_help() : "thumbify " TF_VERSION "\n", stdout);
        return fflush(stdout) == 0 ? 0 : 1;
    }
    batch_result r;
    if (batch_run(&o, &r) != 0)
        return 1;
    if (!o.quiet && !o.dry_run)
        summary(&r, o.prune);
    if (r.st.signal)
        return signals_die_of(r.st.signal); /* as a shell expects */
    return r.st.failed || r.st.broken ? 1 : 0;
}
