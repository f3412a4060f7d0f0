// The staff console: polls the desk's state (≤ 2 s), runs the queue actions, shortcuts, idle lock.
import { wireAssistForm } from "./console-form.js";
import { conditionalPoll } from "./poll.js";

const fetchState = conditionalPoll();

const root = document.getElementById("console");
const csrf = document.querySelector('meta[name="csrf-token"]').content;
const t = JSON.parse(document.getElementById("i18n").innerHTML);
const POLL_MS = 1500;
let state = null;
let touched = true;
let lastInput = Date.now();
let locked = root.dataset.locked === "1";
async function send(url, body) {
  const response = await fetch(url, {
    method: "POST", credentials: "same-origin",
    headers: { "Content-Type": "application/json", "X-CSRFToken": csrf },
    body: JSON.stringify(body || {}),
  });
  if (response.status === 423) showLock();
  let data = null;
  if (response.status !== 204) data = await response.json().catch(() => null);
  return { status: response.status, data };
}

function say(text) { document.getElementById("console-msg").textContent = text || ""; }

function minutes(seconds) { return `${Math.floor(seconds / 60)} ${t.minutes}`; }

function el(tag, text, cls) {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  if (cls) node.className = cls;
  return node;
}

function render() {
  const cur = state.current;
  document.getElementById("cur-number").textContent = cur ? cur.number : "—";
  document.getElementById("cur-number").classList.toggle("is-priority", Boolean(cur && cur.priority));
  document.getElementById("cur-service").textContent = cur ? cur.service_name : t.none;
  document.getElementById("cur-status").textContent = cur
    ? `${cur.status === "serving" ? t.serving : t.called}${cur.recall_count ? ` · ${cur.recall_count} ${t.recalls}` : ""}${cur.priority ? ` · ${t.priority}` : ""}`
    : "";
  const paused = state.desk.paused;
  document.getElementById("paused-note").hidden = !paused;
  const pause = document.getElementById("pause-btn");
  pause.textContent = paused ? t.resume : t.pause;
  pause.dataset.paused = paused ? "1" : "0";
  document.getElementById("btn-next").disabled = Boolean(cur) || paused;
  document.getElementById("btn-recall").disabled = !cur || cur.status !== "called";
  document.getElementById("btn-start").disabled = !cur || cur.status !== "called";
  document.getElementById("btn-finish").disabled = !cur;
  document.getElementById("btn-noshow").disabled = !cur || cur.status !== "called" || cur.recall_count < state.noshow_after;
  document.getElementById("btn-transfer").disabled = !cur;
  Object.entries(state.today).forEach(([key, value]) => {
    const node = root.querySelector(`[data-today="${key}"]`);
    if (node) node.textContent = value;
  });
  const body = document.getElementById("waiting-body");
  body.replaceChildren(...state.waiting.map((w) => {
    const row = el("tr");
    row.classList.toggle("is-empty", w.count === 0);
    row.classList.toggle("not-mine", !state.desk.services.includes(w.service));
    row.append(el("td", w.name), el("td", w.count, "num"),
      el("td", w.priority ? `★ ${w.priority}` : "0", w.priority ? "num prio" : "num"),
      el("td", w.count ? minutes(w.oldest_seconds) : "", "num"));
    return row;
  }));
  const next = document.getElementById("next-list");
  next.replaceChildren(...(state.next.length ? state.next.map((n) => {
    const item = el("li", "", n.priority ? "is-priority" : "");
    item.append(el("b", n.number), el("span", `${n.priority ? `★ ${t.priority} · ` : ""}${minutes(n.wait_seconds)}`));
    return item;
  }) : [el("li", t.empty, "empty")]));
  const unlogged = document.getElementById("unlogged");
  const form = document.getElementById("assist-form");
  const openTicket = form && form.querySelector('input[name="ticket_id"]').value;
  if (state.unlogged && String(state.unlogged.id) !== openTicket) {
    unlogged.replaceChildren(el("span", t.unlogged.replace("{n}", state.unlogged.number) + " "));
    const link = el("a", t.log_now, "btn btn-small");
    link.href = `${root.dataset.consoleUrl}?ticket=${state.unlogged.id}#assist`;
    unlogged.append(link);
    unlogged.hidden = false;
  } else {
    unlogged.hidden = true;
  }
}

async function poll() {
  if (locked || !root.dataset.stateUrl) return;
  try {
    const { unchanged, response } = await fetchState(
      `${root.dataset.stateUrl}${touched ? "?active=1" : ""}`, { credentials: "same-origin" });
    touched = false;
    if (response.status === 423) { showLock(); return; }
    if (response.status === 401) { window.location.reload(); return; }
    if (unchanged) return;
    if (!response.ok) throw new Error(String(response.status));
    state = await response.json();
    render();
  } catch (err) {
    say(t.offline);
  }
}

const ACTIONS = {
  async next() {
    const r = await send(`/api/v1/desks/${root.dataset.desk}/call-next`);
    if (r.status === 204) say(t.empty);
    return r;
  },
  recall: () => send(`/api/v1/tickets/${state.current.id}/recall`),
  start: () => send(`/api/v1/tickets/${state.current.id}/start`),
  "no-show": async () => {
    const r = await send(`/api/v1/tickets/${state.current.id}/no-show`);
    if (r.status === 200) say(t.noshow_done);
    return r;
  },
  async finish() {
    const id = state.current.id;
    const r = await send(`/api/v1/tickets/${id}/finish`);
    // Finishing opens the assist form, pre-filled from the ticket.
    if (r.status === 200) window.location.assign(`${root.dataset.consoleUrl}?ticket=${id}#assist`);
    return r;
  },
  async transfer() {
    const [kind, value] = document.getElementById("transfer-to").value.split(":");
    const body = kind === "desk" ? { desk: Number(value) } : { service: value };
    const r = await send(`/api/v1/tickets/${state.current.id}/transfer`, body);
    if (r.status === 200) say(t.transferred);
    return r;
  },
};

async function act(name) {
  const button = root.querySelector(`[data-action="${name}"]`);
  if (!state || !button || button.disabled || locked) return;
  touched = true;
  button.disabled = true;
  say("");
  try {
    const r = await ACTIONS[name]();
    if (r.status >= 400 && r.status !== 423) {
      const code = r.data && r.data.error ? r.data.error.code : "error";
      say(t[code] || (r.data && r.data.error ? r.data.error.message : t.error));
    }
  } catch (err) {
    say(t.error);
  }
  await poll();
}

function typing(target) {
  return target.closest("textarea, select, [contenteditable], input:not([type=radio]):not([type=checkbox])");
}

function onKey(event) {
  if (locked || event.ctrlKey || event.metaKey || event.altKey) return;
  const key = event.key.toLowerCase();
  if (event.key === "F2") { event.preventDefault(); act("next"); return; }
  if (typing(event.target)) return;
  const map = { n: "next", r: "recall", s: "start", f: "finish" };
  if (map[key]) { event.preventDefault(); act(map[key]); }
}

function showLock() {
  locked = true;
  document.getElementById("lock-screen").hidden = false;
  document.getElementById("unlock-password").focus();
}

async function lockNow() {
  // The lock is kept on the server's session row: a response already under way cannot undo it.
  locked = true;  // no new poll or action from here on
  await send("/console/lock");
  showLock();
}

async function unlock(event) {
  event.preventDefault();
  const input = document.getElementById("unlock-password");
  const error = document.getElementById("unlock-error");
  const r = await send(document.getElementById("unlock-form").dataset.url, { password: input.value });
  input.value = "";
  if (r.status === 200) {
    const wasLoadedLocked = root.dataset.locked === "1";
    locked = false;
    lastInput = Date.now();
    document.getElementById("lock-screen").hidden = true;
    error.hidden = true;
    if (wasLoadedLocked) window.location.reload(); else poll();
  } else if (r.status === 401) {
    window.location.reload();
  } else {
    error.textContent = r.data && r.data.error ? r.data.error.message : t.error;
    error.hidden = false;
  }
}

function noteActivity() {
  lastInput = Date.now();
  touched = true;
}

function watchIdle() {
  const limit = Number(root.dataset.lockSeconds) * 1000;
  setInterval(() => { if (!locked && Date.now() - lastInput > limit) lockNow(); }, 5000);
}

root.querySelectorAll("[data-action]").forEach((button) => {
  button.addEventListener("click", () => act(button.dataset.action));
});
const pause = document.getElementById("pause-btn");
if (pause) {
  pause.addEventListener("click", async () => {
    touched = true;
    await send(`/api/v1/desks/${root.dataset.desk}/pause`, { paused: pause.dataset.paused !== "1" });
    poll();
  });
}
document.getElementById("lock-btn").addEventListener("click", lockNow);
document.getElementById("unlock-form").addEventListener("submit", unlock);
["keydown", "pointerdown", "input"].forEach((type) => document.addEventListener(type, noteActivity, true));
document.addEventListener("keydown", onKey);
wireAssistForm(document.getElementById("assist-form"), document.getElementById("same-as-last"));
if (locked) showLock();
watchIdle();
poll();
setInterval(poll, POLL_MS);

// The referral's QR code: print only that panel (the print stylesheet keys on the body class).
const printReferral = document.getElementById("print-referral");
if (printReferral) {
  printReferral.addEventListener("click", () => {
    document.body.classList.add("print-referral");
    window.print();
  });
  window.addEventListener("afterprint", () => document.body.classList.remove("print-referral"));
}
