// TaskExecutor's retry path, as on the network when a provider's VM dies: the sandbox is told
// (POST /_sandbox/faults) to crash the first VM as its first command runs. The command comes back
// as an Error result (golem-js does not throw for one), so the task throws a GolemWorkError, the one
// error TaskExecutor retries. Before it requeues the task, it destroys the rental and waits, with
// no timeout, for that agreement's invoice; the retry then needs a fresh Draft proposal for its new
// rental. Twice: on the open market (any provider may take the retry), and with only one provider
// allowed, whose retry works only because the provider offers itself again once its agreement ended.
import { GolemWorkError, OfferProposalFilterFactory, WorkErrorCode } from "@golem-sdk/golem-js";
import { TaskExecutor } from "@golem-sdk/task-executor";
import { check, checkEqual, order, runExample, sandbox, withFault } from "./lib/sandbox.mjs";

/** Runs one task through a crash and its retry; returns the providers of the two attempts. */
async function crashAndRetry(market) {
  return withFault({ fault: "crash-vm", atCommand: "run", times: 1 }, async (fault) => {
    const base = order();
    const executor = await TaskExecutor.create({ ...base, market: { ...base.market, ...market },
      task: { maxParallelTasks: 1, maxTaskRetries: 3 } });
    const started = [];
    const retried = [];
    const invoiced = new Set();
    executor.events.on("taskStarted", (task) => started.push({ agreementId: task.agreementId, provider: task.provider.name }));
    executor.events.on("taskRetried", (task) => retried.push(task));
    executor.glm.payment.events.on("invoiceAccepted", ({ invoice }) => invoiced.add(invoice.agreementId));
    try {
      const outcomes = [];
      const result = await executor.run(async (exe) => {
        const run = await exe.run("echo survived");
        outcomes.push(run.result);
        if (run.result !== "Ok") {
          throw new GolemWorkError(`the command failed: ${run.message}`, WorkErrorCode.ScriptExecutionFailed,
            exe.activity.agreement, exe.activity, exe.provider);
        }
        return String(run.stdout).trim();
      });
      checkEqual(result, "survived", "the task's result after the retry");
      checkEqual(outcomes.join(","), "Error,Ok", "the first attempt's command failed with its VM, the retry's ran");
      checkEqual(retried.length, 1, "taskRetried fired once");
      checkEqual(retried[0].retriesCount, 1, "the retried task counts one retry");
      check(/crash/.test(String(retried[0].error?.message)), `the retry's reason is the crash (${retried[0].error?.message})`);
      checkEqual(started.length, 2, "the task started twice");
      const [failed, succeeded] = started;
      check(failed.agreementId !== succeeded.agreementId, "the retry ran on a new rental (a new agreement)");
      checkEqual(retried[0].agreementId, failed.agreementId, "taskRetried names the failed rental's agreement");
      check(invoiced.has(failed.agreementId), "golem-js received and accepted the failed rental's invoice");

      const invoices = await sandbox("GET", "/payment-api/v1/invoices");
      const invoice = invoices.find((i) => i.agreementId === failed.agreementId);
      check(invoice !== undefined, "the sandbox issued an invoice for the failed agreement");
      checkEqual(invoice.status, "ACCEPTED", "the failed agreement's invoice status");
      const agreement = await sandbox("GET", `/market-api/v1/agreements/${failed.agreementId}`);
      checkEqual(agreement.state, "Terminated", "the failed rental's agreement state");
      const listed = await sandbox("GET", "/_sandbox/faults");
      checkEqual(listed.find((f) => f.id === fault.id)?.fired, 1, "the crash fault fired once");
      return [failed.provider, succeeded.provider];
    } finally {
      await executor.shutdown();
    }
  });
}

runExample("retry", async () => {
  const anywhere = await crashAndRetry({});
  console.log(`retry: open market: first attempt on ${anywhere[0]}, retried on ${anywhere[1]}`);
  const only = "alder";
  const same = await crashAndRetry({ offerProposalFilter: OfferProposalFilterFactory.allowProvidersByName([only]) });
  checkEqual(same.join(","), `${only},${only}`, "with one provider allowed, both attempts ran on it");
  console.log(`retry: only ${only} allowed: both attempts on ${only}`);
});
