/* fuzz_exif.c - libFuzzer target for tf_exif_parse: the input is taken as
 * an APP1 payload as is. The parser's contract is checked here too, so a
 * wrong thumbnail span fails even where the sanitizer would not see it.
 *
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -Isrc/core \
 *       tests/fuzz/fuzz_exif.c src/core/exif.c -o fuzz_exif */
#include <stdint.h>
#include <stdlib.h>

#include "exif.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    tf_exif e;
    tf_exif_parse(data, size, &e);
    if (e.orientation < 1 || e.orientation > 8)
        abort();
    if (e.thumb_len == 0 ? e.thumb_offset != 0
                         : e.thumb_offset > size || e.thumb_len > size - e.thumb_offset ||
                               e.thumb_len < 2 || data[e.thumb_offset] != 0xFF ||
                               data[e.thumb_offset + 1] != 0xD8)
        abort();
    return 0;
}
