#!/usr/bin/env bash
# Output names: --files-from under -o keeps each listed file's path below
# the current directory or --base ("./" and ".." taken lexically; a path
# outside fails alone, named), and --name TEMPLATE (%s %w %h %e %%, its
# usage errors, a clash it makes reported for both files, the template in
# the stamp). Uses $TESTDATA only.
. "$(dirname "$0")/../lib.sh"

T=$TESTDATA
# in_dir DIR ARGS...: run, in DIR.
in_dir() { local d=$1; shift; pushd "$d" >/dev/null && run "$@"; popd >/dev/null; }
# usage_error WHAT: exit 2, the message matching the ERE $1, the Try line.
usage_error() {
    [ "$rc" -eq 2 ] && grep -qE "^thumbify: $1" "$WORK/err" &&
        grep -qx "Try 'thumbify --help' for more information." "$WORK/err"
}

D=$WORK/proj
mkdir -p "$D/assets/a" "$D/assets/b/c"
cp "$T/gradient_640x480.jpg" "$D/assets/a/x.jpg"   # 75x56
cp "$T/portrait_480x640.jpg" "$D/assets/b/x.jpg"   # 56x75
cp "$T/gray_300x200.jpg" "$D/assets/b/c/x.jpg"     # 75x50
# The thumbnails of a direct run, one source at a time: what every placed
# thumbnail must be, byte for byte (same pixels, same stamp).
for s in a/x b/x b/c/x; do
    quietly "$THUMBIFY" -o "$WORK/direct/$s" "$D/assets/$s.jpg"
done
same_as_direct() { # DIR: DIR/a/x.jpg ... are the direct run's
    local s
    for s in a/x b/x b/c/x; do cmp -s "$1/$s.jpg" "$WORK/direct/$s/x.jpg" || return 1; done
}

# ------------------------------------------------ --files-from -0 -o DIR
in_dir "$D" -q --files-from - -0 -o build/thumbs < <(cd "$D" && find assets -name '*.jpg' -print0)
check "find assets -print0 | --files-from - -0 -o build/thumbs: exit 0 (got $rc)" [ "$rc" -eq 0 ]
check "  three x.jpg in three directories keep their tree under build/thumbs/assets" \
    diff <(tree_of "$D/build/thumbs") <(printf '%s\n' ./assets/a/x.jpg ./assets/b/c/x.jpg ./assets/b/x.jpg)
check "  each thumbnail is the one a direct run makes (cmp)" same_as_direct "$D/build/thumbs/assets"
check "  dims: 75x56, 56x75, 75x50" bash -c '[ "$("$0" dims "$1/a/x.jpg")" = "75 56 3" ] &&
    [ "$("$0" dims "$1/b/x.jpg")" = "56 75 3" ] && [ "$("$0" dims "$1/b/c/x.jpg")" = "75 50 1" ]' \
    "$TFTOOL" "$D/build/thumbs/assets"
in_dir "$D" --files-from - -0 -o build/thumbs < <(cd "$D" && find assets -name '*.jpg' -print0)
check "  a second run: 3 up to date" summary_is "^0 thumbnails, 0 failed, 3 up to date, "

# --------------------------------------------------------------- --base
in_dir "$WORK" --files-from - --base proj/assets -o "$WORK/based" \
    < <(printf '%s\n' proj/assets/a/x.jpg proj/assets/b/x.jpg "$D/assets/b/c/x.jpg")
check "--base proj/assets (relative and absolute entries): exit 0 (got $rc)" [ "$rc" -eq 0 ]
check "  placed below the base: a/x.jpg, b/c/x.jpg, b/x.jpg" \
    diff <(tree_of "$WORK/based") <(printf '%s\n' ./a/x.jpg ./b/c/x.jpg ./b/x.jpg)
check "  the direct run's thumbnails" same_as_direct "$WORK/based"
run --files-from - --base "$D/assets/" -o "$WORK/based_abs" < <(printf '%s\n' "$D/assets/b/c/x.jpg")
check "--base ABS/ with an absolute entry: placed at b/c/x.jpg (exit $rc)" \
    eval '[ "$rc" -eq 0 ] && [ -f "$WORK/based_abs/b/c/x.jpg" ]'

# ------------------------------------------------- ./ and .. normalised
in_dir "$D" --files-from - -o norm \
    < <(printf '%s\n' ./assets/a/x.jpg assets/b/c/../x.jpg .//assets/./b/c/x.jpg)
check "./assets/a/x.jpg, assets/b/c/../x.jpg, .//assets/./b/c/x.jpg: exit 0 (got $rc)" [ "$rc" -eq 0 ]
check "  placed at assets/a/x.jpg, assets/b/x.jpg, assets/b/c/x.jpg" \
    diff <(tree_of "$D/norm") <(printf '%s\n' ./assets/a/x.jpg ./assets/b/c/x.jpg ./assets/b/x.jpg)
check "  the direct run's thumbnails" same_as_direct "$D/norm/assets"
in_dir "$D/assets" --files-from - -o "$WORK/up" < <(printf '%s\n' a/../b/x.jpg)
check "a/../b/x.jpg from assets: placed at b/x.jpg (exit $rc)" \
    eval '[ "$rc" -eq 0 ] && diff <(tree_of "$WORK/up") <(echo ./b/x.jpg)'

# ---------------------------------------------------- outside the base
in_dir "$D/assets/b" --files-from - -o "$WORK/out1" \
    < <(printf '%s\n' ../a/x.jpg "$D/assets/a/x.jpg" x.jpg)
check "../a/x.jpg and an absolute path elsewhere: exit 1 (got $rc)" [ "$rc" -eq 1 ]
check "  ../a/x.jpg named: not below the base" \
    grep -qx "thumbify: ../a/x.jpg: cannot place it under $WORK/out1: it is not below the base directory (the current directory; see --base)" "$WORK/err"
check "  the absolute path named" grep -q "^thumbify: $D/assets/a/x.jpg: cannot place it under " "$WORK/err"
check "  the file inside is still done, and nothing else is written" \
    diff <(tree_of "$WORK/out1") <(echo ./x.jpg)
check "  summary: 1 thumbnail, 2 failed" summary_is "^1 thumbnail, 2 failed, "
in_dir "$D" --files-from - --base assets/a -o "$WORK/out2" < <(printf '%s\n' assets/b/x.jpg)
check "--base assets/a, entry assets/b/x.jpg: exit 1, named with the base" \
    bash -c "[ $rc -eq 1 ] && grep -qx 'thumbify: assets/b/x.jpg: cannot place it under $WORK/out2: it is not below the base directory assets/a' '$WORK/err'"
in_dir "$D" -n --files-from - --base assets -o "$WORK/out3" < <(printf '%s\n' assets/../assets/a/x.jpg)
check "-n: assets/../assets/a/x.jpg is below --base assets (would make out3/a/x.jpg)" \
    bash -c "[ $rc -eq 0 ] && grep -q '$WORK/out3/a/x.jpg' '$WORK/out'"

# --------------------------------------- without -o: thumbs/ beside each
in_dir "$D" --files-from - < <(printf '%s\n' assets/a/x.jpg assets/b/x.jpg)
check "--files-from without -o: thumbs/ beside each source, as before (exit $rc)" \
    eval '[ "$rc" -eq 0 ] && [ -f "$D/assets/a/thumbs/x.jpg" ] && [ -f "$D/assets/b/thumbs/x.jpg" ]'
rm -rf "$D/assets/a/thumbs" "$D/assets/b/thumbs"

# ------------------------------------------------- --base usage errors
run --base "$D" "$D/assets/a/x.jpg" -o "$WORK/u1"
check "--base without --files-from: usage error" usage_error "--base needs --files-from"
run --base "$D" --files-from /dev/null
check "--base without -o: usage error" usage_error "--base needs -o/--output"
run --base= --files-from /dev/null -o "$WORK/u1"
check "--base '': usage error" usage_error "invalid value '' for --base"
check "  nothing written" [ ! -e "$WORK/u1" ]

# ---------------------------------------------------------------- --name
N=$WORK/names
mkdir -p "$N"
cp "$T/gradient_640x480.jpg" "$N/g.jpg"          # 75x56
cp "$T/png/rgb_320x240.png" "$N/p.png"           # 75x56
cp "$T/orientation/orient_6.jpg" "$N/o6.jpg"     # turned a quarter
cp "$T/orientation/exif_orient8_after_idat.png" "$N/o8.png"
cp "$T/ext_jpeg.jpeg" "$N/e.jpeg"
run -o "$WORK/n1" --name 'thumb-%s_%wx%h.%e' "$N"
check "--name 'thumb-%s_%wx%h.%e': exit 0 (got $rc)" [ "$rc" -eq 0 ]
check "  g.jpg -> thumb-g_75x56.jpg, p.png -> thumb-p_75x56.png (-F same: %e as the name says)" \
    eval '[ "$("$TFTOOL" dims "$WORK/n1/thumb-g_75x56.jpg")" = "75 56 3" ] && [ "$("$TFTOOL" dims "$WORK/n1/thumb-p_75x56.png")" = "75 56 3" ]'
check "  e.jpeg -> thumb-e_*.jpg (%e is jpg for .jpeg)" \
    [ -n "$(find "$WORK/n1" -name 'thumb-e_*x*.jpg')" ]
# %w/%h of every file are its thumbnail's own size, upright (EXIF
# orientation 6, a PNG eXIf chunk after IDAT)
names_match() {
    local f w h bad=""
    for f in "$WORK"/n1/*; do
        [[ ${f##*/} =~ _([0-9]+)x([0-9]+)\.[a-z]+$ ]] || { bad="$bad ${f##*/}"; continue; }
        read -r w h _ < <("$TFTOOL" dims "$f")
        [ "$w $h" = "${BASH_REMATCH[1]} ${BASH_REMATCH[2]}" ] || bad="$bad ${f##*/}($w x $h)"
    done
    [ -z "$bad" ] || { echo "  wrong:$bad"; return 1; }
}
check "  every %wx%h is the thumbnail's size (orientation 6 and 8 turned)" names_match
check "  5 files, nothing else" [ "$(find "$WORK/n1" -type f | wc -l)" -eq 5 ]
check "  the same pixels as a direct run (g.jpg)" \
    bash -c '[ "$("$0" pixel "$1" 40 30)" = "$("$0" pixel "$2" 40 30)" ]' "$TFTOOL" \
    "$WORK/n1/thumb-g_75x56.jpg" "$D/build/thumbs/assets/a/x.jpg"
run -o "$WORK/n2" -F png --name '%s.%e' "$N/g.jpg" "$N/e.jpeg"
check "-F png --name '%s.%e': g.png, e.png (exit $rc)" \
    eval '[ "$rc" -eq 0 ] && [ "$("$TFTOOL" dims "$WORK/n2/g.png")" = "75 56 3" ] && [ -f "$WORK/n2/e.png" ]'
run -o "$WORK/n3" --name '100%%-%s' "$N/g.jpg"
check "--name '100%%-%s': 100%-g, a JPEG (no extension: the source's format) (exit $rc)" \
    eval '[ "$rc" -eq 0 ] && [ "$("$TFTOOL" dims "$WORK/n3/100%-g")" = "75 56 3" ]'
run -o "$WORK/n4" -s 40 --name '%w.%h.%e' "$N/g.jpg"
check "-s 40 --name '%w.%h.%e': 40.30.jpg (exit $rc)" \
    eval '[ "$rc" -eq 0 ] && [ "$("$TFTOOL" dims "$WORK/n4/40.30.jpg")" = "40 30 3" ]'

# usage errors
for bad in 'a/%s' '%s%q' '%s%' ''; do
    run --name "$bad" -o "$WORK/n5" "$N/g.jpg"
    check "--name '$bad': usage error, nothing written" \
        bash -c '[ "$0" -eq 2 ] && grep -q "^thumbify: invalid value .* for --name: expected a file name without" "$1" &&
            grep -qx "Try '"'"'thumbify --help'"'"' for more information." "$1" && [ ! -e "$2" ]' \
        "$rc" "$WORK/err" "$WORK/n5"
done

# a clash the template makes: both files named, neither written
run -o "$WORK/n6" --name 'same.%e' "$N/g.jpg" "$N/o6.jpg"
check "--name 'same.%e', two sources: exit 1 (got $rc)" [ "$rc" -eq 1 ]
both_named() {
    grep -qx "thumbify: $N/g.jpg: output $WORK/n6/same.jpg would also be written from $N/o6.jpg; neither is written" "$WORK/err" &&
        grep -qx "thumbify: $N/o6.jpg: output $WORK/n6/same.jpg would also be written from $N/g.jpg; neither is written" "$WORK/err"
}
check "  reported for both files" both_named
check "  neither written" [ ! -e "$WORK/n6/same.jpg" ]
run -o "$WORK/n7" --name '%wx%h.%e' "$N/g.jpg" "$N/p.png" "$D/assets/b/x.jpg" -F jpeg
check "--name '%wx%h.%e' -F jpeg: g and p are both 75x56.jpg: both fail, the portrait (56x75.jpg) is done" \
    bash -c "[ $rc -eq 1 ] && [ \$(grep -c 'n7/75x56.jpg would also be written from' '$WORK/err') -eq 2 ] &&
        [ ! -e '$WORK/n7/75x56.jpg' ] && [ \$(find '$WORK/n7' -type f | wc -l) -eq 1 ]"
run -o "$WORK/n8" --name 'one.%e' "$N/g.jpg"
check "--name without %s, one source: allowed (exit $rc)" eval '[ "$rc" -eq 0 ] && [ -f "$WORK/n8/one.jpg" ]' 

# the template is in the stamp
run -o "$WORK/n9" "$N/g.jpg"
run -o "$WORK/n9" --name '%s.%e' "$N/g.jpg"
check "the default, then --name '%s.%e' (the same name): remade, not up to date" \
    summary_is "^1 thumbnail, 0 failed, "
run -o "$WORK/n9" --name '%s.%e' "$N/g.jpg"
check "  the same --name again: up to date" summary_is "^0 thumbnails, 0 failed, 1 up to date, "
run -o "$WORK/n9" --name '%s.%%%e' "$N/g.jpg"
run -o "$WORK/n9" --name '%s.jpg' "$N/g.jpg"
check "  another --name with the same name (g.jpg): remade" summary_is "^1 thumbnail, 0 failed, "
run -o "$WORK/n9" "$N/g.jpg"
check "  back to the default: remade" summary_is "^1 thumbnail, 0 failed, "
run -o "$WORK/n9" "$N/g.jpg"
check "  the default again: up to date" summary_is "^0 thumbnails, 0 failed, 1 up to date, "

# a source whose header gives no size fails alone with %w/%h
printf 'not an image' >"$N/bad.jpg"
run -o "$WORK/n10" --name '%s_%w.%e' "$N/bad.jpg" "$N/g.jpg"
check "%w with a file that is no image: it fails alone, named (exit $rc)" \
    bash -c "[ $rc -eq 1 ] && grep -q '^thumbify: $N/bad.jpg: cannot name its thumbnail (--name %s_%w.%e): ' '$WORK/err' &&
        [ -f '$WORK/n10/g_75.jpg' ]"

# several sizes: each source's header is read once for all of them (its
# one open in the parent, which names the outputs: strace without -f), and
# each size's %wx%h is its own thumbnail's, upright, fitted or cropped
sized_names() {
    local f w h bad="" n=0
    while IFS= read -r f; do
        n=$((n + 1))
        [[ ${f##*/} =~ -([0-9]+)x([0-9]+)\.[a-z]+$ ]] || { bad="$bad ${f##*/}"; continue; }
        read -r w h _ < <("$TFTOOL" dims "$f")
        [ "$w $h" = "${BASH_REMATCH[1]} ${BASH_REMATCH[2]}" ] || bad="$bad ${f#$1/}($w x $h)"
    done < <(find "$1" -type f)
    [ "$n" -eq "$2" ] && [ -z "$bad" ] || { echo "  $n files, wrong:$bad"; return 1; }
}
if command -v strace >/dev/null 2>&1; then
    for crop in "" --crop; do
        o=$WORK/n11$crop
        ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" \
            strace -qq -e trace=openat,open -o "$WORK/strace" "$THUMBIFY" -q -s 75,150x100,300 \
            $crop --name '%s-%wx%h.%e' -o "$o" "$N/g.jpg" "$N/o6.jpg" "$N/o8.png" 2>"$WORK/err"
        rc=$?
        opens=$(for f in g.jpg o6.jpg o8.png; do grep -c "\"$N/$f\"" "$WORK/strace"; done | xargs)
        check "-s 75,150x100,300 ${crop:+$crop }--name '%s-%wx%h.%e': exit 0 (got $rc), each source opened once in the parent (got $opens)" \
            bash -c "[ $rc -eq 0 ] && [ '$opens' = '1 1 1' ]"
        check "  9 thumbnails, each %wx%h its own size" sized_names "$o" 9
    done
else
    echo "note: strace not installed: one header read for several sizes not checked"
fi

finish
