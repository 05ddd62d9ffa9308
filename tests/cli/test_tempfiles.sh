#!/usr/bin/env bash
# Temp files and output directories when several runs share one output
# tree, on the real binary:
#  1. three shards at once, each in its own PID namespace (unshare --pid:
#     every shard's workers have the same PIDs, as in containers), into one
#     output tree, 20 times (3 under valgrind): every exit 0, the output
#     byte-identical to one single run (cmp of every file), no temp file
#     left. Every other round runs thumbify-hooked, whose test-only hook
#     takes the named temp file path that file systems without O_TMPFILE
#     (NFS) get.
#  2. a directory of the output tree swapped for a symlink while a run is
#     stopped (test-only hook) between two thumbnails: nothing is written
#     through the link, the symlink is named in the messages, the thumbnail
#     made before the swap stays in the real directory.
#  3. start-up clean-up: a temp file another run holds (its lock taken) is
#     kept however old, a dead one (lock free, older than 10 minutes) is
#     removed, a recent one is kept, a name that is not ours is kept; both
#     with lock-holders made by hand and with a real run stopped (test-only
#     hook) while its temp file waits to be renamed.
# Part 1, and the clean-up run of part 3, need `unshare --pid` (root, or
# unprivileged user namespaces): without it they run without it (part 3) or
# are skipped with a note (part 1). Parts 2 and 3 stop a run with the hooks
# of thumbify-hooked.
. "$(dirname "$0")/../lib.sh"

HOOKED=${THUMBIFY_HOOKED:?thumbify-hooked (THUMBIFY_HOOKED) is not set}
T=$TESTDATA

kill_ours_at_exit

NS=()
if unshare --pid --fork --mount-proc true 2>/dev/null; then
    NS=(unshare --pid --fork --mount-proc)
else
    echo "note: unshare --pid --fork --mount-proc is not permitted here: PID-namespace checks not run"
fi

# same_tree A B: the same files in both, each byte-identical (cmp).
same_tree() {
    local f bad=0
    [ "$(cd "$1" && find . -type f | LC_ALL=C sort)" = "$(cd "$2" && find . -type f | LC_ALL=C sort)" ] ||
        { echo "  the file lists differ"; return 1; }
    while IFS= read -r -d '' f; do
        cmp -s "$1/$f" "$2/$f" || { echo "  differs: $f"; bad=1; }
    done < <(cd "$1" && find . -type f -print0)
    return $bad
}

# ================================== 1. three shards in PID namespaces
if [ ${#NS[@]} -gt 0 ]; then
    S=$WORK/shards
    srcs=(small_50x40.jpg exactly_75x75.jpg gray_300x200.jpg restart_500x375.jpg)
    mkdir -p "$S/src"
    for ((i = 0; i < 240; i++)); do cp "$T/${srcs[i % 4]}" "$S/src/p$i.jpg"; done
    "$THUMBIFY" -q -p 2 -o "$S/ref" "$S/src"; rc=$?
    check "shards: the single reference run exits 0 (got $rc)" [ "$rc" -eq 0 ]
    bad_rc=0 bad_tree=0 bad_temp=0 rounds=20
    [ "$SLOW" -ge 20 ] && rounds=3 # under valgrind
    for ((r = 0; r < rounds; r++)); do
        rm -rf "$S/out"
        way=unnamed bin=$THUMBIFY
        [ $((r % 2)) = 1 ] && way=named bin=$HOOKED
        pids=()
        for i in 0 1 2; do
            # a TMPDIR each: under valgrind every shard is PID 1 in its
            # namespace, and valgrind names its own temp files by PID
            mkdir -p "$S/tmp$i"
            TMPDIR=$S/tmp$i THUMBIFY_TEST_TMPFILE=$way "${NS[@]}" "$bin" -q -p 2 --shard $i/3 -o "$S/out" "$S/src" \
                2>>"$WORK/shard-err" &
            pids+=($!)
        done
        for p in "${pids[@]}"; do
            wait "$p"; rc=$?
            [ "$rc" -eq 0 ] || { bad_rc=$((bad_rc + 1)); echo "  round $r ($way): a shard exited $rc"; }
        done
        same_tree "$S/ref" "$S/out" || { bad_tree=$((bad_tree + 1)); echo "  round $r ($way): output differs"; }
        no_temp_files "$S/out" || { bad_temp=$((bad_temp + 1)); echo "  round $r ($way): temp file left"; }
    done
    sed 's/^/  stderr: /' "$WORK/shard-err" 2>/dev/null | head -5
    check "shards: 3 shards x $rounds rounds in PID namespaces, every exit 0 ($bad_rc failed)" \
        [ "$bad_rc" -eq 0 ]
    check "shards: every round's output is byte-identical to the single run ($bad_tree differed)" \
        [ "$bad_tree" -eq 0 ]
    check "shards: no temp file left in any round ($bad_temp left one)" [ "$bad_temp" -eq 0 ]
    check "shards: nothing said on stderr" [ ! -s "$WORK/shard-err" ]
fi

# ============================ 2. a symlink swapped in mid-run

D=$WORK/swap
mkdir -p "$D/src/sub/deep" "$D/elsewhere/deep"
# largest first: a.jpg is written, then the run stops before b.jpg
cp "$T/gradient_640x480.jpg" "$D/src/sub/deep/a.jpg"
cp "$T/restart_500x375.jpg" "$D/src/sub/deep/b.jpg"
cp "$T/small_50x40.jpg" "$D/src/sub/deep/c.jpg"
THUMBIFY_TEST_STOP_DIR=deep/b.jpg "$HOOKED" -p 1 -r -o "$D/out" "$D/src" \
    >"$WORK/out" 2>"$WORK/err" &
pid=$!
w=$(stopped_child "$pid" $((20 * SLOW)))
check "swap: the worker stopped before writing b.jpg" [ -n "$w" ]
check "swap: a.jpg was written first" complete_image "$D/out/sub/deep/a.jpg"
mv "$D/out/sub" "$D/out/sub.moved"
ln -s "$D/elsewhere" "$D/out/sub"
[ -n "$w" ] && kill -CONT "$w"
wait "$pid"; rc=$?
sed 's/^/  stderr: /' "$WORK/err"
check "swap: exit 1 (got $rc)" [ "$rc" -eq 1 ]
check "swap: nothing written through the symlink" [ -z "$(ls -A "$D/elsewhere/deep")" ]
check "swap: the link's target holds nothing new" [ "$(ls -A "$D/elsewhere")" = deep ]
check "swap: the moved real directory holds a.jpg only" [ "$(ls -A "$D/out/sub.moved/deep")" = a.jpg ]
check "swap: the symlink is named, for b.jpg" grep -qF \
    "$D/src/sub/deep/b.jpg: cannot write $D/out/sub/deep/b.jpg: $D/out/sub/deep: $D/out/sub is a symlink (refused)" \
    "$WORK/err"
check "swap: said once for the directory" [ "$(grep -cF \
    "$D/out/sub/deep: output directory unusable: $D/out/sub is a symlink (refused); its remaining images are skipped" \
    "$WORK/err")" -eq 1 ]
check "swap: 1 thumbnail, 2 failed" grep -qE "^1 thumbnail, 2 failed" "$WORK/err"

# ============================ 3. start-up clean-up: live kept, dead removed
D=$WORK/stale
mkdir -p "$D/src" "$D/out"
cp "$T/small_50x40.jpg" "$D/src/s.jpg"
old=$(date -d '-1 hour' +%Y%m%d%H%M.%S)
for n in 0123456789abcdef 2-0 fedcba9876543210 3-0 00000000000000ff notours; do
    echo partial >"$D/out/.thumbify-$n.tmp"
done
touch -t "$old" "$D/out/.thumbify-"{0123456789abcdef,2-0,fedcba9876543210,3-0,notours}.tmp
# another run's live temp files: their lock held, as a writer holds it
# (by this shell, through descriptors that flock(1) locked)
exec {l1}<"$D/out/.thumbify-fedcba9876543210.tmp" {l2}<"$D/out/.thumbify-3-0.tmp"
flock -x "$l1" && flock -x "$l2"
# in a PID namespace of its own where there is one: PIDs 2 and 3 are free
# there, as they are for a shard in another container
"${NS[@]}" "$THUMBIFY" -q -o "$D/out" "$D/src" >"$WORK/out" 2>"$WORK/err"; rc=$?
check "clean-up: the run exits 0 (got $rc)" [ "$rc" -eq 0 ]
check "clean-up: a dead temp file (lock free, an hour old) is removed" \
    [ ! -e "$D/out/.thumbify-0123456789abcdef.tmp" ]
check "clean-up: a dead temp file of an earlier version (PID-N) is removed" [ ! -e "$D/out/.thumbify-2-0.tmp" ]
check "clean-up: a live temp file (its lock held, an hour old) is kept" \
    [ -e "$D/out/.thumbify-fedcba9876543210.tmp" ]
check "clean-up: a live PID-N temp file (its lock held) is kept" [ -e "$D/out/.thumbify-3-0.tmp" ]
check "clean-up: a recent temp file, lock free, is kept" [ -e "$D/out/.thumbify-00000000000000ff.tmp" ]
check "clean-up: a name that is not ours is kept" [ -e "$D/out/.thumbify-notours.tmp" ]
exec {l1}<&- {l2}<&-
rm -f "$D"/out/.thumbify-*

# the same with a real run stopped while its temp file waits for its name
cp "$T/gradient_640x480.jpg" "$D/src/live.jpg"
rm -f "$D/out/live.jpg"
THUMBIFY_TEST_TMPFILE=named THUMBIFY_TEST_STOP_WRITTEN=live.jpg \
    "$HOOKED" -p 1 -o "$D/out" "$D/src/live.jpg" >"$WORK/out-a" 2>"$WORK/err-a" &
pid=$!
w=$(stopped_child "$pid" $((20 * SLOW)))
check "clean-up: run A stopped with its temp file written" [ -n "$w" ]
tmp=$(find "$D/out" -name '.thumbify-*.tmp')
check "clean-up: run A's temp file has a random name (${tmp##*/})" \
    bash -c "[[ '${tmp##*/}' =~ ^\.thumbify-[0-9a-f]{16}\.tmp$ ]]"
[ -n "$tmp" ] && touch -t "$old" "$tmp"
"${NS[@]}" "$THUMBIFY" -q -f -o "$D/out" "$D/src/s.jpg" >"$WORK/out" 2>"$WORK/err"; rc=$?
check "clean-up: run B exits 0 (got $rc)" [ "$rc" -eq 0 ]
check "clean-up: run A's temp file, an hour old, is kept by run B" test -n "$tmp" -a -e "$tmp"
[ -n "$w" ] && kill -CONT "$w"
wait "$pid"; rc=$?
check "clean-up: run A then completes, exit 0 (got $rc)" [ "$rc" -eq 0 ]
check "clean-up: run A's thumbnail is complete" complete_image "$D/out/live.jpg"
check "clean-up: no temp file left" no_temp_files "$D/out"

finish
