// maxTaskRetries: a task whose first attempt fails is run again, and succeeds. golem-js 2.x drops
// the activity of a failed attempt, so the retry runs on a fresh VM: the marker the first
// attempt left in the VM is not there any more.
import { checkEqual, createExecutor, runExample } from "./lib/example.mjs";

runExample("retry", async () => {
  const executor = await createExecutor({ maxTaskRetries: 2 });
  try {
    const seen = [];
    const result = await executor.run(async (ctx) => {
      const run = await ctx.run("if [ -e /golem/work/marker ]; then echo marked; else touch /golem/work/marker; echo fresh; fi");
      checkEqual(run.result, "Ok", "the marker command");
      seen.push(String(run.stdout).trim());
      if (seen.length === 1) {
        throw new Error("the first attempt fails on purpose");
      }
      return seen.at(-1);
    });
    checkEqual(seen.length, 2, "attempts of the task");
    checkEqual(result, "fresh", "the retry ran on a fresh VM (no marker from the first attempt)");
  } finally {
    await executor.shutdown();
  }
});
