#!/usr/bin/env bash
# kyc-service's sanctions screening, in-process: names/s against a 20,000-entry list (a minute or two).
# Usage: bench/screening.sh [--entries 20000] [--names 400]
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
source <(sed -n '/^java_major()/,/^}/p; /^use_jdk()/,/^}/p; /^say()/p; /^die()/p' suite)
use_jdk
./mvnw -B -q package -DskipTests -pl bench -am
exec "$JAVA_HOME/bin/java" -Xmx1g -cp "bench/target/bench-0.1.0-SNAPSHOT.jar:bench/target/lib/*" \
  org.vettedaccess.bench.ScreeningBenchmark "$@"
