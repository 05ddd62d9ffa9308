#!/usr/bin/env bash
# What a person at a terminal sees: the progress line cut to the terminal's
# width (a real 40-column tmux pane: no line wider, no scrolling; $COLUMNS
# when stderr is a file), file names with control characters and invalid
# UTF-8 escaped as `ls -b` does on stderr, in -v lines and in the -n listing
# (and exact in the JSON report), -v lines prefixed "thumbify: " on stderr.
# Uses $TESTDATA only.
. "$(dirname "$0")/../lib.sh"

PY=$(command -v /usr/bin/python3 python3 2>/dev/null | head -1)
G=$TESTDATA/gradient_640x480.jpg

# ------------------------------------------------ progress in 40 columns
# Enough images at -p 1 for a run of most of a second: several redraws.
P=$WORK/many
copies 400 "$G" "$P" g

SOCK=thumbify-test-$$
if ! command -v tmux >/dev/null; then
    echo "note: no tmux: the 40-column terminal checks are not run"
elif ! TERM=xterm tmux -L "$SOCK" -f /dev/null new-session -d -x 40 -y 10 true 2>"$WORK/tmux.err"; then
    echo "note: tmux cannot start a session here ($(head -n 1 "$WORK/tmux.err")): the 40-column terminal checks are not run"
else
    tm() { TERM=xterm tmux -L "$SOCK" -f /dev/null "$@"; }
    trap 'tm kill-server 2>/dev/null; rm -rf "$WORK"' EXIT
    cat >"$WORK/pane.sh" <<EOF
echo TOP
env -u COLUMNS $(printf '%q ' "$THUMBIFY") -p 1 -f -o $(printf '%q' "$WORK/pout") $(printf '%q' "$P")
echo "rc=\$?"
echo END
EOF
    tm new-session -d -x 40 -y 10 "bash $(printf '%q' "$WORK/pane.sh"); sleep 600"
    # Every screen while it runs, lines joined where the terminal wrapped
    # them (-J): a wrapped progress line shows as one line over 40.
    : >"$WORK/screens"
    for ((i = 0; i < 1200 * SLOW; i++)); do
        tm capture-pane -p -J -t 0 >"$WORK/screen" 2>/dev/null || break
        cat "$WORK/screen" >>"$WORK/screens"
        grep -qx END "$WORK/screen" && break
        sleep 0.05
    done
    check "tmux: the pane is 40 columns wide" [ "$(tm display -p -t 0 '#{pane_width}')" = 40 ]
    check "tmux: the run ended (rc=0, END)" bash -c "grep -qx 'rc=0' '$WORK/screen' && grep -qx END '$WORK/screen'"
    check "tmux: the progress line was seen while it ran" grep -qE '^[0-9]+/400[, ]' "$WORK/screens"
    widest=$(awk '{ if (length($0) > w) w = length($0) } END { print w + 0 }' "$WORK/screens")
    check "tmux: no line on any screen wider than 40 columns (widest $widest)" [ "$widest" -le 40 ]
    check "tmux: the screen never scrolled (history $(tm display -p -t 0 '#{history_size}'))" \
        [ "$(tm display -p -t 0 '#{history_size}')" = 0 ]
    check "tmux: the first line is still the first line" [ "$(head -n 1 "$WORK/screen")" = TOP ]
    check "tmux: the summary on its own line, the progress line erased" \
        bash -c "grep -A3 -x TOP '$WORK/screen' | grep -qE '^400 thumbnails, 0 failed, [0-9.]+ s\$' &&
                 ! grep -qE '[0-9]+/400' '$WORK/screen'"
    check "tmux: every thumbnail complete" every_thumb_complete "$WORK/pout"
    tm kill-server 2>/dev/null
fi

# --progress=always into a file: the width is $COLUMNS. Each draw is
# "\r\033[K" and the text; the text must fit in COLUMNS - 1.
draws() {
    "$PY" - "$1" "$2" <<'EOF'
import re, sys
data = open(sys.argv[1], "rb").read()
cols = int(sys.argv[2])
texts = [t for t in re.split(rb"\r\x1b\[K", data)[1:] if t and not t.endswith(b"\n")]
wide = [t for t in texts if len(t) > cols - 1]
print("%d draws, widest %d: %s" % (len(texts), max(map(len, texts), default=0),
                                   (wide or texts or [b""])[0].decode()))
sys.exit(0 if texts and not wide else 1)
EOF
}
COLUMNS=30 run --progress=always -p 1 -f -o "$WORK/c30" "$P"
check "COLUMNS=30, stderr a file: every progress draw fits in 29 columns ($(draws "$WORK/err" 30))" \
    draws "$WORK/err" 30
check "COLUMNS=30: the compact wording (DONE/TOTAL, F failed, R/s, T left)" \
    grep -qaE $'\e\\[K[0-9]+/400, 0 failed, [0-9.]+/s, ' "$WORK/err"
COLUMNS=12 run --progress=always -p 1 -f -o "$WORK/c12" "$P"
check "COLUMNS=12: every draw cut to 11 columns ($(draws "$WORK/err" 12))" draws "$WORK/err" 12
check "COLUMNS=12: still 400 thumbnails, the summary whole" \
    grep -qaE $'(^|\e\[K)400 thumbnails, 0 failed, [0-9.]+ s$' "$WORK/err"
COLUMNS=200 run --progress=always -p 1 -f -o "$WORK/c200" "$P"
check "COLUMNS=200: the full wording (DONE/TOTAL done, F failed, R images/s, T left)" \
    grep -qaE $'\e\\[K[0-9]+/400 done, 0 failed, [0-9.]+ images/s, [^\r]* left' "$WORK/err"

# ------------------------------------------------ names with control bytes
N=$WORK/names
mkdir -p "$N"
names=($'new\nline.jpg' $'tab\there.jpg' $'esc\e[31mred.jpg' $'bad\xff\xfe.jpg' 'back\slash.jpg'
       'café.jpg')
shown=('new\nline.jpg' 'tab\there.jpg' 'esc\033[31mred.jpg' 'bad\377\376.jpg' 'back\\slash.jpg'
       'café.jpg')
for f in "${names[@]}"; do cp "$G" "$N/$f"; done
printf 'not an image' >"$N/"$'broken\nname.jpg'
head -c 3000 "$G" >"$N/"$'cut\rshort.jpg'

run -v -p 2 -o "$WORK/nout" --report "$WORK/names.json" "$N"
check "odd names: exit 1 (one file is not an image; got $rc)" [ "$rc" -eq 1 ]
check "odd names: nothing on stdout (-v lines are on stderr)" [ ! -s "$WORK/out" ]
check "odd names: stderr is 10 lines: 7 -v, 1 warning, 1 error, the summary" \
    [ "$(wc -l <"$WORK/err")" -eq 10 ]
check "odd names: the warning and the error start with 'thumbify: ', the 7 -v lines with the source's name" \
    bash -c "[ \"\$(grep -c '^thumbify: ' '$WORK/err')\" -eq 2 ] && [ \"\$(grep -c '^$N/' '$WORK/err')\" -eq 7 ] && tail -n 1 '$WORK/err' | grep -qE '^7 thumbnails, 1 failed'"
check "odd names: no control character on stderr but the newlines" \
    bash -c "! LC_ALL=C grep -q \$'[\x01-\x09\x0b-\x1f\x7f]' '$WORK/err'"
check "odd names: stderr is valid UTF-8" iconv -f UTF-8 -t UTF-8 -o /dev/null "$WORK/err"
for i in "${!names[@]}"; do
    check "-v line of ${shown[i]}: source and output escaped, on one line" \
        grep -qxF "$N/${shown[i]}: 640x480 -> 75x56 (full decode at 1/4) -> $WORK/nout/${shown[i]}" "$WORK/err"
    check "${shown[i]}: its thumbnail has the exact name and is complete" \
        complete_image "$WORK/nout/${names[i]}"
done
check "error naming broken\\nname.jpg: one line" \
    grep -qxF "thumbify: $N/broken\\nname.jpg: not a JPEG or PNG file (starts with 0x6e 0x6f)" "$WORK/err"
check "warning naming cut\\rshort.jpg: one line" \
    grep -qxF "thumbify: $N/cut\\rshort.jpg: warning: premature end of JPEG file" "$WORK/err"
if [ -n "$PY" ]; then
    check "the JSON report keeps the exact names (JSON-escaped; a byte that is not UTF-8 as \\u00XX)" \
        "$PY" - "$WORK/names.json" "$N" <<'EOF'
import json, os, sys
got = {os.path.basename(f["source"]) for f in json.load(open(sys.argv[1]))["files"]}
# report.c writes a byte that is not UTF-8 as the code point U+00XX
want = {os.fsencode(n).decode("utf-8", "surrogateescape") for n in os.listdir(sys.argv[2])}
want = {"".join(chr(ord(c) - 0xdc00) if 0xdc80 <= ord(c) <= 0xdcff else c for c in n)
        for n in want}
print("  report:", sorted(got))
sys.exit(got != want)
EOF
fi

run -n -o "$WORK/dry" "$N"
check "-n with odd names: one line per file on stdout (8)" [ "$(wc -l <"$WORK/out")" -eq 8 ]
for i in "${!names[@]}"; do
    check "-n lists ${shown[i]} escaped" \
        grep -qxF "would make: $N/${shown[i]} -> $WORK/dry/${shown[i]}" "$WORK/out"
done

# A directory operand that does not exist, its name escaped.
run $'/nonexistent/a\nb'
check "a missing operand with a newline: one line naming it" \
    grep -qxF 'thumbify: /nonexistent/a\nb: cannot access: No such file or directory' "$WORK/err"

finish
