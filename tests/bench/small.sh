#!/bin/bash
# small.sh - many small photos on a real disk: thumbify -p 2 against the
# classic Pillow + multiprocessing.Pool script at 2 processes, and -p 1
# against -p 2. A benchmark, never a test.
set -euo pipefail

# shellcheck source=lib.sh
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/lib.sh"

usage() {
    cat <<EOF
usage: ${0##*/} [-n RUNS] [-w WARMUP] [-c COUNT] [-q QUALITY] [-d SET_DIR] [--emptied]
       [--against BIN] [PHOTO_DIR]

Makes COUNT (default 1000) web-size JPEGs from the photos in PHOTO_DIR
(default: the corpus's photos): 500x375 downscales (Lanczos, 2x to 6x) of
4:3 regions of them, saved by Pillow at quality QUALITY (default 98; 4:2:0),
about 80 KB each, into SET_DIR (default /var/tmp/thumbify-small.\$USER). A
set already made there with the same parameters is reused; nothing
corpus-derived ever goes into the repository.

Then times, in interleaved rounds (every command once per round, the order
rotated each round; WARMUP rounds (default 1) untimed, then RUNS (default
15)):
  thumbify -q -p 2 -o OUT SET_DIR
  thumbify -q -p 1 -o OUT SET_DIR
  pil_pool.py -p 2 -Q 85 -o OUT SET_DIR     (Pillow + Pool, thumbify's quality)
  two thumbify -q -p 1 at once, each on half the set   (the machine's ceiling)
and prints the median wall time of each, the spread (min-max), median user
and system CPU seconds, and the ratios: Pillow / thumbify -p 2, thumbify -p 1 / -p 2, and the
ceiling: thumbify -p 1 / the two halves at once. Two processes that share
nothing are as fast as -p 2 can ever be: where the two cores are not
independent (virtual CPUs that are siblings of one physical core, or a
host that shares them) the ceiling is below 2, and -p 1 / -p 2 is to be
read against it.

Output goes to a temp dir under \${TMPDIR:-/var/tmp}, which must be a disk
file system (tmpfs is refused: creating files there costs nothing like a
disk's). Every run writes into a directory of its own, removed only at the
end: on ext4 without a journal each new inode is searched for past those
deleted in the last ~30 s, so emptying the output before every run makes
each create cost several times what a first run's does (about 0.3 ms a file
here). Before every run the output's file system is synced, untimed, so
that no run pays for writing back the files the run before it made.
--emptied empties one directory before every run instead, as
speedup.sh and peers.sh do, to see that cost.

  -n RUNS     timed rounds (default 15)
  -w WARMUP   untimed rounds first (default 1)
  -c COUNT    photos in the set (default 1000)
  -q QUALITY  JPEG quality of the set (default 98)
  -d SET_DIR  where the set is made and kept
  --emptied   one output directory per command, emptied before every run
  --against BIN
              also time another thumbify binary (say main's, built in a
              build directory of its own) at -p 2 and -p 1 in the same rounds

Environment: THUMBIFY (binary to time, default <repo>/build/thumbify).
EOF
}

runs=15 warmup=1 count=1000 quality=98 set_dir=/var/tmp/thumbify-small.${USER:-$(id -u)}
photos="" fresh=1 against=""
while (($#)); do
    case $1 in
        -h | --help) usage; exit 0 ;;
        -n) runs=${2:?-n needs a value}; shift 2 ;;
        -w) warmup=${2:?-w needs a value}; shift 2 ;;
        -c) count=${2:?-c needs a value}; shift 2 ;;
        -q) quality=${2:?-q needs a value}; shift 2 ;;
        -d) set_dir=${2:?-d needs a value}; shift 2 ;;
        --emptied) fresh=0; shift ;;
        --against) against=${2:?--against needs a binary}; shift 2 ;;
        -*) usage >&2; die "unknown option $1" ;;
        *) [[ -z $photos ]] || die "only one PHOTO_DIR"; photos=$1; shift ;;
    esac
done
photos=${photos:-$DEFAULT_PHOTOS}
[[ -d $photos ]] || die "no such directory: $photos"
[[ $runs =~ ^[1-9][0-9]*$ && $count =~ ^[1-9][0-9]*$ ]] || die "-n, -c: positive integers"
[[ $warmup =~ ^[0-9]+$ ]] || die "-w: expected a non-negative integer"
[[ $quality =~ ^[1-9][0-9]?$|^100$ ]] || die "-q: expected 1..100"
check_thumbify
[[ -z $against || -x $against ]] || die "--against: not an executable: $against"
have_pillow || die "$PY has no Pillow (apt-get install python3-pil)"

# not_tmpfs DIR WHAT: refuses a directory in memory
not_tmpfs() { ! is_tmpfs "$1" || die "$2 $1 is on $(fs_type "$1"): use a disk directory"; }

# make_set: the photos, made once per parameters (a stamp file says which)
make_set() {
    local want
    want="count=$count quality=$quality from=$(cd "$photos" && pwd -P) v=1"
    mkdir -p "$set_dir"
    not_tmpfs "$set_dir" "the photo set"
    [[ $(cat "$set_dir/.made" 2>/dev/null) == "$want" ]] && return
    note "making $count photos in $set_dir (about a minute)"
    find "$set_dir" -maxdepth 1 -name 'small-*.jpg' -delete
    rm -f "$set_dir/.made"
    nice "$PY" - "$photos" "$set_dir" "$count" "$quality" <<'EOF'
import os, random, sys
from PIL import Image
src, dest, n, q = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
photos = sorted(f for f in os.listdir(src) if f.lower().endswith((".jpg", ".jpeg")))
rnd = random.Random(1)  # the same set every time
per = -(-n // len(photos))
k = 0
for p in photos:
    with Image.open(os.path.join(src, p)) as im:
        im = im.convert("RGB")
        w, h = im.size
        for _ in range(per):
            if k == n:
                break
            # a 4:3 region 1000-3000 px wide: 2x to 6x the 500x375 made of it
            cw = min(w, int(rnd.uniform(1000, 3000)))
            ch = cw * 3 // 4
            if ch > h:
                ch, cw = h, h * 4 // 3
            x, y = rnd.randrange(w - cw + 1), rnd.randrange(h - ch + 1)
            im.crop((x, y, x + cw, y + ch)).resize((500, 375), Image.LANCZOS).save(
                os.path.join(dest, "small-%05d.jpg" % k), "JPEG", quality=q)
            k += 1
EOF
    echo "$want" >"$set_dir/.made"
}

make_set
bench_tmpdir small "${TMPDIR:-/var/tmp}"
tmp=$BENCH_TMP
not_tmpfs "$tmp" "the output directory"
before=$(dir_fingerprint "$set_dir")
((fresh)) && export BENCH_FRESH_OUT=1
export BENCH_INTERLEAVE=1 BENCH_SYNC=1

nfiles=$(list_jpegs "$set_dir" | wc -l)
kb=$(du -sk --exclude=.made "$set_dir" | cut -f1)
busy0=$(check_quiet "before the benchmark")
echo "thumbify: $THUMBIFY"
echo "photos:   $set_dir ($nfiles JPEGs, $((kb / nfiles)) KB each on average; $(fs_type "$set_dir"))"
echo "output:   $tmp ($(fs_type "$tmp")); $( ((fresh)) && echo "a new directory every run" || echo "emptied before every run")"
echo "machine:  $(ncores) cores, ${busy0}% busy before start; warm-up $warmup, median of $runs interleaved rounds"
echo

bench_add "thumbify -p 2" "$tmp/p2" "$PWD" "$THUMBIFY" -q -p 2 -o @OUT@ "$set_dir"
bench_add "thumbify -p 1" "$tmp/p1" "$PWD" "$THUMBIFY" -q -p 1 -o @OUT@ "$set_dir"
# the ceiling: the set split in two halves, one -p 1 process on each
sort <(list_jpegs "$set_dir") | sed "s|^|$set_dir/|" >"$tmp/all.list"
half=$(((nfiles + 1) / 2))
head -n "$half" "$tmp/all.list" >"$tmp/half1.list"
tail -n +"$((half + 1))" "$tmp/all.list" >"$tmp/half2.list"
bench_add "halves at once" "$tmp/h" "$PWD" bash -c \
    '"$1" -q -p 1 --base "$5" --files-from "$2" -o "$4/1" &
     "$1" -q -p 1 --base "$5" --files-from "$3" -o "$4/2"; s=$?; wait $! && exit $s' \
    ceiling "$THUMBIFY" "$tmp/half1.list" "$tmp/half2.list" @OUT@ "$set_dir"
bench_add "Pillow Pool(2)" "$tmp/pil" "$PWD" "$PY" "$BENCH_DIR/pil_pool.py" -p 2 -Q 85 -o @OUT@ "$set_dir"
names=("thumbify -p 2" "thumbify -p 1" "halves at once" "Pillow Pool(2)")
if [[ -n $against ]]; then
    bench_add "against -p 2" "$tmp/a2" "$PWD" "$against" -q -p 2 -o @OUT@ "$set_dir"
    bench_add "against -p 1" "$tmp/a1" "$PWD" "$against" -q -p 1 -o @OUT@ "$set_dir"
    names+=("against -p 2" "against -p 1")
fi
bench_run_all "$warmup" "$runs"

for out in "$tmp"/*/; do out=${out%/}
    got=$(count_files "$out")
    ((got == nfiles)) || note "warning: ${out##*/} holds $got files for $nfiles photos"
done
[[ $(dir_fingerprint "$set_dir") == "$before" ]] || note "WARNING: $set_dir changed during the benchmark"
busy1=$(check_quiet "after the benchmark")

printf '%-16s %9s %15s %8s %8s %9s\n' command "median s" "spread s" "user s" "sys s" "ms/photo"
for name in "${names[@]}"; do
    read -r user sys <<<"${BENCH_CPU[$name]}"
    printf '%-16s %9.3f %15s %8.3f %8.3f %9.3f\n' "$name" "${BENCH_MEDIAN[$name]}" \
        "$(bench_spread "$name")" "$user" "$sys" \
        "$(awk -v t="${BENCH_MEDIAN[$name]}" -v n="$nfiles" 'BEGIN { printf "%.3f", 1000 * t / n }')"
done
p1=${BENCH_MEDIAN["thumbify -p 1"]} p2=${BENCH_MEDIAN["thumbify -p 2"]} pil=${BENCH_MEDIAN["Pillow Pool(2)"]}
ceil=${BENCH_MEDIAN["halves at once"]}
echo
echo "Pillow Pool(2) / thumbify -p 2 = $(ratio "$pil" "$p2")  (target >= 1.8)"
echo "thumbify -p 1 / -p 2          = $(ratio "$p1" "$p2")  (target >= 1.85)"
echo "ceiling: -p 1 / halves at once = $(ratio "$p1" "$ceil")  (what two processes sharing nothing get here)"
echo "-p 2 / halves at once         = $(ratio "$p2" "$ceil")  (1.00: -p 2 loses nothing to sharing)"
if [[ -n $against ]]; then
    a2=${BENCH_MEDIAN["against -p 2"]} a1=${BENCH_MEDIAN["against -p 1"]}
    echo "against: $against"
    echo "against / thumbify: -p 2 $(ratio "$a2" "$p2"), -p 1 $(ratio "$a1" "$p1");" \
        "Pillow Pool(2) / against -p 2 = $(ratio "$pil" "$a2"), against -p 1 / -p 2 = $(ratio "$a1" "$a2")"
fi
echo "(CPUs busy without us: ${busy0}% before, ${busy1}% after; >10% means noisy numbers)"
