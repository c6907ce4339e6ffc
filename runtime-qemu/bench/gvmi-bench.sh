#!/usr/bin/env bash
# Benchmark of GVMI conversion and hashing (figures, not a test):
#  - a ~200 MB root filesystem (files copied from /usr/lib and /usr/share) converted to GVMI, as a
#    ratio to plain mksquashfs on the same directory in the same run, and the peak JVM heap
#    (the JVM runs with -Xmx256m);
#  - the same directory as a one-layer docker save archive;
#  - SHA3-224 of a 1 GiB file against python3's hashlib on the same file.
# Usage: runtime-qemu/bench/gvmi-bench.sh   (env: BENCH_ROOTFS_MB=200, BENCH_HASH_MB=1024, BENCH_RUNS=3, TMPDIR)
set -euo pipefail

root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.." && pwd)"
rootfs_mb="${BENCH_ROOTFS_MB:-200}"
hash_mb="${BENCH_HASH_MB:-1024}"
runs="${BENCH_RUNS:-3}"
for tool in mksquashfs python3 tar java; do
  command -v "$tool" >/dev/null || { echo "gvmi-bench: $tool is missing" >&2; exit 3; }
done

work="$(mktemp -d "${TMPDIR:-/tmp}/gvmi-bench.XXXXXX")"
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/rootfs" "$work/scratch"

echo "preparing a ${rootfs_mb} MB root filesystem from /usr/lib and /usr/share ..." >&2
# awk stops reading at the limit, so the commands before it die of SIGPIPE: not a failure here.
(set +o pipefail
 find /usr/lib /usr/share -xdev -type f -size -32M -printf '%s\t%p\n' 2>/dev/null | sort -t$'\t' -k2 \
   | awk -F'\t' -v limit=$((rootfs_mb * 1000 * 1000)) '{ total += $1; print $2; if (total >= limit) exit }') \
  > "$work/files"
tar -cf - --files-from="$work/files" 2>/dev/null | tar -xf - -C "$work/rootfs"
echo "preparing a ${hash_mb} MiB file to hash ..." >&2
head -c "$((hash_mb * 1024 * 1024))" /dev/urandom > "$work/hash-input"

echo "compiling ..." >&2
cd "$root"
./mvnw -B -q -pl runtime-qemu test-compile >&2
./mvnw -B -q -pl runtime-qemu exec:exec -Dexec.classpathScope=test -Dexec.executable=java \
  -Dexec.args="-Xmx256m -cp %classpath dev.golemsandbox.image.ConversionBenchmark $work/rootfs $work/hash-input $work/scratch $runs"
