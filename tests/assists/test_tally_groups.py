"""A tally of N stays one entry: /assists/mine lists it once "×N"; its correction changes the N
rows alike and its deletion soft-deletes all N, each audited once with the count; the count
still holds N assists and N citizens."""
import json
import re

from sqlalchemy import func

from kiosk.assists.models import Assist
from kiosk.audit.models import AuditEvent
from kiosk.extensions import db
from kiosk.reports.periods import build_period
from kiosk.reports.queries import Scope, headline
from kiosk.timeutil import local_today
from tests.staff.helpers import staff_headers

TALLY = {"category": "vneid", "outcome": "done", "channel": "mobile", "count": "5",
         "place": "Thôn Đông", "duration": "15"}


def live_rows(app) -> list[Assist]:
    with app.app_context():
        rows = list(db.session.execute(db.select(Assist).where(Assist.deleted_at.is_(None))
                                       .order_by(Assist.id)).scalars())
        db.session.expunge_all()
        return rows


def events(app, action: str) -> list[AuditEvent]:
    with app.app_context():
        return list(db.session.execute(
            db.select(AuditEvent).where(AuditEvent.action == action)).scalars())


def count_today(app) -> dict:
    today = local_today()
    with app.app_context():
        return headline(Scope(build_period("custom", today.year, first=today, last=today)))


def test_tally_is_one_row_on_mine_and_corrected_as_one(client, demo, login):
    login("doanvien")
    assert client.post("/field", data=TALLY).status_code == 302
    assert client.post("/field", data={**TALLY, "count": "1", "category": "apps"}).status_code == 302
    rows = live_rows(demo)
    tally = [r for r in rows if r.category == "vneid"]
    assert len(tally) == 5 and len({r.tally_id for r in tally}) == 1 and tally[0].tally_id
    assert rows[-1].tally_id is None  # a single entry is no tally
    page = client.get("/assists/mine").get_data(as_text=True)
    assert len(re.findall(r'<tr id="assist-\d+"', page)) == 2
    assert 'data-tally="5"' in page and "×5" in page
    shown = int(re.search(r'<tr id="assist-(\d+)" class="is-tally"', page).group(1))
    assert shown in {r.id for r in tally}
    first = tally[0].id
    edit_page = client.get(f"/assists/{first}/edit").get_data(as_text=True)
    assert "Lần cộng dồn ×5: chỉnh sửa áp dụng cho cả 5 lượt." in edit_page
    fixed = client.post(f"/assists/{tally[2].id}/edit", data={
        "category": "dvc-submit", "outcome": "partial", "channel": "home", "place": "Thôn Tây",
        "duration": "30", "target_groups": ["elderly"]})
    assert fixed.status_code == 302
    after = [r for r in live_rows(demo) if r.tally_id == tally[0].tally_id]
    assert len(after) == 5
    assert {(r.category, r.outcome, r.channel, r.place, r.service_seconds, r.dossiers_submitted)
            for r in after} == {("dvc-submit", "partial", "home", "Thôn Tây", 1800, 0)}
    assert all(r.edited_at is not None for r in after)
    corrected = events(demo, "assist.corrected")
    assert len(corrected) == 1 and corrected[0].target == f"tally:{tally[0].tally_id}"
    assert json.loads(corrected[0].detail)["count"] == 5
    assert count_today(demo) == {"assists": 6, "citizens": 6}  # still N assists, N citizens


def test_tally_is_deleted_as_one(client, demo, login, runner):
    made = client.post("/api/v1/assists", json={"category": "vneid", "channel": "mobile", "count": 4},
                       headers=staff_headers(runner, "doanvien")).get_json()["assists"]
    assert len({r["tally_id"] for r in made}) == 1
    login("doanvien")
    page = client.get("/assists/mine").get_data(as_text=True)
    assert "Xóa cả 4 lượt của lần cộng dồn này?" in page
    response = client.post(f"/assists/{made[1]['id']}/delete", follow_redirects=True)
    assert "Đã xóa 4 lượt hỗ trợ của lần cộng dồn" in response.get_data(as_text=True)
    assert live_rows(demo) == []
    with demo.app_context():
        assert db.session.execute(db.select(func.count()).select_from(Assist)
                                  .where(Assist.deleted_at.is_not(None))).scalar_one() == 4
    deleted = events(demo, "assist.deleted")
    assert len(deleted) == 1 and json.loads(deleted[0].detail)["count"] == 4
    assert count_today(demo) == {"assists": 0, "citizens": 0}
    assert client.get(f"/assists/{made[0]['id']}/edit").status_code == 404


def test_single_entries_stay_single(client, demo, login, runner):
    staff = staff_headers(runner, "doanvien")
    one = client.post("/api/v1/assists", json={"category": "vneid"}, headers=staff).get_json()
    two = client.post("/api/v1/assists", json={"category": "apps"}, headers=staff).get_json()
    assert one["assists"][0]["tally_id"] is None
    login("doanvien")
    client.post(f"/assists/{one['assists'][0]['id']}/delete")
    assert [r.id for r in live_rows(demo)] == [two["assists"][0]["id"]]
    deleted = events(demo, "assist.deleted")
    assert deleted[0].target == f"assist:{one['assists'][0]['id']}"
