#!/usr/bin/env bash
# --crop: the thumbnail is exactly the -s box, the centred region of the
# upright image with the box's aspect ratio, an exact area average of it
# (tftool psnr --crop is the reference: full decode, orientation, centred
# region, exact average), never upscaled; a stamp says crop, so adding or
# dropping --crop remakes.
# -s with several sizes: one decode (at the scale the largest needs) per
# source, each size under <outroot>/WxH/, each within 45 dB of the same
# size made alone; one report entry and one stamp check per output; one
# size alone keeps the plain layout; duplicate or too many sizes are usage
# errors.
. "$(dirname "$0")/../lib.sh"

# wh FILE: an image's width and height ("W H").
wh() { "$TFTOOL" dims "$1" | cut -d' ' -f1,2; }

in=$WORK/in
mkdir -p "$in"
for f in gradient_640x480.jpg portrait_480x640.jpg progressive_1024x768.jpg small_50x40.jpg \
    orientation/orient_6.jpg orientation/orient_8.jpg orientation/exif_orient6.png; do
    cp "$TESTDATA/$f" "$in/"
done

# crop_ok BOX: every source of $in cropped to BOX with -F png matches the
# reference at 40 dB or more, at exactly BOX (or the source's side where
# it is smaller)
crop_ok() {
    local box=$1 bw=${1%x*} bh=${1#*x} out=$WORK/crop-$1
    run --crop -F png -s "$box" -o "$out" "$in"
    check "--crop -s $box: exit 0 ($(head -c 300 "$WORK/err"))" [ "$rc" -eq 0 ]
    for f in "$in"/*; do
        local n t sw sh
        n=$(basename "$f")
        t=$out/${n%.*}.png
        read -r sw sh _ < <("$TFTOOL" dims "$f")
        case $("$TFTOOL" exif-orientation "$f") in [5-8]) read -r sw sh <<<"$sh $sw" ;; esac
        local ew=$((bw < sw ? bw : sw)) eh=$((bh < sh ? bh : sh))
        check "$box $n: ${ew}x$eh exactly (got $(wh "$t"))" [ "$(wh "$t")" = "$ew $eh" ]
        local l
        l=$("$TFTOOL" psnr --orient auto --crop "$f" "$t")
        check "$box $n: $l, at least 40 dB" ge "$(db "$l")" 40
    done
}
crop_ok 75x75
crop_ok 100x60
crop_ok 37x91

# the fit thumbnail of orient_6 is not the crop: the reference tells them apart
run -F png -s 100x60 -o "$WORK/fit" "$in/orient_6.jpg"
l=$("$TFTOOL" psnr --orient auto --crop "$in/orient_6.jpg" "$WORK/fit/orient_6.png")
check "without --crop 100x60 is a fit ($(wh "$WORK/fit/orient_6.png" | tr ' ' x)), not the crop" \
    [ "$(wh "$WORK/fit/orient_6.png")" = "80 60" ]

# stamps: --crop after a fit run remakes, the same --crop run again is up to
# date, a fit run after it remakes (its stamp is no part of the crop's)
out=$WORK/stamp
run -s 60x60 -o "$out" "$in/gradient_640x480.jpg"
run --crop -s 60x60 -o "$out" "$in/gradient_640x480.jpg"
check "--crop after a fit run remakes the thumbnail (now $(wh "$out/gradient_640x480.jpg" | tr ' ' x))" \
    [ "$(wh "$out/gradient_640x480.jpg")" = "60 60" ]
run -v --crop -s 60x60 -o "$out" "$in/gradient_640x480.jpg"
check "the same --crop run again: up to date ($(tail -1 "$WORK/err"))" grep -q "1 up to date" "$WORK/err"
run -s 60x60 -o "$out" "$in/gradient_640x480.jpg"
check "a fit run after --crop remakes it again (now $(wh "$out/gradient_640x480.jpg" | tr ' ' x); $(tail -1 "$WORK/err"))" \
    [ "$(wh "$out/gradient_640x480.jpg")" = "60 45" ]

# several sizes: layout, pixels against single-size runs, one decode each
multi=75x75,150x150,300x300
srcs=("$in"/*)
run -v -r -F png -s $multi --report "$WORK/multi.json" "$in"
check "-s $multi: exit 0 ($(tail -1 "$WORK/err"))" [ "$rc" -eq 0 ]
cp "$WORK/err" "$WORK/multi.err"
n=${#srcs[@]}
for f in "${srcs[@]}"; do
    b=$(basename "$f")
    c=$(grep -cF "$f: one full decode at 1/" "$WORK/multi.err")
    check "$b: decoded once for the three sizes ($c '$b: one ... decode ... for 3 sizes' lines)" \
        bash -c "[ $c -eq 1 ] && grep -qF '$f: one full decode at 1/' '$WORK/multi.err' &&
                 grep -F '$f: one full decode' '$WORK/multi.err' | grep -q 'for 3 sizes'"
done
for size in 75x75 150x150 300x300; do
    run -F png -s $size -o "$WORK/single-$size" "$in"
    for f in "${srcs[@]}"; do
        b=$(basename "$f")
        t=$in/thumbs/$size/${b%.*}.png
        check "$size/$b: in thumbs/$size/ of the multi-size run" [ -f "$t" ]
        l=$("$TFTOOL" psnr "$WORK/single-$size/${b%.*}.png" "$t" 2>&1)
        check "$size/$b against -s $size alone: $l, at least 45 dB" ge "$(db "$l")" 45
    done
done
check "no thumbnail directly in thumbs/ with several sizes" \
    [ -z "$(find "$in/thumbs" -maxdepth 1 -type f)" ]
entries=$(grep -o '"output":' "$WORK/multi.json" | wc -l)
check "--report: one entry per output ($entries for $n sources x 3 sizes)" [ "$entries" -eq $((3 * n)) ]
run -v -r -F png -s $multi "$in"
check "the same sizes again: all $((3 * n)) up to date ($(tail -1 "$WORK/err"))" \
    grep -q "0 thumbnails, 0 failed, $((3 * n)) up to date" "$WORK/err"
run -r -F png -s $multi --crop "$in"
check "the same sizes with --crop: remade, 300x300 exactly ($(wh "$in/thumbs/300x300/gradient_640x480.png"))" \
    [ "$(wh "$in/thumbs/300x300/gradient_640x480.png")" = "300 300" ]
l=$("$TFTOOL" psnr --crop "$in/gradient_640x480.jpg" "$in/thumbs/150x150/gradient_640x480.png")
check "multi-size --crop 150x150: $l, at least 40 dB" ge "$(db "$l")" 40

# -o DIR: each size under DIR/WxH/; one size alone: DIR/name as before
run -s 20x20,40 -o "$WORK/o" "$in/small_50x40.jpg"
check "-o DIR with 20x20,40: DIR/20x20/ and DIR/40x40/" \
    bash -c "[ '$(wh "$WORK/o/20x20/small_50x40.jpg")' = '20 16' ] && [ '$(wh "$WORK/o/40x40/small_50x40.jpg")' = '40 32' ]"
run -s 20x20 -o "$WORK/o1" "$in/small_50x40.jpg"
check "-o DIR with one size: DIR/small_50x40.jpg, no size directory" \
    bash -c "[ -f '$WORK/o1/small_50x40.jpg' ] && [ ! -d '$WORK/o1/20x20' ]"

# each size its own output for the clash check: two a.jpg into one -o
mkdir -p "$WORK/c1" "$WORK/c2"
cp "$in/small_50x40.jpg" "$WORK/c1/a.jpg"
cp "$in/gradient_640x480.jpg" "$WORK/c2/a.jpg"
run -s 20,30 -o "$WORK/clash" "$WORK/c1/a.jpg" "$WORK/c2/a.jpg"
c=$(grep -c "clash\|same output\|also" "$WORK/err")
check "two a.jpg into one -o with two sizes: exit 1, nothing written, each output's clash said ($c lines)" \
    bash -c "[ $rc -eq 1 ] && [ -z \"\$(find '$WORK/clash' -type f 2>/dev/null)\" ] && [ $c -ge 4 ]"

# a worker that dies on a source fails every size of it, and only those
mkdir -p "$WORK/crash"
cp "$in/small_50x40.jpg" "$in/orient_6.jpg" "$WORK/crash/"
THUMBIFY_TEST_CRASH=orient_6 run_hooked -s 10,20 --report "$WORK/crash.json" "$WORK/crash"
failed=$(grep -o '"status": "failed"' "$WORK/crash.json" | wc -l)
made=$(grep -o '"status": "ok"' "$WORK/crash.json" | wc -l)
check "a crash on orient_6.jpg: its 2 outputs failed ($failed), small_50x40.jpg's 2 made ($made), exit $rc" \
    bash -c "[ $rc -eq 1 ] && [ $failed -eq 2 ] && [ $made -eq 2 ]"

# with the other output options: --name's %w/%h are each size's own, %e
# follows -F webp, the report has each size's dimensions, --prune after
# going back to one size removes the sized trees
mkdir -p "$WORK/mix/src"
cp "$in/small_50x40.jpg" "$WORK/mix/src/"
cp "$TESTDATA/gradient_640x480.jpg" "$WORK/mix/src/g.jpg"
run -s 75,150x100 --crop -F webp --name '%s_%wx%h.%e' -o "$WORK/mix/out" --report "$WORK/mix/r.json" \
    "$WORK/mix/src"
check "-s 75,150x100 --crop -F webp --name '%s_%wx%h.%e': exit 0 (got $rc)" [ "$rc" -eq 0 ]
check "  names carry each size's own WxH and .webp" eval '[ -s "$WORK/mix/out/75x75/g_75x75.webp" ] &&
    [ -s "$WORK/mix/out/150x100/g_150x100.webp" ] && [ -s "$WORK/mix/out/150x100/small_50x40_50x40.webp" ]'
check "  the files are WebP" eval '[ "$(head -c 4 "$WORK/mix/out/75x75/g_75x75.webp")" = RIFF ]'
check "  the report gives 150x100 for g.jpg's second size" \
    grep -q '"output": "[^"]*/150x100/g_150x100.webp".*"width": 150, "height": 100' "$WORK/mix/r.json"
run -F webp --name '%s_%wx%h.%e' --prune -o "$WORK/mix/out" "$WORK/mix/src"
check "  back to one size with --prune: exit 0, the sized trees removed (got $rc; $(tail -1 "$WORK/err"))" \
    eval '[ "$rc" -eq 0 ] && [ ! -e "$WORK/mix/out/75x75" ] && [ ! -e "$WORK/mix/out/150x100" ] &&
    [ -s "$WORK/mix/out/g_75x56.webp" ]'

# usage errors
usage() {
    run "$@" "$in"
    if [ "$rc" -eq 2 ] && grep -qxF "Try 'thumbify --help' for more information." "$WORK/err"; then
        ok "'$*' is a usage error ($(head -1 "$WORK/err"))"
    else
        fail "'$*' should be a usage error (exit $rc: $(head -2 "$WORK/err"))"
    fi
}
usage -s 75x75,75
usage -s 1,2,3,4,5,6,7,8,9
usage -s 75,,150
usage -s 75,
usage -s 75,0

# A damaged source's decode warning: said once on stderr (one decode), and
# on every size's record in --report (each thumbnail is made from it);
# the clean source's records carry none.
run -s 75,150,300 -o "$WORK/warn" --report "$WORK/warn.json" "$TESTDATA/bad/truncated_half.jpg" \
    "$TESTDATA/gradient_640x480.jpg"
check "-s 75,150,300, a truncated file: exit 0 (got $rc), its warning said once on stderr" \
    bash -c "[ $rc -eq 0 ] && [ \$(grep -c 'truncated_half.jpg: warning: premature end of JPEG file' '$WORK/err') -eq 1 ]"
check "  --report: each of its 3 records has the warning, the clean file's 3 none" python3 -c '
import json, sys
files = json.load(open(sys.argv[1]))["files"]
msgs = [(r["source"].rsplit("/", 1)[1], r["status"], r["message"]) for r in files]
want = [("truncated_half.jpg", "ok", "warning: premature end of JPEG file")] * 3 + \
       [("gradient_640x480.jpg", "ok", None)] * 3
sys.exit(0 if sorted(msgs) == sorted(want) else print(msgs) or 1)' "$WORK/warn.json"

check "no temp files left" no_temp_files "$WORK"
finish
