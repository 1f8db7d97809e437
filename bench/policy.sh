#!/usr/bin/env bash
# The access-policy decision benchmark: decisions/s and latency through HTTP (about 2 minutes).
# Usage: bench/policy.sh [--seconds 15]
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
source <(sed -n '/^java_major()/,/^}/p; /^use_jdk()/,/^}/p; /^say()/p; /^die()/p' suite)
use_jdk
./mvnw -B -q package -DskipTests -pl bench -am
ZIP="$HOME/.m2/repository/org/keycloak/keycloak-quarkus-dist/26.7.3/keycloak-quarkus-dist-26.7.3.zip"
exec "$JAVA_HOME/bin/java" -Xmx1g -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
  -cp "bench/target/bench-0.1.0-SNAPSHOT.jar:bench/target/lib/*" org.vettedaccess.bench.PolicyBenchmark \
  --root "$ROOT" --state "$ROOT/bench/target/suite" --keycloak-zip "$ZIP" "$@"
