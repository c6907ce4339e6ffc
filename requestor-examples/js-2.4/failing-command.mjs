// A command that fails: its result says Error with the command's stderr and exit code, the task
// goes on, and the next command in the same VM still runs.
import { check, checkEqual, createExecutor, runExample } from "./lib/example.mjs";

runExample("failing-command", async () => {
  const executor = await createExecutor({ maxTaskRetries: 0 });
  try {
    const [failed, after] = await executor.run(async (ctx) => [
      await ctx.run("ls /no/such/dir"),
      await ctx.run("echo still here"),
    ]);
    checkEqual(failed.result, "Error", "result of the failing ls");
    check(String(failed.stderr).includes("/no/such/dir"), `stderr names the missing directory: ${JSON.stringify(failed.stderr)}`);
    check(/code 1\b/.test(String(failed.message)),
      `the message gives the exit code: ${JSON.stringify(failed.message)}`);
    checkEqual(after.result, "Ok", "result of the next command");
    checkEqual(String(after.stdout).trim(), "still here", "stdout of the next command");
  } finally {
    await executor.shutdown();
  }
});
