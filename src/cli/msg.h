/* msg.h - everything thumbify says on stderr, in one format:
 * "thumbify: PATH: what failed and why". Each message is one write(2), so
 * lines from concurrent workers never interleave. */
#ifndef THUMBIFY_MSG_H
#define THUMBIFY_MSG_H

void msg_error(const char *path, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void msg_warning(const char *path, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* A line without a path, e.g. the usage error or the summary. */
void msg_line(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* While a progress line is on the terminal, every message first erases it
 * ("\r\033[K"), so that it starts a line of its own; the next redraw puts
 * the progress line back below it. Set before forking: workers inherit it. */
void msg_erase_first(int on);

#endif
