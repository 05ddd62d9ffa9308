/* msg.h - everything thumbify says on stderr, in one format:
 * "thumbify: PATH: what failed and why". Each message is one write(2), so
 * lines from concurrent workers never interleave.
 *
 * Every message is one line whatever the file names in it: the whole line
 * goes through msg_escape before it is written (the texts of the messages
 * themselves hold no control characters or backslashes, so in effect only
 * the names change). */
#ifndef THUMBIFY_MSG_H
#define THUMBIFY_MSG_H

#include <stddef.h>

void msg_error(const char *path, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void msg_warning(const char *path, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* A line without a path, e.g. the usage error or the summary. */
void msg_line(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* While a progress line is on the terminal, every message first erases it
 * ("\r\033[K"), so that it starts a line of its own; the next redraw puts
 * the progress line back below it. Set before forking: workers inherit it. */
void msg_erase_first(int on);

/* The one rule for showing a file name on a terminal or in a line of text,
 * as `ls -b` (--quoting-style=escape) does, so that every name is one line
 * of printable text and the original bytes can be read back from it:
 *   a backslash             \\  (doubled)
 *   BEL BS TAB LF VT FF CR  \a \b \t \n \v \f \r
 *   any other byte < 0x20, DEL, each byte of a C1 control (U+0080..U+009F)
 *   and each byte that is not part of a valid UTF-8 sequence
 *                           \ooo (three octal digits: ESC is \033)
 *   everything else, spaces and valid non-ASCII UTF-8 included, as it is.
 * Writes the escaped src into dst (cap >= 1 bytes), always NUL-terminated,
 * cut before an escape or a UTF-8 sequence that would not fit whole; 4 *
 * strlen(src) + 1 bytes always suffice. Returns dst. */
char *msg_escape(char *dst, size_t cap, const char *src);

#endif
