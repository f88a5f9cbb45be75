#!/usr/bin/env bash
# Fuzzes every Jazzer @FuzzTest of the repository, one target per JVM, each for a given time.
#
#   scripts/fuzz.sh [--time 60s] [--module M] [--target Class#method] [--list]
#
# Targets are found by grep: every method annotated @FuzzTest under <module>/src/test/java, in every module.
# --module keeps the targets of one module (its folder, e.g. packet), --target those matching Class (simple or
# fully qualified name) or Class#method. --time is Jazzer's max_duration (e.g. 90s, 5m, 1h; default 60s).
#
# Jazzer writes each finding (crash-<sha1>) into the target's inputs directory,
# <module>/src/test/resources/<package>/<Class>Inputs/<method>/, which this script creates first, so that the next
# `mvn verify` replays the finding as a regression test; fix the code, keep the file. The corpus Jazzer grows while
# fuzzing goes to <module>/.cifuzz-corpus/<Class>/<method>/ (ignored by git) and is reused by the next run.
# Logs are in target/fuzz/. Extra Maven arguments can be given in MVN_ARGS (e.g. MVN_ARGS=-o).
# Exit status: 0 if no target failed, 1 if any found something or did not run.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TIME=60s
MODULE=""
TARGET=""
LIST=false

usage() {
    sed -n '2,8p' "$0" | sed 's/^# \{0,1\}//'
    exit "${1:-0}"
}

while [[ $# -gt 0 ]]; do
    case "$1" in
        --time) TIME="$2"; shift 2 ;;
        --module) MODULE="$2"; shift 2 ;;
        --target) TARGET="$2"; shift 2 ;;
        --list) LIST=true; shift ;;
        -h|--help) usage 0 ;;
        *) echo "unknown argument: $1" >&2; usage 2 ;;
    esac
done

# Prints "module fully.qualified.Class method" for every @FuzzTest method (annotations may sit between the
# @FuzzTest line and the method's signature).
discover() {
    cd "$ROOT"
    grep -rl --include='*.java' '@FuzzTest' -- */src/test/java 2>/dev/null | sort | while read -r file; do
        local module="${file%%/src/test/java/*}"
        local class_path="${file#*/src/test/java/}"
        local class="${class_path%.java}"
        class="${class//\//.}"
        awk -v module="$module" -v class="$class" '
            /@FuzzTest/ { pending = 1 }
            pending && match($0, /void[ \t]+[A-Za-z_][A-Za-z0-9_]*[ \t]*\(/) {
                name = substr($0, RSTART, RLENGTH)
                sub(/^void[ \t]+/, "", name)
                sub(/[ \t]*\($/, "", name)
                print module, class, name
                pending = 0
            }' "$file"
    done
}

matches() {
    local module="$1" class="$2" method="$3"
    [[ -z "$MODULE" || "$MODULE" == "$module" ]] || return 1
    [[ -z "$TARGET" ]] && return 0
    local want_class="${TARGET%%#*}" want_method=""
    [[ "$TARGET" == *#* ]] && want_method="${TARGET#*#}"
    [[ "$want_class" == "$class" || "$want_class" == "${class##*.}" ]] || return 1
    [[ -z "$want_method" || "$want_method" == "$method" ]]
}

mapfile -t TARGETS < <(discover | while read -r module class method; do
    if matches "$module" "$class" "$method"; then
        echo "$module $class $method"
    fi
done)

if [[ ${#TARGETS[@]} -eq 0 ]]; then
    echo "no @FuzzTest matches (module '${MODULE}', target '${TARGET}')" >&2
    exit 1
fi
if $LIST; then
    printf '%s\n' "${TARGETS[@]}" | awk '{ printf "%-14s %s#%s\n", $1, $2, $3 }'
    exit 0
fi

LOGS="$ROOT/target/fuzz"
mkdir -p "$LOGS"
SUMMARY=()
FAILED=0
for target in "${TARGETS[@]}"; do
    read -r module class method <<<"$target"
    simple="${class##*.}"
    package_path="$(dirname "${class//.//}")"
    inputs="$ROOT/$module/src/test/resources/$package_path/${simple}Inputs/$method"
    mkdir -p "$inputs"
    log="$LOGS/$module-$simple-$method.log"
    before="$(ls -1 "$inputs")"
    echo "== fuzzing $module $simple#$method for $TIME (log: ${log#"$ROOT"/})"
    started=$SECONDS
    status=0
    # One target per JVM: Jazzer fuzzes a single @FuzzTest per run. -am builds the modules it depends on (their
    # own tests are filtered out by -Dtest); the regression inputs are replayed before fuzzing starts.
    # shellcheck disable=SC2086
    (cd "$ROOT" && JAZZER_FUZZ=1 mvn -B ${MVN_ARGS:-} test -pl "$module" -am -Dcheckstyle.skip \
        -Dtest="$class#$method" -Dsurefire.failIfNoSpecifiedTests=false \
        -Djazzer.max_duration="$TIME") >"$log" 2>&1 || status=$?
    elapsed=$((SECONDS - started))
    new="$(comm -13 <(echo "$before") <(ls -1 "$inputs") | sed '/^$/d' || true)"
    if [[ -n "$new" ]]; then
        result="FINDING: $(echo "$new" | sed "s|^|${inputs#"$ROOT"/}/|" | tr '\n' ' ')"
        FAILED=1
    elif [[ $status -ne 0 ]]; then
        result="FAILED (exit $status, no new input; see the log)"
        FAILED=1
    else
        runs="$(grep -Eo 'Done [0-9]+ runs' "$log" | tail -1 || true)"
        result="ok${runs:+ ($runs)}"
    fi
    echo "   $result, ${elapsed}s"
    SUMMARY+=("$(printf '%-14s %-60s %6ss  %s' "$module" "$simple#$method" "$elapsed" "$result")")
done

echo
echo "== summary (max_duration $TIME per target)"
printf '%s\n' "${SUMMARY[@]}"
exit $FAILED
