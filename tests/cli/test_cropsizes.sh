#!/usr/bin/env bash
# --crop: the thumbnail is exactly the -s box, the centred region of the
# upright image with the box's aspect ratio, an exact area average of it
# (tftool psnr --crop is the reference: full decode, orientation, centred
# region, exact average), never upscaled; a stamp says crop, so adding or
# dropping --crop remakes.
. "$(dirname "$0")/../lib.sh"

db() { sed -n 's/^psnr .*: \([0-9.]*\) dB.*/\1/p' <<<"$1"; }
ge() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a >= b) }'; }
dims() { "$TFTOOL" dims "$1" | cut -d' ' -f1,2; }

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
        check "$box $n: ${ew}x$eh exactly (got $(dims "$t"))" [ "$(dims "$t")" = "$ew $eh" ]
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
check "without --crop 100x60 is a fit ($(dims "$WORK/fit/orient_6.png" | tr ' ' x)), not the crop" \
    [ "$(dims "$WORK/fit/orient_6.png")" = "80 60" ]

# stamps: --crop after a fit run remakes, the same --crop run again is up to date
out=$WORK/stamp
run -s 60x60 -o "$out" "$in/gradient_640x480.jpg"
run --crop -s 60x60 -o "$out" "$in/gradient_640x480.jpg"
check "--crop after a fit run remakes the thumbnail (now $(dims "$out/gradient_640x480.jpg" | tr ' ' x))" \
    [ "$(dims "$out/gradient_640x480.jpg")" = "60 60" ]
run -v --crop -s 60x60 -o "$out" "$in/gradient_640x480.jpg"
check "the same --crop run again: up to date ($(tail -1 "$WORK/err"))" grep -q "1 up to date" "$WORK/err"

check "no temp files left" no_temp_files "$WORK"
finish
