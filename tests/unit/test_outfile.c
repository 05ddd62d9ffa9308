/* test_outfile.c - output directories opened without following symlinks
 * below the part the user named (outdir), files written whole and then
 * named (outfile: new, replacing, failing, each way of naming, a guard
 * keeping a file that has the name), and the
 * start-up clean-up that removes dead temp files only (outstale). Works in
 * a temp directory of its own under $TMPDIR or /tmp. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "outdir.h"
#include "outfile.h"
#include "outstale.h"

static char root[256];

/* root/rel in buf. */
static const char *at(char *buf, const char *rel)
{
    snprintf(buf, PATH_MAX, "%s/%s", root, rel);
    return buf;
}

static void put(const char *rel, const char *text)
{
    char p[PATH_MAX];
    FILE *f = fopen(at(p, rel), "w");
    if (f) {
        fputs(text, f);
        fclose(f);
    }
}

/* Whether the file holds exactly text. */
static int holds(const char *path, const char *text)
{
    char buf[256] = "";
    FILE *f = fopen(path, "r");
    if (!f)
        return 0;
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    return strcmp(buf, text) == 0;
}

/* The number of entries in dir (but . and ..), and whether one of them is
 * a temp file of ours. */
static int entries(const char *dir, int *temps)
{
    DIR *d = opendir(dir);
    int n = 0;
    *temps = 0;
    for (struct dirent *e; d && (e = readdir(d));) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        n++;
        *temps += strncmp(e->d_name, OUTFILE_TMP_PREFIX, sizeof OUTFILE_TMP_PREFIX - 1) == 0;
    }
    if (d)
        closedir(d);
    return n;
}

static void age(const char *rel, int seconds)
{
    char p[PATH_MAX];
    struct timespec t[2] = {{time(NULL) - seconds, 0}, {time(NULL) - seconds, 0}};
    utimensat(AT_FDCWD, at(p, rel), t, AT_SYMLINK_NOFOLLOW);
}

static void directories(void)
{
    char p[PATH_MAX], q[PATH_MAX], why[PATH_MAX + 64];
    size_t trusted = strlen(root) + strlen("/user");
    mkdir(at(p, "real"), 0777);
    symlink(at(q, "real"), at(p, "user"));
    int fd = outdir_open(at(p, "user/thumbs/a/b"), trusted, 1, why, sizeof why);
    struct stat st;
    CHECK(fd >= 0 && stat(at(q, "real/thumbs/a/b"), &st) == 0 && S_ISDIR(st.st_mode),
          "make: a/b made below the user's path, through its symlink; got fd %d, %s", fd,
          fd < 0 ? why : "");
    if (fd >= 0)
        close(fd);

    rename(at(p, "real/thumbs/a"), at(q, "real/thumbs/a.moved"));
    symlink(at(q, "real/thumbs/a.moved"), at(p, "real/thumbs/a"));
    fd = outdir_open(at(p, "user/thumbs/a/b"), trusted, 0, why, sizeof why);
    char want[PATH_MAX + 32];
    snprintf(want, sizeof want, "%s/user/thumbs/a is a symlink (refused)", root);
    CHECK(fd < 0 && errno == ELOOP && strcmp(why, want) == 0,
          "a symlink below the user's path is refused and named; got fd %d, \"%s\"", fd, why);
    fd = outdir_open(at(p, "user/thumbs/a"), trusted, 1, why, sizeof why);
    CHECK(fd < 0 && errno == ELOOP && strcmp(why, "it is a symlink (refused)") == 0,
          "the directory itself a symlink: \"it is a symlink (refused)\"; got fd %d, \"%s\"", fd,
          why);
    at(p, "user/thumbs/a/b");
    fd = outdir_open(p, strlen(p), 0, why, sizeof why);
    CHECK(fd >= 0, "the same path, all of it named by the user, is followed; got \"%s\"",
          fd < 0 ? why : "");
    if (fd >= 0)
        close(fd);

    put("real/thumbs/file", "x");
    fd = outdir_open(at(p, "user/thumbs/file/c"), trusted, 1, why, sizeof why);
    CHECK(fd < 0 && errno == ENOTDIR && strcmp(why, strerror(ENOTDIR)) == 0,
          "a file in the path: \"%s\"; got fd %d, \"%s\"", strerror(ENOTDIR), fd, why);
}

/* outfile_write into root/out/NAME; checks the content and that no temp
 * file is left. way: "" or a THUMBIFY_TEST_TMPFILE value (the test-only
 * hook; without it in the build, the default way is tested again). */
static void write_one(const char *way, const char *name, const char *text)
{
    char p[PATH_MAX], slot[PATH_MAX], dir[PATH_MAX];
    outfile_step what = OUTFILE_WRITE;
    setenv("THUMBIFY_TEST_TMPFILE", way, 1);
    int dirfd = open(at(dir, "out"), O_PATH | O_DIRECTORY);
    char rel[64];
    snprintf(rel, sizeof rel, "out/%.40s", name);
    at(p, rel);
    int rc = outfile_write(dirfd, p, text, strlen(text), 1, NULL, slot, sizeof slot, &what);
    close(dirfd);
    int temps, n = entries(dir, &temps);
    CHECK(rc == 0 && holds(p, text) && temps == 0 && slot[0] == '\0',
          "%s way: %s written whole, no temp file left, the slot cleared; got rc %d (%s: %s), "
          "%d temps of %d",
          *way ? way : "default", name, rc, outfile_step_name(what), rc ? strerror(errno) : "",
          temps, n);
}

static void writing(void)
{
    char p[PATH_MAX], slot[PATH_MAX];
    mkdir(at(p, "out"), 0777);
    const char *ways[] = {"", "named", "proc"};
    for (int i = 0; i < 3; i++) {
        char name[32];
        snprintf(name, sizeof name, "new%d.jpg", i);
        write_one(ways[i], name, "first");
        struct stat before, after;
        stat(at(p, "out/new0.jpg"), &before);
        write_one(ways[i], "new0.jpg", i == 1 ? "second, longer" : "2nd");
        stat(at(p, "out/new0.jpg"), &after);
        CHECK(before.st_ino != after.st_ino, "%s way: an existing file is replaced by another",
              *ways[i] ? ways[i] : "default");
    }
    unsetenv("THUMBIFY_TEST_TMPFILE");

    mkdir(at(p, "gone"), 0777);
    int dirfd = open(p, O_PATH | O_DIRECTORY);
    rmdir(p);
    outfile_step what = OUTFILE_WRITE;
    at(p, "gone/x.jpg");
    int rc = outfile_write(dirfd, p, "x", 1, 0, NULL, slot, sizeof slot, &what);
    int e = errno;
    CHECK(rc == -1 && what == OUTFILE_CREATE && slot[0] == '\0',
          "a removed directory: create fails (%s), the slot stays empty; got rc %d, %s",
          strerror(e), rc, outfile_step_name(what));
    close(dirfd);
    rc = outfile_write_path(at(p, "out/report.json"), "{}", 2, 0, slot, sizeof slot, &what);
    CHECK(rc == 0 && holds(p, "{}"), "outfile_write_path writes through the path as given");
}

/* The guard: keeps "keep.jpg", says "gone.jpg" is not there (the first
 * time) and "flicker.jpg" never (a name taken and freed again at each
 * try), lets anything else be replaced; counts its calls. */
static int asked;
static int test_guard(int dirfd, const char *name, void *arg)
{
    (void)dirfd;
    (void)arg;
    asked++;
    if (strcmp(name, "gone.jpg") == 0)
        return asked == 1 ? -1 : 1;
    if (strcmp(name, "flicker.jpg") == 0)
        return -1;
    return strcmp(name, "keep.jpg") != 0;
}

/* outfile_write with the test guard into root/guard/NAME, where a file
 * with content `there` is (NULL: none); way as in write_one, link: the
 * hard-link way of a file system without RENAME_NOREPLACE (hook). */
static void guarded(const char *way, int link, const char *name, const char *there, int kept)
{
    char p[PATH_MAX], slot[PATH_MAX], dir[PATH_MAX], rel[64];
    outfile_step what = OUTFILE_WRITE;
    outfile_guard g = {test_guard, NULL};
    setenv("THUMBIFY_TEST_TMPFILE", way, 1);
    setenv("THUMBIFY_TEST_NOREPLACE", link ? "link" : "", 1);
    snprintf(rel, sizeof rel, "guard/%.40s", name);
    at(p, rel);
    unlink(p);
    if (there)
        put(rel, there);
    int dirfd = open(at(dir, "guard"), O_PATH | O_DIRECTORY);
    asked = 0;
    int rc = outfile_write(dirfd, p, "new", 3, 0, &g, slot, sizeof slot, &what);
    int e = errno;
    close(dirfd);
    int temps;
    entries(dir, &temps);
    const char *label = *way ? way : "default";
    if (strcmp(name, "flicker.jpg") == 0) { /* not "exists": nothing was kept by the guard */
        CHECK(rc == -1 && e == EEXIST && what == OUTFILE_RENAME && holds(p, there) &&
                  temps == 0 && asked == 8,
              "%s way%s: a name taken at each of 8 tries: the rename fails (EEXIST, \"rename\", "
              "no temp file); got rc %d, %s, %d temps, asked %d",
              label, link ? " (link)" : "", rc, outfile_step_name(what), temps, asked);
        return;
    }
    if (kept)
        CHECK(rc == -1 && e == EEXIST && what == OUTFILE_EXISTS && holds(p, there) &&
                  temps == 0 && asked == 1,
              "%s way%s: the guard keeps %s (EEXIST, \"exists\", no temp file); got rc %d, %s, "
              "%d temps, asked %d",
              label, link ? " (link)" : "", name, rc, outfile_step_name(what), temps, asked);
    /* gone.jpg: asked again after its "not there" */
    int expect = !there ? 0 : strcmp(name, "gone.jpg") == 0 ? 2 : 1;
    if (!kept)
        CHECK(rc == 0 && holds(p, "new") && temps == 0 && asked == expect,
              "%s way%s: %s written (%s), the guard asked %d times; got rc %d (%s), %d temps, "
              "asked %d",
              label, link ? " (link)" : "", name, there ? "replacing" : "new", expect, rc,
              outfile_step_name(what), temps, asked);
}

static void guarding(void)
{
    char p[PATH_MAX];
    mkdir(at(p, "guard"), 0777);
    const char *ways[] = {"", "named", "named", "proc"};
    for (int i = 0; i < 4; i++) {
        int link = i == 2;
        guarded(ways[i], link, "keep.jpg", "the user's", 1);
        guarded(ways[i], link, "fresh.jpg", NULL, 0);
        guarded(ways[i], link, "ours.jpg", "old thumbnail", 0);
        guarded(ways[i], link, "gone.jpg", "vanishing", 0);
        guarded(ways[i], link, "flicker.jpg", "there at each try", 0);
    }
    unsetenv("THUMBIFY_TEST_TMPFILE");
    unsetenv("THUMBIFY_TEST_NOREPLACE");
}

static void clean_up(void)
{
    char p[PATH_MAX];
    mkdir(at(p, "stale"), 0777);
    static const char *const names[] = {
        "stale/.thumbify-0123456789abcdef.tmp", /* dead: removed */
        "stale/.thumbify-42-7.tmp",             /* an earlier version's, dead: removed */
        "stale/.thumbify-fedcba9876543210.tmp", /* locked: kept */
        "stale/.thumbify-00000000000000ff.tmp", /* recent: kept */
        "stale/.thumbify-0123456789ABCDEF.tmp", /* not ours (upper case): kept */
        "stale/.thumbify-notours.tmp",          /* not ours: kept */
        "stale/.thumbify-1-.tmp",               /* not ours: kept */
        "stale/keep.jpg",                       /* not ours: kept */
    };
    const int gone = 2, n = sizeof names / sizeof *names;
    for (int i = 0; i < n; i++) {
        put(names[i], "partial");
        if (i != 3)
            age(names[i], 3600);
    }
    mkdir(at(p, "stale/.thumbify-1111111111111111.tmp"), 0777); /* not a file: kept */
    age("stale/.thumbify-1111111111111111.tmp", 3600);
    symlink("keep.jpg", at(p, "stale/.thumbify-2222222222222222.tmp")); /* kept */
    age("stale/.thumbify-2222222222222222.tmp", 3600);
    int lock = open(at(p, names[2]), O_RDONLY);
    CHECK(lock >= 0 && flock(lock, LOCK_EX) == 0, "a temp file locked, as its writer does");

    int dirfd = open(at(p, "stale"), O_PATH | O_DIRECTORY);
    outstale_remove(dirfd);
    close(dirfd);
    int ok = 1;
    for (int i = 0; i < n; i++) {
        int exists = access(at(p, names[i]), F_OK) == 0;
        ok &= EXPECT(exists == (i >= gone), "%s %s; got %s", names[i],
                     i < gone ? "removed" : "kept", exists ? "there" : "gone");
    }
    ok &= access(at(p, "stale/.thumbify-1111111111111111.tmp"), F_OK) == 0;
    ok &= faccessat(AT_FDCWD, at(p, "stale/.thumbify-2222222222222222.tmp"), F_OK,
                    AT_SYMLINK_NOFOLLOW) == 0;
    CHECK(ok, "clean-up: dead temp files (old, lock free; both name forms) removed; a locked, a "
              "recent one, other names, a directory and a symlink kept");
    close(lock);
}

int main(void)
{
    const char *tmp = getenv("TMPDIR");
    snprintf(root, sizeof root, "%s/thumbify-outfile.XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(root)) {
        perror(root);
        return 1;
    }
    directories();
    writing();
    guarding();
    clean_up();
    char cmd[PATH_MAX + 16];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", root);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", root);
    return check_done();
}
