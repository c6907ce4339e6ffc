#!/bin/sh
# Compiles the test programs that run inside a VM, static like the guest agent (see
# src/main/c/build.sh): build.sh <output directory>.
set -eu
out="$1"
src="$(cd "$(dirname "$0")" && pwd)"
cc="${CC:-gcc}"
mkdir -p "$out"
"$cc" -std=gnu11 -O2 -Wall -Wextra -Werror -static -s -o "$out/hostile-guest.tmp" "$src/hostile-guest.c"
mv "$out/hostile-guest.tmp" "$out/hostile-guest"
