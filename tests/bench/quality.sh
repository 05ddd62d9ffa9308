#!/bin/bash
# quality.sh - how close thumbify's thumbnails are to the exact area average,
# and what that costs in time. A benchmark, never a test.
set -euo pipefail

# shellcheck source=lib.sh
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/lib.sh"

usage() {
    cat <<EOF
usage: ${0##*/} [-n SMALL] [-r ROUNDS] [-b BASE_BINARY] [-k] [-T] [CORPUS_DIR]

PSNR of \`thumbify -F png\` output against the exact area average of the
full-size decode made by tests/tools/tftool (\`psnr --orient auto --icc\`:
EXIF orientation applied, ICC profile converted to sRGB before averaging),
on three sets:
  small   SMALL photo-like JPEGs, 400-700 pixels on the longer side
          (default 1000), derived at run time from CORPUS_DIR/photos by
          \`tftool derive\` (crops at random scales, qualities 70-95) into a
          temp dir: nothing derived from the corpus is kept
  photos  CORPUS_DIR/photos (the camera photos)
  orient  CORPUS_DIR/orientation (EXIF orientations 1-8)
For each: count, worst, median, mean, and how many are below 30/35/40/45 dB;
the photos and orientation files one line each with their size.

With -b BASE_BINARY (e.g. main's build), also the time of
\`thumbify -q -p 2 -o TMP small\` for this binary and BASE_BINARY: ROUNDS
rounds (default 7) of one run each, in alternating order, after one warm-up
each; the medians and their ratio. With -k the PSNR of BASE_BINARY on the
same sets is printed too; with -T only the times are measured.

  CORPUS_DIR  default: \${THUMBIFY_CORPUS:-<repo>/../shared/corpus}
  THUMBIFY    the binary measured (default <repo>/build/thumbify)
  TFTOOL      the reference maker (default <repo>/build/tests/tftool)
EOF
}

small=1000 rounds=7 base="" base_psnr=0 psnr=1
while getopts "n:r:b:kTh" o; do
    case $o in
    n) small=$OPTARG ;;
    r) rounds=$OPTARG ;;
    b) base=$OPTARG ;;
    k) base_psnr=1 ;;
    T) psnr=0 ;;
    h) usage; exit 0 ;;
    *) usage >&2; exit 2 ;;
    esac
done
shift $((OPTIND - 1))
corpus=${1:-${THUMBIFY_CORPUS:-$REPO_DIR/../shared/corpus}}
TFTOOL=${TFTOOL:-$REPO_DIR/build/tests/tftool}
check_thumbify
[[ -x $TFTOOL ]] || die "tftool not found: $TFTOOL (build with -DTHUMBIFY_TESTING=ON or set TFTOOL)"
[[ -d $corpus/photos && -d $corpus/orientation ]] || die "no photos/ and orientation/ in $corpus"
[[ -z $base || -x $base ]] || die "not an executable: $base"

bench_tmpdir quality
tmp=$BENCH_TMP
before=$(dir_fingerprint "$corpus/photos")

# The small set: an equal share from each photo, each its own seed.
mkdir -p "$tmp/small"
mapfile -t photos < <(list_jpegs "$corpus/photos")
np=${#photos[@]}
for i in "${!photos[@]}"; do
    share=$(((small * (i + 1)) / np - (small * i) / np))
    ((share > 0)) || continue
    mkdir -p "$tmp/d$i"
    "$TFTOOL" derive "$corpus/photos/${photos[$i]}" "$tmp/d$i" "$share" "$i" ||
        die "tftool derive failed on ${photos[$i]}"
    for f in "$tmp/d$i"/*.jpg; do mv "$f" "$tmp/small/p${i}_${f##*/}"; done
done
note "small set: $(count_files "$tmp/small") files in $tmp/small"

# psnr_set BINARY SRC_DIR OUT_DIR -> "name WxH dB" per source
psnr_set() {
    "$1" -q -F png -o "$3" "$2" || note "$1 exited $? on $2"
    local f n
    for f in "$2"/*.jpg; do
        n=${f##*/}
        read -r w h _ < <("$TFTOOL" dims "$f")
        "$TFTOOL" psnr --orient auto --icc "$f" "$3/${n%.*}.png" |
            sed -n "s|^psnr .*: \([0-9.]*\) dB.*|$n ${w}x$h \1|p"
    done
}

# summary LABEL < "name WxH dB" lines
summary() {
    sort -k3,3n | awk -v label="$1" '{ d[NR] = $3; s += $3
        if ($3 < 30) a++; if ($3 < 35) b++; if ($3 < 40) c++; if ($3 < 45) e++ }
        END { if (!NR) { print label ": nothing measured"; exit }
              m = NR % 2 ? d[(NR + 1) / 2] : (d[NR / 2] + d[NR / 2 + 1]) / 2
              printf "%-8s n %4d  worst %6.2f  median %6.2f  mean %6.2f dB  below 30/35/40/45: %d/%d/%d/%d\n",
                     label, NR, d[1], m, s / NR, a, b, c, e }'
}

measure() { # BINARY TAG
    local bin=$1 tag=$2 set
    echo "== $tag: $bin"
    for set in small photos orient; do
        local dir=$tmp/small
        [[ $set == photos ]] && dir=$corpus/photos
        [[ $set == orient ]] && dir=$corpus/orientation
        psnr_set "$bin" "$dir" "$tmp/out-$tag-$set" >"$tmp/$tag-$set.txt"
        summary "$set" <"$tmp/$tag-$set.txt"
    done
    echo "   photos and orientation files (dB):"
    cat "$tmp/$tag-photos.txt" "$tmp/$tag-orient.txt" | awk '{ printf "   %-32s %-10s %6.2f\n", $1, $2, $3 }'
}

if ((psnr)); then
    measure "$THUMBIFY" new
    [[ -n $base && $base_psnr == 1 ]] && measure "$base" base
fi

if [[ -n $base ]]; then
    check_quiet "before timing" >/dev/null
    # run1 WHICH TIMED: one run of WHICH (new: $THUMBIFY, base: -b); when
    # TIMED, "wall cpu" in seconds appended to $tmp/t-WHICH (cpu: user +
    # system of thumbify and its workers, which load on the machine
    # inflates less)
    run1() {
        local bin=$THUMBIFY
        [[ $1 == base ]] && bin=$base
        rm -rf "$tmp/t"
        time_run "$tmp/time1" "$bin" -q -p 2 -o "$tmp/t" "$tmp/small"
        (($2)) || return 0
        awk '{ printf "%s %.3f\n", $1, $2 + $3 }' "$tmp/time1" >>"$tmp/t-$1"
    }
    : >"$tmp/t-new" && : >"$tmp/t-base"
    interleave 1 "$rounds" run1 new base
    med() { cut -d' ' -f"$2" "$1" | _median; }
    echo "== time, -p 2 on the small set, median of $rounds interleaved rounds"
    for k in 1 2; do
        mn=$(med "$tmp/t-new" $k) mb=$(med "$tmp/t-base" $k)
        printf "   %-4s this %.3f s, base %.3f s, ratio %s\n" "$([ $k = 1 ] && echo wall || echo cpu)" \
            "$mn" "$mb" "$(ratio "$mn" "$mb")"
    done
    check_quiet "after timing" >/dev/null
fi
[[ $(dir_fingerprint "$corpus/photos") == "$before" ]] || die "the photo directory changed"
