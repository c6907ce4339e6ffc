// What every golem-js 2.4 example shares: the executor's options as the 2.x tutorials write them,
// assertions that end the process with a non-zero status, and a deadline so a hung run fails
// instead of waiting forever.
import { TaskExecutor } from "@golem-sdk/golem-js";

export const imageTag = process.env.EXAMPLE_IMAGE_TAG ?? "golem/alpine:latest";

/** A TaskExecutor as a 2.x tutorial creates it; only the env (YAGNA_*, PATH with gftp) points it at the sandbox. */
export function createExecutor(options = {}) {
  return TaskExecutor.create({
    package: imageTag,
    yagnaOptions: { apiKey: process.env.YAGNA_APPKEY },
    ...(process.env.EXAMPLE_VERBOSE ? {} : { logger: quietLogger() }),
    ...options,
  });
}

/** Every error golem-js logged in this process: a run it cancelled logs one. */
export const loggedErrors = [];

/** golem-js's default logger prints every step; keep warnings and errors, which say why a run failed. */
function quietLogger() {
  const nothing = () => {};
  const logger = {
    child: () => logger,
    debug: nothing,
    info: nothing,
    warn: (message, context) => console.warn(`golem-js: ${message}`, context ?? ""),
    error: (message, context) => {
      loggedErrors.push(message);
      console.error(`golem-js: ${message}`, context ?? "");
    },
  };
  return logger;
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

/** Runs an example's body; exits 0 when it completes, 1 on any error or after the deadline. */
export function runExample(name, body, deadlineSeconds = Number(process.env.EXAMPLE_DEADLINE_S ?? 240)) {
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
