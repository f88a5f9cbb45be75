#!/usr/bin/env bash
# Measures `meshd proxy` (started by ./meshd with the launcher's defaults, as a user runs it) against HAProxy in
# TCP mode with the same backend, on loopback, in the same run, and straight to the backend as the ceiling:
#   [REPEAT=N] [SECONDS=S] benchmarks/proxy-e2e.sh
# Throughput: iperf3 through each path (one stream). Connection rate: a client opening, reading one byte from and
# closing connections as fast as it can (CLIENTS processes). Runs alternate the paths; medians and the ratio
# meshd/HAProxy are printed; one unmeasured connection-rate round per path comes first (WARMUP=0 skips it).
# Needs iperf3, haproxy and python3 (Debian: iperf3, haproxy).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
repeat="${REPEAT:-3}"
seconds="${SECONDS_PER_RUN:-5}"
clients="${CLIENTS:-2}"
export PATH="$PATH:/usr/sbin"
for tool in iperf3 haproxy python3; do
    command -v "$tool" >/dev/null || { echo "proxy-e2e: $tool is not installed" >&2; exit 2; }
done
work="$(mktemp -d)"
pids=()
cleanup() {
    for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
    wait 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}
wait_port() { # port
    for _ in $(seq 1 300); do
        python3 -c "import socket,sys; socket.create_connection(('127.0.0.1',$1),1).close()" 2>/dev/null && return 0
        sleep 0.1
    done
    echo "proxy-e2e: nothing listens on $1" >&2; exit 1
}

iperf_port=$(free_port); byte_port=$(free_port)
iperf3 -s -p "$iperf_port" >/dev/null 2>&1 & pids+=($!)
# The connection-rate backend: accept, send one byte, close.
python3 - "$byte_port" >/dev/null 2>&1 <<'PY' & pids+=($!)
import socket, sys
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", int(sys.argv[1]))); s.listen(4096)
while True:
    c, _ = s.accept()
    try:
        c.sendall(b"x")
    except OSError:
        pass
    c.close()
PY
wait_port "$iperf_port"; wait_port "$byte_port"

declare -A port
for kind in iperf byte; do
    backend_var="${kind}_port"
    port[meshd-$kind]=$(free_port); port[haproxy-$kind]=$(free_port); port[direct-$kind]=${!backend_var}
    "$root/meshd" proxy --listen "127.0.0.1:${port[meshd-$kind]}" --backend "127.0.0.1:${!backend_var}" \
        >"$work/meshd-$kind.log" 2>&1 & pids+=($!)
    cat >"$work/haproxy-$kind.cfg" <<CFG
global
    maxconn 4096
defaults
    mode tcp
    timeout connect 3s
    timeout client 60s
    timeout server 60s
frontend f
    bind 127.0.0.1:${port[haproxy-$kind]}
    default_backend b
backend b
    server s1 127.0.0.1:${!backend_var}
CFG
    haproxy -f "$work/haproxy-$kind.cfg" -db >"$work/haproxy-$kind.log" 2>&1 & pids+=($!)
done
for p in "${port[@]}"; do wait_port "$p"; done

throughput() { # port -> Gbit/s received
    iperf3 -c 127.0.0.1 -p "$1" -t "$seconds" -J 2>/dev/null \
        | python3 -c 'import json,sys; print("%.2f" % (json.load(sys.stdin)["end"]["sum_received"]["bits_per_second"]/1e9))'
}
conn_rate() { # port -> connections per second, all client processes together
    python3 - "$1" "$seconds" "$clients" <<'PY'
import multiprocessing, socket, sys, time
port, seconds, clients = int(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3])
def work(q):
    end, n, failed = time.time() + seconds, 0, 0
    while time.time() < end:
        try:
            c = socket.create_connection(("127.0.0.1", port), 2)
            n += c.recv(1) == b"x"
            c.close()
        except OSError:
            failed += 1
    q.put(n)
q = multiprocessing.Queue()
ps = [multiprocessing.Process(target=work, args=(q,)) for _ in range(clients)]
[p.start() for p in ps]; total = sum(q.get() for _ in ps); [p.join() for p in ps]
print("%.0f" % (total / seconds))
PY
}
median() { tr ' ' '\n' | grep . | sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

# One unmeasured connection-rate round per path first (WARMUP=0 skips it): meshd's accept and connect paths are
# JIT-compiled during the first seconds under load, and on a saturated 2-core machine the compiler threads compete
# with the clients, so cold rounds climb (e.g. 7.6k, 8.5k, 8.7k, 8.8k, 9.7k conn/s) while HAProxy's are flat.
if [[ "${WARMUP:-1}" == 1 ]]; then
    for path in direct meshd haproxy; do conn_rate "${port[$path-byte]}" >/dev/null; done
fi
declare -A results
for run in $(seq 1 "$repeat"); do
    for path in direct meshd haproxy; do
        results[$path-gbit]+="$(throughput "${port[$path-iperf]}") "
        results[$path-cps]+="$(conn_rate "${port[$path-byte]}") "
    done
    echo "run $run: gbit direct/meshd/haproxy ${results[direct-gbit]}| ${results[meshd-gbit]}| ${results[haproxy-gbit]}" >&2
done
printf '%-10s %12s %12s\n' path "Gbit/s" "conn/s"
for path in direct meshd haproxy; do
    printf '%-10s %12s %12s   (runs: %s/ %s)\n' "$path" "$(median <<<"${results[$path-gbit]}")" \
        "$(median <<<"${results[$path-cps]}")" "${results[$path-gbit]}" "${results[$path-cps]}"
done
awk -v mg="$(median <<<"${results[meshd-gbit]}")" -v hg="$(median <<<"${results[haproxy-gbit]}")" \
    -v mc="$(median <<<"${results[meshd-cps]}")" -v hc="$(median <<<"${results[haproxy-cps]}")" \
    'BEGIN {printf "meshd/haproxy: throughput %.2fx, connections per second %.2fx (medians of the runs)\n", mg/hg, mc/hc}'
