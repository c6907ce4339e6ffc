// Several commands in one ExeScript batch: each sees what the previous one wrote.
import { GolemNetwork } from "@golem-sdk/golem-js";
import { checkEqual, order, runExample } from "./lib/example.mjs";

runExample("batch", async () => {
  const glm = new GolemNetwork();
  await glm.connect();
  try {
    const rental = await glm.oneOf({ order: order() });
    const exe = await rental.getExeUnit();
    const results = await exe
      .beginBatch()
      .run("echo first > /golem/work/log.txt")
      .run("echo second >> /golem/work/log.txt")
      .run("cat /golem/work/log.txt")
      .end();
    checkEqual(results.length, 3, "number of results");
    checkEqual(results.map((r) => r.result).join(","), "Ok,Ok,Ok", "results");
    checkEqual(String(results[2].stdout), "first\nsecond\n", "stdout of the last command");
    await rental.stopAndFinalize();
  } finally {
    await glm.disconnect();
  }
});
