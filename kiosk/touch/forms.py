"""The kiosk's one form: take a number, with optional consented contact details."""
import re

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, StringField
from wtforms.validators import Length, ValidationError

PHONE_RE = re.compile(r"^(0|\+84)[0-9]{9,10}$")


class IssueForm(FlaskForm):
    """Service and priority come from the previous taps; contact is opt-in and unticked."""

    service = HiddenField()
    priority = HiddenField(default="0")
    want_contact = BooleanField(_l("Tôi muốn được liên hệ lại"), default=False)
    name = StringField(_l("Họ và tên"), validators=[Length(max=120, message=_l(
        "Họ tên quá dài (tối đa 120 ký tự)."))])
    phone = StringField(_l("Số điện thoại"), validators=[Length(max=20, message=_l(
        "Số điện thoại chưa đúng, ví dụ: 0912 345 678."))])
    consent = BooleanField(_l("Tôi đồng ý để Trung tâm lưu họ tên và số điện thoại này để "
                              "liên hệ hỗ trợ tiếp, và xóa sau thời hạn lưu trữ."), default=False)

    def validate_name(self, field):
        if self.want_contact.data and not (field.data or "").strip():
            raise ValidationError(_l("Vui lòng nhập họ tên."))

    def validate_phone(self, field):
        if not self.want_contact.data:
            return
        digits = re.sub(r"[\s.\-]", "", field.data or "")
        if not PHONE_RE.match(digits):
            raise ValidationError(_l("Số điện thoại chưa đúng, ví dụ: 0912 345 678."))
        field.data = digits

    def validate_consent(self, field):
        if self.want_contact.data and not field.data:
            raise ValidationError(_l("Vui lòng đánh dấu đồng ý nếu muốn được liên hệ lại."))

    @property
    def is_priority(self) -> bool:
        return self.priority.data == "1"
