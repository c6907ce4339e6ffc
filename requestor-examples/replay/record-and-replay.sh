#!/usr/bin/env bash
# A golem-js session with uploads and downloads (../js/replayable-files.mjs), recorded once by
# 'up --record', replays green on a fresh sandbox with a data directory of its own; a tampered
# download hash fails with a per-command report; 'replay --update' puts the recorded hash back and
# says what changed; a recording whose blob reference is a path is refused; a recording whose
# uploads are missing is left as it is by --update.
#
# Usage: requestor-examples/replay/record-and-replay.sh   (needs 'npm ci' in requestor-examples/js)
# The guest assets and images of $GOLEM_SANDBOX_HOME, when it has them, seed both data directories
# so that neither sandbox fetches a kernel; recordings, blobs and keys are their own.
set -euo pipefail
root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.." && pwd)"
cli="$root/golem-sandbox"
work="$(mktemp -d "${TMPDIR:-/tmp}/golem-record-replay-XXXXXX")"
record_port="${RECORD_PORT:-7497}"
replay_port="${REPLAY_PORT:-7498}"

say() { printf '\n== %s\n' "$*"; }
fail() { echo "record-and-replay: FAILED: $*" >&2; exit 1; }

stop_all() {
  for home in "$work/record-home" "$work/replay-home"; do
    [ -d "$home" ] && GOLEM_SANDBOX_HOME="$home" "$cli" down >/dev/null 2>&1 || true
  done
  rm -rf "$work"
}
trap stop_all EXIT

seed() {
  mkdir -p "$1"
  local from="${GOLEM_SANDBOX_HOME:-}"
  for cache in guest images; do
    if [ -n "$from" ] && [ -d "$from/$cache" ]; then cp -a "$from/$cache" "$1/"; fi
  done
}

say "record: a golem-js session against a sandbox started with --record"
seed "$work/record-home"
export GOLEM_SANDBOX_HOME="$work/record-home"
"$cli" up --detach --port "$record_port" --record >/dev/null
eval "$("$cli" env)"
(cd "$root/requestor-examples/js" && node replayable-files.mjs)
"$cli" down >/dev/null

# What a user hands on: the recording and the blobs beside it, nothing else of the data directory.
mkdir -p "$work/checkout"
cp -r "$work/record-home/recordings/blobs" "$work/checkout/"
recorded=("$work"/record-home/recordings/*.json)
[ ${#recorded[@]} -eq 1 ] || fail "expected one recording, found ${#recorded[@]}"
recording="$work/checkout/files.json"
cp "${recorded[0]}" "$recording"
[ "$(ls "$work/checkout/blobs" | wc -l)" -eq 2 ] || fail "expected the two uploads as blobs: $(ls "$work/checkout/blobs")"
grep -q '"blob"' "$recording" || fail "the recording names no upload blob"
grep -q '"download"' "$recording" || fail "the recording has no download hash"

# The uuid the VM printed varies from run to run: that command's stdout is marked so, by hand.
node -e '
  const fs = require("fs"); const file = process.argv[1];
  const script = JSON.parse(fs.readFileSync(file, "utf8"));
  const batch = script.activities[0].batches.find(b => JSON.stringify(b.exeScript).includes("random/uuid"));
  if (!batch) throw new Error("no batch prints a uuid");
  batch.expect = [{ command: 0, varies: ["stdout"] }];
  fs.writeFileSync(file, JSON.stringify(script, null, 2));
' "$recording"

say "replay on a fresh sandbox (its own data directory: no recordings, no blobs)"
seed "$work/replay-home"
export GOLEM_SANDBOX_HOME="$work/replay-home"
"$cli" up --detach --port "$replay_port" >/dev/null
[ ! -e "$work/replay-home/recordings/blobs" ] || fail "the fresh sandbox already holds blobs"
"$cli" replay "$recording" | tee "$work/green.out"
grep -q "^passed: 0 of" "$work/green.out" || fail "the replay of the recording did not pass"
grep -q "ok    .*transfer gftp://.* -> container:/golem/input/input.bin" "$work/green.out" || fail "the upload was not replayed"
grep -q "ok    .*transfer container:/golem/output/result.txt -> gftp://" "$work/green.out" || fail "the download was not replayed"

say "a tampered download hash fails, naming the command"
tampered="$work/checkout/tampered.json"
original_hash="$(node -e '
  const s = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  for (const b of s.activities[0].batches) for (const r of b.results ?? []) if (r.download) console.log(r.download.sha256);
' "$recording")"
[ ${#original_hash} -eq 64 ] || fail "no download hash in the recording: $original_hash"
sed "s/$original_hash/$(printf '0%.0s' $(seq 64))/" "$recording" > "$tampered"
if "$cli" replay "$tampered" > "$work/tampered.out"; then
  cat "$work/tampered.out"; fail "a tampered download hash replayed green"
fi
cat "$work/tampered.out"
grep -q "FAIL  activity 0, batch .*, command 0: transfer container:/golem/output/result.txt" "$work/tampered.out" \
  || fail "the report does not name the download command"
grep -q "download: expected sha256 0\{64\} (.* bytes), actual sha256 $original_hash" "$work/tampered.out" \
  || fail "the report does not give the expected and actual hash"
grep -q "^FAILED: 1 of" "$work/tampered.out" || fail "more than the download failed"

say "replay --update rewrites the tampered hash from the new run and prints the change"
"$cli" replay --update "$tampered" | tee "$work/update.out"
grep -q "^updated $tampered:" "$work/update.out" || fail "--update did not say it updated the file"
grep -q "download: expected sha256 0\{64\}" "$work/update.out" || fail "--update did not print what changed"
canonical() { node -e 'console.log(JSON.stringify(JSON.parse(require("fs").readFileSync(process.argv[1])), null, 1))' "$1"; }
diff -u <(canonical "$recording") <(canonical "$tampered") || fail "the updated recording is not the original one again"

say "a recording whose blob reference is a path is refused before anything runs"
hostile="$work/checkout/hostile.json"
sed "0,/\"blob\" *: *\"[0-9a-f]\{64\}\"/s//\"blob\": \"..\/..\/etc\/passwd\"/" "$recording" > "$hostile"
grep -q '"blob": "../../etc/passwd"' "$hostile" || fail "could not write the hostile recording"
if "$cli" replay "$hostile" > "$work/hostile.out" 2>&1; then
  cat "$work/hostile.out"; fail "a blob reference ../../etc/passwd was accepted"
fi
cat "$work/hostile.out"
grep -q "upload.blob: must be a sha256" "$work/hostile.out" || fail "the refusal does not say why"

say "--update leaves a recording that could not run at all as it is (its uploads are missing)"
mkdir -p "$work/no-blobs"
cp "$tampered" "$work/no-blobs/files.json"
before="$(sha256sum < "$work/no-blobs/files.json")"
if "$cli" replay --update "$work/no-blobs/files.json" > "$work/no-blobs.out"; then
  cat "$work/no-blobs.out"; fail "a replay without its blobs succeeded"
fi
cat "$work/no-blobs.out"
grep -q "could not run: the recorded upload .* is not in $work/no-blobs/blobs" "$work/no-blobs.out" || fail "no reason given"
[ "$(sha256sum < "$work/no-blobs/files.json")" = "$before" ] || fail "--update changed a recording that did not run"

"$cli" down >/dev/null
echo
echo "record-and-replay: OK"
