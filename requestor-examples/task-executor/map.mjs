// The docs' map pattern: one executor.run per item, all at once, settled together. TaskExecutor
// spreads them over several providers, at most maxParallelTasks at a time.
import { TaskExecutor } from "@golem-sdk/task-executor";
import { check, checkEqual, order, runExample } from "./lib/sandbox.mjs";

runExample("map", async () => {
  const executor = await TaskExecutor.create({ ...order(), task: { maxParallelTasks: 3 } });
  let running = 0;
  let mostAtOnce = 0;
  executor.events.on("taskStarted", () => (mostAtOnce = Math.max(mostAtOnce, ++running)));
  executor.events.on("taskCompleted", () => running--);
  try {
    const data = [1, 2, 3, 4, 5, 6];
    const settled = await Promise.allSettled(data.map((n) =>
      executor.run(async (exe) => {
        const result = await exe.run(`echo $((${n} * ${n}))`);
        return { n, square: Number(String(result.stdout).trim()), provider: exe.provider.name };
      }),
    ));
    const failures = settled.filter((s) => s.status === "rejected").map((s) => String(s.reason));
    checkEqual(failures.length, 0, `failed tasks (${failures.join("; ")})`);
    const results = settled.map((s) => s.value);
    for (const { n, square } of results) {
      checkEqual(square, n * n, `square of ${n}`);
    }
    const providers = new Set(results.map((r) => r.provider));
    check(providers.size >= 2, `tasks ran on several providers (${[...providers].join(", ")})`);
    check(mostAtOnce >= 2 && mostAtOnce <= 3, `2 to 3 tasks ran at once, never more than maxParallelTasks (${mostAtOnce})`);
  } finally {
    await executor.shutdown();
  }
});
