"""The period picker: a GET form, so a report's address can be bookmarked and shared."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField, SelectField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, NumberRange, Optional

from kiosk.formfields import DayField
from kiosk.reports.periods import PeriodError, build_period


def options(pairs) -> list[SelectChoice]:
    """Return (value, label) pairs as the SelectChoice objects WTForms 3.3 expects."""
    return [SelectChoice(value, label) for value, label in pairs]


class PeriodForm(FlaskForm):
    """Choose a period, its basis (calendar or state cut-off) and, for the city, a site."""

    class Meta:
        csrf = False  # a read-only GET form

    kind = SelectField(_l("Kỳ báo cáo"), choices=options([
        ("month", _l("Tháng")), ("quarter", _l("Quý")), ("half", _l("6 tháng")),
        ("year", _l("Năm")), ("ytd", _l("Từ đầu năm đến nay")), ("custom", _l("Tùy chọn"))]))
    year = IntegerField(_l("Năm"), validators=[
        InputRequired(_l("Vui lòng nhập năm.")),
        NumberRange(2000, 2100, _l("Năm phải từ 2000 đến 2100."))])
    month = SelectField(_l("Tháng"), coerce=int, default=1,
                        choices=options((m, str(m)) for m in range(1, 13)))
    quarter = SelectField(_l("Quý"), coerce=int, default=1,
                          choices=options([(1, "I"), (2, "II"), (3, "III"), (4, "IV")]))
    half = SelectField(_l("6 tháng"), coerce=int, default=1,
                       choices=options([(1, _l("6 tháng đầu năm")), (2, _l("6 tháng cuối năm"))]))
    first = DayField(_l("Từ ngày"), validators=[Optional()],
                      render_kw={"type": "date"})
    last = DayField(_l("Đến ngày"), validators=[Optional()],
                     render_kw={"type": "date"})
    basis = SelectField(_l("Cách tính kỳ"), choices=options([
        ("calendar", _l("Theo lịch (ngày 1 đến cuối kỳ)")),
        ("cutoff", _l("Theo kỳ báo cáo nhà nước (ngày 15 kỳ trước đến ngày 14)"))]))
    site = SelectField(_l("Đơn vị"), choices=[], invalid_choice_message=_l(
        "Đơn vị không tồn tại hoặc bạn không được xem báo cáo của đơn vị này."))

    def period(self, today):
        """Return the chosen Period, or None with the error put next to its field."""
        if not self.validate():
            return None
        index = {"month": self.month.data, "quarter": self.quarter.data,
                 "half": self.half.data}.get(self.kind.data, 1)
        try:
            return build_period(self.kind.data, self.year.data, index, self.basis.data,
                                self.first.data, self.last.data, today)
        except PeriodError as exc:
            messages = {"first": _l("Vui lòng chọn ngày bắt đầu."),
                        "last": (_l("Ngày kết thúc phải sau ngày bắt đầu.")
                                 if self.first.data else _l("Vui lòng chọn ngày kết thúc.")),
                        "year": _l("Năm phải từ 2000 đến 2100.")}
            target = getattr(self, exc.field, self.kind)
            target.errors = [messages.get(exc.field, _l("Giá trị không hợp lệ."))]
            return None
