"""Who may do what: report viewers call nothing; nobody acts on another site's queue."""
import pytest

from tests.staff.helpers import desk_ids, kiosk_headers, other_site, staff_headers, take_ticket


@pytest.mark.parametrize("user", ["vhxh", "thanhpho"])
def test_report_viewers_cannot_call_or_log(client, demo, runner, user):
    take_ticket(client, kiosk_headers(runner))
    desk = desk_ids(client, staff_headers(runner))[0]
    headers = staff_headers(runner, user)
    assert client.post(f"/api/v1/desks/{desk}/call-next", headers=headers).status_code == 403
    assert client.get(f"/api/v1/desks/{desk}/console", headers=headers).status_code == 403
    assert client.post("/api/v1/assists", json={"category": "vneid"}, headers=headers).status_code == 403


def test_report_viewer_pages_are_forbidden(client, demo, login):
    login("vhxh")
    for url in ("/console", "/field", "/assists/mine", "/console/rota"):
        assert client.get(url).status_code == 403, url


def test_volunteer_cannot_touch_another_sites_queue(client, demo, runner):
    ids = other_site(demo)
    headers = staff_headers(runner, "doanvien")
    assert client.post(f"/api/v1/desks/{ids['desk']}/call-next", headers=headers).status_code == 404
    assert client.get(f"/api/v1/desks/{ids['desk']}/console", headers=headers).status_code == 404
    assert client.post(f"/api/v1/desks/{ids['desk']}/pause", json={"paused": True},
                       headers=headers).status_code == 404
    for action in ("recall", "no-show", "start", "finish"):
        assert client.post(f"/api/v1/tickets/{ids['ticket']}/{action}", headers=headers).status_code == 404
    assert client.post(f"/api/v1/tickets/{ids['ticket']}/transfer", json={"service": "vneid"},
                       headers=headers).status_code == 404
    logged = client.post("/api/v1/assists", json={"category": "vneid", "ticket_id": ids["ticket"]},
                         headers=headers)
    assert logged.status_code == 400 and logged.get_json()["error"]["field"] == "ticket_id"
    huge = 2**40  # beyond PostgreSQL INTEGER: still a 404, never a 500
    assert client.post(f"/api/v1/desks/{huge}/call-next", headers=headers).status_code == 404
    assert client.post(f"/api/v1/tickets/{huge}/finish", headers=headers).status_code == 404
    # and their own desk list holds only DEMO desks
    assert ids["desk"] not in desk_ids(client, headers)


def test_volunteer_cannot_edit_the_rota(client, demo, login):
    login("doanvien")
    assert client.get("/console/rota").status_code == 403
