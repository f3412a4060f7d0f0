"""Per-site settings: another centre's administrator changes nothing of this centre's."""
import re

from kiosk.extensions import db
from kiosk.queue.models import Contact, Site

B_SETTINGS = {"name": "Trung tâm B", "priority_policy": "strict", "interleave_n": "3",
              "noshow_after_recalls": "2", "console_lock_minutes": "10",
              "contact_retention_days": "3650", "report_period_basis": "cutoff", "ticker": "",
              "always_open": "y"}


def _settings(app, code):
    with app.app_context():
        site = db.session.execute(db.select(Site).where(Site.code == code)).scalar_one()
        return site.contact_retention_days, site.report_period_basis


def test_another_sites_retention_and_basis_leave_this_site_alone(app, client, paired, other_admin):
    kiosk_cookie = client.get_cookie("kiosk_device").value
    admin_b = other_admin()
    assert admin_b.post("/admin/site", data=B_SETTINGS).status_code == 302
    assert admin_b.post("/reports/settings", data={"basis": "cutoff"}).status_code == 302
    assert _settings(app, "B") == (3650, "cutoff")
    assert _settings(app, "DEMO") == (90, "calendar")

    # A contact left at DEMO's kiosk now gets DEMO's 90 days, not B's ten years.
    kiosk = app.test_client()
    kiosk.set_cookie("kiosk_device", kiosk_cookie)
    response = kiosk.post("/kiosk/s/vneid/p/0", data={
        "want_contact": "y", "name": "Nguyễn Thị Lan", "phone": "0912 345 678", "consent": "y"})
    assert response.status_code == 302
    with app.app_context():
        contact = db.session.execute(db.select(Contact)).scalar_one()
        assert 89 <= (contact.expires_at - contact.consented_at).days <= 90


def test_the_report_screen_defaults_to_the_own_sites_basis(app, client, demo, login, other_admin):
    admin_b = other_admin()
    admin_b.post("/reports/settings", data={"basis": "cutoff"})
    admin_b.post("/logout")
    html = login("vhxh").get("/reports").get_data(as_text=True)
    select = re.search(r'<select[^>]*id="basis".*?</select>', html, re.S).group(0)
    assert re.search(r'<option selected value="calendar">', select)
