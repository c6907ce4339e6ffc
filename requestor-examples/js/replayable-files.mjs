// A golem-js session meant to be recorded and replayed (see ../replay/record-and-replay.sh): files in
// and out of the VM over gftp (uploadFile, uploadData, downloadFile) with content that is the same
// on every run, and one command whose output is not (a random uuid), for a per-command "varies".
import { GolemNetwork } from "@golem-sdk/golem-js";
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { check, checkEqual, order, runExample, sha256 } from "./lib/example.mjs";

/** 1 MiB + 17 bytes that every run makes alike: a chain of sha256 blocks. */
function fixedBytes(length) {
  const out = Buffer.alloc(length);
  let block = Buffer.from("golem-sandbox replay");
  for (let at = 0; at < length; at += 32) {
    block = createHash("sha256").update(block).digest();
    block.copy(out, at, 0, Math.min(32, length - at));
  }
  return out;
}

runExample("replayable-files", async () => {
  const dir = mkdtempSync(join(tmpdir(), "golem-replayable-"));
  const glm = new GolemNetwork();
  await glm.connect();
  try {
    const rental = await glm.oneOf({ order: order() });
    const exe = await rental.getExeUnit();

    const input = fixedBytes(1024 * 1024 + 17);
    writeFileSync(join(dir, "input.bin"), input);
    await exe.uploadFile(join(dir, "input.bin"), "/golem/input/input.bin");
    await exe.uploadData(new TextEncoder().encode("data from memory\n"), "/golem/input/data.txt");

    const made = await exe.run(
      "tr a-z A-Z < /golem/input/data.txt > /golem/output/result.txt && cat /golem/input/input.bin >> /golem/output/result.txt && sha256sum /golem/input/input.bin",
    );
    checkEqual(String(made.stdout).split(" ")[0], sha256(input), "sha256 of the uploaded file in the VM");
    const random = await exe.run("cat /proc/sys/kernel/random/uuid");
    check(/^[0-9a-f-]{36}\n$/.test(String(random.stdout)), "the VM printed a random uuid");

    await exe.downloadFile("/golem/output/result.txt", join(dir, "result.txt"));
    const downloaded = readFileSync(join(dir, "result.txt"));
    checkEqual(sha256(downloaded), sha256(Buffer.concat([Buffer.from("DATA FROM MEMORY\n"), input])), "sha256 of the downloaded file");

    await rental.stopAndFinalize();
  } finally {
    await glm.disconnect();
    rmSync(dir, { recursive: true, force: true });
  }
});
