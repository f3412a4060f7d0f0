"""Form fields whose parse errors speak Vietnamese (WTForms ships no Vietnamese catalog)."""
from flask_babel import lazy_gettext as _l
from wtforms import IntegerField


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
