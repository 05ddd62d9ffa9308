#!/usr/bin/env bash
# Thumbnails are the exact area average of the image, at every source size
# and with colour profiles: each -F png thumbnail is compared with tftool's
# reference (full-size decode, ICC converted to sRGB first, exact
# fractional area average).
# - Sizes: photo-like crops of testdata/blocks_800x600.jpg made by tftool
#   derive at small web sizes, sizes whose last DCT block is partial, and
#   sizes just above the box, where a DCT scale that leaves a ratio near 1
#   or a partial block mapped as a whole one cost 8 to 19 dB (38 dB needed).
# - ICC before averaging: icc_steep_400x300.jpg (a gamma 0.4 profile over
#   4-pixel squares and rows): averaging first, then converting, is 38
#   levels too bright (14 dB); converting first is within 6 of the mean.
# - CMYK through its profile: cmyk_icc_400x300.jpg carries a CMYK profile
#   far from the naive conversion (23 dB without it).
. "$(dirname "$0")/../lib.sh"

# db LINE: the dB figure of a tftool psnr line

src="$TESTDATA/blocks_800x600.jpg"
for size in 500x375 600x450 225x329 601x451 455x333 599x449 150x113 160x120 799x599; do
    d="$WORK/in-$size"
    mkdir -p "$d"
    if ! "$TFTOOL" derive "$src" "$d" 3 11 "$size"; then
        fail "tftool derive $size from blocks_800x600.jpg"
        continue
    fi
    run -F png -o "$WORK/out-$size" "$d"
    check "$size: 3 thumbnails (exit $rc)" [ "$rc" -eq 0 ]
    worst=99 lines=""
    for f in "$d"/*.jpg; do
        n=$(basename "$f" .jpg)
        l=$("$TFTOOL" psnr "$f" "$WORK/out-$size/$n.png")
        v=$(db "$l")
        [ -n "$v" ] || v=0
        lines="$lines ${v}"
        ge "$v" "$worst" || worst=$v
    done
    check "$size: every thumbnail at least 38 dB from the exact area average (worst $worst; dB:$lines)" \
        ge "$worst" 38
done

# profiled NAME MIN_DB WHY: NAME.jpg from testdata with -v -F png: the
# profile is converted, and the thumbnail is at least MIN_DB from the
# reference with the profile applied first; $got: the thumbnail
profiled() {
    run -v -F png -o "$WORK/$1" "$TESTDATA/$1.jpg"
    check "$1: exit 0, -v says the profile was converted" \
        bash -c "[ $rc -eq 0 ] && grep -qF 'ICC profile converted to sRGB' '$WORK/err'"
    got=$WORK/$1/$1.png
    local l
    l=$("$TFTOOL" psnr --icc "$TESTDATA/$1.jpg" "$got")
    check "$1: $l, at least $2 dB ($3)" ge "$(db "$l")" "$2"
}

# ICC before averaging
f=icc_steep_400x300
profiled $f 25 "averaging before converting: 14"
want=$("$TFTOOL" mean-icc "$TESTDATA/$f.jpg") mean=$("$TFTOOL" mean "$got")
check "$f: mean ($mean) within 6 of the source converted first ($want)" awk -v a="$mean" -v b="$want" \
    'BEGIN { split(a, x, " "); split(b, y, " ")
             for (i = 1; i <= 3; i++) { d = x[i] - y[i]; if (d > 6 || d < -6) exit 1 } }'

# CMYK with a CMYK profile
profiled cmyk_icc_400x300 45 "the naive conversion: 23"
# the same CMYK file without its profile is still converted without one
run -v -F png -o "$WORK/cmyk0" "$TESTDATA/cmyk_adobe_400x300.jpg"
l=$("$TFTOOL" psnr "$TESTDATA/cmyk_adobe_400x300.jpg" "$WORK/cmyk0/cmyk_adobe_400x300.png")
check "cmyk_adobe_400x300 (no profile): $l, at least 40 dB" ge "$(db "$l")" 40
check "no temp files left" no_temp_files "$WORK"
finish
