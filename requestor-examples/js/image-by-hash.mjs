// An image named by its SHA3-224 hash rather than a tag, as gvmkit-build prints it.
import { GolemNetwork } from "@golem-sdk/golem-js";
import { check, checkEqual, imageTag, order, runExample } from "./lib/example.mjs";

runExample("image-by-hash", async () => {
  const registry = process.env.GOLEM_REGISTRY_URL;
  check(registry, "GOLEM_REGISTRY_URL is set");
  const info = await (await fetch(`${registry}/v1/image/info?tag=${encodeURIComponent(imageTag)}`)).json();
  check(/^[0-9a-f]{56}$/.test(info.sha3), `the registry knows ${imageTag} (${JSON.stringify(info)})`);

  const glm = new GolemNetwork();
  await glm.connect();
  try {
    const rental = await glm.oneOf({ order: order({ imageHash: info.sha3 }) });
    const exe = await rental.getExeUnit();
    checkEqual(String((await exe.run("pwd")).stdout).trim(), "/golem/work", "WORKDIR of the image");
    await rental.stopAndFinalize();
  } finally {
    await glm.disconnect();
  }
});
