"""Helpers for the staff and assists tests: tokens, tickets, a second site."""
from kiosk.extensions import db


def last_line(output: str) -> str:
    return output.strip().splitlines()[-1]


def kiosk_headers(runner) -> dict:
    """Bearer header of a newly registered DEMO kiosk."""
    raw = last_line(runner.invoke(args=["create-kiosk", "--site", "DEMO", "--name", "K"]).output)
    return {"Authorization": f"Bearer {raw}"}


def staff_headers(runner, user: str = "canbo") -> dict:
    """Bearer header of a new API token for a user."""
    return {"Authorization": f"Bearer {last_line(runner.invoke(args=['create-token', user]).output)}"}


def take_ticket(client, kiosk: dict, service: str = "vneid", priority: bool = False) -> dict:
    """Issue a ticket through the kiosk API."""
    response = client.post("/api/v1/tickets", json={"service": service, "priority": priority},
                           headers=kiosk)
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def desk_ids(client, headers: dict | None = None) -> list[int]:
    """The DEMO desks' ids, in number order."""
    return [d["id"] for d in client.get("/api/v1/desks", headers=headers or {}).get_json()]


def serve_one(client, desk_id: int, headers: dict | None = None) -> dict:
    """Call the next ticket at a desk and finish it; return the ticket."""
    called = client.post(f"/api/v1/desks/{desk_id}/call-next", headers=headers or {})
    assert called.status_code == 200, called.get_data(as_text=True)
    ticket = called.get_json()["ticket"]
    finished = client.post(f"/api/v1/tickets/{ticket['id']}/finish", headers=headers or {})
    assert finished.status_code == 200
    return ticket


def other_site(app) -> dict:
    """Create a second site with a desk, a waiting ticket and a volunteer; return their ids."""
    from kiosk.admin.services import ensure_desks, ensure_site
    from kiosk.auth.services import create_user
    from kiosk.queue.services import issue_ticket

    with app.app_context():
        site = ensure_site("KHAC", "Trung tâm khác")
        desk = ensure_desks(site, 1)[0]
        ticket = issue_ticket(site, site.services[0])
        user = create_user("khac", "khac-demo-pass", "volunteer", site.id, "Vũ Văn Khác")
        ids = {"site": site.id, "desk": desk.id, "ticket": ticket.id, "user": user.id}
        db.session.commit()
    return ids
