#!/bin/bash
# make_corpus.sh - build a benchmark corpus from real photos (never committed).
set -euo pipefail

# shellcheck source=lib.sh
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/lib.sh"

usage() {
    cat <<EOF
usage: ${0##*/} SRC_DIR DEST_DIR [--copies N] [--progressive] [--crop WxH] [-j JOBS]

Writes N copies (default 1) of every JPEG in SRC_DIR into DEST_DIR (created),
named <stem>-0001.jpg, <stem>-0002.jpg, ...  Nothing is written to SRC_DIR.

  --copies N     copies per source photo (default 1)
  --progressive  re-encode losslessly as progressive
                 (jpegtran -progressive -copy all)
  --crop WxH     lossless crops (jpegtran -crop WxH+X+Y -copy all), a
                 different X,Y for every copy: a many-small-files corpus.
                 jpegtran moves X,Y down to an iMCU boundary, so crops can be up
                 to 15 px larger than WxH.  Combines with --progressive.
  -j JOBS        parallel jpegtran jobs (default: cores)

Examples (from the repo root):
  # ~1000 small files: 8 photos x 125 crops of 500x375
  tests/bench/make_corpus.sh ../shared/corpus/photos /tmp/small --copies 125 --crop 500x375
  # 64 progressive full-size photos
  tests/bench/make_corpus.sh ../shared/corpus/photos /tmp/prog --copies 8 --progressive

Put DEST_DIR outside the repo (e.g. /tmp); corpora are never committed.  If
DEST_DIR is inside the repo, a '*' .gitignore is written into it.
EOF
}

src= dest= copies=1 progressive=0 crop= jobs=$(ncores)
while (($#)); do
    case $1 in
        -h | --help) usage; exit 0 ;;
        --copies) copies=${2:?--copies needs a value}; shift 2 ;;
        --progressive) progressive=1; shift ;;
        --crop) crop=${2:?--crop needs a value}; shift 2 ;;
        -j) jobs=${2:?-j needs a value}; shift 2 ;;
        -*) usage >&2; die "unknown option $1" ;;
        *)
            if [[ -z $src ]]; then src=$1
            elif [[ -z $dest ]]; then dest=$1
            else die "too many arguments: $1"; fi
            shift ;;
    esac
done
[[ -n $src && -n $dest ]] || { usage >&2; exit 2; }
[[ -d $src ]] || die "no such directory: $src"
[[ $copies =~ ^[1-9][0-9]*$ ]] || die "--copies: expected a positive integer"
[[ $jobs =~ ^[1-9][0-9]*$ ]] || die "-j: expected a positive integer"
if [[ -n $crop ]]; then
    [[ $crop =~ ^([1-9][0-9]*)x([1-9][0-9]*)$ ]] || die "--crop: expected WxH, e.g. 500x375"
    cw=${BASH_REMATCH[1]} ch=${BASH_REMATCH[2]}
fi
if ((progressive)) || [[ -n $crop ]]; then
    have jpegtran || die "jpegtran not found (apt-get install libjpeg-turbo-progs)"
fi

src=$(cd "$src" && pwd -P)
dest=$(realpath -m -- "$dest")
case $dest/ in "$src"/*) die "DEST_DIR must not be SRC_DIR or inside it: never write next to the photos" ;; esac
mkdir -p "$dest"
case $dest/ in "$REPO_DIR"/*)
    note "DEST_DIR is inside the repo; writing $dest/.gitignore ('*') so it is never committed"
    echo '*' >"$dest/.gitignore" ;;
esac

mapfile -t photos < <(list_jpegs "$src")
((${#photos[@]})) || die "no JPEGs in $src"

# jpeg_size FILE -> "W H" from the SOF marker (no image library needed)
jpeg_size() {
    "$PY" - "$1" <<'EOF'
import struct, sys
with open(sys.argv[1], "rb") as f:
    data = f.read()
i = 2
while i + 4 <= len(data):
    if data[i] != 0xFF:
        i += 1
        continue
    m = data[i + 1]
    if m == 0xFF:
        i += 1
        continue
    if m in (0xD8, 0x01) or 0xD0 <= m <= 0xD7:
        i += 2
        continue
    seglen = struct.unpack(">H", data[i + 2:i + 4])[0]
    if 0xC0 <= m <= 0xCF and m not in (0xC4, 0xC8, 0xCC):
        h, w = struct.unpack(">HH", data[i + 5:i + 9])
        print(w, h)
        sys.exit(0)
    i += 2 + seglen
sys.exit("no SOF marker in " + sys.argv[1])
EOF
}

# Run "$@" in the background, at most $jobs at a time.
running=0
spawn() {
    if ((running >= jobs)); then
        wait -n
        running=$((running - 1))
    fi
    "$@" &
    running=$((running + 1))
}

prog_args=()
((progressive)) && prog_args=(-progressive)
made=0
for p in "${photos[@]}"; do
    stem=${p%.*}
    in=$src/$p
    if [[ -z $crop ]]; then
        first=$dest/$stem-0001.jpg
        if ((progressive)); then
            jpegtran -progressive -copy all -outfile "$first" "$in"
        else
            cp -- "$in" "$first"
        fi
        for ((i = 2; i <= copies; i++)); do
            spawn cp -- "$first" "$(printf '%s/%s-%04d.jpg' "$dest" "$stem" "$i")"
        done
    else
        read -r w h < <(jpeg_size "$in")
        # clamp the crop to the photo
        pw=$((cw < w ? cw : w)) ph=$((ch < h ? ch : h))
        rx=$((w - pw + 1)) ry=$((h - ph + 1))
        for ((i = 1; i <= copies; i++)); do
            # deterministic, well-spread offsets (multiplicative hashing)
            x=$(((i * 2654435761 + 40503) % 4294967296 % rx))
            y=$(((i * 2246822519 + 97) % 4294967296 % ry))
            spawn jpegtran "${prog_args[@]}" -copy all -crop "${pw}x${ph}+${x}+${y}" \
                -outfile "$(printf '%s/%s-%04d.jpg' "$dest" "$stem" "$i")" "$in"
        done
    fi
    made=$((made + copies))
done
while ((running > 0)); do
    wait -n
    running=$((running - 1))
done

desc="copies"
[[ -n $crop ]] && desc="${crop} crops"
((progressive)) && desc="progressive $desc"
echo "${0##*/}: $made files ($desc of ${#photos[@]} photos) in $dest, $(du -sh "$dest" | cut -f1)"
