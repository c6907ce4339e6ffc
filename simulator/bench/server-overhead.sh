#!/usr/bin/env bash
# Requests/s of GET ./activity/{id}/state (a real activity), /me and a finished batch's results (live VM) through a whole
# sandbox vs a bare Javalin endpoint, then exec round trips/s with 1, 2 and 4 clients;
# loaded by wrk over loopback in the same run. Usage: server-overhead.sh [seconds per run] [connections]
set -euo pipefail
cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.."
command -v wrk >/dev/null || { echo "error: wrk is not installed (apt-get install wrk)" >&2; exit 3; }
./mvnw -B -q -pl simulator -am test-compile -DskipTests
exec ./mvnw -B -q -pl simulator exec:java -Dexec.classpathScope=test \
  -Dexec.mainClass=dev.golemsandbox.bench.ApiOverheadBench -Dexec.args="${1:-10} ${2:-32}" \
  -Dorg.slf4j.simpleLogger.defaultLogLevel=warn
