#!/usr/bin/env bash
# Formats and colour on the generated testdata (tests/gen/README.md): PNG
# in and out (-F jpeg|png|same, names, alpha kept or composited over
# white), content sniffing, EXIF orientation 1-8, CMYK/YCCK, embedded ICC
# profiles, --strict, --max-pixels, and the new options' usage errors.
. "$(dirname "$0")/../lib.sh"

# mean_near "A B C" "D E F" TOL: the same for decimals.
mean_near() {
    awk -v a="$1" -v b="$2" -v t="$3" 'BEGIN { n = split(a, x, " "); if (n != split(b, y, " ") || n == 0) exit 1
        for (i = 1; i <= n; i++) { d = x[i] - y[i]; if (d < 0) d = -d; if (d > t) exit 1 } }'
}

# ---------------------------------------------------------------- orientation
# orient_N.jpg stores the picture so that EXIF orientation N shows
# upright_reference.png (160x120); every thumbnail must show it upright.
o="$TESTDATA/orientation"
run -p 2 -F png -o "$WORK/orient" "$o"/orient_{1,2,3,4,5,6,7,8}.jpg
check "orientation 1-8 -F png exits 0 (got $rc)" [ "$rc" -eq 0 ]
for n in 1 2 3 4 5 6 7 8; do
    t="$WORK/orient/orient_$n.png"
    check "orient_$n.jpg: thumbnail is 75x56 upright (got $(dims "$t"))" [ "$(dims "$t")" = "75 56 3" ]
    line=$("$TFTOOL" psnr "$o/upright_reference.png" "$t" 35)
    check "orient_$n.jpg upright: $line, at least 35 dB" [ $? -eq 0 ]
    line=$("$TFTOOL" psnr --orient auto "$o/orient_$n.jpg" "$t" 35)
    check "orient_$n.jpg against its own source turned by tftool: $line" [ $? -eq 0 ]
done
run -q -F jpeg -o "$WORK/orientj" "$o/orient_6.jpg" "$o/orient_3.jpg"
for n in 3 6; do
    t="$WORK/orientj/orient_$n.jpg"
    check "orient_$n.jpg -F jpeg: 75x56 (got $(dims "$t"))" [ "$(dims "$t")" = "75 56 3" ]
    tag=$("$TFTOOL" exif-orientation "$t" 2>/dev/null)
    check "orient_$n.jpg -F jpeg: no orientation tag left (reads ${tag:-nothing})" [ "$tag" = 1 ]
done

# ---------------------------------------------------------------- PNG in, PNG out
mkdir -p "$WORK/png"
cp "$TESTDATA"/png/*.png "$WORK/png/"
cp "$TESTDATA/png/rgb_320x240.png" "$WORK/png/UPPER CASE.PNG"
pngs=$(ls "$WORK/png" | grep -icE '\.png$')
run -p 2 "$WORK/png"
check "a directory of PNGs exits 0 (got $rc)" [ "$rc" -eq 0 ]
check "every .png / .PNG is an input: $pngs thumbnails" grep -qE "^$pngs thumbnails, 0 failed" "$WORK/err"
bad=""
for f in "$WORK/png"/*; do
    [ -f "$f" ] || continue
    n=$(basename "$f") t="$WORK/png/thumbs/$(basename "$f")"
    { is_png "$t" && fits_box "$t" "$f" 75 75; } || bad="$bad $n"
done
check "PNG in, PNG out under the same name, fitting 75x75${bad:+ (not:$bad)}" [ -z "$bad" ]
P="$WORK/png/thumbs"
check "rgb_320x240.png -> 75x56 RGB PNG" [ "$(dims "$P/rgb_320x240.png")" = "75 56 3" ]
check "rgba_320x240.png -> 75x56 RGBA PNG (alpha kept)" [ "$(dims "$P/rgba_320x240.png")" = "75 56 4" ]
check "palette_200x150.png with tRNS -> RGBA PNG (alpha kept)" [ "$(dims "$P/palette_200x150.png")" = "75 56 4" ]
check "gray16_200x150.png -> grey PNG" [ "$(dims "$P/gray16_200x150.png")" = "75 56 1" ]
check "gray_alpha_200x150.png -> grey+alpha PNG" [ "$(dims "$P/gray_alpha_200x150.png")" = "75 56 2" ]
check "tiny_1x1.png -> 1x1 (200,100,50)" [ "$(pixel "$P/tiny_1x1.png" 0 0)" = "200 100 50" ]
for n in rgb_320x240 interlaced_320x240 gray16_200x150 palette_200x150 rgba_320x240 gray_alpha_200x150; do
    line=$("$TFTOOL" psnr "$WORK/png/$n.png" "$P/$n.png" 40)
    check "$n.png: $line, at least 40 dB" [ $? -eq 0 ]
done
line=$("$TFTOOL" psnr "$WORK/png/rgb_320x240.png" "$P/interlaced_320x240.png" 40)
check "Adam7 interlaced decodes as the plain file: $line" [ $? -eq 0 ]
# palette: 4x4 blocks of 50x37.5; index 0 (red) alpha 0, 1 (green) 128,
# 2 (blue) 64. In the 75x56 thumbnail the block centres are at x 9/28/46.
check "palette PNG -F same: tRNS alpha 0 / 128 / 64 kept at the block centres" \
    near "$(pixel "$P/palette_200x150.png" 9 7 | cut -d' ' -f4) $(pixel "$P/palette_200x150.png" 28 7 | cut -d' ' -f4) $(pixel "$P/palette_200x150.png" 46 7 | cut -d' ' -f4)" "0 128 64" 2
check "palette PNG -F same: green and blue keep their colour under alpha" \
    near "$(pixel "$P/palette_200x150.png" 28 7 | cut -d' ' -f1-3) $(pixel "$P/palette_200x150.png" 46 7 | cut -d' ' -f1-3)" "0 255 0 0 0 255" 4

# ---------------------------------------------------------------- -F jpeg: .png -> .jpg
run -p 2 -F jpeg -o "$WORK/j" "$WORK/png"
check "-F jpeg over the PNGs exits 0 (got $rc)" [ "$rc" -eq 0 ]
bad=""
for f in "$WORK/png"/*; do
    [ -f "$f" ] || continue
    n=$(basename "$f") stem=${n%.*}
    is_jpeg "$WORK/j/$stem.jpg" || bad="$bad $n"
done
check "-F jpeg: a.png -> a.jpg, a JPEG${bad:+ (not:$bad)}" [ -z "$bad" ]
check "-F jpeg: no .png written" [ -z "$(find "$WORK/j" -iname '*.png' -print -quit)" ]
check "-F jpeg: rgba_320x240.jpg is 75x56 RGB" [ "$(dims "$WORK/j/rgba_320x240.jpg")" = "75 56 3" ]
check "-F jpeg: grey+alpha gives a grey JPEG" [ "$(dims "$WORK/j/gray_alpha_200x150.jpg")" = "75 56 1" ]
for n in rgba_320x240 gray_alpha_200x150 palette_200x150; do
    line=$("$TFTOOL" psnr "$WORK/png/$n.png" "$WORK/j/$n.jpg" 32)
    check "$n -F jpeg against the source over white: $line, at least 32 dB" [ $? -eq 0 ]
done
# rgba: alpha ramps from 0 at the top-left corner: white there
check "rgba -F jpeg: the transparent corner is white ($(pixel "$WORK/j/rgba_320x240.jpg" 0 0))" \
    near "$(pixel "$WORK/j/rgba_320x240.jpg" 0 0)" "255 255 255" 10
# palette over white: red alpha 0 -> white, green alpha 128 -> (127,255,127),
# blue alpha 64 -> (191,191,255)
check "palette -F jpeg: transparent red block is white ($(pixel "$WORK/j/palette_200x150.jpg" 9 7))" \
    near "$(pixel "$WORK/j/palette_200x150.jpg" 9 7)" "255 255 255" 8
check "palette -F jpeg: half-transparent green over white ($(pixel "$WORK/j/palette_200x150.jpg" 28 7))" \
    near "$(pixel "$WORK/j/palette_200x150.jpg" 28 7)" "127 255 127" 8
check "palette -F jpeg: quarter-opaque blue over white ($(pixel "$WORK/j/palette_200x150.jpg" 46 7))" \
    near "$(pixel "$WORK/j/palette_200x150.jpg" 46 7)" "191 191 255" 8

# ---------------------------------------------------------------- -F png: .jpg -> .png
run -F png -o "$WORK/p" "$TESTDATA/gradient_640x480.jpg" "$TESTDATA/gray_300x200.jpg" \
    "$TESTDATA/ext_jpeg.jpeg" "$TESTDATA/name with spaces.jpg"
check "-F png over JPEGs exits 0 (got $rc)" [ "$rc" -eq 0 ]
check "-F png: b.jpg -> b.png, a PNG" is_png "$WORK/p/gradient_640x480.png"
check "-F png: .jpeg -> .png" is_png "$WORK/p/ext_jpeg.png"
check "-F png: a name with spaces keeps its name" is_png "$WORK/p/name with spaces.png"
check "-F png: no .jpg written" [ -z "$(find "$WORK/p" -iname '*.jp*g' -print -quit)" ]
check "-F png: grey JPEG gives a grey PNG" [ "$(dims "$WORK/p/gray_300x200.png")" = "75 50 1" ]
line=$("$TFTOOL" psnr "$TESTDATA/gradient_640x480.jpg" "$WORK/p/gradient_640x480.png" 40)
check "-F png: $line, at least 40 dB (no JPEG loss)" [ $? -eq 0 ]
run -F same -o "$WORK/same" "$TESTDATA/ext_jpeg.jpeg" "$WORK/png/rgb_320x240.png"
check "-F same exits 0 (got $rc)" [ "$rc" -eq 0 ]
check "-F same: .jpeg stays .jpeg" is_jpeg "$WORK/same/ext_jpeg.jpeg"
check "-F same: .png stays .png" is_png "$WORK/same/rgb_320x240.png"
run --format=jpeg -o "$WORK/long" "$TESTDATA/ext_jpeg.jpeg" "$WORK/png/rgb_320x240.png"
check "--format=jpeg exits 0 (got $rc)" [ "$rc" -eq 0 ]
check "--format=jpeg: a .jpeg source keeps its name" is_jpeg "$WORK/long/ext_jpeg.jpeg"
check "--format=jpeg: .png becomes .jpg" is_jpeg "$WORK/long/rgb_320x240.jpg"
line=$("$TFTOOL" psnr "$WORK/same/ext_jpeg.jpeg" "$WORK/long/ext_jpeg.jpeg" 99)
check "-F jpeg: a JPEG's thumbnail has the same pixels as -F same's: $line" [ $? -eq 0 ]
mkdir -p "$WORK/clash"
cp "$TESTDATA/gradient_640x480.jpg" "$WORK/clash/a.jpg"
cp "$TESTDATA/png/rgb_320x240.png" "$WORK/clash/a.png"
run -F png "$WORK/clash"
check "-F png with a.jpg and a.png: the clash on thumbs/a.png fails (exit $rc)" [ "$rc" -eq 1 ]
check "-F png with a.jpg and a.png: the clash is explained for both" \
    [ "$(grep -c 'would also be written from.*neither is written' "$WORK/err")" -eq 2 ]
check "-F png with a.jpg and a.png: neither is written" [ ! -e "$WORK/clash/thumbs/a.png" ]

# ---------------------------------------------------------------- content, not name
run -o "$WORK/sniff" "$TESTDATA/bad/png_named.jpg"
check "PNG bytes named .jpg decode by content (exit $rc)" [ "$rc" -eq 0 ]
# -F same: the name says JPEG, so png_named.jpg, a JPEG: the output's name
# is known before the file is read, whatever its bytes.
t=$WORK/sniff/png_named.jpg
check "png_named.jpg: one thumbnail, png_named.jpg" [ "$(find "$WORK/sniff" -type f)" = "$t" ]
check "png_named.jpg: a JPEG" is_jpeg "$t"
check "png_named.jpg: 64x48 RGB (got $(dims "$t"))" [ "$(dims "$t")" = "64 48 3" ]
line=$("$TFTOOL" psnr "$TESTDATA/bad/png_named.jpg" "$t" 35)
check "png_named.jpg: $line, at least 35 dB" [ $? -eq 0 ]
run -F jpeg -o "$WORK/sniffj" "$TESTDATA/bad/png_named.jpg"
check "png_named.jpg -F jpeg: png_named.jpg, a JPEG" is_jpeg "$WORK/sniffj/png_named.jpg"
run -F png -o "$WORK/sniffp" "$TESTDATA/bad/png_named.jpg"
check "png_named.jpg -F png: png_named.png, a PNG" is_png "$WORK/sniffp/png_named.png"
line=$("$TFTOOL" psnr "$TESTDATA/bad/png_named.jpg" "$WORK/sniffp/png_named.png" 40)
check "png_named.jpg -F png: $line, at least 40 dB" [ $? -eq 0 ]

# ---------------------------------------------------------------- CMYK / YCCK
# Adobe-inverted CMYK/YCCK of the same pattern as arith_400x300.jpg (RGB):
# the same colours once converted.
run -F png -o "$WORK/cmyk" "$TESTDATA/cmyk_adobe_400x300.jpg" "$TESTDATA/ycck_400x300.jpg"
check "CMYK and YCCK exit 0 (got $rc)" [ "$rc" -eq 0 ]
rgb_mean=$("$TFTOOL" mean "$TESTDATA/arith_400x300.jpg")
for n in cmyk_adobe_400x300 ycck_400x300; do
    t="$WORK/cmyk/$n.png"
    check "$n: an RGB thumbnail (got $(dims "$t"))" [ "$(dims "$t")" = "75 56 3" ]
    m=$("$TFTOOL" mean "$t" 2>/dev/null)
    check "$n: mean colour ($m) within 3 of the RGB original's ($rgb_mean)" mean_near "$m" "$rgb_mean" 3
    line=$("$TFTOOL" psnr "$TESTDATA/$n.jpg" "$t" 35)
    check "$n against tftool's inverted-CMYK conversion: $line, at least 35 dB" [ $? -eq 0 ]
done

# ---------------------------------------------------------------- ICC
# Adobe RGB (1998) profile, 4x2 grid of 100x150 patches of known sRGB
# colour; patch centres in the 75x56 thumbnail: x 9/28/46/65, y 14/42.
patches=("255 0 0" "0 255 0" "0 0 255" "128 128 128" "240 160 40" "40 180 60" "200 150 120" "60 100 200")
run -F png -o "$WORK/icc" "$TESTDATA/icc_adobergb_400x300.jpg" "$TESTDATA/icc_multichunk_400x300.jpg"
check "ICC files exit 0 (got $rc)" [ "$rc" -eq 0 ]
for n in icc_adobergb_400x300 icc_multichunk_400x300; do
    t="$WORK/icc/$n.png"
    off=""
    for i in "${!patches[@]}"; do
        x=$(( (2 * (i % 4) + 1) * 75 / 8 )) y=$(( (2 * (i / 4) + 1) * 56 / 4 ))
        got=$(pixel "$t" "$x" "$y")
        near "$got" "${patches[$i]}" 4 || off="$off ($x,$y)=${got:-none}~${patches[$i]// /,}"
    done
    check "$n: the 8 patches are their sRGB colours within 4${off:+ (not:$off)}" [ -z "$off" ]
    m=$("$TFTOOL" mean "$t" 2>/dev/null) want=$("$TFTOOL" mean-icc "$TESTDATA/$n.jpg")
    check "$n: mean ($m) within 3 of tftool's LittleCMS conversion ($want)" mean_near "$m" "$want" 3
done
run -F jpeg -o "$WORK/iccj" "$TESTDATA/icc_adobergb_400x300.jpg"
check "ICC -F jpeg: green patch is green in the JPEG too ($(pixel "$WORK/iccj/icc_adobergb_400x300.jpg" 28 14))" \
    near "$(pixel "$WORK/iccj/icc_adobergb_400x300.jpg" 28 14)" "0 255 0" 8

# ---------------------------------------------------------------- damage, --strict
mkdir -p "$WORK/strict"
cp "$TESTDATA/bad/truncated_half.jpg" "$TESTDATA/gradient_640x480.jpg" "$WORK/strict/"
tr="$WORK/strict/truncated_half.jpg"
run -o "$WORK/lenient" "$tr"
check "truncated_half.jpg without --strict: exit 0 (got $rc)" [ "$rc" -eq 0 ]
check "truncated_half.jpg without --strict: a thumbnail" [ -s "$WORK/lenient/truncated_half.jpg" ]
check "truncated_half.jpg without --strict: the warning line" \
    grep -qxF "thumbify: $tr: warning: premature end of JPEG file" "$WORK/err"
run --strict -o "$WORK/strictout" "$tr"
check "truncated_half.jpg --strict: exit 1 (got $rc)" [ "$rc" -eq 1 ]
check "truncated_half.jpg --strict: no thumbnail" [ -z "$(find "$WORK/strictout" -type f 2>/dev/null)" ]
check "truncated_half.jpg --strict: a line naming it ($(head -n 1 "$WORK/err"))" \
    grep -qF "thumbify: $tr: " "$WORK/err"
check "truncated_half.jpg --strict: counted as failed" grep -qE "^0 thumbnails, 1 failed" "$WORK/err"
tp="$WORK/strict/truncated_progressive.jpg"
cp "$TESTDATA/bad/truncated_progressive.jpg" "$tp"
run -o "$WORK/lenient_p" "$tp"
check "truncated_progressive.jpg without --strict: the warning line" \
    grep -qxF "thumbify: $tp: warning: premature end of JPEG file" "$WORK/err"
run --strict -o "$WORK/strict_p" "$tp"
check "truncated_progressive.jpg --strict: exit 1 (got $rc)" [ "$rc" -eq 1 ]
check "truncated_progressive.jpg --strict: no thumbnail" [ -z "$(find "$WORK/strict_p" -type f 2>/dev/null)" ]
rm -f "$tp"
run --strict "$WORK/strict"
check "--strict batch: exit 1 (got $rc)" [ "$rc" -eq 1 ]
check "--strict batch: the good file still gets its thumbnail" [ -s "$WORK/strict/thumbs/gradient_640x480.jpg" ]
check "--strict batch: the damaged one does not" [ ! -e "$WORK/strict/thumbs/truncated_half.jpg" ]
run --strict -o "$WORK/strictok" "$TESTDATA/gradient_640x480.jpg" "$TESTDATA/png/rgba_320x240.png"
check "--strict on undamaged files: exit 0 (got $rc)" [ "$rc" -eq 0 ]

# ---------------------------------------------------------------- --max-pixels
g="$TESTDATA/gradient_640x480.jpg"
run --max-pixels 1000 -o "$WORK/limit" "$g"
check "--max-pixels 1000 refuses 640x480: exit 1 (got $rc)" [ "$rc" -eq 1 ]
check "--max-pixels 1000: the message names the file and the limit ($(head -n 1 "$WORK/err"))" \
    says "$g" '1000|limit'
check "--max-pixels 1000: no thumbnail" [ -z "$(find "$WORK/limit" -type f 2>/dev/null)" ]
run --max-pixels 307200 -o "$WORK/limit2" "$g"
check "--max-pixels 307200 (exactly 640x480) accepts it (exit $rc)" [ "$rc" -eq 0 ]
run --max-pixels 1000 -o "$WORK/limit3" "$TESTDATA/png/rgb_320x240.png"
check "--max-pixels applies to PNG too: exit 1 (got $rc)" [ "$rc" -eq 1 ]
check "--max-pixels applies to PNG too: no thumbnail" [ ! -e "$WORK/limit3/rgb_320x240.png" ]

# ---------------------------------------------------------------- > 1000 scans
# progressive_1024x768.jpg with its last scan repeated: N scans in all
# (libjpeg only warns about the repeats). More than 1000 are refused,
# whatever the decode scale; 1000 are not.
pj="$TESTDATA/progressive_1024x768.jpg"
sos=$(LC_ALL=C grep -obUaP '\xFF\xDA' "$pj" | cut -d: -f1)
nscans=$(wc -w <<<"$sos") last=$(tail -n 1 <<<"$sos") size=$(stat -c %s "$pj")
check "progressive_1024x768.jpg has 10 scans (found $nscans)" [ "$nscans" -eq 10 ]
if [ "$nscans" -eq 10 ]; then
    head -c "$((size - 2))" "$pj" | tail -c "+$((last + 1))" >"$WORK/lastscan"
    # with_scans N OUT
    with_scans() {
        local i
        {
            head -c "$last" "$pj"
            for ((i = nscans - 1; i < $1; i++)); do cat "$WORK/lastscan"; done
            printf '\xff\xd9'
        } >"$2"
    }
    with_scans 1001 "$WORK/scans_1001.jpg"
    with_scans 1000 "$WORK/scans_1000.jpg"
    t0=$(date +%s%N)
    run -o "$WORK/scans" "$WORK/scans_1001.jpg"
    ms=$(( ($(date +%s%N) - t0) / 1000000 ))
    check "1001 scans: refused (exit $rc, $ms ms)" [ "$rc" -eq 1 ]
    check "1001 scans: the message names the file and the scans ($(head -n 1 "$WORK/err"))" \
        says "$WORK/scans_1001.jpg" 'scan'
    check "1001 scans: no thumbnail" [ -z "$(find "$WORK/scans" -type f 2>/dev/null)" ]
    run -s 1024x768 -o "$WORK/scans_full" "$WORK/scans_1001.jpg"
    check "1001 scans, full-size decode (-s 1024x768): refused (exit $rc)" [ "$rc" -eq 1 ]
    run -s 1024x768 -o "$WORK/scans_full" "$WORK/scans_1000.jpg"
    check "1000 scans, full-size decode: still decoded (exit $rc)" [ "$rc" -eq 0 ]
    run -o "$WORK/scans_small" "$WORK/scans_1000.jpg"
    check "1000 scans, 75x75: still decoded (exit $rc)" [ "$rc" -eq 0 ]
fi

# ---------------------------------------------------------------- usage errors
mkdir -p "$WORK/one"
cp "$TESTDATA/gradient_640x480.jpg" "$WORK/one/"
usage() {
    local want=$1; shift
    run "$@" "$WORK/one"
    if [ "$rc" -eq 2 ] && grep -qF -- "$want" "$WORK/err" && grep -qxF "Try 'thumbify --help' for more information." "$WORK/err" &&
       ! grep -qiE "unknown|unrecognized" "$WORK/err" && [ ! -e "$WORK/one/thumbs" ]; then
        ok "'$*' is a usage error naming $want"
    else
        fail "'$*' should be a usage error naming $want, nothing done (rc $rc: $(head -n 1 "$WORK/err"))"
    fi
}
usage "-F/--format" -F gif
usage "-F/--format" --format=gif
usage "-F/--format" -F ""
usage "--max-pixels" --max-pixels 0
usage "--max-pixels" --max-pixels abc
usage "--max-pixels" --max-pixels -5
run --help
for opt in -F --format --strict --max-pixels; do
    check "--help mentions $opt" grep -qE -- "(^| )$opt( |,|=|$)" "$WORK/out"
done

check "no temp files left" no_temp_files "$WORK"
finish
