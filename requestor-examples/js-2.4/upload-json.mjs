// uploadJson: golem-js 2.x writes the value to a temp file and publishes it with gftp; the VM reads it back.
import { checkEqual, createExecutor, runExample } from "./lib/example.mjs";

runExample("upload-json", async () => {
  const executor = await createExecutor();
  try {
    const value = { task: "render", frames: [1, 2, 3], note: "ünïcödé" };
    const read = await executor.run(async (ctx) => {
      checkEqual((await ctx.uploadJson(value, "/golem/input/params.json")).result, "Ok", "uploadJson");
      return ctx.run("cat /golem/input/params.json");
    });
    checkEqual(read.result, "Ok", "cat of the uploaded JSON");
    checkEqual(JSON.stringify(JSON.parse(String(read.stdout))), JSON.stringify(value), "the JSON the VM read");
  } finally {
    await executor.shutdown();
  }
});
