/* example.c - thumbify's image core from a program of your own: reads the
 * JPEG or PNG file IN, writes its 75x75-fitting thumbnail to OUT and prints
 * "W H BYTES". Build it against the installed library with
 *
 *   cc -o example example.c $(pkg-config --cflags --libs thumbify)
 *
 * (libthumbify.so.0), or with CMake: find_package(thumbify CONFIG REQUIRED)
 * and target_link_libraries(example PRIVATE thumbify::thumbify), or
 * thumbify::thumbify_static for libthumbify.a (which brings in libjpeg,
 * libpng and LittleCMS; `pkg-config --static --libs thumbify` lists them).
 * tests/cli/test_install.sh builds and runs it each of these ways. */
#include <stdio.h>
#include <stdlib.h>

#include <thumbify.h>

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: example IN OUT\n");
        return 2;
    }
    FILE *f = fopen(argv[1], "rb");
    if (!f) {
        perror(argv[1]);
        return 1;
    }
    size_t cap = 1 << 16, len = 0, n;
    unsigned char *buf = malloc(cap);
    while (buf && (n = fread(buf + len, 1, cap - len, f)) > 0) {
        len += n;
        if (len == cap) {
            unsigned char *b = realloc(buf, cap *= 2);
            if (!b)
                free(buf);
            buf = b;
        }
    }
    fclose(f);
    if (!buf)
        return 1;

    tf_ctx *ctx = tf_new();
    tf_params params;
    tf_result res;
    tf_params_default(&params);
    tf_status st = ctx ? tf_thumbnail(ctx, buf, len, &params, &res) : TF_E_NOMEM;
    if (st != TF_OK) {
        fprintf(stderr, "%s: %s: %s\n", argv[1], tf_status_str(st), ctx ? tf_message(ctx) : "");
        return 1;
    }
    FILE *o = fopen(argv[2], "wb");
    if (!o || fwrite(res.data, 1, res.size, o) != res.size || fclose(o) != 0) {
        perror(argv[2]);
        return 1;
    }
    printf("%d %d %zu\n", res.out_w, res.out_h, res.size);
    tf_free(ctx);
    free(buf);
    return 0;
}
