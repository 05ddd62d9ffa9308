#!/usr/bin/env bash
# Failure paths on the real binary: each bad file fails alone and is named,
# exit codes, usage errors, a crashing worker, unusable output directories.
. "$(dirname "$0")/../lib.sh"

mkdir -p "$WORK/in"
cp "$TESTDATA"/gradient_640x480.jpg "$TESTDATA"/gray_300x200.jpg "$TESTDATA"/bad/*.jpg "$WORK/in/"

run -p 2 "$WORK/in"
check "a batch with bad files exits 1 (got $rc)" [ "$rc" -eq 1 ]
for f in gradient_640x480.jpg gray_300x200.jpg truncated_half.jpg truncated_progressive.jpg; do
    check "$f still gets its thumbnail" [ -s "$WORK/in/thumbs/$f" ]
done
check "truncated file: a warning naming it" \
    grep -qx "thumbify: $WORK/in/truncated_half.jpg: warning: premature end of JPEG file" "$WORK/err"
check "non-JPEG named .jpg fails cleanly, named, with the reason" \
    grep -qx "thumbify: $WORK/in/not_a_jpeg.jpg: not a JPEG or PNG file (starts with 0x74 0x68)" "$WORK/err"
check "empty file fails cleanly" grep -qx "thumbify: $WORK/in/zero_bytes.jpg: empty file" "$WORK/err"
# the content decides how a file is decoded, its name what is written
check "PNG bytes named .jpg are decoded by content, into thumbs/png_named.jpg, a JPEG" \
    [ "$(head -c 2 "$WORK/in/thumbs/png_named.jpg" | od -An -tx1 | tr -d ' \n')" = ffd8 ]
check "garbage inside the scan fails cleanly" \
    grep -q "^thumbify: $WORK/in/garbage_after_header.jpg: " "$WORK/err"
for f in not_a_jpeg.jpg zero_bytes.jpg png_named.png garbage_after_header.jpg; do
    check "no thumbnail for $f" [ ! -e "$WORK/in/thumbs/$f" ]
done
check "summary counts 5 thumbnails and 3 failures" grep -qE "^5 thumbnails, 3 failed, " "$WORK/err"

# Missing paths: named, the rest still processed, exit 1.
mkdir -p "$WORK/one"
cp "$TESTDATA/gradient_640x480.jpg" "$WORK/one/"
run "$WORK/nope" "$WORK/one" "$WORK/nope.jpg"
check "missing paths exit 1 (got $rc)" [ "$rc" -eq 1 ]
check "a missing directory is named" \
    grep -qx "thumbify: $WORK/nope: cannot access: No such file or directory" "$WORK/err"
check "a missing file is named" grep -q "^thumbify: $WORK/nope.jpg: cannot access" "$WORK/err"
check "the other path is still processed" [ -s "$WORK/one/thumbs/gradient_640x480.jpg" ]

# Empty directory: nothing to do is success.
mkdir -p "$WORK/empty"
run "$WORK/empty"
check "empty directory exits 0 (got $rc)" [ "$rc" -eq 0 ]
check "empty directory: 0 thumbnails" grep -qE "^0 thumbnails, 0 failed, " "$WORK/err"
check "empty directory: no thumbs/ created" [ ! -e "$WORK/empty/thumbs" ]

# Non-JPEG names in a directory are not inputs; as file operands they are.
mkdir -p "$WORK/names"
cp "$TESTDATA/gradient_640x480.jpg" "$WORK/names/photo.txt"
cp "$TESTDATA/gradient_640x480.jpg" "$WORK/names/.jpg"
run "$WORK/names"
check "a directory's non-JPEG names are skipped" grep -qE "^0 thumbnails" "$WORK/err"
run -q "$WORK/names/photo.txt"
check "a file operand is taken as given" [ -s "$WORK/names/thumbs/photo.txt" ]

# Usage errors, worded as GNU's: exit 2, the option named, then the one line
# "Try 'thumbify --help' ..."; nothing else, nothing done.
usage() {
    local want=$1; shift
    run "$@" "$WORK/one"
    if [ "$rc" -eq 2 ] && grep -qF -- "$want" "$WORK/err" && grep -qxF "Try 'thumbify --help' for more information." "$WORK/err" &&
        [ "$(wc -l <"$WORK/err")" -eq 2 ]; then
        ok "'$*' is a usage error naming $want"
    else
        fail "'$*' should be a usage error naming $want (rc $rc: $(head -1 "$WORK/err"))"
    fi
}
usage "-p/--procs" -p 0
usage "-p/--procs" -p abc
usage "-s/--size" -s 0x5
usage "-s/--size" -s 5x
usage "-Q/--quality" -Q 101
usage "-Q/--quality" -Q 0
usage "thumbify: invalid option -- 'z'" -z
usage "thumbify: unrecognized option '--bogus'" --bogus
usage "thumbify: option '--quiet' doesn't allow an argument" --quiet=1
run
check "no operand: exit 2" [ "$rc" -eq 2 ]
check "no operand: says so" grep -q "no input path given" "$WORK/err"
run -p
check "-p without a value: exit 2, GNU's words" \
    bash -c "[ $rc -eq 2 ] && grep -qxF \"thumbify: option requires an argument -- 'p'\" '$WORK/err'"
run "$WORK/one" --proc
check "--proc without a value: exit 2, the option's full name in GNU's words" \
    bash -c "[ $rc -eq 2 ] && grep -qxF \"thumbify: option '--procs' requires an argument\" '$WORK/err'"

run --help
check "--help exits 0 and prints to stdout" bash -c "[ $rc -eq 0 ] && grep -q -- '--procs' '$WORK/out'"
for opt in -p -s -o -Q -q -v -h -V; do
    check "--help lists $opt" grep -qE -- "^  $opt, --" "$WORK/out"
done
run -V
check "--version prints the version" bash -c "[ $rc -eq 0 ] && grep -qE '^thumbify [0-9]+\.[0-9]+\.[0-9]+$' '$WORK/out'"

# The output directory cannot be created: one message, exit 1.
mkdir -p "$WORK/blocked"
cp "$TESTDATA"/gradient_640x480.jpg "$TESTDATA"/gray_300x200.jpg "$WORK/blocked/"
touch "$WORK/blocked/thumbs"
run "$WORK/blocked"
check "output path is a file: exit 1" [ "$rc" -eq 1 ]
check "output path is a file: one message naming it" \
    [ "$(grep -c "^thumbify: $WORK/blocked/thumbs: cannot create output directory: Not a directory" "$WORK/err")" -eq 1 ]
check "output path is a file: both images counted as failed" grep -qE "^0 thumbnails, 2 failed" "$WORK/err"

# -o pointing at the sources' own directory must never replace a source.
mkdir -p "$WORK/self"
cp "$TESTDATA/gradient_640x480.jpg" "$WORK/self/"
sum=$(sha256sum <"$WORK/self/gradient_640x480.jpg")
run -o "$WORK/self" "$WORK/self/gradient_640x480.jpg"
check "-o the source's own directory: exit 1" [ "$rc" -eq 1 ]
check "-o the source's own directory: the source is untouched" \
    [ "$(sha256sum <"$WORK/self/gradient_640x480.jpg")" = "$sum" ]
check "-o the source's own directory: said why" grep -q "is the source itself" "$WORK/err"
# The same in a directory whose path is over 1000 characters: the line
# names it whole and still says why (no message buffer cuts it).
deep="$WORK/deep"
for c in a b c d e; do deep="$deep/$(printf "$c%.0s" $(seq 1 200))"; done
mkdir -p "$deep"
cp "$TESTDATA/gradient_640x480.jpg" "$deep/g.jpg"
run -o "$deep" "$deep/g.jpg"
check "a ${#deep}-character path: the whole line, path and reason" \
    grep -qxF "thumbify: $deep/g.jpg: output $deep/g.jpg is the source itself; not written" "$WORK/err"

# Two sources with one output name under -o: the second is refused.
mkdir -p "$WORK/dupa" "$WORK/dupb"
cp "$TESTDATA/gradient_640x480.jpg" "$WORK/dupa/x.jpg"
cp "$TESTDATA/gray_300x200.jpg" "$WORK/dupb/x.jpg"
run -o "$WORK/dupout" "$WORK/dupa" "$WORK/dupb"
check "same output name twice: exit 1" [ "$rc" -eq 1 ]
check "same output name twice: explained" grep -q "would also be written from" "$WORK/err"
check "same file given twice is done once" bash -c \
    "'$THUMBIFY' -f '$WORK/one/gradient_640x480.jpg' '$WORK/one/gradient_640x480.jpg' 2>&1 | grep -q '^1 thumbnail, 0 failed'"

# A worker killed by a signal: the file is named with the signal, a new
# worker finishes the queue (thumbify-hooked: the test-only fault injection).
mkdir -p "$WORK/crash"
for i in 1 2 3 4 5 6; do cp "$TESTDATA/gradient_640x480.jpg" "$WORK/crash/img$i.jpg"; done
THUMBIFY_TEST_CRASH=img3 run_hooked -p 2 "$WORK/crash"
check "a crashing worker makes exit 1 (got $rc)" [ "$rc" -eq 1 ]
check "the file is reported with the signal's name" \
    grep -qx "thumbify: $WORK/crash/img3.jpg: worker killed by SIGSEGV" "$WORK/err"
check "every other file still gets its thumbnail" \
    [ "$(ls "$WORK/crash/thumbs" | wc -l)" -eq 5 ]
check "the summary counts it" grep -qE "^5 thumbnails, 1 failed" "$WORK/err"
THUMBIFY_TEST_CRASH=img run_hooked -p 2 "$WORK/crash"
check "every worker crashing still ends (exit $rc), all six failed" \
    grep -qE "^0 thumbnails, 6 failed" "$WORK/err"

check "no temp files left" no_temp_files "$WORK"
finish
