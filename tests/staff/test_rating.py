"""Satisfaction: the desk's tablet lights up after a finish; the phone can rate too; first answer stands."""
from flask import render_template

from kiosk.assists.models import Assist
from kiosk.extensions import db
from kiosk.queue.models import Ticket
from tests.staff.helpers import desk_ids, kiosk_headers, serve_one, take_ticket


def test_tablet_and_phone_ratings_reach_the_assists(client, demo, runner, login):
    kiosk = kiosk_headers(runner)
    first, second = take_ticket(client, kiosk), take_ticket(client, kiosk)
    login("canbo")
    desk = desk_ids(client)[0]
    assert client.get(f"/api/v1/desks/{desk}/rating").get_json() == {"ticket": None}
    ticket = serve_one(client, desk)
    client.post("/api/v1/assists", json={"ticket_id": ticket["id"], "category": "vneid"})
    prompt = client.get(f"/api/v1/desks/{desk}/rating").get_json()["ticket"]
    assert prompt == {"id": ticket["id"], "number": ticket["number"]}
    assert "Bạn có hài lòng" in client.get(f"/desk/{desk}/rate").get_data(as_text=True)
    bad = client.post(f"/api/v1/desks/{desk}/rating", json={"ticket_id": ticket["id"], "face": "meh"})
    assert bad.status_code == 400 and bad.get_json()["error"]["field"] == "face"
    ok = client.post(f"/api/v1/desks/{desk}/rating", json={"ticket_id": ticket["id"], "face": "happy"})
    assert ok.status_code == 200 and ok.get_json()["satisfaction"] == 5
    again = client.post(f"/api/v1/desks/{desk}/rating", json={"ticket_id": ticket["id"], "face": "sad"})
    assert again.status_code == 409
    assert client.get(f"/api/v1/desks/{desk}/rating").get_json() == {"ticket": None}

    other = serve_one(client, desk)
    token = second["status_url"].rsplit("/", 1)[1] if other["id"] != first["id"] else None
    token = token or first["status_url"].rsplit("/", 1)[1]
    assert client.post(f"/t/{token}/rate", data={"face": "nope"}).status_code == 400
    assert client.post(f"/t/{token}/rate", data={"face": "neutral"}).status_code == 302
    client.post("/api/v1/assists", json={"ticket_id": other["id"], "category": "apps"})
    with demo.app_context():
        assists = {a.ticket_id: a.satisfaction for a in db.session.execute(db.select(Assist)).scalars()}
        assert assists == {ticket["id"]: 5, other["id"]: 3}
        rated = db.session.get(Ticket, other["id"])
        assert rated.rating == 3 and rated.rated_at is not None
        with demo.test_request_context():
            html = render_template("assists/_rate_faces.html", ticket=rated)
            assert "Cảm ơn bạn đã đánh giá!" in html


def test_phone_faces_partial_shows_for_finished_unrated_ticket(client, demo, runner, login):
    take_ticket(client, kiosk_headers(runner))
    login("canbo")
    ticket = serve_one(client, desk_ids(client)[0])
    with demo.test_request_context():
        html = render_template("assists/_rate_faces.html", ticket=db.session.get(Ticket, ticket["id"]))
    assert 'name="face" value="happy"' in html and "/rate" in html and "csrf_token" in html
    assert client.post("/t/not-a-token/rate", data={"face": "happy"}).status_code == 404
