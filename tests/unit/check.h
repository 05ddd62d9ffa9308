/* check.h - the unit tests' one assertion helper.
 *
 *   CHECK(cond, fmt, ...)   prints "ok: <what>" or "FAIL: <what> (file:line)"
 *                           and counts the failure; evaluates to cond (0/1),
 *                           so `if (!CHECK(...)) continue;` works.
 *   EXPECT(cond, fmt, ...)  the same, but silent when cond holds: for loops
 *                           that end with one summary CHECK.
 *   check_done()            prints the totals; returns the exit status of
 *                           main (0 all passed, 1 otherwise).
 *
 * A message may end with "; got <actual values>": that tail is printed only
 * when the check fails, so passing lines say just what was checked.
 *
 * Each test is one translation unit, so the counters are plain statics. */
#ifndef THUMBIFY_CHECK_H
#define THUMBIFY_CHECK_H

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static int check_failed_, check_total_;

__attribute__((format(printf, 5, 6)))
static inline int check_report_(int ok, int loud, const char *file, int line,
                                const char *fmt, ...)
{
    check_total_++;
    if (ok && !loud)
        return 1;
    if (!ok)
        check_failed_++;
    char msg[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    char *got = strstr(msg, "; got ");
    if (ok && got)
        *got = '\0';
    if (ok)
        printf("ok: %s\n", msg);
    else
        printf("FAIL: %s (%s:%d)\n", msg, file, line);
    fflush(stdout); /* keep the order with stderr, and nothing buffered across fork() */
    return ok;
}

#define CHECK(cond, ...) check_report_(!!(cond), 1, __FILE__, __LINE__, __VA_ARGS__)
#define EXPECT(cond, ...) check_report_(!!(cond), 0, __FILE__, __LINE__, __VA_ARGS__)

static inline int check_done(void)
{
    printf("%s: %d of %d checks failed\n", check_failed_ ? "FAIL" : "ok",
           check_failed_, check_total_);
    fflush(stdout);
    return check_failed_ ? 1 : 0;
}

#endif
