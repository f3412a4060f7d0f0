"""Forms of the staff screens: the desk picker and the duty rota."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, SelectField, StringField, TimeField
from wtforms.validators import InputRequired, Length, ValidationError

from kiosk.assists.forms import InChoices, int_or_none, options
from kiosk.timeutil import FIRST_DAY, LAST_DAY

# Monday (0) to Saturday (5): some centres open on Saturday morning; Sunday is never on the rota.
WEEKDAY_LABELS = (_l("Thứ Hai"), _l("Thứ Ba"), _l("Thứ Tư"), _l("Thứ Năm"), _l("Thứ Sáu"),
                  _l("Thứ Bảy"))


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


class HolidayForm(FlaskForm):
    """Add a public holiday: the centre is closed and nobody is on duty that day."""

    day = DateField(_l("Ngày nghỉ lễ"), format=["%Y-%m-%d", "%d/%m/%Y"],
                    validators=[InputRequired(_l("Vui lòng chọn ngày."))],
                    render_kw={"type": "date"})
    name = StringField(_l("Tên ngày lễ"), validators=[
        InputRequired(_l("Vui lòng nhập tên ngày lễ.")),
        Length(max=120, message=_l("Tối đa 120 ký tự."))])

    def validate_day(self, field):
        if field.data and not FIRST_DAY <= field.data <= LAST_DAY:
            raise ValidationError(_l("Ngày phải trong khoảng năm 2000 đến 2100."))

    def checked(self) -> bool:
        """Validate the POST, replacing WTForms' English "Not a valid date value." with Vietnamese."""
        valid = self.validate_on_submit()
        if self.day.errors and self.day.raw_data and self.day.raw_data[0].strip() \
                and self.day.data is None:
            self.day.errors = [_l("Ngày không hợp lệ.")]
        return valid
