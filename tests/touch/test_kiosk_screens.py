"""The citizen's kiosk screens through the test client: pairing, the flow, consent, closed."""
import json
import re

from kiosk.extensions import db
from kiosk.queue.models import Contact, Site, Ticket
from tests.conftest import count_rows


def _html(response):
    return response.get_data(as_text=True)


def test_unpaired_browser_sees_pairing_page_and_cannot_issue(client, demo, app):
    assert "Ki-ốt chưa được đăng ký" in _html(client.get("/kiosk"))
    response = client.post("/kiosk/s/vneid/p/0", data={"skip": "1"})
    assert response.status_code == 302 and count_rows(app, Ticket) == 0


def test_bad_pairing_code_is_refused(client, demo):
    response = client.post("/kiosk/pair", data={"code": "WRONG123"})
    assert response.status_code == 400
    assert "Mã ghép nối không đúng hoặc đã hết hạn." in _html(response)
    assert "kiosk_device" not in response.headers.get("Set-Cookie", "")


def test_pairing_code_is_single_use(app, client, demo):
    from kiosk.touch.services import register_kiosk, start_pairing
    with app.app_context():
        site_id = db.session.execute(db.select(Site.id)).scalar_one()
        device, _ = register_kiosk(site_id, "K")
        code = start_pairing(device)
        db.session.commit()
    assert client.post("/kiosk/pair", data={"code": code.lower()}).status_code == 302
    assert client.post("/kiosk/pair", data={"code": code}).status_code == 400


def test_forged_cookie_is_treated_as_unpaired(client, demo, paired):
    client.set_cookie("kiosk_device", "eyJrIjoxLCJ0IjoieCJ9.forged")
    assert "Ki-ốt chưa được đăng ký" in _html(client.get("/kiosk"))


def test_home_lists_services_in_admin_order_with_learning_and_privacy(client, paired):
    html = _html(client.get("/kiosk"))
    codes = re.findall(r'data-service="([\w-]+)"', html)
    assert codes[:3] == ["vneid", "vneid-utils", "dvc-submit"] and len(codes) == 11
    assert "Học tập số" in html and "Lấy số không cần họ tên" in html
    assert '<html lang="vi">' in html


def test_three_taps_issue_a_ticket_without_personal_data(app, client, paired):
    assert "Bạn thuộc diện ưu tiên?" in _html(client.get("/kiosk/s/vneid"))
    client.get("/kiosk/s/vneid/p/1")
    response = client.post("/kiosk/s/vneid/p/1", data={"skip": "1", "name": "typed", "phone": "x"})
    assert response.status_code == 302
    page = _html(client.get(response.headers["Location"]))
    assert "A001" in page and "Ưu tiên" in page and "chưa ước tính được" in page
    assert "<svg" in page and "/t/" in page
    with app.app_context():
        ticket = db.session.execute(db.select(Ticket)).scalar_one()
        assert ticket.priority and ticket.kiosk_id == paired
    assert count_rows(app, Contact) == 0


def test_consent_errors_are_shown_in_vietnamese_and_nothing_is_written(app, client, paired):
    response = client.post("/kiosk/s/vneid/p/0", data={"want_contact": "y", "name": "",
                                                       "phone": "123"})
    html = _html(response)
    assert response.status_code == 400
    assert "Vui lòng nhập họ tên." in html
    assert "Số điện thoại chưa đúng" in html
    assert "Vui lòng đánh dấu đồng ý" in html
    assert count_rows(app, Ticket) == 0 and count_rows(app, Contact) == 0


def test_consented_contact_is_stored_apart_with_expiry(app, client, paired):
    response = client.post("/kiosk/s/apps/p/0", data={
        "want_contact": "y", "name": "Nguyễn Thị Lan", "phone": "0912 345 678", "consent": "y"})
    assert response.status_code == 302
    with app.app_context():
        contact = db.session.execute(db.select(Contact)).scalar_one()
        ticket = db.session.execute(db.select(Ticket)).scalar_one()
        assert contact.phone == "0912345678" and contact.ticket_id == ticket.id
        assert 89 <= (contact.expires_at - contact.consented_at).days <= 90
        assert "đồng ý" in contact.consent_text


def test_expired_contacts_are_erased(app, paired, client):
    from datetime import timedelta
    from kiosk.timeutil import utcnow
    from kiosk.touch.services import erase_expired_contacts
    client.post("/kiosk/s/apps/p/0", data={"want_contact": "y", "name": "A", "phone": "0912345678",
                                           "consent": "y"})
    with app.app_context():
        assert erase_expired_contacts(utcnow()) == 0
        assert erase_expired_contacts(utcnow() + timedelta(days=91)) == 1
        db.session.commit()
    assert count_rows(app, Contact) == 0


def test_closed_kiosk_says_so_and_issues_nothing(app, client, paired):
    with app.app_context():
        site = db.session.execute(db.select(Site)).scalar_one()
        site.opening_hours = json.dumps({str(d): [["00:00", "00:01"]] for d in range(7)})
        db.session.commit()
    html = _html(client.get("/kiosk"))
    assert "Trung tâm hiện ngoài giờ làm việc." in html and 'data-service="' not in html
    response = client.post("/kiosk/s/vneid/p/0", data={"skip": "1"})
    assert response.status_code == 409 and "ngoài giờ làm việc" in _html(response)
    assert count_rows(app, Ticket) == 0


def test_capped_service_is_greyed_out_and_refused(app, client, paired):
    from kiosk.queue.models import Service
    with app.app_context():
        service = db.session.execute(db.select(Service).filter_by(code="vneid")).scalar_one()
        service.daily_cap = 1
        db.session.commit()
    assert client.post("/kiosk/s/vneid/p/0", data={"skip": "1"}).status_code == 302
    html = _html(client.get("/kiosk"))
    assert "Đã hết số hôm nay" in html and 'data-service="vneid"' not in html
    response = client.post("/kiosk/s/vneid/p/0", data={"skip": "1"})
    assert response.status_code == 409 and "đã hết số" in _html(response)
    assert count_rows(app, Ticket) == 1


def test_unknown_service_is_404(client, paired):
    assert client.get("/kiosk/s/nope").status_code == 404
    assert client.post("/kiosk/s/nope/p/0", data={"skip": "1"}).status_code == 404


def test_ticket_page_belongs_to_its_kiosk(app, client, paired):
    location = client.post("/kiosk/s/vneid/p/0", data={"skip": "1"}).headers["Location"]
    other = app.test_client()
    assert other.get(location).status_code == 404


def test_phone_status_page_and_json(app, client, paired):
    location = client.post("/kiosk/s/vneid/p/0", data={"skip": "1"}).headers["Location"]
    token = location.rsplit("/", 1)[-1].split("?")[0]
    phone = app.test_client()
    html = _html(phone.get(f"/t/{token}"))
    assert "A001" in html and "binhdanhocvuso.gov.vn" in html
    assert phone.get(f"/t/{token}/status.json").get_json() == {
        "number": "A001", "status": "waiting", "ahead": 0, "desk": None, "wait": None}
    assert phone.get("/t/not-a-token").status_code == 404


def test_phone_token_expires_at_end_of_day(app, client, paired):
    from datetime import timedelta
    location = client.post("/kiosk/s/vneid/p/0", data={"skip": "1"}).headers["Location"]
    token = location.rsplit("/", 1)[-1].split("?")[0]
    with app.app_context():
        ticket = db.session.execute(db.select(Ticket)).scalar_one()
        ticket.day = ticket.day - timedelta(days=1)
        db.session.commit()
    response = client.get(f"/t/{token}")
    assert response.status_code == 404 and "Phiếu không còn hiệu lực" in _html(response)


def test_kiosk_rate_limit(app, client, paired):
    app.config["KIOSK_RATE_PER_MINUTE"] = 3
    codes = [client.post("/kiosk/s/vneid/p/0", data={"skip": "1"}).status_code for _ in range(4)]
    assert codes == [302, 302, 302, 429] and count_rows(app, Ticket) == 3


def test_reset_forgets_language(client, paired):
    client.get("/lang/en")
    response = client.get("/kiosk/reset")
    assert response.status_code == 302
    assert '<html lang="vi">' in _html(client.get("/kiosk"))


def test_kiosk_in_english(client, paired):
    client.get("/lang/en")
    html = _html(client.get("/kiosk"))
    assert '<html lang="en">' in html and "Hello! What do you need help with?" in html
    assert "VNeID: register and activate a level-2 e-ID account" in html
    assert "Are you in a priority group?" in _html(client.get("/kiosk/s/vneid"))
