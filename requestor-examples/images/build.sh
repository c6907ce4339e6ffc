#!/usr/bin/env bash
# Builds the example images the replayable scripts and the Java examples use, offline:
#   1. golem-sandbox/example-base:latest, a busybox base imported into the local Docker engine
#      (nothing can be pulled without a registry), then
#   2. examples/behaviours:latest, built from behaviours/Dockerfile by 'golem-sandbox image build'.
# Needs a running Docker engine and busybox-static.
set -euo pipefail
here="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)"
root="$(cd "$here/../.." && pwd)"

rootfs="$(mktemp -d)"
trap 'rm -rf "$rootfs"' EXIT
mkdir -p "$rootfs/bin"
cp /bin/busybox "$rootfs/bin/busybox"
for applet in $(/bin/busybox --list-full); do
  mkdir -p "$rootfs/$(dirname "$applet")"
  [ -e "$rootfs/$applet" ] || ln -s /bin/busybox "$rootfs/$applet"
done
tar -C "$rootfs" -c . | docker import - golem-sandbox/example-base:latest >/dev/null
echo "imported golem-sandbox/example-base:latest"

"$root/golem-sandbox" image build "$here/behaviours" -t examples/behaviours:latest
