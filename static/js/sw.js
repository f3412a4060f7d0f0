// Service worker of the kiosk, the waiting-room board and the phone page: when a navigation
// cannot reach the server (restart, power cut, cable), show the pre-cached Vietnamese wait
// page instead of the browser's English error; the page returns by itself (offline.js).
const CACHE = "kiosk-offline-v1";
const OFFLINE_URL = "/offline";
const PRECACHE = [OFFLINE_URL, "/static/css/offline.css", "/static/js/offline.js"];
// Only the public screens; staff pages keep the browser's own behaviour.
const SCREENS = ["/kiosk", "/display", "/t/", OFFLINE_URL];

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(PRECACHE))
    .then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(caches.keys()
    .then((keys) => Promise.all(keys.filter((k) => k !== CACHE).map((k) => caches.delete(k))))
    .then(() => self.clients.claim()));
});

function offlineRedirect(request) {
  // A failed form post cannot be replayed by a GET: wait, then go back to the page it came from.
  let next = "/kiosk";
  if (request.referrer) {
    const from = new URL(request.referrer);
    if (from.origin === self.location.origin) next = from.pathname + from.search;
  }
  return Response.redirect(`${OFFLINE_URL}?next=${encodeURIComponent(next)}`, 303);
}

async function navigate(request) {
  try {
    return await fetch(request);
  } catch (error) {
    if (request.method !== "GET") return offlineRedirect(request);
    return (await caches.match(OFFLINE_URL)) || Response.error();
  }
}

async function precached(request) {
  try {
    return await fetch(request);
  } catch (error) {
    return (await caches.match(request, { ignoreSearch: true })) || Response.error();
  }
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === "navigate") {
    if (SCREENS.some((prefix) => url.pathname.startsWith(prefix))) event.respondWith(navigate(request));
  } else if (request.method === "GET" && PRECACHE.includes(url.pathname)) {
    event.respondWith(precached(request));
  }
});
