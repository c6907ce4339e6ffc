// Scan the market before ordering anything, as a requestor does to see what the network offers:
// every provider of the fleet shows up with the resources, prices and addresses golem-js reads,
// and a scan with resource limits shows exactly the providers that meet them.
import { GolemNetwork } from "@golem-sdk/golem-js";
import { check, checkEqual, runExample } from "./lib/example.mjs";

/** The offers a scan for `spec` (the options golem-js turns into constraints) sees until every id in `expected` is among them. */
function scanUntil(glm, spec, expected, seconds = 30) {
  return new Promise((resolve, reject) => {
    const seen = new Map();
    let subscription;
    const timer = setTimeout(() => {
      subscription?.unsubscribe();
      reject(new Error(`scan ${JSON.stringify(spec)} saw ${[...seen.keys()].length} of ${expected.size} offers in ${seconds} s`));
    }, seconds * 1000);
    const done = () => {
      clearTimeout(timer);
      subscription.unsubscribe();
      resolve(seen);
    };
    subscription = glm.market.scan(glm.market.buildScanSpecification(spec)).subscribe({
      next: (offer) => {
        seen.set(offer.provider.id, offer);
        if ([...expected].every((id) => seen.has(id))) setImmediate(done);
      },
      error: (error) => {
        clearTimeout(timer);
        reject(error);
      },
    });
  });
}

runExample("scan", async () => {
  const fleet = (await (await fetch(`${process.env.YAGNA_API_URL}/_sandbox/info`)).json()).providers;
  check(fleet.length > 0, "the sandbox has providers");
  const glm = new GolemNetwork();
  await glm.connect();
  try {
    const all = await scanUntil(glm, { payment: { network: "holesky" } }, new Set(fleet.map((p) => p.nodeId)));
    checkEqual(all.size, fleet.length, "offers seen by a scan without limits");
    for (const provider of fleet) {
      const offer = all.get(provider.nodeId);
      checkEqual(offer.provider.name, provider.name, "provider name");
      checkEqual(offer.cpuThreads, provider.threads, `threads of ${provider.name}`);
      checkEqual(offer.memoryGib, provider.memGib, `memory of ${provider.name}`);
      checkEqual(offer.storageGib, provider.storageGib, `storage of ${provider.name}`);
      checkEqual(offer.runtimeName, "vm", `runtime of ${provider.name}`);
      check(Array.isArray(offer.runtimeCapabilities), `capabilities of ${provider.name} are a list`);
      checkEqual(offer.paymentPlatformAddresses["erc20-holesky-tglm"], provider.nodeId, `holesky address of ${provider.name}`);
      const [cpuSec, envSec, start] = provider.priceCoeffs;
      checkEqual(offer.pricing.cpuSec, cpuSec, `CPU price of ${provider.name}`);
      checkEqual(offer.pricing.envSec, envSec, `duration price of ${provider.name}`);
      checkEqual(offer.pricing.start, start, `start price of ${provider.name}`);
      check(offer.getEstimatedCost(1) >= start, `an hour of ${provider.name} costs at least its start price`);
    }

    const big = fleet.filter((p) => p.threads >= 4 && p.memGib >= 8);
    check(big.length > 0 && big.length < fleet.length, "the fleet has big and small providers");
    const bigSpec = { workload: { minCpuThreads: 4, minMemGib: 8 } };
    const seen = await scanUntil(glm, bigSpec, new Set(big.map((p) => p.nodeId)));
    for (const offer of seen.values()) {
      check(offer.cpuThreads >= 4 && offer.memoryGib >= 8, `${offer.provider.name} meets the scan's limits`);
    }
    checkEqual(seen.size, big.length, "offers seen by a scan for at least 4 threads and 8 GiB");
  } finally {
    await glm.disconnect();
  }
});
