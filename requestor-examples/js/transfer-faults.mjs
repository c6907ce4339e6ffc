// A requestor meets a transfer that breaks off and a provider whose disk is full, both asked of the
// sandbox (POST /_sandbox/faults) for this one activity: golem-js's uploadFile and downloadFile
// answer an Error with the exe-unit's text, a command writing in the VM fails with "No space left on device", and once
// the faults are removed the same upload and write work.
import { GolemNetwork } from "@golem-sdk/golem-js";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { check, checkEqual, order, runExample, sha256 } from "./lib/example.mjs";

async function sandbox(method, path, body) {
  const response = await fetch(process.env.YAGNA_API_URL + path, {
    method,
    headers: { Authorization: `Bearer ${process.env.YAGNA_APPKEY}`, "Content-Type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`);
  return text ? JSON.parse(text) : null;
}

/** Why a command failed: golem-js answers a failed command with a Result whose result is "Error". */
async function failure(command) {
  const result = await command;
  checkEqual(result.result, "Error", "the command's result");
  return String(result.message);
}

runExample("transfer-faults", async () => {
  const dir = mkdtempSync(join(tmpdir(), "golem-transfer-faults-"));
  const glm = new GolemNetwork();
  await glm.connect();
  const added = [];
  try {
    const rental = await glm.oneOf({ order: order() });
    const exe = await rental.getExeUnit();
    const activity = exe.activity.id;
    const input = randomBytes(256 * 1024);
    writeFileSync(join(dir, "input.bin"), input);

    const broken = await sandbox("POST", "/_sandbox/faults", { fault: "fail-transfer", afterBytes: 65536, times: 1, activity });
    added.push(broken.id);
    const reset = await failure(exe.uploadFile(join(dir, "input.bin"), "/golem/input/input.bin"));
    check(reset.includes("Transfer error") && reset.includes("Connection reset"), `the upload failed as a reset connection: ${reset}`);
    checkEqual((await sandbox("GET", "/_sandbox/faults")).find((f) => f.id === broken.id)?.fired, 1, "the fail-transfer fault fired once");

    const cut = await sandbox("POST", "/_sandbox/faults", { fault: "fail-transfer", afterBytes: 5000, times: 1, activity });
    added.push(cut.id);
    await exe.run("dd if=/dev/urandom of=/golem/output/result.bin bs=1000 count=300");
    const download = await failure(exe.downloadFile("/golem/output/result.bin", join(dir, "result.bin")));
    check(download.includes("Connection reset"), `the download failed as a reset connection: ${download}`);

    const full = await sandbox("POST", "/_sandbox/faults", { fault: "disk-full", activity });
    added.push(full.id);
    const write = await exe.run("echo hello > /tmp/hello");
    checkEqual(write.result, "Error", "a write in the VM on a full disk");
    check(String(write.stderr).includes("No space left on device"), `the write said ENOSPC: ${write.stderr}`);
    const noSpace = await failure(exe.uploadFile(join(dir, "input.bin"), "/golem/input/input.bin"));
    check(noSpace.includes("No space left on device"), `the upload into a volume said ENOSPC: ${noSpace}`);

    await sandbox("DELETE", `/_sandbox/faults/${full.id}`);
    checkEqual((await exe.uploadFile(join(dir, "input.bin"), "/golem/input/input.bin")).result, "Ok", "the upload once the faults are gone");
    const sum = await exe.run("echo hello > /tmp/hello && sha256sum /golem/input/input.bin");
    checkEqual(String(sum.stdout).split(" ")[0], sha256(input), "sha256 of the upload once the faults are gone");

    await rental.stopAndFinalize();
  } finally {
    for (const id of added) await sandbox("DELETE", `/_sandbox/faults/${id}`).catch(() => {});
    await glm.disconnect();
    rmSync(dir, { recursive: true, force: true });
  }
});
