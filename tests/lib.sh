# lib.sh - shared by the shell tests. ctest sets THUMBIFY (the binary),
# TFTOOL (tests/tools/tftool), TESTDATA and SRCDIR. Each check prints what it
# checked; the script's exit status is 1 if any check failed.
set -u
failures=0
checks=0

ok()   { checks=$((checks + 1)); echo "ok: $*"; }
fail() { checks=$((checks + 1)); failures=$((failures + 1)); echo "FAIL: $*"; }
# check DESCRIPTION COMMAND...: passes when COMMAND succeeds.
check() { local what=$1; shift; if "$@"; then ok "$what"; else fail "$what"; fi; }
finish() {
    echo "$((checks - failures)) passed, $failures failed"
    [ "$failures" -eq 0 ]
}
skip() { echo "skipped: $*"; exit 77; }

WORK=$(mktemp -d "${TMPDIR:-/tmp}/thumbify-test.XXXXXX")
trap 'rm -rf "$WORK"' EXIT

# run ARGS...: runs thumbify, leaving stdout in $WORK/out, stderr in
# $WORK/err and the exit status in $rc.
run() { "$THUMBIFY" "$@" >"$WORK/out" 2>"$WORK/err"; rc=$?; }
# run_hooked ARGS...: the same with thumbify-hooked, the test build with the
# fault injection (THUMBIFY_TEST_CRASH, _HANG, _TRUNCATE).
run_hooked() { "${THUMBIFY_HOOKED:?}" "$@" >"$WORK/out" 2>"$WORK/err"; rc=$?; }

# copy_testdata DEST: a copy of testdata/ to work on, without any thumbs/
# directory in it: those are output (the README's first command writes
# testdata/thumbs/), never input the tests may count or hash.
copy_testdata() {
    mkdir -p "$1" && tar -C "$TESTDATA" --exclude=thumbs -cf - . | tar -C "$1" -xf -
}

# Sets CORPUS to the corpus directory, absolute, or skips the test when
# THUMBIFY_CORPUS is not set. Call it directly, not in $(...): a skip must
# end the test, not a subshell.
corpus() {
    [ -n "${THUMBIFY_CORPUS:-}" ] || skip "THUMBIFY_CORPUS is not set"
    case $THUMBIFY_CORPUS in /*) ;; *) THUMBIFY_CORPUS=$SRCDIR/$THUMBIFY_CORPUS ;; esac
    [ -d "$THUMBIFY_CORPUS" ] || { echo "FAIL: THUMBIFY_CORPUS=$THUMBIFY_CORPUS is not a directory"; exit 1; }
    CORPUS=$THUMBIFY_CORPUS
}

# fits_dims TW TH SW SH [BOXW BOXH]: a TW x TH thumbnail of a SW x SH image
# fits the box (default 75x75), keeps the aspect ratio, and its limiting
# side fills the box (or the image kept its own size when it was inside).
fits_dims() {
    local tw=${1:-0} th=${2:-0} sw=$3 sh=$4 bw=${5:-75} bh=${6:-75}
    [ "$tw" -ge 1 ] && [ "$th" -ge 1 ] && [ "$tw" -le "$bw" ] && [ "$th" -le "$bh" ] || return 1
    if [ "$sw" -le "$bw" ] && [ "$sh" -le "$bh" ]; then
        [ "$tw" -eq "$sw" ] && [ "$th" -eq "$sh" ]; return
    fi
    [ "$tw" -eq "$bw" ] || [ "$th" -eq "$bh" ] || return 1
    # aspect within one pixel of rounding: |tw*sh - th*sw| <= max(sw, sh)
    local d=$((tw * sh - th * sw)); d=${d#-}
    [ "$d" -le "$(( sw > sh ? sw : sh ))" ]
}

# fits_box THUMB SRC BOXW BOXH: fits_dims on the two files' sizes.
fits_box() {
    local tw th sw sh
    read -r tw th _ < <("$TFTOOL" dims "$1") || return 1
    read -r sw sh _ < <("$TFTOOL" dims "$2") || return 1
    fits_dims "$tw" "$th" "$sw" "$sh" "$3" "$4"
}

# no_temp_files DIR: no temp file of ours is left anywhere under DIR.
no_temp_files() { [ -z "$(find "$1" -name '.thumbify-*' -print -quit)" ]; }

# Time limits in the tests are for a plain build; thumbify under valgrind
# (the ctest wrapper's name says so) or the sanitizers is many times slower.
SLOW=1
case ${THUMBIFY##*/} in *valgrind*) SLOW=20 ;; esac
if [ "${THUMBIFY_SANITIZE:-0}" = 1 ] && [ "$SLOW" -lt 5 ]; then SLOW=5; fi
# The fault tests make a worker die by SIGSEGV (THUMBIFY_TEST_CRASH); ASan
# would catch it, report it and exit 1 instead, and the parent would see no
# signal.
if [ "${THUMBIFY_SANITIZE:-0}" = 1 ]; then
    export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}handle_segv=0"
fi

# copies N SRC DIR PREFIX: N distinct copies DIR/PREFIX1.jpg ... (one tee,
# not N processes).
copies() {
    local n=$1 src=$2 dir=$3 pre=$4 i names=()
    mkdir -p "$dir"
    for ((i = 1; i <= n; i++)); do names+=("$dir/$pre$i.jpg"); done
    tee "${names[@]}" <"$src" >/dev/null
}

# complete_image FILE [MAX]: decodes (tftool), fits MAXxMAX (default 75),
# and ends as a complete JPEG (EOI) or PNG (IEND): a cut-off file is caught
# even where the decoder would only warn.
complete_image() {
    local w h tail max=${2:-75}
    read -r w h _ < <("$TFTOOL" dims "$1" 2>/dev/null) || return 1
    [ "${w:-0}" -ge 1 ] && [ "$w" -le "$max" ] && [ "${h:-0}" -ge 1 ] && [ "$h" -le "$max" ] ||
        return 1
    tail=$(tail -c 8 "$1" | od -An -tx1 | tr -d ' \n')
    [ "${tail: -4}" = ffd9 ] || [ "$tail" = 49454e44ae426082 ]
}

# every_thumb_complete DIR [MAX]: every file in DIR but our temp files is a
# complete thumbnail (complete_image); names the bad ones.
every_thumb_complete() {
    local f bad=0
    [ -d "$1" ] || return 0
    while IFS= read -r -d '' f; do
        case ${f##*/} in .thumbify-*) continue ;; esac
        complete_image "$f" "${2:-75}" || { echo "  not a complete thumbnail: $f"; bad=1; }
    done < <(find "$1" -type f -print0)
    return $bad
}

# src_state DIR: size, mtime and sha256 of every source under DIR, thumbs/
# excluded; untouched DIR STATE compares with an earlier src_state.
src_state() {
    (cd "$1" && find . -path '*/thumbs' -prune -o -type f -print0 | sort -z |
        xargs -0 -r sh -c 'for f; do stat -c "%s %y" -- "$f"; sha256sum -- "$f"; done' _)
}
untouched() { [ "$(src_state "$1")" = "$2" ]; }

# kill_ours: kills (SIGCONT, then SIGKILL, each by its own pid) every
# process whose command line names $WORK: what a test started and left
# running or stopped.
kill_ours() {
    local p
    for p in $(pgrep -f -- "$WORK" 2>/dev/null); do
        [ "$p" != "$$" ] && kill -CONT "$p" 2>/dev/null && kill -9 "$p" 2>/dev/null
    done
}
# kill_ours_at_exit: at exit, kill_ours, then remove $WORK (instead of
# only removing it): for tests that start processes they may leave behind.
kill_ours_at_exit() { trap 'kill_ours; rm -rf "$WORK"' EXIT; }

# stopped_child PID SECS: prints the pid of a child of PID that is stopped
# (state T), waiting up to SECS for one.
stopped_child() {
    local i c
    for ((i = 0; i < $2 * 20; i++)); do
        for c in $(pgrep -P "$1"); do
            [ "$(awk '{print $3}' "/proc/$c/stat" 2>/dev/null)" = T ] && { echo "$c"; return 0; }
        done
        kill -0 "$1" 2>/dev/null || return 1
        sleep 0.05
    done
    return 1
}

# dead_pid: a pid that surely does not exist (not in /proc, kill -0 fails).
dead_pid() {
    local p
    for p in 999999 999983 888887 777773 4194300 3999999; do
        [ ! -e "/proc/$p" ] && ! kill -0 "$p" 2>/dev/null && { echo "$p"; return; }
    done
    echo 999999
}

# near "A B C" "D E F" TOL: the same count (not none) of integers, each
# within TOL.
near() {
    local a b i tol=$3
    read -ra a <<<"$1"; read -ra b <<<"$2"
    [ "${#a[@]}" -gt 0 ] && [ "${#a[@]}" -eq "${#b[@]}" ] || return 1
    for i in "${!a[@]}"; do
        local d=$((a[i] - b[i])); [ "${d#-}" -le "$tol" ] || return 1
    done
}

# same_pixels A B: two images of the same size and samples (tftool's PSNR
# is capped at 99 dB for identical images).
same_pixels() { "$TFTOOL" psnr "$1" "$2" 99 >/dev/null; }

# quietly COMMAND...: runs COMMAND, its output discarded; its status.
quietly() { "$@" >/dev/null 2>&1; }
# run_in DIR ARGS...: run, from DIR (relative operands), stdin passed on.
run_in() { local d=$1; shift; (cd "$d" && { run "$@"; exit "$rc"; }); rc=$?; }
# says PATH ERE: a "thumbify: PATH: " line in $WORK/err matches ERE (any case).
says() { grep -F "thumbify: $1: " "$WORK/err" | grep -qiE -- "$2"; }
# summary_is ERE: the summary line (the last line on stderr) matches ERE.
summary_is() { tail -n 1 "$WORK/err" | grep -qE "$1"; }
# tree_of DIR: the sorted list of files below DIR, relative to it.
tree_of() { (cd "$1" && find . -type f | LC_ALL=C sort); }

# is_png FILE, is_jpeg FILE: FILE starts with the format's signature.
is_png() { [ "$(head -c 8 "$1" 2>/dev/null | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ]; }
is_jpeg() { [ "$(head -c 3 "$1" 2>/dev/null | od -An -tx1 | tr -d ' \n')" = ffd8ff ]; }
# dims FILE: tftool's "W H ..." of an image; pixel FILE X Y: its samples there.
dims() { "$TFTOOL" dims "$1" 2>/dev/null; }
pixel() { "$TFTOOL" pixel "$@" 2>/dev/null; }
# db "PSNR LINE": tftool psnr's dB figure; ge A B: A >= B (decimals).
db() { sed -n 's/^psnr .*: \([0-9.]*\) dB.*/\1/p' <<<"$1"; }
ge() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a >= b) }'; }
