#!/usr/bin/env bash
# The conformance replay's runtime (issue 20): a synthetic log of 1,000 researchers and N usage leaves (default
# 1,000,000), replayed and checked in one JVM with a 1 GB heap. Target: at most 60 s at 1M leaves.
# With "tagged" after N: every call carries scope tags and one INSTITUTION switch spans them all (an HMAC per call).
# Usage: bench/conformance.sh [usages [tagged]]   (wrap it in the build lock, like every build: flock /tmp/vettedaccess-build.lock ...)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
source <(sed -n '/^java_major()/,/^}/p; /^use_jdk()/,/^}/p; /^say()/p; /^die()/p' suite)
use_jdk
./mvnw -B -q -pl ledger-verifier -am test-compile dependency:build-classpath -Dmdep.outputFile=target/bench-cp.txt \
  -Dspotless.check.skip=true
exec "$JAVA_HOME/bin/java" -Xmx1g \
  -cp "ledger-verifier/target/classes:ledger-verifier/target/test-classes:$(cat ledger-verifier/target/bench-cp.txt)" \
  org.vettedaccess.ledger.verifier.conformance.ConformanceBench "${1:-1000000}" ${2:+"$2"}
