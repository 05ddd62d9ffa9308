#!/usr/bin/env bash
# The examples of docs/pipelines.md, run as written: the Makefile (several
# WebP widths, --name, --prune, --report) with make, and the static-site
# step that writes <img srcset> from the report. Each block is taken from
# the document by its <!-- example: NAME --> marker, so the documented text
# is what is tested.
. "$(dirname "$0")/../lib.sh"

command -v make >/dev/null || skip "make is not installed"
command -v python3 >/dev/null || skip "python3 is not installed"
DOC=$SRCDIR/docs/pipelines.md

# example NAME: the fenced block after <!-- example: NAME --> in $DOC.
example() {
    awk -v m="<!-- example: $1 -->" '
        $0 == m { found = 1; next }
        found && /^```/ { if (inside) exit; inside = 1; next }
        inside { print }' "$DOC"
}
# webp_dims FILE: "WxH" from the VP8X canvas thumbify writes.
webp_dims() {
    local b
    read -r -a b <<<"$(od -An -tu1 -j24 -N6 "$1")"
    echo "$((b[0] + b[1] * 256 + b[2] * 65536 + 1))x$((b[3] + b[4] * 256 + b[5] * 65536 + 1))"
}
mtime() { stat -c %.9Y "$1"; }

S=$WORK/site
mkdir -p "$S/assets/a" "$S/assets/b" "$S/bin"
cp "$TESTDATA/gradient_640x480.jpg" "$S/assets/a/x.jpg"
cp "$TESTDATA/portrait_480x640.jpg" "$S/assets/b/y.jpg"
cp "$TESTDATA/small_50x40.jpg" "$S/assets/b/z.jpg"
ln -s "$THUMBIFY" "$S/bin/thumbify" # the Makefile runs thumbify from PATH
example makefile >"$S/Makefile"
check "the Makefile example is in the document (a rule with a tab)" grep -qP '^\tthumbify ' "$S/Makefile"

PATH=$S/bin:$PATH make -C "$S" >"$WORK/out" 2>"$WORK/err"; rc=$?
sed 's/^/  make: /' "$WORK/err" | head -5
T=$S/build/thumbs
check "make: exit 0 (got $rc)" [ "$rc" -eq 0 ]
check "x.jpg 640x480: 320x240 and 640x480 WebP, named by width" \
    eval '[ "$(webp_dims "$T/320x320/a/x-320.webp")" = 320x240 ] &&
          [ "$(webp_dims "$T/640x640/a/x-640.webp")" = 640x480 ]'
check "y.jpg 480x640: 240x320 and 480x640" \
    eval '[ "$(webp_dims "$T/320x320/b/y-240.webp")" = 240x320 ] &&
          [ "$(webp_dims "$T/640x640/b/y-480.webp")" = 480x640 ]'
check "z.jpg 50x40: 50x40 in both (never enlarged)" \
    eval '[ "$(webp_dims "$T/320x320/b/z-50.webp")" = 50x40 ] && [ -s "$T/640x640/b/z-50.webp" ]'
check "the report lists the 6 thumbnails" [ "$(grep -c '"output": "build/thumbs/' "$S/build/thumbs.json")" -eq 6 ]

# the static-site step, as documented
example site >"$S/site.sh"
(cd "$S" && bash "$S/site.sh") >"$WORK/out" 2>"$WORK/err"; rc=$?
G=$S/build/gallery.html
check "site step: exit 0 (got $rc; $(head -1 "$WORK/err"))" [ "$rc" -eq 0 ]
check "gallery: one <img> per photo (3)" [ "$(grep -c '^<img ' "$G" 2>/dev/null)" -eq 3 ]
check "gallery: x.jpg's <img> has the small file's real size and both widths in srcset" grep -qF \
    '<img src="build/thumbs/320x320/a/x-320.webp" width="320" height="240" srcset="build/thumbs/320x320/a/x-320.webp 320w, build/thumbs/640x640/a/x-640.webp 640w" alt="">' "$G"
check "gallery: y.jpg's is 240x320" grep -qF 'src="build/thumbs/320x320/b/y-240.webp" width="240" height="320"' "$G"

# nothing changed: make does nothing
PATH=$S/bin:$PATH make -C "$S" >"$WORK/out" 2>&1; rc=$?
check "make again: exit 0, nothing to do (got $rc: $(grep -m1 'up to date' "$WORK/out"))" \
    eval '[ "$rc" -eq 0 ] && grep -q "is up to date" "$WORK/out"'

# photos deleted (nothing else touched): make sees their directory change,
# their thumbnails and the directories they leave go
rm "$S/assets/b/y.jpg" "$S/assets/b/z.jpg"
PATH=$S/bin:$PATH make -C "$S" >"$WORK/out" 2>&1; rc=$?
check "y.jpg and z.jpg deleted: make runs thumbify and exits 0 (got $rc)" \
    eval '[ "$rc" -eq 0 ] && grep -q "thumbify -q -r assets" "$WORK/out"'
check "  their 4 thumbnails are removed, and the emptied b/ directories" \
    eval '[ ! -e "$T/320x320/b" ] && [ ! -e "$T/640x640/b" ]'
check "  x.jpg's stay" eval '[ -s "$T/320x320/a/x-320.webp" ] && [ -s "$T/640x640/a/x-640.webp" ]'
check "  the report lists 2 thumbnails and the 4 removed" \
    eval '[ "$(grep -c "\"output\": \"build/thumbs/" "$S/build/thumbs.json")" -eq 2 ] &&
          python3 -c "import json,sys; sys.exit(len(json.load(open(\"$S/build/thumbs.json\"))[\"removed\"]) != 4)"'

# a touched photo is redone, but the report, saying the same, keeps its time
before=$(mtime "$S/build/thumbs.json")
thumb_before=$(mtime "$T/320x320/a/x-320.webp")
sleep 0.05
touch "$S/assets/a/x.jpg"
PATH=$S/bin:$PATH make -C "$S" >"$WORK/out" 2>&1; rc=$?
check "x.jpg touched: make exits 0 (got $rc)" [ "$rc" -eq 0 ]
check "  its thumbnails are made again" [ "$(mtime "$T/320x320/a/x-320.webp")" != "$thumb_before" ]
check "  the report, unchanged in what it says, keeps its time" [ "$(mtime "$S/build/thumbs.json")" = "$before" ]
check "no temp files left" no_temp_files "$S"
finish
