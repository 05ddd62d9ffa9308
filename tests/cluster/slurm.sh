#!/usr/bin/env bash
# slurm.sh start DIR [OWNER] | stop DIR - a throwaway single-node Slurm
# cluster for the tests, all of its state in DIR (which start creates; keep
# the path short: Unix socket names under it must fit 108 bytes).
#
# start: writes DIR/slurm.conf, DIR/cgroup.conf and a fresh munge key, then
#   starts munged, slurmctld and slurmd as root, each in its own session with
#   its log in DIR, and waits until sinfo shows the node idle. Nothing is
#   read from or written to /etc/slurm, /etc/munge or /run: the ports are
#   free ones picked now, the munge socket is DIR/munge.sock, so two test
#   runs on one machine (or a real Slurm/munge there) do not meet.
#   Clients then need SLURM_CONF=DIR/slurm.conf (start prints that line).
#   With OWNER, a PID (the test's), a watchdog stops the cluster when that
#   process is gone, however it ended: a test killed by ctest's timeout
#   (SIGKILL, no trap runs) leaves no daemons behind.
# stop: cancels the cluster's jobs, stops the daemons (TERM, then KILL
#   after 10 s) and removes DIR. Safe to call twice, or after a start that
#   failed half-way: it only kills the PIDs recorded in DIR, and only
#   removes a DIR that start marked as its own.
#
# Needs: slurm-wlm (slurmctld, slurmd, client commands), munge, python3.
set -euo pipefail

usage() { echo "usage: $0 start DIR [OWNER_PID] | stop DIR" >&2; exit 2; }
[ $# -ge 2 ] && [ $# -le 3 ] || usage
cmd=$1
dir=$2
owner=${3:-}
self=$(cd "$(dirname "$0")" && pwd)/$(basename "$0")
# The daemons are in sbin, which a user's PATH may lack.
PATH=$PATH:/usr/sbin:/sbin

say() { echo "slurm.sh: $*" >&2; }

# Two TCP ports nobody listens on now (the kernel's choice for port 0).
free_ports() {
    python3 -c '
import socket
socks = [socket.socket() for _ in range(2)]
for s in socks:
    s.bind(("127.0.0.1", 0))
print(*(s.getsockname()[1] for s in socks))'
}

write_conf() {
    local ctld_port=$1 slurmd_port=$2 host
    host=$(hostname -s)
    # slurmctld refuses to run where SlurmctldHost is not this host's name.
    cat >"$dir/slurm.conf" <<CONF
# Written by tests/cluster/slurm.sh for one test run; removed by its stop.
ClusterName=thumbify
SlurmctldHost=$host(127.0.0.1)
SlurmUser=root
SlurmdUser=root
SlurmctldPort=$ctld_port
SlurmdPort=$slurmd_port
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$dir/munge.sock
StateSaveLocation=$dir/ctld
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/slurmctld.log
SlurmdLogFile=$dir/slurmd.log
PlugStackConfig=$dir/plugstack.conf
# No cgroups: the test machine may be a container without them.
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
# One line per finished job (each array task too), with its exit code.
JobCompType=jobcomp/filetxt
JobCompLoc=$dir/jobcomp.txt
MpiDefault=none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
SchedulerType=sched/builtin
ReturnToService=2
# The node's CPUs are what this file says, whatever the machine has, so
# that all the tasks of a small array run at once even on 2 cores.
SlurmdParameters=config_overrides
MinJobAge=600
MailProg=/bin/true
NodeName=tfnode NodeHostname=$host NodeAddr=127.0.0.1 CPUs=8 RealMemory=1000 State=UNKNOWN
PartitionName=tf Nodes=tfnode Default=YES MaxTime=INFINITE State=UP
CONF
    # Read beside slurm.conf, never /etc/slurm's: no cgroup plugin at all.
    printf 'CgroupAutomount=no\nConstrainCores=no\nConstrainRAMSpace=no\n' >"$dir/cgroup.conf"
    : >"$dir/plugstack.conf"
}

start_munge() {
    dd if=/dev/urandom of="$dir/munge.key" bs=1024 count=1 status=none
    chmod 0400 "$dir/munge.key"
    # --force: munged is run as root and in a temp dir, which it questions.
    munged --force --socket="$dir/munge.sock" --key-file="$dir/munge.key" \
        --pid-file="$dir/munged.pid" --log-file="$dir/munged.log" --seed-file="$dir/munged.seed" \
        </dev/null >>"$dir/munged.out" 2>&1
}

# start_daemon NAME ARGS...: NAME in the foreground of its own session, in
# the background of this script; its PID in DIR/NAME.pid right away, so that
# stop finds it even if it has not written its own pid file yet.
start_daemon() {
    local name=$1; shift
    setsid "$@" </dev/null >>"$dir/$name.out" 2>&1 &
    echo $! >"$dir/$name.pid"
}

# wait_for SECONDS DESCRIPTION COMMAND...: polls COMMAND every 0.2 s.
wait_for() {
    local secs=$1 what=$2 i; shift 2
    for ((i = 0; i < secs * 5; i++)); do
        "$@" >/dev/null 2>&1 && return 0
        sleep 0.2
    done
    say "timed out after ${secs}s waiting for $what"
    return 1
}

node_idle() { [ "$(SLURM_CONF=$dir/slurm.conf sinfo -h -n tfnode -o %T)" = idle ]; }

do_start() {
    mkdir -p "$dir"
    dir=$(cd "$dir" && pwd)
    # stop removes only a directory with this mark in it.
    : >"$dir/.thumbify-slurm"
    mkdir -p "$dir/ctld" "$dir/spool"
    chmod 0700 "$dir"
    local ports
    ports=$(free_ports)
    write_conf $ports
    start_munge
    wait_for 10 "munged's socket" test -S "$dir/munge.sock"
    [ -z "$owner" ] || start_daemon watchdog bash -c \
        'while kill -0 "$1" 2>/dev/null && [ -d "$2" ]; do sleep 1; done; exec "$3" stop "$2"' \
        watchdog "$owner" "$dir" "$self"
    start_daemon slurmctld slurmctld -D -c -f "$dir/slurm.conf"
    start_daemon slurmd slurmd -D -N tfnode -f "$dir/slurm.conf"
    if ! wait_for 60 "the node to be idle" node_idle; then
        tail -n 20 "$dir"/*.log "$dir"/*.out >&2 || true
        return 1
    fi
    echo "SLURM_CONF=$dir/slurm.conf"
}

# alive PID: running, not a zombie (ours are reaped by init, not by us, and
# kill -0 succeeds on a zombie).
alive() {
    local state
    state=$(sed -E 's/.*\) //' "/proc/$1/stat" 2>/dev/null) || return 1
    [ "${state%% *}" != Z ]
}

# stop_pid FILE: TERM the PID in FILE, KILL it after 10 s.
stop_pid() {
    local pid i
    [ -s "$1" ] || return 0
    pid=$(cat "$1")
    kill -TERM "$pid" 2>/dev/null || return 0
    for ((i = 0; i < 100; i++)); do
        alive "$pid" || return 0
        sleep 0.1
    done
    kill -KILL "$pid" 2>/dev/null || true
}

do_stop() {
    [ -f "$dir/.thumbify-slurm" ] || return 0
    # The watchdog first, unless this stop is the watchdog (it execs us).
    [ "$(cat "$dir/watchdog.pid" 2>/dev/null)" = $$ ] || stop_pid "$dir/watchdog.pid"
    if alive "$(cat "$dir/slurmctld.pid" 2>/dev/null)"; then
        # The jobs first, while slurmd can still end their processes.
        SLURM_CONF=$dir/slurm.conf scancel --full --quiet --user=root 2>/dev/null || true
        wait_for 15 "the jobs to end" \
            test -z "$(SLURM_CONF=$dir/slurm.conf squeue -h -o %i 2>/dev/null)" || true
    fi
    stop_pid "$dir/slurmd.pid"
    stop_pid "$dir/slurmctld.pid"
    stop_pid "$dir/munged.pid"
    rm -rf "$dir"
}

case $cmd in
start) do_start ;;
stop) do_stop ;;
*) usage ;;
esac
