#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# jwg's micro-benchmarks (issue "Performance"): handshake messages, cryptokey routing, replay
# window and receiver-index lookups, each with JMH's allocation profiler. Builds the benchmarks
# jar, runs the suites in one fork each with the iteration counts of their annotations (about
# 4 minutes on a 2-core machine, build included), prints a table in ns/op, ops/s and allocated
# bytes per op, and the verdict on "responder handshakes at least 4,000 per second per core".
# JMH's JSON and the printed report go to benchmarks/results/ (git-ignored).
#
# Usage: benchmarks/micro.sh [--no-build] [REGEX...]
#   --no-build   reuse benchmarks/target/benchmarks.jar
#   REGEX        JMH include patterns instead of the four suites, e.g. 'ReplayWindow'
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
. "$root/scripts/jdk.sh"
jwg_find_jdk

build=1
if [ "${1:-}" = "--no-build" ]; then
  build=0
  shift
fi
if [ "$build" = 1 ]; then
  echo "micro: building benchmarks/target/benchmarks.jar" >&2
  "$root/scripts/mvn" -q -pl benchmarks -am package -DskipTests
fi
jar="$here/target/benchmarks.jar"
[ -f "$jar" ] || { echo "micro: $jar is missing; run without --no-build" >&2; exit 1; }

mkdir -p "$here/results"
stamp=$(date -u +%Y%m%dT%H%M%SZ)
json="$here/results/micro-$stamp.json"
report="$here/results/micro-$stamp.txt"
log="$here/results/micro-$stamp.log"
# JMH refuses to run while another JMH run holds /tmp/jmh.lock (two runs on 2 cores would spoil
# each other's figures): wait for it, up to JWG_JMH_LOCK_WAIT seconds (default 600).
wait_until=$(( $(date +%s) + ${JWG_JMH_LOCK_WAIT:-600} ))
while :; do
  # JMH's full output goes to the log; the terminal gets one line per benchmark, then the report.
  set +e
  "$JWG_JAVA_HOME/bin/java" -cp "$jar" io.jwg.bench.MicroSuite "$json" "$@" 2>&1 \
    | tee "$log" \
    | grep --line-buffered -E '^# (Benchmark|Parameters):|<failure>|Exception' >&2
  status=${PIPESTATUS[0]}
  set -e
  if [ "$status" -ne 0 ] && grep -q 'Unable to acquire the JMH lock' "$log" \
      && [ "$(date +%s)" -lt "$wait_until" ]; then
    echo "micro: another JMH run holds /tmp/jmh.lock; waiting" >&2
    sleep 15
    continue
  fi
  break
done
if [ "$status" -ne 0 ]; then
  echo "micro: JMH failed (exit $status); see $log" >&2
  exit "$status"
fi
sed -n '/^Benchmark  *Params/,$p' "$log" | tee "$report"
echo "micro: full JMH log $log" >&2
