#!/usr/bin/env bash
# The real camera photos: one thumbnail each, fitting 75x75 with the longer
# side 75, pixels against the exact area average of the full-size decode,
# -p 1 and -p 2 byte-identical, sources untouched.
. "$(dirname "$0")/../lib.sh"
corpus
photos="$CORPUS/photos"
n=$(ls "$photos"/*.jpg | wc -l)
check "the corpus has photos ($n)" [ "$n" -gt 0 ]

before=$(cd "$photos" && sha256sum *.jpg; stat -c '%n %Y' *.jpg)
run -p 1 -o "$WORK/p1" "$photos"
check "-p 1 over the photos exits 0 (got $rc)" [ "$rc" -eq 0 ]
check "summary: $n thumbnails" grep -qE "^$n thumbnails, 0 failed" "$WORK/err"
run -q -p 2 -o "$WORK/p2" "$photos"
check "-p 2 over the photos exits 0 (got $rc)" [ "$rc" -eq 0 ]
check "-p 1 and -p 2 are byte-identical" diff -r "$WORK/p1" "$WORK/p2"

for src in "$photos"/*.jpg; do
    t="$WORK/p1/$(basename "$src")"
    read -r tw th _ < <("$TFTOOL" dims "$t")
    check "$(basename "$src"): ${tw}x${th}, fits 75x75, longer side 75" \
        bash -c "[ $tw -le 75 ] && [ $th -le 75 ] && [ \$(( $tw > $th ? $tw : $th )) -eq 75 ]"
    # a photo stored turned (EXIF orientation 5-8) has its sides swapped
    if [ "$("$TFTOOL" exif-orientation "$src")" -ge 5 ]; then
        read -r sw sh _ < <("$TFTOOL" dims "$src")
        check "$(basename "$src"): stored turned, thumbnail upright (${tw}x${th})" \
            bash -c "[ \$(( ($tw > $th) == ($sw > $sh) )) -eq 0 ]"
    else
        check "$(basename "$src"): aspect kept" fits_box "$t" "$src" 75 75
    fi
    line=$("$TFTOOL" psnr --orient auto "$src" "$t" 30)
    check "$line, at least 30 dB" [ $? -eq 0 ]
done
after=$(cd "$photos" && sha256sum *.jpg; stat -c '%n %Y' *.jpg)
check "sources unchanged (content and mtime)" [ "$before" = "$after" ]
finish
