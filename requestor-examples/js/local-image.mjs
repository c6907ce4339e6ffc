// An image from the requestor's own disk: golem-js serves the file over GSB (imageUrl: "file://...")
// and the provider downloads it from the requestor, checks its hash and boots it.
// The image is ../shared/fixtures/alpine.gvmi beside the repository (written by gvmkit-build),
// or the file named by EXAMPLE_LOCAL_GVMI.
import { GolemNetwork } from "@golem-sdk/golem-js";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { checkEqual, check, order, runExample } from "./lib/example.mjs";

const gvmi =
  process.env.EXAMPLE_LOCAL_GVMI ?? fileURLToPath(new URL("../../../shared/fixtures/alpine.gvmi", import.meta.url));

runExample("local-image", async () => {
  check(existsSync(gvmi), `the local image ${gvmi} exists (set EXAMPLE_LOCAL_GVMI to another .gvmi file)`);
  const glm = new GolemNetwork();
  await glm.connect();
  try {
    const rental = await glm.oneOf({ order: order({ imageUrl: `file://${gvmi}` }) });
    const exe = await rental.getExeUnit();
    const result = await exe.run("cat /golem/work/hello.txt");
    checkEqual(result.result, "Ok", "result of cat");
    checkEqual(String(result.stdout).trim(), "hello from my local image 👋", "the line the image's Dockerfile wrote");
    await rental.stopAndFinalize();
  } finally {
    await glm.disconnect();
  }
});
