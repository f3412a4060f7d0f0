"""Learning-platform referrals: one chip reveals the site's active platforms and sets
platform_code (checked against the site's platforms); after the save the console shows the
platform's QR code and address to scan or print; the report counts referrals per platform."""
from kiosk.assists.models import Assist
from kiosk.extensions import db
from kiosk.platforms.models import LearningPlatform
from kiosk.reports.periods import build_period
from kiosk.reports.queries import Scope, full_report
from kiosk.timeutil import local_today
from tests.staff.helpers import other_site, staff_headers

WALK_IN = {"category": "learning", "outcome": "done", "channel": "desk", "duration": "15"}


def platform_codes(app) -> list:
    with app.app_context():
        return [a.platform_code for a in db.session.execute(
            db.select(Assist).order_by(Assist.id)).scalars()]


def test_the_chip_reveals_the_sites_active_platforms(client, demo, login):
    with demo.app_context():
        hidden = db.session.execute(db.select(LearningPlatform).where(
            LearningPlatform.code == "aicongdong")).scalar_one()
        hidden.active = False
        db.session.commit()
    login("doanvien")
    for url in ("/console", "/field"):
        page = client.get(url).get_data(as_text=True)
        assert '<details class="referral" data-referral >' in page
        assert "<summary>Giới thiệu học tập số</summary>" in page
        assert 'name="platform_code" type="radio" value="binhdanhocvuso"' in page
        assert 'value="aicongdong"' not in page  # hidden by the administrator


def test_console_referral_is_stored_and_its_qr_shown(client, demo, login):
    login("doanvien")
    saved = client.post("/console/assist", data={**WALK_IN, "platform_code": "binhdanhocvuso"})
    assert saved.status_code == 302
    assert platform_codes(demo) == ["binhdanhocvuso"]
    page = client.get(saved.location).get_data(as_text=True)
    assert 'id="referral-qr"' in page and "<svg" in page
    assert "https://binhdanhocvuso.gov.vn" in page and 'id="print-referral"' in page
    plain = client.post("/console/assist", data=WALK_IN)
    assert 'id="referral-qr"' not in client.get(plain.location).get_data(as_text=True)
    assert platform_codes(demo) == ["binhdanhocvuso", None]


def test_unknown_or_foreign_platform_is_refused(client, demo, login, runner):
    ids = other_site(demo)
    with demo.app_context():
        db.session.add(LearningPlatform(site_id=ids["site"], code="elsewhere", name="Nơi khác",
                                        url="https://example.org"))
        db.session.commit()
    login("doanvien")
    for code in ("nope", "elsewhere"):
        bad = client.post("/console/assist", data={**WALK_IN, "platform_code": code})
        assert bad.status_code == 400
        assert "Nền tảng học tập không hợp lệ." in bad.get_data(as_text=True)
        field = client.post("/field", data={**WALK_IN, "channel": "home", "count": "1",
                                            "platform_code": code})
        assert field.status_code == 400
        api = client.post("/api/v1/assists", json={"category": "learning", "platform_code": code},
                          headers=staff_headers(runner))
        assert api.status_code == 400 and api.get_json()["error"]["field"] == "platform_code"
    bad_type = client.post("/api/v1/assists", json={"category": "learning", "platform_code": 3},
                           headers=staff_headers(runner))
    assert bad_type.status_code == 400
    assert platform_codes(demo) == []


def test_api_and_field_referrals_are_counted_per_platform(client, demo, login, runner):
    made = client.post("/api/v1/assists", json={"category": "learning", "count": 3,
                                                "channel": "mobile", "platform_code": "aicongdong"},
                       headers=staff_headers(runner))
    assert made.status_code == 201
    assert {r["platform_code"] for r in made.get_json()["assists"]} == {"aicongdong"}
    login("doanvien")
    assert client.post("/field", data={**WALK_IN, "channel": "home", "count": "1",
                                       "platform_code": "binhdanhocvuso"}).status_code == 302
    today = local_today()
    with demo.app_context():
        report = full_report(Scope(build_period("custom", today.year, first=today, last=today)))
    assert report["by_platform"] == {"aicongdong": 3, "binhdanhocvuso": 1}


def test_a_correction_sets_or_clears_the_referral(client, demo, login):
    login("doanvien")
    client.post("/console/assist", data=WALK_IN)
    with demo.app_context():
        assist_id = db.session.execute(db.select(Assist.id)).scalar_one()
    edit = {k: v for k, v in WALK_IN.items()}
    response = client.post(f"/assists/{assist_id}/edit", data={**edit, "platform_code": "aicongdong"})
    assert response.status_code == 302, response.get_data(as_text=True)
    assert platform_codes(demo) == ["aicongdong"]
    page = client.get(f"/assists/{assist_id}/edit").get_data(as_text=True)
    assert '<details class="referral" data-referral open>' in page
    assert client.post(f"/assists/{assist_id}/edit", data=edit).status_code == 302
    assert platform_codes(demo) == [None]
