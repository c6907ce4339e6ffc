#!/usr/bin/env bash
# The user's image path: a `docker save` tarball to GVMI with `golem-sandbox image convert` (the
# launcher, a JVM, layer checks and extraction, mksquashfs, the GVMI trailer, SHA3-224), against
# the plain shell way on the same tarball: tar -x of its layer, then mksquashfs with the same
# compression. The image is one layer of files copied from /usr/lib and /usr/share. Best of N
# runs, with the page cache warm (each side reads the tarball once before it is timed).
# Usage: simulator/bench/convert-figures.sh [image MB (200)] [runs (3)]   (env: TMPDIR)
set -euo pipefail
root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.." && pwd)"
image_mb="${1:-200}"
runs="${2:-3}"
for tool in mksquashfs tar python3; do
  command -v "$tool" >/dev/null || { echo "convert-figures: $tool is missing" >&2; exit 3; }
done
work="$(mktemp -d "${TMPDIR:-/tmp}/convert-figures.XXXXXX")"
trap 'rm -rf "$work"' EXIT

echo "preparing a ${image_mb} MB one-layer docker save tarball ..." >&2
mkdir -p "$work/layer" "$work/saved"
# awk stops reading at the limit, so the commands before it die of SIGPIPE: not a failure here.
(set +o pipefail
 find /usr/lib /usr/share -xdev -type f -size -32M -printf '%s\t%p\n' 2>/dev/null | sort -t$'\t' -k2 \
   | awk -F'\t' -v limit=$((image_mb * 1000 * 1000)) '{ total += $1; print $2; if (total >= limit) exit }') \
  > "$work/files"
tar -cf "$work/saved/layer.tar" --files-from="$work/files" 2>/dev/null
python3 - "$work/saved" <<'EOF'
import hashlib, json, os, sys
d = sys.argv[1]
layer = hashlib.sha256(open(os.path.join(d, "layer.tar"), "rb").read()).hexdigest()
config = {"architecture": "amd64", "os": "linux", "config": {"Env": ["PATH=/usr/bin:/bin"], "WorkingDir": "/",
          "Volumes": {"/golem/output": {}}}, "rootfs": {"type": "layers", "diff_ids": ["sha256:" + layer]}}
data = json.dumps(config).encode()
name = hashlib.sha256(data).hexdigest() + ".json"
open(os.path.join(d, name), "wb").write(data)
json.dump([{"Config": name, "RepoTags": ["bench/convert:latest"], "Layers": ["layer.tar"]}],
          open(os.path.join(d, "manifest.json"), "w"))
EOF
(cd "$work/saved" && tar -cf "$work/image.tar" -- *)
rm -rf "$work/saved"
size_mb=$(( $(stat -c %s "$work/image.tar") / 1000000 ))

cd "$root"
./golem-sandbox --help >/dev/null  # builds the CLI jar first when the sources changed: not timed
home="$work/home"
best() { sort -n | head -1; }
now() { date +%s.%N; }
convert_times=()
plain_times=()
for i in $(seq 1 "$runs"); do
  cat "$work/image.tar" >/dev/null
  t0=$(now)
  ./golem-sandbox image convert "$work/image.tar" -o "$work/out.gvmi" --data-dir "$home" >/dev/null
  t1=$(now)
  convert_times+=("$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')")
  rm -f "$work/out.gvmi"
  rm -rf "$work/plain" "$work/plain.sqfs"
  cat "$work/image.tar" >/dev/null
  t0=$(now)
  mkdir "$work/plain"
  tar -xf "$work/image.tar" -C "$work/plain" layer.tar
  mkdir "$work/plain/root"
  tar -xf "$work/plain/layer.tar" -C "$work/plain/root"
  mksquashfs "$work/plain/root" "$work/plain.sqfs" -comp lzo -noappend -quiet >/dev/null
  t1=$(now)
  plain_times+=("$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')")
done
convert=$(printf '%s\n' "${convert_times[@]}" | best)
plain=$(printf '%s\n' "${plain_times[@]}" | best)
echo "golem-sandbox convert figures: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), docker save tarball of ${size_mb} MB, one layer, lzo, best of $runs"
printf 'golem-sandbox image convert (CLI start to exit): %.2f s\n' "$convert"
printf 'tar -x of the layer + mksquashfs:                %.2f s\n' "$plain"
awk -v c="$convert" -v p="$plain" 'BEGIN { printf "ratio:                                           %.2fx\n", c / p }'
