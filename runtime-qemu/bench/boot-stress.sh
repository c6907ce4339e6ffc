#!/usr/bin/env bash
# Boots VMs one after another with busy loops on the other cores and counts boots that hang:
# boot-stress.sh [boots, default 40] [busy loops, default cores - 1] [deadline seconds, default 30].
# Uses $GOLEM_SANDBOX_HOME for guest assets (default: a directory under /tmp).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
./mvnw -B -q -pl runtime-qemu test-compile dependency:build-classpath \
  -Dmdep.outputFile="$root/runtime-qemu/target/bench.classpath" -Dmdep.includeScope=test >&2
cp="runtime-qemu/target/test-classes:runtime-qemu/target/classes:$(cat runtime-qemu/target/bench.classpath)"
exec java -cp "$cp" dev.golemsandbox.bench.VmBootStress "$@"
