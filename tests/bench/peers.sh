#!/bin/bash
# peers.sh - thumbify against other thumbnailers, same photos, same process count.
# A benchmark, never a test.
set -euo pipefail

# shellcheck source=lib.sh
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/lib.sh"

ALL_TOOLS="thumbify pil vips im gm"

usage() {
    cat <<EOF
usage: ${0##*/} [-p P] [-n RUNS] [-w WARMUP] [-t "TOOLS"] [-s WxH] [-Q Q]
                [--xargs] [-i] [--no-floor] [PHOTO_DIR]

Times each thumbnailer on the JPEGs of PHOTO_DIR with P worker processes
(default 2): WARMUP warm-up runs (default 1), then the median of RUNS
(default 5).  Every tool writes into its own temp dir (emptied before each
run, removed on exit); nothing is ever written next to the source images.

  thumbify  \$THUMBIFY -q -p P -o OUT PHOTO_DIR
  pil       /usr/bin/python3 tests/bench/pil_pool.py -p P -o OUT PHOTO_DIR
            (Image.open, im.draft('RGB', 2x box), im.thumbnail(box), save; Pool(P))
  vips      VIPS_CONCURRENCY=1 parallel -X -j P vipsthumbnail --size WxH
            -o OUT/%s.jpg[Q=Q,strip] FILES...
  im        MAGICK_THREAD_LIMIT=1 parallel -X -j P mogrify -path OUT
            -define jpeg:size=2Wx2H -thumbnail WxH -quality Q FILES...
  gm        OMP_NUM_THREADS=1 parallel -X -j P gm mogrify -output-directory OUT
            -size 2Wx2H -thumbnail WxH +profile '*' -quality Q FILES...

The split-over-P-processes peers run in PHOTO_DIR with bare file names (gm
appends the input path to -output-directory).  Tools that are not installed
are skipped with a note.  Prints each median and its ratio to thumbify's,
plus floor/P (tests/bench/floor.c --fit WxH: decode only, at the smallest
scale covering the thumbnail; total / P) as a reference line.  Output goes
under \${TMPDIR:-/tmp}, whose file system is printed (see speedup.sh --help:
TMPDIR=/dev/shm takes file-creation cost out of the picture).

  PHOTO_DIR   default: \${THUMBIFY_CORPUS:-<repo>/../shared/corpus}/photos
              ($DEFAULT_PHOTOS)
  -p P        worker processes for every tool (default 2)
  -n RUNS     timed runs per tool (default 5)
  -w WARMUP   warm-up runs per tool (default 1)
  -t TOOLS    subset/order of "$ALL_TOOLS" (default: all)
  -s WxH      thumbnail box (default 75x75; passed to thumbify only if given)
  -Q Q        JPEG quality for the peers (default 75; passed to thumbify only
              if given)
  --xargs     split files with xargs -P instead of GNU parallel (parallel's
              Perl start-up costs ~0.1-0.2 s per invocation, which is included
              in the peer times; its cost is printed as a note)
  -i          interleave: N rounds of every tool once (rotating order), timed
              by a shell loop instead of hyperfine; steadier on a busy machine
  --no-floor  skip the floor/P reference line

Environment: THUMBIFY (default <repo>/build/thumbify), FLOOR (prebuilt floor
binary), BENCH_NO_HYPERFINE=1, BENCH_INTERLEAVE=1 (= -i), BENCH_JSON_DIR=DIR
(see speedup.sh --help).
EOF
}

P=2 runs=5 warmup=1 tools=$ALL_TOOLS size=75x75 quality=75 splitter=parallel do_floor=1 dir=
size_given=0 quality_given=0
while (($#)); do
    case $1 in
        -h | --help) usage; exit 0 ;;
        -p) P=${2:?-p needs a value}; shift 2 ;;
        -n) runs=${2:?-n needs a value}; shift 2 ;;
        -w) warmup=${2:?-w needs a value}; shift 2 ;;
        -t) tools=${2:?-t needs a value}; shift 2 ;;
        -s) size=${2:?-s needs a value}; size_given=1; shift 2 ;;
        -Q) quality=${2:?-Q needs a value}; quality_given=1; shift 2 ;;
        --xargs) splitter=xargs; shift ;;
        -i) export BENCH_INTERLEAVE=1; shift ;;
        --no-floor) do_floor=0; shift ;;
        --) shift; dir=${1:-}; break ;;
        -*) usage >&2; die "unknown option $1" ;;
        *) [[ -z $dir ]] || die "only one PHOTO_DIR"; dir=$1; shift ;;
    esac
done
dir=${dir:-$DEFAULT_PHOTOS}
[[ -d $dir ]] || die "no such directory: $dir"
dir=$(cd "$dir" && pwd)
[[ $P =~ ^[1-9][0-9]*$ ]] || die "-p: expected a positive integer"
[[ $runs =~ ^[1-9][0-9]*$ ]] || die "-n: expected a positive integer"
[[ $warmup =~ ^[0-9]+$ ]] || die "-w: expected a non-negative integer"
[[ $size =~ ^([1-9][0-9]*)x([1-9][0-9]*)$ ]] || die "-s: expected WxH"
W=${BASH_REMATCH[1]} H=${BASH_REMATCH[2]}
hint=$((2 * W))x$((2 * H))
[[ $quality =~ ^[0-9]+$ ]] || die "-Q: expected an integer"
read -r -a tool_list <<<"$tools"
for t in "${tool_list[@]}"; do
    [[ " $ALL_TOOLS " == *" $t "* ]] || die "-t: unknown tool '$t' (known: $ALL_TOOLS)"
done

list=$(list_jpegs "$dir")
nfiles=$(grep -c . <<<"$list" || true)
((nfiles > 0)) || die "no JPEGs in $dir"

bench_tmpdir peers
tmp=$BENCH_TMP
printf '%s\n' "$list" >"$tmp/files.txt"
before=$(dir_fingerprint "$dir")

if [[ $splitter == parallel ]] && ! have parallel; then
    note "GNU parallel not installed; using xargs -P"
    splitter=xargs
fi
# split CMD... : run CMD with the file list split into P roughly equal batches
split_cmd() {
    if [[ $splitter == parallel ]]; then
        split=(parallel --will-cite -q -X -j "$P" -a "$tmp/files.txt")
    else
        split=(xargs -d '\n' -P "$P" -n "$(((nfiles + P - 1) / P))" -a "$tmp/files.txt")
    fi
}
split_cmd

busy0=$(check_quiet "before the benchmark")
echo "photos:   $dir ($nfiles JPEGs), box ${W}x${H}, quality $quality (peers)"
echo "output:   $tmp ($(fs_type "$tmp"))"
echo "machine:  $(ncores) cores, ${busy0}% busy before start; $P processes per tool; warm-up $warmup, median of $runs ($(bench_mode)); splitter: $splitter"
echo

declare -A label
order=()

run_tool() { # run_tool KEY LABEL CMD...   (registers; all run after the loop)
    local key=$1 lbl=$2
    shift 2
    bench_add "$lbl" "$tmp/out-$key" "$dir" "$@"
    label[$key]=$lbl
    order+=("$key")
}

for t in "${tool_list[@]}"; do
    out=$tmp/out-$t
    case $t in
        thumbify)
            if [[ ! -x $THUMBIFY ]]; then
                note "skipping thumbify: $THUMBIFY not found (build it or set THUMBIFY=)"
                continue
            fi
            extra=()
            ((size_given)) && extra+=(-s "$size")
            ((quality_given)) && extra+=(-Q "$quality")
            run_tool thumbify "thumbify -p $P" "$THUMBIFY" -q -p "$P" "${extra[@]}" -o "$out" "$dir"
            ;;
        pil)
            if ! have_pillow; then
                note "skipping pil: $PY with Pillow not available"
                continue
            fi
            run_tool pil "Pillow Pool($P)" "$PY" "$BENCH_DIR/pil_pool.py" -p "$P" -s "$size" \
                -Q "$quality" -o "$out" "$dir"
            ;;
        vips)
            if ! have vipsthumbnail; then note "skipping vips: vipsthumbnail not installed"; continue; fi
            run_tool vips "vipsthumbnail x$P" env VIPS_CONCURRENCY=1 "${split[@]}" \
                vipsthumbnail --size "${W}x${H}" -o "$out/%s.jpg[Q=$quality,strip]"
            ;;
        im)
            if ! have mogrify; then note "skipping im: ImageMagick mogrify not installed"; continue; fi
            run_tool im "IM mogrify x$P" env MAGICK_THREAD_LIMIT=1 OMP_NUM_THREADS=1 "${split[@]}" \
                mogrify -path "$out" -define "jpeg:size=$hint" -thumbnail "${W}x${H}" -quality "$quality"
            ;;
        gm)
            if ! have gm; then note "skipping gm: GraphicsMagick gm not installed"; continue; fi
            run_tool gm "gm mogrify x$P" env OMP_NUM_THREADS=1 "${split[@]}" \
                gm mogrify -output-directory "$out" -size "$hint" -thumbnail "${W}x${H}" \
                +profile '*' -quality "$quality"
            ;;
    esac
done

if [[ $splitter == parallel ]]; then
    bench_add "parallel overhead" "$tmp/out-none" "$dir" "${split[@]}" true
fi
((${#order[@]})) || die "no tool to run"
bench_run_all "$warmup" "$runs"
declare -A med
thumb_med=
for k in "${order[@]}"; do
    med[$k]=${BENCH_MEDIAN[${label[$k]}]}
    got=$(count_files "$tmp/out-$k")
    ((got == nfiles)) || note "warning: ${label[$k]} wrote $got files for $nfiles JPEGs"
done
[[ -n ${med[thumbify]:-} ]] && thumb_med=${med[thumbify]}

[[ $(dir_fingerprint "$dir") == "$before" ]] || note "WARNING: $dir changed during the benchmark"

floor_p=
if ((do_floor)); then
    floor_bin=$(build_floor "$tmp")
    run_floor "$floor_bin" "$dir" "$runs" --fit "${W}x${H}" --dc-only
    ft=$FLOOR_TOTAL
    cores=$(ncores)
    eff=$((P < cores ? P : cores))
    floor_p=$(awk -v t="$ft" -v p="$eff" 'BEGIN { printf "%.4f", t / p }')
    floor_label="floor/$eff (decode only)"
fi
split_overhead=${BENCH_MEDIAN["parallel overhead"]:-}
busy1=$(check_quiet "after the benchmark")

echo
[[ -n $floor_p ]] && echo "$FLOOR_LINE"
printf '%-26s %10s %12s\n' tool "median s" "/ thumbify"
for k in "${order[@]}"; do
    printf '%-26s %10.3f %12s\n' "${label[$k]}" "${med[$k]}" "$(ratio "${med[$k]}" "$thumb_med")"
done
if [[ -n $floor_p ]]; then
    printf '%-26s %10.3f %12s\n' "$floor_label" "$floor_p" "$(ratio "$floor_p" "$thumb_med")"
fi
if [[ -n $split_overhead ]]; then
    echo
    echo "note: GNU parallel alone (parallel -X -j $P true) takes $(printf '%.3f' "$split_overhead") s;"
    echo "      that is included in the vips/im/gm times (use --xargs to avoid it)."
fi
echo "(CPUs busy without us: ${busy0}% before, ${busy1}% after; >10% means noisy numbers)"
