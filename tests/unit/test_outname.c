/* test_outname.c - output names decided in outname.c alone: a thumbnail's
 * path without --name (extension per -F), the per-size WxH/ directory put
 * in after the output root, the default thumbs/ root; and the signal
 * module's in-process parts a worker relies on: SIGTERM held and let in
 * again, and the SIGBUS guard turning a mapped file that shrank into
 * zeros. */
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "check.h"
#include "outname.h"
#include "signals.h"

static void in_dir(const char *dir, const char *src, tf_format fmt, const char *want)
{
    char *got = outname_in(dir, src, fmt);
    CHECK(got && strcmp(got, want) == 0, "outname_in(%s, %s, %d) is %s; got %s", dir, src,
          (int)fmt, want, got ? got : "NULL");
    free(got);
}

static void sized(const char *path, size_t root, const char *want)
{
    char *got = outname_sized_dir(path, root, 200, 150);
    CHECK(got && strcmp(got, want) == 0, "outname_sized_dir(%s, %zu) is %s; got %s", path, root,
          want, got ? got : "NULL");
    free(got);
}

static int term_blocked(void)
{
    sigset_t now;
    sigprocmask(SIG_SETMASK, NULL, &now);
    return sigismember(&now, SIGTERM);
}

/* A page-and-more file mapped, cut to 10 bytes: reading its second page
 * gives zeros and signals_bus_hit() says so, instead of a SIGBUS death. */
static void bus_guard(void)
{
    char path[] = "/tmp/test_outname.XXXXXX";
    int fd = mkstemp(path);
    size_t len = (size_t)sysconf(_SC_PAGESIZE) * 2;
    char *bytes = malloc(len);
    if (!CHECK(fd >= 0 && bytes, "a temp file to map"))
        return;
    memset(bytes, 'x', len);
    unsigned char *m = NULL;
    if (write(fd, bytes, len) == (ssize_t)len)
        m = mmap(NULL, len, PROT_READ, MAP_PRIVATE, fd, 0);
    if (CHECK(m && m != MAP_FAILED, "the file mapped")) {
        signals_guard_bus(m, len);
        CHECK(!signals_bus_hit(), "no bus error yet");
        CHECK(ftruncate(fd, 10) == 0, "the file cut to 10 bytes");
        volatile unsigned char past = m[len - 1];
        CHECK(past == 0 && signals_bus_hit(), "a read past the new end gives 0 and is noted; got %d",
              past);
        signals_guard_bus(NULL, 0);
        munmap(m, len);
    }
    free(bytes);
    close(fd);
    unlink(path);
}

int main(void)
{
    in_dir("out", "a/b/x.jpg", TF_FORMAT_JPEG, "out/x.jpg");
    in_dir("out/", "x.JPEG", TF_FORMAT_JPEG, "out/x.JPEG");
    in_dir("out", "a/x.jpg", TF_FORMAT_PNG, "out/x.png");
    in_dir("out", "a/x.png", TF_FORMAT_WEBP, "out/x.webp");
    in_dir("out", "a/x", TF_FORMAT_JPEG, "out/x.jpg");
    in_dir("out", "a/x.tiff", TF_FORMAT_SAME, "out/x.tiff");

    sized("photos/thumbs/a/b", 13, "photos/thumbs/200x150/a/b");
    sized("photos/thumbs", 13, "photos/thumbs/200x150");
    sized("out/", 4, "out/200x150");
    sized("out//a", 5, "out//200x150/a");
    sized("/", 1, "/200x150");

    char *t = outname_thumbs_dir("photos/");
    CHECK(t && strcmp(t, "photos/thumbs") == 0, "the default root of photos/ is photos/thumbs");
    free(t);

    signals_worker_setup();
    CHECK(!term_blocked(), "SIGTERM comes in at first");
    signals_hold_term();
    CHECK(term_blocked(), "signals_hold_term holds SIGTERM");
    signals_release_term();
    CHECK(!term_blocked(), "signals_release_term lets it in again");
    bus_guard();
    return check_done();
}
