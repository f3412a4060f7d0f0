#!/usr/bin/env bash
# Check a running deployment from outside, as a browser would:
#
#   deploy/smoke.sh http://192.168.1.10 [SITE]
#
# health (database read and write, answered within a second), the kiosk page, the board's
# state for SITE (default: the first site on the landing page), a static file, no resource
# loaded from outside the server (the LAN may have no internet), and PUBLIC_URL set to an
# address phones can reach. Prints each check, then what is wrong; exits 1 when anything is.
# SMOKE_INSECURE=1 accepts a self-signed certificate; SMOKE_PUBLIC_URL=warn only warns about
# PUBLIC_URL (deploy/upgrade.sh: a release cannot fix the settings).
set -euo pipefail
[ $# -ge 1 ] || { sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'; exit 2; }

exec python3 - "$@" <<'PY'
import json
import re
import ssl
import sys
import time
import urllib.error
import urllib.request
from os import environ
from urllib.parse import urljoin, urlsplit

base = sys.argv[1].rstrip("/")
site = sys.argv[2] if len(sys.argv) > 2 else None
problems = []
context = ssl._create_unverified_context() if environ.get("SMOKE_INSECURE") == "1" else None


def get(path):
    """Return (status, headers, body text, seconds) of a GET, or raise OSError."""
    started = time.monotonic()
    request = urllib.request.Request(urljoin(base + "/", path.lstrip("/")),
                                     headers={"User-Agent": "hotro-so-smoke"})
    try:
        with urllib.request.urlopen(request, timeout=10, context=context) as response:
            body = response.read()
            status, headers = response.status, response.headers
    except urllib.error.HTTPError as error:
        body, status, headers = error.read(), error.code, error.headers
    return status, headers, body.decode("utf-8", "replace"), time.monotonic() - started


def check(name, ok, problem, warn_only=False):
    print(f"{'ok  ' if ok else 'WARN' if warn_only else 'FAIL'} {name}")
    if not ok and warn_only:
        print(f"     {problem}")
    elif not ok:
        problems.append(problem)
    return ok


# Resources a page loads (not links a person may follow): scripts, styles, images, frames, fonts.
RESOURCE = re.compile(r"""<(?:script|img|iframe|audio|video|source|embed)\b[^>]*\bsrc\s*=\s*["']([^"']+)"""
                      r"""|<link\b[^>]*\bhref\s*=\s*["']([^"']+)|url\(\s*["']?([^"')]+)"""
                      r"""|@import\s+["']([^"']+)""", re.I)


def external_resources(html):
    own = urlsplit(base).netloc
    found = []
    for match in RESOURCE.finditer(html):
        url = next(g for g in match.groups() if g)
        if url.startswith("//") or re.match(r"https?://", url, re.I):
            if urlsplit(url if "://" in url else "http:" + url).netloc != own:
                found.append(url)
    return found


try:
    status, _h, body, seconds = get("/healthz")
except OSError as error:
    print(f"FAIL cannot reach {base}: {error}")
    sys.exit(1)
health = {}
try:
    health = json.loads(body)
except ValueError:
    pass
check("health: database reads and writes", status == 200 and health.get("database") == "ok",
      f"/healthz answered {status} {body[:200]!r}: the database is not usable (journalctl -u hotro-so)")
check(f"health: answered in {seconds:.2f} s", seconds < 1.0,
      f"/healthz took {seconds:.2f} s (more than a second): the server or its database is overloaded")
public = health.get("public_url")
check("PUBLIC_URL reachable by phones", public == "ok",
      {"unset": "PUBLIC_URL is not set: ticket QR codes carry the kiosk's own address",
       "loopback": "PUBLIC_URL points at localhost: no phone can open the ticket QR codes",
       "invalid": "PUBLIC_URL is not an http(s) address"}.get(public, f"/healthz says public_url={public!r}")
      + " (set it in /etc/hotro-so/env, then systemctl restart hotro-so)",
      warn_only=environ.get("SMOKE_PUBLIC_URL") == "warn")

pages = {}
status, _h, landing, _s = get("/")
check("landing page", status == 200, f"/ answered {status}")
pages["/"] = landing
if site is None:
    match = re.search(r"/display\?site=([A-Za-z0-9_-]+)", landing)
    site = match.group(1) if match else None
check("a site to check", site is not None, "no site found on the landing page: pass SITE as the second argument")

status, _h, kiosk, _s = get("/kiosk")
check("kiosk page", status == 200 and 'lang="vi"' in kiosk, f"/kiosk answered {status}")
pages["/kiosk"] = kiosk

if site:
    status, _h, body, _s = get(f"/api/v1/display?site={site}")
    try:
        state = json.loads(body)
    except ValueError:
        state = {}
    check(f"board state of {site}", status == 200 and "desks" in state,
          f"/api/v1/display?site={site} answered {status} {body[:200]!r}")
    status, _h, board, _s = get(f"/display?site={site}")
    check(f"board page of {site}", status == 200, f"/display?site={site} answered {status}")
    pages[f"/display?site={site}"] = board

static = re.search(r'href="(/static/[^"]+\.css[^"]*)"', kiosk)
if check("a stylesheet named by the kiosk page", static is not None, "the kiosk page names no stylesheet"):
    status, headers, css, _s = get(static.group(1).replace("&amp;", "&"))
    check(f"static file {static.group(1)}", status == 200 and "css" in (headers.get("Content-Type") or ""),
          f"{static.group(1)} answered {status} ({headers.get('Content-Type')}): static files are not served")
    pages[static.group(1)] = css

for path, html in pages.items():
    outside = external_resources(html)
    check(f"nothing loaded from outside: {path}", not outside,
          f"{path} loads {', '.join(outside[:3])} from outside the server (no internet on the LAN)")

if problems:
    print("\nWhat is wrong:")
    for problem in problems:
        print(f"  - {problem}")
    sys.exit(1)
print(f"\n{base}: every check passed")
PY
