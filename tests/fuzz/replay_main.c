/* replay_main.c - runs a fuzz target's LLVMFuzzerTestOneInput over files,
 * without libFuzzer, so a corpus replays under ctest with any compiler.
 *
 *   replay_<target> PATH...
 *
 * A file is one input; a directory means every regular file under it,
 * recursively, in name order (the targets keep state between inputs, so
 * the order is fixed). Each input gets a buffer of exactly its size, so a
 * sanitizer build catches a read past the end. Each path goes to stderr
 * before it runs, so a crash names its input. Exits 0 after printing
 * "replayed N inputs"; a crash is the target's abort; a path that cannot
 * be read, or no input at all, is exit status 1.
 *
 * Like libFuzzer's -rss_limit_mb, the replay caps its memory (address
 * space, 4 GiB; REPLAY_MAX_MB overrides, 0 = none), so an input that makes
 * the core try a huge allocation gets a failed malloc, as under the CLI's
 * --max-memory, instead of swapping the test machine. Under ASan, which
 * reserves terabytes of address space for its shadow, the same is done
 * with ASan's own allocation limit (ASAN_OPTIONS still overrides it). */
#define _POSIX_C_SOURCE 200809L
#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_DEPTH 16

static long replayed;

static int run_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
        return -1;
    }
    size_t cap = 1 << 16, len = 0;
    uint8_t *buf = malloc(cap);
    size_t n;
    while (buf && (n = fread(buf + len, 1, cap - len, f)) > 0) {
        len += n;
        if (len == cap) {
            uint8_t *p = realloc(buf, cap *= 2);
            if (!p)
                free(buf);
            buf = p;
        }
    }
    int bad = ferror(f);
    fclose(f);
    if (!buf || bad) {
        fprintf(stderr, "replay: %s: %s\n", path, buf ? "read error" : "out of memory");
        free(buf);
        return -1;
    }
    /* exactly len bytes, so an over-read is past the allocation */
    uint8_t *exact = malloc(len ? len : 1);
    if (!exact) {
        free(buf);
        fprintf(stderr, "replay: %s: out of memory\n", path);
        return -1;
    }
    memcpy(exact, buf, len);
    free(buf);
    fprintf(stderr, "replay: %s\n", path);
    LLVMFuzzerTestOneInput(exact, len);
    free(exact);
    replayed++;
    return 0;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int run_path(const char *path, int depth);

static int run_dir(const char *path, int depth)
{
    DIR *d = opendir(path);
    if (!d) {
        fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
        return -1;
    }
    char **names = NULL;
    size_t n = 0, cap = 0;
    int rc = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        if (n == cap) {
            char **p = realloc(names, (cap = cap ? cap * 2 : 64) * sizeof *names);
            if (!p) {
                rc = -1;
                break;
            }
            names = p;
        }
        size_t len = strlen(path) + strlen(e->d_name) + 2;
        if (!(names[n] = malloc(len))) {
            rc = -1;
            break;
        }
        snprintf(names[n++], len, "%s/%s", path, e->d_name);
    }
    closedir(d);
    if (rc != 0)
        fprintf(stderr, "replay: %s: out of memory\n", path);
    if (n)
        qsort(names, n, sizeof *names, by_name);
    for (size_t i = 0; i < n; i++) {
        if (rc == 0 && run_path(names[i], depth + 1) != 0)
            rc = -1;
        free(names[i]);
    }
    free(names);
    return rc;
}

static int run_path(const char *path, int depth)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
        return -1;
    }
    if (S_ISDIR(st.st_mode)) {
        if (depth >= MAX_DEPTH) {
            fprintf(stderr, "replay: %s: deeper than %d directories\n", path, MAX_DEPTH);
            return -1;
        }
        return run_dir(path, depth);
    }
    if (!S_ISREG(st.st_mode)) /* a fifo or device inside a directory: skip */
        return depth > 0 ? 0 : (fprintf(stderr, "replay: %s: not a file\n", path), -1);
    return run_file(path);
}

#if defined(__SANITIZE_ADDRESS__)
#define REPLAY_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define REPLAY_ASAN 1
#endif
#endif

#ifdef REPLAY_ASAN
const char *__asan_default_options(void);
const char *__asan_default_options(void)
{
    return "allocator_may_return_null=1:max_allocation_size_mb=4096";
}
#endif

static void limit_memory(void)
{
#ifndef REPLAY_ASAN
    unsigned long long mb = 4096;
    const char *env = getenv("REPLAY_MAX_MB");
    if (env && *env)
        mb = strtoull(env, NULL, 10);
    struct rlimit rl;
    if (mb == 0 || getrlimit(RLIMIT_AS, &rl) != 0)
        return;
    rlim_t want = (rlim_t)(mb << 20);
    if (rl.rlim_max != RLIM_INFINITY && rl.rlim_max < want)
        want = rl.rlim_max;
    if (rl.rlim_cur == RLIM_INFINITY || rl.rlim_cur > want) {
        rl.rlim_cur = want;
        setrlimit(RLIMIT_AS, &rl);
    }
#endif
}

int main(int argc, char **argv)
{
    int rc = 0;
    limit_memory();
    for (int i = 1; i < argc; i++)
        if (run_path(argv[i], 0) != 0)
            rc = 1;
    printf("replayed %ld inputs\n", replayed);
    if (replayed == 0)
        fprintf(stderr, "replay: no input found\n");
    return replayed == 0 ? 1 : rc;
}
