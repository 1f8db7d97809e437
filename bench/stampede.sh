#!/usr/bin/env bash
# Every cached decision dropped at once while many distinct researchers call (issue 25): calls refused and the
# p99 during the refill against steady state (a few minutes with the suite start and ~1 minute of set-up).
# Usage: bench/stampede.sh [--researchers 1000] [--setup-seconds 60] [--clients 16] [--seconds 8]
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
  -cp "bench/target/bench-0.1.0-SNAPSHOT.jar:bench/target/lib/*" org.vettedaccess.bench.StampedeBenchmark \
  --root "$ROOT" --state "$ROOT/bench/target/suite" --keycloak-zip "$ZIP" "$@"
