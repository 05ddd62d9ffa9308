#!/usr/bin/env bash
# --shard auto and auto/N end to end, without a cluster: the tasks of a
# Slurm job array and the pods of a Kubernetes Indexed Job are played by
# concurrent processes given the environment each would get. The Slurm
# ones run contrib/slurm/thumbify-array.sbatch as a plain script, the
# Kubernetes ones the command line of contrib/k8s/indexed-job.yaml; each
# set must make, in one directory, exactly what one unsharded run makes.
# Then the errors: exit 2, the variable named, nothing written.
# (tests/cluster/test_slurm.sh runs the script on a real Slurm cluster.)
. "$(dirname "$0")/../lib.sh"

PY=/usr/bin/python3
SBATCH_FILE=$SRCDIR/contrib/slurm/thumbify-array.sbatch
JOB_FILE=$SRCDIR/contrib/k8s/indexed-job.yaml
unset SLURM_ARRAY_TASK_ID SLURM_ARRAY_TASK_COUNT SLURM_ARRAY_TASK_MIN SLURM_ARRAY_TASK_MAX \
    SLURM_ARRAY_TASK_STEP SLURM_CPUS_PER_TASK JOB_COMPLETION_INDEX

# The tree: testdata's good files (a damaged one would fail its shard),
# subfolders and all, where the Job's volume would be.
mkdir -p "$WORK/data"
cp -r "$TESTDATA" "$WORK/data/photos"
rm -rf "$WORK/data/photos/bad"
find "$WORK/data/photos" -depth -type d -name thumbs -exec rm -rf {} + # a user's earlier run
total=$(find "$WORK/data/photos" -type f | wc -l)
run -r -o "$WORK/ref" "$WORK/data/photos"
check "reference: one unsharded run makes all $total thumbnails (exit $rc)" \
    grep -q "^$total thumbnails, 0 failed" "$WORK/err"

# task SET K VAR=VALUE... -- COMMAND...: COMMAND in the background with
# those variables set; its stderr and exit status in $WORK/SET/K.err, K.rc.
task() {
    local dir=$WORK/$1 k=$2 vars=()
    shift 2
    while [ "$1" != -- ]; do vars+=("$1"); shift; done
    shift
    mkdir -p "$dir"
    (env "${vars[@]}" "$@" >/dev/null 2>"$dir/$k.err"; echo $? >"$dir/$k.rc") &
}

# tasks_ok SET WHAT: every task of SET exited 0, and their summary counts
# add up to $total (no file made twice, none left out).
tasks_ok() {
    local f c sum=0 bad=""
    for f in "$WORK/$1"/*.rc; do [ "$(cat "$f")" = 0 ] || bad="$bad ${f##*/}"; done
    for f in "$WORK/$1"/*.err; do
        c=$(sed -nE 's/^([0-9]+) thumbnails?, 0 failed, .*/\1/p' "$f")
        sum=$((sum + ${c:-100000}))
    done
    check "$2: every task exits 0${bad:+ (not:$bad)}" [ -z "$bad" ]
    check "$2: their counts add up to $total, each file made once (got $sum)" [ "$sum" -eq "$total" ]
}

# ------------------------------------------------------------------ Slurm
# sbatch --array=1-5:2: tasks 1, 3 and 5, three shards.
for id in 1 3 5; do
    task slurm "$id" SLURM_ARRAY_TASK_ID="$id" SLURM_ARRAY_TASK_COUNT=3 SLURM_ARRAY_TASK_MIN=1 \
        SLURM_ARRAY_TASK_MAX=5 SLURM_ARRAY_TASK_STEP=2 SLURM_CPUS_PER_TASK=1 \
        THUMBIFY="$THUMBIFY" -- bash "$SBATCH_FILE" "$WORK/data/photos" "$WORK/slurm.out"
done
wait
what="thumbify-array.sbatch as tasks 1, 3, 5 of --array=1-5:2"
tasks_ok slurm "$what"
check "$what: the output is byte-identical to the unsharded run" diff -r "$WORK/ref" "$WORK/slurm.out"
check "$what: no temp files left" no_temp_files "$WORK/slurm.out"

# Redoing chosen shards: --array=0,2 then --array=1, each with the script's
# --shard auto/3 (a list is no range: plain auto is refused, below).
for id in 0 2; do
    task redo "$id" SLURM_ARRAY_TASK_ID="$id" SLURM_ARRAY_TASK_COUNT=2 SLURM_ARRAY_TASK_MIN=0 \
        SLURM_ARRAY_TASK_MAX=2 SLURM_ARRAY_TASK_STEP=1 THUMBIFY="$THUMBIFY" \
        -- bash "$SBATCH_FILE" "$WORK/data/photos" "$WORK/redo.out" -p 1 --shard auto/3
done
wait
task redo 1 SLURM_ARRAY_TASK_ID=1 SLURM_ARRAY_TASK_COUNT=1 SLURM_ARRAY_TASK_MIN=1 \
    SLURM_ARRAY_TASK_MAX=1 SLURM_ARRAY_TASK_STEP=1 THUMBIFY="$THUMBIFY" \
    -- bash "$SBATCH_FILE" "$WORK/data/photos" "$WORK/redo.out" -p 1 --shard auto/3
wait
what="--shard auto/3 as --array=0,2 then --array=1"
tasks_ok redo "$what"
check "$what: the output is byte-identical to the unsharded run" diff -r "$WORK/ref" "$WORK/redo.out"

SLURM_ARRAY_TASK_ID=1 bash "$SBATCH_FILE" "$WORK/data/photos" >/dev/null 2>"$WORK/err"
rc=$?
check "thumbify-array.sbatch without OUT: exit 2 and its usage (got $rc)" \
    eval '[ "$rc" -eq 2 ] && grep -q "^usage: sbatch --array" "$WORK/err"'

# ------------------------------------------------------------- Kubernetes
# The Job's completions and its container's args (a JSON-style list on one
# line), with /data/ where this test keeps the volume.
"$PY" - "$JOB_FILE" >"$WORK/job.args" <<'PYEOF'
import json, re, sys
text = open(sys.argv[1], encoding="utf-8").read()
print(re.search(r"^\s*completions:\s*(\d+)", text, re.M).group(1))
for a in json.loads(re.search(r"^\s*args:\s*(\[.*\])\s*$", text, re.M).group(1)):
    print(a)
PYEOF
mapfile -t args <"$WORK/job.args"
n=${args[0]}
args=("${args[@]:1}")
args=("${args[@]//\/data\//$WORK/data/}")
check "indexed-job.yaml: completions ($n) is the N of its --shard auto/N (args: ${args[*]#$WORK})" \
    eval '[ "${n:-0}" -ge 1 ] && [[ " ${args[*]} " == *" --shard auto/$n "* ]]'
unsharded=()
for ((k = 0; k < ${#args[@]}; k++)); do
    if [ "${args[k]}" = --shard ]; then k=$((k + 1)); else unsharded+=("${args[k]}"); fi
done
"$THUMBIFY" "${unsharded[@]/$WORK\/data\/thumbs/$WORK/k8s.ref}" >/dev/null 2>&1
for ((k = 0; k < ${n:-0}; k++)); do
    task k8s "$k" JOB_COMPLETION_INDEX="$k" -- "$THUMBIFY" "${args[@]}"
done
wait
what="indexed-job.yaml's command as pods 0..$((n - 1))"
tasks_ok k8s "$what"
check "$what: the output is byte-identical to its command without --shard" \
    diff -r "$WORK/k8s.ref" "$WORK/data/thumbs"

# ----------------------------------------------------------------- errors
# usage_error WANT VAR=VALUE... -- ARGS...: exit 2, WANT in the message, the
# GNU's "Try 'thumbify --help'" line, and no output directory made.
usage_error() {
    local want=$1 vars=()
    shift
    while [ "$1" != -- ]; do vars+=("$1"); shift; done
    shift
    rm -rf "$WORK/none"
    env "${vars[@]}" "$THUMBIFY" -r -o "$WORK/none" "$@" "$WORK/data/photos" >/dev/null 2>"$WORK/err"
    rc=$?
    if [ "$rc" -eq 2 ] && grep -qF -- "$want" "$WORK/err" && grep -qx "Try 'thumbify --help' for more information." "$WORK/err" &&
        [ ! -e "$WORK/none" ]; then
        ok "${vars[*]:+${vars[*]} }$*: exit 2, \"$want\", nothing written"
    else
        fail "${vars[*]:+${vars[*]} }$*: should exit 2 with \"$want\" and write nothing" \
            "(rc $rc: $(head -1 "$WORK/err"))"
    fi
}
usage_error "SLURM_ARRAY_TASK_ID is not set" -- --shard auto
usage_error "neither SLURM_ARRAY_TASK_ID" -- --shard auto/4
usage_error "auto/N" JOB_COMPLETION_INDEX=1 -- --shard auto
usage_error "JOB_COMPLETION_INDEX is 4, not below the 4 shards" JOB_COMPLETION_INDEX=4 -- --shard auto/4
usage_error "JOB_COMPLETION_INDEX is 'x'" JOB_COMPLETION_INDEX=x -- --shard auto/4
usage_error "both" JOB_COMPLETION_INDEX=1 SLURM_ARRAY_TASK_ID=1 -- --shard auto/4
usage_error "SLURM_ARRAY_TASK_COUNT is not set" SLURM_ARRAY_TASK_ID=1 -- --shard auto
usage_error "not a range" SLURM_ARRAY_TASK_ID=3 SLURM_ARRAY_TASK_COUNT=3 SLURM_ARRAY_TASK_MIN=1 \
    SLURM_ARRAY_TASK_MAX=7 SLURM_ARRAY_TASK_STEP=1 -- --shard auto
finish
