#!/usr/bin/env bash
# thumbify bench: the job options it passes on (-r, -s, --strict, --shard,
# --files-from), min/median/max per worker count (table and CSV), exit 1
# with a clear message when there is nothing to measure (a missing path, no
# image, a nested tree without -r, every image failing), usage errors, the
# busy-machine warnings (through the test hook for /proc), and that its
# temporary directory is gone afterwards. Uses $TESTDATA only.
. "$(dirname "$0")/../lib.sh"

export TMPDIR=$WORK/tmp
mkdir -p "$TMPDIR"
G=$TESTDATA/gradient_640x480.jpg
N=$WORK/nested
mkdir -p "$N/a/b"
cp "$G" "$N/a/one.jpg"
cp "$TESTDATA/gray_300x200.jpg" "$N/a/b/two.jpg"
cp "$TESTDATA/png/rgb_320x240.png" "$N/a/b/three.png"
cp "$TESTDATA/exactly_75x75.jpg" "$N/a/four.jpg"
bench() { run bench "$@"; }
no_temp_left() { [ -z "$(ls -A "$TMPDIR")" ]; }

# ---------------------------------------------------- nothing to measure
bench /nonexistent/photos
check "missing path: exit 1 (got $rc)" [ "$rc" -eq 1 ]
check "missing path: the error names it" \
    grep -qxF "thumbify: /nonexistent/photos: cannot access: No such file or directory" "$WORK/err"
check "missing path: no table on stdout" [ ! -s "$WORK/out" ]

mkdir -p "$WORK/empty"
bench "$WORK/empty"
check "empty directory: exit 1 (got $rc)" [ "$rc" -eq 1 ]
check "empty directory: says no image was found" \
    grep -qxF "thumbify: bench: nothing to measure: no JPEG or PNG image found" "$WORK/err"
check "empty directory: no -r hint (it has no subdirectory)" bash -c "! grep -q -- '-r' '$WORK/err'"
check "empty directory: no table" [ ! -s "$WORK/out" ]

bench "$N"
check "nested tree without -r: exit 1 (got $rc)" [ "$rc" -eq 1 ]
check "nested tree without -r: no image found, and the hint to use -r naming the directory" \
    bash -c "grep -qxF 'thumbify: bench: nothing to measure: no JPEG or PNG image found' '$WORK/err' &&
             grep -qxF 'thumbify: $N: has subdirectories: add -r to descend into them' '$WORK/err'"

mkdir -p "$WORK/bad"
cp "$TESTDATA/bad/not_a_jpeg.jpg" "$TESTDATA/bad/zero_bytes.jpg" "$WORK/bad/"
bench "$WORK/bad"
check "only bad images: exit 1 (got $rc)" [ "$rc" -eq 1 ]
check "only bad images: each named, then 'all 2 images found failed'" \
    bash -c "grep -q '^thumbify: $WORK/bad/not_a_jpeg.jpg: ' '$WORK/err' &&
             grep -qxF 'thumbify: bench: nothing to measure: all 2 images found failed' '$WORK/err'"
check "nothing to measure: the temporary directory is gone each time" no_temp_left

# ---------------------------------------------------- measuring
# The table: a header naming the images, then one row per count with
# median <= ... min <= median <= max.
rows_ok() {
    awk -v want="$1" '
        NR == 1 { ok = ($0 ~ "^bench: .*: " want " images, [0-9.]+ MP, 0 failed; 3 runs each, [0-9]+ usable cores$"); next }
        NR == 2 { ok = ok && ($0 ~ /^processes +median +min +max +images\/s +MP\/s +speedup +efficiency$/); next }
        { n++; med = $2; mn = $4; mx = $6
          ok = ok && $3 == "s" && $5 == "s" && $7 == "s" && mn + 0 <= med + 0 && med + 0 <= mx + 0
          procs[n] = $1 }
        END { exit !(ok && n == 2 && procs[1] == 1 && procs[2] == 2) }' "$WORK/out"
}
bench -r --runs 3 -p 2 -s 40x30 -F png -Q 50 "$N"
check "-r -s -F -Q accepted, the nested tree measured: exit 0 (got $rc; $(head -n 1 "$WORK/err"))" [ "$rc" -eq 0 ]
check "table: 4 images, rows for 1 and 2 processes, min <= median <= max" rows_ok 4
sed 's/^/  /' "$WORK/out"
check "measuring: the temporary directory is gone" no_temp_left
check "measuring: nothing written beside the sources" [ ! -e "$N/thumbs" ] && [ ! -e "$N/a/thumbs" ]

bench --csv -r --runs 3 -p 2 "$N"
check "--csv: header with wall_min_s and wall_max_s" \
    grep -qx "processes,wall_s,images_per_s,mp_per_s,speedup,efficiency_pct,wall_min_s,wall_max_s" "$WORK/out"
check "--csv: two rows, min <= median <= max in each" \
    awk -F, 'NR > 1 { n++; ok += (NF == 8 && $7 <= $2 && $2 <= $8) } END { exit !(n == 2 && ok == 2) }' "$WORK/out"

# Every timed run, not only the first, ends when its workers do: one small
# image takes milliseconds, not the parent's 100 ms tick (which a mask left
# by the previous run once made every run after the first wait for).
bench --csv --runs 3 -p 1 "$TESTDATA/gray_300x200.jpg"
med=$(awk -F, 'NR == 2 { print $2 }' "$WORK/out")
check "one small image: the median of 3 runs after the warm-up is under $((80 * SLOW)) ms (${med:-?} s)" \
    awk -v m="${med:-1}" -v lim="$SLOW" 'BEGIN { exit !(m < 0.08 * lim) }'

# The job options really reach the runs: --strict fails a damaged image,
# --shard takes the share a plain run takes, --files-from reads the list.
head -c 3000 "$G" >"$WORK/cut.jpg"
bench --runs 1 -p 1 "$WORK/cut.jpg"
check "a damaged image is measured without --strict (exit $rc)" [ "$rc" -eq 0 ]
bench --runs 1 -p 1 --strict "$WORK/cut.jpg"
check "--strict: the damaged image fails, nothing to measure (exit $rc)" \
    bash -c "[ $rc -eq 1 ] && grep -qxF 'thumbify: bench: nothing to measure: all 1 images found failed' '$WORK/err'"
share=$("$THUMBIFY" -n -r --shard 1/2 "$N" | wc -l)
bench --runs 1 -p 1 -r --shard 1/2 "$N"
check "--shard 1/2: the header counts the shard's $share images" \
    grep -qE "^bench: .*: $share images, " "$WORK/out"
printf '%s\n' "$N/a/one.jpg" "$N/a/b/two.jpg" >"$WORK/list"
bench --runs 1 -p 1 --files-from "$WORK/list"
check "--files-from: the 2 listed images (exit $rc)" grep -qE "^bench: $WORK/list: 2 images, " "$WORK/out"

# ---------------------------------------------------- usage errors
try_line() { grep -qxF "Try 'thumbify bench --help' for more information." "$WORK/err"; }
usage_error() {
    local want=$1; shift
    bench "$@"
    if [ "$rc" -eq 2 ] && grep -qxF -- "$want" "$WORK/err" && try_line && [ ! -s "$WORK/out" ]; then
        ok "bench $* is a usage error: $want"
    else
        fail "bench $* should be a usage error '$want' (rc $rc: $(head -n 1 "$WORK/err"))"
    fi
}
usage_error "thumbify: bench: invalid option -- 'o'" -o "$WORK/x" "$N"
usage_error "thumbify: bench: unrecognized option '--report'" --report - "$N"
usage_error "thumbify: bench: option requires an argument -- 's'" "$N" -s
usage_error "thumbify: bench: option '--runs' requires an argument" "$N" --run
usage_error "thumbify: bench: option '--csv' doesn't allow an argument" --csv=1 "$N"
usage_error "thumbify: bench: invalid value '0' for -s/--size: expected WxH or N, each from 1 to 65535" -s 0 "$N"
usage_error "thumbify: bench: invalid value '0' for --runs: expected 1 to 1000" --runs 0 "$N"
usage_error "thumbify: bench: invalid value '1,x' for -p/--procs: expected counts from 1 to 4096, like 1,2,4" -p 1,x "$N"
usage_error "thumbify: bench: no input path given"
bench --help
check "bench --help: exit 0, its options and the job options it takes on stdout" \
    bash -c "[ $rc -eq 0 ] && grep -q -- '--runs N' '$WORK/out' && grep -q -- '--files-from' '$WORK/out'"

# ---------------------------------------------------- a busy machine
F=$WORK/proc
mkdir -p "$F/before" "$F/after"
fake() { # fake WHEN LOAD USER SYSTEM IDLE STEAL
    echo "$2 0.50 0.40 1/200 12345" >"$F/$1/loadavg"
    printf 'cpu  %s 0 %s %s 0 0 0 %s 0 0\ncpu0 1 2 3 4 5 6 7 8 0 0\n' "$3" "$4" "$5" "$6" >"$F/$1/stat"
}
# the hooked build reads /proc from THUMBIFY_TEST_PROC
busy() { THUMBIFY_TEST_PROC=$F run_hooked bench --runs 1 -p 2 "$@" "$N/a/one.jpg"; }
fake before 0.00 1000 1000 8000 0
fake after 0.00 2000 2000 16000 0
busy
check "idle machine: exit 0 and no warning (stderr empty)" bash -c "[ $rc -eq 0 ] && [ ! -s '$WORK/err' ]"
fake before 999.00 1000 1000 8000 0
busy
check "load 999 before the runs: a warning, still exit 0 with the table" \
    bash -c "[ $rc -eq 0 ] && grep -q '^thumbify: bench: warning: the machine was busy: load average 999.00 before the runs' '$WORK/err' && grep -q '^2 ' '$WORK/out'"
fake before 0.00 1000 1000 8000 0
fake after 999.00 2000 2000 16000 0
busy
check "load 999 after the runs, more than bench's own 2 workers: a warning" \
    grep -q '^thumbify: bench: warning: the machine was busy: load average 999.00 after the runs' "$WORK/err"
fake after 2.40 2000 2000 16000 0
busy
check "load 2.40 after the runs (bench's 2 workers and little else): no warning" [ ! -s "$WORK/err" ]
fake after 0.00 2000 2000 15500 500
busy
check "steal 500 of 10000 jiffies during the runs: a warning saying 5.0%" \
    grep -q '^thumbify: bench: warning: CPU steal time was 5.0% during the runs' "$WORK/err"
fake after 0.00 2000 2000 15900 100
busy
check "steal 1% during the runs: no warning" [ ! -s "$WORK/err" ]

finish
