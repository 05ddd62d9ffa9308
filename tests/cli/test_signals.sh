#!/usr/bin/env bash
# Signals on the real binary, sent for real to a run in progress: SIGINT,
# SIGTERM and SIGHUP to the parent (and Ctrl-C to the whole process group)
# stop the run cleanly: no temp file left, every thumbnail present is
# complete, the summary so far with "not done (interrupted)", no worker left
# behind, and death by the same signal (bash sees 128+N). A second SIGINT
# ends workers that do not end (one held with SIGSTOP). SIGHUP ignored on
# entry (nohup) stays ignored. kill -9 of the parent: orphaned workers
# finish or die, and the next run removes dead temp files and keeps one a
# live writer holds.
#
# A run is kept in progress with THUMBIFY_TEST_HANG (a worker hangs on
# hangme.jpg), a hook of thumbify-hooked.
. "$(dirname "$0")/../lib.sh"

# Every run here is of thumbify-hooked, the test build with the fault
# injection (THUMBIFY_TEST_*); the installed thumbify has none.
THUMBIFY=${THUMBIFY_HOOKED:?thumbify-hooked (THUMBIFY_HOOKED) is not set}
PY=$(command -v /usr/bin/python3 python3 2>/dev/null | head -1)
# Background jobs of a non-interactive shell start with SIGINT ignored; the
# wrapper puts SIGINT (and SIGQUIT) back to the default before the exec.
RESET='import os, signal, sys
signal.signal(signal.SIGINT, signal.SIG_DFL)
signal.signal(signal.SIGQUIT, signal.SIG_DFL)
os.execvp(sys.argv[1], sys.argv[1:])'

kill_ours_at_exit

# ---------------------------------------------------------------- helpers
nthumbs() { find "$1" -maxdepth 1 -type f ! -name '.thumbify-*' 2>/dev/null | wc -l; }
# ours DIR: pids of processes whose command line names DIR.
ours() { pgrep -f -- "$1" | tr '\n' ' ' | sed 's/ $//'; }
# none_left DIR SECS: waits until no process names DIR.
none_left() {
    local i
    for ((i = 0; i < $2 * 20; i++)); do [ -z "$(ours "$1")" ] && return 0; sleep 0.05; done
    [ -z "$(ours "$1")" ]
}
# alive PID: running and not a zombie.
alive() { [ -e "/proc/$1" ] && [ "$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null)" != Z ]; }
# gone PID... SECS: waits until no such process exists at all (a zombie
# still counts).
gone() {
    local secs=${*: -1} pids=("${@:1:$#-1}") i p left
    for ((i = 0; i <= secs * 20; i++)); do
        left=0
        for p in "${pids[@]}"; do kill -0 "$p" 2>/dev/null && left=1; done
        [ $left = 0 ] && return 0
        sleep 0.05
    done
    return 1
}

# start [setsid] ARGS...: thumbify in the background with SIGINT at its
# default disposition; $pid is thumbify's. Waits for the exec.
start() {
    local pre=()
    [ "$1" = setsid ] && { pre=(setsid); shift; }
    if [ -n "$PY" ]; then
        "${pre[@]}" "$PY" -c "$RESET" "$THUMBIFY" "$@" >"$WORK/out" 2>"$WORK/err" &
    else
        set -m
        "${pre[@]}" "$THUMBIFY" "$@" >"$WORK/out" 2>"$WORK/err" &
        set +m
    fi
    pid=$!
    local exe i; exe=$(readlink -f "$THUMBIFY")
    for ((i = 0; i < 200; i++)); do
        [ "$(readlink "/proc/$pid/exe" 2>/dev/null)" = "$exe" ] && break
        sleep 0.02
    done
}
# finish_wait SECS: waits for $pid up to SECS; $rc its status, 124 if it
# had to be killed.
finish_wait() {
    local i
    for ((i = 0; i < $1 * 20; i++)); do alive "$pid" || break; sleep 0.05; done
    # (bash may still print "Killed"/"Hangup" for the job: harmless)
    if alive "$pid"; then kill -9 "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; rc=124
    else wait "$pid" 2>/dev/null; rc=$?; fi
}
# first_thumb DIR SECS: waits until DIR/thumbs holds a thumbnail.
first_thumb() {
    local i
    for ((i = 0; i < $2 * 100; i++)); do
        [ "$(nthumbs "$1/thumbs")" -ge 1 ] && return 0
        sleep 0.01
    done
    return 1
}
# batch DIR: 200 small and 20 larger images, and, with the fault injection,
# the largest one (claimed first) on which a worker hangs.
T=$TESTDATA
batch() {
    copies 200 "$T/gradient_640x480.jpg" "$1" g
    copies 20 "$T/progressive_1024x768.jpg" "$1" p
    cp "$T/progressive_restart_800x600.jpg" "$1/hangme.jpg"
    NFILES=221
}

# ============================================== stop signals, mid-run
# interrupted NAME SIG RC [setsid]: a run in NAME is sent SIG (to the
# group with setsid) once its first thumbnail exists.
interrupted() {
    local name=$1 sig=$2 want=$3 mode=${4:-} D=$WORK/sig-$1
    batch "$D"
    local before; before=$(src_state "$D")
    THUMBIFY_TEST_HANG=hangme start $mode -p 2 "$D"
    if [ "$mode" = setsid ] && [ "$(ps -o pgid= -p "$pid" | tr -d ' ')" != "$pid" ]; then
        echo "note: setsid did not make thumbify a group leader; group Ctrl-C check not run"
        kill -TERM "$pid"; finish_wait 10
        return
    fi
    first_thumb "$D" 10
    local t0; t0=$(date +%s%N)
    if [ "$mode" = setsid ]; then kill -"$sig" -- "-$pid"; else kill -"$sig" "$pid"; fi
    finish_wait 15
    local ms=$(( ($(date +%s%N) - t0) / 1000000 ))
    local what="SIG$sig${mode:+ to the process group}"
    check "$what: exit $want (128+N, got $rc)" [ "$rc" -eq "$want" ]
    check "$what: the run stops promptly (${ms} ms)" [ "$ms" -lt 5000 ]
    local line ok failed notdone
    line=$(grep -E '^[0-9]+ thumbnails?, [0-9]+ failed, [0-9]+ not done \(interrupted\), ' "$WORK/err")
    check "$what: the summary so far ends in 'not done (interrupted)' (${line:-$(tail -1 "$WORK/err")})" [ -n "$line" ]
    read -r ok failed notdone < <(sed -nE 's/^([0-9]+) thumbnails?, ([0-9]+) failed, ([0-9]+) not done.*/\1 \2 \3/p' <<<"$line")
    check "$what: made + failed + not done = $NFILES, some not done" \
        eval '[ -n "$line" ] && [ $((ok + failed + notdone)) -eq $NFILES ] && [ "$notdone" -ge 1 ]'
    check "$what: no failure is reported for the interrupted images" eval '[ "${failed:-x}" = 0 ]'
    local have; have=$(nthumbs "$D/thumbs")
    check "$what: thumbs/ holds as many as the summary says ($have files, summary $ok)" [ "$have" = "${ok:-x}" ]
    check "$what: no temp file left" no_temp_files "$D"
    check "$what: every thumbnail present is complete" every_thumb_complete "$D/thumbs"
    none_left "$D" 2
    local left; left=$(ours "$D")
    check "$what: no worker is left behind (left: ${left:-none})" [ -z "$left" ]
    check "$what: sources untouched" untouched "$D" "$before"
}

interrupted int INT 130
interrupted term TERM 143
interrupted hup HUP 129
interrupted group INT 130 setsid

# Death by the signal itself (re-raised), not exit(128+N): bash cannot tell
# the two apart, Python's Popen can (returncode -N).
if [ -n "$PY" ]; then
    D=$WORK/reraise
    batch "$D"
    for sig in INT TERM HUP; do
        rm -rf "$D/thumbs"
        got=$(THUMBIFY_TEST_HANG=hangme "$PY" - "$THUMBIFY" "$D" "$sig" <<'EOF' 2>&1
import os, signal, subprocess, sys, time
thumbify, d, name = sys.argv[1:4]
p = subprocess.Popen([thumbify, "-q", "-p", "2", d], stderr=subprocess.DEVNULL)
end = time.time() + 10
while time.time() < end and not (os.path.isdir(d + "/thumbs") and os.listdir(d + "/thumbs")):
    time.sleep(0.01)
p.send_signal(getattr(signal, "SIG" + name))
try:
    print(p.wait(timeout=15))
except subprocess.TimeoutExpired:
    p.kill(); p.wait(); print("hung")
EOF
)
        want=-$(kill -l "$sig")
        check "SIG$sig: thumbify dies of the signal itself (Popen returncode $got, want $want)" [ "$got" = "$want" ]
    done
    check "re-raise runs: no temp file, no process left" eval 'no_temp_files "$D" && none_left "$D" 2'
else
    echo "note: no python3: the re-raise (death by signal vs exit 128+N) check not run"
fi

# ========================= a second SIGINT: workers that do not end, killed
D=$WORK/double
batch "$D"
THUMBIFY_TEST_HANG=hangme start -p 2 "$D"
first_thumb "$D" 10
held=$(pgrep -P "$pid" | tail -1)
if [ -n "$held" ] && kill -STOP "$held" 2>/dev/null; then
    # SIGTERM kills a worker whose SIGSTOP is still pending; once it is
    # stopped, SIGTERM only waits in its queue (a single-threaded stopped
    # task is not woken for it): it then stands for a worker that does not
    # end when asked.
    for _ in $(seq 100); do
        [ "$(awk '{print $3}' "/proc/$held/stat" 2>/dev/null)" = T ] && break
        sleep 0.02
    done
    kill -INT "$pid"
    sleep 1
    check "double SIGINT: after the first, the parent waits for the held worker" alive "$pid"
    zombies=$(ps -o stat= --ppid "$pid" | grep -c '^Z')
    check "double SIGINT: meanwhile the workers that ended are reaped (no zombie: $zombies)" [ "$zombies" -eq 0 ]
    t0=$(date +%s%N)
    kill -INT "$pid"
    finish_wait 10
    ms=$(( ($(date +%s%N) - t0) / 1000000 ))
    check "double SIGINT: the second one ends it at once (rc $rc, ${ms} ms)" \
        eval '[ $rc -eq 130 ] && [ $ms -lt 3000 ]'
    check "double SIGINT: the held worker is gone too" none_left "$D" 2
    check "double SIGINT: the summary so far" grep -qE 'not done \(interrupted\)' "$WORK/err"
    check "double SIGINT: no temp file left" no_temp_files "$D"
    check "double SIGINT: every thumbnail present is complete" every_thumb_complete "$D/thumbs"
else
    echo "note: no worker to hold (the run ended first); double-SIGINT checks not run"
    kill -TERM "$pid" 2>/dev/null; finish_wait 10
fi

# ============================= SIGHUP ignored on entry (nohup) stays ignored
D=$WORK/nohup
copies 3 "$T/gradient_640x480.jpg" "$D" g
cp "$T/progressive_restart_800x600.jpg" "$D/hangme.jpg"
THUMBIFY_TEST_HANG=hangme nohup "$THUMBIFY" --timeout 3 -p 2 "$D" >"$WORK/out" 2>"$WORK/err" </dev/null &
pid=$!
for _ in $(seq 200); do
    [ "$(readlink "/proc/$pid/exe" 2>/dev/null)" = "$(readlink -f "$THUMBIFY")" ] && break
    sleep 0.02
done
sleep 0.5
kill -HUP "$pid" 2>/dev/null
finish_wait 15
check "nohup: SIGHUP ignored on entry does not stop the run (rc $rc)" \
    eval '[ $rc -eq 1 ] && grep -qE "^3 thumbnails, 1 failed" "$WORK/err"'
check "nohup: the hang still times out, the run completes" grep -q "hangme.jpg: timed out after 3 s" "$WORK/err"
none_left "$D" 5

# ======================================= kill -9 of the parent; next run
D=$WORK/parent9
batch "$D"
rm -f "$D/hangme.jpg"; NFILES=220
before=$(src_state "$D")
start -p 2 "$D"
first_thumb "$D" 10
workers=$(pgrep -P "$pid" | tr '\n' ' ')
kill -9 "$pid"
finish_wait 10
check "kill -9 parent: it dies of SIGKILL (rc $rc)" [ "$rc" -eq 137 ]
check "kill -9 parent: the orphaned workers ($workers) finish or die" none_left "$D" 30
# shellcheck disable=SC2086
gone $workers 10 || echo "note: the orphans ($workers) were not reaped within 10 s"
check "kill -9 parent: every thumbnail present is complete" every_thumb_complete "$D/thumbs"
mkdir -p "$D/thumbs"
# what a run killed earlier leaves (lock free, an hour old), and a temp
# file a live writer holds locked (this shell, through flock(1))
dp=$(dead_pid)
echo partial >"$D/thumbs/.thumbify-$dp-0.tmp"
echo partial >"$D/thumbs/.thumbify-0123456789abcdef.tmp"
echo partial >"$D/thumbs/.thumbify-fedcba9876543210.tmp"
touch -d '-1 hour' "$D/thumbs/.thumbify-"{$dp-0,0123456789abcdef,fedcba9876543210}.tmp
exec {held}<"$D/thumbs/.thumbify-fedcba9876543210.tmp"
flock -x "$held"
"$THUMBIFY" -p 2 "$D" >"$WORK/out" 2>"$WORK/err"; rc=$?
check "next run: exit 0 (got $rc)" [ "$rc" -eq 0 ]
check "next run: all $NFILES thumbnails present and complete" \
    eval '[ "$(nthumbs "$D/thumbs")" -eq $NFILES ] && every_thumb_complete "$D/thumbs"'
check "next run: dead temp files are removed" \
    eval '[ ! -e "$D/thumbs/.thumbify-$dp-0.tmp" ] && [ ! -e "$D/thumbs/.thumbify-0123456789abcdef.tmp" ]'
check "next run: the temp file of a live writer (its lock held) is kept" \
    [ -e "$D/thumbs/.thumbify-fedcba9876543210.tmp" ]
check "next run: no other temp file left" \
    eval '[ "$(find "$D/thumbs" -name ".thumbify-*" | wc -l)" -eq 1 ]'
exec {held}<&-
rm -f "$D/thumbs/.thumbify-fedcba9876543210.tmp"
check "kill -9 parent: sources untouched" untouched "$D" "$before"

# ================== kill -9 of the parent while a worker hangs: the orphan
D=$WORK/parent9hang
batch "$D"
THUMBIFY_TEST_HANG=hangme start -p 2 "$D"
first_thumb "$D" 10
workers=$(pgrep -P "$pid" | tr '\n' ' ')
kill -9 "$pid"
finish_wait 10
none_left "$D" 10
left=$(ours "$D")
check "kill -9 parent during a hang: the hung orphan worker does not live on (left: ${left:-none})" \
    [ -z "$left" ]
kill_ours
none_left "$D" 5
# shellcheck disable=SC2086
gone $workers 10
"$THUMBIFY" -q -p 2 "$D" >"$WORK/out" 2>"$WORK/err"; rc=$?
check "kill -9 parent during a hang: the next run completes (rc $rc)" \
    eval '[ $rc -eq 0 ] && [ "$(nthumbs "$D/thumbs")" -eq $NFILES ] && no_temp_files "$D"'

none_left "$WORK" 2
left=$(ours "$WORK")
check "no thumbify process of this test is left (${left:-none})" [ -z "$left" ]
check "no temp file left anywhere" no_temp_files "$WORK"
finish
