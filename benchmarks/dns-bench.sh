#!/usr/bin/env bash
# Runs dnsperf against the meshd DNS responder and against dnsmasq serving the same names, on loopback, in the
# same run, and prints qps and latency for both and the ratio.
#   [ROUNDS=N] [DNSPERF_ARGS="..."] benchmarks/dns-bench.sh [SECONDS] [THREADS]
# SECONDS per measured run (default 15), THREADS = meshd event loops (default: one per core; dnsmasq is
# single-threaded by design). ROUNDS (default 2) alternates the two servers; the best round of each is compared.
# DNSPERF_ARGS defaults to "-q 400 -c 8 -T 2" (enough clients that the servers, not dnsperf, are the limit).
# Also prints each server's CPU time per answered query, which the other load on a shared machine disturbs less.
# Needs dnsperf and dnsmasq (Debian: dnsperf, dnsmasq-base).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
seconds="${1:-15}"
threads="${2:-$(nproc)}"
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

cpu_ticks() { # pid: user+system clock ticks of the whole process
    awk '{print $14 + $15}' "/proc/$1/stat"
}

run_dnsperf() { # port label pid
    local before after qps lat lost completed
    before=$(cpu_ticks "$3")
    dnsperf -s 127.0.0.1 -p "$1" -d "$work/queries" -l "$seconds" ${DNSPERF_ARGS:--q 400 -c 8 -T 2} >"$work/$2.out" 2>&1 || true
    after=$(cpu_ticks "$3")
    qps=$(awk '/Queries per second:/ {print $4}' "$work/$2.out")
    lat=$(awk '/Average Latency \(s\):/ {print $4}' "$work/$2.out")
    lost=$(awk '/Queries lost:/ {print $3}' "$work/$2.out")
    completed=$(awk '/Queries completed:/ {print $3}' "$work/$2.out")
    # Server CPU time per answered query: a figure the other load on a shared machine disturbs much less.
    local cpu
    cpu=$(awk -v t=$((after - before)) -v hz="$(getconf CLK_TCK)" -v n="${completed:-0}" \
        'BEGIN { if (n > 0) printf "%.2f", t / hz * 1e6 / n; else print "?" }')
    printf '%-8s qps %10.0f   avg latency %7.3f ms   lost %-6s server CPU %6s us/query\n' "$2" "${qps:-0}" \
        "$(awk -v l="${lat:-0}" 'BEGIN {print l * 1000}')" "${lost:-?}" "$cpu"
    echo "${qps:-0}" >>"$work/$2.qps"
    echo "$cpu" >>"$work/$2.cpu"
}

best() { # file: the highest value
    sort -g "$1" | tail -1
}

# dnsmasq
dport=$(free_port)
dnsmasq --no-daemon --no-resolv --no-hosts --bind-interfaces --listen-address=127.0.0.1 --port="$dport" \
    --cache-size=1000 --log-facility=/dev/null --pid-file= "${dnsmasq_args[@]}" 2>/dev/null &
dpid=$!
pids+=("$dpid")

# meshd (build the jar first so the build does not overlap the measurement)
"$root/meshd" --version >/dev/null
mport=$(free_port)
# Started as a user starts it: the launcher's JVM settings (MESHD_JAVA_OPTS adds to them), leak detector off.
"$root/meshd" dns \
    --listen "127.0.0.1:$mport" --records "$work/records.yaml" --threads "$threads" --upstream 127.0.0.1:9 \
    >"$work/meshd.log" 2>&1 &
mpid=$!
pids+=("$mpid")
for _ in $(seq 1 100); do
    grep -q "serving" "$work/meshd.log" 2>/dev/null && break
    sleep 0.1
done
grep -q "serving" "$work/meshd.log" || { cat "$work/meshd.log"; exit 1; }

rounds="${ROUNDS:-2}"
echo "dns-bench: $rounds rounds of $seconds s each, dnsperf ${DNSPERF_ARGS:--q 400 -c 8 -T 2}, $(wc -l <"$work/queries") names," \
    "meshd threads $threads, $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
# Warm the JIT up before measuring.
saved=$seconds
seconds=5
run_dnsperf "$mport" warmup "$mpid" >/dev/null
seconds=$saved
# Alternate the two servers so both see the same background load; report the best round of each.
for _ in $(seq 1 "$rounds"); do
    run_dnsperf "$dport" dnsmasq "$dpid"
    run_dnsperf "$mport" meshd "$mpid"
done
m=$(best "$work/meshd.qps")
d=$(best "$work/dnsmasq.qps")
awk -v m="$m" -v d="$d" -v mc="$(sort -g "$work/meshd.cpu" | head -1)" -v dc="$(sort -g "$work/dnsmasq.cpu" | head -1)" \
    'BEGIN { printf "best     dnsmasq %.0f qps (%s us CPU/query), meshd %.0f qps (%s us CPU/query)\n", d, dc, m, mc
             if (d > 0) printf "ratio    meshd/dnsmasq qps = %.2f\n", m / d }'
