/* outname.c - input names and output names. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "outname.h"

/* The extension of the last path component, or NULL ("x.", ".hidden" and
 * "dir.d/x" have none). */
static const char *extension(const char *path)
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    const char *dot = strrchr(base, '.');
    return dot && dot != base && dot[1] ? dot : NULL;
}

tf_format outname_kind(const char *name)
{
    static const char *const jpeg[] = {".jpg", ".jpeg", ".jpe", ".jfif"};
    const char *ext = extension(name);
    if (!ext)
        return TF_FORMAT_SAME;
    for (size_t i = 0; i < sizeof jpeg / sizeof *jpeg; i++)
        if (strcasecmp(ext, jpeg[i]) == 0)
            return TF_FORMAT_JPEG;
    return strcasecmp(ext, ".png") == 0 ? TF_FORMAT_PNG : TF_FORMAT_SAME;
}

int outname_fix(char *buf, size_t cap, const char *path, tf_format fmt)
{
    const char *ext = extension(path);
    size_t keep = strlen(path);
    const char *add = "";
    if (fmt != TF_FORMAT_SAME && outname_kind(path) != fmt) {
        keep = ext ? (size_t)(ext - path) : keep;
        add = tf_format_ext(fmt);
    }
    int n = snprintf(buf, cap, "%.*s%s%s", (int)keep, path, *add ? "." : "", add);
    return n >= 0 && (size_t)n < cap ? 0 : -1;
}

/* Why the name and not the bytes: sniffing each file's magic number while
 * planning would read every source in the parent, serially, before any
 * worker starts (a cold or network file system pays a round trip per
 * file), and the bytes could change before the worker reads them. The
 * name costs nothing, and the same name always gives the same output:
 * PNG bytes in x.jpg make a JPEG x.jpg, never an x.png that another
 * source may also claim. */
tf_format outname_format(const char *out, tf_format asked)
{
    return asked != TF_FORMAT_SAME ? asked : outname_kind(out);
}

/* One escape's text into buf (at least 16 bytes); *len its length. */
static const char *escape(char c, const char *src, tf_format asked, int w, int h, char *buf,
                          size_t *len)
{
    const char *base = strrchr(src, '/'), *ext;
    base = base ? base + 1 : src;
    switch (c) {
    case 's':
        ext = extension(base);
        *len = ext ? (size_t)(ext - base) : strlen(base);
        return base;
    case 'e':
        if (asked == TF_FORMAT_SAME)
            asked = outname_kind(base);
        ext = tf_format_ext(asked);
        *len = strlen(ext);
        return ext;
    case 'w':
    case 'h': *len = (size_t)snprintf(buf, 16, "%d", c == 'w' ? w : h); return buf;
    }
    *len = 1; /* %% */
    return "%";
}

char *outname_expand(const char *tmpl, const char *src, tf_format asked, int w, int h)
{
    size_t cap = strlen(tmpl) + 1, n = 0, len;
    for (const char *t = strchr(tmpl, '%'); t; t = strchr(t + 2, '%'))
        cap += strlen(src) + 16; /* enough for any escape */
    char *out = malloc(cap), num[16];
    for (const char *t = tmpl; out && *t; t++) {
        const char *piece = t;
        len = 1;
        if (*t == '%')
            piece = escape(*++t, src, asked, w, h, num, &len);
        memcpy(out + n, piece, len);
        n += len;
    }
    if (out)
        out[n] = '\0';
    return out;
}

int outname_has_size(const char *tmpl)
{
    for (const char *t = strchr(tmpl, '%'); t; t = strchr(t + 2, '%'))
        if (t[1] == 'w' || t[1] == 'h')
            return 1;
    return 0;
}

char *outname_join(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    int slash = la > 0 && a[la - 1] != '/' && lb > 0;
    char *p = malloc(la + (size_t)slash + lb + 1);
    if (p) {
        memcpy(p, a, la);
        p[la] = '/';
        memcpy(p + la + (size_t)slash, b, lb + 1);
    }
    return p;
}

char *outname_in(const char *dir, const char *src, tf_format fmt)
{
    const char *slash = strrchr(src, '/');
    const char *name = slash ? slash + 1 : src;
    size_t cap = strlen(dir) + strlen(name) + 8;
    char *plain = outname_join(dir, name), *out = malloc(cap);
    if (plain && out) {
        if (outname_fix(out, cap, plain, fmt) != 0) {
            free(out);
            out = NULL;
        }
    } else {
        free(out);
        out = NULL;
    }
    free(plain);
    return out;
}

char *outname_sized_dir(const char *path, size_t root, int w, int h)
{
    size_t len = strlen(path);
    int slash = root > 0 && path[root - 1] == '/';
    char *p = malloc(len + 32);
    if (p)
        snprintf(p, len + 32, "%.*s%s%dx%d%s%s", (int)root, path, slash ? "" : "/", w, h,
                 slash && root < len ? "/" : "", path + root);
    return p;
}

char *outname_thumbs_dir(const char *dir)
{
    return outname_join(dir, "thumbs");
}
