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

# floor_total FLOOR PHOTO_DIR RUNS [extra floor args...] -> median total seconds
floor_total() {
    local floor=$1 dir=$2 runs=$3 line
    shift 3
    local -a files
    mapfile -t files < <(list_jpegs "$dir")
    line=$(cd "$dir" && "$floor" --runs "$runs" "$@" -- "${files[@]}" | head -n1)
    echo "$line" >&2
    awk '{for (i = 1; i < NF; i++) if ($i == "median") { print $(i + 1); exit }}' <<<"$line"
}

# bench_median NAME OUTDIR WARMUP RUNS CMD... -> prints the median wall time (s)
# of CMD, run in the current directory.  OUTDIR is emptied before every run
# (warm-ups included).  Uses hyperfine when installed (JSON export, parsed by
# /usr/bin/python3), otherwise a `date +%s.%N` loop.  Fails if CMD fails.
# Set BENCH_JSON_DIR to keep hyperfine's JSON files.
bench_median() {
    local name=$1 out=$2 warmup=$3 runs=$4
    shift 4
    local q_out cmd
    q_out=$(printf '%q' "$out")
    cmd=$(printf '%q ' "$@")
    if have hyperfine && [[ -z ${BENCH_NO_HYPERFINE:-} ]]; then
        local json
        json=$(mktemp "${TMPDIR:-/tmp}/bench.XXXXXX.json")
        if ! hyperfine --shell=bash --style=none --warmup "$warmup" --runs "$runs" \
            --prepare "rm -rf $q_out && mkdir -p $q_out" \
            --export-json "$json" --command-name "$name" "$cmd" >/dev/null; then
            rm -f "$json"
            die "$name failed: $cmd"
        fi
        if [[ -n ${BENCH_JSON_DIR:-} ]]; then
            mkdir -p "$BENCH_JSON_DIR"
            cp "$json" "$BENCH_JSON_DIR/${name//[^A-Za-z0-9_.-]/_}.json"
        fi
        "$PY" -c 'import json, sys; print("%.4f" % json.load(open(sys.argv[1]))["results"][0]["median"])' "$json"
        rm -f "$json"
    else
        local i t0 t1
        local -a times=()
        for ((i = 0; i < warmup + runs; i++)); do
            rm -rf "$out" && mkdir -p "$out"
            t0=$(date +%s.%N)
            "$@" >/dev/null || die "$name failed: $cmd"
            t1=$(date +%s.%N)
            ((i < warmup)) || times+=("$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.6f", b - a }')")
        done
        printf '%s\n' "${times[@]}" | sort -g | awk '{ v[NR] = $1 }
            END { m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; printf "%.4f\n", m }'
    fi
}

# ratio A B -> A/B with 2 decimals ("-" if B is 0 or empty)
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b + 0 == 0) print "-"; else printf "%.2f", a / b }'; }
