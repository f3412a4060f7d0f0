"""The assist form: one form for the desk, walk-ins, the field and corrections."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    HiddenField, IntegerField, RadioField, SelectChoice, SelectField, SelectMultipleField,
    StringField, TextAreaField,
)
from wtforms.validators import InputRequired, Length, NumberRange, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget, NumberInput

from kiosk import reference
from kiosk.assists.services import (
    COUNTERS, DURATION_CHOICES, MAX_COUNTER, MAX_DURATION, MAX_NOTE,
    MAX_PLACE, MAX_TALLY, AssistData,
)
from kiosk.reference import service_name

COUNTER_LABELS = {
    "vneid_activated": _l("Số tài khoản VNeID đã kích hoạt"),
    "dossiers_submitted": _l("Số hồ sơ đã nộp"),
    "payments_made": _l("Số giao dịch thanh toán"),
    "apps_installed": _l("Số ứng dụng đã cài"),
}
OTHER_DURATION = "other"
FIELD_CHANNELS = ("home", "mobile", "phone")


class InChoices:
    """Accept only one of the field's choices (every value, for a multi-select)."""

    def __init__(self, message):
        self.message = message

    def __call__(self, form, field):
        allowed = {str(choice.value) for choice in field.choices}
        values = field.data if isinstance(field.data, list) else [field.data]
        if field.raw_data and field.raw_data[0] != "" and values == [None]:
            raise ValidationError(self.message)  # could not be read at all
        if any(str(v) not in allowed for v in values if v not in (None, "")):
            raise ValidationError(self.message)


def options(pairs) -> list[SelectChoice]:
    """Turn (value, label) pairs into WTForms choices (tuples are deprecated in WTForms 3.3)."""
    return [SelectChoice(value=value, label=label) for value, label in pairs]


def int_or_none(value):
    """Coerce a choice to int; None (refused by InChoices) instead of an English error."""
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


class WholeNumberField(IntegerField):
    """An integer field whose unreadable input gets a Vietnamese error (WTForms has no vi)."""

    def process_formdata(self, valuelist):
        if valuelist and str(valuelist[0]).strip():
            try:
                self.data = int(valuelist[0])
            except (TypeError, ValueError):
                self.data = None
                raise ValueError(_l("Vui lòng nhập một số nguyên.")) from None


def _counter(name):
    # Empty means "not said": the service's rule fills it (1 for a completed assist's own counter).
    return WholeNumberField(COUNTER_LABELS[name], default=None,
                        widget=NumberInput(min=0, max=MAX_COUNTER),
                        validators=[Optional(), NumberRange(0, MAX_COUNTER,
                                    _l("Nhập số từ 0 đến %(max)s.", max=MAX_COUNTER))])


class AssistForm(FlaskForm):
    """What was done for a citizen; the common case needs no change at all."""

    ticket_id = HiddenField()
    visit_of = HiddenField()
    category = RadioField(_l("Nội dung hỗ trợ"), validate_choice=False, validators=[
        InputRequired(_l("Vui lòng chọn nội dung hỗ trợ.")),
        InChoices(_l("Nội dung hỗ trợ không hợp lệ."))])
    outcome = RadioField(_l("Kết quả"), default="done", validate_choice=False, validators=[
        InputRequired(_l("Vui lòng chọn kết quả.")), InChoices(_l("Kết quả không hợp lệ."))])
    failure_reason = SelectField(_l("Lý do không thành công"), validate_choice=False,
                                 validators=[InChoices(_l("Lý do không hợp lệ."))])
    channel = RadioField(_l("Hình thức"), default="desk", validate_choice=False, validators=[
        InputRequired(_l("Vui lòng chọn hình thức.")), InChoices(_l("Hình thức không hợp lệ."))])
    place = StringField(_l("Địa bàn (thôn, tổ dân phố)"), validators=[
        Length(max=MAX_PLACE, message=_l("Tối đa %(max)s ký tự.", max=MAX_PLACE))])
    count = WholeNumberField(_l("Số người đã hỗ trợ"), default=1,
                         widget=NumberInput(min=1, max=MAX_TALLY), validators=[
        InputRequired(_l("Nhập số người từ 1 đến %(max)s.", max=MAX_TALLY)),
        NumberRange(1, MAX_TALLY, _l("Nhập số người từ 1 đến %(max)s.", max=MAX_TALLY))])
    target_groups = SelectMultipleField(
        _l("Đối tượng"), validate_choice=False, widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(), validators=[InChoices(_l("Đối tượng không hợp lệ."))])
    age_band = RadioField(_l("Độ tuổi"), validate_choice=False, validators=[
        Optional(), InChoices(_l("Độ tuổi không hợp lệ."))])
    gender = RadioField(_l("Giới tính"), validate_choice=False, validators=[
        Optional(), InChoices(_l("Giới tính không hợp lệ."))])
    vneid_activated = _counter("vneid_activated")
    dossiers_submitted = _counter("dossiers_submitted")
    payments_made = _counter("payments_made")
    apps_installed = _counter("apps_installed")
    duration = RadioField(_l("Thời gian hỗ trợ"), validate_choice=False, validators=[
        Optional(), InChoices(_l("Thời gian không hợp lệ."))])
    duration_other = WholeNumberField(
        _l("Số phút khác"), widget=NumberInput(min=1, max=MAX_DURATION),
        validators=[Optional(), NumberRange(1, MAX_DURATION,
                    _l("Nhập số phút từ 1 đến %(max)s.", max=MAX_DURATION))])
    platform_code = RadioField(_l("Nền tảng học tập"), validate_choice=False, validators=[
        Optional(), InChoices(_l("Nền tảng học tập không hợp lệ."))])
    note = TextAreaField(_l("Ghi chú ngắn"), validators=[
        Length(max=MAX_NOTE, message=_l("Tối đa %(max)s ký tự.", max=MAX_NOTE))])

    def show_error(self, exc) -> None:
        """Put a service's AssistError next to the field it names (the category otherwise)."""
        target = self[exc.field] if exc.field in self else self.category
        target.errors = [*target.errors, str(exc)]

    def setup(self, services, channels=tuple(reference.CHANNELS), platforms=()) -> "AssistForm":
        """Fill the choices in the current language; services and platforms come from the site."""
        self.category.choices = options((s.code, service_name(s)) for s in services)
        self.duration.choices = options([*((str(m), _l("%(n)s phút", n=m))
                                           for m in DURATION_CHOICES),
                                         (OTHER_DURATION, _l("khác"))])
        self.platform_code.choices = options((p.code, p.name) for p in platforms)
        self.outcome.choices = reference.choices(reference.OUTCOMES)
        self.failure_reason.choices = [SelectChoice("", "—"),
                                       *reference.choices(reference.FAILURE_REASONS)]
        self.channel.choices = options((c, reference.label(reference.CHANNELS, c)) for c in channels)
        self.target_groups.choices = reference.choices(reference.TARGET_GROUPS)
        self.age_band.choices = reference.choices(reference.AGE_BANDS)
        self.gender.choices = reference.choices(reference.GENDERS)
        return self

    def validate_failure_reason(self, field):
        if self.outcome.data == "failed" and not field.data:
            raise ValidationError(_l("Vui lòng chọn lý do không thành công."))

    def validate_duration(self, field):
        if field.data == OTHER_DURATION and self.duration_other.data is None:
            raise ValidationError(_l("Nhập số phút từ 1 đến %(max)s.", max=MAX_DURATION))

    def duration_minutes(self) -> int | None:
        """Return the chosen duration in minutes (a chip, or the other number), None if none."""
        if "duration" not in self or not self.duration.data:
            return None
        if self.duration.data == OTHER_DURATION:
            return self.duration_other.data
        return int(self.duration.data)

    def counter_fields(self):
        """The counter fields, in the form's order."""
        return [self[name] for name in COUNTERS]

    def to_data(self) -> AssistData:
        """Return the validated answers."""
        return AssistData(
            category=self.category.data, outcome=self.outcome.data, channel=self.channel.data,
            failure_reason=self.failure_reason.data or None,
            place=(self.place.data or "") if "place" in self else "",
            target_groups=list(self.target_groups.data or []),
            age_band=self.age_band.data or None, gender=self.gender.data or None,
            note=self.note.data or "",
            counters={name: self[name].data for name in COUNTERS if self[name].data is not None},
            platform_code=self.platform_code.data or None,
            duration_minutes=self.duration_minutes())

    def fill_from(self, assist) -> None:
        """Pre-fill from an existing assist (corrections, "same as last")."""
        for name in ("category", "outcome", "channel", "place", "age_band", "gender", "note",
                     *COUNTERS):
            if name in self:
                self[name].data = getattr(assist, name)
        self.failure_reason.data = assist.failure_reason or ""
        self.target_groups.data = assist.target_group_codes
        self.platform_code.data = assist.platform_code or ""
        if "duration" in self and assist.service_seconds:
            minutes = assist.service_seconds // 60
            if minutes in DURATION_CHOICES:
                self.duration.data = str(minutes)
            else:
                self.duration.data, self.duration_other.data = OTHER_DURATION, minutes or None
