#!/usr/bin/env bash
# sizes.sh - what several sizes from one decode cost: one run of
# `-s S1,S2,S3` against three single-size runs (-s S1, -s S2, -s S3) over the
# same photos, in interleaved rounds; medians of wall and CPU (user + system)
# time, and the ratios multi / largest alone and multi / all three. A
# benchmark, never a test.
#
#   tests/bench/sizes.sh [-n ROUNDS] [-p PROCS] [-s S1,S2,S3] [DIR]
#   (default: 7 rounds, -p 1, 75x75,150x150,300x300, the corpus photos)
. "$(dirname "$0")/lib.sh"

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
out=$(mktemp -d "${TMPDIR:-/var/tmp}/thumbify-sizes.XXXXXX")
trap 'rm -rf "$out"' EXIT
IFS=, read -r -a each <<<"$sizes"

# once NAME ARGS...: one timed run into a fresh directory; appends
# "wall cpu" to $out/NAME.times
once() {
    local name=$1; shift
    rm -rf "$out/o"
    # wall and CPU time (user + system) of thumbify and its workers
    /usr/bin/time -f '%e %U %S' -o "$out/t" "$THUMBIFY" -q -f -p "$procs" -o "$out/o" "$@" "$src" ||
        die "$THUMBIFY $* failed"
    read -r wall user sys <"$out/t"
    echo "$wall $(awk -v u="$user" -v s="$sys" 'BEGIN { print u + s }')" >>"$out/$name.times"
}
med() { cut -d' ' -f"$2" "$out/$1.times" | _median; }

check_quiet "before timing" >/dev/null
once warm -s "$sizes"
for ((r = 0; r < rounds; r++)); do
    once multi -s "$sizes"
    for s in "${each[@]}"; do once "s$s" -s "$s"; done
done
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
