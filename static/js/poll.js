// A live screen's poll names the state it already has (If-None-Match with the last ETag):
// the server answers 304 while nothing changed, and the screen keeps what it shows.
export function conditionalPoll() {
  let etag = null;
  return async function poll(url, options = {}) {
    const headers = { ...(options.headers || {}) };
    if (etag) headers["If-None-Match"] = etag;
    const response = await fetch(url, { cache: "no-store", ...options, headers });
    if (response.status === 304) return { unchanged: true, response };
    if (response.ok) etag = response.headers.get("ETag");
    return { unchanged: false, response };
  };
}
