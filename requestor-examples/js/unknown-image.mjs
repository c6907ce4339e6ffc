// An image the registry does not hold: golem-js fails before it places a demand, and its error
// carries the registry's explanation (which tag, and how to make it available).
import { GolemNetwork } from "@golem-sdk/golem-js";
import { check, order, runExample } from "./lib/example.mjs";

const missing = "nobody/not-pushed-anywhere:1";

runExample("unknown-image", async () => {
  const glm = new GolemNetwork();
  await glm.connect();
  let failure;
  try {
    await glm.oneOf({ order: order({ imageTag: missing }), signalOrTimeout: 60_000 });
  } catch (error) {
    failure = error;
  } finally {
    await glm.disconnect();
  }
  check(failure, `renting with the unknown image ${missing} fails`);
  const message = String(failure?.message ?? failure);
  for (const part of [missing, "golem-sandbox image push", "golem-sandbox image build", "golem-sandbox image convert",
    "stand-in", "--upstream-registry"]) {
    check(message.includes(part), `golem-js's error names "${part}": ${message}`);
  }
});
