#!/bin/bash
# Nothing thumbify writes replaces a file it did not make, an input of the
# run, or another output of the run; -r follows a symlinked directory once;
# a FIFO put in a source's place does not hold a worker. Each part below
# lost data (or hung) before the output plan (src/cli/plan.c): sources are
# hashed before and after, thumbnails compared with tftool's reference.
. "$(dirname "$0")/../lib.sh"
T=$TESTDATA
GRAD=$T/gradient_640x480.jpg # 640x480 JPEG
RGB=$T/png/rgb_320x240.png   # 320x240 PNG
PNGJ=$T/bad/png_named.jpg    # 64x48 PNG bytes named .jpg

nlines() { grep -c -- "$1" "$WORK/err"; }
err_has() { grep -qE "$1" "$WORK/err"; }
# good_thumb SRC THUMB: a complete thumbnail of SRC, its pixels within
# 30 dB of tftool's area average of SRC (a thumbnail of another image is
# far below).
good_thumb() { complete_image "$2" && "$TFTOOL" psnr "$1" "$2" 30 >/dev/null; }

# ----------------------------------------------- -F png -o DIR: foreign file
# d/a.jpg's thumbnail is d/a.png, which is an unrelated file: refused
# without -f, with a message naming it; the source a.png is unchanged.
D=$WORK/foreign
mkdir -p "$D"
cp "$GRAD" "$D/a.jpg"
cp "$RGB" "$D/a.png"
before=$(src_state "$D")
run -F png -o "$D" "$D/a.jpg"
check "-F png -o d d/a.jpg, d/a.png not ours: exit 1 (got $rc)" [ "$rc" -eq 1 ]
check "-F png -o d d/a.jpg: d/a.png is not replaced, said with its path" \
    grep -qx "thumbify: $D/a.jpg: $D/a.png exists and is not a thumbnail made by thumbify; not replaced (-f replaces it)" "$WORK/err"
check "-F png -o d d/a.jpg: every source byte-identical" untouched "$D" "$before"
run -n -F png -o "$D" "$D/a.jpg"
check "-n says it would not replace d/a.png" \
    grep -qx "would not replace: $D/a.jpg -> $D/a.png (not made by thumbify)" "$WORK/out"
# A thumbnail of ours is replaced when stale, and -f replaces a foreign file.
D2=$WORK/ours
mkdir -p "$D2"
cp "$GRAD" "$D2/a.jpg"
run -F png -o "$D2" "$D2/a.jpg"
touch -d '2001-01-01' "$D2/a.jpg"
run -F png -o "$D2" "$D2/a.jpg"
check "a stale thumbnail of ours is remade (exit $rc)" \
    bash -c "[ $rc -eq 0 ] && grep -q '^1 thumbnail, 0 failed' '$WORK/err'"
check "the remade thumbnail is the image's" good_thumb "$GRAD" "$D2/a.png"
run -f -F png -o "$D" "$D/a.jpg"
check "-f replaces the foreign d/a.png (exit $rc)" [ "$rc" -eq 0 ]
check "-f: d/a.png is now a.jpg's thumbnail" good_thumb "$GRAD" "$D/a.png"

# A FIFO at the output path: refused without blocking (it is not ours).
D=$WORK/fifoout
mkdir -p "$D/thumbs"
cp "$GRAD" "$D/a.jpg"
mkfifo "$D/thumbs/a.jpg"
timeout 20 "$THUMBIFY" "$D" >"$WORK/out" 2>"$WORK/err"
rc=$?
check "a FIFO at the output path: refused at once, exit 1 (got $rc)" [ "$rc" -eq 1 ]
check "a FIFO at the output path: left alone" [ -p "$D/thumbs/a.jpg" ]

# ------------------------------------------------ output is another input
# Both a.jpg and a.png named, -F png -o d: a.jpg's output is the source
# a.png, which is also a.png's own output. Both reported, neither written.
D=$WORK/both
mkdir -p "$D"
cp "$GRAD" "$D/a.jpg"
cp "$RGB" "$D/a.png"
before=$(src_state "$D")
run -F png -o "$D" "$D/a.jpg" "$D/a.png"
check "-F png -o d d/a.jpg d/a.png: exit 1 (got $rc)" [ "$rc" -eq 1 ]
check "d/a.jpg's message names d/a.png" grep -q "^thumbify: $D/a.jpg: .*$D/a.png.*neither is written" "$WORK/err"
check "d/a.png's message names d/a.jpg" grep -q "^thumbify: $D/a.png: .*$D/a.jpg.*neither is written" "$WORK/err"
check "-F png -o d d/a.jpg d/a.png: every source byte-identical" untouched "$D" "$before"
check "-F png -o d d/a.jpg d/a.png: 0 thumbnails, 2 failed" err_has "^0 thumbnails, 2 failed"

# An output that is another input, spelled differently: e/b.jpg's output
# e/thumbs/b.png is the input ./e/thumbs/b.png (the user's own file).
O=$WORK/other
mkdir -p "$O/e/thumbs"
cp "$GRAD" "$O/e/b.jpg"
cp "$RGB" "$O/e/thumbs/b.png"
before=$(src_state "$O/e/thumbs")
run -F png "$O/e/b.jpg" "$O/./e/thumbs/b.png"
check "output e/thumbs/b.png that is the input ./e/thumbs/b.png: exit 1 (got $rc)" [ "$rc" -eq 1 ]
check "the writer's message names the input" \
    grep -qx "thumbify: $O/e/b.jpg: output $O/e/thumbs/b.png would replace $O/./e/thumbs/b.png, an input of this run; neither is written" "$WORK/err"
check "the input's message names the writer" \
    grep -qx "thumbify: $O/./e/thumbs/b.png: it is the output path of $O/e/b.jpg ($O/e/thumbs/b.png); neither is written" "$WORK/err"
check "the input e/thumbs/b.png is byte-identical" untouched "$O/e/thumbs" "$before"
check "nothing written for it either" [ ! -e "$O/e/thumbs/thumbs/b.png" ]

# --report naming an input: refused before the work, the input unchanged,
# the thumbnails still made.
D=$WORK/report
mkdir -p "$D"
cp "$GRAD" "$D/a.jpg"
cp "$T/gray_300x200.jpg" "$D/b.jpg"
before=$(src_state "$D")
run --report "$D/./b.jpg" "$D"
check "--report naming an input: exit 1 (got $rc)" [ "$rc" -eq 1 ]
check "--report naming an input: said, with the input" \
    grep -qx "thumbify: $D/./b.jpg: is an input of this run ($D/b.jpg); the report is not written" "$WORK/err"
check "--report naming an input: every source byte-identical" untouched "$D" "$before"
check "--report naming an input: the thumbnails are made" good_thumb "$T/gray_300x200.jpg" "$D/thumbs/b.jpg"

# -o d d/x.jpg where x.jpg holds PNG bytes: its output is its own name, so
# the source itself (refused), never d/x.png (an unrelated file).
D=$WORK/pngin
mkdir -p "$D"
cp "$PNGJ" "$D/x.jpg"
cp "$RGB" "$D/x.png"
before=$(src_state "$D")
run -o "$D" "$D/x.jpg"
check "-o d d/x.jpg (PNG bytes): exit 1 (got $rc)" [ "$rc" -eq 1 ]
check "-o d d/x.jpg (PNG bytes): said to be the source itself" \
    grep -qx "thumbify: $D/x.jpg: output $D/x.jpg is the source itself; not written" "$WORK/err"
check "-o d d/x.jpg (PNG bytes): d/x.png and d/x.jpg byte-identical" untouched "$D" "$before"

# ------------------------------------- content does not choose the name
# x.jpg with PNG bytes beside a real x.png, y.png with JPEG bytes beside a
# real y.jpg: four thumbnails under four names, each of its own source,
# the same on every run (-p 2, three runs).
D=$WORK/mixed
mkdir -p "$D"
cp "$PNGJ" "$D/x.jpg"
cp "$RGB" "$D/x.png"
cp "$T/gray_300x200.jpg" "$D/y.png"
cp "$GRAD" "$D/y.jpg"
before=$(src_state "$D")
for pass in 1 2 3; do
    run -f -p 2 "$D"
    check "pass $pass: x.jpg (PNG bytes), x.png, y.png (JPEG bytes), y.jpg: 4 thumbnails (exit $rc)" \
        bash -c "[ $rc -eq 0 ] && grep -q '^4 thumbnails, 0 failed' '$WORK/err'"
    check "pass $pass: thumbs/x.jpg is a JPEG (named by the name, not the bytes)" \
        is_jpeg "$D/thumbs/x.jpg"
    check "pass $pass: thumbs/x.jpg has x.jpg's pixels" good_thumb "$D/x.jpg" "$D/thumbs/x.jpg"
    check "pass $pass: thumbs/x.png has x.png's pixels" good_thumb "$D/x.png" "$D/thumbs/x.png"
    check "pass $pass: thumbs/y.png is a PNG" is_png "$D/thumbs/y.png"
    check "pass $pass: thumbs/y.png has y.png's pixels" good_thumb "$D/y.png" "$D/thumbs/y.png"
    check "pass $pass: thumbs/y.jpg has y.jpg's pixels" good_thumb "$D/y.jpg" "$D/thumbs/y.jpg"
done
check "mixed contents: sources byte-identical" untouched "$D" "$before"

# ------------------------------------------- one output, two spellings
D=$WORK/spell
mkdir -p "$D/x"
cp "$GRAD" "$D/x/a.jpg"
cp "$RGB" "$D/x/a.png"
before=$(src_state "$D")
run_in "$D" -F png x/a.jpg ./x/a.png
check "-F png x/a.jpg ./x/a.png: the clash on x/thumbs/a.png is caught, exit 1 (got $rc)" [ "$rc" -eq 1 ]
check "x/a.jpg's message names ./x/a.png" \
    grep -qx "thumbify: x/a.jpg: output x/thumbs/a.png would also be written from ./x/a.png; neither is written" "$WORK/err"
check "./x/a.png's message names x/a.jpg" \
    grep -qx "thumbify: ./x/a.png: output ./x/thumbs/a.png would also be written from x/a.jpg; neither is written" "$WORK/err"
check "the clash: nothing written" [ ! -e "$D/x/thumbs/a.png" ]
check "the clash: sources byte-identical" untouched "$D" "$before"

# --files-from with mixed ./ prefixes: the same clash, and the same source
# twice is done once.
run_in "$D" -F png --files-from - < <(printf '%s\n' x/a.jpg ./x/a.png)
check "--files-from x/a.jpg ./x/a.png -F png: exit 1 (got $rc), both named" \
    bash -c "[ $rc -eq 1 ] && [ \$(grep -c 'neither is written' '$WORK/err') -eq 2 ]"
run_in "$D" -f --files-from - < <(printf '%s\n' x/a.jpg ./x/a.jpg .//x/a.jpg)
check "--files-from x/a.jpg ./x/a.jpg .//x/a.jpg: done once (exit $rc)" \
    bash -c "[ $rc -eq 0 ] && grep -q '^1 thumbnail, 0 failed' '$WORK/err'"
check "the one thumbnail is x/a.jpg's" good_thumb "$GRAD" "$D/x/thumbs/a.jpg"
run_in "$D" -f x/a.jpg ./x/a.jpg "$D/x/a.jpg"
check "x/a.jpg ./x/a.jpg and its absolute path as operands: done once" \
    err_has '^1 thumbnail, 0 failed'

# --------------------------------------------------- symlink fan-out
# 14 directories, 26 links, no loop: d0 holds two links to d1, d1 two to
# d2, ... d12 two to d13, which holds the one image. 2^13 paths lead to
# it; each directory is scanned once, so it is one job.
F=$WORK/fan
mkdir -p "$F/d0"
for i in $(seq 1 13); do mkdir -p "$F/store/d$i"; done
ln -s "$F/store/d1" "$F/d0/l0a"
ln -s "$F/store/d1" "$F/d0/l0b"
for i in $(seq 1 12); do
    ln -s "../d$((i + 1))" "$F/store/d$i/l${i}a"
    ln -s "../d$((i + 1))" "$F/store/d$i/l${i}b"
done
cp "$T/small_50x40.jpg" "$F/store/d13/img.jpg"
check "fan-out tree: 14 directories, 26 links" \
    bash -c "[ \$(find '$F' -type d -name 'd*' | wc -l) -eq 14 ] && [ \$(find '$F' -type l | wc -l) -eq 26 ]"
timeout 60 "$THUMBIFY" -r -n -o "$WORK/fanout" "$F/d0" >"$WORK/out" 2>"$WORK/err"
rc=$?
check "-r -n on the fan-out tree: one job, not 8192 (got $(grep -c '^would make' "$WORK/out"), exit $rc)" \
    [ "$(grep -c '^would make' "$WORK/out")" -eq 1 ]
timeout 120 "$THUMBIFY" -r -o "$WORK/fanout" "$F/d0" >"$WORK/out" 2>"$WORK/err"
rc=$?
check "-r on the fan-out tree: 1 thumbnail (exit $rc)" \
    bash -c "[ $rc -eq 0 ] && grep -q '^1 thumbnail, 0 failed' '$WORK/err'"
t=$(find "$WORK/fanout" -name img.jpg | head -n 1)
check "-r on the fan-out tree: one file written (${t#"$WORK"/})" \
    [ "$(find "$WORK/fanout" -type f | wc -l)" -eq 1 ]
check "-r on the fan-out tree: its pixels are small_50x40.jpg's" good_thumb "$T/small_50x40.jpg" "$t"

# A symlinked directory whose target is scanned in its real place is not
# scanned again: its real place names the thumbnails.
R=$WORK/real
mkdir -p "$R/2024"
cp "$GRAD" "$R/2024/p.jpg"
ln -s 2024 "$R/current"
run -r "$R"
check "-r with current -> 2024: 1 thumbnail (exit $rc)" err_has '^1 thumbnail, 0 failed'
check "-r with current -> 2024: made under its real place" [ -f "$R/thumbs/2024/p.jpg" ]
check "-r with current -> 2024: not again under the link" [ ! -e "$R/thumbs/current" ]
check "-r with current -> 2024: the thumbnail is p.jpg's" good_thumb "$GRAD" "$R/thumbs/2024/p.jpg"

# --------------------------------------------- a FIFO swapped in late
# The first job (the larger file) hangs its worker (test-only hook) until
# --timeout; meanwhile the second file becomes a FIFO with no writer. The
# worker that takes it must fail it at once, not wait in open() for a
# second --timeout. The hook is only in thumbify-hooked.
D=$WORK/fifo
mkdir -p "$D"
cp "$GRAD" "$D/a_hang.jpg"
cp "$T/small_50x40.jpg" "$D/b.jpg"
limit=$((2 * SLOW))
THUMBIFY_TEST_HANG=a_hang "$THUMBIFY_HOOKED" -p 1 --timeout "$limit" "$D" >"$WORK/out" 2>"$WORK/err" &
pid=$!
# The scan and the plan are over once the output directory exists: the
# parent makes it just before it forks the workers. (Not "once a child
# exists": under valgrind the launcher's child is thumbify's parent, there
# long before the scan ends, and the FIFO was then skipped by the scan.)
for _ in $(seq $((100 * SLOW))); do
    [ -d "$D/thumbs" ] && break
    sleep 0.1
done
check "FIFO swapped in: the run got past its scan (thumbs/ made)" [ -d "$D/thumbs" ]
rm "$D/b.jpg" && mkfifo "$D/b.jpg"
start=$(date +%s%N)
wait "$pid"
rc=$?
ms=$((($(date +%s%N) - start) / 1000000))
check "FIFO swapped in: exit 1 (got $rc)" [ "$rc" -eq 1 ]
check "FIFO swapped in: failed as not a regular file" \
    grep -qx "thumbify: $D/b.jpg: not a regular file (any more); not read" "$WORK/err"
check "FIFO swapped in: not timed out" [ "$(nlines "$D/b.jpg: timed out")" -eq 0 ]
check "FIFO swapped in: the run took one --timeout, not two (${ms} ms)" \
    [ "$ms" -lt $((limit * 1000 + 1500 * SLOW)) ]

finish
