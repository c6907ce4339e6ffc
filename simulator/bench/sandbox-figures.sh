#!/usr/bin/env bash
# Figures of the whole sandbox, measured through the CLI as a user runs it:
#   - 'golem-sandbox up' to ready on a fresh data directory (kernel download, initramfs, KVM probe,
#     default image) and again on the now warm one;
#   - the golem-js hello example end to end (connect, rent, deploy, run, disconnect): cold (the
#     first deploy downloads the image into the provider cache) and cached (median of 5 later runs);
#   - replay of the 10-task script on one activity: wall time and the share spent in VM boot.
# Usage: simulator/bench/sandbox-figures.sh [port]   (needs node + npm ci in requestor-examples/js)
set -euo pipefail
root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.." && pwd)"
cd "$root"
port="${1:-7488}"
home="$(mktemp -d /tmp/golem-sandbox-figures-XXXXXX)"
export GOLEM_SANDBOX_HOME="$home"
cleanup() { ./golem-sandbox down >/dev/null 2>&1 || true; rm -rf "$home"; }
trap cleanup EXIT

now() { date +%s.%N; }
seconds() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }

./golem-sandbox --version >/dev/null   # builds the CLI first, outside the timings
[ -d requestor-examples/js/node_modules ] || (cd requestor-examples/js && npm ci --no-audit --no-fund >/dev/null)
echo "accelerator: ${GOLEM_SANDBOX_ACCEL:-auto (see 'up' summary)}; machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"

t0=$(now); ./golem-sandbox up --detach --port "$port" >/dev/null 2>&1; t1=$(now)
echo "up to ready, fresh data directory: $(seconds "$t0" "$t1") s"
eval "$(./golem-sandbox env)"
./golem-sandbox status | grep accelerator

t0=$(now); (cd requestor-examples/js && node hello.mjs >/dev/null); t1=$(now)
echo "golem-js hello, cold (image not yet in the provider cache): $(seconds "$t0" "$t1") s"
runs=()
for _ in 1 2 3 4 5; do
  t0=$(now); (cd requestor-examples/js && node hello.mjs >/dev/null); t1=$(now)
  runs+=("$(seconds "$t0" "$t1")")
done
echo "golem-js hello, cached: median $(printf '%s\n' "${runs[@]}" | sort -n | sed -n 3p) s (runs: ${runs[*]})"

./golem-sandbox replay requestor-examples/scripts/ten-tasks.json | tail -1 | sed 's/^/replay of 10 tasks on one activity: /'

./golem-sandbox down >/dev/null
t0=$(now); ./golem-sandbox up --detach --port "$port" >/dev/null 2>&1; t1=$(now)
echo "up to ready, warm data directory: $(seconds "$t0" "$t1") s"
