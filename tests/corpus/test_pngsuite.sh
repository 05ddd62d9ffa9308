#!/usr/bin/env bash
# PNG input: the whole PngSuite (every colour type, bit depth, tRNS,
# Adam7; x*.png deliberately corrupt) and the real-world PNGs of png/real/
# (see png/PNG.md). PNG in gives PNG out (-F same) of the right size with
# alpha kept; -F jpeg composites alpha over white. 16-bit Adam7 files give
# their plain twins' thumbnails; libpng's harmless ICC-header warnings pass
# --strict; a PNG cut short gives a thumbnail and a warning.
. "$(dirname "$0")/../lib.sh"
corpus # sets CORPUS, or skips (77) when THUMBIFY_CORPUS is unset
png="$CORPUS/png"
suite="$png/pngsuite"
slow=$SLOW # see lib.sh
for d in "$suite" "$png/real"; do
    [ -d "$d" ] || { fail "$d is a directory"; finish; exit; }
done



mkdir -p "$WORK/suite"
cp "$suite"/*.png "$WORK/suite/"
chmod -R u+w "$WORK/suite"
good=() bad=()
for f in "$WORK/suite"/*.png; do
    case $(basename "$f") in x*) bad+=("$f") ;; *) good+=("$f") ;; esac
done
check "PngSuite: ${#good[@]} valid files" [ "${#good[@]}" -gt 100 ]
check "PngSuite: ${#bad[@]} corrupt (x*) files" [ "${#bad[@]}" -gt 0 ]

# The whole suite as one batch: exit 1 (the x files), each valid file a
# PNG thumbnail of its own size (all are <= 75x75) or fitting the box.
timeout $((120 * slow)) "$THUMBIFY" -p 2 -F same -o "$WORK/suite_out" "$WORK/suite" >"$WORK/stdout" 2>"$WORK/err"
rc=$?
check "PngSuite batch exits 1 because of the x*.png files (got $rc)" [ "$rc" -eq 1 ]
check "PngSuite batch: summary ${#good[@]} thumbnails, ${#bad[@]} failed" \
    grep -qE "^${#good[@]} thumbnails?, ${#bad[@]} failed, " "$WORK/err"
check "PngSuite batch: no worker killed" [ -z "$(grep 'worker killed' "$WORK/err")" ]
missing="" notpng="" size="" alpha="" grey="" seen=0
for f in "${good[@]}"; do
    n=$(basename "$f") t="$WORK/suite_out/$(basename "$f")"
    if [ ! -s "$t" ]; then missing="$missing $n"; continue; fi
    seen=$((seen + 1))
    is_png "$t" || notpng="$notpng $n"
    read -r sw sh sc < <("$TFTOOL" dims "$f")
    read -r tw th tc < <("$TFTOOL" dims "$t")
    fits_box "$t" "$f" 75 75 || size="$size $n(${sw}x${sh}->${tw}x${th})"
    # alpha (tRNS included) is kept; grey stays grey
    case $sc in 2|4) case $tc in 2|4) ;; *) alpha="$alpha $n($sc->$tc)" ;; esac ;; esac
    case $sc in 1|2) case $tc in 1|2) ;; *) grey="$grey $n($sc->$tc)" ;; esac ;; esac
done
check "every valid PngSuite file has a thumbnail${missing:+ (not:$missing)}" [ -z "$missing" ]
# the checks below look at the $seen thumbnails there are (none: a FAIL)
none=""; [ "$seen" -gt 0 ] || none=" (no thumbnails to look at)"
check "-F same: PNG in, PNG out, same name ($seen seen)$none${notpng:+ (not PNG:$notpng)}" \
    [ -z "$notpng$none" ]
check "thumbnails keep the source size (<= 75x75) or fit the box ($seen seen)$none${size:+ (not:$size)}" \
    [ -z "$size$none" ]
check "alpha or tRNS in the source: the PNG thumbnail has alpha ($seen seen)$none${alpha:+ (not:$alpha)}" \
    [ -z "$alpha$none" ]
check "grey PNGs give grey PNG thumbnails ($seen seen)$none${grey:+ (not:$grey)}" \
    [ -z "$grey$none" ]
for f in "${bad[@]}"; do
    check "$(basename "$f") (corrupt) is named in the batch's errors" grep -qF "thumbify: $f: " "$WORK/err"
done

# 16-bit Adam7: each basi*16 file is the same picture as its basn*16 twin,
# so their thumbnails are the same, sample for sample (tftool's PSNR is
# capped at 99 dB for identical images).
for p in 0g16 2c16 4a16 6a16; do
    a="$WORK/suite_out/basn$p.png" b="$WORK/suite_out/basi$p.png"
    line=$("$TFTOOL" psnr "$a" "$b" 2>&1)
    check "basi$p.png (16-bit Adam7) gives basn$p.png's thumbnail ($line)" same_pixels "$a" "$b"
done

# Each corrupt file alone: exit 1, one line naming it, no thumbnail, no
# crash, no hang.
for f in "${bad[@]}"; do
    n=$(basename "$f")
    timeout $((20 * slow)) "$THUMBIFY" -p 1 -o "$WORK/bad/$n" "$f" >"$WORK/stdout" 2>"$WORK/err"
    rc=$?
    lines=$(grep -cF "thumbify: $f: " "$WORK/err")
    made=$(find "$WORK/bad/$n" -type f 2>/dev/null | grep -c .)
    if [ "$rc" -eq 1 ] && [ "$lines" -eq 1 ] && [ "$made" -eq 0 ]; then
        ok "$n fails cleanly: $(grep -F "thumbify: $f: " "$WORK/err" | sed "s|^thumbify: $f: ||")"
    else
        fail "$n should fail cleanly: exit $rc (want 1), $lines line(s) naming it (want 1), $made output(s) (want 0): $(head -n 1 "$WORK/err")"
    fi
done

# Alpha, exactly: tm3n3p02 is blue (0,0,255) in four 16x16 quadrants of
# alpha 0 / 85 / 170 / 255 (no gAMA chunk, so no gamma question).
tm="$WORK/suite/tm3n3p02.png"
if [ -f "$tm" ]; then
    t="$WORK/suite_out/tm3n3p02.png"
    check "tm3n3p02 -F same: RGBA PNG thumbnail of 32x32" [ "$("$TFTOOL" dims "$t" 2>/dev/null)" = "32 32 4" ]
    check "tm3n3p02 -F same: alpha 85 and 255 quadrants kept" \
        near "$("$TFTOOL" pixel "$t" 24 8 2>/dev/null | cut -d' ' -f4) $("$TFTOOL" pixel "$t" 24 24 2>/dev/null)" "85 0 0 255 255" 1
    check "tm3n3p02 -F same: alpha 0 and 170 quadrants kept" \
        near "$("$TFTOOL" pixel "$t" 8 8 2>/dev/null | cut -d' ' -f4) $("$TFTOOL" pixel "$t" 8 24 2>/dev/null)" "0 0 0 255 170" 1
    line=$("$TFTOOL" psnr "$tm" "$t" 45)
    check "tm3n3p02 -F same, all 4 channels: $line, at least 45 dB" [ $? -eq 0 ]

    run -F jpeg -o "$WORK/jpeg" "$tm"
    t="$WORK/jpeg/tm3n3p02.jpg"
    check "tm3n3p02 -F jpeg exits 0 (got $rc)" [ "$rc" -eq 0 ]
    check "tm3n3p02 -F jpeg writes tm3n3p02.jpg, a JPEG" is_jpeg "$t"
    check "tm3n3p02 -F jpeg: 32x32, 3 channels" [ "$("$TFTOOL" dims "$t" 2>/dev/null)" = "32 32 3" ]
    # over white: (1-a)*255 + a*(0,0,255)
    for q in "8 8:255 255 255:alpha 0" "24 8:170 170 255:alpha 85" \
             "8 24:85 85 255:alpha 170" "24 24:0 0 255:alpha 255"; do
        IFS=: read -r xy want what <<<"$q"
        got=$("$TFTOOL" pixel "$t" $xy 2>/dev/null)
        check "tm3n3p02 -F jpeg: the $what quadrant over white is ($want) within 8 (got $got)" \
            near "$got" "$want" 8
    done
    line=$("$TFTOOL" psnr "$tm" "$t" 30)
    check "tm3n3p02 -F jpeg against the source over white: $line, at least 30 dB" [ $? -eq 0 ]
fi

# png/real (PNG.md): the valid ones decode; the corrupt_* ones either give
# a thumbnail or fail cleanly; never a crash or a hang.
mkdir -p "$WORK/real"
cp "$png/real"/*.png "$WORK/real/"
chmod -R u+w "$WORK/real"
for f in "$WORK/real"/*.png; do
    n=$(basename "$f")
    timeout $((30 * slow)) "$THUMBIFY" -p 1 -F same -o "$WORK/realout/$n" "$f" >"$WORK/stdout" 2>"$WORK/err"
    rc=$?
    t="$WORK/realout/$n/$n"
    made=$(find "$WORK/realout/$n" -type f 2>/dev/null | grep -c .)
    lines=$(grep -cF "thumbify: $f: " "$WORK/err")
    if [ "$rc" -ge 124 ]; then
        fail "$n: hung or crashed (exit $rc)"
        continue
    fi
    case $n in
        corrupt_*)
            if [ "$rc" -eq 0 ] && [ "$made" -eq 1 ] && [ -s "$t" ] && fits_box "$t" "$f" 75 75; then
                ok "$n: decodes (allowed), $("$TFTOOL" dims "$t")"
            elif [ "$rc" -eq 1 ] && [ "$made" -eq 0 ] && [ "$lines" -eq 1 ]; then
                ok "$n: fails cleanly (allowed): $(grep -F "thumbify: $f: " "$WORK/err" | sed "s|^thumbify: $f: ||")"
            else
                fail "$n: neither a thumbnail nor a clean failure (exit $rc, $made output(s), $lines line(s): $(head -n 1 "$WORK/err"))"
            fi ;;
        *)
            # Orientation in XMP/text chunks may or may not be applied:
            # accept the box fit either way round.
            read -r sw sh _ < <("$TFTOOL" dims "$f")
            read -r tw th tc < <("$TFTOOL" dims "$t" 2>/dev/null)
            fit=no
            if [ "$rc" -eq 0 ] && [ -s "$t" ] && is_png "$t" &&
               { fits_dims "$tw" "$th" "$sw" "$sh" || fits_dims "$tw" "$th" "$sh" "$sw"; }; then
                fit=yes
            fi
            check "$n: decodes to a PNG fitting 75x75 (exit $rc, ${sw}x${sh} -> ${tw:-?}x${th:-?}x${tc:-?})" [ "$fit" = yes ] ;;
    esac
done
# Wide-gamut profiles whose header gives another PCS illuminant than D50,
# and an old HP/Microsoft sRGB profile libpng calls "known incorrect":
# libpng warns, harmlessly (the profile converts as it should), so
# --strict passes them.
for n in icc_p3_rgba_1000x1000.png icc_rgb_to_gbr_1000x1000.png icc_profile_rgba_57x57.png; do
    f="$WORK/real/$n"
    run --strict -o "$WORK/strict_icc" "$f"
    check "$n passes --strict (exit $rc: $(head -n 1 "$WORK/err"))" \
        bash -c "[ $rc -eq 0 ] && [ -s '$WORK/strict_icc/$n' ] && ! grep -q warning '$WORK/err'"
done
# Orientation 3 in ImageMagick's "Raw profile type exif" text chunk (PNG.md
# calls it an eXIf chunk): turned as Pillow and libvips turn it.
f="$WORK/real/rgb8_exif_chunk_orientation_512x512.png"
run -o "$WORK/raw" "$f"
line=$("$TFTOOL" psnr --orient 3 "$f" "$WORK/raw/rgb8_exif_chunk_orientation_512x512.png" 40)
check "rgb8_exif_chunk_orientation_512x512.png is turned by its EXIF orientation 3: $line, at least 40 dB" \
    [ $? -eq 0 ]
# A PNG cut short in its image data fares as a cut JPEG: a thumbnail and
# a warning, a failure under --strict.
f="$WORK/real/corrupt_truncated_image.png"
run -o "$WORK/trunc" "$f"
check "corrupt_truncated_image.png: a thumbnail (exit $rc)" \
    bash -c "[ $rc -eq 0 ] && [ -s '$WORK/trunc/corrupt_truncated_image.png' ]"
check "corrupt_truncated_image.png: the warning says what was kept ($(head -n 1 "$WORK/err"))" \
    grep -qE "^thumbify: $f: warning: premature end of PNG file: [0-9]+ of 480 rows decoded, the rest is grey$" "$WORK/err"
run --strict -o "$WORK/trunc_strict" "$f"
check "corrupt_truncated_image.png --strict: exit 1 (got $rc), nothing written" \
    bash -c "[ $rc -eq 1 ] && [ -z \"\$(find '$WORK/trunc_strict' -type f 2>/dev/null)\" ]"
check "no temp files left" no_temp_files "$WORK"
finish
