// Kiosk behaviour: idle reset (60 s idle, then a 20 s countdown), navigation without history.
const script = document.currentScript || document.querySelector("script[data-reset-url]");
const RESET_URL = script ? script.dataset.resetUrl : "/kiosk/reset";
const body = document.body;
const IDLE_MS = Number(body.dataset.idleSeconds || 60) * 1000;
const COUNTDOWN = Number(body.dataset.countdownSeconds || 20);

// Going back never shows a previous citizen's screen: a back/forward visit resets the kiosk.
const navigation = performance.getEntriesByType("navigation")[0];
if (navigation && navigation.type === "back_forward" && body.dataset.idle !== "off") {
  window.location.replace(RESET_URL);
}
window.addEventListener("pageshow", (event) => {
  if (event.persisted && body.dataset.idle !== "off") window.location.replace(RESET_URL);
});

const overlay = document.getElementById("idle-overlay");
const countEl = document.getElementById("idle-count");
const stay = document.getElementById("idle-stay");
let idleTimer = null;
let countdownTimer = null;

// Every navigation replaces the current entry: a kiosk keeps no history of the last citizen.
document.addEventListener("click", (event) => {
  const link = event.target.closest("a[href]");
  if (!link || link.target || link.hasAttribute("download")) return;
  event.preventDefault();
  window.location.replace(link.href);
});

function resetNow() {
  window.location.replace(RESET_URL);
}

function startCountdown() {
  if (!overlay) return resetNow();
  let left = COUNTDOWN;
  countEl.textContent = String(left);
  overlay.hidden = false;
  stay.focus();
  countdownTimer = window.setInterval(() => {
    left -= 1;
    countEl.textContent = String(left);
    if (left <= 0) {
      window.clearInterval(countdownTimer);
      resetNow();
    }
  }, 1000);
}

function armIdle() {
  window.clearTimeout(idleTimer);
  if (body.dataset.idle === "off") return;
  idleTimer = window.setTimeout(startCountdown, IDLE_MS);
}

function stillHere() {
  window.clearInterval(countdownTimer);
  if (overlay) overlay.hidden = true;
  armIdle();
}

if (stay) stay.addEventListener("click", stillHere);
for (const type of ["pointerdown", "keydown", "input"]) {
  document.addEventListener(type, () => { if (!overlay || overlay.hidden) armIdle(); }, { passive: true });
}
armIdle();

// The ticket screen: print, then return home after a few seconds or on a tap.
const ticket = document.querySelector("[data-return-after]");
if (ticket) {
  if (ticket.dataset.autoprint === "1") window.setTimeout(() => window.print(), 300);
  let left = Number(ticket.dataset.returnAfter);
  const shown = document.getElementById("return-count");
  const tick = window.setInterval(() => {
    left -= 1;
    if (shown) shown.textContent = String(left);
    if (left <= 0) { window.clearInterval(tick); resetNow(); }
  }, 1000);
  const done = document.getElementById("ticket-done");
  if (done) done.addEventListener("click", (e) => { e.preventDefault(); resetNow(); });
}

// The contact form appears only when asked for; skipping stays the biggest button.
const reveal = document.getElementById("want-contact-button");
if (reveal) {
  reveal.addEventListener("click", (event) => {
    event.preventDefault();
    document.getElementById("contact-form").hidden = false;
    document.getElementById("want_contact").checked = true;
    reveal.hidden = true;
    document.getElementById("name").focus();
  });
}

// A kiosk without a network printer prints the ticket page itself (no inline handler: CSP).
for (const form of document.querySelectorAll("form[data-print-here]")) {
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    window.print();
  });
}

// Outages: when a tap cannot reach the server (restart, power cut) the service worker shows
// the Vietnamese wait page (sw.js); a 503 shows it too, and it posts the kiosk's form again
// by itself once the server answers (offline.js).
if ("serviceWorker" in navigator) {
  navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(() => {});
}
