"""The audit log's filter: a GET form, so a filtered view can be bookmarked."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, SelectField, StringField
from wtforms.validators import Length, Optional, ValidationError

from kiosk.assists.forms import InChoices, int_or_none, options
from kiosk.audit.labels import KINDS
from kiosk.timeutil import FIRST_DAY, LAST_DAY


def in_years(form, field):
    """Refuse days outside 2000–2100 (a typo, or a range too wide to mean anything)."""
    if field.data and not FIRST_DAY <= field.data <= LAST_DAY:
        raise ValidationError(_l("Ngày phải trong khoảng năm 2000 đến 2100."))


class AuditFilterForm(FlaskForm):
    """Filter the audit log by person, kind of action, local days and target text."""

    class Meta:
        csrf = False  # a read-only GET form

    person = SelectField(_l("Người thực hiện"), coerce=int_or_none, validate_choice=False,
                         validators=[Optional(), InChoices(_l("Người thực hiện không hợp lệ."))])
    kind = SelectField(_l("Loại thao tác"), validate_choice=False,
                       choices=options([("", _l("Tất cả"))] +
                                       [(key, label) for key, (label, _e, _p) in KINDS.items()]),
                       validators=[InChoices(_l("Loại thao tác không hợp lệ."))])
    first = DateField(_l("Từ ngày"), validators=[Optional(), in_years], render_kw={"type": "date"})
    last = DateField(_l("Đến ngày"), validators=[Optional(), in_years], render_kw={"type": "date"})
    q = StringField(_l("Đối tượng chứa"), validators=[Length(max=120, message=_l(
        "Tối đa 120 ký tự."))])

    def validate_last(self, field):
        if self.first.data and field.data and field.data < self.first.data:
            raise ValidationError(_l("Ngày kết thúc phải sau ngày bắt đầu."))

    def checked(self) -> bool:
        """Validate, replacing WTForms' English "Not a valid date value." with Vietnamese."""
        valid = self.validate()
        for field in (self.first, self.last):
            if field.errors and field.raw_data and field.data is None:
                field.errors = [_l("Ngày không hợp lệ.")]
        return valid
