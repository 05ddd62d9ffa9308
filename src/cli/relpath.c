/* relpath.c - lexical path arithmetic for --files-from under -o DIR. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "relpath.h"

/* Appends component name (len bytes) to the normal path in out (length
 * *n): "." is nothing, ".." removes the last component. */
static void push_component(char *out, size_t *n, const char *name, size_t len)
{
    if (len == 0 || (len == 1 && name[0] == '.'))
        return;
    if (len == 2 && name[0] == '.' && name[1] == '.') {
        while (*n > 0 && out[*n - 1] != '/')
            (*n)--;
        if (*n > 1) /* "/a/" -> "/a" -> "/"; "/" stays */
            (*n)--;
        out[*n] = '\0';
        return;
    }
    if (*n > 1)
        out[(*n)++] = '/';
    memcpy(out + *n, name, len);
    *n += len;
    out[*n] = '\0';
}

/* Every component of s pushed onto out. */
static void push_all(char *out, size_t *n, const char *s)
{
    while (*s) {
        size_t len = strcspn(s, "/");
        push_component(out, n, s, len);
        s += len;
        s += *s == '/';
    }
}

char *relpath_normal(const char *path, const char *cwd)
{
    int rel = path[0] != '/';
    char *out = malloc((rel ? strlen(cwd) + 1 : 0) + strlen(path) + 2);
    size_t n = 1;
    if (!out)
        return NULL;
    strcpy(out, "/");
    if (rel)
        push_all(out, &n, cwd);
    push_all(out, &n, path);
    return out;
}

char *relpath_cwd(void)
{
    const char *pwd = getenv("PWD");
    struct stat a, b;
    if (pwd && pwd[0] == '/' && stat(pwd, &a) == 0 && stat(".", &b) == 0 && a.st_dev == b.st_dev &&
        a.st_ino == b.st_ino)
        return strdup(pwd);
    return getcwd(NULL, 0);
}

const char *relpath_below(const char *path, const char *base)
{
    size_t n = strlen(base);
    if (n == 1) /* base "/": everything but "/" itself is below */
        return path[1] ? path + 1 : NULL;
    if (strncmp(path, base, n) != 0 || path[n] != '/' || !path[n + 1])
        return NULL;
    return path + n + 1;
}
