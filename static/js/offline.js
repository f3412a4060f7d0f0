// The wait page: ask /healthz every few seconds and go back to the page the citizen wanted
// as soon as the server (and its database) answers again; a kiosk's form post is sent again.
const root = document.querySelector("[data-wait]");
const POLL_MS = Number(root.dataset.pollSeconds || 3) * 1000;

function localPath(value, fallback) {
  return value && value.startsWith("/") && !value.startsWith("//") ? value : fallback;
}

function target() {
  if (root.dataset.return) return localPath(root.dataset.return, "/kiosk");
  if (window.location.pathname === "/offline") {
    return localPath(new URLSearchParams(window.location.search).get("next"), "/kiosk");
  }
  // Served by the service worker in place of the page asked for: that page is the address.
  return window.location.pathname + window.location.search;
}

async function check() {
  try {
    const response = await fetch("/healthz", { cache: "no-store" });
    if (response.ok) {
      const again = document.querySelector("form[data-resubmit]");
      if (again) again.submit(); // the kiosk's post (taking a number), once more
      else window.location.replace(target());
      return;
    }
  } catch (error) {
    // still unreachable: try again
  }
  window.setTimeout(check, POLL_MS);
}

window.setTimeout(check, POLL_MS);
