#!/usr/bin/env bash
# Runs dnsperf against the meshd DNS responder, Knot DNS and dnsmasq serving the same names, on loopback, in the
# same run, and prints qps and latency for each, the medians of the rounds and the ratios.
#   [ROUNDS=N] [DNSPERF_ARGS="..."] benchmarks/dns-bench.sh [SECONDS] [THREADS]
# SECONDS per measured run (default 15), THREADS = meshd event loops and Knot UDP workers (default: one per
# core; dnsmasq is single-threaded by design). ROUNDS (default 3) alternates the three servers (each round runs
# dnsmasq, Knot, meshd in turn, so all see the same background load); the medians of the rounds are compared.
# DNSPERF_ARGS defaults to "-q 400 -c 8 -T 2" (enough clients that the servers, not dnsperf, are the limit).
# Also prints each server's CPU time per answered query (utime+stime of /proc/PID/stat over the run divided by
# the queries completed), which the other load on a shared machine disturbs less.
# Needs dnsperf, dnsmasq and knotd (Debian: dnsperf, dnsmasq-base, knot); without knotd Knot is skipped.
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

have_knot=true
command -v knotd >/dev/null || { have_knot=false; echo "dns-bench: knotd is not installed, Knot skipped" >&2; }

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
# Knot serves the same names from the root zone (the names are single-label or under "front"), TTL 600 as meshd.
{
    echo '$ORIGIN .'
    echo '$TTL 600'
    echo '@ SOA ns.bench. hostmaster.bench. 1 3600 600 86400 30'
    echo '@ NS ns.bench.'
    echo 'ns.bench. A 127.0.0.1'
    for i in $(seq 1 20); do echo "app$i A 10.0.1.$i"; echo "app$i.front A 10.0.1.$i"; done
    echo 'web A 10.0.0.2'
} >"$work/root.zone"

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

median() { # file: the median of its values (the mean of the two middle ones for an even count)
    sort -g "$1" | awk '{ v[NR] = $1 } END { if (NR == 0) print 0; else if (NR % 2) print v[(NR + 1) / 2];
        else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# dnsmasq
dport=$(free_port)
dnsmasq --no-daemon --no-resolv --no-hosts --bind-interfaces --listen-address=127.0.0.1 --port="$dport" \
    --cache-size=1000 --log-facility=/dev/null --pid-file= "${dnsmasq_args[@]}" 2>/dev/null &
dpid=$!
pids+=("$dpid")

# Knot DNS: two (THREADS) UDP workers on loopback, no zone journal or timers written outside the work dir.
if $have_knot; then
    kport=$(free_port)
    mkdir -p "$work/knot"
    cat >"$work/knot.conf" <<CONF
server:
    rundir: "$work/knot"
    listen: 127.0.0.1@$kport
    udp-workers: $threads
    tcp-workers: 1
    background-workers: 1
database:
    storage: "$work/knot"
log:
  - target: stderr
    any: error
template:
  - id: default
    storage: "$work"
    semantic-checks: off
    journal-content: none
    zonefile-sync: -1
zone:
  - domain: .
    file: root.zone
CONF
    knotd -c "$work/knot.conf" >"$work/knot.log" 2>&1 &
    kpid=$!
    pids+=("$kpid")
    for _ in $(seq 1 100); do
        dig +short +time=1 +tries=1 -p "$kport" @127.0.0.1 web A 2>/dev/null | grep -q 10.0.0.2 && break
        sleep 0.1
    done
    dig +short +time=1 +tries=1 -p "$kport" @127.0.0.1 web A | grep -q 10.0.0.2 \
        || { echo "dns-bench: knotd did not answer"; cat "$work/knot.log"; exit 1; }
fi

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

rounds="${ROUNDS:-3}"
echo "dns-bench: $rounds rounds of $seconds s each, dnsperf ${DNSPERF_ARGS:--q 400 -c 8 -T 2}, $(wc -l <"$work/queries") names," \
    "meshd threads $threads, $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
# Warm the JIT up before measuring.
saved=$seconds
seconds=5
run_dnsperf "$mport" warmup "$mpid" >/dev/null
seconds=$saved
if $have_knot; then
    seconds=5
    run_dnsperf "$kport" warmup "$kpid" >/dev/null
    seconds=$saved
fi
# Alternate the servers so all see the same background load; report the median round of each.
for _ in $(seq 1 "$rounds"); do
    run_dnsperf "$dport" dnsmasq "$dpid"
    if $have_knot; then run_dnsperf "$kport" knot "$kpid"; fi
    run_dnsperf "$mport" meshd "$mpid"
done
servers="dnsmasq meshd"
if $have_knot; then servers="dnsmasq knot meshd"; fi
for s in $servers; do
    printf 'median   %-8s qps %10.0f   server CPU %6.2f us/query   (%s rounds)\n' "$s" "$(median "$work/$s.qps")" \
        "$(median "$work/$s.cpu")" "$rounds"
done
ratio() { # reference: meshd's qps over the reference's, the reference's CPU per query over meshd's (>1: meshd ahead)
    awk -v mq="$(median "$work/meshd.qps")" -v rq="$(median "$work/$1.qps")" \
        -v mc="$(median "$work/meshd.cpu")" -v rc="$(median "$work/$1.cpu")" -v r="$1" \
        'BEGIN { if (rq > 0 && mc > 0) printf "ratio    meshd/%-7s qps %.2f   CPU per query %s/meshd %.2f\n", r, mq / rq, r, rc / mc }'
}
if $have_knot; then ratio knot; fi
ratio dnsmasq
