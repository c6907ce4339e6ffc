// runAndStream: output arrives while the command runs, through the activity's SSE stream.
import { GolemNetwork } from "@golem-sdk/golem-js";
import { check, checkEqual, order, runExample } from "./lib/example.mjs";

runExample("stream", async () => {
  const glm = new GolemNetwork();
  await glm.connect();
  try {
    const rental = await glm.oneOf({ order: order() });
    const exe = await rental.getExeUnit();
    const process = await exe.runAndStream(
      "for i in 1 2 3 4 5; do echo line $i; sleep 0.3; done; echo done >&2",
    );
    let stdout = "";
    let stderr = "";
    const arrivals = [];
    process.stdout.subscribe((chunk) => {
      stdout += String(chunk);
      arrivals.push(Date.now());
    });
    process.stderr.subscribe((chunk) => (stderr += String(chunk)));
    const finished = await process.waitForExit(60_000);
    checkEqual(finished.result, "Ok", "result of the streamed command");
    checkEqual(stdout, "line 1\nline 2\nline 3\nline 4\nline 5\n", "streamed stdout");
    checkEqual(stderr, "done\n", "streamed stderr");
    check(arrivals.length >= 2 && arrivals.at(-1) - arrivals[0] >= 500,
      `output arrived in pieces while the command ran (${arrivals.length} chunks)`);
    await rental.stopAndFinalize();
  } finally {
    await glm.disconnect();
  }
});
