// The TaskExecutor quick start of golem-js 2.x: one task, one command, shutdown.
import { checkEqual, createExecutor, runExample } from "./lib/example.mjs";

runExample("hello", async () => {
  const executor = await createExecutor();
  try {
    const result = await executor.run(async (ctx) => ctx.run("echo 'Hello, Golem!'"));
    checkEqual(result.result, "Ok", "result of echo");
    checkEqual(String(result.stdout).trim(), "Hello, Golem!", "stdout of echo");
  } finally {
    await executor.shutdown();
  }
});
