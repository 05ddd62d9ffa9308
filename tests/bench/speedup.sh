#!/bin/bash
# speedup.sh - multi-process scaling of thumbify, and its distance from the floor.
# A benchmark, never a test.
set -euo pipefail

# shellcheck source=lib.sh
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/lib.sh"

usage() {
    cat <<EOF
usage: ${0##*/} [-n RUNS] [-w WARMUP] [-P "1 2 4"] [-s WxH] [-i] [--no-floor] [--against BIN] [PHOTO_DIR]

Times \`thumbify -q -p P -o TMP PHOTO_DIR\` for each P (default "1 2"): WARMUP
warm-up runs (default 1), then the median of RUNS (default 5).  The output
directory is a temp dir, emptied before every run and removed on exit.
Prints processes, median wall seconds and speedup vs -p 1 (or the smallest
P), then compares each P with floor/P: the median total of tests/bench/floor.c
--fit WxH (libjpeg-turbo decode at the smallest of 1/8..1/1 that still covers
the thumbnail, nothing else) divided by P (P capped at the number of cores).
With -i the floor is timed in the same rounds (its own decode time, one pass
over the set per round), so it sees the same machine as thumbify, and so is
"2 floors at once": two floor processes on halves of the files, wall time,
which is what the machine gives two decoders; the last line compares -p 2
with it.
The key line is "-p 2 / floor/2".

The temp output dir is under \${TMPDIR:-/tmp}; its file system is printed.
Creating files on a disk file system costs real time (on this project's VM,
ext4 /tmp: ~1 ms of system time per output file); TMPDIR=/dev/shm measures
thumbify's own work instead.

  PHOTO_DIR   default: \${THUMBIFY_CORPUS:-<repo>/../shared/corpus}/photos
              ($DEFAULT_PHOTOS)
  -n RUNS     timed runs per configuration (default 5)
  -w WARMUP   warm-up runs per configuration (default 1)
  -P LIST     process counts, e.g. "1 2 4" (default "1 2")
  -s WxH      thumbnail box (default 75x75; passed to thumbify only if given)
  -i          interleave: N rounds of every P once (rotating order), timed by
              a shell loop instead of hyperfine; steadier on a busy machine
  --no-floor  skip the floor comparison
  --against BIN
              also time another thumbify binary (say, one built from main in
              a build directory of its own) at each P, in the same rounds,
              and print BIN / THUMBIFY at each P

Environment:
  THUMBIFY    binary to time (default <repo>/build/thumbify)
  FLOOR       prebuilt floor binary (default: compile floor.c with gcc into the temp dir)
  BENCH_NO_HYPERFINE=1   time with a shell loop (\$EPOCHREALTIME) instead of hyperfine
  BENCH_INTERLEAVE=1     same as -i
  BENCH_JSON_DIR=DIR     keep hyperfine's JSON exports there
EOF
}

runs=5 warmup=1 plist="1 2" do_floor=1 dir= size=75x75 size_args=() against=
while (($#)); do
    case $1 in
        -h | --help) usage; exit 0 ;;
        -n) runs=${2:?-n needs a value}; shift 2 ;;
        -w) warmup=${2:?-w needs a value}; shift 2 ;;
        -P) plist=${2:?-P needs a value}; shift 2 ;;
        -s) size=${2:?-s needs a value}; size_args=(-s "$size"); shift 2 ;;
        -i) export BENCH_INTERLEAVE=1; shift ;;
        --no-floor) do_floor=0; shift ;;
        --against) against=${2:?--against needs a binary}; shift 2 ;;
        --) shift; dir=${1:-}; break ;;
        -*) usage >&2; die "unknown option $1" ;;
        *) [[ -z $dir ]] || die "only one PHOTO_DIR"; dir=$1; shift ;;
    esac
done
dir=${dir:-$DEFAULT_PHOTOS}
[[ -d $dir ]] || die "no such directory: $dir"
dir=$(cd "$dir" && pwd)
[[ $runs =~ ^[1-9][0-9]*$ ]] || die "-n: expected a positive integer"
[[ $warmup =~ ^[0-9]+$ ]] || die "-w: expected a non-negative integer"
[[ $size =~ ^[1-9][0-9]*x[1-9][0-9]*$ ]] || die "-s: expected WxH"
read -r -a procs <<<"$plist"
((${#procs[@]})) || die "-P: empty list"
for p in "${procs[@]}"; do [[ $p =~ ^[1-9][0-9]*$ ]] || die "-P: bad process count '$p'"; done
check_thumbify

nfiles=$(list_jpegs "$dir" | wc -l)
((nfiles > 0)) || die "no JPEGs in $dir"
cores=$(ncores)

bench_tmpdir speedup
tmp=$BENCH_TMP
before=$(dir_fingerprint "$dir")

busy0=$(check_quiet "before the benchmark")
echo "thumbify: $THUMBIFY"
echo "photos:   $dir ($nfiles JPEGs)"
echo "output:   $tmp ($(fs_type "$tmp"))"
echo "machine:  $cores cores, ${busy0}% busy before start; warm-up $warmup, median of $runs ($(bench_mode))"
echo

[[ -z $against || -x $against ]] || die "--against: not an executable: $against"
for p in "${procs[@]}"; do
    out=$tmp/out-p$p
    bench_add "-p $p" "$out" "$PWD" "$THUMBIFY" -q -p "$p" "${size_args[@]}" -o "$out" "$dir"
    [[ -z $against ]] ||
        bench_add "against -p $p" "$tmp/against-p$p" "$PWD" "$against" -q -p "$p" "${size_args[@]}" \
            -o "$tmp/against-p$p" "$dir"
done
# Interleaved, the floor is one more command of every round (one decode of
# the set each time), so a slow spell of the machine hits it as well.
floor_bin= floor_in_rounds=0
if ((do_floor)); then
    floor_bin=$(build_floor "$tmp")
    if [[ $(bench_mode) == "interleaved rounds" ]]; then
        mapfile -t floor_files < <(list_jpegs "$dir")
        bench_add_reported floor "$tmp/floor-out" "$dir" "$floor_bin" --runs 1 --fit "$size" --dc-only -- "${floor_files[@]}"
        floor_in_rounds=1
        # Two floors at once on halves of equal bytes (largest first to the
        # lighter half), timed whole like thumbify (process start and file
        # reads included): what two decoders get out of this machine's two
        # cores, which share caches and memory bandwidth.
        if ((cores >= 2)); then
            halves=$(cd "$dir" && stat -c '%s %n' -- "${floor_files[@]}" | sort -rn | awk '
                { if (a <= b) { a += $1; A = A " " $2 } else { b += $1; B = B " " $2 } }
                END { print A; print B }')
            { read -r -a half_a; read -r -a half_b; } <<<"$halves"
            bench_add "2 floors at once" "$tmp/floor2-out" "$dir" bash -c \
                '"$0" --runs 1 --fit "$1" --dc-only -- $2 >/dev/null & "$0" --runs 1 --fit "$1" --dc-only -- $3 >/dev/null; wait $!' \
                "$floor_bin" "$size" "${half_a[*]}" "${half_b[*]}"
        fi
    fi
fi
bench_run_all "$warmup" "$runs"
declare -A med
for p in "${procs[@]}"; do
    med[$p]=${BENCH_MEDIAN["-p $p"]}
    got=$(count_files "$tmp/out-p$p")
    ((got == nfiles)) || note "warning: -p $p wrote $got files for $nfiles JPEGs"
done

[[ $(dir_fingerprint "$dir") == "$before" ]] || note "WARNING: $dir changed during the benchmark"

floor_total=
if ((floor_in_rounds)); then
    floor_total=${BENCH_MEDIAN[floor]}
    echo "floor: median ${floor_total} s total over $nfiles files, one decode of the set per round"
    echo
elif ((do_floor)); then
    run_floor "$floor_bin" "$dir" "$runs" --fit "$size" --dc-only
    floor_total=$FLOOR_TOTAL
    echo "$FLOOR_LINE"
    echo
fi

busy1=$(check_quiet "after the benchmark")
base=${procs[0]}
printf '%-10s %12s %9s' procs "median s" speedup
[[ -n $floor_total ]] && printf ' %10s %14s' "floor/P s" "vs floor/P"
echo
for p in "${procs[@]}"; do
    printf '%-10s %12.3f %9s' "-p $p" "${med[$p]}" "$(ratio "${med[$base]}" "${med[$p]}")"
    if [[ -n $floor_total ]]; then
        eff=$((p < cores ? p : cores))
        fp=$(awk -v t="$floor_total" -v p="$eff" 'BEGIN { printf "%.4f", t / p }')
        printf ' %10.3f %14s' "$fp" "$(ratio "${med[$p]}" "$fp")x"
        ((p <= cores)) || printf '  (floor/%d: only %d cores)' "$eff" "$cores"
    fi
    echo
done
if [[ -n $floor_total && -n ${med[2]:-} ]]; then
    f2=$(awk -v t="$floor_total" 'BEGIN { printf "%.4f", t / 2 }')
    echo
    echo "-p 2 / floor/2 = $(ratio "${med[2]}" "$f2")  (${med[2]} s / $f2 s)"
fi
if [[ -n ${BENCH_MEDIAN["2 floors at once"]:-} && -n ${med[2]:-} ]]; then
    f2w=${BENCH_MEDIAN["2 floors at once"]}
    echo "-p 2 / two floor processes at once, halves of the files (wall) = $(ratio "${med[2]}" "$f2w")  (${med[2]} s / $f2w s)"
fi
if [[ -n $against ]]; then
    echo
    echo "against: $against"
    for p in "${procs[@]}"; do
        a=${BENCH_MEDIAN["against -p $p"]}
        printf -- '-p %s: %.3f s against %.3f s: against / thumbify = %s\n' "$p" "${med[$p]}" "$a" \
            "$(ratio "$a" "${med[$p]}")"
    done
fi
echo "(CPUs busy without us: ${busy0}% before, ${busy1}% after; >10% means noisy numbers)"
