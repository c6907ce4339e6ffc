#!/usr/bin/env bash
# The microVM figures: cold start to agent ready (p50 of 10), /bin/true round trip (p50 of 100),
# resident memory of an idle -m 256 VM. Uses $GOLEM_SANDBOX_HOME for guest assets (default: a
# directory under /tmp, never your own data directory). Best run on an idle machine.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
./mvnw -B -q -pl runtime-qemu test-compile dependency:build-classpath \
  -Dmdep.outputFile="$root/runtime-qemu/target/bench.classpath" -Dmdep.includeScope=test >&2
cp="runtime-qemu/target/test-classes:runtime-qemu/target/classes:$(cat runtime-qemu/target/bench.classpath)"
exec java -cp "$cp" dev.golemsandbox.bench.VmBenchmark "$@"
