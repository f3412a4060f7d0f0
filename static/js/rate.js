// The counter-facing rating tablet: lights up when its desk finishes a ticket, thanks, goes idle.
const root = document.getElementById("rate");
const csrf = document.querySelector('meta[name="csrf-token"]').content;
const POLL_MS = 1500;
const THANKS_MS = 5000;
const SCALE = Number(root.dataset.scale);
let ticket = null;
let pausedUntil = 0;

function show(which) {
  ["idle", "ask", "thanks"].forEach((name) => {
    document.getElementById(`rate-${name}`).hidden = name !== which;
  });
}

async function poll() {
  if (Date.now() < pausedUntil) return;
  try {
    const response = await fetch(root.dataset.stateUrl, { credentials: "same-origin" });
    if (!response.ok) return;
    const data = await response.json();
    // The administrator changed the scale: show the new faces, unless a citizen is answering.
    if (typeof data.scale === "number" && data.scale !== SCALE && !data.ticket) {
      window.location.reload();
      return;
    }
    ticket = data.ticket;
    if (ticket) {
      document.getElementById("rate-number").textContent = ticket.number;
      show("ask");
    } else {
      show("idle");
    }
  } catch (err) {
    show("idle");
  }
}

async function rate(level) {
  if (!ticket) return;
  // The level tapped, with the scale the citizen saw (1 = least satisfied).
  const body = JSON.stringify({ ticket_id: ticket.id, level, scale: SCALE });
  ticket = null;
  pausedUntil = Date.now() + THANKS_MS;
  // Thank the citizen once the answer is stored; on failure the next poll asks again.
  const response = await fetch(root.dataset.postUrl, {
    method: "POST", credentials: "same-origin", body,
    headers: { "Content-Type": "application/json", "X-CSRFToken": csrf },
  }).catch(() => null);
  if (response && (response.ok || response.status === 409)) {
    show("thanks");
  } else {
    pausedUntil = 0;
    poll();
  }
}

root.querySelectorAll(".face").forEach((button) => {
  button.type = "button";
  button.addEventListener("click", () => rate(Number(button.dataset.level)));
});
poll();
setInterval(poll, POLL_MS);
