// Several tasks at once, the 2.x way to map over data (TaskExecutor.map and forEach are gone
// since 2.0): one executor.run per item, awaited together; each task's result comes back to its item.
import { check, checkEqual, createExecutor, runExample } from "./lib/example.mjs";

runExample("tasks", async () => {
  const executor = await createExecutor({ maxParallelTasks: 3 });
  try {
    const items = ["alpha", "beta", "gamma", "delta", "epsilon"];
    const results = await Promise.all(
      items.map((item) => executor.run(async (ctx) => {
        const run = await ctx.run(`echo ${item} | tr a-z A-Z`);
        checkEqual(run.result, "Ok", `result of the task for ${item}`);
        return { item, output: String(run.stdout).trim(), provider: ctx.provider.name };
      })),
    );
    for (const { item, output } of results) {
      checkEqual(output, item.toUpperCase(), `output of the task for ${item}`);
    }
    const providers = new Set(results.map((r) => r.provider));
    check(providers.size >= 1, "the tasks ran on providers");
    console.log(`tasks: ${items.length} tasks on ${providers.size} provider(s): ${[...providers].join(", ")}`);
  } finally {
    await executor.shutdown();
  }
});
