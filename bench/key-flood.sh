#!/usr/bin/env bash
# What 100,000 random API keys do to valid callers: their p50/p99 before, during and after the flood, and whether
# their keys stayed cached (about 3 minutes with the suite's start).
# Usage: bench/key-flood.sh [--seconds 8] [--flood 100000] [--flood-rate 2000] [--profile true] [--valid-clients 8] [--flood-clients 8] [--warmup 10]
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
source <(sed -n '/^java_major()/,/^}/p; /^use_jdk()/,/^}/p; /^say()/p; /^die()/p' suite)
use_jdk
./mvnw -B -q package -DskipTests -pl bench,upstream-sim,usage-ledger,access-policy,kyc-service,gateway -am
# Where Maven keeps Keycloak (its own setting of the local repository; the version is the root pom's).
ZIP=$("$JAVA_HOME/bin/java" -cp local-suite/target/local-suite-0.1.0-SNAPSHOT.jar org.vettedaccess.suite.SuiteInfo \
  keycloak-zip "$(./mvnw -B -q help:evaluate -Dexpression=settings.localRepository -DforceStdout -N)")
exec "$JAVA_HOME/bin/java" -Xmx1g -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
  -cp "bench/target/bench-0.1.0-SNAPSHOT.jar:bench/target/lib/*" org.vettedaccess.bench.KeyFloodBenchmark \
  --root "$ROOT" --state "$ROOT/bench/target/suite" --keycloak-zip "$ZIP" "$@"
