#!/usr/bin/env bash
# Breachwatch benchmark, one command on a fresh clone: builds streams-app/target/breachwatch.jar when it is missing
# (or BREACHWATCH_REBUILD=1), runs every phase (throughput vs an exactly-once passthrough, latency at 1k and 5k
# events/s, state at 1M users, replay), prints the table and writes target/bench/results.md.
#
#   scripts/bench.sh                                   # the full sizes of BENCHMARKS.md (hours on 2 cores)
#   scripts/bench.sh --events 50000 --users 10000 ...  # any option of `breachwatch bench --help`
#   BENCH_JAVA_OPTS=-Xmx2g scripts/bench.sh            # JVM options of the bench JVM itself (producers, registry)
#   BENCH_APP_KAFKA_LINGER_MS=5 scripts/bench.sh ...   # BENCH_APP_X=v sets X=v for the app under test (a setting to try)
#
# The broker, each app and the passthrough run in child JVMs of the bench; they are stopped when it ends.
set -euo pipefail

home="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
jar="$home/streams-app/target/breachwatch.jar"

if [[ ! -f "$jar" || "${BREACHWATCH_REBUILD:-0}" == "1" ]]; then
  echo "bench: building $jar (mvn -B -q -DskipTests package) ..." >&2
  (cd "$home" && mvn -B -q -DskipTests package) >&2
fi

cd "$home"
# shellcheck disable=SC2086 # BENCH_JAVA_OPTS is a list of JVM options
# results in target/bench (relative to the repository root: --out changes it)
exec "${BREACHWATCH_JAVA:-java}" ${BENCH_JAVA_OPTS:-} -jar "$jar" bench "$@"
