// TaskExecutor spreads tasks over several providers in parallel.
import { TaskExecutor } from "@golem-sdk/task-executor";
import { check, checkEqual, order, runExample } from "./lib/example.mjs";

runExample("task-executor", async () => {
  const executor = await TaskExecutor.create({ ...order(), task: { maxParallelTasks: 3 } });
  try {
    const tasks = [1, 2, 3, 4, 5, 6].map((n) =>
      executor.run(async (exe) => {
        const result = await exe.run(`echo $((${n} * ${n}))`);
        return { n, square: Number(String(result.stdout).trim()), provider: exe.provider.name };
      }),
    );
    const results = await Promise.all(tasks);
    for (const { n, square } of results) {
      checkEqual(square, n * n, `square of ${n}`);
    }
    const providers = new Set(results.map((r) => r.provider));
    check(providers.size >= 2, `tasks ran on several providers (${[...providers].join(", ")})`);
  } finally {
    await executor.shutdown();
  }
});
