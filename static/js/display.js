// The waiting-room board: polls the server every second, redraws, and reads calls one at a time.
// window.boardAnnouncements lists the texts read so far, in order (tests observe it).
import { Announcer } from "./display-announcer.js";
import { conditionalPoll } from "./poll.js";

const fetchState = conditionalPoll();

const root = document.querySelector("[data-board]");
const text = root.dataset;
const POLL_MS = 1000;
const TIMEOUT_MS = 4000;
const ROTATE_MS = 12000;
const TZ = "Asia/Ho_Chi_Minh";

let cursor = Number(root.dataset.cursor);
const startCursor = cursor; // events before the board opened are never read out
const announced = new Set(); // the server repeats recent events (late commits); read each once
let clockOffset = Date.parse(root.dataset.now) - Date.now();
const announcer = new Announcer(root, {
  audioUrl: root.dataset.audio, site: root.dataset.site, mode: root.dataset.voice,
  version: root.dataset.voiceVersion,
});

function el(tag, className, content) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (content !== undefined) node.textContent = content;
  return node;
}

function replaceItems(list, items, emptyText, build) {
  const nodes = items.length ? items.map(build) : [el("li", "empty", emptyText)];
  list.replaceChildren(...nodes);
}

function renderDesks(desks) {
  for (const d of desks) {
    const tile = root.querySelector(`.desk[data-desk="${d.desk}"]`);
    if (!tile) continue;
    const shown = d.number || "—";
    const number = tile.querySelector(".desk-number");
    if (number.textContent !== shown) {
      number.textContent = shown;
      tile.classList.toggle("desk-idle", !d.number);
      if (d.number) flashTile(tile);
    }
  }
}

function flashTile(tile) {
  tile.classList.remove("flash");
  void tile.offsetWidth; // restart the CSS animation
  tile.classList.add("flash");
}

function renderLists(state) {
  replaceItems(root.querySelector(".recent-list"), state.recent, text.textNoCalls, (c) => {
    const li = el("li");
    li.append(el("b", "", c.number), " ", el("span", "", `${text.textDesk} ${c.desk}`));
    return li;
  });
  replaceItems(root.querySelector(".waiting-list"), state.waiting.filter((w) => w.count),
    text.textNone, (w) => {
      const li = el("li");
      li.append(el("b", "prefix", w.prefix), el("span", "service", w.name),
        el("b", "count", String(w.count)));
      return li;
    });
  replaceItems(root.querySelector(".duty-list"), state.on_duty, text.textNoDuty, (h) => {
    const li = el("li", "", `${h.name} `);
    li.append(el("small", "", h.hours));
    return li;
  });
}

function renderTicker(ticker) {
  const footer = root.querySelector(".ticker");
  const span = footer.querySelector(".ticker-text");
  footer.hidden = !ticker;
  if (span.textContent !== ticker) span.textContent = ticker;
  footer.style.setProperty("--ticker-seconds", `${Math.max(20, ticker.length * 0.22)}s`);
}

function render(state) {
  clockOffset = Date.parse(state.now) - Date.now();
  renderDesks(state.desks);
  renderLists(state);
  renderTicker(state.ticker);
  announcer.version = state.voice_version;
}

function setOnline(online) {
  root.querySelector(".conn").hidden = online;
  root.classList.toggle("offline", !online);
}

async function poll() {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), TIMEOUT_MS);
  try {
    const { unchanged, response } = await fetchState(
      `${root.dataset.api}${root.dataset.api.includes("?") ? "&" : "?"}after=${cursor}`,
      { signal: controller.signal });
    if (unchanged) { setOnline(true); return; } // nothing new to show or read out
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    const state = await response.json();
    render(state);
    for (const event of state.events) {
      if (event.id <= startCursor || announced.has(event.id)) continue;
      announced.add(event.id);
      if (event.announce) announcer.enqueue(event);
    }
    cursor = Math.max(cursor, state.last_event);
    setOnline(true);
  } catch (error) {
    setOnline(false); // keep the last state on screen; try again next tick
  } finally {
    clearTimeout(timer);
    setTimeout(poll, POLL_MS);
  }
}

const timeFormat = new Intl.DateTimeFormat("vi-VN", { timeZone: TZ, hour: "2-digit", minute: "2-digit", hourCycle: "h23" });
const dateFormat = new Intl.DateTimeFormat("vi-VN", { timeZone: TZ, weekday: "long", day: "2-digit", month: "2-digit", year: "numeric" });

function tick() {
  const now = new Date(Date.now() + clockOffset);
  root.querySelector(".clock-time").textContent = timeFormat.format(now);
  const date = dateFormat.format(now);
  root.querySelector(".clock-date").textContent = date.charAt(0).toUpperCase() + date.slice(1);
}

function rotatePlatforms() {
  const panels = [...root.querySelectorAll(".platform")];
  if (panels.length < 2) return;
  const current = panels.findIndex((p) => !p.hidden);
  panels.forEach((p, i) => { p.hidden = i !== (current + 1) % panels.length; });
}

tick();
setInterval(tick, 1000);
setInterval(rotatePlatforms, ROTATE_MS);
setTimeout(poll, POLL_MS);

// A board restarted while the server is down shows the wait page, then returns (sw.js).
if ("serviceWorker" in navigator) {
  navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(() => {});
}
