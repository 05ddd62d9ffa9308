#!/usr/bin/env bash
# A real Slurm cluster of one node (tests/cluster/slurm.sh: munged,
# slurmctld and slurmd as root, state in a temp dir): `sbatch --array=0-3`
# of contrib/slurm/thumbify-array.sbatch, whose four tasks each make their
# shard (--shard auto) of one tree into one output directory. Each round
# must end with every task COMPLETED with exit code 0, no temp file left,
# the tasks' counts adding up to the tree's, and the output byte-identical
# to one unsharded run. 20 rounds (about a minute), each in a fresh output
# directory; THUMBIFY_SLURM_ROUNDS=N for more or fewer. Skips (77) without
# the slurm-wlm and munge binaries, or when not root (the daemons run as
# root).
. "$(dirname "$0")/../lib.sh"

PATH=$PATH:/usr/sbin:/sbin
for b in munged slurmctld slurmd sbatch sinfo squeue scancel python3; do
    command -v "$b" >/dev/null || skip "$b is not installed (apt-get install slurm-wlm munge)"
done
[ "$(id -u)" -eq 0 ] || skip "not root: this test's Slurm daemons run as root"

ROUNDS=${THUMBIFY_SLURM_ROUNDS:-20}
CLUSTER=$SRCDIR/tests/cluster/slurm.sh
SBATCH_FILE=$SRCDIR/contrib/slurm/thumbify-array.sbatch
C=$WORK/c # short: Unix socket paths below it must fit 108 bytes
trap '"$CLUSTER" stop "$C"; rm -rf "$WORK"' EXIT
trap 'exit 1' INT TERM HUP

# The tree: testdata's good files twice (a/, b/deep/), subfolders and all;
# every one makes a thumbnail, so every task can exit 0.
mkdir -p "$WORK/tree/b"
cp -r "$TESTDATA" "$WORK/tree/a"
rm -rf "$WORK/tree/a/bad"
find "$WORK/tree" -depth -type d -name thumbs -exec rm -rf {} + # a user's earlier run
cp -r "$WORK/tree/a" "$WORK/tree/b/deep"
total=$(find "$WORK/tree" -type f | wc -l)

run -r -o "$WORK/ref" "$WORK/tree"
check "reference: one unsharded run makes all $total thumbnails (exit $rc)" \
    grep -q "^$total thumbnails, 0 failed" "$WORK/err"

start=$SECONDS
if ! "$CLUSTER" start "$C" $$ >"$WORK/cluster.out" 2>&1; then
    cat "$WORK/cluster.out"
    fail "the cluster starts (tests/cluster/slurm.sh start)"
    finish
    exit 1
fi
export SLURM_CONF=$C/slurm.conf
ok "a one-node cluster is up, node idle, in $((SECONDS - start)) s"

# tasks_done ID: jobcomp.txt has a line for each of the 4 tasks of array ID.
tasks_done() { [ "$(grep -c " ArrayJobId=$1 " "$C/jobcomp.txt")" -eq 4 ]; }

# wait_tasks ID: until tasks_done, at most 120 s (SLOW times that).
wait_tasks() {
    local i
    for ((i = 0; i < 600 * SLOW; i++)); do
        tasks_done "$1" 2>/dev/null && return 0
        sleep 0.2
    done
    return 1
}

# One round: the array into out$r, then what it made.
round() {
    local r=$1 id counted bad sum=0 f c
    id=$(THUMBIFY=$THUMBIFY sbatch --parsable --array=0-3 --cpus-per-task=1 \
        --output="$WORK/log/%A_%a.log" --chdir="$WORK" \
        "$SBATCH_FILE" "$WORK/tree" "$WORK/out$r") || { fail "round $r: sbatch"; return; }
    if ! wait_tasks "$id"; then
        fail "round $r: array $id: the 4 tasks end within $((120 * SLOW)) s"
        squeue
        return
    fi
    # "JobState=COMPLETED ... ArrayJobId=ID ArrayTaskId=K ... ExitCode=0:0"
    bad=$(grep " ArrayJobId=$id " "$C/jobcomp.txt" |
        grep -v 'JobState=COMPLETED .* ExitCode=0:0' | grep -oE 'ArrayTaskId=[0-9]+' | tr '\n' ' ')
    check "round $r: array $id: all 4 tasks COMPLETED, exit code 0${bad:+ (not: $bad)}" \
        [ -z "$bad" ]
    for f in "$WORK/log/${id}"_*.log; do
        c=$(sed -nE 's/^([0-9]+) thumbnails?, 0 failed, .*/\1/p' "$f")
        sum=$((sum + ${c:-100000}))
    done
    check "round $r: the tasks' counts add up to $total, each file made once (got $sum)" \
        [ "$sum" -eq "$total" ]
    check "round $r: the output is byte-identical to the unsharded run" \
        diff -r "$WORK/ref" "$WORK/out$r"
    check "round $r: no temp files left" no_temp_files "$WORK/out$r"
}

mkdir -p "$WORK/log"
start=$SECONDS
for ((r = 1; r <= ROUNDS; r++)); do round "$r"; done
echo "$ROUNDS rounds in $((SECONDS - start)) s"
if [ "$failures" -ne 0 ]; then
    for f in "$WORK"/log/*.log; do echo "--- $f"; tail -n 5 "$f"; done
fi
finish
