// TaskExecutor survives a provider whose VM crashes: the sandbox is told (POST /_sandbox/faults)
// to crash the first VM as its first command runs; the task reports the failed command as a
// GolemWorkError (what TaskExecutor retries), the executor retries it on a new rental and it
// succeeds. The fault is removed afterwards.
import { GolemWorkError, WorkErrorCode } from "@golem-sdk/golem-js";
import { TaskExecutor } from "@golem-sdk/task-executor";
import { check, checkEqual, order, runExample } from "./lib/example.mjs";

async function sandbox(method, path, body) {
  const response = await fetch(process.env.YAGNA_API_URL + path, {
    method,
    headers: { Authorization: `Bearer ${process.env.YAGNA_APPKEY}`, "Content-Type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`);
  return text ? JSON.parse(text) : null;
}

runExample("task-executor-retry", async () => {
  const fault = await sandbox("POST", "/_sandbox/faults", { fault: "crash-vm", atCommand: "run", times: 1 });
  const executor = await TaskExecutor.create({ ...order(), task: { maxParallelTasks: 1, maxTaskRetries: 3 } });
  try {
    let attempts = 0;
    const result = await executor.run(async (exe) => {
      attempts++;
      const run = await exe.run("echo survived");
      if (run.result !== "Ok") {
        throw new GolemWorkError(`attempt ${attempts}: ${run.message}`, WorkErrorCode.ScriptExecutionFailed,
          exe.activity.agreement, exe.activity, exe.provider);
      }
      return String(run.stdout).trim();
    });
    checkEqual(result, "survived", "the task's result after the retry");
    check(attempts >= 2, `the task was retried after the crash (attempts: ${attempts})`);
    const listed = await sandbox("GET", "/_sandbox/faults");
    checkEqual(listed.find((f) => f.id === fault.id)?.fired, 1, "the crash fault fired once");
  } finally {
    await executor.shutdown();
    await sandbox("DELETE", `/_sandbox/faults/${fault.id}`);
  }
});
