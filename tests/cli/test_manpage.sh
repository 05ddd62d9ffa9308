#!/usr/bin/env bash
# The man page, src/cli/thumbify.1: it renders with man (or groff) without a
# warning, has the usual sections, names the version of the binary, and it
# and `thumbify --help` document the same options: every long option of
# --help is in the page, every option of the page's OPTIONS section is in
# --help, with the same short letters. The option checks read the page's
# source and need no man; without man and groff the rendering checks are
# skipped, and so is the test (77) when everything else passed.
. "$(dirname "$0")/../lib.sh"

page=$SRCDIR/src/cli/thumbify.1
[ -f "$page" ] || { echo "FAIL: no man page at $page"; exit 1; }

# --- rendering ---------------------------------------------------------------
rendered=""
if command -v man >/dev/null; then
    MANWIDTH=80 man --warnings -l "$page" >"$WORK/page.txt" 2>"$WORK/page.err"
    rc=$?
    rendered="man -l"
elif command -v groff >/dev/null; then
    groff -man -Tutf8 -ww "$page" >"$WORK/page.txt" 2>"$WORK/page.err"
    rc=$?
    rendered="groff -man"
fi
if [ -n "$rendered" ]; then
    check "$rendered renders the page (exit $rc)" [ "$rc" -eq 0 ]
    check "without a warning${rendered:+ from $rendered}" [ ! -s "$WORK/page.err" ]
    [ -s "$WORK/page.err" ] && cat "$WORK/page.err"
    check "the rendered page is headed THUMBIFY(1)" grep -q '^THUMBIFY(1)' "$WORK/page.txt"
    if command -v lexgrog >/dev/null; then
        check "its NAME line is what whatis/apropos will show (lexgrog)" \
            grep -q ': "thumbify - ' < <(lexgrog "$page" 2>&1)
    fi
else
    echo "skipped: rendering: neither man nor groff is installed"
fi

# --- structure -------------------------------------------------------------------
# The source with groff's escapes for a minus and for fonts taken out, and
# without comments: "\-\-size \fIN\fR" reads "--size N".
sed -e '/^\.\\"/d' -e 's/\\-/-/g' -e 's/\\f[BIRP]//g' -e 's/\\f\[[A-Z]*\]//g' \
    -e 's/\\(em/-/g' -e 's/\\c$//' "$page" >"$WORK/page.src"
missing=""
for s in NAME SYNOPSIS DESCRIPTION OPTIONS "EXIT STATUS" EXAMPLES FILES SIGNALS "SEE ALSO"; do
    grep -qE "^\.SH \"?$s\"?\$" "$WORK/page.src" || missing="$missing '$s'"
done
check "sections NAME SYNOPSIS DESCRIPTION OPTIONS EXIT STATUS EXAMPLES FILES SIGNALS SEE ALSO${missing:+ (missing:$missing)}" [ -z "$missing" ]
version=$("$THUMBIFY" --version)
check "its .TH line names the binary's version ($version)" \
    grep -qF "\"$version\"" < <(grep '^\.TH ' "$WORK/page.src")

# --- the options: --help against the page ------------------------------------------
"$THUMBIFY" --help >"$WORK/help" 2>"$WORK/help.err"
rc=$?
check "thumbify --help exits 0 (got $rc)" [ "$rc" -eq 0 ]
grep -oE -- '--[a-z0-9-]+' "$WORK/help" | sort -u >"$WORK/help.long"
# "-p, --procs" pairs, as "-p --procs".
grep -oE -- '(^|[[:space:]])-[[:alnum:]], --[a-z0-9-]+' "$WORK/help" |
    sed -E 's/^[[:space:]]*//; s/,//' | sort -u >"$WORK/help.pairs"

# The tags of the OPTIONS section: the line after each .TP, up to the next
# .SH; quotes and the spaces around commas taken out (.BR -p ", " --procs).
awk '/^\.SH / { in_opts = ($0 ~ /^\.SH "?OPTIONS"?$/) }
     in_opts && tag { print; tag = 0; next }
     in_opts && /^\.TP/ { tag = 1 }' "$WORK/page.src" |
    sed -E 's/"//g; s/[[:space:]]*,[[:space:]]*/, /g' >"$WORK/page.tags"
grep -oE -- '--[a-z0-9-]+' "$WORK/page.tags" | sort -u >"$WORK/page.long"
grep -oE -- '(^|[[:space:]])-[[:alnum:]], --[a-z0-9-]+' "$WORK/page.tags" |
    sed -E 's/^[[:space:]]*//; s/,//' | sort -u >"$WORK/page.pairs"
check "the page's OPTIONS section documents options ($(wc -l <"$WORK/page.long") long ones)" \
    [ -s "$WORK/page.long" ]

# Every long option of --help is in the page (anywhere but in a comment).
grep -oE -- '--[a-z0-9-]+' "$WORK/page.src" | sort -u >"$WORK/page.all"
not_in_page=$(comm -23 "$WORK/help.long" "$WORK/page.all" | tr '\n' ' ')
check "every long option of --help is in the man page${not_in_page:+ (not: $not_in_page)}" \
    [ -z "$not_in_page" ]
# Every option of the page's OPTIONS section is in --help.
not_in_help=$(comm -23 "$WORK/page.long" "$WORK/help.long" | tr '\n' ' ')
check "every option of the man page's OPTIONS section is in --help${not_in_help:+ (not: $not_in_help)}" \
    [ -z "$not_in_help" ]
# Short letters: a pair in one is the same pair in the other, for the long
# options that both have.
both=$(comm -12 "$WORK/help.long" "$WORK/page.long")
differ=""
for long in $both; do
    h=$(awk -v l="$long" '$2 == l { print $1 }' "$WORK/help.pairs")
    p=$(awk -v l="$long" '$2 == l { print $1 }' "$WORK/page.pairs")
    [ "$h" = "$p" ] || differ="$differ $long (help: ${h:-none}, page: ${p:-none})"
done
check "short options agree between --help and the page${differ:+ (not:$differ)}" [ -z "$differ" ]

if [ -z "$rendered" ] && [ "$failures" -eq 0 ]; then
    echo "$checks passed; rendering skipped: neither man nor groff is installed"
    exit 77
fi
finish
