#!/usr/bin/env bash
# Fuzzes each DNS fuzz target in turn for a given time (default 5m) with JAZZER_FUZZ=1. Jazzer fuzzes one
# @FuzzTest per JVM, hence one Maven run per target. Inputs that fail land in the target's seed directory
# (src/test/resources/.../<Class>Inputs/<method>/crash-*), where a plain `mvn verify` replays them from then on;
# the growing working corpus stays in .cifuzz-corpus/ (not committed).
# Usage: dns-resolver/fuzz.sh [DURATION] [Class#method ...]
set -euo pipefail
cd "$(dirname "$0")/.."
duration=${1:-5m}
shift || true
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
    targets=(QueryFuzzTest#shouldAnswerWellOrCountADrop QueryFuzzTest#shouldDecodeOrRejectAnyMessage
             RecordsFileFuzzTest#shouldLoadOrRefuseWithAMessage)
fi
for target in "${targets[@]}"; do
    echo "== fuzzing $target for $duration"
    JAZZER_FUZZ=1 mvn -B verify -pl dns-resolver -am -Dcheckstyle.skip -Dsurefire.failIfNoSpecifiedTests=false \
        -Dtest="$target" -Djazzer.max_duration="$duration" | grep -E '^(#[0-9]+ +(DONE|NEW)|Done|==|\[(ERROR|INFO)\] Tests run)' || true
done
