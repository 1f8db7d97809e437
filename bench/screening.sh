#!/usr/bin/env bash
# kyc-service's sanctions screening, in-process, against a synthetic 1.5-million-name list in the real formats:
# load time, heap, p50/p99 per name, a 10,000-name re-screen, and a few names through the replaced linear scan
# (a few minutes). Usage: bench/screening.sh [--names 1500000] [--queries 2000] [--rescreen 10000] [--compare 10]
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
source <(sed -n '/^java_major()/,/^}/p; /^use_jdk()/,/^}/p; /^say()/p; /^die()/p' suite)
use_jdk
./mvnw -B -q package -DskipTests -pl bench -am
exec "$JAVA_HOME/bin/java" -Xmx2g -cp "bench/target/bench-0.1.0-SNAPSHOT.jar:bench/target/lib/*" \
  org.vettedaccess.bench.ScreeningBenchmark "$@"
