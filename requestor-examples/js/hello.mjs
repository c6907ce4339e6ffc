// Rent one provider, run one command, disconnect: the smallest complete requestor flow.
import { GolemNetwork } from "@golem-sdk/golem-js";
import { checkEqual, order, runExample } from "./lib/example.mjs";

runExample("hello", async () => {
  const glm = new GolemNetwork();
  await glm.connect();
  try {
    const rental = await glm.oneOf({ order: order() });
    const exe = await rental.getExeUnit();
    const result = await exe.run("echo Hello, Golem!");
    checkEqual(result.result, "Ok", "result of echo");
    checkEqual(String(result.stdout).trim(), "Hello, Golem!", "stdout of echo");
    await rental.stopAndFinalize();
  } finally {
    await glm.disconnect();
  }
});
