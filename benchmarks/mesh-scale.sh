#!/usr/bin/env bash
# Issue 13's mesh benchmark: three `meshd agent`s (started by ./meshd as a user starts them: the launcher's JVM
# settings, no extra flags), each in its own network namespace as a "host" (the hosts joined by a bridge in a
# fourth namespace, underlay 10.250.0.0/24 inside those namespaces only), NETWORKS networks, SERVICES services
# (mode vip, a VIP and one published port each: 8001, 8002, ..., so every agent runs SERVICES routing-mesh
# listeners) and ENDPOINTS endpoints as real attachments (TAP + DNS responder per container namespace; one
# container namespace is attached to every network, so ENDPOINTS/NETWORKS namespaces, spread round-robin over the
# agents). Prints, at the end, in a table:
#   - how long creating the networks, services and attachments took through the local API (parallel curl);
#   - per agent, once all three see every endpoint: RSS (VmRSS of the java process), heap used (jstat: survivors +
#     eden + old), live heap after a full GC (jcmd GC.run, at the end), threads, gossip bytes per second (sent and
#     received, packets + streams, meshd_gossip_traffic_bytes_total over WINDOW seconds); median of the three and
#     max, against issue 13's goal of at most 150 MB RSS per agent;
#   - attach -> answer: from just before POST /v1/attachments on agent 1 (and from its return) to the first DNS
#     answer with the new address for the new endpoint's name, asked at 127.0.0.11 inside a container namespace
#     of agent 2 on the same network by a query loop in one process (a query every QUERY_INTERVAL_MS, no process
#     start per query); detach -> the name gone (NXDOMAIN, or SERVFAIL as the agents have no --upstream) likewise;
#     SAMPLES samples each, median and p99; the loop's own floor (an answered query's round trip) and dig's
#     (process start + query) for reference.
# Needs root, ip, curl, jq, python3, dig, jstat and jcmd (the JDK's).
#   [ENDPOINTS=1000] [SERVICES=100] [NETWORKS=10] [SAMPLES=60] [WINDOW=60] [PARALLEL=6] [PROFILE=lan]
#   [QUERY_INTERVAL_MS=2] [KEEP_LOGS=1] benchmarks/mesh-scale.sh [--help]
# ENDPOINTS and SERVICES are multiples of NETWORKS (at most 190 endpoints and 50 services per network: /24
# subnets); PARALLEL = concurrent API requests while creating; PROFILE = the agents' timing preset (--profile).
# MESHD_JAVA_OPTS passes on to the launcher (for a diagnosis run, e.g. -XX:NativeMemoryTracking=summary, then
# NMT=1 prints jcmd VM.native_memory summary per agent); MESHD_JAVA_OPTS_N1 (_N2, _N3) replaces it for one agent,
# MESHD_JAR_N1 (...) runs another jar there (three JVM settings or builds side by side in one run, for a
# diagnosis; the agents carry the same load within one attachment);
# KEEP_LOGS=1 keeps the work directory (agent logs).
# Everything (agents, namespaces, the work directory) is torn down on exit, also on failure or Ctrl-C.
set -euo pipefail
if [[ "${1:-}" == "-h" || "${1:-}" == "--help" ]]; then
    sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'
    exit 0
fi
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
endpoints="${ENDPOINTS:-1000}"
services="${SERVICES:-100}"
networks="${NETWORKS:-10}"
samples="${SAMPLES:-60}"
window="${WINDOW:-60}"
parallel="${PARALLEL:-6}"
profile="${PROFILE:-lan}"
interval_ms="${QUERY_INTERVAL_MS:-2}"
export PATH="$PATH:/usr/sbin:/sbin"
[[ $(id -u) -eq 0 ]] || { echo "mesh-scale: needs root (network namespaces, TAPs)" >&2; exit 2; }
for tool in ip curl jq python3 dig jstat jcmd; do
    command -v "$tool" >/dev/null || { echo "mesh-scale: $tool is not installed" >&2; exit 2; }
done
(( endpoints % networks == 0 && services % networks == 0 )) \
    || { echo "mesh-scale: ENDPOINTS and SERVICES must be multiples of NETWORKS" >&2; exit 2; }
containers=$((endpoints / networks))
per_net_services=$((services / networks))
(( containers >= 2 && containers <= 190 && per_net_services <= 50 )) \
    || { echo "mesh-scale: 2 to 190 endpoints and at most 50 services per network" >&2; exit 2; }

run="mb$(printf '%05d' $((RANDOM % 100000)))"
work="$(mktemp -d /tmp/mesh-scale.XXXXXX)"
agents=()    # java PIDs
made_ns=()   # every namespace this run added
cleanup() {
    local rc=$?
    trap - EXIT INT TERM
    for p in "${agents[@]}"; do kill "$p" 2>/dev/null || true; done
    for p in "${agents[@]}"; do
        for _ in $(seq 1 300); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
        kill -9 "$p" 2>/dev/null || true
    done
    wait 2>/dev/null || true
    for ns in "${made_ns[@]}"; do ip netns del "$ns" 2>/dev/null || true; done
    if [[ -n "${KEEP_LOGS:-}" ]]; then echo "mesh-scale: logs kept in $work" >&2; else rm -rf "$work"; fi
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

log() { echo "mesh-scale: $(date +%T) $*" >&2; }
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }
median() { sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) print "?"; else if (NR % 2) print v[(NR + 1) / 2];
    else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
maxof() { sort -g | tail -1; }
p99() { sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) { print "?"; exit } i = int(NR * 0.99 + 0.999);
    if (i > NR) i = NR; print v[i] }'; }
sock() { echo "$work/n$1.sock"; }
api() { # agent method path [json]: prints the body, fails on a status >= 300
    local out code
    out=$(curl -sS --unix-socket "$(sock "$1")" -X "$2" -H 'Content-Type: application/json' \
        ${4:+--data "$4"} -w '\n%{http_code}' "http://x$3") || return 1
    code=${out##*$'\n'}
    if (( code >= 300 )); then echo "mesh-scale: $2 $3 -> $code ${out%$'\n'*}" >&2; return 1; fi
    printf '%s\n' "${out%$'\n'*}"
}
addns() { ip netns add "$1"; made_ns+=("$1"); ip -n "$1" link set lo up; }

# --- hosts: three namespaces on a bridge (in a fourth), underlay 10.250.0.0/24 ---------------------------------
"$root/meshd" --version >/dev/null   # builds the jar first when it is stale, outside the measurements
log "run $run: $((containers)) container namespaces x $networks networks = $endpoints endpoints, $services services;" \
    "$(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
sw="$run-sw"
addns "$sw"
ip -n "$sw" link add br0 type bridge
ip -n "$sw" link set br0 up
for i in 1 2 3; do
    h="$run-h$i"
    addns "$h"
    ip -n "$sw" link add "p$i" type veth peer name eth0 netns "$h"
    ip -n "$sw" link set "p$i" master br0 up
    ip -n "$h" addr add "10.250.0.$i/24" dev eth0
    ip -n "$h" link set eth0 up
done

# --- agents, as a user starts them (the launcher's defaults) ---------------------------------------------------
for i in 1 2 3; do
    join=()
    (( i > 1 )) && join=(--join 10.250.0.1:7946)
    opts_var="MESHD_JAVA_OPTS_N$i" jar_var="MESHD_JAR_N$i"
    ip netns exec "$run-h$i" env MESHD_JAVA_OPTS="${!opts_var:-${MESHD_JAVA_OPTS:-}}" \
        MESHD_JAR="${!jar_var:-${MESHD_JAR:-}}" \
        "$root/meshd" agent --name "n$i" --bind "10.250.0.$i:7946" "${join[@]}" \
        --profile "$profile" --socket "$(sock "$i")" >"$work/n$i.log" 2>&1 &
    agents+=($!)   # ip netns exec and the launcher exec, so this is the java process
done
members_alive() { api "$1" GET /v1/members 2>/dev/null | jq '[.[] | select(.state == "alive")] | length' 2>/dev/null \
    || echo 0; }
t=$(now)
for i in 1 2 3; do
    for _ in $(seq 1 600); do
        [[ $(members_alive "$i") == 3 ]] && break
        kill -0 "${agents[$((i - 1))]}" 2>/dev/null || { cat "$work/n$i.log" >&2; exit 1; }
        sleep 0.2
    done
    [[ $(members_alive "$i") == 3 ]] || { log "agent n$i does not see 3 members"; cat "$work/n$i.log" >&2; exit 1; }
done
log "3 agents up and joined in $(elapsed "$t") s (pids ${agents[*]})"
declare -A idle_rss
for i in 1 2 3; do idle_rss[$i]=$(awk '/^VmRSS/ {print $2}' "/proc/${agents[$((i - 1))]}/status"); done

# --- networks and services (created on agent 1), endpoints on their own agents ----------------------------------
net_subnet() { echo "10.$((200 + $1 / 256)).$(($1 % 256)).0"; }   # network n's /24 (n from 1)
parallel_api() { # file of "agent method path json" lines (json without spaces) -> failures counted
    local fails
    fails=$(xargs -P "$parallel" -d '\n' -n 1 bash -c 'source "$0"; set -f; set -- $1; api "$@" >/dev/null || echo x' \
        "$work/fns.sh" <"$1" | wc -l)
    echo "$fails"
}
declare -f api sock >"$work/fns.sh"
echo "work=$work" >>"$work/fns.sh"

t=$(now)
: >"$work/networks.req"
for n in $(seq 1 "$networks"); do
    echo "1 POST /v1/networks {\"name\":\"net$n\",\"subnet\":\"$(net_subnet "$n")/24\",\"vni\":$((100 + n))}" \
        >>"$work/networks.req"
done
f=$(parallel_api "$work/networks.req")
(( f == 0 )) || { log "$f network(s) not created"; exit 1; }
t_networks=$(elapsed "$t")
t=$(now)
: >"$work/services.req"
for n in $(seq 1 "$networks"); do
    base=$(net_subnet "$n"); base=${base%.0}
    for k in $(seq 1 "$per_net_services"); do
        # A port is published by one service only (a second is refused), so each its own: 8001, 8002, ...
        port=$((8000 + (n - 1) * per_net_services + k))
        echo "1 POST /v1/services {\"name\":\"s$n-$k\",\"network\":\"net$n\",\"vip\":\"$base.$((199 + k))\",\"mode\":\"vip\",\"ports\":[{\"published\":$port,\"target\":8080,\"protocol\":\"tcp\"}]}"
    done >>"$work/services.req"
done
f=$(parallel_api "$work/services.req")
(( f == 0 )) || { log "$f service(s) not created"; exit 1; }
t_services=$(elapsed "$t")
# Each agent must know every network before its containers attach.
for i in 1 2 3; do
    for _ in $(seq 1 600); do
        [[ $(api "$i" GET /v1/services | jq length) == "$services" && \
           $(api "$i" GET /v1/networks | jq length) == "$networks" ]] && break
        sleep 0.2
    done
done
t_seen_services=$(elapsed "$t")
log "networks created in $t_networks s, services in $t_services s (all agents see them after $t_seen_services s)"

owner() { echo $(( ($1 - 1) % 3 + 1 )); }   # container c's agent
t=$(now)
for c in $(seq 1 "$containers"); do addns "$run-c$c"; done
addns "$run-lat"
t_ns=$(elapsed "$t")
# The routing mesh attaches each agent's ingress namespace to every network with a published port, at an automatic
# address (from the agent's block of 16): wait for the three (at most 30 s), then give the containers explicit
# addresses from .2 up that neither these nor the VIPs use (and below .240, the latency loop's).
declare -A free_ips   # network n -> the free last octets, in order
for n in $(seq 1 "$networks"); do
    for _ in $(seq 1 150); do
        [[ $(api 1 GET "/v1/networks/net$n" | jq '[.endpoints[] | select(.name | startswith("_ingress"))] | length') \
            -ge 3 ]] && break
        sleep 0.2
    done
    used=" $(api 1 GET "/v1/networks/net$n" | jq -r '.endpoints[].ip' | awk -F. '{ printf "%s ", $4 }')"
    free_ips[$n]=""
    for o in $(seq 2 239); do   # .240 and up: the latency loop's
        (( o >= 200 && o < 200 + per_net_services )) && continue   # the VIPs
        [[ "$used" == *" $o "* ]] || free_ips[$n]+="$o "
    done
done
: >"$work/attach.req"
for n in $(seq 1 "$networks"); do
    base=$(net_subnet "$n"); base=${base%.0}
    read -r -a octets <<<"${free_ips[$n]}"
    for c in $(seq 1 "$containers"); do
        echo "$(owner "$c") POST /v1/attachments {\"network\":\"net$n\",\"namespace\":\"$run-c$c\",\"name\":\"c$c\",\"ip\":\"$base.${octets[$((c - 1))]}\",\"service\":\"s$n-$(( (c - 1) % per_net_services + 1 ))\"}"
    done
done >"$work/attach.req"
# Interleave the agents' requests so all three attach at once.
sort -t' ' -k1,1 -s "$work/attach.req" | awk '{ n[$1]++; print n[$1] "\t" $0 }' | sort -t$'\t' -k1,1n -s \
    | cut -f2 >"$work/attach.sorted"
t=$(now)
f=$(parallel_api "$work/attach.sorted")
t_attach=$(elapsed "$t")
(( f == 0 )) || { log "$f attachment(s) failed"; exit 1; }
endpoints_seen() { # agent: the endpoints it lists over all networks
    local total=0 n c
    for n in $(seq 1 "$networks"); do
        c=$(api "$1" GET "/v1/networks/net$n" | jq '.endpoints | length') || c=0
        total=$((total + c))
    done
    echo "$total"
}
for i in 1 2 3; do
    for _ in $(seq 1 1200); do
        [[ $(endpoints_seen "$i") -ge $endpoints ]] && break
        sleep 0.5
    done
    [[ $(endpoints_seen "$i") -ge $endpoints ]] || { log "agent n$i sees only $(endpoints_seen "$i") endpoints"; exit 1; }
done
t_converged=$(elapsed "$t")
log "$endpoints attachments made in $t_attach s ($containers namespaces added in $t_ns s); all 3 agents list" \
    "$endpoints endpoints $t_converged s after the first request"
# Spot check: a name of agent 3's container resolves from a container of agent 1.
probe_c=2     # a container of agent 2, attached to net1: where the latency queries are asked
want="$(net_subnet 1 | sed 's/\.0$//').4"
for _ in $(seq 1 30); do
    got=$(ip netns exec "$run-c1" dig +short +time=1 +tries=1 @127.0.0.11 c3.net1 A 2>/dev/null || true)
    [[ "$got" == "$want" ]] && break
    sleep 1
done
[[ "$got" == "$want" ]] || {
    log "c3.net1 from c1 answered '${got//$'\n'/ }' for 30 s; listening in c1:" \
        "$(ip netns exec "$run-c1" ss -lun | tail -n +2)"
    silent=()
    for c in $(seq 1 "$containers"); do
        ip netns exec "$run-c$c" dig +short +time=1 +tries=1 @127.0.0.11 c1.net1 A >/dev/null 2>&1 \
            || silent+=("c$c(n$(owner "$c"))")
    done
    log "containers whose responder does not answer: ${silent[*]:-none}"
    for i in 1 2 3; do jcmd "${agents[$((i - 1))]}" Thread.print >"$work/threads-n$i.txt" 2>&1 || true; done
    exit 1
}

# --- steady state: memory, threads, gossip bytes --------------------------------------------------------------
gossip_bytes() { # agent -> "sent received" (packets + streams)
    api "$1" GET /v1/stats | jq -r '[.[] | select(.name == "meshd_gossip_traffic_bytes_total")] |
        "\([.[] | select(.labels.kind | endswith("-sent")) | .value] | add) \([.[] | select(.labels.kind |
        endswith("-received")) | .value] | add)"'
}
heap_used_kb() { # pid -> KB used in survivors + eden + old (jstat -gc)
    jstat -gc "$1" | awk 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i } NR == 2 {
        printf "%.0f", $c["S0U"] + $c["S1U"] + $c["EU"] + $c["OU"] }'
}
status_kb() { awk -v k="$2:" '$1 == k {print $2}' "/proc/$1/status"; }
log "steady state: gossip bytes over $window s"
declare -A g0 g1
for i in 1 2 3; do g0[$i]=$(gossip_bytes "$i"); done
t=$(now)
sleep "$window"
for i in 1 2 3; do g1[$i]=$(gossip_bytes "$i"); done
span=$(elapsed "$t")
declare -A rss hwm heap threads sent recv live
for i in 1 2 3; do
    p=${agents[$((i - 1))]}
    rss[$i]=$(status_kb "$p" VmRSS); hwm[$i]=$(status_kb "$p" VmHWM); threads[$i]=$(status_kb "$p" Threads)
    heap[$i]=$(heap_used_kb "$p")
    read -r s0 r0 <<<"${g0[$i]}"; read -r s1 r1 <<<"${g1[$i]}"
    sent[$i]=$(awk -v a="$s0" -v b="$s1" -v t="$span" 'BEGIN { printf "%.0f", (b - a) / t }')
    recv[$i]=$(awk -v a="$r0" -v b="$r1" -v t="$span" 'BEGIN { printf "%.0f", (b - a) / t }')
done

# --- attach -> answer and detach -> gone ------------------------------------------------------------------
net1=$(net_subnet 1); net1=${net1%.0}
log "latency: $samples attach/detach samples on n1, asked from $run-c$probe_c (n2)"
cat >"$work/latency.py" <<'PY'
import http.client, json, os, socket, struct, subprocess, sys, threading, time, urllib.parse
sock_path, namespace, network, prefix, samples, interval = sys.argv[1:7]
samples, interval = int(samples), float(interval) / 1000

class Unix(http.client.HTTPConnection):
    def __init__(self, path):
        super().__init__("localhost", timeout=60)
        self.unix = path
    def connect(self):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(60)
        self.sock.connect(self.unix)

def call(method, path, body=None):
    c = Unix(sock_path)
    data = json.dumps(body).encode() if body is not None else None
    c.request(method, path, body=data, headers={"Content-Type": "application/json"} if data else {})
    r = c.getresponse(); text = r.read(); c.close()
    if r.status >= 300:
        print("%s %s -> %d %s" % (method, path, r.status, text.decode(errors="replace")), file=sys.stderr, flush=True)
        os._exit(1)

dns = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
dns.connect(("127.0.0.11", 53))
dns.settimeout(0.2)
qid = [0]

def ask(name):
    """One A query; returns (rcode, answer bytes) or (None, None) on a timeout."""
    qid[0] = (qid[0] + 1) & 0xFFFF
    q = struct.pack(">HHHHHH", qid[0], 0x0100, 1, 0, 0, 0) + b"".join(
        bytes([len(p)]) + p.encode() for p in name.split(".")) + b"\0" + struct.pack(">HH", 1, 1)
    dns.send(q)
    deadline = time.monotonic() + 0.2
    while True:
        try:
            r = dns.recv(4096)
        except socket.timeout:
            return None, None
        if len(r) >= 12 and struct.unpack(">H", r[:2])[0] == qid[0]:
            return r[3] & 0xF, r[len(q):] if struct.unpack(">H", r[6:8])[0] > 0 else b""
        if time.monotonic() > deadline:
            return None, None

def wait_for(name, want):
    """Asks until want(rcode, answers) holds; returns the time it first did (monotonic)."""
    give_up = time.monotonic() + 120
    while time.monotonic() < give_up:
        rcode, ans = ask(name)
        t = time.monotonic()
        if rcode is not None and want(rcode, ans):
            return t
        time.sleep(interval)
    print("no expected answer for %s within 120 s" % name, file=sys.stderr, flush=True)
    os._exit(1)

floor = []
for i in range(200):
    t0 = time.monotonic(); rcode, ans = ask("c1"); floor.append((time.monotonic() - t0) * 1000)
print("floor", " ".join("%.3f" % f for f in floor))

for k in range(samples):
    name = "lat%d" % k
    ip = "%s.%d" % (prefix, 240 + k % 14)
    want = socket.inet_aton(ip)
    result = {}
    def watch_up():
        result["up"] = wait_for(name, lambda rc, a: rc == 0 and want in a)
    w = threading.Thread(target=watch_up, daemon=True); w.start()
    t0 = time.monotonic()
    call("POST", "/v1/attachments", {"network": network, "namespace": namespace, "name": name, "ip": ip})
    t1 = time.monotonic()
    w.join()
    def watch_down():
        result["down"] = wait_for(name, lambda rc, a: rc is not None and not (rc == 0 and want in a))
    w = threading.Thread(target=watch_down, daemon=True); w.start()
    t2 = time.monotonic()
    call("DELETE", "/v1/attachments?network=%s&namespace=%s" % (network, urllib.parse.quote(namespace)))
    t3 = time.monotonic()
    w.join()
    print("sample %d %.3f %.3f %.3f %.3f" % (k, (result["up"] - t0) * 1000, (result["up"] - t1) * 1000,
        (result["down"] - t2) * 1000, (result["down"] - t3) * 1000), flush=True)
    time.sleep(0.2)
PY
ip netns exec "$run-c$probe_c" python3 "$work/latency.py" "$(sock 1)" "$run-lat" net1 "$net1" "$samples" \
    "$interval_ms" >"$work/latency.out" || {
    log "latency loop failed; n2 lists on net1: $(api 2 GET /v1/networks/net1 | jq -c '[.endpoints[].name]')"
    log "n1 lists on net1: $(api 1 GET /v1/networks/net1 | jq -c '[.endpoints[].name]')"
    log "n1 attachments: $(api 1 GET /v1/attachments | jq -c '[.[] | select(.network == "net1")]')"
    ip netns exec "$run-c$probe_c" dig +time=1 +tries=1 @127.0.0.11 lat0 A >&2 || true
    ip netns exec "$run-c$probe_c" dig +time=1 +tries=1 @127.0.0.11 lat0.net1 A >&2 || true
    exit 1
}
col() { awk -v c="$1" '$1 == "sample" { print $(c + 3) }' "$work/latency.out"; }
floor_med=$(awk '$1 == "floor" { for (i = 2; i <= NF; i++) print $i }' "$work/latency.out" | median)
dig_floor=$(for _ in $(seq 1 20); do
    s=$(now); ip netns exec "$run-c$probe_c" dig +short +tries=1 +time=1 @127.0.0.11 c1 A >/dev/null
    awk -v a="$s" -v b="$(now)" 'BEGIN { printf "%.1f\n", (b - a) * 1000 }'; done | median)

# Live heap after a full GC, last (it disturbs the agents); NMT when the diagnosis flags are on.
for i in 1 2 3; do
    p=${agents[$((i - 1))]}
    jcmd "$p" GC.run >/dev/null
    live[$i]=$(heap_used_kb "$p")
    if [[ -n "${NMT:-}" ]]; then
        jcmd "$p" VM.native_memory summary >"$work/nmt-n$i.txt" 2>&1 || true
        echo "--- n$i: jcmd VM.native_memory summary" >&2; grep -E '^(Total|-  )' "$work/nmt-n$i.txt" >&2 || true
        jcmd "$p" GC.class_histogram 2>/dev/null | head -25 >&2 || true
    fi
done

# --- figures ------------------------------------------------------------------------------------------------
mb() { awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }
echo
echo "mesh-scale: $endpoints endpoints ($containers namespaces x $networks networks), $services services (vip)," \
    "3 agents (profile $profile), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), $(date -u +%FT%TZ)"
printf '%-44s %s\n' "networks created (API, on n1)" "$t_networks s" \
    "services created (API, on n1)" "$t_services s" \
    "attachments made (API, $parallel parallel)" "$t_attach s ($(awk -v n="$endpoints" -v t="$t_attach" \
        'BEGIN { printf "%.1f", n / t }')/s)" \
    "until all 3 agents list every endpoint" "$t_converged s"
echo
printf '%-6s %10s %10s %10s %12s %10s %8s %14s %14s\n' agent "idle RSS" RSS "RSS peak" "heap used" "live heap" \
    threads "gossip out B/s" "gossip in B/s"
for i in 1 2 3; do
    printf '%-6s %7s MB %7s MB %7s MB %9s MB %7s MB %8s %14s %14s\n' "n$i" "$(mb "${idle_rss[$i]}")" \
        "$(mb "${rss[$i]}")" "$(mb "${hwm[$i]}")" "$(mb "${heap[$i]}")" "$(mb "${live[$i]}")" "${threads[$i]}" \
        "${sent[$i]}" "${recv[$i]}"
done
for stat in median max; do
    f=$stat; [[ $stat == max ]] && f=maxof
    printf '%-6s %7s MB %7s MB %7s MB %9s MB %7s MB %8s %14s %14s\n' "$stat" \
        "$(mb "$(printf '%s\n' "${idle_rss[@]}" | $f)")" "$(mb "$(printf '%s\n' "${rss[@]}" | $f)")" \
        "$(mb "$(printf '%s\n' "${hwm[@]}" | $f)")" "$(mb "$(printf '%s\n' "${heap[@]}" | $f)")" \
        "$(mb "$(printf '%s\n' "${live[@]}" | $f)")" "$(printf '%s\n' "${threads[@]}" | $f)" \
        "$(printf '%s\n' "${sent[@]}" | $f)" "$(printf '%s\n' "${recv[@]}" | $f)"
done
max_rss=$(printf '%s\n' "${rss[@]}" | maxof)
awk -v r="$max_rss" 'BEGIN { verdict = r / 1024 <= 150 ? "met" : "MISSED"
    printf "RSS goal <= 150 MB per agent: %s (max %.1f MB)\n", verdict, r / 1024 }'
echo "(idle RSS: joined, before any network; RSS peak: VmHWM; heap used: jstat S0U+S1U+EU+OU; live heap: the same"
echo " after jcmd GC.run; gossip B/s: meshd_gossip_traffic_bytes_total, packets + streams, over ${span} s)"
echo
n=$(col 0 | wc -l)
printf '%-44s %10s %10s   (%s samples, ms)\n' "" median p99 "$n"
printf '%-44s %10.1f %10.1f\n' "attach -> answer, from before the POST" "$(col 0 | median)" "$(col 0 | p99)" \
    "attach -> answer, from the POST's return" "$(col 1 | median)" "$(col 1 | p99)" \
    "detach -> gone, from before the DELETE" "$(col 2 | median)" "$(col 2 | p99)" \
    "detach -> gone, from the DELETE's return" "$(col 3 | median)" "$(col 3 | p99)"
printf '%-44s %10.2f\n' "query loop floor (answered query round trip)" "$floor_med" \
    "dig floor (process start + query, 20 runs)" "$dig_floor"
echo "(queries every ${interval_ms} ms from a container of n2; attach/detach on n1; the answer time has that resolution)"

# How long the agents take to stop with every attachment in place (SIGTERM -> exit; they detach on the way out).
t=$(now)
for p in "${agents[@]}"; do kill "$p" 2>/dev/null || true; done
stops=()
for p in "${agents[@]}"; do
    for _ in $(seq 1 600); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
    if kill -0 "$p" 2>/dev/null; then stops+=(">60"); else stops+=("$(elapsed "$t")"); fi
done
printf '%-44s %s\n' "agents stopped (SIGTERM -> exit, s)" "n1 ${stops[0]}, n2 ${stops[1]}, n3 ${stops[2]}"
