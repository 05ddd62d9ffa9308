#!/usr/bin/env bash
# End to end on the generated testdata: one thumbnail per JPEG, sizes,
# pixels against an exact area average, -p 1 vs -p 2, -o, -s, summary.
. "$(dirname "$0")/../lib.sh"

copy_testdata "$WORK/in"
(cd "$WORK/in" && find . -type f -exec sha256sum {} + | sort) >"$WORK/before"
inputs=$(cd "$WORK/in" && ls | grep -icE '\.(jpe?g|jpe|jfif)$')

run -p 2 "$WORK/in"
check "exit 0 on testdata (got $rc)" [ "$rc" -eq 0 ]
check "summary line says $inputs thumbnails, 0 failed" \
    grep -qE "^$inputs thumbnails, 0 failed, [0-9]+\.[0-9]{2} s$" "$WORK/err"
check "nothing on stdout" [ ! -s "$WORK/out" ]
made=$(ls "$WORK/in/thumbs" | wc -l)
check "one thumbnail per JPEG ($made of $inputs), in thumbs/ beside them" [ "$made" -eq "$inputs" ]

bad=""
for t in "$WORK/in/thumbs"/*; do
    fits_box "$t" "$WORK/in/$(basename "$t")" 75 75 || bad="$bad $(basename "$t")"
done
check "every thumbnail fits 75x75 with its aspect kept${bad:+ (not:$bad)}" [ -z "$bad" ]
check "1000x1 gives 75x1" [ "$("$TFTOOL" dims "$WORK/in/thumbs/wide_1000x1.jpg")" = "75 1 3" ]
check "1x1000 gives 1x75" [ "$("$TFTOOL" dims "$WORK/in/thumbs/tall_1x1000.jpg")" = "1 75 3" ]
check "50x40 is not upscaled" [ "$("$TFTOOL" dims "$WORK/in/thumbs/small_50x40.jpg")" = "50 40 3" ]
check "grey stays grey" [ "$("$TFTOOL" dims "$WORK/in/thumbs/gray_300x200.jpg")" = "75 50 1" ]

# Pixels: every thumbnail against the exact area average of its source, its
# ICC profile applied first (icc_steep_*'s gamma 0.4 profile: cli_quality).
low=""
for t in "$WORK/in/thumbs"/*; do
    case $(basename "$t") in icc_steep_*) continue ;; esac
    "$TFTOOL" psnr --icc "$WORK/in/$(basename "$t")" "$t" 30 >>"$WORK/psnr" ||
        low="$low $(basename "$t")"
done
check "every thumbnail but icc_steep_* >= 30 dB against the exact area average, profiles applied${low:+ (not:$low)}" \
    [ -z "$low" ]
check "the gradient is >= 36 dB" "$TFTOOL" psnr "$WORK/in/gradient_640x480.jpg" \
    "$WORK/in/thumbs/gradient_640x480.jpg" 36

# Known content: 4x3 blocks of 200x200 solid colours; each block's centre.
colours=("255 0 0" "0 255 0" "0 0 255" "255 255 255" "0 0 0" "128 128 128"
         "255 255 0" "0 255 255" "255 0 255" "255 128 0" "128 0 128" "0 128 128")
off=""
for i in "${!colours[@]}"; do
    c=$((i % 4)) r=$((i / 4))
    x=$(( (2 * c + 1) * 75 / 8 )) y=$(( (2 * r + 1) * 56 / 6 ))
    read -r pr pg pb < <("$TFTOOL" pixel "$WORK/in/thumbs/blocks_800x600.jpg" "$x" "$y")
    read -r er eg eb <<<"${colours[$i]}"
    for d in $((pr - er)) $((pg - eg)) $((pb - eb)); do
        [ "${d#-}" -le 6 ] || off="$off ($x,$y)=$pr,$pg,$pb"
    done
done
check "block colours at their centres within 6 of the source" [ -z "$off" ]

# -p 1 and -p 2 make byte-identical thumbnails.
run -q -p 1 -o "$WORK/p1" "$WORK/in"
check "-p 1 -o DIR exits 0" [ "$rc" -eq 0 ]
check "-q prints nothing" [ ! -s "$WORK/err" ]
run -q -p 2 -o "$WORK/p2" "$WORK/in"
check "-p 1 and -p 2 thumbnails are byte-identical" diff -r "$WORK/p1" "$WORK/p2"
check "-o DIR output equals thumbs/ output" diff -r "$WORK/p1" "$WORK/in/thumbs"

# -s and -Q
run -q -s 100x50 -Q 60 -o "$WORK/s" "$WORK/in/gradient_640x480.jpg"
check "-s 100x50 gives 67x50" [ "$("$TFTOOL" dims "$WORK/s/gradient_640x480.jpg")" = "67 50 3" ]
q60=$(stat -c %s "$WORK/s/gradient_640x480.jpg")
run -q -s 100x50 -Q 95 -o "$WORK/s" "$WORK/in/gradient_640x480.jpg"
check "-Q 95 makes a larger file than -Q 60" [ "$(stat -c %s "$WORK/s/gradient_640x480.jpg")" -gt "$q60" ]
run -q -s 32 -o "$WORK/s32" "$WORK/in/portrait_480x640.jpg"
check "-s 32 means 32x32 (24x32)" [ "$("$TFTOOL" dims "$WORK/s32/portrait_480x640.jpg")" = "24 32 3" ]

# Files and directories mixed; a file operand's output goes beside it.
mkdir -p "$WORK/mix/a" "$WORK/mix/b"
cp "$TESTDATA/gradient_640x480.jpg" "$WORK/mix/a/"
cp "$TESTDATA/gray_300x200.jpg" "$TESTDATA/small_50x40.jpg" "$WORK/mix/b/"
run -q "$WORK/mix/a/gradient_640x480.jpg" "$WORK/mix/b"
check "file and directory operands mixed (exit $rc)" [ "$rc" -eq 0 ]
check "a file operand's thumbnail is in its own thumbs/" [ -f "$WORK/mix/a/thumbs/gradient_640x480.jpg" ]
check "a directory operand's thumbnails are in its thumbs/" \
    [ -f "$WORK/mix/b/thumbs/gray_300x200.jpg" ] && [ -f "$WORK/mix/b/thumbs/small_50x40.jpg" ]

# A second run over the same folder does not take thumbs/ as input.
run -p 2 "$WORK/in"
check "thumbs/ is never scanned as input" [ ! -e "$WORK/in/thumbs/thumbs" ]
run -q "$WORK/in" "$WORK/in/thumbs"
check "an operand that is another operand's thumbs/ is not scanned" [ ! -e "$WORK/in/thumbs/thumbs" ]
check "and that is said" grep -q "is an output directory of this run" "$WORK/err"

check "no temp files left" no_temp_files "$WORK"
(cd "$WORK/in" && find . -path ./thumbs -prune -o -type f -exec sha256sum {} + | sort) >"$WORK/after"
check "sources unchanged" diff "$WORK/before" "$WORK/after"
finish
