#!/usr/bin/env bash
# --embedded end to end on testdata/embedded/ (see tests/gen/README.md):
# the EXIF thumbnail stands in for the image when it is large enough, has
# the image's aspect (after trimming letterbox bars) and decodes cleanly;
# otherwise the main image is decoded, and the file never fails for it.
# The embedded thumbnails are tinted magenta, so a thumbnail's colours tell
# which picture it was made from. With THUMBIFY_CORPUS set, also the
# corpus photos (../shared/corpus/photos).
. "$(dirname "$0")/../lib.sh"

PY=/usr/bin/python3
E=$TESTDATA/embedded
used=(exif_thumb_640x480.jpg exif_thumb_letterbox_640x427.jpg exif_thumb_orient6_480x640.jpg)
fallback=(exif_thumb_wrong_aspect_640x480.jpg exif_thumb_small_640x480.jpg
          exif_thumb_corrupt_640x480.jpg exif_thumb_garbage_640x480.jpg)
all=("${used[@]}" "${fallback[@]}")
declare -A dims=([exif_thumb_640x480.jpg]="75 56 3" [exif_thumb_letterbox_640x427.jpg]="75 50 3"
                 [exif_thumb_orient6_480x640.jpg]="56 75 3")
for f in "${fallback[@]}"; do dims[$f]="75 56 3"; done

# The -v line of source $2 in stderr file $1.
# the -v line of a source: "SOURCE: ..." (errors and warnings start "thumbify: ")
vline() { grep -F -- "$2: " "$1" | grep -v '^thumbify: ' | head -n 1; }
# close "R G B" "R G B" TOL: every channel within TOL.
close() {
    awk -v a="$1" -v b="$2" -v t="$3" 'BEGIN {
        split(a, x, " "); split(b, y, " ")
        for (i = 1; i <= 3; i++) { d = x[i] - y[i]; if (d < 0) d = -d; if (d > t) exit 1 }
    }'
}
differs() { ! close "$@"; }
# scaled "R G B" F: each channel times F.
scaled() { awk -v a="$1" -v f="$2" 'BEGIN { split(a, x, " "); printf "%.2f %.2f %.2f", x[1]*f, x[2]*f, x[3]*f }'; }
# not_dark IMG X Y: some channel of pixel (X, Y) above 48 (not a black bar).
not_dark() {
    local r g b
    read -r r g b < <("$TFTOOL" pixel "$1" "$2" "$3") || return 1
    [ "$r" -gt 48 ] || [ "$g" -gt 48 ] || [ "${b:-0}" -gt 48 ]
}

# The EXIF thumbnail of a JPEG, read with python from IFD1 (0x0201/0x0202,
# offsets from the TIFF header): independent of thumbify's parser.
cat >"$WORK/extract.py" <<'EOF'
import struct, sys
data = open(sys.argv[1], "rb").read()
i = 2
while i + 4 <= len(data) and data[i] == 0xFF:
    m = data[i + 1]
    n = struct.unpack(">H", data[i + 2:i + 4])[0]
    if m == 0xE1 and data[i + 4:i + 10] == b"Exif\0\0":
        t = data[i + 10:i + 2 + n]
        e = ">" if t[:2] == b"MM" else "<"
        u16 = lambda o: struct.unpack(e + "H", t[o:o + 2])[0]
        u32 = lambda o: struct.unpack(e + "I", t[o:o + 4])[0]
        ifd0 = u32(4)
        ifd1 = u32(ifd0 + 2 + 12 * u16(ifd0))
        tags = {u16(ifd1 + 2 + 12 * k): u32(ifd1 + 10 + 12 * k) for k in range(u16(ifd1))}
        off, size = tags[0x0201], tags[0x0202]
        open(sys.argv[2], "wb").write(t[off:off + size])
        sys.exit(0)
    if m == 0xDA:
        break
    i += 2 + n
sys.exit(1)
EOF
mkdir -p "$WORK/x"
for f in "${all[@]}"; do
    check "$f: has an EXIF thumbnail in IFD1" "$PY" "$WORK/extract.py" "$E/$f" "$WORK/x/$f"
done
check "the good EXIF thumbnails decode (tftool): 160x120, 160x90, 40x30" bash -c "
    [ \"\$('$TFTOOL' dims '$WORK/x/exif_thumb_640x480.jpg')\" = '160 120 3' ] &&
    [ \"\$('$TFTOOL' dims '$WORK/x/exif_thumb_wrong_aspect_640x480.jpg')\" = '160 90 3' ] &&
    [ \"\$('$TFTOOL' dims '$WORK/x/exif_thumb_small_640x480.jpg')\" = '40 30 3' ]"
check "exif_thumb_orient6_480x640.jpg: EXIF orientation 6" \
    [ "$("$TFTOOL" exif-orientation "$E/exif_thumb_orient6_480x640.jpg")" = 6 ]

# ------------------------------------------------------ --embedded -v
run --embedded -v -p 2 -o "$WORK/emb" --report "$WORK/emb.json" "$E"
check "--embedded: exit 0 (got $rc)" [ "$rc" -eq 0 ]
check "--embedded: 7 thumbnails, 0 failed" grep -qE "^7 thumbnails, 0 failed, " "$WORK/err"
check "--embedded: no warning for any file (a broken EXIF thumbnail is no damage)" \
    bash -c "! grep -q 'warning' '$WORK/err'"
cp "$WORK/err" "$WORK/emb.err"
for f in "${used[@]}"; do
    l=$(vline "$WORK/emb.err" "$E/$f")
    check "$f: -v says embedded decode ($l)" grep -qF "(embedded decode at 1/1" <<<"$l"
    check "$f: ${dims[$f]// /x}, upright" [ "$("$TFTOOL" dims "$WORK/emb/$f")" = "${dims[$f]}" ]
    m=$("$TFTOOL" mean "$WORK/emb/$f") main=$("$TFTOOL" mean "$E/$f")
    check "$f: not the main image's colours (mean $m, main $main)" differs "$m" "$main" 20
done
f=exif_thumb_640x480.jpg
m=$("$TFTOOL" mean "$WORK/emb/$f") x=$("$TFTOOL" mean "$WORK/x/$f")
check "$f: the EXIF thumbnail's colours (mean $m, EXIF thumbnail $x)" close "$m" "$x" 3
check "$f: the EXIF thumbnail area-averaged (>= 35 dB)" quietly "$TFTOOL" psnr "$WORK/x/$f" "$WORK/emb/$f" 35
f=exif_thumb_letterbox_640x427.jpg
m=$("$TFTOOL" mean "$WORK/emb/$f") x=$(scaled "$("$TFTOOL" mean "$WORK/x/$f")" "$(awk "BEGIN { print 120 / 107 }")")
check "$f: the colours of the EXIF thumbnail without its bars (mean $m, picture $x)" close "$m" "$x" 4
check "$f: the black bars are trimmed (first and last rows are picture)" \
    bash -c "$(declare -f not_dark); TFTOOL='$TFTOOL'; not_dark '$WORK/emb/$f' 37 0 && not_dark '$WORK/emb/$f' 37 49 &&
             not_dark '$WORK/emb/$f' 5 0 && not_dark '$WORK/emb/$f' 70 49"
f=exif_thumb_orient6_480x640.jpg
m=$("$TFTOOL" mean "$WORK/emb/$f") x=$("$TFTOOL" mean "$WORK/x/$f")
check "$f: the EXIF thumbnail's colours (mean $m, EXIF thumbnail $x)" close "$m" "$x" 3
check "$f: the EXIF thumbnail turned upright by orientation 6 (>= 35 dB)" \
    quietly "$TFTOOL" psnr --orient 6 "$WORK/x/$f" "$WORK/emb/$f" 35
check "$f: and not left as stored (the unrotated thumbnail is 75x56)" \
    [ "$("$TFTOOL" dims "$WORK/emb/$f")" = "56 75 3" ]

for f in "${fallback[@]}"; do
    l=$(vline "$WORK/emb.err" "$E/$f")
    check "$f: -v says full decode, embedded thumbnail not used ($l)" \
        bash -c "grep -qF '(full decode at 1/' <<<'$l' && grep -qF 'embedded thumbnail not used' <<<'$l'"
    check "$f: made from the main image (>= 35 dB against it)" \
        quietly "$TFTOOL" psnr "$E/$f" "$WORK/emb/$f" 35
    check "$f: ${dims[$f]// /x}" [ "$("$TFTOOL" dims "$WORK/emb/$f")" = "${dims[$f]}" ]
done
check "wrong aspect: the reason names the size (160x90)" \
    bash -c "vline() { grep -F -- \"\$2: \" \"\$1\" | grep -v '^thumbify: '; }; vline '$WORK/emb.err' '$E/exif_thumb_wrong_aspect_640x480.jpg' | grep -q '160x90'"
check "too small: the reason names the size (40x30)" \
    grep -qF "$E/exif_thumb_small_640x480.jpg: 640x480 -> 75x56 (full decode at 1/4; embedded thumbnail not used: 40x30" "$WORK/emb.err"

check "--report: decode is embedded for the 3 used, full for the 4 others" "$PY" -c '
import json, os, sys
d = json.load(open(sys.argv[1]))
got = {os.path.basename(r["source"]): (r["status"], r.get("decode"), r.get("scale")) for r in d["files"]}
want = {f: ("ok", "embedded", "1/1") for f in sys.argv[2].split()}
want.update({f: ("ok", "full", "1/4") for f in sys.argv[3].split()})
ok = got == want and d["totals"]["ok"] == 7 and d["totals"]["warnings"] == 0
if not ok: print(got)
sys.exit(not ok)' "$WORK/emb.json" "${used[*]}" "${fallback[*]}"

# -------------------------------------------------- without --embedded
run -v -p 2 -o "$WORK/full" "$E"
check "without --embedded: exit 0, 7 thumbnails" bash -c "[ $rc -eq 0 ] && grep -qE '^7 thumbnails, 0 failed, ' '$WORK/err'"
bad=""
for f in "${all[@]}"; do
    l=$(vline "$WORK/err" "$E/$f")
    grep -qF "(full decode at 1/" <<<"$l" && ! grep -qE "embedded (decode|thumbnail)" <<<"$l" || bad="$bad $f"
    quietly "$TFTOOL" psnr --orient auto "$E/$f" "$WORK/full/$f" 35 || bad="$bad $f(psnr)"
done
check "without --embedded: every file full decode, from the main image, upright${bad:+ (not:$bad)}" [ -z "$bad" ]
check "the fallbacks' pixels equal the plain full decode's" bash -c "
    for f in ${fallback[*]}; do [ \"\$('$TFTOOL' mean '$WORK/emb/'\$f)\" = \"\$('$TFTOOL' mean '$WORK/full/'\$f)\" ] || exit 1; done"

# ---------------------------------------------------------- variations
# The stamp records --embedded: switching it on remakes every thumbnail.
run -p 2 --embedded -o "$WORK/full" "$E"
check "--embedded after a run without: all 7 remade" grep -qE "^7 thumbnails, 0 failed, [0-9.]+ s$" "$WORK/err"
run -p 2 --embedded -o "$WORK/full" "$E"
check "--embedded again: 7 up to date" grep -qE "^0 thumbnails, 0 failed, 7 up to date, " "$WORK/err"
check "-p 1 and -p 2 give the same bytes with --embedded" bash -c "
    '$THUMBIFY' -q -p 1 --embedded -o '$WORK/p1' '$E' && diff -r '$WORK/p1' '$WORK/emb' >/dev/null"
# A box larger than the EXIF thumbnail: it is too small, the main image is used.
run --embedded -v -s 200 -o "$WORK/s200" "$E/exif_thumb_640x480.jpg"
check "-s 200: the 160x120 EXIF thumbnail is too small: full decode" \
    grep -qF "640x480 -> 200x150 (full decode at 1/1; embedded thumbnail not used: 160x120" "$WORK/err"
check "-s 200: made from the main image" quietly "$TFTOOL" psnr "$E/exif_thumb_640x480.jpg" "$WORK/s200/exif_thumb_640x480.jpg" 35
# With several sizes, too small for the largest box: known from its header,
# it is not decoded (a large file's start and then all of it would decode
# it twice for nothing: see the large files below).
run --embedded -v -s 75,200 -o "$WORK/s75_200" "$E/exif_thumb_640x480.jpg"
check "-s 75,200: the 160x120 EXIF thumbnail is too small for 200x150 by its header: not decoded" \
    grep -qF "640x480 -> 200x150 (full decode at 1/1; embedded thumbnail not used: 160x120: too small (not decoded))" "$WORK/err"
# Exactly the EXIF thumbnail's size: used as it is.
run --embedded -v -s 160x120 -F png -o "$WORK/s160" "$E/exif_thumb_640x480.jpg"
check "-s 160x120 -F png: the 160x120 EXIF thumbnail is used" grep -qF "(embedded decode at 1/1" "$WORK/err"
check "-s 160x120 -F png: 160x120, the EXIF thumbnail's pixels (>= 45 dB)" \
    quietly "$TFTOOL" psnr "$WORK/x/exif_thumb_640x480.jpg" "$WORK/s160/exif_thumb_640x480.png" 45
# A box at most half the EXIF thumbnail's size: it is DCT-scaled (1/2) first,
# then averaged; one with letterbox bars is decoded unscaled (at 1/2 a bar's
# edge blurs into the first row of the picture).
run --embedded -v -s 32x24 -o "$WORK/s32" "$E/exif_thumb_640x480.jpg" \
    "$E/exif_thumb_letterbox_640x427.jpg"
check "-s 32x24: the 160x120 EXIF thumbnail is decoded at 1/2" \
    grep -qF "640x480 -> 32x24 (embedded decode at 1/2" "$WORK/err"
check "-s 32x24: 32x24, the EXIF thumbnail's pixels (>= 35 dB)" \
    quietly "$TFTOOL" psnr "$WORK/x/exif_thumb_640x480.jpg" "$WORK/s32/exif_thumb_640x480.jpg" 35
check "-s 32x24: not the letterboxed one: decoded again at 1/1, bars trimmed (32x21, no dark edge rows)" \
    bash -c "grep -qF '640x427 -> 32x21 (embedded decode at 1/1' '$WORK/err' &&
             [ \"\$('$TFTOOL' dims '$WORK/s32/exif_thumb_letterbox_640x427.jpg')\" = '32 21 3' ] &&
             TFTOOL='$TFTOOL' && $(declare -f not_dark) &&
             not_dark '$WORK/s32/exif_thumb_letterbox_640x427.jpg' 16 0 &&
             not_dark '$WORK/s32/exif_thumb_letterbox_640x427.jpg' 16 20"
# --strict: a broken EXIF thumbnail is not damage of the image.
run --strict --embedded -o "$WORK/strict" "$E"
check "--strict --embedded: the broken EXIF thumbnails fail nothing (exit $rc)" \
    bash -c "[ $rc -eq 0 ] && grep -qE '^7 thumbnails, 0 failed, ' '$WORK/err'"
# Files without EXIF: --embedded changes nothing but the stamp.
run --embedded -v -o "$WORK/plain" "$TESTDATA/gradient_640x480.jpg" "$TESTDATA/png/rgb_320x240.png"
check "--embedded on files without EXIF (and PNG): exit 0" [ "$rc" -eq 0 ]
check "  a JPEG without EXIF: full decode, 'none in the file'" \
    grep -qF "(full decode at 1/4; embedded thumbnail not used: none in the file)" "$WORK/err"

# ------------------------------------------------------ large files
# A file over 512 KB is first read only up to 256 KB (the headers and the
# EXIF thumbnail); the rest is read only when that is not enough. Two such
# files: the photo with 600 KB after its end (its start is enough), and
# with 600 KB of comments before its first scan (it is not).
mkdir -p "$WORK/big"
"$PY" - "$E/exif_thumb_640x480.jpg" "$WORK/big" <<'EOF'
import sys
src = open(sys.argv[1], "rb").read()
open(sys.argv[2] + "/tail.jpg", "wb").write(src + b"\0" * 600000)
com = b"".join(b"\xff\xfe\xea\x62" + b"c" * 60000 for _ in range(10))
open(sys.argv[2] + "/headers.jpg", "wb").write(src[:2] + com + src[2:])
EOF
run --embedded -p 1 -o "$WORK/smallout" "$E/exif_thumb_640x480.jpg"
run --embedded -v -p 1 -o "$WORK/bigout" "$WORK/big"
check "large files, --embedded: exit 0, 2 thumbnails, no warning (got $rc)" \
    bash -c "[ $rc -eq 0 ] && grep -qE '^2 thumbnails, 0 failed, ' '$WORK/err' && ! grep -qi warning '$WORK/err'"
for f in tail.jpg headers.jpg; do
    check "large $f: the EXIF thumbnail is used" \
        grep -qF "(embedded decode at 1/1" <<<"$(vline "$WORK/err" "$WORK/big/$f")"
    check "large $f: the same pixels as from the small file" \
        quietly "$TFTOOL" psnr "$WORK/smallout/exif_thumb_640x480.jpg" "$WORK/bigout/$f" 99
done
run --embedded -v -p 1 -s 75,200 -o "$WORK/bigsizes" "$WORK/big/tail.jpg"
check "large tail.jpg, -s 75,200: exit 0 (got $rc), the EXIF thumbnail not decoded, too small by its header" \
    bash -c "[ $rc -eq 0 ] && [ \$(grep -c 'embedded thumbnail not used: 160x120: too small (not decoded))' '$WORK/err') -eq 2 ]"
check "large tail.jpg, -s 75,200: the same pixels as from the small file" bash -c "
    '$TFTOOL' psnr '$WORK/s75_200/75x75/exif_thumb_640x480.jpg' '$WORK/bigsizes/75x75/tail.jpg' 99 &&
    '$TFTOOL' psnr '$WORK/s75_200/200x200/exif_thumb_640x480.jpg' '$WORK/bigsizes/200x200/tail.jpg' 99" >/dev/null

# --------------------------------------------------------------- corpus
if [ -n "${THUMBIFY_CORPUS:-}" ]; then
    case $THUMBIFY_CORPUS in /*) ;; *) THUMBIFY_CORPUS=$SRCDIR/$THUMBIFY_CORPUS ;; esac
    PH=$THUMBIFY_CORPUS/photos
    full_ok="mei_Kodak_PIXPRO_S-1.jpg mei_Nikon_D90.jpg"
    if [ ! -d "$PH" ]; then
        fail "THUMBIFY_CORPUS=$THUMBIFY_CORPUS has no photos/"
    else
        n=$(find "$PH" -maxdepth 1 -type f -iname '*.jpg' | wc -l)
        run --embedded -v -p 2 -o "$WORK/c" --report "$WORK/c.json" "$PH"
        check "corpus --embedded: exit 0 (got $rc)" [ "$rc" -eq 0 ]
        check "corpus --embedded: every photo ($n) gets a thumbnail" \
            bash -c "grep -qE '^$n thumbnails, 0 failed, ' '$WORK/err' && [ \$(ls '$WORK/c' | wc -l) -eq $n ]"
        cp "$WORK/err" "$WORK/c.err"
        run -q -p 2 -o "$WORK/cfull" "$PH"
        for p in "$PH"/*.jpg; do
            f=$(basename "$p") l=$(vline "$WORK/c.err" "$p")
            case " $full_ok " in
            *" $f "*)
                check "corpus $f: full decode, embedded thumbnail not used" \
                    bash -c "grep -qF '(full decode at 1/' <<<'$l' && grep -qF 'embedded thumbnail not used' <<<'$l'" ;;
            *)
                # the Oppo's EXIF thumbnail is 240x320: twice 56x75 at 1/2
                scale=1/1
                [ "$f" = mei_Oppo_R7_Plus.jpg ] && scale=1/2
                check "corpus $f: embedded decode at $scale" \
                    grep -qF "(embedded decode at $scale" <<<"$l" ;;
            esac
            check "corpus $f: the same size as without --embedded" \
                [ "$("$TFTOOL" dims "$WORK/c/$f")" = "$("$TFTOOL" dims "$WORK/cfull/$f")" ]
            check "corpus $f: the same picture, upright (>= 25 dB against the source)" \
                quietly "$TFTOOL" psnr --orient auto "$p" "$WORK/c/$f" 25
        done
        check "corpus Kodak: no EXIF thumbnail" \
            grep -qF "mei_Kodak_PIXPRO_S-1.jpg: 4640x3480 -> 75x56 (full decode at 1/8; embedded thumbnail not used: none in the file" "$WORK/c.err"
        check "corpus Nikon D90: its 160x104 thumbnail is off the 3:2 aspect" \
            grep -qF "mei_Nikon_D90.jpg: 4288x2848 -> 75x50 (full decode at 1/8; embedded thumbnail not used: 160x104" "$WORK/c.err"
        check "corpus --report: decode embedded, but full for the Kodak and the Nikon" "$PY" -c '
import json, os, sys
d = json.load(open(sys.argv[1]))
got = {os.path.basename(r["source"]): r.get("decode") for r in d["files"]}
want = {f: ("full" if f in sys.argv[2].split() else "embedded") for f in got}
if got != want: print(got)
sys.exit(not (got == want and d["totals"]["ok"] == len(got)))' "$WORK/c.json" "$full_ok"
    fi
else
    echo "note: THUMBIFY_CORPUS is not set: the corpus part (photos with --embedded) is not run"
fi

check "no temp files left" no_temp_files "$WORK"
finish
