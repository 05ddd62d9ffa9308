/* test_identset.c - the set of (device, inode) the scan keeps: new and
 * seen answers through many growths, identities that differ only in the
 * device, and an empty set. */
#include <stdlib.h>

#include "check.h"
#include "identset.h"

static struct stat id(dev_t dev, ino_t ino)
{
    struct stat st = {0};
    st.st_dev = dev;
    st.st_ino = ino;
    return st;
}

int main(void)
{
    enum { N = 100000 };
    identset set = {0};
    struct stat a = id(1, 42);
    CHECK(!identset_has(&set, &a), "an empty set has nothing");
    int bad_new = 0, bad_seen = 0, bad_has = 0;
    for (ino_t i = 0; i < N; i++) {
        /* inodes in strides, two devices: the patterns a tree gives */
        struct stat x = id(1 + (i & 1), i * 4096);
        bad_new += identset_add(&set, &x) != 1;
        bad_seen += identset_add(&set, &x) != 0;
    }
    for (ino_t i = 0; i < N; i++) {
        struct stat x = id(1 + (i & 1), i * 4096), other = id(2 - (i & 1), i * 4096);
        bad_has += !identset_has(&set, &x) || identset_has(&set, &other);
    }
    CHECK(bad_new == 0, "%d identities added: each new once; got %d not new", N, bad_new);
    CHECK(bad_seen == 0, "each seen the second time; got %d not", bad_seen);
    CHECK(bad_has == 0, "each found, the same inode on the other device not; got %d wrong",
          bad_has);
    CHECK(set.n == N && set.cap >= 2 * (size_t)N,
          "n %d, the table kept over twice as large; got n %zu cap %zu", N, set.n, set.cap);
    identset_free(&set);
    CHECK(set.cap == 0 && !identset_has(&set, &a), "freed: empty again");
    return check_done();
}
