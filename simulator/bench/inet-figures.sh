#!/usr/bin/env bash
# Outbound figure with a real VM: busybox wget of a file from a local HTTP server through eth1
# and the gateway. Usage: inet-figures.sh [MiB, default 100]
set -euo pipefail
cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.."
export GOLEM_SANDBOX_HOME="${GOLEM_SANDBOX_HOME:-$PWD/target/test-home}"
# exec:java runs in the simulator module alone: it takes runtime-qemu from the local repository.
./mvnw -B -q -pl runtime-qemu install -DskipTests
./mvnw -B -q -pl simulator -am test-compile -DskipTests
exec ./mvnw -B -q -pl simulator exec:java -Dexec.classpathScope=test \
  -Dexec.mainClass=dev.golemsandbox.inet.OutboundBench -Dexec.args="${1:-100}" \
  -Dorg.slf4j.simpleLogger.defaultLogLevel=warn
