/* testhook.h - test-only hooks, compiled only with -DTHUMBIFY_TESTING=ON;
 * in any other build they do nothing and read no environment. They let
 * the tests stop a process at a chosen point, to act on the file system
 * while it waits, and choose a code path the machine would not. */
#ifndef THUMBIFY_TESTHOOK_H
#define THUMBIFY_TESTHOOK_H

#include <signal.h>
#include <stdlib.h>
#include <string.h>

#ifdef THUMBIFY_TESTING
/* Whether $var is set and path contains it. */
static inline int testhook_match(const char *var, const char *path)
{
    const char *pattern = getenv(var);
    return pattern && *pattern && strstr(path, pattern);
}

/* Stops this process (SIGSTOP, until a SIGCONT) when $var is set and path
 * contains it. */
static inline void testhook_stop(const char *var, const char *path)
{
    if (testhook_match(var, path))
        raise(SIGSTOP);
}

/* Whether $var is set to value. */
static inline int testhook_is(const char *var, const char *value)
{
    const char *v = getenv(var);
    return v && strcmp(v, value) == 0;
}
#else
/* Macros, not empty functions: at -O0 the variable names would otherwise
 * stay in the binary as string literals (test_install checks there are
 * none). */
#define testhook_match(var, path) ((void)(path), 0)
#define testhook_stop(var, path) ((void)(path))
#define testhook_is(var, value) 0
#endif

#endif
