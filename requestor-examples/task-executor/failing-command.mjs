// The docs' failing command: a command that exits non-zero is a result, not an exception. The
// task completes with an Error result (exit code and stderr in it) and is not retried.
import { TaskExecutor } from "@golem-sdk/task-executor";
import { check, checkEqual, order, runExample } from "./lib/sandbox.mjs";

runExample("failing-command", async () => {
  const executor = await TaskExecutor.create(order());
  let retries = 0;
  executor.events.on("taskRetried", () => retries++);
  try {
    // As in the docs: a mistake, 'node -w' instead of 'node -v' (and the image has no node at all).
    const result = await executor.run(async (exe) => await exe.run("node -w"));
    checkEqual(result.result, "Error", "the command's result");
    checkEqual(result.message, "ExeScript command exited with code 127", "the message, worded as the exe-unit words it");
    check(/node: not found/.test(String(result.stderr)), `stderr says node is missing (${result.stderr})`);
    const exit = await executor.run(async (exe) => await exe.run("echo partial; echo broken >&2; exit 3"));
    checkEqual(exit.result, "Error", "a command exiting 3");
    checkEqual(String(exit.stdout), "partial\n", "its stdout");
    checkEqual(String(exit.stderr), "broken\n", "its stderr");
    checkEqual(exit.message, "ExeScript command exited with code 3", "its message");
    checkEqual(retries, 0, "failed commands are not retried");
  } finally {
    await executor.shutdown();
  }
});
