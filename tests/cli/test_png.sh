#!/usr/bin/env bash
# PNG decoding on the generated testdata: 16-bit Adam7 as its plain twin,
# the EXIF orientation (eXIf chunk, or ImageMagick's raw profile text), a
# file cut short (what was decoded, a warning; --strict fails it), libpng's
# harmless ICC-header warning under --strict, and long libpng messages
# printed whole.
. "$(dirname "$0")/../lib.sh"

P="$TESTDATA/png"
O="$TESTDATA/orientation"
dims_of() { "$TFTOOL" dims "$1" 2>/dev/null; }

# ------------------------------------------------ 16-bit Adam7 = plain twin
run -o "$WORK/16" "$P/rgb16_200x150.png" "$P/rgb16_interlaced_200x150.png"
check "16-bit RGB plain and Adam7: exit 0 (got $rc)" [ "$rc" -eq 0 ]
line=$("$TFTOOL" psnr "$WORK/16/rgb16_200x150.png" "$WORK/16/rgb16_interlaced_200x150.png")
check "16-bit Adam7 thumbnail equals its plain twin's ($line)" \
    same_pixels "$WORK/16/rgb16_200x150.png" "$WORK/16/rgb16_interlaced_200x150.png"
line=$("$TFTOOL" psnr "$P/rgb16_200x150.png" "$WORK/16/rgb16_interlaced_200x150.png" 40)
check "16-bit Adam7 against the exact area average of the source: $line, at least 40 dB" [ $? -eq 0 ]

# ------------------------------------------------ eXIf orientation
run -p 2 -o "$WORK/exif" "$O/exif_orient6.png" "$O/exif_orient8_after_idat.png" \
    "$O/raw_profile_orient5.png"
check "eXIf PNGs: exit 0 (got $rc)" [ "$rc" -eq 0 ]
for n in exif_orient6 exif_orient8_after_idat raw_profile_orient5; do
    t="$WORK/exif/$n.png"
    check "$n.png (stored 120x160): thumbnail 75x56, upright" [ "$(dims_of "$t")" = "75 56 3" ]
    line=$("$TFTOOL" psnr "$O/upright_reference.png" "$t" 35)
    check "$n.png shows upright_reference.png: $line, at least 35 dB" [ $? -eq 0 ]
done

# ------------------------------------------------ cut short
mkdir -p "$WORK/cut"
plain="$P/rgb_320x240.png" inter="$P/interlaced_320x240.png"
run -o "$WORK/clean" "$plain" "$inter"
head -c 27000 "$plain" >"$WORK/cut/plain_half.png"
head -c $(($(stat -c %s "$plain") - 20)) "$plain" >"$WORK/cut/plain_trailer.png"
head -c 1000 "$inter" >"$WORK/cut/adam7_pass1.png"
head -c $(($(stat -c %s "$inter") * 6 / 10)) "$inter" >"$WORK/cut/adam7_late.png"
head -c 60 "$plain" >"$WORK/cut/no_rows.png"
for n in plain_half plain_trailer adam7_pass1 adam7_late; do
    f="$WORK/cut/$n.png"
    run -o "$WORK/lenient/$n" "$f"
    check "$n.png (cut short) without --strict: exit 0, as a cut JPEG (got $rc)" [ "$rc" -eq 0 ]
    check "$n.png: a thumbnail of the whole picture's size ($(dims_of "$WORK/lenient/$n/$n.png"))" \
        [ "$(dims_of "$WORK/lenient/$n/$n.png")" = "75 56 3" ]
    check "$n.png: one warning line naming it ($(head -n 1 "$WORK/err"))" \
        grep -qE "^thumbify: $f: warning: premature end of PNG file: " "$WORK/err"
    run --strict -o "$WORK/strict/$n" "$f"
    check "$n.png --strict: exit 1 (got $rc), no thumbnail, '(failed: --strict)'" \
        bash -c "[ $rc -eq 1 ] && [ -z \"\$(find '$WORK/strict/$n' -type f 2>/dev/null)\" ] &&
                 grep -q '(failed: --strict)\$' '$WORK/err'"
done
L="$WORK/lenient"
run -o "$WORK/msg" "$WORK/cut/plain_half.png"
check "plain_half.png: the message counts the rows decoded ($(head -n 1 "$WORK/err"))" \
    grep -qE "warning: premature end of PNG file: [0-9]+ of 240 rows decoded, the rest is grey$" "$WORK/err"
check "plain_half.png: the top rows are the clean thumbnail's ($(pixel "$L/plain_half/plain_half.png" 37 2))" \
    [ "$(pixel "$L/plain_half/plain_half.png" 37 2)" = "$(pixel "$WORK/clean/rgb_320x240.png" 37 2)" ]
check "plain_half.png: the missing rows are mid-grey, as a cut JPEG's ($(pixel "$L/plain_half/plain_half.png" 37 54))" \
    [ "$(pixel "$L/plain_half/plain_half.png" 37 54)" = "128 128 128" ]
line=$("$TFTOOL" psnr "$WORK/clean/rgb_320x240.png" "$L/plain_trailer/plain_trailer.png")
check "plain_trailer.png (cut in the zlib trailer): the clean pixels ($line)" \
    same_pixels "$WORK/clean/rgb_320x240.png" "$L/plain_trailer/plain_trailer.png"
check "adam7_pass1.png: 1/8-detail rows on top, grey below ($(pixel "$L/adam7_pass1/adam7_pass1.png" 37 54))" \
    bash -c "[ '$(pixel "$L/adam7_pass1/adam7_pass1.png" 37 54)' = '128 128 128' ] &&
             [ '$(pixel "$L/adam7_pass1/adam7_pass1.png" 37 2)' != '128 128 128' ]"
line=$("$TFTOOL" psnr "$WORK/clean/interlaced_320x240.png" "$L/adam7_late/adam7_late.png" 35)
check "adam7_late.png (cut in a late pass): the whole picture, earlier passes filling in: $line, at least 35 dB" \
    [ $? -eq 0 ]
# Whole as a file (IEND after its IDAT), but with half the image data:
# libpng's "not enough image data" fares as a cut file.
python3 - "$plain" "$WORK/short_idat.png" <<'PY'
import struct, sys, zlib
d = open(sys.argv[1], 'rb').read()
p, chunks = 8, []
while p < len(d):
    n, = struct.unpack('>I', d[p:p + 4])
    chunks.append((d[p + 4:p + 8], d[p + 8:p + 8 + n]))
    p += 12 + n
idat = b''.join(b for t, b in chunks if t == b'IDAT')
chunk = lambda t, b: struct.pack('>I', len(b)) + t + b + struct.pack('>I', zlib.crc32(t + b))
head = b''.join(chunk(t, b) for t, b in chunks if t not in (b'IDAT', b'IEND'))
open(sys.argv[2], 'wb').write(d[:8] + head + chunk(b'IDAT', idat[:len(idat) // 2]) + chunk(b'IEND', b''))
PY
run -o "$WORK/short" "$WORK/short_idat.png"
check "IDAT data that stops short in a whole file: exit 0 (got $rc), a thumbnail" \
    bash -c "[ $rc -eq 0 ] && [ '$(dims_of "$WORK/short/short_idat.png")' = '75 56 3' ]"
check "and a warning ($(head -n 1 "$WORK/err"))" \
    grep -qE "^thumbify: $WORK/short_idat.png: warning: not enough image data: [0-9]+ of 240 rows decoded, the rest is grey$" "$WORK/err"
run -o "$WORK/none" "$WORK/cut/no_rows.png"
check "no_rows.png (cut before any image data): exit 1 (got $rc), nothing written" \
    bash -c "[ $rc -eq 1 ] && [ -z \"\$(find '$WORK/none' -type f 2>/dev/null)\" ]"
check "no_rows.png: says why ($(head -n 1 "$WORK/err"))" \
    grep -qxF "thumbify: $WORK/cut/no_rows.png: cannot decode the PNG: premature end of PNG file before any row" "$WORK/err"

# ------------------------------------------------ harmless ICC header, long messages
# the generator's 79-byte profile name, as libpng quotes it: its first 78
# bytes (libpng's own message buffer keeps no more of a name)
name="thumbify test profile with a name as long as an iCCP chunk allows, 79 bytes..."
f="$P/icc_pcs_d65_400x300.png"
run --strict -v -o "$WORK/pcs" "$f"
check "PCS illuminant not D50: --strict passes it (exit $rc)" [ "$rc" -eq 0 ]
check "PCS illuminant not D50: no warning line" [ -z "$(grep -F "$f: warning" "$WORK/err")" ]
check "PCS illuminant not D50: -v notes libpng's message whole" \
    grep -qF "iCCP: profile '$name': 0h: PCS illuminant is not D50; ICC profile converted to sRGB" "$WORK/err"
# the patches come back as the sRGB colours the generator started from
t="$WORK/pcs/icc_pcs_d65_400x300.png"
check "PCS illuminant not D50: the profile is still applied: red, green, blue patches ($(pixel "$t" 9 9) / $(pixel "$t" 28 9) / $(pixel "$t" 46 9))" \
    near "$(pixel "$t" 9 9) $(pixel "$t" 28 9) $(pixel "$t" 46 9)" "255 0 0 0 255 0 0 0 255" 4

g="$P/gray_rgb_icc_200x150.png"
long="iCCP: profile '$name': 'RGB ': RGB color space not permitted on grayscale PNG"
run --report "$WORK/report.json" -o "$WORK/long" "$g"
check "a ${#long}-character libpng warning is printed whole" \
    grep -qxF "thumbify: $g: warning: $long" "$WORK/err"
check "and whole in the report" \
    python3 -c "import json,sys; f=json.load(open(sys.argv[1]))['files'][0]; sys.exit(f['message'] != 'warning: ' + sys.argv[2])" \
    "$WORK/report.json" "$long"
run --strict -o "$WORK/long_strict" "$g"
check "and whole under --strict, which fails it (exit $rc)" \
    bash -c "[ $rc -eq 1 ] && grep -qxF \"thumbify: $g: $long (failed: --strict)\" '$WORK/err'"
check "no temp files left" no_temp_files "$WORK"
finish
