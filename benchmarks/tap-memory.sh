#!/usr/bin/env bash
# Native memory per TAP attachment of `meshd vtep`: starts it (launcher settings plus -XX:NativeMemoryTracking=
# summary) in a namespace of its own with SMALL and then LARGE attachments (one container namespace each), waits
# until every one is attached, then reads threads and RSS (/proc) and NMT's "Thread" and "Other" (jcmd
# VM.native_memory summary), stops it (SIGTERM) and prints the difference per attachment. With several JARS, each
# is measured in turn (e.g. a build before a change and one after).
# Needs root, ip and jcmd (the JDK's). Everything it creates (namespaces, the process) goes on exit.
#   [JARS="a.jar b.jar"] [SMALL=10] [LARGE=110] [MESHD_ARGS=...] benchmarks/tap-memory.sh [--help]
# JARS defaults to the repository's daemon/target/meshd-all.jar; MESHD_ARGS adds `meshd vtep` options (--queues N,
# --pollers N). Not a timing benchmark, but it attaches LARGE TAPs: run it under the bench lock on a shared machine.
set -euo pipefail
if [[ "${1:-}" == "-h" || "${1:-}" == "--help" ]]; then
    sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'
    exit 0
fi
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
jars="${JARS:-$root/daemon/target/meshd-all.jar}"
small="${SMALL:-10}"
large="${LARGE:-110}"
export PATH="$PATH:/usr/sbin:/sbin"
[[ $(id -u) -eq 0 ]] || { echo "tap-memory: needs root" >&2; exit 2; }
for tool in ip jcmd; do command -v "$tool" >/dev/null || { echo "tap-memory: $tool is not installed" >&2; exit 2; }; done
(( small >= 1 && large > small && large <= 250 )) || { echo "tap-memory: 1 <= SMALL < LARGE <= 250" >&2; exit 2; }
run="tm$(printf '%05d' $((RANDOM % 100000)))"
made=()
pid=""
cleanup() {
    trap - EXIT INT TERM
    [[ -n "$pid" ]] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
    for n in "${made[@]}"; do ip netns del "$n" 2>/dev/null || true; done
}
trap cleanup EXIT INT TERM
ip netns add "${run}h"; made+=("${run}h")
ip -n "${run}h" link set lo up
ip -n "${run}h" addr add 10.97.0.1/32 dev lo
for i in $(seq 1 "$large"); do ip netns add "${run}c$i"; made+=("${run}c$i"); done

kb() { grep -o "committed=[0-9]*KB" <<<"$1" | head -1 | tr -dc 0-9; }
# Prints "threads rss_kb thread_kb other_kb" of meshd vtep from JAR with N attachments.
measure() {
    local jar=$1 n=$2
    local log="/tmp/${run}-$n.log" args=()
    for i in $(seq 1 "$n"); do args+=(--attach "${run}c$i:eth0:192.168.50.$i/24"); done
    # shellcheck disable=SC2086 # MESHD_ARGS is a list of options
    ip netns exec "${run}h" env MESHD_JAR="$jar" MESHD_JAVA_OPTS=-XX:NativeMemoryTracking=summary \
        "$root/meshd" vtep --vni 42 --local 10.97.0.1 --remote 10.97.0.2 ${MESHD_ARGS:-} "${args[@]}" >"$log" 2>&1 &
    pid=$!  # the launcher and ip netns exec exec java: this is the JVM
    for _ in $(seq 1 600); do
        grep -q "stop with Ctrl-C" "$log" && break
        kill -0 "$pid" 2>/dev/null || { echo "tap-memory: meshd vtep failed:" >&2; cat "$log" >&2; exit 1; }
        sleep 0.2
    done
    local nmt; nmt=$(jcmd "$pid" VM.native_memory summary)
    echo "$(awk '/^Threads/{print $2}' /proc/$pid/status) $(awk '/^VmRSS/{print $2}' /proc/$pid/status)" \
        "$(kb "$(grep -E '^-\s+Thread \(' <<<"$nmt")") $(kb "$(grep -E '^-\s+Other \(' <<<"$nmt")")"
    kill "$pid"; wait "$pid" 2>/dev/null || true; pid=""
    rm -f "$log"
}
printf '%-40s %8s %8s %10s %10s %10s\n' "jar (attachments)" threads "RSS MB" "Thread MB" "Other MB" ""
for jar in $jars; do
    read -r t1 r1 th1 o1 <<<"$(measure "$jar" "$small")"
    read -r t2 r2 th2 o2 <<<"$(measure "$jar" "$large")"
    name="$(basename "$jar")"
    printf '%-40s %8s %8.1f %10.1f %10.1f\n' "$name ($small)" "$t1" "$((r1))e-3" "$((th1))e-3" "$((o1))e-3"
    printf '%-40s %8s %8.1f %10.1f %10.1f\n' "$name ($large)" "$t2" "$((r2))e-3" "$((th2))e-3" "$((o2))e-3"
    d=$((large - small))
    printf '%-40s %8.2f %8.1f %10.1f %10.1f   (KB per attachment; threads per attachment)\n' "  per attachment" \
        "$(( (t2 - t1) * 100 / d ))e-2" "$(( (r2 - r1) / d ))" "$(( (th2 - th1) / d ))" "$(( (o2 - o1) / d ))"
done
