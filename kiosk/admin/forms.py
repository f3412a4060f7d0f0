"""Administration forms."""
import re

from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from markupsafe import Markup, escape
from wtforms import (
    BooleanField, RadioField, SelectField, SelectMultipleField, StringField, TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    DataRequired, InputRequired, IPAddress, Length, NumberRange, Optional, Regexp, ValidationError,
)
from wtforms.widgets import CheckboxInput, ListWidget

from kiosk.extensions import db
from kiosk.formfields import IntField
from kiosk.platforms.models import LearningPlatform
from kiosk.platforms.qr import is_web_url
from kiosk.queue.models import Desk, Service
from kiosk.queue.queries import active_services
from kiosk.reference import RATING_SCALES, SERVICE_ICONS, WEEKDAYS, label, service_name

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


class RatingScaleField(RadioField):
    """The rating device's scale: 3, 4 or 5 levels (reference.RATING_SCALES)."""

    def pre_validate(self, form):
        if self.data not in RATING_SCALES:
            raise ValidationError(_l("Vui lòng chọn thang 3, 4 hoặc 5 mức."))


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
    rating_scale = RatingScaleField(_l("Thang đánh giá mức độ hài lòng"), coerce=int, default=3,
                                    choices=[
        SelectChoice(3, _l("3 mức: Hài lòng / Bình thường / Không hài lòng")),
        SelectChoice(4, _l("4 mức: Rất hài lòng / Hài lòng / Không hài lòng / Rất không hài lòng")),
        SelectChoice(5, _l("5 mức: Rất hài lòng / Hài lòng / Bình thường / Không hài lòng / "
                           "Rất không hài lòng"))])
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


class CheckboxesField(SelectMultipleField):
    """Several ticks out of a list of ids; a tampered value is refused in Vietnamese."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("coerce", int)
        kwargs.setdefault("render_kw", {"class": "checklist"})
        super().__init__(*args, **kwargs)

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError as exc:
            self.data = []
            raise ValueError(str(_l("Lựa chọn không hợp lệ."))) from exc

    def pre_validate(self, form):
        allowed = {value for value, *_rest in self.iter_choices()}
        if any(value not in allowed for value in self.data or []):
            raise ValidationError(_l("Lựa chọn không hợp lệ."))


class IconPicker:
    """Radio buttons that show each icon's drawing with its words (PRODUCT.md §7)."""

    def __call__(self, field, **kwargs):
        # The drawings live in one place, the icons macro; this only lays them out.
        icon = current_app.jinja_env.get_template("_macros/icons.html").module.icon
        invalid = (f' aria-invalid="true" aria-describedby="{field.id}-error"'
                   if kwargs.get("aria-invalid") else "")
        html = [f'<div class="icon-picker" id="{field.id}" role="radiogroup" '
                f'aria-label="{escape(field.label.text)}"{invalid}>']
        for option in field:
            html.append(f'<label class="icon-choice">{option()}{icon(option.data)}'
                        f"<span>{escape(option.label.text)}</span></label>")
        html.append("</div>")
        return Markup("".join(html))


class IconField(RadioField):
    """One of reference.SERVICE_ICONS, chosen by its picture and its words."""

    widget = IconPicker()

    def pre_validate(self, form):
        if self.data not in SERVICE_ICONS:
            raise ValidationError(_l("Vui lòng chọn một biểu tượng."))


CODE_RULES = [DataRequired(_l("Vui lòng nhập mã.")),
              Length(2, 32, _l("Mã dài từ 2 đến 32 ký tự.")),
              Regexp(r"^[a-z0-9-]+$", message=_l(
                  "Mã chỉ gồm chữ thường không dấu (a-z), chữ số và dấu gạch ngang."))]


NAME_RULES = [DataRequired(_l("Vui lòng nhập tên.")),
              Length(max=200, message=_l("Tên tối đa 200 ký tự."))]


def _lower(value):
    return value.strip().lower() if isinstance(value, str) else value


def _upper(value):
    return value.strip().upper() if isinstance(value, str) else value


class DeskForm(FlaskForm):
    """Add a desk: its number, name and the services it serves."""

    number = IntField(_l("Số quầy"), render_kw={"class": "short"}, validators=[
        InputRequired(_l("Vui lòng nhập số quầy.")),
        NumberRange(1, 999, _l("Số quầy từ 1 đến 999."))])
    name = StringField(_l("Tên quầy"), validators=[DataRequired(_l("Vui lòng nhập tên quầy.")),
                                                   Length(max=100, message=_l(
                                                       "Tên quầy tối đa 100 ký tự."))])
    services = CheckboxesField(_l("Nội dung hỗ trợ quầy phục vụ"))

    def __init__(self, *args, site_id: int, desk: Desk | None = None, **kwargs):
        super().__init__(*args, obj=desk, **kwargs)
        self.site_id, self.desk = site_id, desk
        offered = active_services(site_id)
        self.services.choices = [SelectChoice(s.id, f"{s.prefix} · {service_name(s)}")
                                 for s in offered]
        if not self.is_submitted():
            self.services.data = [s.id for s in (desk.services if desk else offered) if s.active]

    def validate_number(self, field):
        taken = db.session.execute(db.select(Desk.id).where(
            Desk.site_id == self.site_id, Desk.number == field.data,
            Desk.id != (self.desk.id if self.desk else -1))).first()
        if taken:
            raise ValidationError(_l("Số quầy %(number)s đã có. Hãy chọn số khác.",
                                     number=field.data))


class DeskEditForm(DeskForm):
    """Rename or renumber a desk, change its services, open or close it."""

    active = BooleanField(_l("Đang hoạt động"))


class ServiceForm(FlaskForm):
    """Edit a help category: names, prefix letter, icon, order, cap and desks."""

    prefix = StringField(_l("Chữ đầu số thứ tự (một chữ cái A–Z)"), filters=[_upper],
                         render_kw={"class": "short", "maxlength": 1}, validators=[
        DataRequired(_l("Vui lòng nhập chữ đầu số.")),
        Regexp(r"^[A-Z]$", message=_l("Chữ đầu số là một chữ cái từ A đến Z."))])
    name_vi = StringField(_l("Tên (tiếng Việt)"), validators=NAME_RULES)
    name_en = StringField(_l("Tên (tiếng Anh)"), validators=NAME_RULES)
    icon = IconField(_l("Biểu tượng"))
    sort_order = IntField(_l("Thứ tự hiển thị"), render_kw={"class": "short"}, validators=[
        NumberRange(0, 10000, _l("Từ 0 đến 10000."))])
    daily_cap = IntField(_l("Giới hạn số mỗi ngày (để trống: không giới hạn)"),
                         render_kw={"class": "short"},
                         validators=[Optional(), NumberRange(1, 999, _l("Từ 1 đến 999."))])
    desks = CheckboxesField(_l("Các quầy phục vụ"))

    def __init__(self, *args, site_id: int, service: Service | None = None, **kwargs):
        super().__init__(*args, obj=service, **kwargs)
        self.site_id, self.service = site_id, service
        self.icon.choices = [SelectChoice(name, label(SERVICE_ICONS, name)) for name in SERVICE_ICONS]
        open_desks = list(db.session.execute(db.select(Desk).where(
            Desk.site_id == site_id, Desk.active.is_(True)).order_by(Desk.number)).scalars())
        self.desks.choices = [SelectChoice(d.id, f"{d.number} · {d.name}") for d in open_desks]
        if not self.is_submitted():
            self.desks.data = [d.id for d in open_desks
                               if service is None or service in d.services]
            if service is None:
                last = db.session.execute(db.select(db.func.max(Service.sort_order)).where(
                    Service.site_id == site_id)).scalar_one()
                self.sort_order.data = ((last or 0) // 10 + 1) * 10

    def _taken(self, column, value) -> bool:
        # Retired services count too: the database keeps their code and letter unique.
        return db.session.execute(db.select(Service.id).where(
            Service.site_id == self.site_id, column == value,
            Service.id != (self.service.id if self.service else -1))).first() is not None

    def validate_prefix(self, field):
        if self._taken(Service.prefix, field.data):
            raise ValidationError(_l("Chữ %(letter)s đã được dùng (kể cả nội dung đã ngừng). "
                                     "Hãy chọn chữ khác.", letter=field.data))


class ServiceNewForm(ServiceForm):
    """Add a help category; its code is fixed once created (reports count by it)."""

    code = StringField(_l("Mã (không dấu, ví dụ: vneid-reset)"), filters=[_lower],
                       validators=CODE_RULES)

    def validate_code(self, field):
        if self._taken(Service.code, field.data):
            raise ValidationError(_l("Mã này đã có (kể cả nội dung đã ngừng)."))


class PlatformForm(FlaskForm):
    """Add or edit a learning platform shown by QR code at the kiosk and on the board."""

    code = StringField(_l("Mã (không dấu, ví dụ: hoc-so)"), filters=[_lower], validators=CODE_RULES)
    name = StringField(_l("Tên nền tảng"), validators=NAME_RULES)
    url = StringField(_l("Địa chỉ trang (http:// hoặc https://)"), filters=[
        lambda v: v.strip() if isinstance(v, str) else v], validators=[
        DataRequired(_l("Vui lòng nhập địa chỉ trang."))])
    description_vi = StringField(_l("Mô tả một dòng (tiếng Việt)"), validators=[
        Length(max=300, message=_l("Mô tả tối đa 300 ký tự."))])
    description_en = StringField(_l("Mô tả một dòng (tiếng Anh)"), validators=[
        Length(max=300, message=_l("Mô tả tối đa 300 ký tự."))])
    sort_order = IntField(_l("Thứ tự hiển thị"), render_kw={"class": "short"}, validators=[
        NumberRange(0, 10000, _l("Từ 0 đến 10000."))])
    active = BooleanField(_l("Đang hiển thị"), default=True)

    def __init__(self, *args, site_id: int, platform: LearningPlatform | None = None, **kwargs):
        super().__init__(*args, obj=platform, **kwargs)
        self.site_id, self.platform = site_id, platform
        if platform is None and not self.is_submitted():
            last = db.session.execute(db.select(db.func.max(LearningPlatform.sort_order)).where(
                LearningPlatform.site_id == site_id)).scalar_one()
            self.sort_order.data = ((last or 0) // 10 + 1) * 10

    def validate_code(self, field):
        taken = db.session.execute(db.select(LearningPlatform.id).where(
            LearningPlatform.site_id == self.site_id, LearningPlatform.code == field.data,
            LearningPlatform.id != (self.platform.id if self.platform else -1))).first()
        if taken:
            raise ValidationError(_l("Mã này đã có."))

    def validate_url(self, field):
        if not is_web_url(field.data):
            raise ValidationError(_l("Địa chỉ chưa đúng: phải bắt đầu bằng http:// hoặc https://, "
                                     "có tên miền, không có dấu cách, tối đa 300 ký tự."))
