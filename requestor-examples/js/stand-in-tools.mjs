// The public images most examples name hold their tools here too: golem/node:20-alpine runs node,
// golem/python:latest runs python3, and the Node.js image hash of the Golem docs runs node.
// (The sandbox builds these stand-ins from Debian packages on first use, which takes a minute.)
import { GolemNetwork } from "@golem-sdk/golem-js";
import { checkEqual, order, runExample } from "./lib/example.mjs";

const DOCS_NODE_IMAGE_HASH = "529f7fdaf1cf46ce3126eb6bbcd3b213c314fe8fe884914f5d1106d4";

async function runIn(glm, workload, command) {
  const rental = await glm.oneOf({ order: order(workload) });
  try {
    const exe = await rental.getExeUnit();
    const result = await exe.run(command);
    checkEqual(result.result, "Ok", `result of ${command} in ${JSON.stringify(workload)}`);
    return String(result.stdout).trim();
  } finally {
    await rental.stopAndFinalize();
  }
}

runExample("stand-in-tools", async () => {
  const glm = new GolemNetwork();
  await glm.connect();
  try {
    checkEqual(await runIn(glm, { imageTag: "golem/node:20-alpine" }, `node -e "console.log(6 * 7)"`), "42", "node -e");
    checkEqual(await runIn(glm, { imageTag: "golem/python:latest" }, `python3 -c "print(6 * 7)"`), "42", "python3 -c");
    checkEqual(await runIn(glm, { imageHash: DOCS_NODE_IMAGE_HASH }, `node -p "'from the docs image'"`),
      "from the docs image", "node -p in the docs' Node.js image");
  } finally {
    await glm.disconnect();
  }
}, Number(process.env.EXAMPLE_DEADLINE_S ?? 600));
