// Opens the sandbox's dashboard in Debian's chromium (headless, driven by playwright-core; nothing
// downloads a browser), runs a golem-js requestor against the same sandbox and checks that the
// page shows it live: the providers, the agreement, the activity, its command's output while it
// runs, the invoice; that the session's recording downloads as a bundle (a tar of its JSON and its
// upload's blob); that guest output stays text; that a missing or wrong key is asked for; and
// that an unreachable sandbox is shown. Leaves a screenshot in $DASHBOARD_SCREENSHOT.
// Usage: eval "$(golem-sandbox env)" && npm test
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { GolemNetwork } from "@golem-sdk/golem-js";
import { chromium } from "playwright-core";

const api = process.env.YAGNA_API_URL;
const key = process.env.YAGNA_APPKEY;
const screenshot = process.env.DASHBOARD_SCREENSHOT ?? "dashboard.png";
const browserPath = process.env.CHROMIUM ?? "/usr/bin/chromium";
if (!api || !key) {
  console.error('YAGNA_API_URL and YAGNA_APPKEY are not set: start the sandbox and run: eval "$(golem-sandbox env)"');
  process.exit(2);
}

const WAIT = { timeout: 120_000 };
const steps = [];
function step(what) {
  steps.push(what);
  console.log(`dashboard: ${what}`);
}
function check(condition, message) {
  if (!condition) throw new Error(`check failed: ${message}`);
}
async function sandboxApi(method, path) {
  const answer = await fetch(`${api}${path}`, { method, headers: { Authorization: `Bearer ${key}` } });
  check(answer.ok, `${method} ${path} answered ${answer.status}`);
  return answer.json();
}
// The regular files of a POSIX tar archive (what the sandbox's bundles are), by name. A pax
// extended header ('x') gives the next entry's path or size; nothing else but regular files may come.
function tarFiles(archive) {
  const files = new Map();
  const field = (header, start, length) => header.subarray(start, start + length).toString("latin1").replace(/\0.*$/s, "");
  let extended = {};
  for (let offset = 0; offset + 512 <= archive.length;) {
    const header = archive.subarray(offset, offset + 512);
    if (header.every((byte) => byte === 0)) break;
    const prefix = field(header, 345, 155);
    const name = extended.path ?? (prefix ? `${prefix}/` : "") + field(header, 0, 100);
    const size = Number(extended.size ?? parseInt(field(header, 124, 12).trim() || "0", 8));
    const type = field(header, 156, 1) || "0";
    const body = archive.subarray(offset + 512, offset + 512 + size);
    offset += 512 + Math.ceil(size / 512) * 512;
    if (type === "x") {
      extended = {};
      for (const record of body.toString("utf8").split("\n").filter(Boolean)) {
        const [, keyword, value] = record.match(/^\d+ ([^=]+)=(.*)$/s) ?? [];
        if (keyword) extended[keyword] = value;
      }
      continue;
    }
    extended = {};
    check(type === "0", `the bundle's entry ${name} is a regular file (type ${type})`);
    files.set(name, body);
  }
  return files;
}

const profile = mkdtempSync(join(tmpdir(), "golem-sandbox-dashboard-"));
const deadline = setTimeout(() => {
  console.error(`dashboard: FAILED: not done after 600 s (last step: ${steps.at(-1)})`);
  process.exit(1);
}, 600_000);

let context;
let glm;
try {
  context = await chromium.launchPersistentContext(profile, {
    executablePath: browserPath,
    headless: true,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
      "--disable-component-update", "--no-first-run"],
    viewport: { width: 1500, height: 1100 },
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const pageErrors = [];
  page.on("pageerror", (error) => pageErrors.push(String(error)));

  step("without a key the page asks for one");
  const response = await page.goto(`${api}/_sandbox/dashboard/`);
  check(response.status() === 200, `dashboard answered ${response.status()}`);
  check((response.headers()["content-security-policy"] ?? "").includes("script-src 'self'"), "the page has a content security policy");
  await page.locator("#key-form").waitFor({ state: "visible", ...WAIT });

  step("a wrong key is refused and asked for again");
  await page.fill("#key-input", "not-the-key");
  await page.click("#key-form button");
  await page.locator("#key-error").waitFor({ state: "visible", ...WAIT });

  step("with the key the providers appear");
  await page.fill("#key-input", key);
  await page.click("#key-form button");
  await page.locator("#providers tbody tr").first().waitFor(WAIT);
  const providers = await page.locator("#providers tbody tr").count();
  check(providers > 0, "providers are listed");
  check(page.url().includes(`#key=${key}`), "the key is kept in the fragment, so a reload keeps working");

  step("a golem-js requestor rents a provider");
  glm = new GolemNetwork();
  await glm.connect();
  const rental = await glm.oneOf({
    order: {
      demand: { workload: { imageTag: process.env.EXAMPLE_IMAGE_TAG ?? "golem/alpine:latest" } },
      market: { rentHours: 0.5, pricing: { model: "linear", maxStartPrice: 0.5, maxCpuPerHourPrice: 1.0, maxEnvPerHourPrice: 0.5 } },
    },
  });
  const exe = await rental.getExeUnit();
  const activityId = exe.activity.id;
  const agreementId = rental.agreement.id;
  await page.locator(`#agreements tr[data-agreement="${agreementId}"]`).waitFor(WAIT);

  step("the session is recorded, with an upload");
  await sandboxApi("POST", `/_sandbox/activities/${activityId}/recording`);
  const uploaded = new TextEncoder().encode(`uploaded by the dashboard check ${Date.now()}\n`);
  const upload = await exe.uploadData(uploaded, "/golem/input/dashboard-upload.txt");
  check(upload.result === "Ok", `the upload succeeded: ${upload.result}`);

  step("its activity appears; one click shows its commands");
  const row = page.locator(`#activities tr[data-activity="${activityId}"]`);
  await row.waitFor(WAIT);
  await row.click();
  await page.locator("#activity-panel").waitFor({ state: "visible", ...WAIT });

  step("the command's output streams in while it runs");
  const hostile = "<img src=x onerror=\"window.__pwned=1\">";
  const running = exe.run(`for i in 1 2 3 4 5 6; do echo tick-$i; sleep 1; done; echo '${hostile}'`);
  // Output of a command still marked Running: the page shows it before the command ends.
  const liveOutput = page.locator("#batches .command:has(.state-Running) pre.stdout", { hasText: /tick-\d/ });
  await liveOutput.first().waitFor(WAIT);
  const seenWhileRunning = await liveOutput.first().textContent();
  check(!seenWhileRunning.includes("tick-6"), `output shown before the command ends: ${JSON.stringify(seenWhileRunning)}`);
  const result = await running;
  check(result.result === "Ok", `the command succeeded: ${result.result}`);
  const done = page.locator("#batches .command:has(.state-Ok) pre.stdout", { hasText: "tick-6" });
  await done.first().waitFor(WAIT);

  step("guest output is shown as text, never run as markup");
  const shown = await done.first().textContent();
  check(shown.includes(hostile), "the markup the guest printed is shown literally");
  check((await page.locator("#batches img").count()) === 0, "no element was made from guest output");
  check((await page.evaluate(() => window.__pwned)) === undefined, "guest output ran no script");

  step("the rental ends; its invoice appears");
  await rental.stopAndFinalize();
  await page.locator(`#agreements tr[data-agreement="${agreementId}"] td.state-Terminated`).waitFor(WAIT);
  await page.locator("#payments tbody tr", { hasText: "invoice" }).first().waitFor(WAIT);
  await page.screenshot({ path: screenshot, fullPage: true });

  step("a click on the recording downloads its bundle: the JSON and the upload's blob");
  const recording = (await sandboxApi("GET", `/_sandbox/activities/${activityId}`)).recording;
  check(recording, "the activity has a recording");
  const recordingName = recording.split("/").pop();
  const [download] = await Promise.all([
    page.waitForEvent("download", WAIT),
    page.locator(`#recordings a[data-recording="${recordingName}"]`).click(WAIT),
  ]);
  const bundleName = recordingName.replace(/\.json$/, ".tar");
  check(download.suggestedFilename() === bundleName, `the download is named ${bundleName}: ${download.suggestedFilename()}`);
  const bundle = join(profile, bundleName);
  await download.saveAs(bundle);
  const files = tarFiles(readFileSync(bundle));
  check(files.has(recordingName), `the bundle holds ${recordingName}: ${[...files.keys()].join(", ")}`);
  const recorded = JSON.parse(files.get(recordingName).toString("utf8"));
  const blobs = recorded.activities.flatMap((a) => a.batches).flatMap((b) => b.results ?? [])
    .filter((r) => r.upload).map((r) => r.upload.blob);
  const uploadedHash = createHash("sha256").update(uploaded).digest("hex");
  check(blobs.length === 1 && blobs[0] === uploadedHash, `the recording names the upload's blob: ${blobs.join(", ")}`);
  check(files.size === 2, `the bundle holds the recording and one blob: ${[...files.keys()].join(", ")}`);
  check(Buffer.compare(files.get(`blobs/${uploadedHash}`) ?? Buffer.alloc(0), Buffer.from(uploaded)) === 0,
    "the bundle's blob is what was uploaded");

  step("an unreachable sandbox is shown, and the page recovers");
  await page.route("**/_sandbox/**", (route) => route.abort());
  await page.locator('#connection[data-state="down"]').waitFor(WAIT);
  await page.unroute("**/_sandbox/**");
  await page.locator('#connection[data-state="live"]').waitFor(WAIT);

  check(pageErrors.length === 0, `no script errors on the page: ${pageErrors.join("; ")}`);
  clearTimeout(deadline);
  console.log(`dashboard: OK (${steps.length} steps; screenshot ${screenshot})`);
} catch (error) {
  console.error(`dashboard: FAILED at "${steps.at(-1)}": ${error?.stack ?? error}`);
  process.exitCode = 1;
} finally {
  clearTimeout(deadline);
  await glm?.disconnect().catch(() => {});
  await context?.close().catch(() => {});
  rmSync(profile, { recursive: true, force: true });
}
process.exit(process.exitCode ?? 0);
