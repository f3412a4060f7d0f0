"""Satisfaction: the tablet and the phone show the site's scale; the level tapped is stored with
its scale, in the words the citizen saw; the first answer stands; the admin picks the scale."""
import re

import pytest
from flask import render_template

from kiosk.assists.models import Assist
from kiosk.extensions import db
from kiosk.queue.models import Site, Ticket
from tests.staff.helpers import desk_ids, kiosk_headers, serve_one, take_ticket

WORDS = {3: ["Hài lòng", "Bình thường", "Không hài lòng"],
         4: ["Rất hài lòng", "Hài lòng", "Không hài lòng", "Rất không hài lòng"],
         5: ["Rất hài lòng", "Hài lòng", "Bình thường", "Không hài lòng", "Rất không hài lòng"]}


def set_scale(app, scale: int, code: str = "DEMO") -> None:
    with app.app_context():
        db.session.execute(db.select(Site).where(Site.code == code)).scalar_one().rating_scale = scale
        db.session.commit()


def stored(app, ticket_id: int) -> tuple:
    """Return the ticket's (rating, scale) and its assists' [(satisfaction, scale)]."""
    with app.app_context():
        ticket = db.session.get(Ticket, ticket_id)
        assists = db.session.execute(db.select(Assist.satisfaction, Assist.satisfaction_scale)
                                     .where(Assist.ticket_id == ticket_id)).all()
        return (ticket.rating, ticket.rating_scale), [tuple(a) for a in assists]


def face_words(html: str) -> list[str]:
    """Return the words of the face buttons, in their order on the screen."""
    return re.findall(r'<button type="submit" name="face"[^>]*>.*?<span>([^<]*)</span>', html, re.S)


@pytest.fixture
def finished(client, demo, runner, login):
    """Sign canbo in; return (desk id, a finished ticket logged as an assist)."""
    take_ticket(client, kiosk_headers(runner))
    login("canbo")
    desk = desk_ids(client)[0]
    ticket = serve_one(client, desk)
    client.post("/api/v1/assists", json={"ticket_id": ticket["id"], "category": "vneid"})
    return desk, ticket


def test_three_level_happy_is_stored_as_hai_long_not_rat_hai_long(client, demo, finished):
    desk, ticket = finished
    state = client.get(f"/api/v1/desks/{desk}/rating").get_json()
    assert state == {"ticket": {"id": ticket["id"], "number": ticket["number"]}, "scale": 3}
    html = client.get(f"/desk/{desk}/rate").get_data(as_text=True)
    assert face_words(html) == WORDS[3] and "Rất hài lòng" not in html
    ok = client.post(f"/api/v1/desks/{desk}/rating",
                     json={"ticket_id": ticket["id"], "level": 3, "scale": 3})
    assert ok.status_code == 200
    assert ok.get_json() == {"ticket": ticket["id"], "level": 3, "scale": 3, "label": "Hài lòng"}
    assert stored(demo, ticket["id"]) == ((3, 3), [(3, 3)])
    again = client.post(f"/api/v1/desks/{desk}/rating",
                        json={"ticket_id": ticket["id"], "level": 1, "scale": 3})
    assert again.status_code == 409 and stored(demo, ticket["id"]) == ((3, 3), [(3, 3)])
    assert client.get(f"/api/v1/desks/{desk}/rating").get_json() == {"ticket": None, "scale": 3}


@pytest.mark.parametrize("scale", [4, 5])
def test_each_scale_shows_its_words_and_stores_the_level_with_its_scale(client, demo, runner,
                                                                        login, scale):
    set_scale(demo, scale)
    take_ticket(client, kiosk_headers(runner))
    login("canbo")
    desk = desk_ids(client)[0]
    ticket = serve_one(client, desk)
    client.post("/api/v1/assists", json={"ticket_id": ticket["id"], "category": "vneid"})
    html = client.get(f"/desk/{desk}/rate").get_data(as_text=True)
    assert face_words(html) == WORDS[scale] and f'data-scale="{scale}"' in html
    # Without "scale" the site's scale is meant; "Hài lòng" is level scale-1 on 4 and 5.
    ok = client.post(f"/api/v1/desks/{desk}/rating",
                     json={"ticket_id": ticket["id"], "level": scale - 1})
    assert ok.get_json()["label"] == "Hài lòng"
    assert stored(demo, ticket["id"]) == ((scale - 1, scale), [(scale - 1, scale)])


@pytest.mark.parametrize("body, field", [
    ({"level": 4, "scale": 3}, "level"),
    ({"level": 0}, "level"),
    ({"level": 6, "scale": 5}, "level"),
    ({"face": "happy"}, "level"),
    ({"level": "3"}, "level"),
    ({"level": True}, "level"),
    ({"level": 2, "scale": 7}, "scale"),
    ({"level": 2, "scale": [3]}, "scale"),
])
def test_a_level_outside_the_scale_is_refused(client, demo, finished, body, field):
    desk, ticket = finished
    response = client.post(f"/api/v1/desks/{desk}/rating", json={"ticket_id": ticket["id"], **body})
    assert response.status_code == 400
    assert response.get_json()["error"]["field"] == field
    assert stored(demo, ticket["id"]) == ((None, None), [(None, None)])


def test_phone_shows_the_sites_scale_and_stores_the_level(client, demo, runner, login):
    set_scale(demo, 5)
    kiosk = kiosk_headers(runner)
    first = take_ticket(client, kiosk)
    login("canbo")
    ticket = serve_one(client, desk_ids(client)[0])
    assert ticket["id"] == first["id"]
    token = first["status_url"].rsplit("/", 1)[1]
    with demo.test_request_context():
        html = render_template("assists/_rate_faces.html", ticket=db.session.get(Ticket, ticket["id"]))
    assert face_words(html) == WORDS[5] and "csrf_token" in html and "/rate" in html
    assert 'name="face" value="4"' in html and 'name="scale" value="5"' in html
    assert client.post(f"/t/{token}/rate", data={"face": "nope"}).status_code == 400
    assert client.post(f"/t/{token}/rate", data={"face": "6"}).status_code == 400
    assert client.post(f"/t/{token}/rate", data={"face": "3"}).status_code == 302
    client.post("/api/v1/assists", json={"ticket_id": ticket["id"], "category": "apps"})
    assert stored(demo, ticket["id"]) == ((3, 5), [(3, 5)])  # "Bình thường" on 5 levels
    with demo.test_request_context():
        html = render_template("assists/_rate_faces.html", ticket=db.session.get(Ticket, ticket["id"]))
    assert "Cảm ơn bạn đã đánh giá!" in html
    assert client.post("/t/not-a-token/rate", data={"face": "3"}).status_code == 404


def test_admin_chooses_the_scale_per_site(app, client, demo, login, other_admin):
    admin_b = other_admin()
    page = admin_b.get("/admin/site").get_data(as_text=True)
    assert 'name="rating_scale"' in page and "4 mức: Rất hài lòng / Hài lòng" in page
    form = {"name": "Trung tâm B", "priority_policy": "strict", "interleave_n": "3",
            "noshow_after_recalls": "2", "console_lock_minutes": "10",
            "contact_retention_days": "90", "report_period_basis": "calendar", "ticker": "",
            "always_open": "y"}
    assert admin_b.post("/admin/site", data={**form, "rating_scale": "9"}).status_code == 400
    assert admin_b.post("/admin/site", data={**form, "rating_scale": "4"}).status_code == 302
    with app.app_context():
        scales = dict(db.session.execute(db.select(Site.code, Site.rating_scale)).all())
    assert scales == {"DEMO": 3, "B": 4}
    assert re.search(r'<input checked[^>]*name="rating_scale"[^>]*value="4"',
                     admin_b.get("/admin/site").get_data(as_text=True))
    admin_b.post("/logout")
    desk = desk_ids(login("canbo"))[0]
    assert face_words(client.get(f"/desk/{desk}/rate").get_data(as_text=True)) == WORDS[3]


def test_phone_keeps_the_scale_it_showed_when_the_admin_changes_it(client, demo, runner, login):
    first = take_ticket(client, kiosk_headers(runner))  # the page shows the 3 levels
    login("canbo")
    ticket = serve_one(client, desk_ids(client)[0])
    token = first["status_url"].rsplit("/", 1)[1]
    set_scale(demo, 5)  # changed while the citizen looks at the 3 faces
    assert client.post(f"/t/{token}/rate", data={"face": "3", "scale": "9"}).status_code == 400
    assert client.post(f"/t/{token}/rate", data={"face": "3", "scale": "3"}).status_code == 302
    client.post("/api/v1/assists", json={"ticket_id": ticket["id"], "category": "apps"})
    assert stored(demo, ticket["id"]) == ((3, 3), [(3, 3)])  # "Hài lòng", the top of 3 levels
