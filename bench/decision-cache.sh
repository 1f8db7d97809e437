#!/usr/bin/env bash
# The gateway's cached decision, in-process: latency and decisions/s (under a minute, no suite needed).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
source <(sed -n '/^java_major()/,/^}/p; /^use_jdk()/,/^}/p; /^say()/p; /^die()/p' suite)
use_jdk
./mvnw -B -q package -DskipTests -pl bench -am
exec "$JAVA_HOME/bin/java" -Xmx1g -cp "bench/target/bench-0.1.0-SNAPSHOT.jar:bench/target/lib/*" \
  org.vettedaccess.bench.DecisionCacheBenchmark "$@"
