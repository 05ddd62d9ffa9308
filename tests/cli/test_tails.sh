#!/usr/bin/env bash
# JPEGs whose trouble comes after the image data: a second SOI where the
# EOI should be (a file cut short with another JPEG appended) and a bogus
# marker after the last scan. libjpeg raises its error only in
# jpeg_finish_decompress, after every row was read: the thumbnail is the
# clean file's, pixel for pixel, with a warning; --strict fails the file.
# Made from the generated testdata at each decode scale and entropy path
# (1/8 through the skipping decoder, 1/2, 1/1, arithmetic coding).
. "$(dirname "$0")/../lib.sh"

# same_pixels A B: the same size and samples (tftool's PSNR is capped at
# 99 dB for identical images).
same_pixels() { "$TFTOOL" psnr "$1" "$2" 99 >/dev/null; }

mkdir -p "$WORK/in"
second="$TESTDATA/small_50x40.jpg"
for n in gradient_640x480 subsamp_444_600x400 small_50x40 arith_400x300 restart_500x375; do
    src="$TESTDATA/$n.jpg"
    size=$(stat -c %s "$src")
    cp "$src" "$WORK/in/$n.jpg"
    { head -c $((size - 2)) "$src"; cat "$second"; } >"$WORK/in/${n}_soi.jpg"
    { head -c $((size - 2)) "$src"; printf '\377\002\000\004ab'; } >"$WORK/in/${n}_bogus.jpg"
done

run -p 2 -o "$WORK/made" "$WORK/in"
check "a batch of them exits 0: warnings only (got $rc)" [ "$rc" -eq 0 ]
for n in gradient_640x480 subsamp_444_600x400 small_50x40 arith_400x300 restart_500x375; do
    for kind in soi bogus; do
        f="$WORK/in/${n}_$kind.jpg" t="$WORK/made/${n}_$kind.jpg"
        case $kind in
            soi) why="invalid JPEG file structure: two SOI markers" ;;
            bogus) why="unsupported marker type 0x02" ;;
        esac
        check "${n}_$kind.jpg: the warning names it and says why" \
            grep -qxF "thumbify: $f: warning: $why, after every row was decoded" "$WORK/err"
        line=$("$TFTOOL" psnr "$WORK/made/$n.jpg" "$t" 2>&1)
        check "${n}_$kind.jpg: the clean file's thumbnail, pixel for pixel ($line)" \
            same_pixels "$WORK/made/$n.jpg" "$t"
    done
done
f="$WORK/in/gradient_640x480_soi.jpg"
run --strict -o "$WORK/strict" "$f" "$WORK/in/gradient_640x480_bogus.jpg"
check "--strict: exit 1 (got $rc)" [ "$rc" -eq 1 ]
check "--strict: nothing written" [ -z "$(find "$WORK/strict" -type f 2>/dev/null)" ]
check "--strict: the line says why it failed" \
    grep -qxF "thumbify: $f: invalid JPEG file structure: two SOI markers, after every row was decoded (failed: --strict)" "$WORK/err"
check "--strict: both counted as failed" grep -qE "^0 thumbnails, 2 failed" "$WORK/err"
check "no temp files left" no_temp_files "$WORK"
finish
