// Outbound access by computation manifest. The requestor serves a page on this machine and sends
// a manifest (golem-js's workload.manifest, base64) that lists its URL: a provider whose rules
// accept it runs the manifest's image, and its VM fetches the page with busybox wget, while
// another local port the manifest does not list stays out of reach. Then a manifest asking for
// unrestricted access, offered only to providers that let everyone out to whitelisted hosts only:
// each rejects the counter-proposal with ya-provider's reason, which golem-js hears and the
// sandbox's near-miss explanation of the demand states.
import { GolemNetwork } from "@golem-sdk/golem-js";
import { createServer } from "node:http";
import { check, checkEqual, imageTag, order, runExample } from "./lib/example.mjs";

// The manifest names this machine's servers by loopback; the VM reaches the host's loopback at its
// outbound gateway, 10.42.42.1 (as QEMU's user network shows the host at 10.0.2.2).
const gateway = "10.42.42.1";
// Providers of the default fleet whose everyone rule is "whitelist" (see the README).
const whitelistProviders = ["alder", "cedar", "fir", "hazel", "maple"];
const rejectedEverywhere = "Outbound rejected because: Everyone rule didn't match whitelist ; "
  + "Audited-Payload rule requires manifest signature ; Partner rule requires node descriptor ; ";

async function sandbox(method, path, body) {
  const response = await fetch(process.env.YAGNA_API_URL + path, {
    method,
    headers: { Authorization: `Bearer ${process.env.YAGNA_APPKEY}`, "Content-Type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`);
  return text ? JSON.parse(text) : null;
}

/** An HTTP server on 127.0.0.1 answering every request with `body`; counts the requests it gets. */
function serve(body) {
  return new Promise((resolve) => {
    const served = { hits: 0 };
    served.server = createServer((request, response) => {
      served.hits++;
      response.end(body);
    });
    served.server.listen(0, "127.0.0.1", () => {
      served.port = served.server.address().port;
      resolve(served);
    });
  });
}

/** The manifest golem-js takes as workload.manifest: the image to run and the outbound access asked for. */
async function manifest(out) {
  const info = await (await fetch(`${process.env.GOLEM_REGISTRY_URL}/v1/image/info?tag=${imageTag}`)).json();
  const now = new Date();
  const json = {
    version: "0.1.0",
    createdAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + 3_600_000).toISOString(),
    metadata: { name: "outbound example", version: "1.0.0" },
    payload: [{ platform: { arch: "x86_64", os: "linux" }, urls: [info.http], hash: `sha3:${info.sha3}` }],
    compManifest: { version: "0.1.0", net: { inet: { out } } },
  };
  return Buffer.from(JSON.stringify(json)).toString("base64");
}

async function until(what, probe, seconds = 30) {
  for (const deadline = Date.now() + seconds * 1000; Date.now() < deadline;) {
    const value = await probe();
    if (value) return value;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`not seen within ${seconds} s: ${what}`);
}

async function refusedByWhitelistProviders(glm) {
  const present = new Set((await sandbox("GET", "/_sandbox/info")).providers.map((p) => p.name));
  const chosen = whitelistProviders.filter((name) => present.has(name));
  check(chosen.length > 0, `the sandbox runs at least one of ${whitelistProviders.join(", ")}`);
  const everywhere = await manifest({ unrestricted: { urls: true } });
  const heard = [];
  const onRejected = ({ reason }) => heard.push(reason);
  glm.market.events.on("offerCounterProposalRejected", onRejected);
  let rental;
  let failure;
  const attempt = glm.oneOf({
    order: {
      ...order({ manifest: everywhere, capabilities: ["inet", "manifest-support"] }),
      market: { ...order().market, offerProposalFilter: (proposal) => chosen.includes(proposal.provider.name) },
    },
    signalOrTimeout: 20_000,
  }).then((r) => { rental = r; }, (e) => { failure = e; });

  const demand = await until("the demand with the manifest", async () =>
    (await sandbox("GET", "/_sandbox/market/demands")).find((d) => d.properties["golem.srv.comp.payload"] === everywhere));
  const explain = await sandbox("GET", `/_sandbox/market/demands/${demand.demandId}/explain`);
  await until("a rejection from each chosen provider", async () => heard.length >= chosen.length);
  await attempt;
  glm.market.events.off("offerCounterProposalRejected", onRejected);

  check(!rental && failure, "no provider that lets everyone out to whitelisted hosts only rents with unrestricted access");
  check(heard.every((reason) => reason === rejectedEverywhere), `golem-js heard ya-provider's reason: ${JSON.stringify(heard)}`);
  for (const name of chosen) {
    const entry = explain.providers.find((p) => p.provider === name);
    checkEqual(entry.matches, false, `${name} matches the demand`);
    checkEqual(entry.refusal, rejectedEverywhere, `${name}'s refusal in the near miss`);
    check(entry.summary.includes("rejects the counter-proposal"), `${name}'s summary says why: ${entry.summary}`);
  }
  console.log(`unrestricted access refused by ${chosen.join(", ")}: ${rejectedEverywhere}`);
}

async function reachesOnlyWhatTheManifestLists(glm) {
  const allowed = await serve("reached-by-manifest\n");
  const other = await serve("not-in-the-manifest\n");
  try {
    const listed = `http://127.0.0.1:${allowed.port}/`;
    const url = `http://${gateway}:${allowed.port}/`;
    const rental = await glm.oneOf({
      order: order({ manifest: await manifest({ protocols: ["http"], urls: [listed] }), capabilities: ["inet", "manifest-support"] }),
    });
    try {
      const exe = await rental.getExeUnit();
      // busybox's own -T makes its wget crash in this image; timeout(1) bounds it instead.
      const fetched = await exe.run(`timeout 30 wget -q -O - ${url}`);
      checkEqual(fetched.result, "Ok", `wget ${url} in the VM: ${fetched.message ?? ""} ${fetched.stdout ?? ""}${fetched.stderr ?? ""}`);
      checkEqual(String(fetched.stdout), "reached-by-manifest\n", "the page the VM fetched");
      check(allowed.hits >= 1, "the request reached this machine's server");

      const blocked = await exe.run(`timeout 15 wget -q -O - http://${gateway}:${other.port}/; echo "exit $?"`);
      check(!String(blocked.stdout).includes("not-in-the-manifest"), `a port the manifest does not list is out of reach: ${blocked.stdout}`);
      checkEqual(other.hits, 0, "requests reaching the server the manifest does not list");
      console.log(`the VM of ${exe.provider.name} fetched ${url}; port ${other.port} stayed out of reach`);
    } finally {
      await rental.stopAndFinalize();
    }
  } finally {
    allowed.server.close();
    other.server.close();
  }
}

runExample("outbound", async () => {
  const glm = new GolemNetwork();
  await glm.connect();
  try {
    await refusedByWhitelistProviders(glm);
    await reachesOnlyWhatTheManifestLists(glm);
  } finally {
    await glm.disconnect();
  }
});
