"""Bytes and first paint of the four screens in Chromium, and the board's delay from a call to
the screen, against the product under gunicorn (demo data, a kiosk paired as an installer does).

    .venv/bin/python bench/browser.py [--calls 20] [--database sqlite|postgresql] [--json FILE]

Per screen (/kiosk, /kiosk/ticket/<token>, /console as canbo, /display?site=DEMO): bytes over the
wire (CDP Network.loadingFinished encodedDataLength, headers included; resource timing's
transferSize beside it) and first contentful paint, on a cold cache and on a repeat visit,
then the bytes its polls cost in a minute. The board: N tickets called through the staff API;
a MutationObserver stamps when the desk tile's number changes (and the frame after it); the
delay is that stamp minus the moment the call's answer arrived. Figures are printed only.
"""
import argparse
import json
import random
import statistics
import time
from pathlib import Path

import prepare
from centre_day import percentile
from client import Client
from day import open_day
from servers import gunicorn, product_env

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
PORTRAIT, LAPTOP, TV = ({"width": 1080, "height": 1920}, {"width": 1366, "height": 768},
                        {"width": 1920, "height": 1080})
POLL_SECONDS = 10  # the window the polls' bytes are counted over (then shown per minute)

FCP_JS = """() => new Promise((resolve) => {
  const found = () => performance.getEntriesByName("first-contentful-paint")[0];
  if (found()) return resolve(found().startTime);
  new PerformanceObserver(() => found() && resolve(found().startTime))
    .observe({type: "paint", buffered: true});
  setTimeout(() => resolve(null), 5000);
})"""
TIMING_JS = """() => {
  const nav = performance.getEntriesByType("navigation")[0];
  const res = performance.getEntriesByType("resource");
  return {rt_bytes: nav.transferSize + res.reduce((s, r) => s + r.transferSize, 0),
          dcl_ms: nav.domContentLoadedEventEnd, load_ms: nav.loadEventEnd};
}"""
OBSERVE_JS = """(desk) => {
  window.benchChanges = [];
  const number = document.querySelector(`.desk[data-desk="${desk}"] .desk-number`);
  new MutationObserver(() => {
    const change = {text: number.textContent, dom: performance.timeOrigin + performance.now()};
    window.benchChanges.push(change);
    requestAnimationFrame(() => { change.frame = performance.timeOrigin + performance.now(); });
  }).observe(number, {childList: true, characterData: true, subtree: true});
}"""


class Wire:
    """Count the bytes and requests of one page through Chrome DevTools' Network domain."""

    def __init__(self, context, page):
        self.bytes, self.requests, self.statuses = 0, 0, {}
        self.headers = {}  # request id -> bytes of its response's headers
        cdp = context.new_cdp_session(page)
        cdp.on("Network.requestWillBeSent", lambda _e: self._request())
        cdp.on("Network.responseReceived", self._response)
        cdp.on("Network.loadingFailed", self._failed)
        cdp.on("Network.loadingFinished", self._finished)
        cdp.send("Network.enable")

    def _request(self):
        """Count a request the page sends."""
        self.requests += 1

    def _response(self, event):
        """Count an answer's status and remember the size of its headers."""
        status = event["response"]["status"]
        self.statuses[status] = self.statuses.get(status, 0) + 1
        self.headers[event["requestId"]] = event["response"].get("encodedDataLength", 0)

    def _failed(self, event):
        """Count the headers of a load cut short: Chromium cancels a fetch's 304 whose (empty)
        body the page never reads, and reports it as failed, canceled, after its headers came."""
        self.bytes += self.headers.pop(event["requestId"], 0)
        key = "canceled" if event.get("canceled") else "failed"
        self.statuses[key] = self.statuses.get(key, 0) + 1

    def _finished(self, event):
        """Add a finished response's bytes on the wire (headers and body, as encoded)."""
        self.headers.pop(event["requestId"], None)
        self.bytes += event["encodedDataLength"]

    def take(self) -> tuple[int, int, dict]:
        """Return (bytes, requests, statuses) since the last take, and start afresh."""
        out = (int(self.bytes), self.requests, self.statuses)
        self.bytes, self.requests, self.statuses = 0, 0, {}
        return out


def sign_in(page, base: str, username: str) -> None:
    """Sign a demo user in through the form (demo passwords are '<username>-demo')."""
    page.goto(base + "/login")
    page.fill("#username", username)
    page.fill("#password", f"{username}-demo")
    page.click("button[type=submit]")
    page.wait_for_load_state()


def paired_kiosk_state(browser, base: str) -> tuple[dict, str]:
    """Pair a kiosk through /admin/kiosks and /kiosk, take a number through the three taps;
    return the kiosk's cookies (storage state) and its ticket's screen path."""
    admin = browser.new_context(viewport=LAPTOP)
    page = admin.new_page()
    sign_in(page, base, "admin")
    page.goto(base + "/admin/kiosks")
    page.fill("#name", "Kiosk bench")
    page.click("form.panel button[type=submit]")
    code = page.locator(".pairing-panel", has_text="Kiosk bench").locator(".pairing-code")
    code = code.inner_text().strip()
    admin.close()
    kiosk = browser.new_context(viewport=PORTRAIT, has_touch=True)
    page = kiosk.new_page()
    page.goto(base + "/kiosk")
    page.fill("#code", code)
    page.click("button[type=submit]")
    page.wait_for_selector(".service-grid")
    page.click("a[data-service=device]")
    page.click("#priority-no")
    page.click("#take-number")
    page.wait_for_url("**/kiosk/ticket/**")
    ticket_path = page.url.removeprefix(base).split("?")[0]
    state = kiosk.storage_state()
    kiosk.close()
    return state, ticket_path


def console_state(browser, base: str) -> dict:
    """Sign canbo in and pick desk 1; return the session's storage state."""
    context = browser.new_context(viewport=LAPTOP)
    page = context.new_page()
    sign_in(page, base, "canbo")
    page.goto(base + "/console")
    page.select_option("#desk", label="Quầy 1")
    page.click("text=Chọn quầy")
    page.wait_for_load_state()
    state = context.storage_state()
    context.close()
    return state


def measure_screen(browser, base: str, name: str, path: str, viewport: dict, state=None) -> dict:
    """Load a screen cold, then again (cache warm), then let it poll; return the figures."""
    context = browser.new_context(viewport=viewport, storage_state=state)
    page = context.new_page()
    wire = Wire(context, page)
    out = {"screen": name, "path": path}
    for visit in ("cold", "repeat"):
        response = page.goto(base + path, wait_until="load")
        fcp = page.evaluate(FCP_JS)
        page.wait_for_timeout(300)  # the last responses of the load finish
        size, requests, _statuses = wire.take()
        out[visit] = {"status": response.status, "bytes": size, "requests": requests,
                      "fcp_ms": fcp, **page.evaluate(TIMING_JS)}
    page.wait_for_timeout(POLL_SECONDS * 1000)
    size, requests, out["poll_statuses"] = wire.take()
    out["poll_bytes_per_min"] = size * 60 / POLL_SECONDS
    out["poll_requests_per_min"] = requests * 60 / POLL_SECONDS
    context.close()
    return out


def board_delay(browser, base: str, site: dict, calls: int) -> dict:
    """Call `calls` tickets at desk 2 and time each until the board's tile shows it."""
    kiosk, staff = Client(base, site["kiosk"]), Client(base, site["staff"])
    desk_id, desk_number = site["desks"][1], 2
    for n in range(calls):
        kiosk.request("POST", "/api/v1/tickets", {"service": site["services"][n % 3]})
    context = browser.new_context(viewport=TV)
    page = context.new_page()
    page.goto(base + "/display?site=DEMO", wait_until="load")
    page.evaluate(OBSERVE_JS, desk_number)
    dom, frame = [], []
    for _ in range(calls):
        answer = staff.request("POST", f"/api/v1/desks/{desk_id}/call-next")
        answered = time.time() * 1000
        number = answer.data["ticket"]["number"]
        page.wait_for_function("(n) => window.benchChanges.some((c) => c.text === n && c.frame)",
                               arg=number, timeout=15000)
        change = page.evaluate("(n) => window.benchChanges.find((c) => c.text === n)", number)
        dom.append(change["dom"] - answered)
        frame.append(change["frame"] - answered)
        staff.request("POST", f"/api/v1/tickets/{answer.data['ticket']['id']}/finish")
        time.sleep(random.uniform(0.2, 1.2))  # calls fall anywhere in the board's 1 s cycle
    context.close()
    return {"calls": calls, "dom_ms": dom, "frame_ms": frame}


def print_figures(screens: list[dict], delay: dict) -> None:
    """Print the screens' table and the board's delay."""
    print(f"\n  {'screen':<34} {'cold: bytes':>12} {'req':>4} {'FCP':>7}   "
          f"{'repeat: bytes':>13} {'req':>4} {'FCP':>7}   polls/min: bytes  req")
    for s in screens:
        cold, again = s["cold"], s["repeat"]
        print(f"  {s['screen']:<34} {cold['bytes']:>12,} {cold['requests']:>4} "
              f"{cold['fcp_ms'] or 0:>5.0f}ms   {again['bytes']:>13,} {again['requests']:>4} "
              f"{again['fcp_ms'] or 0:>5.0f}ms   {s['poll_bytes_per_min']:>15,.0f} "
              f"{s['poll_requests_per_min']:>4.0f}")
        polls = ", ".join(f"{k}: {v}" for k, v in sorted(s["poll_statuses"].items(), key=str))
        print(f"  {'':<34} (resource timing transferSize: cold {cold['rt_bytes']:,}, "
              f"repeat {again['rt_bytes']:,}; HTTP {cold['status']}; polls {polls or 'none'})")
    for key, label in (("dom_ms", "number changed in the DOM"), ("frame_ms", "next frame")):
        values = delay[key]
        print(f"  board, call answered -> {label}: p50 {percentile(values, 0.5):.0f} ms, "
              f"p95 {percentile(values, 0.95):.0f} ms, mean {statistics.mean(values):.0f} ms, "
              f"max {max(values):.0f} ms ({delay['calls']} calls)")


def main() -> None:
    """Start the product on fresh demo data, measure in Chromium, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=20)
    parser.add_argument("--database", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--pg-database", default="bench")
    parser.add_argument("--json", type=Path)
    parser.add_argument("--fresh", action="store_true", help="rebuild the prepared template")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    url, meta, note = prepare.prepare(args.database, "paths", args.pg_database, args.fresh)
    print(f"bench/browser.py: product on {url} ({note}), Chromium {CHROMIUM}", flush=True)
    demo = [s for s in meta["sites"] if s["site"] == "DEMO"]
    with gunicorn("wsgi:app", product_env(url), "/healthz", 2, 4) as server, \
            sync_playwright() as pw:
        site = open_day(server.base, meta, demo, prepare.WAITING_PER_SITE)[0]
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        kiosk, ticket_path = paired_kiosk_state(browser, server.base)
        console = console_state(browser, server.base)
        screens = [
            measure_screen(browser, server.base, "kiosk home /kiosk", "/kiosk", PORTRAIT, kiosk),
            measure_screen(browser, server.base, "ticket /kiosk/ticket/<token>", ticket_path,
                           PORTRAIT, kiosk),
            measure_screen(browser, server.base, "console /console (canbo)", "/console",
                           LAPTOP, console),
            measure_screen(browser, server.base, "board /display?site=DEMO",
                           "/display?site=DEMO", TV),
        ]
        delay = board_delay(browser, server.base, site, args.calls)
        browser.close()
    print_figures(screens, delay)
    if args.json:
        args.json.write_text(json.dumps({"screens": screens, "board_delay": delay}, indent=1))
        print(f"figures written to {args.json}")


if __name__ == "__main__":
    main()
