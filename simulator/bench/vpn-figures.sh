#!/usr/bin/env bash
# VPN figures with two real VMs: ping round trip, TCP throughput VM to VM and through the TCP
# proxy, proxy connect latency. Usage: vpn-figures.sh [MiB per transfer, default 16]
set -euo pipefail
cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.."
export GOLEM_SANDBOX_HOME="${GOLEM_SANDBOX_HOME:-$PWD/target/test-home}"
# exec:java runs in the simulator module alone: it takes runtime-qemu from the local repository.
./mvnw -B -q -pl runtime-qemu install -DskipTests
./mvnw -B -q -pl simulator -am test-compile -DskipTests
exec ./mvnw -B -q -pl simulator exec:java -Dexec.classpathScope=test \
  -Dexec.mainClass=dev.golemsandbox.net.VpnBench -Dexec.args="${1:-16}" \
  -Dorg.slf4j.simpleLogger.defaultLogLevel=warn
