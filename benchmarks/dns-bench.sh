#!/usr/bin/env bash
# Runs dnsperf against the meshd DNS responder and against dnsmasq serving the same names, on loopback, in the
# same run, and prints qps and latency for both and the ratio.
#   benchmarks/dns-bench.sh [SECONDS] [THREADS]
# SECONDS per measured run (default 15), THREADS = meshd event loops (default 1; the machine has 2 cores and
# dnsperf needs one). Needs dnsperf and dnsmasq (Debian: dnsperf, dnsmasq-base).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
seconds="${1:-15}"
threads="${2:-1}"
for tool in dnsperf dnsmasq; do
    command -v "$tool" >/dev/null || PATH="$PATH:/usr/sbin" command -v "$tool" >/dev/null \
        || { echo "dns-bench: $tool is not installed" >&2; exit 2; }
done
export PATH="$PATH:/usr/sbin"
work="$(mktemp -d)"
pids=()
cleanup() {
    for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
    wait 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

free_port() {
    python3 -c 'import socket; s=socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

# The same names for both servers: 20 endpoints, a service VIP, network-suffixed names.
{
    echo "networks:"
    echo "  - name: front"
    echo "    endpoints:"
    for i in $(seq 1 20); do echo "      - {name: app$i, addresses: [10.0.1.$i]}"; done
    echo "    services:"
    echo "      - {name: web, mode: vip, vips: [10.0.0.2]}"
} >"$work/records.yaml"
: >"$work/queries"
dnsmasq_args=()
for i in $(seq 1 20); do
    echo "app$i A" >>"$work/queries"
    echo "app$i.front A" >>"$work/queries"
    dnsmasq_args+=("--host-record=app$i,10.0.1.$i" "--host-record=app$i.front,10.0.1.$i")
done
echo "web A" >>"$work/queries"
dnsmasq_args+=("--host-record=web,10.0.0.2")

run_dnsperf() { # port label
    dnsperf -s 127.0.0.1 -p "$1" -d "$work/queries" -l "$seconds" -q 200 -c 4 -T 1 >"$work/$2.out" 2>&1 || true
    local qps lat lost
    qps=$(awk '/Queries per second:/ {print $4}' "$work/$2.out")
    lat=$(awk '/Average Latency \(s\):/ {print $4}' "$work/$2.out")
    lost=$(awk '/Queries lost:/ {print $3}' "$work/$2.out")
    printf '%-8s qps %10s   avg latency %8.3f ms   lost %s\n' "$2" "${qps:-?}" \
        "$(awk -v l="${lat:-0}" 'BEGIN {print l * 1000}')" "${lost:-?}"
    echo "${qps:-0}" >"$work/$2.qps"
}

# dnsmasq
dport=$(free_port)
dnsmasq --no-daemon --no-resolv --no-hosts --bind-interfaces --listen-address=127.0.0.1 --port="$dport" \
    --cache-size=1000 --log-facility=/dev/null "${dnsmasq_args[@]}" &
pids+=($!)

# meshd (build the jar first so the build does not overlap the measurement)
"$root/meshd" --version >/dev/null
mport=$(free_port)
java ${MESHD_JAVA_OPTS:--Xms256m -Xmx256m -XX:+UseParallelGC} -jar "$root/daemon/target/meshd-all.jar" dns \
    --listen "127.0.0.1:$mport" --records "$work/records.yaml" --threads "$threads" --upstream 127.0.0.1:9 \
    >"$work/meshd.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 100); do
    grep -q "serving" "$work/meshd.log" 2>/dev/null && break
    sleep 0.1
done
grep -q "serving" "$work/meshd.log" || { cat "$work/meshd.log"; exit 1; }

echo "dns-bench: $seconds s per run, dnsperf -q 200 -c 4 -T 1, $(wc -l <"$work/queries") names, meshd threads $threads"
# Warm the JIT up before measuring (dnsmasq needs no warm-up, but gets the same treatment).
seconds_saved=$seconds; seconds=5
run_dnsperf "$mport" warmup >/dev/null
seconds=$seconds_saved
run_dnsperf "$dport" dnsmasq
run_dnsperf "$mport" meshd
awk -v m="$(cat "$work/meshd.qps")" -v d="$(cat "$work/dnsmasq.qps")" \
    'BEGIN { if (d > 0) printf "ratio    meshd/dnsmasq qps = %.2f\n", m / d }'
