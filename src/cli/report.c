/* report.c - the JSON report. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "msg.h"
#include "outfile.h"
#include "report.h"

/* Length of the valid UTF-8 sequence at s (1..4), or 0. */
static int utf8_len(const unsigned char *s)
{
    int n = s[0] < 0x80             ? 1
            : (s[0] & 0xe0) == 0xc0 ? 2
            : (s[0] & 0xf0) == 0xe0 ? 3
            : (s[0] & 0xf8) == 0xf0 ? 4
                                    : 0;
    if (n == 2 && s[0] < 0xc2)
        return 0; /* overlong */
    for (int i = 1; i < n; i++)
        if ((s[i] & 0xc0) != 0x80)
            return 0;
    if (n == 3 && ((s[0] == 0xe0 && s[1] < 0xa0) || (s[0] == 0xed && s[1] >= 0xa0)))
        return 0; /* overlong, or a UTF-16 surrogate */
    if (n == 4 && ((s[0] == 0xf0 && s[1] < 0x90) || s[0] > 0xf4 || (s[0] == 0xf4 && s[1] >= 0x90)))
        return 0;
    return n;
}

static void json_string(FILE *f, const char *text)
{
    if (!text) {
        fputs("null", f);
        return;
    }
    fputc('"', f);
    for (const unsigned char *s = (const unsigned char *)text; *s;) {
        int n = utf8_len(s);
        if (n == 1 && (*s == '"' || *s == '\\'))
            fprintf(f, "\\%c", *s);
        else if (n == 1 && *s < 0x20)
            fprintf(f, "\\u%04x", *s);
        else if (n > 0)
            fwrite(s, 1, (size_t)n, f);
        else
            fprintf(f, "\\u%04x", *s), n = 1; /* not UTF-8: the byte as U+00XX */
        s += n;
    }
    fputc('"', f);
}

static const char *status_name(int state)
{
    switch (state) {
    case RESULT_OK: return "ok";
    case RESULT_UPTODATE: return "up to date";
    case RESULT_FAILED: return "failed";
    }
    return "skipped";
}

static void record(FILE *f, const job *j, const result_slot *r, const char *msg, int state)
{
    int made = r && r->src_w;
    fputs("    {\"source\": ", f);
    json_string(f, j->src);
    fputs(", \"output\": ", f);
    json_string(f, j->out);
    fprintf(f, ", \"status\": \"%s\", \"message\": ", status_name(state));
    json_string(f, msg && *msg ? msg : NULL);
    if (made)
        fprintf(f,
                ", \"source_width\": %d, \"source_height\": %d, \"width\": %d, \"height\": %d, "
                "\"decode\": \"%s\", \"scale\": \"1/%d\"",
                r->src_w, r->src_h, r->out_w, r->out_h, tf_path_str((tf_path)r->path),
                r->scale_denom);
    fprintf(f, ", \"ms\": %.2f}", r ? (double)r->ms : 0.0);
}

static void body(FILE *f, const cli_options *o, const job_list *jobs, const pool_shared *sh,
                 const unsigned char *uptodate, const run_stats *st, double seconds)
{
    fprintf(f, "{\n  \"thumbify\": \"%s\",\n  \"dry_run\": %s,\n  \"files\": [\n", TF_VERSION,
            o->dry_run ? "true" : "false");
    for (size_t i = 0; i < jobs->n; i++) {
        const result_slot *r = sh ? &sh->results[i] : NULL;
        int state = r                         ? atomic_load(&r->state)
                    : uptodate && uptodate[i] ? RESULT_UPTODATE
                                              : RESULT_PENDING;
        record(f, &jobs->v[i], r, sh && sh->msgs ? sh->msgs[i] : NULL, state);
        fputs(i + 1 < jobs->n ? ",\n" : "\n", f);
    }
    fprintf(f,
            "  ],\n  \"totals\": {\"inputs\": %zu, \"ok\": %zu, \"up_to_date\": %zu, "
            "\"failed\": %zu, \"skipped\": %zu, \"warnings\": %zu, \"path_errors\": %d, "
            "\"seconds\": %.3f}\n}\n",
            jobs->n, st->ok, st->uptodate, st->failed, st->not_done, st->warnings, jobs->failed,
            seconds);
}

/* The descriptor a path names when it is one of the process's own
 * (/dev/stdout, /dev/stderr, /dev/fd/N, /proc/self/fd/N), else -1: such a
 * descriptor is written as it is, so that `--report /dev/stdout >>log`
 * appends as the shell asked, where opening the path again would truncate
 * the file behind it. */
static int own_fd(const char *path)
{
    if (strcmp(path, "/dev/stdout") == 0)
        return 1;
    if (strcmp(path, "/dev/stderr") == 0)
        return 2;
    const char *n = strncmp(path, "/dev/fd/", 8) == 0          ? path + 8
                    : strncmp(path, "/proc/self/fd/", 14) == 0 ? path + 14
                                                               : NULL;
    if (!n || *n < '0' || *n > '9')
        return -1;
    char *end;
    long fd = strtol(n, &end, 10);
    return *end == '\0' && fd <= INT_MAX ? (int)fd : -1;
}

/* A new or regular file gets the report atomically (temp file + rename),
 * through a symbolic link onto the file it points to, so the link stays.
 * A FIFO or device is opened and written, as is a link to nothing yet
 * (creating its target); a descriptor of our own is written as it is. */
static int save(const char *path, const char *text, size_t len)
{
    int fd = own_fd(path);
    if (fd >= 0)
        return outfile_write_all(fd, text, len);
    struct stat st, lst;
    char real[PATH_MAX], tmp[PATH_MAX];
    const char *what = "write";
    int exists = stat(path, &st) == 0;
    if ((exists && S_ISREG(st.st_mode)) || (!exists && lstat(path, &lst) != 0)) {
        const char *target = exists && realpath(path, real) ? real : path;
        return outfile_write_path(target, text, len, 0, tmp, sizeof tmp, &what);
    }
    /* a device or FIFO; or a link to nothing yet, whose target is made */
    int flags = O_WRONLY | O_CLOEXEC | O_NOCTTY | (exists ? 0 : O_CREAT | O_TRUNC);
    if ((fd = open(path, flags, 0666)) < 0)
        return -1;
    int rc = outfile_write_all(fd, text, len);
    int saved = errno;
    if (close(fd) != 0 && rc == 0)
        return -1;
    errno = saved;
    return rc;
}

int report_write(const cli_options *o, const job_list *jobs, const pool_shared *sh,
                 const unsigned char *uptodate, const run_stats *st, double seconds)
{
    if (strcmp(o->report, "-") == 0) {
        body(stdout, o, jobs, sh, uptodate, st, seconds);
        if (fflush(stdout) == 0)
            return 0;
        msg_error("stdout", "cannot write the report: %s", strerror(errno));
        return -1;
    }
    char *text = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&text, &len);
    if (!mem) {
        msg_error(o->report, "cannot write the report: %s", strerror(errno));
        return -1;
    }
    body(mem, o, jobs, sh, uptodate, st, seconds);
    fclose(mem);
    int rc = text ? save(o->report, text, len) : -1;
    if (rc != 0)
        msg_error(o->report, "cannot write the report: %s", strerror(errno));
    free(text);
    return rc;
}
