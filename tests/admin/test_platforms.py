"""Learning platforms: list with QR codes, add, edit, order, show/hide, live QR preview, defaults."""
import re

import pytest

from kiosk import reference
from kiosk.audit.models import AuditEvent
from kiosk.extensions import db
from kiosk.platforms.models import LearningPlatform
from kiosk.queue.models import Site
from tests.conftest import count_rows

NEW = {"code": "hoc-ai", "name": "Học AI cùng Đoàn", "url": "https://hocai.example.vn/khoa-hoc",
       "description_vi": "Khóa học AI miễn phí", "description_en": "Free AI course",
       "sort_order": "25", "active": "y"}


def _platforms(app, site_code="DEMO"):
    """Return {code: (sort_order, active, url, name)} of a site's platforms."""
    with app.app_context():
        rows = db.session.execute(db.select(LearningPlatform).join(
            Site, Site.id == LearningPlatform.site_id).where(Site.code == site_code)).scalars()
        return {p.code: (p.sort_order, p.active, p.url, p.name) for p in rows}


def _id(app, code, site_code="DEMO"):
    with app.app_context():
        return db.session.execute(db.select(LearningPlatform.id).join(
            Site, Site.id == LearningPlatform.site_id).where(
            LearningPlatform.code == code, Site.code == site_code)).scalar_one()


ROUTES = [("get", "/admin/platforms"), ("get", "/admin/platforms/new"),
          ("post", "/admin/platforms/new"), ("get", "/admin/platforms/1"),
          ("post", "/admin/platforms/1"), ("post", "/admin/platforms/1/move"),
          ("post", "/admin/platforms/1/toggle"), ("post", "/admin/platforms/defaults"),
          ("get", "/admin/platforms/qr.svg?url=https://a.vn")]


@pytest.mark.parametrize("method,path", ROUTES)
@pytest.mark.parametrize("user", ["canbo", "doanvien", "vhxh", "thanhpho"])
def test_other_roles_are_refused(app, client, demo, login, method, path, user):
    login(user)
    before = _platforms(app)
    assert getattr(client, method)(path, data={**NEW, "direction": "down"}).status_code == 403
    assert _platforms(app) == before


@pytest.mark.parametrize("method,path", ROUTES)
def test_anonymous_is_sent_to_sign_in(client, demo, method, path):
    response = getattr(client, method)(path, data=NEW)
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_list_in_order_with_qr_codes_and_search(client, demo, login):
    login("admin")
    html = client.get("/admin/platforms").get_data(as_text=True)
    names = [name for _code, name, *_rest in reference.PLATFORMS]
    assert [html.index(n) for n in names] == sorted(html.index(n) for n in names)
    assert html.count('class="qr-thumb"><svg') == 4
    found = client.get("/admin/platforms?q=hai phong").get_data(as_text=True)
    assert "Đào tạo trực tuyến Hải Phòng" in found and "Bình dân học vụ số</strong>" not in found


def test_add_platform_and_audit(app, client, demo, login):
    login("admin")
    page = client.get("/admin/platforms/new").get_data(as_text=True)
    assert 'id="qr-preview"' in page and "js/admin-platforms.js" in page
    assert "<script>" not in page and 'value="50"' in page  # next place after the four defaults
    assert client.post("/admin/platforms/new", data=NEW).status_code == 302
    assert _platforms(app)["hoc-ai"] == (25, True, "https://hocai.example.vn/khoa-hoc",
                                         "Học AI cùng Đoàn")
    assert count_rows(app, AuditEvent, action="platform.create") == 1


@pytest.mark.parametrize("field,value,message", [
    ("code", "", "Vui lòng nhập mã."),
    ("code", "h", "Mã dài từ 2 đến 32 ký tự."),
    ("code", "học", "Mã chỉ gồm chữ thường không dấu"),
    ("code", "dichvucong", "Mã này đã có."),
    ("name", "", "Vui lòng nhập tên."),
    ("name", "x" * 201, "Tên tối đa 200 ký tự."),
    ("url", "", "Vui lòng nhập địa chỉ trang."),
    ("url", "javascript:alert(1)", "Địa chỉ chưa đúng"),
    ("url", "ftp://files.example.vn", "Địa chỉ chưa đúng"),
    ("url", "/hoc/khoa-1", "Địa chỉ chưa đúng"),
    ("url", "hocai.example.vn", "Địa chỉ chưa đúng"),
    ("url", "https://hoc ai.example.vn", "Địa chỉ chưa đúng"),
    ("url", "https://", "Địa chỉ chưa đúng"),
    ("url", "https://example.vn:cong", "Địa chỉ chưa đúng"),
    ("url", "https://example.vn/" + "a" * 282, "Địa chỉ chưa đúng"),
    ("description_vi", "x" * 301, "Mô tả tối đa 300 ký tự."),
    ("description_en", "x" * 301, "Mô tả tối đa 300 ký tự."),
    ("sort_order", "đầu", "Vui lòng nhập một số."),
    ("sort_order", "10001", "Từ 0 đến 10000."),
])
def test_bad_platform_is_refused_in_vietnamese(app, client, demo, login, field, value, message):
    login("admin")
    response = client.post("/admin/platforms/new", data={**NEW, field: value})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert message in html and 'class="error"' in html
    assert count_rows(app, LearningPlatform) == 4
    assert count_rows(app, AuditEvent, action="platform.create") == 0


def test_longest_allowed_url_is_accepted(app, client, demo, login):
    login("admin")
    url = "https://example.vn/" + "a" * 281
    assert len(url) == 300
    assert client.post("/admin/platforms/new", data={**NEW, "url": url}).status_code == 302


def test_edit_changes_a_platform(app, client, demo, login):
    login("admin")
    pid = _id(app, "dichvucong")
    page = client.get(f"/admin/platforms/{pid}").get_data(as_text=True)
    assert 'value="https://dichvucong.gov.vn"' in page and '<img src="/admin/platforms/qr.svg?url=' in page
    response = client.post(f"/admin/platforms/{pid}", data={
        **NEW, "code": "dichvucong", "name": "DVC quốc gia", "url": "http://dichvucong.gov.vn/p"})
    assert response.status_code == 302
    assert _platforms(app)["dichvucong"] == (25, True, "http://dichvucong.gov.vn/p", "DVC quốc gia")
    bad = client.post(f"/admin/platforms/{pid}", data={**NEW, "code": "aicongdong"})
    assert bad.status_code == 400 and "Mã này đã có." in bad.get_data(as_text=True)
    assert count_rows(app, AuditEvent, action="platform.update") == 1


def test_move_and_toggle_reach_the_kiosk_and_the_board(app, client, demo, login, paired):
    kiosk = app.test_client()
    kiosk.set_cookie("kiosk_device", client.get_cookie("kiosk_device").value)
    client.delete_cookie("kiosk_device")
    login("admin")

    def kiosk_order():
        return re.findall(r'<li class="platform" data-url="([^"]+)"',
                          kiosk.get("/kiosk/learn").get_data(as_text=True))

    def board_order():
        html = app.test_client().get("/display?site=DEMO").get_data(as_text=True)
        return ["https://" + u for u in re.findall(r'class="platform-url">([^<]+)<', html)]

    defaults = [url for _c, _n, url, *_rest in reference.PLATFORMS]
    assert kiosk_order() == board_order() == defaults
    third = _id(app, reference.PLATFORMS[2][0])
    assert client.post(f"/admin/platforms/{third}/move", data={"direction": "up"}).status_code == 302
    expected = [defaults[0], defaults[2], defaults[1], defaults[3]]
    assert kiosk_order() == board_order() == expected
    first = _id(app, reference.PLATFORMS[0][0])
    client.post(f"/admin/platforms/{first}/move", data={"direction": "up"})  # already first
    client.post(f"/admin/platforms/{first}/move", data={"direction": "down"})
    expected = [defaults[2], defaults[0], defaults[1], defaults[3]]
    assert kiosk_order() == board_order() == expected
    assert client.post(f"/admin/platforms/{first}/move",
                       data={"direction": "sideways"}).status_code == 400

    assert client.post(f"/admin/platforms/{first}/toggle").status_code == 302
    assert kiosk_order() == board_order() == [u for u in expected if u != defaults[0]]
    html = client.get("/admin/platforms").get_data(as_text=True)
    assert "Đang ẩn" in html and defaults[0] in html  # hidden, not gone
    client.post(f"/admin/platforms/{first}/toggle")
    assert kiosk_order() == board_order() == expected
    assert count_rows(app, AuditEvent, action="platform.move") == 2  # not the no-op
    assert count_rows(app, AuditEvent, action="platform.deactivate") == 1
    assert count_rows(app, AuditEvent, action="platform.activate") == 1


def test_live_qr_preview_endpoint(client, demo, login):
    login("admin")
    ok = client.get("/admin/platforms/qr.svg?url=https://hocai.example.vn")
    assert ok.status_code == 200 and ok.mimetype == "image/svg+xml"
    assert ok.get_data(as_text=True).startswith("<svg")
    other = client.get("/admin/platforms/qr.svg?url=https://hocai.example.vn/x")
    assert other.get_data() != ok.get_data()
    for bad in ("", "javascript:alert(1)", "ftp://a.vn", "/relative", "https://a b.vn"):
        assert client.get("/admin/platforms/qr.svg", query_string={"url": bad}).status_code == 400


def test_restore_defaults_when_a_site_has_none(app, client, demo, login):
    login("admin")
    with app.app_context():
        db.session.execute(db.delete(LearningPlatform))
        db.session.commit()
    html = client.get("/admin/platforms").get_data(as_text=True)
    assert "Khôi phục 4 nền tảng mặc định" in html
    assert client.post("/admin/platforms/defaults").status_code == 302
    assert set(_platforms(app)) == {code for code, *_rest in reference.PLATFORMS}
    assert count_rows(app, AuditEvent, action="platform.create") == 4
    assert "Khôi phục 4 nền tảng mặc định" not in client.get("/admin/platforms").get_data(
        as_text=True)


def test_another_sites_admin_gets_404_and_changes_nothing(app, client, demo, other_admin):
    other_admin()
    pid = _id(app, "dichvucong")
    before = _platforms(app)
    assert client.get(f"/admin/platforms/{pid}").status_code == 404
    for path, data in (("", NEW), ("/move", {"direction": "up"}), ("/toggle", {})):
        assert client.post(f"/admin/platforms/{pid}{path}", data=data).status_code == 404
    assert _platforms(app) == before
    assert count_rows(app, AuditEvent, action="platform.deactivate") == 0
    # Site B has its own four platforms, and the same codes are free there.
    html = client.get("/admin/platforms").get_data(as_text=True)
    assert html.count('class="qr-thumb"') == 4
    assert client.post("/admin/platforms/new", data=NEW).status_code == 302
    assert "hoc-ai" in _platforms(app, "B") and "hoc-ai" not in _platforms(app)
