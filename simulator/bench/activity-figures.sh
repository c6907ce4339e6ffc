#!/usr/bin/env bash
# What a requestor sees, through the REST API with real VMs, with the warm reserve off and on:
# rent, activity create/deploy/start/Ready, exec round trips, 100 MiB gftp upload and download,
# destroy, 8 activities at once, host memory of idle VMs (1 GiB and 16 GiB offers, also after a
# command used and freed 300 MiB) and of a reserved VM, golem-js hello.
# Prints one table with the machine's conditions. Uses $GOLEM_SANDBOX_HOME for the guest assets
# (default: a directory under /tmp, never your own data directory); golem-js hello runs when
# requestor-examples/js has node_modules (npm ci).
# Usage: simulator/bench/activity-figures.sh [activities per mode] [exec round trips] [hello runs]
set -euo pipefail
cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.."
./mvnw -B -q -pl simulator -am install -DskipTests
exec ./mvnw -B -q -pl simulator exec:java -Dexec.classpathScope=test \
  -Dexec.mainClass=dev.golemsandbox.bench.ActivityFigures -Dexec.args="${1:-6} ${2:-50} ${3:-5}" \
  -Dorg.slf4j.simpleLogger.defaultLogLevel=warn
