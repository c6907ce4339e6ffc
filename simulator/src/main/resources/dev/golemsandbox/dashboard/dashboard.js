// The golem-sandbox dashboard: polls the sandbox's own endpoints once a second and shows what
// its providers, market, activities and payments are doing. Everything a requestor or a guest
// controls (names, commands, output) is written as text, never as markup.

const POLL_MS = 1000;
const params = new URLSearchParams(location.hash.slice(1));
let key = params.get("key");
let selectedActivity = params.get("activity");
const agreementDetails = new Map(); // agreementId -> {providerId, image}; fetched once each
let polling = false;

const $ = (id) => document.getElementById(id);

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (name === "text") node.textContent = value;
    else if (name === "className") node.className = value;
    else node.setAttribute(name, value);
  }
  for (const child of children) node.append(child);
  return node;
}

function shortId(id) {
  return id && id.length > 14 ? id.slice(0, 12) + "…" : id ?? "";
}

class Unauthorized extends Error {}

async function api(path) {
  const response = await fetch(path, { headers: { Authorization: `Bearer ${key}` }, cache: "no-store" });
  if (response.status === 401) throw new Unauthorized((await response.json().catch(() => ({}))).message ?? "refused");
  if (!response.ok) throw new Error(`${path}: ${response.status}`);
  return response.json();
}

function writeFragment() {
  const next = new URLSearchParams();
  if (key) next.set("key", key);
  if (selectedActivity) next.set("activity", selectedActivity);
  history.replaceState(null, "", "#" + next.toString());
}

function setConnection(state, text) {
  const badge = $("connection");
  badge.dataset.state = state;
  badge.textContent = text;
}

function fillTable(tableId, rows) {
  const body = $(tableId).tBodies[0];
  // Rows that did not change stay the same elements: a click on one is never lost to a re-render.
  const current = [...body.rows];
  const unchanged = current.length === rows.length && current.every((row, i) => row.outerHTML === rows[i].outerHTML);
  if (!unchanged) body.replaceChildren(...rows);
  $(`${tableId}-count`).textContent = `(${rows.length})`;
}

function cell(text, className) {
  return el("td", className ? { text: String(text ?? ""), className } : { text: String(text ?? "") });
}

function renderProviders(providers) {
  fillTable("providers", providers.map((p) => el("tr", { "data-provider": p.name },
    cell(p.name),
    cell(p.threads),
    cell(`${p.memGib} GiB`),
    cell(`${p.storageGib} GiB`),
    cell((p.capabilities ?? []).join(", ") || "—", "muted"),
    cell(`${p.inUse} / ${p.capacity}`),
    cell((p.priceCoeffs ?? []).map((c) => Number(c).toPrecision(3)).join(", ")),
    cell(p.agreements?.length ?? 0))));
}

function renderDemands(demands, explanations) {
  $("demands-count").textContent = `(${demands.length})`;
  $("demands").replaceChildren(...demands.map((demand) => {
    const matches = explanations.get(demand.demandId) ?? [];
    return el("div", { className: "demand", "data-demand": demand.demandId },
      el("div", {}, el("code", { text: shortId(demand.demandId) }), " ",
        el("span", { className: "muted", text: demand.properties?.["golem.srv.comp.task_package"] ?? "" })),
      el("ul", {}, ...matches.map((m) => el("li", {}, el("strong", { text: m.provider }), ": " + m.summary))));
  }));
}

function providerName(providers, nodeId) {
  return providers.find((p) => p.nodeId === nodeId)?.name ?? shortId(nodeId);
}

function renderAgreements(agreements, providers) {
  fillTable("agreements", agreements.map((a) => el("tr", { "data-agreement": a.id },
    cell(shortId(a.id), "id"),
    cell(providerName(providers, agreementDetails.get(a.id)?.providerId)),
    cell(a.state, `state-${a.state}`),
    cell(a.approvedDate ? new Date(a.approvedDate).toLocaleTimeString() : "—"))));
}

function renderActivities(activities, providers) {
  fillTable("activities", activities.map((a) => {
    const row = el("tr", { className: "clickable" + (a.activityId === selectedActivity ? " selected" : ""), "data-activity": a.activityId },
      cell(shortId(a.activityId), "id"),
      cell(providerName(providers, agreementDetails.get(a.agreementId)?.providerId)),
      cell([a.state, a.reason, a.error].filter(Boolean).join(" — "), `state-${a.state}`),
      cell(imageName(a.image)),
      el("td", {}, ...a.volumes.map((v) => el("div", {}, el("code", { text: v.path }), " → ", el("code", { className: "muted", text: v.hostDir })))));
    row.addEventListener("click", () => selectActivity(a.activityId));
    return row;
  }));
}

function imageName(taskPackage) {
  if (!taskPackage) return "";
  const hash = /^hash:sha3:([0-9a-f]+):/.exec(taskPackage);
  return hash ? `sha3 ${hash[1].slice(0, 12)}…` : taskPackage;
}

function describeCommand(command) {
  const [name, body] = Object.entries(command)[0] ?? ["?", {}];
  if (name === "run") return `run ${body.entry_point ?? ""} ${(body.args ?? []).map((a) => JSON.stringify(a)).join(" ")}`;
  if (name === "transfer") return `transfer ${body.from ?? ""} → ${body.to ?? ""}`;
  return name;
}

function renderBatches(batches) {
  const container = $("batches");
  if (batches.length === 0) {
    container.replaceChildren(el("p", { className: "muted", text: "no commands sent yet" }));
    return;
  }
  const existing = new Map([...container.querySelectorAll(".batch")].map((b) => [b.dataset.batch, b]));
  const ordered = batches.map((batch) => {
    let node = existing.get(batch.batchId);
    if (!node) {
      node = el("div", { className: "batch", "data-batch": batch.batchId }, el("h3", {}), el("div", { className: "commands" }));
    }
    node.querySelector("h3").textContent = `batch ${shortId(batch.batchId)} — ${batch.finished ? "finished" : "running"}`;
    updateCommands(node.querySelector(".commands"), batch.commands);
    return node;
  });
  container.replaceChildren(...ordered.reverse());
}

function updateCommands(container, commands) {
  const nodes = commands.map((command, i) => {
    let node = container.children[i];
    if (!node) {
      node = el("div", { className: "command", "data-index": String(command.index) },
        el("div", {}, el("code", { className: "what" }), " ", el("span", { className: "state" })),
        el("pre", { className: "output stdout", hidden: "" }),
        el("pre", { className: "output stderr", hidden: "" }));
    }
    node.querySelector(".what").textContent = `${command.index}: ${describeCommand(command.command)}`;
    const state = node.querySelector(".state");
    const exit = command.returnCode !== undefined ? ` (exit ${command.returnCode})` : "";
    const message = command.state === "Error" && command.message ? ` — ${command.message}` : "";
    state.textContent = command.state + exit + message;
    state.className = `state state-${command.state}`;
    showOutput(node.querySelector(".stdout"), command.stdout);
    showOutput(node.querySelector(".stderr"), command.stderr);
    return node;
  });
  container.replaceChildren(...nodes);
}

function showOutput(pre, text) {
  const value = typeof text === "string" ? text : "";
  if (pre.textContent !== value) {
    const atBottom = pre.scrollTop + pre.clientHeight >= pre.scrollHeight - 4;
    pre.textContent = value;
    if (atBottom) pre.scrollTop = pre.scrollHeight;
  }
  pre.hidden = value === "";
}

function renderPayments(debitNotes, invoices) {
  const rows = [
    ...debitNotes.map((d) => ({ kind: "debit note", id: d.debitNoteId, agreementId: d.agreementId, amount: d.totalAmountDue, status: d.status, time: d.timestamp })),
    ...invoices.map((i) => ({ kind: "invoice", id: i.invoiceId, agreementId: i.agreementId, amount: i.amount, status: i.status, time: i.timestamp })),
  ].sort((a, b) => (a.time < b.time ? 1 : -1));
  fillTable("payments", rows.map((r) => el("tr", { "data-document": r.id },
    cell(r.kind), cell(shortId(r.id), "id"), cell(shortId(r.agreementId), "id"),
    cell(r.amount), cell(r.status, `state-${r.status}`), cell(r.time ? new Date(r.time).toLocaleTimeString() : ""))));
}

function renderRecordings(files) {
  $("recordings-count").textContent = `(${files.length})`;
  $("recordings").replaceChildren(...files.map((path) => {
    const name = path.split("/").pop();
    const link = el("a", { href: "#", text: name, "data-recording": name });
    link.addEventListener("click", (event) => { event.preventDefault(); download(name); });
    return el("li", {}, link);
  }));
}

// A recording comes as a bundle: its JSON with the blobs of its uploads, one .tar that `golem-sandbox replay` takes.
async function download(name) {
  const response = await fetch(`/_sandbox/recordings/${encodeURIComponent(name)}/bundle`, { headers: { Authorization: `Bearer ${key}` } });
  if (!response.ok) {
    const answer = await response.json().catch(() => ({}));
    window.alert(`Cannot download ${name}: ${answer.message || response.status}`);
    return;
  }
  const url = URL.createObjectURL(await response.blob());
  const link = el("a", { href: url, download: name.replace(/\.json$/, ".tar") });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

function selectActivity(activityId) {
  selectedActivity = activityId;
  writeFragment();
  $("batches").replaceChildren();
  poll();
}

async function agreementsWithDetails() {
  const agreements = await api("/market-api/v1/agreements");
  await Promise.all(agreements.filter((a) => !agreementDetails.has(a.id)).map(async (a) => {
    const detail = await api(`/market-api/v1/agreements/${a.id}`);
    agreementDetails.set(a.id, { providerId: detail.offer?.providerId });
  }));
  return agreements;
}

async function poll() {
  if (polling) return;
  polling = true;
  try {
    const [providers, demands, agreements, activities, debitNotes, invoices, recordings] = await Promise.all([
      api("/_sandbox/market/providers"), api("/_sandbox/market/demands"), agreementsWithDetails(),
      api("/_sandbox/activities"), api("/payment-api/v1/debitNotes"), api("/payment-api/v1/invoices"),
      api("/_sandbox/recordings")]);
    const explanations = new Map(await Promise.all(demands.map(async (d) =>
      [d.demandId, await api(`/_sandbox/market/demands/${d.demandId}/explain`).catch(() => [])])));
    renderProviders(providers);
    renderDemands(demands, explanations);
    renderAgreements(agreements, providers);
    renderActivities(activities, providers);
    renderPayments(debitNotes, invoices);
    renderRecordings(recordings);
    await renderSelected(activities);
    setConnection("live", "live");
  } catch (error) {
    if (error instanceof Unauthorized) {
      askForKey(`the sandbox refused this key: ${error.message}`);
      return;
    }
    setConnection("down", "the sandbox is not answering; retrying…");
  } finally {
    polling = false;
  }
}

async function renderSelected(activities) {
  const panel = $("activity-panel");
  const activity = activities.find((a) => a.activityId === selectedActivity);
  panel.hidden = !activity;
  if (!activity) return;
  $("activity-id").textContent = activity.activityId;
  $("activity-summary").textContent = `${[activity.state, activity.reason, activity.error].filter(Boolean).join(" — ")} · image ${activity.image ?? "?"}`;
  renderBatches(await api(`/_sandbox/activities/${activity.activityId}/batches`));
}

function askForKey(problem) {
  $("panels").hidden = true;
  $("key-form").hidden = false;
  $("key-error").hidden = !problem;
  $("key-error").textContent = problem ?? "";
  setConnection("connecting", "key needed");
}

async function start() {
  $("key-form").addEventListener("submit", (event) => {
    event.preventDefault();
    key = $("key-input").value.trim();
    writeFragment();
    $("key-form").hidden = true;
    $("panels").hidden = false;
    poll();
  });
  $("activity-close").addEventListener("click", () => selectActivity(null));
  fetch("/_sandbox/info").then((r) => r.json()).then((info) => {
    $("sandbox").textContent = `${info.version ?? ""} · ${info.accelerator ?? ""}`;
  }).catch(() => {});
  if (!key) {
    askForKey();
  } else {
    $("panels").hidden = false;
    poll();
  }
  setInterval(() => { if (key && $("key-form").hidden) poll(); }, POLL_MS);
}

start();
