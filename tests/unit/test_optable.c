/* test_optable.c - options.c's table against the man page's OPTIONS section
 * and docs/usage.md's Options table: each option of the table is documented
 * in both (with its short letter), and neither documents a long option the
 * table lacks, so that the three cannot drift apart. argv[1] is testdata/,
 * beside src/ and docs/. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "options.h"

#define MAXNAMES 64
#define NAMELEN 32

/* The long options a document names, each once. */
typedef struct {
    char name[MAXNAMES][NAMELEN];
    int n;
} names;

static void add_name(names *s, const char *name, size_t len)
{
    if (len == 0 || len >= NAMELEN)
        return;
    for (int i = 0; i < s->n; i++)
        if (strlen(s->name[i]) == len && strncmp(s->name[i], name, len) == 0)
            return;
    if (s->n < MAXNAMES) {
        memcpy(s->name[s->n], name, len);
        s->name[s->n++][len] = '\0';
    }
}

static int has_name(const names *s, const char *name)
{
    for (int i = 0; i < s->n; i++)
        if (strcmp(s->name[i], name) == 0)
            return 1;
    return 0;
}

/* The whole file, NUL-terminated, or NULL. */
static char *slurp(const char *dir, const char *rel)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/../%s", dir, rel);
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 1 << 16, n = 0, got;
    char *buf = malloc(cap);
    while (buf && (got = fread(buf + n, 1, cap - 1 - n, f)) > 0)
        if ((n += got) == cap - 1)
            buf = realloc(buf, cap *= 2);
    fclose(f);
    if (buf)
        buf[n] = '\0';
    return buf;
}

/* From the line that is heading to the next line starting with next_prefix
 * (cut there), or NULL when heading is not a line of text. */
static char *section(char *text, const char *heading, const char *next_prefix)
{
    char *s = strstr(text, heading);
    if (!s)
        return NULL;
    s += strlen(heading);
    char *end = strstr(s, next_prefix);
    if (end)
        *end = '\0';
    return s;
}

/* The man page's option items: the line after each .TP. A long option is
 * roff-escaped there, "\-\-dry\-run". */
static void man_items(char *sec, names *out, char lines[][256], int *nlines)
{
    for (char *tp = strstr(sec, "\n.TP\n"); tp; tp = strstr(tp + 1, "\n.TP\n")) {
        const char *line = tp + 5;
        size_t len = strcspn(line, "\n");
        if (*nlines < MAXNAMES)
            snprintf(lines[(*nlines)++], 256, "%.*s", (int)len, line);
        for (const char *p = strstr(line, "\\-\\-"); p && p < line + len;
             p = strstr(p + 1, "\\-\\-")) {
            char name[NAMELEN];
            size_t n = 0;
            for (const char *q = p + 4; n < NAMELEN - 1;)
                if ((*q >= 'a' && *q <= 'z') || (*q >= '0' && *q <= '9'))
                    name[n++] = *q++;
                else if (q[0] == '\\' && q[1] == '-')
                    name[n++] = '-', q += 2;
                else
                    break;
            add_name(out, name, n);
        }
    }
}

/* usage.md's Options table: the first cell of each row, "`-s, --size WxH`". */
static void usage_cells(char *sec, names *out, char lines[][256], int *nlines)
{
    for (char *row = strstr(sec, "\n| `"); row; row = strstr(row + 1, "\n| `")) {
        const char *cell = row + 3;
        const char *end = strstr(cell, " | ");
        if (!end)
            continue;
        if (*nlines < MAXNAMES)
            snprintf(lines[(*nlines)++], 256, "%.*s", (int)(end - cell), cell);
        for (const char *p = strstr(cell, "--"); p && p < end; p = strstr(p + 1, "--")) {
            size_t n = strspn(p + 2, "abcdefghijklmnopqrstuvwxyz0123456789-");
            add_name(out, p + 2, n);
            p += n;
        }
    }
}

/* Whether one of the lines names --NAME with the short letter first:
 * "\-X, " then "\-\-NAME" (roff) or "`-X, --NAME" (markdown). */
static int letter_paired(char lines[][256], int nlines, int letter, const char *name, int roff)
{
    char pair[160], esc[2 * NAMELEN];
    size_t k = 0;
    for (const char *c = name; *c && k < sizeof esc - 2; c++) {
        if (*c == '-' && roff)
            esc[k++] = '\\';
        esc[k++] = *c;
    }
    esc[k] = '\0';
    if (roff)
        snprintf(pair, sizeof pair, ".BR \\-%c \", \" \\-\\-%s", letter, esc);
    else
        snprintf(pair, sizeof pair, "-%c, --%s", letter, name);
    for (int i = 0; i < nlines; i++)
        if (strstr(lines[i], pair))
            return 1;
    return 0;
}

/* The table's options all in doc, with their letters; doc's all in the table. */
static void compare(const char *what, const names *doc, char lines[][256], int nlines, int roff)
{
    size_t n;
    const options_entry *t = options_table(&n);
    char missing[1024] = "", unpaired[1024] = "", extra[1024] = "";
    names table = {0};
    for (size_t i = 0; i < n; i++) {
        add_name(&table, t[i].name, strlen(t[i].name));
        if (!has_name(doc, t[i].name))
            snprintf(missing + strlen(missing), sizeof missing - strlen(missing), " --%s",
                     t[i].name);
        else if (t[i].val < 256 && !letter_paired(lines, nlines, t[i].val, t[i].name, roff))
            snprintf(unpaired + strlen(unpaired), sizeof unpaired - strlen(unpaired), " -%c/--%s",
                     t[i].val, t[i].name);
    }
    for (int i = 0; i < doc->n; i++)
        if (!has_name(&table, doc->name[i]))
            snprintf(extra + strlen(extra), sizeof extra - strlen(extra), " --%s", doc->name[i]);
    CHECK(!*missing, "%s documents each of the table's %zu options; got missing:%s", what, n,
          missing);
    CHECK(!*unpaired, "%s gives each option's short letter as the table has it; got not:%s", what,
          unpaired);
    CHECK(!*extra, "%s documents no long option the table lacks; got extra:%s", what, extra);
}

/* The table itself: names once, letters once, and each option reaches
 * getopt (options_long) as the table has it. */
static void table_itself(void)
{
    size_t n;
    const options_entry *t = options_table(&n);
    int ok = n > 0;
    for (size_t i = 0; i < n; i++) {
        const struct option *lo = options_long(t[i].name);
        ok &= EXPECT(lo && lo->has_arg == t[i].has_arg && lo->val == t[i].val &&
                         (t[i].has_arg == no_argument) == !t[i].arg,
                     "--%s: getopt's entry as the table's, a value name iff a value", t[i].name);
        for (size_t j = 0; j < i; j++)
            ok &= EXPECT(strcmp(t[i].name, t[j].name) != 0 && t[i].val != t[j].val,
                         "--%s and --%s: names and letters differ", t[i].name, t[j].name);
        ok &= EXPECT(strstr(options_help(), t[i].name) != NULL, "--%s in --help", t[i].name);
    }
    CHECK(ok, "the table's %zu options: each once, each in getopt's array and --help", n);
}

int main(int argc, char **argv)
{
    const char *testdata = argc > 1 ? argv[1] : "testdata";
    static char lines[MAXNAMES][256];
    int nlines = 0;
    table_itself();

    char *man = slurp(testdata, "src/cli/thumbify.1");
    char *man_sec = man ? section(man, "\n.SH OPTIONS\n", "\n.SH ") : NULL;
    if (CHECK(man_sec, "src/cli/thumbify.1 has an OPTIONS section")) {
        names doc = {0};
        man_items(man_sec, &doc, lines, &nlines);
        compare("the man page's OPTIONS (.TP items)", &doc, lines, nlines, 1);
    }

    char *usage = slurp(testdata, "docs/usage.md");
    char *usage_sec = usage ? section(usage, "\n## Options\n", "\n## ") : NULL;
    if (CHECK(usage_sec, "docs/usage.md has an Options section")) {
        names doc = {0};
        nlines = 0;
        usage_cells(usage_sec, &doc, lines, &nlines);
        compare("docs/usage.md's Options table", &doc, lines, nlines, 0);
    }
    free(man);
    free(usage);
    return check_done();
}
