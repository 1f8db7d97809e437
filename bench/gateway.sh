#!/usr/bin/env bash
# What the gateway adds to a model call, against calling the simulated upstream directly (about 6 minutes).
# Usage: bench/gateway.sh [--seconds 10] [--rounds 3] [--warmup 10] [--jfr /tmp/gw.jfr [--jfr-clients 16] [--jfr-period 1ms]]  (CPU per call from /proc; --jfr: a profiled
# 16-client trial through the gateway after the measured rounds)
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
  -cp "bench/target/bench-0.1.0-SNAPSHOT.jar:bench/target/lib/*" org.vettedaccess.bench.GatewayBenchmark \
  --root "$ROOT" --state "$ROOT/bench/target/suite" --keycloak-zip "$ZIP" "$@"
