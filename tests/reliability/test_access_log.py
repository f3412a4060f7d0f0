"""gunicorn's access log never holds a ticket's token (/t/<token>, /kiosk/ticket/<token>)."""
import pytest

from tests.reliability.conftest import kiosk_token, request, serving

pytestmark = pytest.mark.slow


def test_access_log_redacts_ticket_tokens(tmp_path, seeded_url):
    if not seeded_url.startswith("sqlite"):
        pytest.skip("the log format does not depend on the database")
    log = tmp_path / "access.log"
    token = kiosk_token(seeded_url)
    with serving(seeded_url, workers=1, threads=2, access_log=str(log)) as server:
        ticket = request(server.base, "POST", "/api/v1/tickets", {"service": "vneid"},
                         {"Authorization": f"Bearer {token}"})[2]
        secret = ticket["status_url"].rsplit("/", 1)[-1]
        request(server.base, "GET", f"/t/{secret}")
        request(server.base, "GET", f"/t/{secret}/status.json", headers={
            "Referer": f"{server.base}/t/{secret}"})
        request(server.base, "GET", f"/kiosk/ticket/{secret}?printed=1")
        request(server.base, "GET", f"/login?next=%2Fkiosk%2Fticket%2F{secret}")
    text = log.read_text()
    assert "/t/REDACTED" in text and "/kiosk/ticket/REDACTED" in text
    assert secret not in text
