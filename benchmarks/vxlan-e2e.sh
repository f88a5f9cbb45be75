#!/usr/bin/env bash
# End-to-end VXLAN benchmark: the same two-host topology built twice in one run, first with the Linux kernel's
# VXLAN device on both ends, then with `meshd vtep` on both ends, each measured with iperf3 TCP (1 and 4 streams),
# iperf3 UDP with 64-byte payloads, and ping. Prints every figure (the median of REPEAT runs) and meshd/kernel:
#   TCP 1 / 4 streams     Gbit/s received;
#   CPU per Gbit/s        the whole machine's busy CPU (every core, /proc/stat: all but idle and iowait) during that
#                         TCP run, in % of one core, divided by the run's Gbit/s: what a figure costs, so a gain
#                         bought with a busy core shows (both VTEPs, both iperf3 ends and the kernel are counted);
#   UDP 64 B received     datagrams per second that reached the server, unlimited send rate (-b 0);
#   UDP 64 B loss         lost / sent datagrams of the same run, in % (iperf3's count from sequence numbers);
#   ping RTT idle         50 pings, 20 ms apart, on an otherwise idle path;
#   ping RTT under bulk   the same pings while a 1-stream TCP run fills the path in the same direction.
# The log (stderr) adds every sample, where the 64-byte datagrams were dropped (container A's send queue, host B's
# UDP receive buffers, iperf3's socket in container B), and the largest backlog sampled in host B's VXLAN receive
# sockets during the pings under bulk (what a ping queues behind).
#
# Topology (all network namespaces, names unique to this run, removed on exit):
#   cA (container, 192.168.42.1/24 mtu 1450) -- hA (underlay 10.77.0.1) ==veth== hB (10.77.0.2) -- cB (.2)
# The container interface is the VTEP's own interface moved into the container: kernel mode creates the vxlan
# device in hA and moves it into cA (its UDP socket stays in hA); meshd mode runs `meshd vtep` in hA, which creates
# a TAP in cA. So both modes carry exactly the same path: container <-> VTEP <-> UDP over the underlay veth.
#
# meshd is started exactly as a user starts it: `./meshd vtep ...`, with the launcher's JVM settings.
#
# Usage: sudo benchmarks/vxlan-e2e.sh            (needs iperf3, ip, ping, python3; builds the jar if stale)
# Environment: REPEAT (3), SECONDS_PER_RUN (5), TRANSPORT (auto), MESHD_ARGS (extra `meshd vtep` options, e.g.
# --no-offloads), MESHD_JAVA_OPTS (as for ./meshd: added to the launcher's settings), MESHD_JAR (as for ./meshd:
# run another build of the jar),
# COMPARE_JVM=1 (after the plain `./meshd vtep`, measure two more meshd topologies in the same run: `./meshd vtep`
# with the benchmark's former explicit flags "-Xms256m -Xmx256m -XX:+UseParallelGC" in MESHD_JAVA_OPTS, and
# `java -jar meshd-all.jar vtep` with the JVM's own defaults, which is how ./meshd ran before it carried settings),
# THREADS=1 (print the machine's CPU use by kind, and the CPU share of
# each meshd thread, during the 4-stream runs: whether the cores are saturated and which thread is busiest),
# VIP=1 (instead of the kernel comparison: one meshd topology where host A's VTEP also serves the VIP
# 192.168.42.100 for ports 5201/tcp and 5201/udp with cB as the backend (`--vip`), and iperf3 TCP through the VIP
# against straight to cB's address, interleaved, medians and the VIP/direct ratio),
# COMPARE_ARGS="--busy-poll-us 50" (after the plain `./meshd vtep`, one more meshd topology in the same run with
# these options added to MESHD_ARGS: column meshd-args; an A/B of an option without the noise between runs),
# IDLE_SECONDS (10: after each meshd topology's measurements, the CPU both meshd processes use while nothing is
# sent, in % of one core, printed under the table: an idle VTEP must not burn a core; 0 skips it),
# PERF=1 (needs perf: records the whole machine, kernel and JIT-compiled Java frames, during one extra 1-stream
# meshd run and prints where the CPU went by thread and by function; the recording is kept for `perf report -i`).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
REPEAT="${REPEAT:-3}"
SECONDS_PER_RUN="${SECONDS_PER_RUN:-5}"
TRANSPORT="${TRANSPORT:-auto}"
JAR="${MESHD_JAR:-$root/daemon/target/meshd-all.jar}"
USER_JAVA_OPTS="${MESHD_JAVA_OPTS:-}"
EXPLICIT_FLAGS="-Xms256m -Xmx256m -XX:+UseParallelGC"
COMPARE_JVM="${COMPARE_JVM:-0}"
COMPARE_ARGS="${COMPARE_ARGS:-}"
IDLE_SECONDS="${IDLE_SECONDS:-10}"
PERF="${PERF:-0}"
if [[ "$PERF" == 1 ]]; then
    command -v perf >/dev/null || { echo "vxlan-e2e: PERF=1 needs perf (Debian: linux-perf)" >&2; exit 2; }
    # perf names JIT-compiled Java frames from the map each JVM writes when it exits.
    USER_JAVA_OPTS="$USER_JAVA_OPTS -XX:+UnlockDiagnosticVMOptions -XX:+DumpPerfMapAtExit"
fi
id="$$"
perf_data="/tmp/vxlan-e2e-perf.$id.data"
names() { # fresh names per topology, so a slow teardown of the previous one never collides
    hA="mdbA$id$1"; hB="mdbB$id$1"; cA="mdbcA$id$1"; cB="mdbcB$id$1"
}
VNI=42
pids=()
logdir="$(mktemp -d /tmp/vxlan-e2e.XXXXXX)"

for tool in ip iperf3 ping python3 java; do
    command -v "$tool" >/dev/null || { echo "vxlan-e2e: '$tool' is required" >&2; exit 2; }
done
[[ "$(id -u)" == 0 ]] || { echo "vxlan-e2e: run as root (network namespaces)" >&2; exit 2; }
# The launcher rebuilds a stale jar: do it now, so no build overlaps a measurement.
"$root/meshd" --version >/dev/null

hA=""; hB=""; cA=""; cB=""
cleanup() {
    for p in "${pids[@]:-}"; do [[ -n "$p" ]] && kill "$p" 2>/dev/null || true; done
    for p in "${pids[@]:-}"; do [[ -n "$p" ]] && wait "$p" 2>/dev/null || true; done
    pids=()
    for ns in "$cA" "$cB" "$hA" "$hB"; do [[ -n "$ns" ]] && { ip netns del "$ns" 2>/dev/null || true; }; done
}
trap 'cleanup; rm -rf "$logdir"' EXIT
trap 'exit 130' INT TERM

underlay() {
    for ns in "$hA" "$hB" "$cA" "$cB"; do ip netns add "$ns"; ip -n "$ns" link set lo up; done
    ip link add eth0 netns "$hA" type veth peer name eth0 netns "$hB"
    ip -n "$hA" addr add 10.77.0.1/24 dev eth0; ip -n "$hA" link set eth0 up
    ip -n "$hB" addr add 10.77.0.2/24 dev eth0; ip -n "$hB" link set eth0 up
}

kernel_vtep() { # host container local remote ip
    local host=$1 ctr=$2 local=$3 remote=$4 addr=$5
    ip -n "$host" link add vx$VNI type vxlan id $VNI local "$local" remote "$remote" dstport 4789 dev eth0
    ip -n "$host" link set vx$VNI netns "$ctr"
    ip -n "$ctr" link set vx$VNI name eth0
    ip -n "$ctr" link set eth0 mtu 1450 up
    ip -n "$ctr" addr add "$addr/24" dev eth0
}

meshd_vtep() { # variant host container local remote ip; variant: plain, flags (explicit flags), jvm (java -jar)
    local variant=$1 host=$2 ctr=$3 local=$4 remote=$5 addr=$6 log="$logdir/meshd-$2.log"
    local start=("$root/meshd") opts="$USER_JAVA_OPTS"
    case "$variant" in
        flags) opts="$EXPLICIT_FLAGS $USER_JAVA_OPTS" ;;
        jvm) start=(java $USER_JAVA_OPTS -jar "$JAR") ;;
    esac
    # shellcheck disable=SC2086
    ip netns exec "$host" env MESHD_JAVA_OPTS="$opts" "${start[@]}" vtep --vni $VNI --local "$local" \
        --remote "$remote" --attach "$ctr:eth0:$addr/24" --transport "$TRANSPORT" ${MESHD_ARGS:-} >"$log" 2>&1 &
    pids+=($!)
    for _ in $(seq 1 300); do
        grep -q "stop with Ctrl-C" "$log" 2>/dev/null && return 0
        sleep 0.1
    done
    echo "meshd vtep in $host did not start:" >&2; cat "$log" >&2; exit 1
}

median() { python3 -c 'import sys,statistics; v=[float(x) for x in sys.argv[1:]]; print(f"{statistics.median(v):.3f}")' "$@"; }

TARGET=192.168.42.2
iperf_tcp() { # streams -> Gbit/s
    local out
    out=$(ip netns exec "$cA" iperf3 -c "$TARGET" -t "$SECONDS_PER_RUN" -P "$1" -J)
    python3 -c 'import json,sys; print("%.3f" % (json.load(sys.stdin)["end"]["sum_received"]["bits_per_second"]/1e9))' <<<"$out"
}

# One TCP run with the machine's CPU counted around it: "Gbit/s cpu-per-Gbit/s" (% of one core per Gbit/s).
tcp_with_cpu() { # streams
    local before after gbits
    before=$(head -1 /proc/stat)
    gbits=$(iperf_tcp "$1")
    after=$(head -1 /proc/stat)
    python3 - "$before" "$after" "$gbits" <<'PY'
import sys
a = [int(x) for x in sys.argv[1].split()[1:9]]
b = [int(x) for x in sys.argv[2].split()[1:9]]
d = [y - x for x, y in zip(a, b)]
total, idle = sum(d), d[3] + d[4]       # idle and iowait
import os
cores = os.cpu_count()
# busy jiffies / elapsed jiffies of one core = cores busy on average; per Gbit/s, in % of one core
busy = (total - idle) / (total / cores) if total else 0
gbits = float(sys.argv[3])
print(f"{sys.argv[3]} {busy * 100 / gbits:.1f}" if gbits else f"{sys.argv[3]} n/a")
PY
}

iperf_udp64() { # -> "received datagrams per second (thousands) loss-percent"
    local out
    out=$(ip netns exec "$cA" iperf3 -c 192.168.42.2 -u -l 64 -b 0 -t "$SECONDS_PER_RUN" -J)
    python3 -c '
import json,sys
s=json.load(sys.stdin)["end"]["sum"]
print("%.1f %.2f" % ((s["packets"]-s["lost_packets"])/s["seconds"]/1e3,
                     100.0*s["lost_packets"]/s["packets"] if s["packets"] else 0))' <<<"$out"
}

# CPU ticks (user+system) of every thread of the meshd processes: "pid tid name ticks" per line.
thread_ticks() {
    for pid in "${pids[@]}"; do
        for stat in /proc/"$pid"/task/*/stat; do
            [[ -r "$stat" ]] || continue
            python3 -c '
import sys
text = open(sys.argv[1]).read()
name = text[text.index("(") + 1:text.rindex(")")]
fields = text[text.rindex(")") + 2:].split()
print(sys.argv[2], sys.argv[1].split("/")[4], name.replace(" ", "_"), int(fields[11]) + int(fields[12]))' "$stat" "$pid" \
                2>/dev/null || true
        done
    done
}

# Prints the threads that used more than 5% of a core between two thread_ticks snapshots over $3 seconds.
thread_report() {
    python3 - "$1" "$2" "$3" "$(getconf CLK_TCK)" <<'PY' >&2
import sys
before = {}
for line in open(sys.argv[1]):
    pid, tid, name, ticks = line.split()
    before[tid] = int(ticks)
seconds, hz = float(sys.argv[3]), int(sys.argv[4])
rows = []
for line in open(sys.argv[2]):
    pid, tid, name, ticks = line.split()
    share = (int(ticks) - before.get(tid, 0)) / hz / seconds
    if share > 0.05:
        rows.append((share, pid, name))
for share, pid, name in sorted(rows, reverse=True):
    print(f"  meshd pid {pid} thread {name:<16} {share * 100:5.0f}% of a core")
PY
}

# The machine's CPU time between two snapshots of /proc/stat's first line, by kind, in % of all cores.
cpu_report() {
    python3 - "$1" "$2" <<'PY'
import sys
names = ["user", "nice", "system", "idle", "iowait", "irq", "softirq", "steal"]
a = [int(x) for x in open(sys.argv[1]).read().split()[1:9]]
b = [int(x) for x in open(sys.argv[2]).read().split()[1:9]]
d = [y - x for x, y in zip(a, b)]
total = sum(d) or 1
print(" ".join(f"{n} {v * 100 / total:.0f}%" for n, v in zip(names, d) if n not in ("nice", "iowait", "irq")))
PY
}

# Where 64-byte datagrams are lost, as counters summed over a mode's UDP runs: "A-send B-vtep B-server", the
# container A interface's TX drops plus its qdisc's drops (the TAP's queue, or the kernel vxlan device), UDP
# receive-buffer overflows in host B (meshd's VXLAN socket; the kernel's device has no socket queue) and in
# container B (iperf3's server socket).
udp_drop_counters() {
    local tx qdisc vtep server
    tx=$(ip netns exec "$cA" cat /sys/class/net/eth0/statistics/tx_dropped)
    qdisc=$(ip netns exec "$cA" tc -s qdisc show dev eth0 2>/dev/null | awk '/dropped/ {gsub(",", "", $7); s += $7} END {print s + 0}')
    vtep=$(ip netns exec "$hB" awk '/^Udp:/ {n++; if (n == 2) print $6}' /proc/net/snmp)
    server=$(ip netns exec "$cB" awk '/^Udp:/ {n++; if (n == 2) print $6}' /proc/net/snmp)
    echo "$((tx + qdisc)) $vtep $server"
}

ping_ms() {
    ip netns exec "$cA" ping -q -c 50 -i 0.02 192.168.42.2 | awk -F'/' '/rtt/ {print $5}'
}

# The same pings while a 1-stream TCP run (cA -> cB) fills the path: the round trip a request sees next to a bulk
# transfer. The pings start a second into the run, after the slow start, and end (1 s) before it does.
# While the pings run, the bytes waiting in host B's VXLAN receive sockets are sampled every 0.1 s (rx_queue of
# port 4789 in /proc/net/udp, all sockets summed; always 0 for the kernel's device): the largest is printed.
ping_under_bulk_ms() {
    local load rtt sampler
    iperf_tcp 1 >/dev/null &
    load=$!
    sleep 1
    (for _ in $(seq 1 10); do
        local sum=0 _sl address _rem _st queues _rest
        while read -r _sl address _rem _st queues _rest; do
            [[ "$address" == *:12B5 ]] && sum=$((sum + 16#${queues#*:}))
        done < <(ip netns exec "$hB" cat /proc/net/udp)
        echo "$sum"
        sleep 0.1
    done >"$logdir/queue-samples") &
    sampler=$!
    rtt=$(ping_ms)
    wait "$sampler"
    wait "$load"
    echo "$rtt $(sort -n "$logdir/queue-samples" | tail -1)"
}

measure() { # mode -> sets results[mode,metric]
    local mode=$1 i v t1=() t4=() c1=() c4=() u=() l=() p=() pb=() r d1 d2 d3 e1 e2 e3 da=0 db=0 dc=0 qb=()
    # The path is up when one ping crosses; a loaded machine may take a few seconds to get there.
    local tries=0
    until ip netns exec "$cA" ping -q -c 1 -W 1 192.168.42.2 >/dev/null; do
        (( ++tries < 20 )) || { echo "$mode: no ping across in 20 tries" >&2; exit 1; }
    done
    ip netns exec "$cB" iperf3 -s >/dev/null 2>&1 &
    local server=$!
    pids+=("$server")
    sleep 0.3
    # One unmeasured run first: the JIT compiles meshd's packet path (the kernel needs no warm-up, and gets it too).
    iperf_tcp 4 >/dev/null
    if [[ "$PERF" == 1 && "$mode" == meshd* ]]; then
        iperf_tcp 1 >"$logdir/perf-gbits" &
        local load=$!
        sleep 1
        perf record -q -e cpu-clock -a -g -o "$perf_data" -- sleep "$((SECONDS_PER_RUN > 2 ? SECONDS_PER_RUN - 2 : 1))" \
            >/dev/null 2>&1
        wait "$load"
    fi
    for i in $(seq 1 "$REPEAT"); do
        read -r v r <<<"$(tcp_with_cpu 1)"; t1+=("$v"); c1+=("$r")
        if [[ "${THREADS:-0}" == 1 ]]; then
            thread_ticks >"$logdir/ticks-before"
            head -1 /proc/stat >"$logdir/cpu-before"
            local started=$SECONDS
            read -r v r <<<"$(tcp_with_cpu 4)"; t4+=("$v"); c4+=("$r")
            thread_ticks >"$logdir/ticks-after"
            head -1 /proc/stat >"$logdir/cpu-after"
            echo "$mode, 4-stream run $i (${t4[-1]} Gbit/s): $(cpu_report "$logdir/cpu-before" "$logdir/cpu-after")" >&2
            if [[ "$mode" == meshd* ]]; then
                thread_report "$logdir/ticks-before" "$logdir/ticks-after" "$((SECONDS - started))"
            fi
        else
            read -r v r <<<"$(tcp_with_cpu 4)"; t4+=("$v"); c4+=("$r")
        fi
        read -r d1 d2 d3 <<<"$(udp_drop_counters)"
        read -r v r <<<"$(iperf_udp64)"; u+=("$v"); l+=("$r")
        read -r e1 e2 e3 <<<"$(udp_drop_counters)"
        (( da += e1 - d1, db += e2 - d2, dc += e3 - d3 )) || true
        p+=("$(ping_ms)")
        read -r v r <<<"$(ping_under_bulk_ms)"; pb+=("$v"); qb+=("$r")
    done
    kill "$server" 2>/dev/null || true
    wait "$server" 2>/dev/null || true
    results["$mode,tcp1"]=$(median "${t1[@]}"); results["$mode,tcp4"]=$(median "${t4[@]}")
    results["$mode,cpu1"]=$(median "${c1[@]}"); results["$mode,cpu4"]=$(median "${c4[@]}")
    results["$mode,udp64"]=$(median "${u[@]}"); results["$mode,loss64"]=$(median "${l[@]}")
    results["$mode,ping"]=$(median "${p[@]}"); results["$mode,pingbulk"]=$(median "${pb[@]}")
    echo "$mode: tcp1 ${t1[*]} (cpu/Gbit ${c1[*]}) | tcp4 ${t4[*]} (cpu/Gbit ${c4[*]}) | udp64 kpps ${u[*]}" \
        "(loss % ${l[*]}) | ping ms ${p[*]} | under bulk ${pb[*]}" >&2
    echo "$mode: largest backlog in host B's VXLAN receive sockets during the pings under bulk (bytes): ${qb[*]}" >&2
    echo "$mode: UDP 64 B datagrams dropped in all $REPEAT runs: container A's send queue $da," \
        "host B's UDP receive buffers $db, container B's (iperf3 server) $dc" >&2
}

declare -A results
echo "vxlan-e2e: REPEAT=$REPEAT, ${SECONDS_PER_RUN}s per run, transport $TRANSPORT ${MESHD_ARGS:-}," \
    "kernel $(uname -r), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)" >&2

if [[ "${VIP:-0}" == 1 ]]; then
    names v
    underlay
    # cB's MAC is the attachment default, 02:42 + its IPv4 address.
    MESHD_ARGS="${MESHD_ARGS:-} --vip 192.168.42.100:5201/tcp=192.168.42.2:5201 --vip 192.168.42.100:5201/udp=192.168.42.2:5201 --neighbor 192.168.42.2=02:42:c0:a8:2a:02@10.77.0.2" \
        meshd_vtep plain "$hA" "$cA" 10.77.0.1 10.77.0.2 192.168.42.1
    meshd_vtep plain "$hB" "$cB" 10.77.0.2 10.77.0.1 192.168.42.2
    until ip netns exec "$cA" ping -q -c 1 -W 1 192.168.42.2 >/dev/null; do :; done
    ip netns exec "$cB" iperf3 -s >/dev/null 2>&1 &
    pids+=($!)
    sleep 0.3
    TARGET=192.168.42.100; iperf_tcp 4 >/dev/null   # JIT warm-up, through the NAT and straight
    TARGET=192.168.42.2; iperf_tcp 4 >/dev/null
    declare -A vipres
    for i in $(seq 1 "$REPEAT"); do
        for streams in 1 4; do
            for target in 192.168.42.2 192.168.42.100; do
                TARGET=$target
                vipres["$target,$streams"]+="$(iperf_tcp "$streams") "
            done
        done
    done
    for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
    for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
    pids=()
    echo "host A counters:" >&2; sed -n '/counters:/,$p' "$logdir/meshd-$hA.log" >&2
    cleanup
    printf '\n%-28s %10s %10s %10s\n' "metric (median of $REPEAT)" direct "via VIP" "VIP/direct"
    for streams in 1 4; do
        # shellcheck disable=SC2086
        d=$(median ${vipres["192.168.42.2,$streams"]}); v=$(median ${vipres["192.168.42.100,$streams"]})
        echo "TCP $streams: direct ${vipres["192.168.42.2,$streams"]}| via VIP ${vipres["192.168.42.100,$streams"]}" >&2
        printf '%-28s %10s %10s %10s\n' "TCP $streams stream(s) (Gbit/s)" "$d" "$v" \
            "$(python3 -c "import sys; print(f'{float(sys.argv[2])/float(sys.argv[1]):.2f}')" "$d" "$v")"
    done
    exit 0
fi

names k
underlay
kernel_vtep "$hA" "$cA" 10.77.0.1 10.77.0.2 192.168.42.1
kernel_vtep "$hB" "$cB" 10.77.0.2 10.77.0.1 192.168.42.2
measure kernel
cleanup

# CPU of both meshd processes (user + system, all threads) over IDLE_SECONDS with no traffic, in % of one core.
idle_cpu() {
    local before after
    before=$(cat /proc/"${pids[0]}"/stat /proc/"${pids[1]}"/stat)
    sleep "$IDLE_SECONDS"
    after=$(cat /proc/"${pids[0]}"/stat /proc/"${pids[1]}"/stat)
    python3 - "$before" "$after" "$IDLE_SECONDS" "$(getconf CLK_TCK)" <<'PY'
import sys
def ticks(text):
    total = 0
    for line in text.splitlines():
        fields = line[line.rindex(")") + 2:].split()
        total += int(fields[11]) + int(fields[12])
    return total
print(f"{(ticks(sys.argv[2]) - ticks(sys.argv[1])) * 100 / int(sys.argv[4]) / float(sys.argv[3]):.1f}")
PY
}

meshd_run() { # variant topology-suffix result-mode
    names "$2"
    underlay
    meshd_vtep "$1" "$hA" "$cA" 10.77.0.1 10.77.0.2 192.168.42.1
    meshd_vtep "$1" "$hB" "$cB" 10.77.0.2 10.77.0.1 192.168.42.2
    measure "$3"
    if [[ "$IDLE_SECONDS" != 0 ]]; then
        sleep 1
        results["$3,idle"]=$(idle_cpu)
    fi
    for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
    for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
    pids=()
    echo "$3 counters (host A):" >&2; sed -n '/counters:/,$p' "$logdir/meshd-$hA.log" >&2
    cleanup
}

modes=(meshd)
meshd_run plain m meshd
if [[ -n "$COMPARE_ARGS" ]]; then
    MESHD_ARGS="${MESHD_ARGS:-} $COMPARE_ARGS" meshd_run plain a meshd-args
    modes+=(meshd-args)
fi
if [[ "$COMPARE_JVM" == 1 ]]; then
    meshd_run flags f meshd-flags
    meshd_run jvm j meshd-jvmdefaults
    modes+=(meshd-flags meshd-jvmdefaults)
fi
if [[ "$PERF" == 1 ]]; then
    echo "perf, whole machine during one 1-stream meshd run ($(cat "$logdir/perf-gbits") Gbit/s), by thread:" >&2
    perf report -i "$perf_data" --no-children -g none --sort comm --stdio 2>/dev/null | grep -v '^#' | grep . \
        | head -8 >&2 || true   # head closes the pipe early: not a failure under pipefail
    echo "by function (self time):" >&2
    perf report -i "$perf_data" --no-children -g none --sort sym --stdio 2>/dev/null | grep -v '^#' | grep . \
        | head -25 | cut -c1-150 >&2 || true
    echo "recording kept: perf report -i $perf_data" >&2
fi

ratio() { python3 -c "import sys; k,m=float(sys.argv[1]),float(sys.argv[2]); print(f'{m/k:.2f}' if k else 'n/a')" "$1" "$2"; }
if [[ "$COMPARE_JVM" == 1 ]]; then
    echo "meshd = ./meshd vtep; meshd-flags = MESHD_JAVA_OPTS=\"$EXPLICIT_FLAGS\" ./meshd vtep;" \
        "meshd-jvmdefaults = java -jar meshd-all.jar vtep (JVM defaults)"
fi
if [[ -n "$COMPARE_ARGS" ]]; then
    echo "meshd-args = ./meshd vtep ${MESHD_ARGS:-} $COMPARE_ARGS"
fi
row() { # label metric
    local line cells=() ratios=() m
    for m in "${modes[@]}"; do
        cells+=("${results[$m,$2]}")
        ratios+=("$(ratio "${results[kernel,$2]}" "${results[$m,$2]}")")
    done
    printf '%-28s %10s' "$1" "${results[kernel,$2]}"
    printf ' %10s' "${cells[@]}"
    printf ' %10s' "${ratios[@]}"
    printf '\n'
}
printf '\n%-28s %10s' "metric (median of $REPEAT)" kernel
printf ' %10s' "${modes[@]}"
for m in "${modes[@]}"; do printf ' %10s' "${m#meshd}/k"; done
printf '\n'
row "TCP 1 stream (Gbit/s)" tcp1
row "  CPU per Gbit/s (% core)" cpu1
row "TCP 4 streams (Gbit/s)" tcp4
row "  CPU per Gbit/s (% core)" cpu4
row "UDP 64 B received (kpps)" udp64
row "UDP 64 B loss (%)" loss64
row "ping RTT idle (ms)" ping
row "ping RTT under bulk (ms)" pingbulk
if [[ "$IDLE_SECONDS" != 0 ]]; then
    for m in "${modes[@]}"; do
        printf '%s idle after the runs: %s%% of one core (both VTEPs, %ss)\n' "$m" "${results[$m,idle]}" "$IDLE_SECONDS"
    done
fi
