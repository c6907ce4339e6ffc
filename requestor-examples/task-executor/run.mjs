// The README's hello world of TaskExecutor: one task, its result returned by executor.run.
import { TaskExecutor } from "@golem-sdk/task-executor";
import { check, checkEqual, order, runExample } from "./lib/sandbox.mjs";

runExample("run", async () => {
  const executor = await TaskExecutor.create(order());
  const events = [];
  for (const name of ["taskQueued", "taskStarted", "taskCompleted", "taskRetried", "taskFailed"]) {
    executor.events.on(name, () => events.push(name));
  }
  try {
    const result = await executor.run(async (exe) => {
      const hello = await exe.run("echo 'Hello World'");
      const uname = await exe.run("uname -m");
      return { hello: String(hello.stdout), arch: String(uname.stdout).trim(), provider: exe.provider.name };
    });
    checkEqual(result.hello, "Hello World\n", "the task's stdout");
    checkEqual(result.arch, "x86_64", "the VM's architecture");
    check(result.provider.length > 0, "the task knows its provider");
    checkEqual(events.join(","), "taskQueued,taskStarted,taskCompleted", "the task's events");
  } finally {
    await executor.shutdown();
  }
});
