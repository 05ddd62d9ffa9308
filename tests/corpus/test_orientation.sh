#!/usr/bin/env bash
# EXIF orientation on real camera-style files: orientation/Landscape_N.jpg
# and Portrait_N.jpg, N = 0..8 (0 is not a valid tag value and means 1),
# all showing the same picture once turned upright. Each thumbnail must be
# upright (PSNR against tftool's own EXIF reading and rotation of the
# full-size source), the right way round, and carry no orientation tag.
. "$(dirname "$0")/../lib.sh"
corpus # sets CORPUS, or skips (77) when THUMBIFY_CORPUS is unset
dir="$CORPUS/orientation"
n=$(ls "$dir"/Landscape_*.jpg "$dir"/Portrait_*.jpg 2>/dev/null | wc -l)
check "the corpus has the 18 orientation files ($n)" [ "$n" -eq 18 ]

run -p 2 -F png -o "$WORK/png" "$dir"
check "-F png over the orientation files exits 0 (got $rc)" [ "$rc" -eq 0 ]
run -q -p 2 -F jpeg -o "$WORK/jpeg" "$dir"
check "-F jpeg over the orientation files exits 0 (got $rc)" [ "$rc" -eq 0 ]

for src in "$dir"/Landscape_*.jpg "$dir"/Portrait_*.jpg; do
    [ -f "$src" ] || continue
    name=$(basename "$src" .jpg)
    tag=$("$TFTOOL" exif-orientation "$src")
    t="$WORK/png/$name.png"
    if [ ! -s "$t" ]; then
        fail "$name (orientation $tag): no $name.png thumbnail"
        continue
    fi
    read -r tw th _ < <("$TFTOOL" dims "$t")
    case $name in
        Landscape_*) check "$name (orientation $tag): ${tw}x${th} is wider than tall" [ "$tw" -gt "$th" ] ;;
        Portrait_*) check "$name (orientation $tag): ${tw}x${th} is taller than wide" [ "$th" -gt "$tw" ] ;;
    esac
    check "$name: the longer side is 75" [ "$(( tw > th ? tw : th ))" -eq 75 ]
    line=$("$TFTOOL" psnr --orient auto "$src" "$t" 35)
    check "$name upright: $line, at least 35 dB" [ $? -eq 0 ]
    j="$WORK/jpeg/$name.jpg"
    check "$name -F jpeg: no orientation tag in the thumbnail (reads $("$TFTOOL" exif-orientation "$j" 2>/dev/null))" \
        [ "$("$TFTOOL" exif-orientation "$j" 2>/dev/null)" = 1 ]
    check "$name -F png: no orientation in the thumbnail" \
        [ "$("$TFTOOL" exif-orientation "$t" 2>/dev/null)" = 1 ]
done

# The upright pictures agree with each other: every Landscape thumbnail
# against Landscape_1's source (orientation 1), likewise Portrait.
for kind in Landscape Portrait; do
    ref="$dir/${kind}_1.jpg"
    [ -f "$ref" ] || continue
    low=""
    for t in "$WORK/png/${kind}"_*.png; do
        [ -f "$t" ] || continue
        "$TFTOOL" psnr "$ref" "$t" 25 >/dev/null || low="$low $(basename "$t")"
    done
    check "every $kind thumbnail shows ${kind}_1 upright (>= 25 dB)${low:+ (not:$low)}" [ -z "$low" ]
done
check "no temp files left" no_temp_files "$WORK"
finish
