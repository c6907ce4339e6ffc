// The docs' forEach pattern: one item after another, each awaited. Finished tasks hand their
// rental back to the pool, so the next task gets the same provider and the same exe unit (VM),
// where what the previous task wrote is still there, as on a provider.
import { TaskExecutor } from "@golem-sdk/task-executor";
import { checkEqual, order, runExample } from "./lib/sandbox.mjs";

runExample("foreach", async () => {
  const executor = await TaskExecutor.create({ ...order(), task: { maxParallelTasks: 1 } });
  try {
    const seen = [];
    for (const item of ["a", "b", "c"]) {
      const result = await executor.run(async (exe) => {
        const run = await exe.run(`echo ${item} >> /golem/work/items && cat /golem/work/items | tr -d '\\n'`);
        return { items: String(run.stdout), activity: exe.activity.id, provider: exe.provider.name };
      });
      seen.push(result);
    }
    checkEqual(seen.map((s) => s.items).join(","), "a,ab,abc", "each task saw what the earlier ones wrote");
    checkEqual(new Set(seen.map((s) => s.activity)).size, 1, "all tasks ran in one exe unit");
    checkEqual(new Set(seen.map((s) => s.provider)).size, 1, "all tasks ran on one provider");
  } finally {
    await executor.shutdown();
  }
});
