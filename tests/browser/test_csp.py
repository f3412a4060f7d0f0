"""The Content-Security-Policy blocks nothing the app itself needs (Chromium reports violations)."""
import json
import urllib.request

import pytest

from tests.browser.kiosk_helpers import LANDSCAPE, paired_kiosk
from tests.live import flask_cli, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.slow]
STAFF_PAGES = {
    "canbo": ["/console", "/assists/mine", "/console/rota"],
    "vhxh": ["/reports", "/reports/print"],
    "admin": ["/admin", "/admin/users", "/admin/kiosks", "/display/admin", "/admin/audit"],
}


def _watch(page, seen: list) -> None:
    """Record console messages and page errors that speak of the security policy."""
    page.on("console", lambda msg: seen.append(msg.text)
            if "Content Security Policy" in msg.text or "Content-Security-Policy" in msg.text
            else None)
    page.on("pageerror", lambda exc: seen.append(str(exc)))


def _phone_url(base, database_url) -> str:
    token = flask_cli(database_url, "create-kiosk", "--site", "DEMO", "--name", "CSP").strip()
    request = urllib.request.Request(
        base + "/api/v1/tickets", data=json.dumps({"service": "vneid"}).encode(), method="POST",
        headers={"Authorization": f"Bearer {token.splitlines()[-1]}",
                 "Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request) as response:
            return json.load(response)["status_url"]
    except urllib.error.HTTPError as exc:  # closed outside opening hours: no phone page to see
        pytest.skip(f"no ticket could be issued ({exc.code})")


def test_no_csp_violation_on_staff_screens_board_and_kiosk(live_server, live_sqlite, chromium):
    seen: list = []
    for username, paths in STAFF_PAGES.items():
        context = chromium.new_context(viewport=LANDSCAPE)
        page = context.new_page()
        _watch(page, seen)
        sign_in(page, live_server, username)
        for path in paths:
            page.goto(live_server + path)
            page.wait_for_load_state("networkidle")
        context.close()
    context = chromium.new_context(viewport=LANDSCAPE)
    page = context.new_page()
    _watch(page, seen)
    page.goto(live_server + "/display?site=DEMO")
    page.wait_for_selector("#board, body")
    page.wait_for_timeout(1500)
    context.close()
    context, page = paired_kiosk(chromium, live_server, LANDSCAPE, name="Kiosk CSP", bypass_csp=False)
    _watch(page, seen)
    page.reload()
    page.wait_for_load_state("networkidle")
    context.close()
    context = chromium.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    _watch(page, seen)
    page.goto(_phone_url(live_server, live_sqlite))
    page.wait_for_timeout(1500)
    context.close()
    assert seen == []
