#!/usr/bin/env bash
# The edge-case corpus (edge/EDGE.md): every file run alone under a
# timeout, judged by the table's "Expected behaviour" column (decodes /
# decode-or-error / must error cleanly), never a crash or a hang; then the
# whole set as one batch, where each file must fare as it did alone; the
# pixel limit (--max-pixels) and the huge declared size.
. "$(dirname "$0")/../lib.sh"
corpus # sets CORPUS, or skips (77) when THUMBIFY_CORPUS is unset
edge="$CORPUS/edge"
table="$edge/EDGE.md"
slow=$SLOW # see lib.sh
[ -f "$table" ] || { fail "$table exists"; finish; exit; }

# classify EXPECTED: decode, either or error for one table cell, as the
# row reads for libjpeg-turbo 2.1.5 (8-bit, arithmetic coding compiled in,
# no DNL, no lossless) and thumbify's default pixel limit (256 Mpx);
# "unknown" for a wording this script does not know (a FAIL, so a changed
# table is noticed).
classify() {
    local e=${1,,}
    case $e in
        decode-or-error*) echo either ;;
        # "decodes", "decodes if arithmetic decoding compiled in ...",
        # "decodes first frame (if .mpo accepted)", "decodes, or refuse via
        # configured pixel limit" (36 Mpx is under the default limit)
        decodes*) echo decode ;;
        # "must error cleanly or refuse via pixel limit", "must error
        # cleanly (or decode with libjpeg-turbo >=3.0)"
        "must error cleanly"*) echo error ;;
        "8-bit-only decoders"*) echo error ;;       # 12-bit data
        "decode if dnl supported"*) echo error ;;   # libjpeg has no DNL
        # PNG bytes in a .jpg: thumbify decodes by content
        "detect as png and decode"*) echo decode ;;
        *) echo unknown ;;
    esac
}

names=() kinds=()
while IFS= read -r line; do
    [[ $line =~ ^\|\ *\`([^\`]+)\`\ *\| ]] || continue
    name=${BASH_REMATCH[1]}
    IFS='|' read -r _ _ _ expected _ <<<"$line"
    expected=$(sed 's/^ *//; s/ *$//' <<<"$expected")
    kind=$(classify "$expected")
    if [ "$kind" = unknown ]; then
        fail "$name: cannot classify the expected behaviour '$expected'"
        continue
    fi
    if [ ! -f "$edge/$name" ]; then
        fail "$name: listed in EDGE.md but not in $edge"
        continue
    fi
    names+=("$name") kinds+=("$kind")
done <"$table"
check "EDGE.md lists files (${#names[@]})" [ "${#names[@]}" -gt 0 ]

mkdir -p "$WORK/edge"
for name in "${names[@]}"; do cp "$edge/$name" "$WORK/edge/"; done
chmod -R u+w "$WORK/edge"

# orient_dims FILE: "W H" as displayed (EXIF orientation 5-8 swaps them).
orient_dims() {
    local w h o
    read -r w h _ < <("$TFTOOL" dims "$1") || return 1
    o=$("$TFTOOL" exif-orientation "$1") || return 1
    if [ "$o" -ge 5 ]; then echo "$h $w"; else echo "$w $h"; fi
}

# thumb_ok THUMB SRC: fits 75x75, each side >= 1, aspect of the displayed
# source kept (as fits_box in lib.sh, the source's orientation applied).
thumb_ok() {
    local tw th sw sh
    read -r tw th _ < <("$TFTOOL" dims "$1") || return 1
    read -r sw sh < <(orient_dims "$2") || return 1
    fits_dims "$tw" "$th" "$sw" "$sh"
}

# says PATH ERE: a "thumbify: PATH: " line in $WORK/err matches ERE
# (case-insensitive).

# outputs DIR: the files in DIR, one per line (none when DIR is missing).
outputs() { [ -d "$1" ] && find "$1" -mindepth 1 -maxdepth 1 -print; }

# Each file alone, with its own output directory so that whatever it
# wrote (under any name) is seen.
declare -A alone_ok
for i in "${!names[@]}"; do
    name=${names[$i]} kind=${kinds[$i]}
    src="$WORK/edge/$name" out="$WORK/single/$i"
    t0=$(date +%s%N)
    timeout $((20 * slow)) "$THUMBIFY" -p 1 -o "$out" "$src" >"$WORK/stdout" 2>"$WORK/err"
    rc=$?
    ms=$(( ($(date +%s%N) - t0) / 1000000 ))
    made=$(outputs "$out" | grep -c .)
    thumb=$(outputs "$out" | head -n 1)
    named=$(grep -cF "thumbify: $src: " "$WORK/err")
    errline=$(grep -F "thumbify: $src: " "$WORK/err" | grep -vF "thumbify: $src: warning: " | head -n 1)
    what="$name [$kind]: exit $rc, ${ms} ms, $made output(s)"
    if [ "$rc" -eq 124 ]; then
        fail "$what: still running after $((20 * slow)) s (hang)"; continue
    elif [ "$rc" -ge 128 ]; then
        fail "$what: killed by signal $((rc - 128))"; continue
    elif grep -q "worker killed" "$WORK/err"; then
        fail "$what: a worker was killed: $(grep "worker killed" "$WORK/err")"; continue
    elif ! no_temp_files "$WORK/single"; then
        fail "$what: a temp file was left"; continue
    fi
    decoded=0
    if [ "$rc" -eq 0 ] && [ "$made" -eq 1 ] && thumb_ok "$thumb" "$src"; then decoded=1; fi
    # a clean failure: exit 1, one line naming the file (not a warning),
    # nothing written
    clean=0
    if [ "$rc" -eq 1 ] && [ "$made" -eq 0 ] && [ "$named" -eq 1 ] && [ -n "$errline" ]; then clean=1; fi
    alone_ok[$name]=$decoded
    case $kind in
        decode)
            if [ "$decoded" -eq 1 ]; then
                ok "$what: decodes, $("$TFTOOL" dims "$thumb" | cut -d' ' -f1,2 | tr ' ' x) fits 75x75"
            else
                fail "$what: should decode to one thumbnail fitting 75x75 ($(head -n 1 "$WORK/err"))"
            fi ;;
        either)
            if [ "$decoded" -eq 1 ]; then
                ok "$what: decodes (allowed), thumbnail fits 75x75"
            elif [ "$clean" -eq 1 ]; then
                ok "$what: fails cleanly (allowed): ${errline#"thumbify: $src: "}"
            else
                fail "$what: neither a thumbnail fitting 75x75 nor one clean error ($(head -n 1 "$WORK/err"))"
            fi ;;
        error)
            if [ "$clean" -eq 1 ]; then
                ok "$what: fails cleanly: ${errline#"thumbify: $src: "}"
            else
                fail "$what: should fail with exit 1, one line naming it, no output ($(head -n 1 "$WORK/err"))"
            fi ;;
    esac
    case $name in
        aspect_1000x1.jpg)
            check "aspect_1000x1.jpg: thumbnail is 75x1 (no side rounded to 0)" \
                [ "$([ -n "$thumb" ] && "$TFTOOL" dims "$thumb" | cut -d' ' -f1,2)" = "75 1" ] ;;
        huge_declared_65535x65535_186B.jpg)
            fast=no; if [ "$rc" -eq 1 ] && [ "$ms" -lt $((2000 * slow)) ]; then fast=yes; fi
            check "huge_declared_65535x65535_186B.jpg: fails within $((2 * slow)) s (exit $rc, $ms ms)" [ "$fast" = yes ] ;;
    esac
done

# The pixel limit: 36 Mpx decodes by default, is refused under 1 Mpx.
big="$WORK/edge/valid_36MP_black_6000x6000_400KB.jpg"
if [ -f "$big" ]; then
    run -o "$WORK/limit" --max-pixels 1000000 "$big"
    check "--max-pixels 1000000 refuses the 36 Mpx file (exit $rc)" [ "$rc" -eq 1 ]
    check "and says so, naming the file and the limit ($(head -n 1 "$WORK/err"))" \
        says "$big" 'limit|max-pixels|1000000'
    check "and says it once" [ "$(grep -cF "thumbify: $big: " "$WORK/err")" -eq 1 ]
    check "and writes nothing" [ -z "$(outputs "$WORK/limit")" ]
    run -o "$WORK/limit2" --max-pixels 36000000 "$big"
    check "--max-pixels 36000000 (exactly its size) still decodes it (exit $rc)" [ "$rc" -eq 0 ]
fi

# The whole set as one batch (directory scan + the .mpo files, which a
# directory scan does not take, as file operands): exit 1, and every file
# fares as it did alone, so one bad file never costs another its thumbnail.
mpos=()
for name in "${names[@]}"; do
    case ${name,,} in *.mpo) mpos+=("$WORK/edge/$name") ;; esac
done
timeout $((240 * slow)) "$THUMBIFY" -p 2 "$WORK/edge" "${mpos[@]}" >"$WORK/stdout" 2>"$WORK/err"
rc=$?
check "batch over the edge corpus exits 1 (got $rc)" [ "$rc" -eq 1 ]
check "batch: no worker killed" [ -z "$(grep 'worker killed' "$WORK/err")" ]
want_ok=0 want_fail=0 wrong=""
for i in "${!names[@]}"; do
    name=${names[$i]} stem=${names[$i]%.*}
    got=$(cd "$WORK/edge/thumbs" 2>/dev/null && find . -maxdepth 1 -name "$stem.*" | grep -c .)
    got=${got:-0}
    if [ "${alone_ok[$name]:-0}" -eq 1 ]; then
        want_ok=$((want_ok + 1))
        [ "$got" -eq 1 ] || wrong="$wrong $name(no-thumbnail)"
    else
        want_fail=$((want_fail + 1))
        [ "$got" -eq 0 ] || wrong="$wrong $name(unexpected-thumbnail)"
    fi
    if [ "${kinds[$i]}" = decode ] && [ "$got" -ne 1 ]; then wrong="$wrong $name(decodes-row)"; fi
done
check "batch: every file fares as it did alone, every 'decodes' file has its thumbnail${wrong:+ (not:$wrong)}" \
    [ -z "$wrong" ]
check "batch: summary says $want_ok thumbnails, $want_fail failed" \
    grep -qE "^$want_ok thumbnails?, $want_fail failed, [0-9]+\.[0-9]{2} s$" "$WORK/err"
check "no temp files left" no_temp_files "$WORK"
finish
