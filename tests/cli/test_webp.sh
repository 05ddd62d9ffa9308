#!/usr/bin/env bash
# -F webp: lossy for a JPEG (and an opaque PNG) at -Q, lossless with alpha
# kept exactly for a PNG with alpha, the stamp in an XMP chunk at the end
# (re-runs skip, another -Q remakes, a WebP without a stamp is not replaced
# without -f). Pixels are checked through libwebp's dwebp (package webp)
# and, when it is installed, Pillow; only those checks skip without them.
. "$(dirname "$0")/../lib.sh"

S="$WORK/src"
mkdir -p "$S"
cp "$TESTDATA/gradient_640x480.jpg" "$TESTDATA/gray_300x200.jpg" "$TESTDATA/png/rgb_320x240.png" \
    "$TESTDATA/png/rgba_320x240.png" "$TESTDATA/png/gray_alpha_200x150.png" "$S/"
names="gradient_640x480 gray_300x200 rgb_320x240 rgba_320x240 gray_alpha_200x150"
# hexat FILE OFFSET COUNT: COUNT bytes of FILE at OFFSET as hex.
hexat() { od -An -tx1 -j "$2" -N "$3" "$1" | tr -d ' \n'; }
is_webp() { [ "$(hexat "$1" 0 4)$(hexat "$1" 8 4)" = 5249464657454250 ]; } # RIFF....WEBP
# chunk_at FILE OFFSET: the FourCC at OFFSET, as text.
chunk_at() { dd if="$1" bs=1 skip="$2" count=4 2>/dev/null; }
stamp_of() { LC_ALL=C grep -ao 'thumbify-stamp [^<]*' "$1"; }

# ------------------------------------------------ made, named, laid out
run -F webp -o "$WORK/w" "$S"
check "-F webp: exit 0 (got $rc)" [ "$rc" -eq 0 ]
for n in $names; do
    t="$WORK/w/$n.webp"
    check "$n: thumbnail is $n.webp, RIFF/WEBP" is_webp "$t"
    check "$n.webp: extended format, VP8X first (got '$(chunk_at "$t" 12)')" \
        [ "$(chunk_at "$t" 12)" = VP8X ]
    # VP8X flags: 0x04 XMP, 0x10 alpha
    flags=$(hexat "$t" 20 1)
    check "$n.webp: VP8X says XMP (flags 0x$flags)" [ $((0x${flags:-0} & 0x04)) -ne 0 ]
    check "$n.webp: the file ends with its XMP chunk holding the stamp" \
        bash -c "tail -c 200 '$t' | tr -d '\\0' | LC_ALL=C grep -aq 'thumbify-stamp .*x:xmpmeta><?xpacket end=\"r\"?>\$'"
    size=$(stat -c %s "$t")
    riff=$((0x$(hexat "$t" 7 1)$(hexat "$t" 6 1)$(hexat "$t" 5 1)$(hexat "$t" 4 1)))
    check "$n.webp: the RIFF size is the file's less 8 ($riff, $size bytes)" [ "$riff" -eq $((size - 8)) ]
done
for n in gradient_640x480 gray_300x200 rgb_320x240; do
    check "$n (opaque): lossy, a VP8 chunk (got '$(chunk_at "$WORK/w/$n.webp" 30)')" \
        [ "$(chunk_at "$WORK/w/$n.webp" 30)" = "VP8 " ]
done
for n in rgba_320x240 gray_alpha_200x150; do
    t="$WORK/w/$n.webp"
    check "$n (alpha): lossless, a VP8L chunk (got '$(chunk_at "$t" 30)')" [ "$(chunk_at "$t" 30)" = VP8L ]
    check "$n.webp: VP8X says alpha" [ $((0x$(hexat "$t" 20 1) & 0x10)) -ne 0 ]
done

run -F png -o "$WORK/p" "$S"
check "-F png of the same sources: exit 0 (got $rc)" [ "$rc" -eq 0 ]

# ------------------------------------------------ decoded by libwebp's dwebp
if command -v dwebp >/dev/null; then
    for n in $names; do
        dwebp -quiet "$WORK/w/$n.webp" -o "$WORK/w/$n.dec.png" 2>"$WORK/dwebp.err"
        check "dwebp decodes $n.webp ($(head -c 200 "$WORK/dwebp.err"))" [ -s "$WORK/w/$n.dec.png" ]
    done
    for n in gradient_640x480 rgb_320x240; do
        d="$WORK/w/$n.dec.png" p="$WORK/p/$n.png"
        check "$n.webp: $(dims "$d") as -F png's $(dims "$p")" [ "$(dims "$d")" = "$(dims "$p")" ]
        line=$("$TFTOOL" psnr "$p" "$d" 35)
        check "$n.webp (lossy, -Q 85) against -F png: $line, at least 35 dB" [ $? -eq 0 ]
    done
    read -r gw gh _ < <(dims "$WORK/p/gray_300x200.png")
    check "gray_300x200.webp: the size of -F png's, RGB ($(dims "$WORK/w/gray_300x200.dec.png"))" \
        [ "$(dims "$WORK/w/gray_300x200.dec.png")" = "$gw $gh 3" ]
    d="$WORK/w/rgba_320x240.dec.png" p="$WORK/p/rgba_320x240.png"
    check "rgba_320x240.webp: RGBA of -F png's size ($(dims "$d"))" [ "$(dims "$d")" = "$(dims "$p")" ]
    check "rgba_320x240.webp (lossless): every sample, alpha too, as -F png's" same_pixels "$p" "$d"
    d="$WORK/w/gray_alpha_200x150.dec.png" p="$WORK/p/gray_alpha_200x150.png"
    read -r w h _ < <(dims "$p")
    check "gray_alpha_200x150.webp: RGBA of -F png's size ($(dims "$d"))" [ "$(dims "$d")" = "$w $h 4" ]
    bad=0 partial=0
    for ((y = 0; y < h; y += 5)); do
        for ((x = 0; x < w; x += 5)); do
            read -r g a < <(pixel "$p" $x $y)
            [ "$(pixel "$d" $x $y)" = "$g $g $g $a" ] || bad=$((bad + 1))
            [ "${a:-0}" -gt 0 ] && [ "${a:-0}" -lt 255 ] && partial=$((partial + 1))
        done
    done
    check "gray_alpha_200x150.webp: grey and alpha exactly as -F png's on a 5-pixel grid ($bad differ)" \
        [ "$bad" -eq 0 ]
    check "... which has partly transparent pixels ($partial)" [ "$partial" -gt 0 ]
else
    echo "skipped: dwebp is not installed (package webp): no pixel checks"
fi

# ------------------------------------------------ decoded by Pillow
py=""
for p in python3 /usr/bin/python3; do
    if command -v "$p" >/dev/null && "$p" -c 'import PIL.WebPImagePlugin' 2>/dev/null; then py=$p; break; fi
done
if [ -n "$py" ]; then
    out=$("$py" - "$WORK/w" $names <<'EOF' 2>&1
import sys
from PIL import Image
for n in sys.argv[2:]:
    im = Image.open(f"{sys.argv[1]}/{n}.webp")
    im.load()
    print(n, im.size[0], im.size[1], im.mode, b"thumbify-stamp" in im.info.get("xmp", b""))
EOF
    )
    for n in $names; do
        read -r w h _ < <(dims "$WORK/p/$n.png")
        mode=RGB
        case $n in *alpha* | rgba*) mode=RGBA ;; esac
        check "Pillow decodes $n.webp: ${w}x$h $mode, its XMP with the stamp" \
            grep -qx "$n $w $h $mode True" <<<"$out"
    done
else
    echo "skipped: Pillow is not installed: no check with Pillow"
fi

# ------------------------------------------------ the stamp: incremental
cp "$WORK/w/gradient_640x480.webp" "$WORK/before.webp"
run -F webp -o "$WORK/w" "$S"
check "again: exit 0 (got $rc)" [ "$rc" -eq 0 ]
check "again: 0 thumbnails, 5 up to date ($(tail -n 1 "$WORK/err"))" \
    summary_is "^0 thumbnails, 0 failed, 5 up to date, "
run -F webp -Q 60 -o "$WORK/w" "$S/gradient_640x480.jpg"
check "-Q 60: exit 0 (got $rc)" [ "$rc" -eq 0 ]
check "-Q 60: the thumbnail is remade ($(tail -n 1 "$WORK/err"))" summary_is "^1 thumbnail, 0 failed, "
stamp=$(stamp_of "$WORK/w/gradient_640x480.webp")
check "-Q 60: its stamp says q=60 ($stamp)" grep -q ' q=60 ' <<<"$stamp"
check "-Q 60: other bytes than -Q 85's" bash -c "! cmp -s '$WORK/before.webp' '$WORK/w/gradient_640x480.webp'"
check "-Q 60: still a WebP" is_webp "$WORK/w/gradient_640x480.webp"

# A WebP that thumbify did not make (its stamp's name changed, same size):
# small (its tail read from byte 512 on) and large.
for n in gradient_640x480 rgba_320x240; do
    t="$WORK/w/$n.webp"
    LC_ALL=C sed 's/thumbify-stamp/someones-stamp/' "$t" >"$WORK/foreign.webp"
    cp "$WORK/foreign.webp" "$t"
    run -F webp -o "$WORK/w" "$S/$n".*
    check "$n: a WebP without a stamp is not replaced: exit 1 (got $rc)" [ "$rc" -eq 1 ]
    check "$n: ... and says so" grep -q "$n.webp exists and is not a thumbnail made by thumbify" "$WORK/err"
    check "$n: ... and it is as it was" cmp -s "$WORK/foreign.webp" "$t"
    run -f -F webp -o "$WORK/w" "$S/$n".*
    check "$n: -f replaces it (exit $rc)" [ "$rc" -eq 0 ]
    check "$n: ... with a stamped thumbnail" bash -c "tail -c 300 '$t' | LC_ALL=C grep -aq thumbify-stamp"
done

# ------------------------------------- the manifest and --prune know WebP
P=$WORK/pr
mkdir -p "$P/src"
cp "$S/gradient_640x480.jpg" "$P/src/"
run -q -F webp -o "$P/out" "$P/src"
run -q -F webp -o "$P/out" --report "$P/r.json" "$P/src"
check "report of an up-to-date WebP: 75x56, output_format webp, source_format jpeg (from its header and stamp)" \
    bash -c "grep -q '\"status\": \"up to date\".*\"width\": 75, \"height\": 56, \"source_size\": $(stat -c %s "$P/src/gradient_640x480.jpg"), \"source_format\": \"jpeg\", \"output_format\": \"webp\"' '$P/r.json'"
run -q -F jpeg --prune -o "$P/out" "$P/src"
check "-F jpeg --prune after -F webp: the WebP (stamp at its end) is removed, the JPEG made" \
    bash -c "[ ! -e '$P/out/gradient_640x480.webp' ] && [ -s '$P/out/gradient_640x480.jpg' ]"
run -q -F webp --prune -o "$P/out" "$P/src"
check "-F webp --prune: the JPEG is removed, the WebP made" \
    eval '[ ! -e "$P/out/gradient_640x480.jpg" ] && is_webp "$P/out/gradient_640x480.webp"'
LC_ALL=C sed 's/thumbify-stamp/someones-stamp/' "$P/out/gradient_640x480.webp" >"$P/out/other.webp"
run -q -F webp --prune -o "$P/out" "$P/src"
check "--prune keeps a WebP without a stamp" cmp -s "$P/out/other.webp" <(LC_ALL=C sed 's/thumbify-stamp/someones-stamp/' "$P/out/gradient_640x480.webp")

# ------------------------------------------------ -F same is unchanged
run -o "$WORK/same" "$S/gradient_640x480.jpg" "$S/rgba_320x240.png"
check "-F same: the JPEG stays a JPEG, the PNG a PNG" \
    [ "$(hexat "$WORK/same/gradient_640x480.jpg" 0 2)$(hexat "$WORK/same/rgba_320x240.png" 1 3)" = ffd8504e47 ]
check "-F same: no .webp" [ -z "$(find "$WORK/same" -name '*.webp')" ]

finish
