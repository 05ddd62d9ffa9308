/* test_casefold.c - ASCII folding, and no false "case-insensitive" on a
 * case-sensitive file system (the temp directory): an empty directory, a
 * directory not made yet, one with names of both cases, and one where a
 * name's swapped-case spelling is a hard link to it (the same file, but
 * not by folding). A case-insensitive file system is cli_noreplace's. */
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "casefold.h"
#include "check.h"

static char root[256];

static void touch(const char *dir, const char *name)
{
    char p[PATH_MAX];
    snprintf(p, sizeof p, "%s/%s", dir, name);
    int fd = open(p, O_WRONLY | O_CREAT, 0666);
    if (fd >= 0)
        close(fd);
}

int main(void)
{
    char s[] = "/Mnt/USB/Thumbs/A.JPG-ÄÖ";
    casefold_ascii(s);
    CHECK(strcmp(s, "/mnt/usb/thumbs/a.jpg-ÄÖ") == 0,
          "casefold_ascii lowers ASCII letters only; got %s", s);
    const char *tmp = getenv("TMPDIR");
    snprintf(root, sizeof root, "%s/thumbify-casefold.XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(root)) {
        perror(root);
        return 1;
    }
    char p[PATH_MAX + 32], q[PATH_MAX + 32];
    snprintf(p, sizeof p, "%s/empty", root);
    mkdir(p, 0777);
    CHECK(casefold_dir(p) == 0, "an empty directory on a case-sensitive file system: 0");
    snprintf(p, sizeof p, "%s/not/made/yet", root);
    CHECK(casefold_dir(p) == 0, "a directory not made yet (its ancestor tells): 0");
    snprintf(p, sizeof p, "%s/both", root);
    mkdir(p, 0777);
    touch(p, "A.jpg");
    touch(p, "a.jpg");
    CHECK(casefold_dir(p) == 0, "A.jpg and a.jpg, two files: 0");
    snprintf(p, sizeof p, "%s/linked", root);
    mkdir(p, 0777);
    touch(p, "B.jpg");
    snprintf(p, sizeof p, "%s/linked/B.jpg", root);
    snprintf(q, sizeof q, "%s/linked/b.jpg", root);
    CHECK(link(p, q) == 0, "b.jpg made a hard link to B.jpg");
    snprintf(p, sizeof p, "%s/linked", root);
    CHECK(casefold_dir(p) == 0, "b.jpg a hard link to B.jpg (the same file, not folding): 0");
    snprintf(p, sizeof p, "rm -rf '%s'", root);
    if (system(p) != 0)
        fprintf(stderr, "could not remove %s\n", root);
    return check_done();
}
