#!/usr/bin/env bash
# Real photos against the exact area average (tftool psnr --orient auto
# --icc: full-size decode, EXIF orientation, ICC converted to sRGB first):
# - small photos: crops of every corpus photo made at run time by tftool
#   derive (into $WORK, never kept) at web sizes, sizes with a partial
#   last DCT block and just above the box: each at least 38 dB, their
#   median at least 42 (before the DCT scale kept twice the thumbnail's
#   pixels and stb was given the true extent: 23 to 35 dB);
# - the camera photos (all over 1200 pixels): at least 45 dB each;
# - the orientation set: at least 35 dB each, turned upright;
# - ycck_swop_icc_500x333.jpg (YCCK with a SWOP CMYK profile): through its
#   profile, at least 40 dB (21 dB when the profile was dropped).
. "$(dirname "$0")/../lib.sh"
corpus # sets CORPUS, or skips (77) when THUMBIFY_CORPUS is unset


# psnr_dir SRC_DIR OUT_DIR MIN: checks each source's thumbnail, prints the
# dB figures (one a line) into $WORK/db
psnr_dir() {
    : >"$WORK/db"
    local f n l v
    for f in "$1"/*.jpg; do
        n=$(basename "$f" .jpg)
        l=$("$TFTOOL" psnr --orient auto --icc "$f" "$2/$n.png")
        v=$(db "$l")
        echo "${v:-0}" >>"$WORK/db"
        check "${l:-$n: no psnr}, at least $3 dB" ge "${v:-0}" "$3"
    done
}

mkdir -p "$WORK/small"
i=0
for p in "$CORPUS"/photos/*.jpg; do
    for size in 500x375 600x450 225x329 601x451 150x113 1199x899; do
        d="$WORK/d$i"
        mkdir -p "$d"
        "$TFTOOL" derive "$p" "$d" 1 "$i" "$size" && mv "$d/d0000.jpg" "$WORK/small/s${i}_$size.jpg"
        i=$((i + 1))
    done
done
check "derived $i small photos" [ "$(ls "$WORK/small" | wc -l)" -eq "$i" ]
run -F png -o "$WORK/small-out" "$WORK/small"
check "small photos: exit 0 (got $rc)" [ "$rc" -eq 0 ]
psnr_dir "$WORK/small" "$WORK/small-out" 38
med=$(sort -n "$WORK/db" | awk '{ d[NR] = $1 } END { print NR % 2 ? d[(NR + 1) / 2] : (d[NR / 2] + d[NR / 2 + 1]) / 2 }')
check "small photos: median $med dB, at least 42" ge "$med" 42

run -F png -o "$WORK/photos-out" "$CORPUS/photos"
check "camera photos: exit 0 (got $rc)" [ "$rc" -eq 0 ]
psnr_dir "$CORPUS/photos" "$WORK/photos-out" 45

run -F png -o "$WORK/orient-out" "$CORPUS/orientation"
check "orientation set: exit 0 (got $rc)" [ "$rc" -eq 0 ]
psnr_dir "$CORPUS/orientation" "$WORK/orient-out" 35

f=ycck_swop_icc_500x333
if [ -f "$CORPUS/edge/$f.jpg" ]; then
    run -v -F png -o "$WORK/cmyk" "$CORPUS/edge/$f.jpg"
    check "$f: -v says the CMYK profile was converted" grep -qF "ICC profile converted to sRGB" "$WORK/err"
    l=$("$TFTOOL" psnr --icc "$CORPUS/edge/$f.jpg" "$WORK/cmyk/$f.png")
    check "$f: $l, at least 40 dB" ge "$(db "$l")" 40
else
    fail "$CORPUS/edge/$f.jpg exists"
fi
finish
