// Files in and out of a task through golem-js's default storage (GSB WebSocket gftp), as the docs'
// sending-data examples do, with the app key they hard-code (`api: { key: "try_golem" }`): several
// uploadFile, an uploadJson, several downloadFile, checksums compared on both sides.
import { TaskExecutor } from "@golem-sdk/task-executor";
import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { checkEqual, docsAppKey, order, runExample, sha256 } from "./lib/sandbox.mjs";

runExample("files", async () => {
  const dir = mkdtempSync(join(tmpdir(), "golem-te-files-"));
  const key = await docsAppKey();
  const me = await (await fetch(`${process.env.YAGNA_API_URL}/me`, { headers: { Authorization: `Bearer ${key}` } })).json();
  checkEqual(me.name, "try-golem", "the name /me gives the docs' key");
  const executor = await TaskExecutor.create({ ...order(), api: { key } });
  try {
    const inputs = { "a.bin": randomBytes(1024 * 1024 + 3), "b.bin": randomBytes(70 * 1024), "empty.bin": Buffer.alloc(0) };
    for (const [name, bytes] of Object.entries(inputs)) {
      writeFileSync(join(dir, name), bytes);
    }
    const settings = { sizes: [1, 2, 3], label: "zażółć" };
    const produced = await executor.run(async (exe) => {
      for (const name of Object.keys(inputs)) {
        await exe.uploadFile(join(dir, name), `/golem/input/${name}`);
      }
      await exe.uploadJson(settings, "/golem/input/settings.json");
      const sums = await exe.run("cd /golem/input && sha256sum a.bin b.bin empty.bin");
      const json = await exe.run("cat /golem/input/settings.json");
      const made = await exe.run("cd /golem/output && head -c 300000 /dev/urandom > x.bin && echo done > y.txt && sha256sum x.bin y.txt");
      await exe.downloadFile("/golem/output/x.bin", join(dir, "x.bin"));
      await exe.downloadFile("/golem/output/y.txt", join(dir, "y.txt"));
      return { sums: String(sums.stdout), json: String(json.stdout), made: String(made.stdout) };
    });

    const remote = Object.fromEntries(produced.sums.trim().split("\n").map((line) => line.split(/\s+/).reverse()));
    for (const [name, bytes] of Object.entries(inputs)) {
      checkEqual(remote[name], sha256(bytes), `sha256 of the uploaded ${name} in the VM`);
    }
    checkEqual(JSON.stringify(JSON.parse(produced.json)), JSON.stringify(settings), "the uploaded JSON read back in the VM");
    const made = Object.fromEntries(produced.made.trim().split("\n").map((line) => line.split(/\s+/).reverse()));
    for (const name of ["x.bin", "y.txt"]) {
      checkEqual(sha256(readFileSync(join(dir, name))), made[name], `sha256 of the downloaded ${name}`);
    }
    checkEqual(readFileSync(join(dir, "x.bin")).length, 300000, "size of the downloaded x.bin");
    checkEqual(readFileSync(join(dir, "y.txt"), "utf8"), "done\n", "content of the downloaded y.txt");
  } finally {
    await executor.shutdown();
    rmSync(dir, { recursive: true, force: true });
  }
});
