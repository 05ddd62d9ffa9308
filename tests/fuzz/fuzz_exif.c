/* fuzz_exif.c - libFuzzer target for tf_exif_parse: the input is taken as
 * an APP1 payload as is, and for tf_exif_tiff_orientation as a bare TIFF
 * block. Besides the sanitizers' out-of-bounds checks, the
 * result is held to the header's contract, so a thumbnail span that lies
 * but happens to stay inside the fuzzer's buffer still fails.
 *
 *   clang-14 -g -O1 -fsanitize=fuzzer,address,undefined -Isrc/core \
 *       tests/fuzz/fuzz_exif.c src/core/exif.c -o fuzz_exif */
#include <stdint.h>
#include <stdlib.h>

#include "exif.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int contract_holds(const tf_exif *e, const uint8_t *data, size_t size)
{
    if (e->orientation < 1 || e->orientation > 8)
        return 0;
    if (e->thumb_len == 0)
        return e->thumb_offset == 0;
    return e->thumb_offset <= size && e->thumb_len <= size - e->thumb_offset && e->thumb_len >= 2 &&
           data[e->thumb_offset] == 0xFF && data[e->thumb_offset + 1] == 0xD8;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    tf_exif e;
    tf_exif_parse(data, size, &e);
    if (!contract_holds(&e, data, size))
        abort();
    /* the same bytes as a bare TIFF block (a PNG eXIf chunk) */
    int o = tf_exif_tiff_orientation(data, size);
    if (o < 1 || o > 8)
        abort();
    return 0;
}
