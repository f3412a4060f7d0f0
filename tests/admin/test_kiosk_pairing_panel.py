"""The kiosks page shows every unexpired pairing code in a panel, with its local expiry."""
from datetime import timedelta

from kiosk.extensions import db
from kiosk.timeutil import to_local, utcnow
from kiosk.touch.models import KioskDevice

FORM = {"name": "Kiosk sảnh", "paper_width_mm": "80", "printer_host": "", "printer_port": "9100"}


def _device(app):
    with app.app_context():
        device = db.session.execute(db.select(KioskDevice)).scalar_one()
        return device.id, device.pairing_code, to_local(device.pairing_expires_at).strftime("%H:%M")


def test_panel_after_register_and_after_new_code(app, client, demo, login):
    login("admin")
    html = client.post("/admin/kiosks", data=FORM, follow_redirects=True).get_data(as_text=True)
    device_id, code, expires = _device(app)
    assert 'class="panel pairing-panel"' in html and f'<p class="pairing-code">{code}</p>' in html
    assert "Ghép nối ki-ốt Kiosk sảnh" in html and f"Hết hạn lúc {expires}" in html
    assert "mở trang /kiosk và nhập mã này" in html
    html = client.post(f"/admin/kiosks/{device_id}/pair", follow_redirects=True).get_data(as_text=True)
    _id, new_code, _expires = _device(app)
    assert new_code != code and new_code in html and code not in html
    assert html.count('class="panel pairing-panel"') == 1


def test_expired_or_used_code_is_not_shown(app, client, demo, login):
    login("admin")
    client.post("/admin/kiosks", data=FORM)
    device_id, code, _expires = _device(app)
    with app.app_context():
        db.session.get(KioskDevice, device_id).pairing_expires_at = utcnow() - timedelta(seconds=1)
        db.session.commit()
    html = client.get("/admin/kiosks").get_data(as_text=True)
    assert code not in html and "pairing-panel" not in html
    client.post(f"/admin/kiosks/{device_id}/pair")
    _id, code, _expires = _device(app)
    assert app.test_client().post("/kiosk/pair", data={"code": code}).status_code == 302
    assert "pairing-panel" not in client.get("/admin/kiosks").get_data(as_text=True)


def test_revoked_kiosk_has_no_panel(app, client, demo, login):
    login("admin")
    client.post("/admin/kiosks", data=FORM)
    device_id, code, _expires = _device(app)
    client.post(f"/admin/kiosks/{device_id}/revoke")
    assert code not in client.get("/admin/kiosks").get_data(as_text=True)


def test_kiosks_and_contacts_lists_are_searchable(app, client, demo, login):
    from kiosk.queue.models import Contact, Site
    login("admin")
    for name in ("Ki-ốt sảnh chính", "Ki-ốt tầng hai"):
        client.post("/admin/kiosks", data={"name": name, "paper_width_mm": "80", "printer_port": "9100"})
    html = client.get("/admin/kiosks?q=sanh").get_data(as_text=True)
    table = html[html.index("<tbody>"):]
    assert "Ki-ốt sảnh chính" in table and "Ki-ốt tầng hai" not in table
    with app.app_context():
        site_id = db.session.execute(db.select(Site.id).filter_by(code="DEMO")).scalar_one()
        for name, phone in (("Nguyễn Thị Lan", "0912345678"), ("Trần Văn Bình", "0987654321")):
            db.session.add(Contact(site_id=site_id, name=name, phone=phone, consent_text="đồng ý",
                                   expires_at=utcnow() + timedelta(days=30)))
        db.session.commit()
    html = client.get("/admin/contacts?q=lan").get_data(as_text=True)
    assert "Nguyễn Thị Lan" in html and "Trần Văn Bình" not in html
    assert "Trần Văn Bình" in client.get("/admin/contacts?q=0987").get_data(as_text=True)
