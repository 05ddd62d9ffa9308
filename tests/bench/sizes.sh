#!/usr/bin/env bash
# sizes.sh - what several sizes from one decode cost: one run of
# `-s S1,S2,S3` against three single-size runs (-s S1, -s S2, -s S3) over the
# same photos, in interleaved rounds; medians of wall and CPU (user + system)
# time, and the ratios multi / largest alone and multi / all three. A
# benchmark, never a test.
#
#   tests/bench/sizes.sh [-n ROUNDS] [-p PROCS] [-s S1,S2,S3] [DIR]
#   (default: 7 rounds, -p 1, 75x75,150x150,300x300, the corpus photos)
set -euo pipefail
# shellcheck source=lib.sh
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/lib.sh"

rounds=7 procs=1 sizes=75x75,150x150,300x300
while getopts n:p:s: opt; do
    case $opt in
    n) rounds=$OPTARG ;; p) procs=$OPTARG ;; s) sizes=$OPTARG ;;
    *) die "usage: sizes.sh [-n ROUNDS] [-p PROCS] [-s S1,S2,...] [DIR]" ;;
    esac
done
shift $((OPTIND - 1))
src=${1:-$DEFAULT_PHOTOS}
[ -d "$src" ] || die "$src: not a directory"
check_thumbify
bench_tmpdir sizes "${TMPDIR:-/var/tmp}"
out=$BENCH_TMP
IFS=, read -r -a each <<<"$sizes"

# once NAME TIMED: one run (NAME multi: -s S1,S2,S3; sS: -s S) into a
# fresh directory; when TIMED, appends "wall cpu" to $out/NAME.times
once() {
    local name=$1 s=${1#s} wall user sys
    [[ $name == multi ]] && s=$sizes
    rm -rf "$out/o"
    # wall and CPU time (user + system) of thumbify and its workers
    time_run "$out/t" "$THUMBIFY" -q -f -p "$procs" -o "$out/o" -s "$s" "$src" ||
        die "$THUMBIFY -s $s failed"
    (($2)) || return 0
    read -r wall user sys <"$out/t"
    echo "$wall $(awk -v u="$user" -v s="$sys" 'BEGIN { print u + s }')" >>"$out/$name.times"
}
med() { cut -d' ' -f"$2" "$out/$1.times" | _median; }

check_quiet "before timing" >/dev/null
interleave 1 "$rounds" once multi "${each[@]/#/s}"
check_quiet "after timing" >/dev/null

printf '%-22s %8s %8s\n' run "wall s" "cpu s"
printf '%-22s %8.3f %8.3f\n' "-s $sizes" "$(med multi 1)" "$(med multi 2)"
sum_w=0 sum_c=0
for s in "${each[@]}"; do
    printf '%-22s %8.3f %8.3f\n' "-s $s" "$(med "s$s" 1)" "$(med "s$s" 2)"
    sum_w=$(awk -v a="$sum_w" -v b="$(med "s$s" 1)" 'BEGIN { print a + b }')
    sum_c=$(awk -v a="$sum_c" -v b="$(med "s$s" 2)" 'BEGIN { print a + b }')
done
last=${each[${#each[@]} - 1]}
echo "multi / -s $last alone: wall $(ratio "$(med multi 1)" "$(med "s$last" 1)"), cpu $(ratio "$(med multi 2)" "$(med "s$last" 2)")"
echo "multi / the ${#each[@]} single runs: wall $(ratio "$(med multi 1)" "$sum_w"), cpu $(ratio "$(med multi 2)" "$sum_c")"
echo "($(count_files "$src") files in $src, -p $procs, median of $rounds interleaved rounds)"
