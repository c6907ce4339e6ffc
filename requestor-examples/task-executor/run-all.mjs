// Runs every task-executor example against the sandbox named by YAGNA_API_URL, one after another,
// and exits non-zero if any failed. Usage: node run-all.mjs [example ...]
import { spawnSync } from "node:child_process";

const all = ["run", "map", "foreach", "files", "failing-command", "retry"];
const chosen = process.argv.length > 2 ? process.argv.slice(2) : all;
for (const name of ["YAGNA_API_URL", "YAGNA_APPKEY", "GOLEM_REGISTRY_URL"]) {
  if (!process.env[name]) {
    console.error(`${name} is not set: start the sandbox and run: eval "$(../../golem-sandbox env)"`);
    process.exit(2);
  }
}
const failed = [];
for (const name of chosen) {
  const run = spawnSync(process.execPath, [`${name}.mjs`], { stdio: "inherit", cwd: import.meta.dirname });
  if (run.status !== 0) failed.push(name);
}
console.log(failed.length ? `failed: ${failed.join(", ")}` : `all ${chosen.length} task-executor examples passed`);
process.exit(failed.length ? 1 : 0);
