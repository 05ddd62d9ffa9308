# shellcheck shell=bash
# Shared helpers for the thumbify benchmark scripts (sourced, not run).
# Benchmarks are never tests: nothing here is wired into ctest.

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_DIR=$(cd "$BENCH_DIR/../.." && pwd)
THUMBIFY=${THUMBIFY:-$REPO_DIR/build/thumbify}
DEFAULT_PHOTOS="${THUMBIFY_CORPUS:-$REPO_DIR/../shared/corpus}/photos"
PY=/usr/bin/python3   # Debian's python3 (Pillow); `python3` on PATH may be a bare pyenv

die() { echo "${0##*/}: $*" >&2; exit 1; }
note() { echo "${0##*/}: $*" >&2; }

have() { command -v "$1" >/dev/null 2>&1; }

# fs_type PATH -> file system type of PATH (ext4, tmpfs, ...)
fs_type() { df --output=fstype "$1" 2>/dev/null | tail -n1 || echo unknown; }

# is_tmpfs DIR -> whether DIR is in memory (tmpfs, ramfs), not on a disk
is_tmpfs() {
    local fs
    fs=$(fs_type "$1")
    [[ $fs == tmpfs || $fs == ramfs ]]
}

# have_pillow -> whether $PY can import Pillow (pil_pool.py, small.sh's set)
have_pillow() { [[ -x $PY ]] && "$PY" -c 'import PIL' 2>/dev/null; }

# bench_tmpdir NAME [BASE] -> sets BENCH_TMP to a new directory
# BASE/thumbify-NAME.XXXXXX (BASE: ${TMPDIR:-/tmp}), removed on exit. One
# per script: it owns the EXIT trap.
bench_tmpdir() {
    BENCH_TMP=$(mktemp -d "${2:-${TMPDIR:-/tmp}}/thumbify-$1.XXXXXX") || die "cannot make a temp directory"
    trap 'rm -rf "$BENCH_TMP"' EXIT
}

# cpu_busy [SECONDS] -> percent of all CPUs busy (user+nice+system+irq+steal)
# over SECONDS (default 1), from /proc/stat; "?" if unavailable.
cpu_busy() {
    local a b
    a=$(head -n1 /proc/stat 2>/dev/null) || { echo "?"; return; }
    sleep "${1:-1}"
    b=$(head -n1 /proc/stat)
    awk -v a="$a" -v b="$b" 'BEGIN {
        n = split(a, x); split(b, y); tot = 0
        for (i = 2; i <= n; i++) tot += y[i] - x[i]
        idle = (y[5] - x[5]) + (y[6] - x[6])
        if (tot <= 0) print "?"; else printf "%d\n", 100 * (tot - idle) / tot }'
}

# check_quiet WHEN -> warn if something else is using the CPUs
check_quiet() {
    local busy
    busy=$(cpu_busy 1)
    if [[ $busy != "?" ]] && ((busy >= 10)); then
        note "WARNING: CPUs ${busy}% busy $1 (load: $(cut -d' ' -f1-3 /proc/loadavg)); timings will be noisy"
    fi
    echo "$busy"
}

ncores() { nproc 2>/dev/null || getconf _NPROCESSORS_ONLN; }

# list_jpegs DIR -> NUL-free, newline-separated basenames of the JPEGs directly
# in DIR (not recursive, thumbs/ etc. ignored), sorted.
list_jpegs() {
    find "$1" -maxdepth 1 -type f \( -iname '*.jpg' -o -iname '*.jpeg' \) \
        -printf '%f\n' | LC_ALL=C sort
}

# count_files DIR -> number of regular files below DIR
count_files() { find "$1" -type f | wc -l; }

# dir_fingerprint DIR -> cheap listing of DIR (names, sizes, mtimes) to check
# that a benchmark never wrote next to the source images.
dir_fingerprint() { find "$1" -maxdepth 2 -printf '%P %s %T@\n' | LC_ALL=C sort | md5sum; }

check_thumbify() {
    [[ -x $THUMBIFY ]] || die "thumbify binary not found: $THUMBIFY
  build it:  cmake -S '$REPO_DIR' -B '$REPO_DIR/build' -DCMAKE_BUILD_TYPE=Release && cmake --build '$REPO_DIR/build' -j2
  or set THUMBIFY=/path/to/thumbify"
}

# build_floor WORKDIR -> prints the path of a floor binary: $FLOOR if set,
# otherwise floor.c compiled into WORKDIR with gcc.
build_floor() {
    if [[ -n ${FLOOR:-} ]]; then
        [[ -x $FLOOR ]] || die "FLOOR=$FLOOR is not executable"
        echo "$FLOOR"
        return
    fi
    have gcc || die "gcc not found (set FLOOR=/path/to/floor)"
    gcc -std=c17 -Wall -Wextra -Werror -O2 -o "$1/floor" "$BENCH_DIR/floor.c" -ljpeg \
        || die "could not compile $BENCH_DIR/floor.c (libjpeg62-turbo-dev installed?)"
    echo "$1/floor"
}

# run_floor FLOOR PHOTO_DIR RUNS [extra floor args...]
# Sets FLOOR_LINE (floor's summary line) and FLOOR_TOTAL (median total seconds).
run_floor() {
    local floor=$1 dir=$2 runs=$3
    shift 3
    local -a files
    mapfile -t files < <(list_jpegs "$dir")
    FLOOR_LINE=$(cd "$dir" && "$floor" --runs "$runs" "$@" -- "${files[@]}" | head -n1)
    FLOOR_TOTAL=$(awk '{for (i = 1; i < NF; i++) if ($i == "median") { print $(i + 1); exit }}' <<<"$FLOOR_LINE")
    [[ -n $FLOOR_TOTAL ]] || die "could not parse floor output: $FLOOR_LINE"
}

# Timing.  Register commands with bench_add, then bench_run_all.
#
# bench_add NAME OUTDIR CWD CMD...   CMD runs in CWD; OUTDIR is emptied
#                                    (rm -rf + mkdir -p) before every run.
#                                    An argument @OUT@ in CMD stands for
#                                    the run's output directory: OUTDIR, or
#                                    with BENCH_FRESH_OUT=1 (interleaved and
#                                    shell-loop modes) a new OUTDIR.N for
#                                    every run, none removed while timing:
#                                    on ext4 without a journal, creating a
#                                    file scans past every inode deleted in
#                                    the last ~30 s, so emptying OUTDIR
#                                    before each run makes the next run's
#                                    creates far dearer than a first run's.
#                                    With BENCH_SYNC=1 the file system of
#                                    OUTDIR is synced (untimed) before every
#                                    run, so no run pays for writing back
#                                    what the one before it left dirty: a
#                                    run on every core has no spare core for
#                                    the flusher, a one-core run has.
# bench_run_all WARMUP RUNS          fills BENCH_MEDIAN[NAME] (seconds) and,
#                                    in interleaved and shell-loop modes,
#                                    BENCH_TIMES[NAME] (every timed run's
#                                    seconds) and BENCH_CPU[NAME] (median
#                                    user and system seconds, "U S", the
#                                    command's children included)
#
# Default: hyperfine per command (WARMUP warm-ups, RUNS runs, --export-json
# parsed by /usr/bin/python3; BENCH_JSON_DIR=DIR keeps the JSON files).
# BENCH_INTERLEAVE=1, or no hyperfine, or BENCH_NO_HYPERFINE=1: a shell loop
# timed with $EPOCHREALTIME (date +%s.%N if unavailable).  With
# BENCH_INTERLEAVE=1 it runs rounds - every command once per round, in an
# order rotated each round - so slow drifts in machine load (someone else's
# build) hit all commands alike.  Any failing command aborts the script.
#
# bench_add_reported NAME OUTDIR CWD CMD...
#                                    as bench_add, but CMD prints its own
#                                    time ("... median X s ...", as floor
#                                    does) and that X is recorded instead
#                                    of the wall time.  Shell-loop and
#                                    interleaved modes only.
BENCH_NAMES=()
declare -A BENCH_CMD BENCH_OUT BENCH_CWD BENCH_MEDIAN BENCH_REPORTED BENCH_TIMES BENCH_CPU
BENCH_RUN=0 # runs so far, for BENCH_FRESH_OUT

bench_add() {
    local name=$1
    BENCH_NAMES+=("$name")
    BENCH_OUT[$name]=$2
    BENCH_CWD[$name]=$3
    shift 3
    BENCH_CMD[$name]=$(printf '%q ' "$@")
}

bench_add_reported() {
    bench_add "$@"
    BENCH_REPORTED[$1]=1
}

bench_mode() {
    if [[ -n ${BENCH_INTERLEAVE:-} ]]; then echo "interleaved rounds"
    elif have hyperfine && [[ -z ${BENCH_NO_HYPERFINE:-} ]]; then echo hyperfine
    else echo "shell loop"; fi
}

_now() {
    if [[ -n ${EPOCHREALTIME:-} ]]; then echo "${EPOCHREALTIME/,/.}"; else date +%s.%N; fi
}

# _bench_out NAME -> the output directory of NAME's next run, made empty
# (see bench_add); BENCH_RUN must be counted up by the caller.
_bench_out() {
    local out=${BENCH_OUT[$1]}
    if [[ -n ${BENCH_FRESH_OUT:-} ]]; then
        out=$out.$BENCH_RUN
    fi
    rm -rf "$out" && mkdir -p "$out" || return 1
    [[ -z ${BENCH_SYNC:-} ]] || sync -f "$out"
    echo "$out"
}

# _bench_once NAME -> "REAL USER SYS" seconds of one run of NAME (user and
# system time of it and its children; "-" for a reported time)
_bench_once() {
    local name=$1 out cmd timing
    out=$(_bench_out "$name") || die "cannot make an output directory for $name"
    cmd=${BENCH_CMD[$name]//@OUT@/$(printf '%q' "$out")}
    if [[ -n ${BENCH_REPORTED[$name]:-} ]]; then
        (cd "${BENCH_CWD[$name]}" && eval "$cmd") |
            awk '{for (i = 1; i < NF; i++) if ($i == "median") { print $(i + 1), "-", "-"; exit }}' |
            grep . || die "$name failed or printed no median: $cmd"
        return
    fi
    timing=$(
        cd "${BENCH_CWD[$name]}" || exit 1
        TIMEFORMAT='%R %U %S'
        exec 3>&2
        { time { eval "$cmd" >/dev/null 2>&3 || exit 1; }; } 2>&1
    ) || die "$name failed: $cmd"
    echo "$timing"
}

# bench_spread NAME -> "min-max" of NAME's timed runs (seconds)
bench_spread() {
    # shellcheck disable=SC2086
    printf '%s\n' ${BENCH_TIMES[$1]} | sort -g | awk 'NR == 1 { a = $1 } { b = $1 }
        END { printf "%.3f-%.3f\n", a, b }'
}

# _bench_record NAME "REAL USER SYS" -> appends a timed run of NAME
declare -A _BENCH_USER _BENCH_SYS
_bench_record() {
    local real user sys
    read -r real user sys <<<"$2"
    BENCH_TIMES[$1]+="$real "
    [[ $user == - ]] || { _BENCH_USER[$1]+="$user "; _BENCH_SYS[$1]+="$sys "; }
}

# _bench_summarise NAME -> BENCH_MEDIAN and BENCH_CPU of NAME from its runs
_bench_summarise() {
    # shellcheck disable=SC2086
    BENCH_MEDIAN[$1]=$(printf '%s\n' ${BENCH_TIMES[$1]} | _median)
    if [[ -n ${_BENCH_USER[$1]:-} ]]; then
        # shellcheck disable=SC2086
        BENCH_CPU[$1]="$(printf '%s\n' ${_BENCH_USER[$1]} | _median) $(printf '%s\n' ${_BENCH_SYS[$1]} | _median)"
    fi
}

# time_run FILE CMD... -> runs CMD, its "wall user sys" seconds (CMD's
# children included) into FILE; fails as CMD does
time_run() {
    local file=$1
    shift
    /usr/bin/time -f '%e %U %S' -o "$file" "$@"
}

# median_of N... -> the median of the numbers given
median_of() { printf '%s\n' "$@" | _median; }

# interleave WARMUP RUNS FUNC CONFIG... -> WARMUP + RUNS rounds, each
# calling FUNC CONFIG TIMED once per CONFIG in an order rotated each round
# (so slow drifts in machine load hit every CONFIG alike); TIMED is 0 in
# the warm-up rounds, 1 after.
interleave() {
    local warmup=$1 runs=$2 func=$3 r i
    shift 3
    local -a configs=("$@")
    local n=${#configs[@]}
    for ((r = 0; r < warmup + runs; r++)); do
        for ((i = 0; i < n; i++)); do
            "$func" "${configs[(i + r) % n]}" $((r >= warmup))
        done
    done
}

_median() { sort -g | awk '{ v[NR] = $1 }
    END { m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; printf "%.4f\n", m }'; }

# _bench_round NAME TIMED -> one run of NAME, recorded if TIMED
_bench_round() {
    local t
    BENCH_RUN=$((BENCH_RUN + 1))
    t=$(_bench_once "$1")
    (($2)) || return 0
    _bench_record "$1" "$t"
}

bench_run_all() {
    local warmup=$1 runs=$2 mode name r
    mode=$(bench_mode)
    if [[ $mode == hyperfine ]]; then
        local json q_out
        for name in "${BENCH_NAMES[@]}"; do
            json=$(mktemp "${TMPDIR:-/tmp}/bench.XXXXXX.json")
            q_out=$(printf '%q' "${BENCH_OUT[$name]}")
            if ! (cd "${BENCH_CWD[$name]}" && hyperfine --shell=bash --style=none \
                --warmup "$warmup" --runs "$runs" \
                --prepare "rm -rf $q_out && mkdir -p $q_out" \
                --export-json "$json" --command-name="$name" \
                "${BENCH_CMD[$name]//@OUT@/$q_out}" >/dev/null); then
                rm -f "$json"
                die "$name failed: ${BENCH_CMD[$name]}"
            fi
            if [[ -n ${BENCH_JSON_DIR:-} ]]; then
                mkdir -p "$BENCH_JSON_DIR"
                cp "$json" "$BENCH_JSON_DIR/${name//[^A-Za-z0-9_.-]/_}.json"
            fi
            BENCH_MEDIAN[$name]=$("$PY" -c 'import json, sys; print("%.4f" % json.load(open(sys.argv[1]))["results"][0]["median"])' "$json")
            rm -f "$json"
        done
    elif [[ $mode == "interleaved rounds" ]]; then
        interleave "$warmup" "$runs" _bench_round "${BENCH_NAMES[@]}"
        for name in "${BENCH_NAMES[@]}"; do _bench_summarise "$name"; done
    else
        for name in "${BENCH_NAMES[@]}"; do
            for ((r = 0; r < warmup + runs; r++)); do
                _bench_round "$name" $((r >= warmup))
            done
            _bench_summarise "$name"
        done
    fi
}

# ratio A B -> A/B with 2 decimals ("-" if B is 0 or empty)
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b + 0 == 0) print "-"; else printf "%.2f", a / b }'; }
