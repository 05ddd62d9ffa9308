/* fuzz_options.c - libFuzzer target for options_parse: the input is split
 * into words at NUL and newline bytes (at most 32 words, argv[0] first, as
 * a shell would pass them), and parsed twice: options_parse resets
 * getopt_long's global state itself, so the second parse must agree with
 * the first. getopt_long permutes argv, so each parse gets a fresh copy.
 *
 * On OPTIONS_OK the result is held to the documented ranges (options.h,
 * --help); on OPTIONS_USAGE the message must be a non-empty, terminated
 * string. Built by tests/fuzz/CMakeLists.txt (-DTHUMBIFY_FUZZ=ON), or:
 *
 *   clang-14 -g -O1 -fsanitize=fuzzer,address,undefined -D_GNU_SOURCE \
 *       -Isrc/cli -Isrc/core -I/usr/include/stb tests/fuzz/fuzz_options.c \
 *       src/cli/options.c src/core/[a-z]*.c third_party/stb_image_resize_impl.c \
 *       -ljpeg -lpng -llcms2 -lz -lm -o fuzz_options */
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "options.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_ARGS 32

/* Splits a copy of data into at most MAX_ARGS words; the last takes the
 * rest of the input, separators and all. Returns argc; *buf to free. */
static int split(const uint8_t *data, size_t size, char **argv, char **buf)
{
    char *s = malloc(size + 1);
    if (!s)
        abort();
    memcpy(s, data, size);
    s[size] = '\0';
    int argc = 0;
    argv[argc++] = s;
    for (size_t i = 0; i < size && argc < MAX_ARGS; i++)
        if (s[i] == '\0' || s[i] == '\n') {
            s[i] = '\0';
            argv[argc++] = s + i + 1;
        }
    argv[argc] = NULL;
    *buf = s;
    return argc;
}

static int same_str(const char *a, const char *b)
{
    return a == b || (a && b && strcmp(a, b) == 0);
}

static void fail(const char *what, const char *err)
{
    fprintf(stderr, "fuzz_options: invariant broken: %s (err \"%s\")\n", what, err);
    abort();
}

static void check(int rc, const cli_options *o, int argc, char **argv, const char *err,
                  size_t errlen)
{
    if (rc != OPTIONS_OK) {
        if (rc != OPTIONS_USAGE)
            fail("returns OPTIONS_OK or OPTIONS_USAGE", "");
        if (memchr(err, '\0', errlen) == NULL)
            fail("usage message is terminated", "");
        if (err[0] == '\0')
            fail("usage error has a message", err);
        return;
    }
    if (o->procs < 0 || o->procs > 4096)
        fail("procs in 0..4096", err);
    if (o->params.box_w < 1 || o->params.box_w > 65535 || o->params.box_h < 1 ||
        o->params.box_h > 65535)
        fail("box sides in 1..65535", err);
    if (o->params.quality < 1 || o->params.quality > 100)
        fail("quality in 1..100", err);
    if (o->params.max_pixels < 1)
        fail("max_pixels >= 1", err);
    if (o->params.format < TF_FORMAT_SAME || o->params.format > TF_FORMAT_WEBP)
        fail("format is one of the four", err);
    if (o->params.use_embedded != 0 && o->params.use_embedded != 1)
        fail("use_embedded is 0 or 1", err);
    if ((o->out_dir && !o->out_dir[0]) || (o->files_from && !o->files_from[0]) ||
        (o->report && !o->report[0]))
        fail("file and directory names not empty", err);
    if (o->shard_n ? o->shard_i >= o->shard_n || o->shard_n > INT_MAX : o->shard_i != 0)
        fail("shard I/N with 0 <= I < N, or none", err);
    if (o->timeout_s < 1 || o->timeout_s > 86400)
        fail("timeout in 1..86400", err);
    if (o->max_memory < (64ULL << 20))
        fail("max_memory >= 64M", err);
    if (o->progress < PROGRESS_AUTO || o->progress > PROGRESS_NEVER)
        fail("progress is one of the three", err);
    if (o->null_sep && !o->files_from)
        fail("-0 only with --files-from", err);
    if (o->npaths < 0 || (o->npaths < 1 && !o->files_from && !o->help && !o->version))
        fail("at least one path unless --files-from, --help or --version", err);
    if (o->paths < argv || o->paths + o->npaths != argv + argc)
        fail("paths are the tail of argv", err);
    for (int i = 0; i < o->npaths; i++)
        if (o->paths[i] == NULL)
            fail("paths are not NULL", err);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *argv1[MAX_ARGS + 1], *argv2[MAX_ARGS + 1];
    char *buf1, *buf2;
    int argc = split(data, size, argv1, &buf1);
    split(data, size, argv2, &buf2);
    cli_options o1, o2;
    char err1[256], err2[256];
    memset(err1, 0x55, sizeof err1);
    memset(err2, 0x55, sizeof err2);
    int rc1 = options_parse(argc, argv1, &o1, err1, sizeof err1);
    check(rc1, &o1, argc, argv1, err1, sizeof err1);
    int rc2 = options_parse(argc, argv2, &o2, err2, sizeof err2);
    check(rc2, &o2, argc, argv2, err2, sizeof err2);

    /* Re-entrant: the same words give the same answer the second time. */
    if (rc1 != rc2)
        fail("second parse returns the same", err2);
    if (rc1 != OPTIONS_OK) {
        if (strcmp(err1, err2) != 0)
            fail("second parse gives the same message", err2);
    } else {
        if (o1.procs != o2.procs || o1.params.box_w != o2.params.box_w ||
            o1.params.box_h != o2.params.box_h || o1.params.quality != o2.params.quality ||
            o1.params.format != o2.params.format ||
            o1.params.max_pixels != o2.params.max_pixels ||
            o1.params.max_scans != o2.params.max_scans ||
            o1.params.use_embedded != o2.params.use_embedded || o1.strict != o2.strict ||
            o1.recursive != o2.recursive || o1.null_sep != o2.null_sep ||
            o1.shard_i != o2.shard_i || o1.shard_n != o2.shard_n ||
            o1.timeout_s != o2.timeout_s || o1.max_memory != o2.max_memory ||
            o1.sync != o2.sync || o1.force != o2.force || o1.dry_run != o2.dry_run ||
            o1.progress != o2.progress || o1.quiet != o2.quiet || o1.verbose != o2.verbose ||
            o1.help != o2.help || o1.version != o2.version || o1.npaths != o2.npaths ||
            !same_str(o1.out_dir, o2.out_dir) || !same_str(o1.files_from, o2.files_from) ||
            !same_str(o1.report, o2.report) ||
            !same_str(o1.params.comment, o2.params.comment))
            fail("second parse gives the same options", "");
        for (int i = 0; i < o1.npaths; i++)
            if (strcmp(o1.paths[i], o2.paths[i]) != 0)
                fail("second parse gives the same paths in the same order", "");
    }
    free(buf1);
    free(buf2);
    return 0;
}
