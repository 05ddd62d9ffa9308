#!/usr/bin/env bash
# ICC colour management on real files: an image tagged with a non-sRGB
# profile is converted to sRGB. The thumbnail's mean colour is compared
# with tftool's own LittleCMS conversion of the full-size source
# (mean-icc); area averaging keeps the mean, so they agree within 3. The
# swapped-primaries file is also checked to be far from its unconverted
# mean, so ignoring the profile cannot pass. A broken profile is dropped,
# the image still decodes, and -v says so. The IEC sRGB profile is left
# alone.
. "$(dirname "$0")/../lib.sh"
corpus # sets CORPUS, or skips (77) when THUMBIFY_CORPUS is unset
edge="$CORPUS/edge" png="$CORPUS/png/real"

# max_diff "A B C" "D E F": the largest |difference| of matching values,
# two decimals.
max_diff() { awk -v a="$1" -v b="$2" 'BEGIN { n = split(a, x, " "); split(b, y, " "); m = 0
    for (i = 1; i <= n; i++) { d = x[i] - y[i]; if (d < 0) d = -d; if (d > m) m = d }
    printf "%.2f\n", m }'; }
# le A B, gt A B: A <= B, A > B (decimals).
le() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a <= b) }'; }
gt() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a > b) }'; }
# rgb "R G B A": the first three values (the colour, alpha dropped).
rgb() { cut -d' ' -f1-3 <<<"$1"; }

mkdir -p "$WORK/in"
files=(icc_p3_d65_color_ring_1000x1000.jpg icc_adobe_rgb_1998_2000x1072.jpg
       icc_rgb_to_gbr_swapped_primaries_1000x1000.jpg icc_display_p3_mpo_56x70.mpo
       icc_missing_chunk_1x1.jpg)
for f in "${files[@]}"; do
    if [ -f "$edge/$f" ]; then cp "$edge/$f" "$WORK/in/"; else fail "$edge/$f exists"; fi
done
# PNG: the same two test images with an iCCP chunk (opaque RGBA)
for f in icc_rgb_to_gbr_1000x1000.png icc_p3_rgba_1000x1000.png; do
    if [ -f "$png/$f" ]; then cp "$png/$f" "$WORK/in/"; else fail "$png/$f exists"; fi
done
chmod -R u+w "$WORK/in"

for f in icc_p3_d65_color_ring_1000x1000.jpg icc_adobe_rgb_1998_2000x1072.jpg \
         icc_rgb_to_gbr_swapped_primaries_1000x1000.jpg icc_display_p3_mpo_56x70.mpo \
         icc_rgb_to_gbr_1000x1000.png icc_p3_rgba_1000x1000.png; do
    src="$WORK/in/$f"
    [ -f "$src" ] || continue
    # a file operand, whatever its extension (.mpo is not scanned)
    run -F png -o "$WORK/png" "$src"
    t="$WORK/png/${f%.*}.png"
    check "$f -F png exits 0 (got $rc)" [ "$rc" -eq 0 ]
    check "$f -F png writes ${f%.*}.png" [ -s "$t" ]
    [ -s "$t" ] || continue
    want=$("$TFTOOL" mean-icc "$src")
    check "$f has an embedded profile tftool can apply" [ -n "$want" ]
    got=$("$TFTOOL" mean "$t")
    d=$(max_diff "$(rgb "$got")" "$(rgb "$want")")
    check "$f: thumbnail mean ($(rgb "$got")) within 3.0 of the source converted to sRGB ($(rgb "$want")): off by $d" \
        le "$d" 3.0
    if [[ $f == icc_rgb_to_gbr_* ]]; then
        raw=$("$TFTOOL" mean "$src")
        sep=$(max_diff "$(rgb "$raw")" "$(rgb "$want")")
        check "$f: converted and unconverted means differ by $sep (> 6, so the test can tell)" \
            gt "$sep" 6.0
        far=$(max_diff "$(rgb "$got")" "$(rgb "$raw")")
        check "$f: the thumbnail is not the unconverted colour ($(rgb "$raw")): off by $far > 4.0" \
            gt "$far" 4.0
    fi
done

# A profile with a chunk missing: dropped, the image decodes, -v says so.
src="$WORK/in/icc_missing_chunk_1x1.jpg"
if [ -f "$src" ]; then
    run -v -o "$WORK/missing" "$src"
    check "icc_missing_chunk_1x1.jpg decodes (exit $rc)" [ "$rc" -eq 0 ]
    check "icc_missing_chunk_1x1.jpg: a 1x1 thumbnail" \
        [ "$(find "$WORK/missing" -type f -exec "$TFTOOL" dims {} \; 2>/dev/null | cut -d' ' -f1,2)" = "1 1" ]
    # the file's own name has "icc" in it: look at the lines without it
    said=$(while IFS= read -r l; do
        s=${l//icc_missing_chunk_1x1/}
        if [[ ${s,,} == *icc* ]]; then echo "$l"; break; fi
    done <"$WORK/err")
    check "icc_missing_chunk_1x1.jpg -v: says the ICC profile was dropped (${said:-nothing said})" \
        [ -n "$said" ]
    run -o "$WORK/missing2" "$src"
    check "icc_missing_chunk_1x1.jpg without -v: exit 0 (got $rc)" [ "$rc" -eq 0 ]
fi
# A photo tagged with the IEC sRGB profile (the Kodak's): left as it is,
# -v says so, and its colours still agree with LittleCMS's conversion.
src="$CORPUS/photos/mei_Kodak_PIXPRO_S-1.jpg"
if [ -f "$src" ]; then
    run -v -F png -o "$WORK/srgb" "$src"
    check "Kodak (IEC sRGB profile) -v: 'ICC profile is sRGB: no conversion'" \
        grep -qF "ICC profile is sRGB: no conversion" "$WORK/err"
    want=$("$TFTOOL" mean-icc "$src") got=$("$TFTOOL" mean "$WORK/srgb/mei_Kodak_PIXPRO_S-1.png")
    d=$(max_diff "$(rgb "$got")" "$(rgb "$want")")
    check "Kodak: thumbnail mean within 1.0 of the source converted by LittleCMS: off by $d" le "$d" 1.0
else
    fail "$src exists"
fi
check "no temp files left" no_temp_files "$WORK"
finish
