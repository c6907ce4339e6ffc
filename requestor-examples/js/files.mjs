// Files in and out of the VM through golem-js's default storage (GSB WebSocket gftp):
// uploadFile, uploadData and downloadFile, with checksums compared on both sides.
import { GolemNetwork } from "@golem-sdk/golem-js";
import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { check, checkEqual, order, runExample, sha256 } from "./lib/example.mjs";

runExample("files", async () => {
  const dir = mkdtempSync(join(tmpdir(), "golem-files-"));
  const glm = new GolemNetwork();
  await glm.connect();
  try {
    const rental = await glm.oneOf({ order: order() });
    const exe = await rental.getExeUnit();

    const input = randomBytes(3 * 1024 * 1024 + 17);
    writeFileSync(join(dir, "input.bin"), input);
    await exe.uploadFile(join(dir, "input.bin"), "/golem/input/input.bin");
    const remoteSum = await exe.run("sha256sum /golem/input/input.bin");
    checkEqual(String(remoteSum.stdout).split(" ")[0], sha256(input), "sha256 of the uploaded file in the VM");

    await exe.uploadData(new TextEncoder().encode("data from memory\n"), "/golem/input/data.txt");
    const cat = await exe.run("cat /golem/input/data.txt");
    checkEqual(String(cat.stdout), "data from memory\n", "uploaded data read back in the VM");

    const made = await exe.run(
      "dd if=/dev/urandom of=/golem/output/result.bin bs=1024 count=700 2>/dev/null && sha256sum /golem/output/result.bin",
    );
    const producedSum = String(made.stdout).split(" ")[0];
    await exe.downloadFile("/golem/output/result.bin", join(dir, "result.bin"));
    const downloaded = readFileSync(join(dir, "result.bin"));
    checkEqual(downloaded.length, 700 * 1024, "size of the downloaded file");
    checkEqual(sha256(downloaded), producedSum, "sha256 of the downloaded file");
    check(producedSum.length === 64, "the VM printed a sha256");

    await rental.stopAndFinalize();
  } finally {
    await glm.disconnect();
    rmSync(dir, { recursive: true, force: true });
  }
});
