#!/usr/bin/env bash
# JPEGs whose trouble comes after the image data: a second SOI where the
# EOI should be (a file cut short with another JPEG appended) and a bogus
# marker after the last scan. libjpeg raises its error only in
# jpeg_finish_decompress, after every row was read (a progressive file:
# before the first row, as libjpeg reads it whole first; the data before
# the marker is then decoded). The thumbnail is the clean file's, pixel
# for pixel, with a warning; --strict fails the file. Made from the
# generated testdata at each decode scale and entropy path (1/8 through the
# skipping decoder or the DC-only planes, 1/4, 1/2, 1/1, arithmetic).
. "$(dirname "$0")/../lib.sh"

mkdir -p "$WORK/in"
second="$TESTDATA/small_50x40.jpg"
plain="gradient_640x480 subsamp_444_600x400 small_50x40 arith_400x300 restart_500x375"
prog="progressive_1024x768 progressive_dc_refine_800x600 progressive_restart_800x600 arith_progressive_400x300"
for n in $plain $prog; do
    src="$TESTDATA/$n.jpg"
    size=$(stat -c %s "$src")
    cp "$src" "$WORK/in/$n.jpg"
    { head -c $((size - 2)) "$src"; cat "$second"; } >"$WORK/in/${n}_soi.jpg"
    { head -c $((size - 2)) "$src"; printf '\377\002\000\004ab'; } >"$WORK/in/${n}_bogus.jpg"
done

run -p 2 -o "$WORK/made" "$WORK/in"
check "a batch of them exits 0: warnings only (got $rc)" [ "$rc" -eq 0 ]
for n in $plain $prog; do
    # libjpeg reads a progressive file whole before its first row
    case " $prog " in
        *" $n "*) when="after the image data: the rest of the file is ignored" ;;
        *) when="after every row was decoded" ;;
    esac
    for kind in soi bogus; do
        f="$WORK/in/${n}_$kind.jpg" t="$WORK/made/${n}_$kind.jpg"
        case $kind in
            soi) why="invalid JPEG file structure: two SOI markers" ;;
            bogus) why="unsupported marker type 0x02" ;;
        esac
        check "${n}_$kind.jpg: the warning names it and says why" \
            grep -qxF "thumbify: $f: warning: $why, $when" "$WORK/err"
        line=$("$TFTOOL" psnr "$WORK/made/$n.jpg" "$t" 2>&1)
        check "${n}_$kind.jpg: the clean file's thumbnail, pixel for pixel ($line)" \
            same_pixels "$WORK/made/$n.jpg" "$t"
    done
done
# A larger box: the progressive files at 1/4 and 1/2, not 1/8.
run -p 2 -s 300x300 -o "$WORK/big" "$WORK/in"
bad=""
for n in $prog; do
    for kind in soi bogus; do
        same_pixels "$WORK/big/$n.jpg" "$WORK/big/${n}_$kind.jpg" || bad="$bad ${n}_$kind"
    done
done
check "-s 300x300: the progressive ones give the clean thumbnails too (exit $rc)${bad:+ (not:$bad)}" \
    bash -c "[ $rc -eq 0 ] && [ -z '$bad' ]"
f="$WORK/in/gradient_640x480_soi.jpg"
run --strict -o "$WORK/strict" "$f" "$WORK/in/gradient_640x480_bogus.jpg"
check "--strict: exit 1 (got $rc)" [ "$rc" -eq 1 ]
check "--strict: nothing written" [ -z "$(find "$WORK/strict" -type f 2>/dev/null)" ]
check "--strict: the line says why it failed" \
    grep -qxF "thumbify: $f: invalid JPEG file structure: two SOI markers, after every row was decoded (failed: --strict)" "$WORK/err"
check "--strict: both counted as failed" grep -qE "^0 thumbnails, 2 failed" "$WORK/err"
run --strict -o "$WORK/strict_p" "$WORK/in/progressive_1024x768_soi.jpg"
check "--strict fails a progressive one too (exit $rc), nothing written" \
    bash -c "[ $rc -eq 1 ] && [ -z \"\$(find '$WORK/strict_p' -type f 2>/dev/null)\" ]"
# Garbage inside the scan still fails: the rows are not the image there.
run -o "$WORK/garbage" "$TESTDATA/bad/garbage_after_header.jpg"
check "garbage inside the scan still fails (exit $rc)" [ "$rc" -eq 1 ]
check "no temp files left" no_temp_files "$WORK"
finish
