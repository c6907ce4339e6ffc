// What every example shares: the order it places, assertions that end the process with a
// non-zero status, and a deadline so a hung run fails instead of waiting forever.
import { createHash } from "node:crypto";

export const imageTag = process.env.EXAMPLE_IMAGE_TAG ?? "golem/alpine:latest";

/** The order a requestor would place on the real network; only the env points it at the sandbox. */
export function order(workload = { imageTag }) {
  return {
    demand: { workload },
    market: {
      rentHours: 0.5,
      pricing: { model: "linear", maxStartPrice: 0.5, maxCpuPerHourPrice: 1.0, maxEnvPerHourPrice: 0.5 },
    },
  };
}

export function check(condition, message) {
  if (!condition) {
    throw new Error(`check failed: ${message}`);
  }
}

export function checkEqual(actual, expected, what) {
  if (actual !== expected) {
    throw new Error(`check failed: ${what}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
  }
}

export function sha256(bytes) {
  return createHash("sha256").update(bytes).digest("hex");
}

/** Runs an example's body; exits 0 when it completes, 1 on any error or after the deadline. */
export function runExample(name, body, deadlineSeconds = Number(process.env.EXAMPLE_DEADLINE_S ?? 300)) {
  const timer = setTimeout(() => {
    console.error(`${name}: FAILED: not done after ${deadlineSeconds} s`);
    process.exit(1);
  }, deadlineSeconds * 1000);
  const started = Date.now();
  body()
    .then(() => {
      clearTimeout(timer);
      console.log(`${name}: OK (${((Date.now() - started) / 1000).toFixed(1)} s)`);
      process.exit(0);
    })
    .catch((error) => {
      clearTimeout(timer);
      console.error(`${name}: FAILED: ${error?.stack ?? error}`);
      process.exit(1);
    });
}
