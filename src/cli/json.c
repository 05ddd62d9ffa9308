/* json.c - JSON values written (see json.h). */
#include <stdio.h>

#include "json.h"

/* Length of the valid UTF-8 sequence at s (1..4), or 0. */
static int utf8_len(const unsigned char *s)
{
    int n = s[0] < 0x80             ? 1
            : (s[0] & 0xe0) == 0xc0 ? 2
            : (s[0] & 0xf0) == 0xe0 ? 3
            : (s[0] & 0xf8) == 0xf0 ? 4
                                    : 0;
    if (n == 2 && s[0] < 0xc2)
        return 0; /* overlong */
    for (int i = 1; i < n; i++)
        if ((s[i] & 0xc0) != 0x80)
            return 0;
    if (n == 3 && ((s[0] == 0xe0 && s[1] < 0xa0) || (s[0] == 0xed && s[1] >= 0xa0)))
        return 0; /* overlong, or a UTF-16 surrogate */
    if (n == 4 && ((s[0] == 0xf0 && s[1] < 0x90) || s[0] > 0xf4 || (s[0] == 0xf4 && s[1] >= 0x90)))
        return 0;
    return n;
}

void json_string(FILE *f, const char *text)
{
    if (!text) {
        fputs("null", f);
        return;
    }
    fputc('"', f);
    for (const unsigned char *s = (const unsigned char *)text; *s;) {
        int n = utf8_len(s);
        if (n == 1 && (*s == '"' || *s == '\\'))
            fprintf(f, "\\%c", *s);
        else if (n == 1 && *s < 0x20)
            fprintf(f, "\\u%04x", *s);
        else if (n > 0)
            fwrite(s, 1, (size_t)n, f);
        else
            fprintf(f, "\\u%04x", *s), n = 1; /* not UTF-8: the byte as U+00XX */
        s += n;
    }
    fputc('"', f);
}

void json_int_or_null(FILE *f, const char *key, long long v, int known)
{
    if (known)
        fprintf(f, ", \"%s\": %lld", key, v);
    else
        fprintf(f, ", \"%s\": null", key);
}
