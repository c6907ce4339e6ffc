// What the task-executor scripts share beyond the golem-js examples' helpers: the sandbox's own
// endpoints (fault injection, the payment documents it issued), called with the requestor's key.
export { check, checkEqual, order, runExample, sha256 } from "../../js/lib/example.mjs";

/** Calls the sandbox at YAGNA_API_URL with YAGNA_APPKEY; throws on any non-2xx answer. */
export async function sandbox(method, path, body) {
  const response = await fetch(process.env.YAGNA_API_URL + path, {
    method,
    headers: { Authorization: `Bearer ${process.env.YAGNA_APPKEY}`, "Content-Type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`);
  return text ? JSON.parse(text) : null;
}

/** Adds a fault (POST /_sandbox/faults) for the length of `body`, removing it afterwards whatever happens. */
export async function withFault(fault, body) {
  const added = await sandbox("POST", "/_sandbox/faults", fault);
  try {
    return await body(added);
  } finally {
    await sandbox("DELETE", `/_sandbox/faults/${added.id}`);
  }
}

/**
 * The key the task-executor docs hard-code, `try_golem`, made one of the sandbox's app keys (as
 * `golem-sandbox app-key create try-golem --key try_golem` would) unless it already is one.
 * Needs the main key in YAGNA_APPKEY: only it manages keys.
 */
export async function docsAppKey() {
  const key = "try_golem";
  const keys = await sandbox("GET", "/_sandbox/app-keys");
  if (!keys.some((k) => k.key === key)) {
    await sandbox("POST", "/_sandbox/app-keys", { name: "try-golem", key });
  }
  return key;
}
