/* test_msg.c - msg_escape, the one rule for showing a file name, byte by
 * byte; and that a message naming such a file is one line on stderr. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "msg.h"

static void escapes(void)
{
    static const struct {
        const char *in, *want, *what;
    } t[] = {
        {"plain name.jpg", "plain name.jpg", "printable ASCII and spaces as they are"},
        {"new\nline", "new\\nline", "newline"},
        {"tab\there", "tab\\there", "tab"},
        {"\a\b\v\f\r", "\\a\\b\\v\\f\\r", "BEL BS VT FF CR"},
        {"esc\033[31m", "esc\\033[31m", "ESC in octal"},
        {"\001\037\177", "\\001\\037\\177", "other C0 controls and DEL"},
        {"back\\slash", "back\\\\slash", "a backslash doubled"},
        {"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x93\xb7", "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x93\xb7",
         "valid 2-, 3- and 4-byte UTF-8 as it is"},
        {"bad\xff\xfe", "bad\\377\\376", "bytes that are never UTF-8"},
        {"\x80x", "\\200x", "a lone continuation byte"},
        {"\xc3(", "\\303(", "a lead byte without its continuation"},
        {"\xe2\x82", "\\342\\202", "a sequence cut short by the end"},
        {"\xc0\xaf", "\\300\\257", "an overlong '/'"},
        {"\xe0\x80\xaf", "\\340\\200\\257", "an overlong 3-byte form"},
        {"\xed\xa0\x80", "\\355\\240\\200", "a UTF-16 surrogate"},
        {"\xf4\x90\x80\x80", "\\364\\220\\200\\200", "beyond U+10FFFF"},
        {"\xc2\x9b" "1m", "\\302\\2331m", "a C1 control (CSI, U+009B)"},
        {"\xc2\xa0", "\xc2\xa0", "U+00A0, just past the C1 controls, as it is"},
    };
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
        char out[64];
        msg_escape(out, sizeof out, t[i].in);
        CHECK(strcmp(out, t[i].want) == 0, "msg_escape: %s; got \"%s\"", t[i].what, out);
    }
}

/* Cut to the buffer before an escape or a UTF-8 sequence that would not
 * fit whole; never a half escape, always terminated. */
static void cut_whole(void)
{
    char out[6];
    memset(out, 'X', sizeof out);
    msg_escape(out, sizeof out, "ab\ncd");
    CHECK(strcmp(out, "ab\\nc") == 0, "6 bytes: \"ab\\\\nc\"; got \"%s\"", out);
    msg_escape(out, 5, "abc\033");
    CHECK(strcmp(out, "abc") == 0, "an escape that does not fit is left out whole; got \"%s\"",
          out);
    msg_escape(out, 4, "ab\xc3\xa9");
    CHECK(strcmp(out, "ab") == 0, "a UTF-8 character that does not fit is left out whole; "
          "got \"%s\"", out);
    msg_escape(out, 1, "abc");
    CHECK(out[0] == '\0', "1 byte: the empty string");
    char big[4 * 5 + 1];
    msg_escape(big, sizeof big, "\001\002\003\004\377");
    CHECK(strcmp(big, "\\001\\002\\003\\004\\377") == 0,
          "4 * strlen + 1 bytes hold the worst case; got \"%s\"", big);
}

/* msg_error and msg_warning with a hostile name: one line, prefixed. */
static void one_line(void)
{
    char path[] = "/tmp/thumbify-msg.XXXXXX";
    int fd = mkstemp(path), saved = dup(STDERR_FILENO);
    if (!CHECK(fd >= 0 && saved >= 0, "a temporary file for stderr"))
        return;
    dup2(fd, STDERR_FILENO);
    msg_error("a\nb\033.jpg", "cannot open: %s", "No such file");
    msg_warning("c\rd.jpg", "premature end of %s", "JPEG file");
    dup2(saved, STDERR_FILENO);
    close(saved);
    char buf[256] = "";
    ssize_t n = pread(fd, buf, sizeof buf - 1, 0);
    buf[n > 0 ? n : 0] = '\0';
    close(fd);
    unlink(path);
    CHECK(strcmp(buf, "thumbify: a\\nb\\033.jpg: cannot open: No such file\n"
                      "thumbify: c\\rd.jpg: warning: premature end of JPEG file\n") == 0,
          "msg_error, msg_warning: one line each, the name escaped; got \"%s\"", buf);
}

int main(void)
{
    escapes();
    cut_whole();
    one_line();
    return check_done();
}
