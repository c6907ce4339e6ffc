// Files in and out of the VM with golem-js 2.x's gftp storage: uploadFile of three files, a
// command that reads them, downloadFile of what it wrote, all checked byte for byte.
import { createHash, randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { checkEqual, createExecutor, runExample } from "./lib/example.mjs";

const sha256 = (bytes) => createHash("sha256").update(bytes).digest("hex");

runExample("files", async () => {
  const dir = mkdtempSync(join(tmpdir(), "golem-js-2-files-"));
  const executor = await createExecutor();
  try {
    const names = ["one.bin", "two.bin", "three.txt"];
    const contents = [randomBytes(200_000), randomBytes(3 * 1024 * 1024 + 17), Buffer.from("plain text\n")];
    names.forEach((name, i) => writeFileSync(join(dir, name), contents[i]));

    const listing = await executor.run(async (ctx) => {
      for (const name of names) {
        checkEqual((await ctx.uploadFile(join(dir, name), `/golem/input/${name}`)).result, "Ok", `upload of ${name}`);
      }
      const run = await ctx.run("cd /golem/input && sha256sum one.bin two.bin three.txt"
        + " && cat one.bin two.bin three.txt > /golem/output/all.bin && cp three.txt /golem/output/copy.txt");
      checkEqual(run.result, "Ok", "the command reading the uploads");
      for (const name of ["all.bin", "copy.txt"]) {
        checkEqual((await ctx.downloadFile(`/golem/output/${name}`, join(dir, `got-${name}`))).result, "Ok", `download of ${name}`);
      }
      return String(run.stdout);
    });

    const expected = names.map((name, i) => `${sha256(contents[i])}  ${name}`).join("\n");
    checkEqual(listing.trim(), expected, "sha256sum of the uploads inside the VM");
    checkEqual(sha256(readFileSync(join(dir, "got-all.bin"))), sha256(Buffer.concat(contents)), "the downloaded all.bin");
    checkEqual(readFileSync(join(dir, "got-copy.txt"), "utf8"), "plain text\n", "the downloaded copy.txt");
  } finally {
    await executor.shutdown();
    rmSync(dir, { recursive: true, force: true });
  }
});
