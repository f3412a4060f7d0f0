"""Administration forms."""
import re

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, IPAddress, Length, NumberRange, Optional

from kiosk.formfields import IntField
from kiosk.reference import WEEKDAYS

SPAN_RE = re.compile(r"^([01]\d|2[0-3]):[0-5]\d\s*-\s*([01]\d|2[0-3]):[0-5]\d$")


class KioskForm(FlaskForm):
    """Register a kiosk device or change its printer."""

    name = StringField(_l("Tên ki-ốt"), validators=[DataRequired(_l("Vui lòng nhập tên ki-ốt.")),
                                                    Length(max=100)])
    paper_width_mm = SelectField(_l("Khổ giấy in"), choices=[SelectChoice("80", "80 mm"), SelectChoice("58", "58 mm")],
                                 default="80")
    printer_host = StringField(_l("Địa chỉ IP máy in mạng (ESC/POS, để trống nếu in qua trình duyệt)"),
                               validators=[Optional(), IPAddress(message=_l(
                                   "Địa chỉ IP chưa đúng, ví dụ: 192.168.1.50."))])
    printer_port = IntField(_l("Cổng máy in"), default=9100, validators=[
        NumberRange(1, 65535, _l("Cổng phải từ 1 đến 65535."))])


class SiteSettingsForm(FlaskForm):
    """A site's queue rules and opening hours."""

    name = StringField(_l("Tên Trung tâm"), validators=[DataRequired(_l("Vui lòng nhập tên.")),
                                                        Length(max=200)])
    priority_policy = SelectField(_l("Cách gọi số ưu tiên"), choices=[
        SelectChoice("strict", _l("Luôn gọi số ưu tiên trước")),
        SelectChoice("interleave", _l("Xen kẽ: sau N số thường gọi 1 số ưu tiên"))])
    interleave_n = IntField(_l("N (số thường giữa hai số ưu tiên)"), default=3, validators=[
        NumberRange(1, 20, _l("N phải từ 1 đến 20."))])
    noshow_after_recalls = IntField(_l("Số lần gọi lại trước khi đánh dấu vắng mặt"), default=2,
                                        validators=[NumberRange(0, 10, _l("Từ 0 đến 10."))])
    console_lock_minutes = IntField(_l("Khóa bàn làm việc sau (phút không thao tác)"), default=10,
                                        validators=[NumberRange(1, 240, _l("Từ 1 đến 240 phút."))])
    contact_retention_days = IntField(
        _l("Thời hạn lưu thông tin liên hệ (ngày), sau đó tự động xóa"), default=90,
        validators=[NumberRange(1, 3650, _l("Từ 1 đến 3650 ngày."))])
    report_period_basis = SelectField(_l("Kỳ báo cáo mặc định"), choices=[
        SelectChoice("calendar", _l("Theo tháng, quý, năm dương lịch")),
        SelectChoice("cutoff", _l("Theo kỳ chốt số liệu của Nhà nước (ngày 15 kỳ trước đến ngày 14)"))])
    ticker = TextAreaField(_l("Dòng thông báo chạy trên màn hình phòng chờ"),
                           validators=[Length(max=500)])
    always_open = BooleanField(_l("Luôn mở (không giới hạn giờ lấy số)"))
    hours_0 = StringField(str(WEEKDAYS[0][0]))
    hours_1 = StringField(str(WEEKDAYS[1][0]))
    hours_2 = StringField(str(WEEKDAYS[2][0]))
    hours_3 = StringField(str(WEEKDAYS[3][0]))
    hours_4 = StringField(str(WEEKDAYS[4][0]))
    hours_5 = StringField(str(WEEKDAYS[5][0]))
    hours_6 = StringField(str(WEEKDAYS[6][0]))

    def hour_fields(self):
        return [getattr(self, f"hours_{d}") for d in range(7)]

    def validate(self, extra_validators=None):
        ok = super().validate(extra_validators)
        for field in self.hour_fields():
            for span in filter(None, (p.strip() for p in (field.data or "").split(","))):
                start, _sep, end = span.replace(" ", "").partition("-")
                if not SPAN_RE.match(span) or start >= end:
                    field.errors.append(_l("Giờ chưa đúng, ví dụ: 07:30-11:30, 13:30-17:00"))
                    ok = False
                    break
        return ok


class ServiceForm(FlaskForm):
    """Edit a help category."""

    name_vi = StringField(_l("Tên (tiếng Việt)"), validators=[DataRequired(_l("Vui lòng nhập tên.")),
                                                              Length(max=200)])
    name_en = StringField(_l("Tên (tiếng Anh)"), validators=[DataRequired(_l("Vui lòng nhập tên.")),
                                                             Length(max=200)])
    sort_order = IntField(_l("Thứ tự hiển thị"), validators=[NumberRange(0, 10000, _l(
        "Từ 0 đến 10000."))])
    daily_cap = IntField(_l("Giới hạn số mỗi ngày (để trống: không giới hạn)"),
                             validators=[Optional(), NumberRange(1, 999, _l("Từ 1 đến 999."))])
    active = BooleanField(_l("Đang phục vụ"))
