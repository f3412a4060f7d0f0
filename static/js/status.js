// The citizen's phone: poll the ticket's status every 1.5 s; keep the last state when offline.
import { conditionalPoll } from "./poll.js";

const fetchState = conditionalPoll();
const root = document.getElementById("status");
const url = root.dataset.pollUrl;
const $ = (id) => document.getElementById(id);
let last = "";

function show(state) {
  $("called").hidden = !state.desk;
  $("desk").textContent = state.desk || "";
  $("waiting").hidden = state.status !== "waiting";
  $("ahead").textContent = String(state.ahead);
  $("finished").hidden = !["done", "no_show", "cancelled"].includes(state.status);
  $("learn").hidden = state.status !== "waiting";
  if (state.desk && last !== "called" && navigator.vibrate) navigator.vibrate([300, 150, 300]);
  last = state.desk ? "called" : state.status;
  // A finished ticket asks for a rating: reload once so the server renders the faces.
  if (state.status === "done" && !document.querySelector(".rate-phone, .rate-phone-done")) {
    window.location.reload();
  }
}

async function poll() {
  try {
    const { unchanged, response } = await fetchState(url);
    if (response.status === 404) { window.location.reload(); return; }
    if (!unchanged) {
      if (!response.ok) throw new Error(String(response.status));
      const state = await response.json();
      if (state.status === "expired") { window.location.reload(); return; }
      show(state);
    }
    document.body.classList.remove("is-offline");
  } catch (error) {
    document.body.classList.add("is-offline");
  }
  window.setTimeout(poll, 1500);
}
window.setTimeout(poll, 1500);

// Reopened while the server is down, the phone page shows the wait page, then returns (sw.js).
if ("serviceWorker" in navigator) {
  navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(() => {});
}
