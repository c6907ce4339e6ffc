#!/bin/sh
# Compiles the guest agent into a static binary: build.sh <output file> <version>.
# Run by the Maven build (generate-resources); needs gcc and the static C library (libc6-dev).
set -eu
out="$1"
version="${2:-dev}"
src="$(cd "$(dirname "$0")" && pwd)"
cc="${CC:-gcc}"
if ! command -v "$cc" >/dev/null 2>&1; then
  echo "error: $cc not found: the guest agent is C and is compiled by the build; install it with: apt-get install gcc libc6-dev" >&2
  exit 1
fi
libc_a="$("$cc" -print-file-name=libc.a)"
if [ ! -f "$libc_a" ]; then
  echo "error: no static C library (libc.a) for $cc: the guest agent is linked statically; install it with: apt-get install libc6-dev" >&2
  exit 1
fi
mkdir -p "$(dirname "$out")"
"$cc" -std=gnu11 -O2 -Wall -Wextra -Werror -static -s \
  -DAGENT_VERSION="\"$version\"" \
  -o "$out.tmp" "$src/main.c" "$src/request.c" "$src/handlers.c" "$src/reply.c" "$src/wire.c" \
  "$src/proc.c" "$src/users.c" "$src/boot.c" "$src/net.c" "$src/diskfull.c" "$src/fullvolumes.c"
mv "$out.tmp" "$out"
