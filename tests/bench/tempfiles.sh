#!/usr/bin/env bash
# tempfiles.sh - issue 16's output-file cost: user, system and wall time of
# 1000 small JPEGs (~500x375, copies of testdata/ images made at run time)
# thumbnailed with -o into a directory on a real disk, at -p 1 and -p 2,
# for two binaries (BEFORE and AFTER a change), in interleaved rounds, as
# medians. "fresh" runs write into an empty output directory (each
# thumbnail is a new file); "overwrite" runs redo them all with -f (each
# replaces an existing file). Each run is preceded by sync, so that the
# previous run's writeback is not charged to it.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

usage() {
    cat <<EOF
usage: ${0##*/} --before BIN [--after BIN] [-n RUNS] [-w WARMUP] [-N FILES] [-d DIR] [-m MODES]
  --before BIN   the binary before the change (e.g. main's build/thumbify)
  --after BIN    the binary after it (default: \$THUMBIFY, $THUMBIFY)
  -n RUNS        timed rounds (default 11); -w WARMUP rounds first (default 1)
  -N FILES       number of source images (default 1000)
  -d DIR         where the sources and outputs go (default \${TMPDIR:-/var/tmp}:
                 a real disk, not tmpfs, is the point)
  -m MODES       "fresh", "overwrite" or "fresh overwrite" (default)
EOF
}

BEFORE='' AFTER=$THUMBIFY RUNS=11 WARMUP=1 NFILES=1000 BASE=${TMPDIR:-/var/tmp} MODES="fresh overwrite"
while [[ $# -gt 0 ]]; do
    case $1 in
    --before) BEFORE=$2; shift 2 ;;
    --after) AFTER=$2; shift 2 ;;
    -n) RUNS=$2; shift 2 ;;
    -w) WARMUP=$2; shift 2 ;;
    -N) NFILES=$2; shift 2 ;;
    -d) BASE=$2; shift 2 ;;
    -m) MODES=$2; shift 2 ;;
    -h | --help) usage; exit 0 ;;
    *) usage >&2; exit 2 ;;
    esac
done
[[ -n $BEFORE ]] || { usage >&2; die "--before is required"; }
[[ -x $BEFORE ]] || die "not executable: $BEFORE"
[[ -x $AFTER ]] || die "not executable: $AFTER"
[[ -x /usr/bin/time ]] || die "/usr/bin/time is needed (apt-get install time)"

bench_tmpdir tempfiles "$BASE"
WORKDIR=$BENCH_TMP
note "sources and outputs in $WORKDIR ($(fs_type "$WORKDIR"))"
! is_tmpfs "$WORKDIR" || note "WARNING: $(fs_type "$WORKDIR") is not a real disk"

# ~500x375 images of a few kinds, round robin
srcs=(restart_500x375.jpg subsamp_422_600x400.jpg icc_adobergb_400x300.jpg subsamp_444_600x400.jpg)
mkdir -p "$WORKDIR/src"
for ((i = 0; i < NFILES; i++)); do
    cp "$REPO_DIR/testdata/${srcs[i % ${#srcs[@]}]}" "$(printf '%s/src/p%04d.jpg' "$WORKDIR" "$i")"
done
before_fp=$(dir_fingerprint "$WORKDIR/src")

# configurations: MODE:WHICH:P
configs=()
for mode in $MODES; do
    for which in before after; do
        for p in 1 2; do configs+=("$mode:$which:$p"); done
    done
done
declare -A wall user sys

# once CONFIG TIMED: one run; when TIMED, appends "wall user sys" to its
# lists
once() {
    local mode which p bin out t
    IFS=: read -r mode which p <<<"$1"
    bin=$BEFORE
    [[ $which == after ]] && bin=$AFTER
    out=$WORKDIR/out-${1//:/-}
    local args=(-q -p "$p" -o "$out" "$WORKDIR/src")
    if [[ $mode == fresh ]]; then
        rm -rf "$out"
    else
        [[ -d $out ]] || "$bin" "${args[@]}" # the files to replace
        args=(-f "${args[@]}")
    fi
    sync
    time_run "$WORKDIR/time" "$bin" "${args[@]}" || die "$1 failed: $bin ${args[*]}"
    (($2)) || return 0
    read -r t u s <"$WORKDIR/time"
    wall[$1]+="$t " user[$1]+="$u " sys[$1]+="$s "
}

check_quiet "before the runs" >/dev/null
interleave "$WARMUP" "$RUNS" once "${configs[@]}"
check_quiet "after the runs" >/dev/null

# shellcheck disable=SC2086 # a list of numbers, split on purpose
med() { median_of $1; }
printf '%-10s %-7s %3s %9s %9s %9s   (medians of %d interleaved rounds, %d files, %s)\n' \
    mode binary -p wall user sys "$RUNS" "$NFILES" "$(fs_type "$WORKDIR")"
for c in "${configs[@]}"; do
    IFS=: read -r mode which p <<<"$c"
    printf '%-10s %-7s %3s %9s %9s %9s\n' "$mode" "$which" "$p" "$(med "${wall[$c]}")" \
        "$(med "${user[$c]}")" "$(med "${sys[$c]}")"
done

# the same thumbnails either way, and the sources untouched
for mode in $MODES; do
    diff -r "$WORKDIR/out-$mode-before-1" "$WORKDIR/out-$mode-after-1" >/dev/null ||
        die "$mode: the two binaries' outputs differ"
done
[[ $(dir_fingerprint "$WORKDIR/src") == "$before_fp" ]] || die "the sources changed"
