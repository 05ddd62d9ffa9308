#!/usr/bin/env bash
# A file that takes a thumbnail's name while the thumbnail is being made is
# never replaced unless thumbify made it, and a refused run makes no
# directory:
#  1. nothing at the output path when the run looked; a user's file put
#     there while the worker is stopped (test-only hook) after writing the
#     thumbnail, before naming it: kept byte-identical, exit 1, one message
#     naming the path, no temp file left. Each way of naming: the unnamed
#     file (linkat), the named temp file (renameat2 RENAME_NOREPLACE) and
#     the named one by hard link (file systems without RENAME_NOREPLACE).
#  2. a stale thumbnail at the output path, replaced by a user's file in the
#     same window: kept (the stamp is looked at again before the rename).
#  3. another run makes the same output in the window (same options, other
#     options): the stopped run replaces it with its own thumbnail, exit 0.
#  4. a clash refuses outputs: no directory is made for them (-o NEW/DIR,
#     and a mirrored -r subdirectory), while one for written outputs is.
#  5. A.JPG and a.jpg into a case-insensitive output directory clash
#     (refused, nothing written, no directory made), into a case-sensitive
#     one both are written: the test-only hook THUMBIFY_TEST_CASEFOLD takes
#     a directory here as case-insensitive; then, as root with a kernel
#     that can, a real one: an ext4 loop mount with casefold (chattr +F),
#     else a vfat one (dosfstools). Without either that part is skipped
#     with a note.
. "$(dirname "$0")/../lib.sh"

HOOKED=${THUMBIFY_HOOKED:?thumbify-hooked (THUMBIFY_HOOKED) is not set}
T=$TESTDATA
GRAD=$T/gradient_640x480.jpg

# good_thumb SRC THUMB: a complete thumbnail of SRC filling the 75x75 box,
# its pixels within 30 dB of tftool's area average of SRC.
good_thumb() { complete_image "$2" && fits_box "$2" "$1" 75 75 && "$TFTOOL" psnr "$1" "$2" 30 >/dev/null; }

MNT=
cleanup() {
    kill_ours
    [ -n "$MNT" ] && umount "$MNT" 2>/dev/null
    rm -rf "$WORK"
}
trap cleanup EXIT

# stopped_run DIR WAY ARGS...: thumbify-hooked ARGS in the background,
# stopped once its thumbnail of a.jpg is written but not named; WAY is
# unnamed, named or link. Sets pid and w (the stopped worker, or empty).
stopped_run() {
    local dir=$1 way=$2 tmpfile=unnamed noreplace=
    shift 2
    case $way in named) tmpfile=named ;; link) tmpfile=named noreplace=link ;; esac
    THUMBIFY_TEST_STOP_WRITTEN=a.jpg THUMBIFY_TEST_TMPFILE=$tmpfile \
        THUMBIFY_TEST_NOREPLACE=$noreplace "$HOOKED" -p 1 "$@" >"$WORK/out" 2>"$WORK/err" &
    pid=$!
    w=$(stopped_child "$pid" $((20 * SLOW)))
    check "$dir ($way): the worker stopped with the thumbnail written, not named" [ -n "$w" ]
}

# resume: lets the stopped worker go on; sets rc.
resume() {
    [ -n "$w" ] && kill -CONT "$w"
    wait "$pid"; rc=$?
    sed 's/^/  stderr: /' "$WORK/err"
}

# ======================= 1. a user's file appears where there was nothing
for way in unnamed named link; do
    D=$WORK/new-$way
    mkdir -p "$D/src"
    cp "$GRAD" "$D/src/a.jpg"
    stopped_run new "$way" -o "$D/out" "$D/src/a.jpg"
    printf 'my notes, not a thumbnail\n' >"$D/out/a.jpg"
    resume
    check "new ($way): exit 1 (got $rc)" [ "$rc" -eq 1 ]
    check "new ($way): the user's file is kept byte-identical" \
        bash -c "[ \"\$(cat '$D/out/a.jpg')\" = 'my notes, not a thumbnail' ]"
    check "new ($way): one message names the path and says it is kept" \
        grep -qx "thumbify: $D/src/a.jpg: $D/out/a.jpg was made by something else while its thumbnail was being made and is not a thumbnail made by thumbify; kept, not replaced (-f replaces it)" "$WORK/err"
    check "new ($way): no temp file left" no_temp_files "$D/out"
done

# ============ 2. a stale thumbnail replaced by a user's file in the window
for way in unnamed named; do
    D=$WORK/stale-$way
    mkdir -p "$D/src"
    cp "$GRAD" "$D/src/a.jpg"
    run -s 40 -o "$D/out" "$D/src/a.jpg"
    check "stale ($way): a 40x40 thumbnail made first (exit $rc)" complete_image "$D/out/a.jpg" 40
    stopped_run stale "$way" -o "$D/out" "$D/src/a.jpg"
    printf 'my notes\n' >"$D/notes" && mv "$D/notes" "$D/out/a.jpg"
    resume
    check "stale ($way): exit 1 (got $rc)" [ "$rc" -eq 1 ]
    check "stale ($way): the user's file that replaced the thumbnail is kept" \
        bash -c "[ \"\$(cat '$D/out/a.jpg')\" = 'my notes' ]"
    check "stale ($way): the message names the path" grep -q "$D/out/a.jpg was made by something else" "$WORK/err"
    check "stale ($way): no temp file left" no_temp_files "$D/out"
done

# ================== 3. another run makes the same thumbnail in the window
for other in "" "-s 40"; do
    D=$WORK/other${other:+-s40}
    mkdir -p "$D/src"
    cp "$GRAD" "$D/src/a.jpg"
    stopped_run "other run ${other:-same options}" unnamed -o "$D/out" "$D/src/a.jpg"
    # shellcheck disable=SC2086 # $other: options, split on purpose
    "$THUMBIFY" -q $other -o "$D/out" "$D/src/a.jpg"
    check "other run (${other:-same options}): its thumbnail is there" complete_image "$D/out/a.jpg"
    resume
    check "other run (${other:-same options}): the stopped run replaces it, exit 0 (got $rc)" [ "$rc" -eq 0 ]
    check "other run (${other:-same options}): its own 75x75 thumbnail of a.jpg is there" \
        good_thumb "$GRAD" "$D/out/a.jpg"
    check "other run (${other:-same options}): no temp file left" no_temp_files "$D/out"
done

# ===================== 4. no directory for outputs a clash refuses
D=$WORK/dirs
mkdir -p "$D/a" "$D/b"
cp "$GRAD" "$D/a/x.jpg"
cp "$GRAD" "$D/b/x.jpg"
run -o "$D/new/deep" "$D/a/x.jpg" "$D/b/x.jpg"
check "clash into -o new/deep: exit 1 (got $rc)" [ "$rc" -eq 1 ]
check "clash into -o new/deep: both refused, said" [ "$(grep -c 'neither is written' "$WORK/err")" -eq 2 ]
check "clash into -o new/deep: no directory made" [ ! -e "$D/new" ]
mkdir -p "$D/tree/sub" "$D/tree/other"
cp "$GRAD" "$D/tree/sub/p.jpg"
cp "$T/png/rgb_320x240.png" "$D/tree/sub/p.png"
cp "$GRAD" "$D/tree/other/q.jpg"
run -r -F jpeg -o "$D/out" "$D/tree"
check "-r -F jpeg, sub/p.jpg and sub/p.png clash: exit 1 (got $rc)" [ "$rc" -eq 1 ]
check "-r -F jpeg: other/q.jpg written" complete_image "$D/out/other/q.jpg"
check "-r -F jpeg: no directory made for the refused sub/" [ ! -e "$D/out/sub" ]

# ============== 5. outputs differing only in case, case-insensitive dirs
# case_clash LABEL OUTDIR [HOOK]: A.JPG and a.jpg into OUTDIR, which
# folds case (really, or by the hook when HOOK is set): both refused.
case_clash() {
    local label=$1 out=$2
    if [ -n "${3:-}" ]; then
        THUMBIFY_TEST_CASEFOLD=$out "$HOOKED" -o "$out" "$C/src" >"$WORK/out" 2>"$WORK/err"; rc=$?
    else
        run -o "$out" "$C/src"
    fi
    sed 's/^/  stderr: /' "$WORK/err"
    check "$label: A.JPG and a.jpg clash, exit 1 (got $rc)" [ "$rc" -eq 1 ]
    check "$label: both reported, naming each other" bash -c \
        "grep -qx 'thumbify: $C/src/a.jpg: output $out/a.jpg would also be written from $C/src/A.JPG; neither is written' '$WORK/err' &&
         grep -qx 'thumbify: $C/src/A.JPG: output $out/A.JPG would also be written from $C/src/a.jpg; neither is written' '$WORK/err'"
    check "$label: nothing written, no directory made" [ ! -e "$out" ]
}
C=$WORK/case
mkdir -p "$C/src"
cp "$GRAD" "$C/src/A.JPG"
cp "$T/small_50x40.jpg" "$C/src/a.jpg"
run -o "$C/sensitive" "$C/src"
check "case-sensitive output: both written, exit 0 (got $rc)" \
    bash -c "[ $rc -eq 0 ] && [ -f '$C/sensitive/A.JPG' ] && [ -f '$C/sensitive/a.jpg' ]"
case_clash "case-insensitive output (hook)" "$C/folded" hook

if [ "$(id -u)" = 0 ] && truncate -s 32M "$WORK/fs.img"; then
    mkdir -p "$WORK/mnt"
    if mkfs.ext4 -q -O casefold "$WORK/fs.img" 2>/dev/null &&
        mount -o loop "$WORK/fs.img" "$WORK/mnt" 2>/dev/null; then
        MNT=$WORK/mnt
        mkdir "$MNT/cf" && chattr +F "$MNT/cf" 2>/dev/null && mkdir "$MNT/cf/thumbs" &&
            case_clash "ext4 casefold (chattr +F)" "$MNT/cf/thumbs/new" ||
            echo "note: chattr +F failed: ext4 casefold check not run"
    elif command -v mkfs.vfat >/dev/null && mkfs.vfat "$WORK/fs.img" >/dev/null 2>&1 &&
        mount -t vfat -o loop "$WORK/fs.img" "$WORK/mnt" 2>/dev/null; then
        MNT=$WORK/mnt
        case_clash "vfat" "$MNT/new"
    else
        echo "note: neither an ext4 casefold (kernel without CONFIG_UNICODE?) nor a vfat loop mount could be made: real case-insensitive file system not tested"
    fi
else
    echo "note: not root: real case-insensitive file system not tested"
fi

finish
