// Two TaskExecutors side by side, each with its own app session: golem-js 2.x cancels a run that
// sees a payment document of another session's agreement, so one executor's invoice, sent while
// the other still polls, must reach only its own session.
import { checkEqual, createExecutor, loggedErrors, runExample } from "./lib/example.mjs";

runExample("two-sessions", async () => {
  const [first, second] = await Promise.all([createExecutor(), createExecutor()]);
  try {
    const one = await first.run(async (ctx) => ctx.run("echo first"));
    checkEqual(String(one.stdout).trim(), "first", "stdout of the first executor's task");
    await first.shutdown(); // its invoice arrives now, while the second one polls for its own
    const two = await second.run(async (ctx) => ctx.run("echo second"));
    checkEqual(String(two.stdout).trim(), "second", "stdout of the second executor's task");
  } finally {
    await Promise.all([first.shutdown(), second.shutdown()]);
  }
  checkEqual(loggedErrors.length, 0, `errors golem-js logged (${loggedErrors.join("; ")})`);
});
