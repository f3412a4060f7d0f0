"""Administration: site settings, services, kiosks; bad input shows Vietnamese errors and saves nothing."""
import json

import pytest

from kiosk.extensions import db
from kiosk.queue.models import Service, Site
from kiosk.touch.models import KioskDevice
from tests.conftest import count_rows

VALID_SITE = {"name": "Trung tâm phường A", "priority_policy": "interleave", "interleave_n": "4",
              "noshow_after_recalls": "1", "console_lock_minutes": "5",
              "contact_retention_days": "30", "report_period_basis": "cutoff", "ticker": "Chào mừng",
              "hours_0": "07:30-11:30, 13:30-17:00", "hours_4": "07:30-11:30"}


def _site(app):
    with app.app_context():
        return db.session.execute(db.select(Site)).scalar_one()


@pytest.mark.parametrize("path", ["/admin", "/admin/site", "/admin/services", "/admin/kiosks"])
@pytest.mark.parametrize("user", ["canbo", "doanvien", "vhxh", "thanhpho"])
def test_only_admins(client, demo, login, path, user):
    login(user)
    assert client.get(path).status_code == 403


def test_site_settings_saved(app, client, demo, login):
    login("admin")
    assert client.post("/admin/site", data=VALID_SITE).status_code == 302
    site = _site(app)
    assert site.priority_policy == "interleave" and site.interleave_n == 4
    assert json.loads(site.opening_hours) == {"0": [["07:30", "11:30"], ["13:30", "17:00"]],
                                              "4": [["07:30", "11:30"]]}
    assert site.contact_retention_days == 30 and site.report_period_basis == "cutoff"
    html = client.get("/admin/site").get_data(as_text=True)
    assert "07:30-11:30, 13:30-17:00" in html


@pytest.mark.parametrize("field,value,message", [
    ("hours_2", "7h-11h", "Giờ chưa đúng"),
    ("hours_2", "11:30-07:30", "Giờ chưa đúng"),
    ("interleave_n", "abc", "Vui lòng nhập một số."),
    ("interleave_n", "0", "N phải từ 1 đến 20."),
    ("name", "", "Vui lòng nhập tên."),
])
def test_site_settings_bad_input(app, client, demo, login, field, value, message):
    login("admin")
    before = _site(app)
    response = client.post("/admin/site", data={**VALID_SITE, field: value})
    assert response.status_code == 400 and message in response.get_data(as_text=True)
    after = _site(app)
    assert (after.name, after.opening_hours, after.interleave_n) == (
        before.name, before.opening_hours, before.interleave_n)


def test_service_cap_and_bad_cap(app, client, demo, login):
    login("admin")
    with app.app_context():
        service = db.session.execute(db.select(Service).filter_by(code="vneid")).scalar_one()
        sid = service.id
    form = {"prefix": "A", "name_vi": "VNeID", "name_en": "VNeID", "icon": "id", "sort_order": "5",
            "daily_cap": ""}
    bad = client.post(f"/admin/services/{sid}", data={**form, "daily_cap": "nhiều"})
    assert bad.status_code == 400 and "Vui lòng nhập một số." in bad.get_data(as_text=True)
    assert client.post(f"/admin/services/{sid}", data={**form, "daily_cap": "40"}).status_code == 302
    with app.app_context():
        assert db.session.get(Service, sid).daily_cap == 40


def test_register_kiosk_gives_pairing_code_and_revoke(app, client, demo, login):
    login("admin")
    bad = client.post("/admin/kiosks", data={"name": "K", "paper_width_mm": "80",
                                             "printer_host": "máy in", "printer_port": "9100"})
    assert bad.status_code == 400 and "Địa chỉ IP chưa đúng" in bad.get_data(as_text=True)
    assert count_rows(app, KioskDevice) == 0
    response = client.post("/admin/kiosks", data={"name": "Kiosk sảnh", "paper_width_mm": "58",
                                                  "printer_host": "", "printer_port": "9100"},
                           follow_redirects=True)
    assert "Mã ghép nối:" in response.get_data(as_text=True)
    with app.app_context():
        device = db.session.execute(db.select(KioskDevice)).scalar_one()
        assert device.paper_width_mm == 58 and device.pairing_code
        device_id, code = device.id, device.pairing_code
    kiosk = app.test_client()
    assert kiosk.post("/kiosk/pair", data={"code": code}).status_code == 302
    assert 'data-service="vneid"' in kiosk.get("/kiosk").get_data(as_text=True)
    assert client.post(f"/admin/kiosks/{device_id}/revoke").status_code == 302
    assert "Ki-ốt chưa được đăng ký" in kiosk.get("/kiosk").get_data(as_text=True)


def test_follow_up_contacts_are_listed_audited_and_erasable(app, client, demo, login, paired):
    from kiosk.audit.models import AuditEvent
    from kiosk.queue.models import Contact
    client.post("/kiosk/s/apps/p/0", data={"want_contact": "y", "name": "Nguyễn Thị Lan",
                                           "phone": "0912345678", "consent": "y"})
    client.delete_cookie("kiosk_device")
    login("canbo")
    html = client.get("/admin/contacts").get_data(as_text=True)
    assert "Nguyễn Thị Lan" in html and "0912345678" in html and "G001" in html
    assert count_rows(app, AuditEvent, action="contacts.view") == 1
    with app.app_context():
        contact_id = db.session.execute(db.select(Contact.id)).scalar_one()
    assert client.post(f"/admin/contacts/{contact_id}/erase").status_code == 302
    assert count_rows(app, Contact) == 0
    assert count_rows(app, AuditEvent, action="contacts.erase") == 1


@pytest.mark.parametrize("user", ["doanvien", "vhxh", "thanhpho"])
def test_contacts_hidden_from_other_roles(client, demo, login, user):
    login(user)
    assert client.get("/admin/contacts").status_code == 403


def test_unticking_always_open_with_no_hours_closes_the_kiosk(app, client, demo, login, paired):
    login("admin")
    empty = {k: v for k, v in VALID_SITE.items() if not k.startswith("hours_")}
    assert client.post("/admin/site", data=empty).status_code == 302
    assert _site(app).opening_hours == "{}"
    assert "ngoài giờ làm việc" in client.get("/kiosk").get_data(as_text=True)
    assert client.post("/admin/site", data={**empty, "always_open": "y"}).status_code == 302
    assert _site(app).opening_hours == ""
    assert 'data-service="vneid"' in client.get("/kiosk").get_data(as_text=True)
