"""Form fields whose parse errors speak Vietnamese (WTForms ships no Vietnamese catalog)."""
from datetime import date

from flask_babel import lazy_gettext as _l
from wtforms import DateField, IntegerField

from kiosk.timeutil import parse_day

INT_LIMIT = 2**31 - 1  # every integer column is 32-bit


class IntField(IntegerField):
    """An integer field: a non-number gets "Vui lòng nhập một số." next to it."""

    def process_formdata(self, valuelist):
        if not valuelist or not valuelist[0].strip():
            self.data = None
            return
        try:
            self.data = int(valuelist[0].strip())
        except ValueError as exc:
            self.data = None
            raise ValueError(str(_l("Vui lòng nhập một số."))) from exc
        if abs(self.data) > INT_LIMIT:
            self.data = None
            raise ValueError(str(_l("Số quá lớn.")))


class DayField(DateField):
    """A YYYY-MM-DD day from 2000 to 2100, with the reason in Vietnamese next to the field."""

    def process_formdata(self, valuelist):
        if not valuelist or not valuelist[0].strip():
            self.data = None
            return
        try:
            date.fromisoformat(valuelist[0].strip())
        except ValueError as exc:
            self.data = None
            raise ValueError(str(_l("Ngày không hợp lệ."))) from exc
        try:
            self.data = parse_day(valuelist[0])
        except ValueError as exc:
            self.data = None
            raise ValueError(str(_l("Ngày phải từ 01/01/2000 đến 31/12/2100."))) from exc
