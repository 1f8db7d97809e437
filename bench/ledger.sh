#!/usr/bin/env bash
# The usage-ledger benchmark: appends/s and proof latency at 1M and 10M leaves (about 5 minutes, ~4 GB disk).
# Usage: bench/ledger.sh [--seconds 15] [--warmup 15] [--leaves 1000000,10000000] [--jfr /tmp/ledger.jfr]
#    or: bench/ledger.sh export [--leaves 10000000] [--keep-bundle true]
#        the export at 10M leaves in bounded memory (issue 20): the ledger at -Xmx256m streams the bundle, the
#        offline verifier checks it at -Xmx128m; time and peak RSS of each (about 15 minutes, ~25 GB of disk)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
source <(sed -n '/^java_major()/,/^}/p; /^use_jdk()/,/^}/p; /^say()/p; /^die()/p' suite)
use_jdk
MAIN=org.vettedaccess.bench.LedgerBenchmark
MODULES=bench
if [ "${1:-}" = export ]; then
  shift
  MAIN=org.vettedaccess.bench.LedgerExportBenchmark
  MODULES=bench,ledger-verifier
fi
./mvnw -B -q package -DskipTests -pl "$MODULES" -am
# Where Maven keeps Keycloak (its own setting of the local repository; the version is the root pom's).
ZIP=$("$JAVA_HOME/bin/java" -cp local-suite/target/local-suite-0.1.0-SNAPSHOT.jar org.vettedaccess.suite.SuiteInfo \
  keycloak-zip "$(./mvnw -B -q help:evaluate -Dexpression=settings.localRepository -DforceStdout -N)")
exec "$JAVA_HOME/bin/java" -Xmx1g -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
  -cp "bench/target/bench-0.1.0-SNAPSHOT.jar:bench/target/lib/*" "$MAIN" \
  --root "$ROOT" --state "$ROOT/bench/target/suite" --keycloak-zip "$ZIP" "$@"
