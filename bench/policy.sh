#!/usr/bin/env bash
# The access-policy decision benchmark: decisions/s and latency through HTTP (about 2 minutes).
# Usage: bench/policy.sh [--seconds 15] [--warmup 20] [--profile true] [--wrk "$(command -v wrk)"]
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
source <(sed -n '/^java_major()/,/^}/p; /^use_jdk()/,/^}/p; /^say()/p; /^die()/p' suite)
use_jdk
./mvnw -B -q package -DskipTests -pl bench -am
# Where Maven keeps Keycloak (its own setting of the local repository; the version is the root pom's).
ZIP=$("$JAVA_HOME/bin/java" -cp local-suite/target/local-suite-0.1.0-SNAPSHOT.jar org.vettedaccess.suite.SuiteInfo \
  keycloak-zip "$(./mvnw -B -q help:evaluate -Dexpression=settings.localRepository -DforceStdout -N)")
exec "$JAVA_HOME/bin/java" -Xmx1g -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
  -cp "bench/target/bench-0.1.0-SNAPSHOT.jar:bench/target/lib/*" org.vettedaccess.bench.PolicyBenchmark \
  --root "$ROOT" --state "$ROOT/bench/target/suite" --keycloak-zip "$ZIP" "$@"
