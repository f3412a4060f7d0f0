"""Forms of the staff screens: the desk picker and the duty rota."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, TimeField
from wtforms.validators import InputRequired, Length, ValidationError

from kiosk.assists.forms import InChoices, int_or_none, options

WEEKDAY_LABELS = (_l("Thứ Hai"), _l("Thứ Ba"), _l("Thứ Tư"), _l("Thứ Năm"), _l("Thứ Sáu"))


class DeskForm(FlaskForm):
    """Choose the desk this console works at."""

    desk = SelectField(_l("Quầy"), coerce=int_or_none, validate_choice=False, validators=[
        InputRequired(_l("Vui lòng chọn quầy.")), InChoices(_l("Quầy không hợp lệ."))])


class RotaForm(FlaskForm):
    """Add a helper to the weekly rota."""

    user_id = SelectField(_l("Người trực"), coerce=int_or_none, validate_choice=False, validators=[
        InputRequired(_l("Vui lòng chọn người trực.")), InChoices(_l("Người trực không hợp lệ."))])
    weekday = SelectField(_l("Ngày"), coerce=int_or_none, validate_choice=False,
                          choices=options(enumerate(WEEKDAY_LABELS)),
                          validators=[InputRequired(_l("Vui lòng chọn ngày.")),
                                      InChoices(_l("Ngày không hợp lệ."))])
    start = TimeField(_l("Từ giờ"), validators=[InputRequired(_l("Vui lòng nhập giờ bắt đầu."))])
    end = TimeField(_l("Đến giờ"), validators=[InputRequired(_l("Vui lòng nhập giờ kết thúc."))])
    note = StringField(_l("Ghi chú"), validators=[Length(max=120, message=_l("Tối đa 120 ký tự."))])

    def validate_end(self, field):
        if self.start.data and field.data and field.data <= self.start.data:
            raise ValidationError(_l("Giờ kết thúc phải sau giờ bắt đầu."))
