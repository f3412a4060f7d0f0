"""Forms of the display's administration screen."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import HiddenField, SelectField, TextAreaField
from wtforms.validators import AnyOf, DataRequired, Length

from kiosk.display.voice import VOCABULARY


class TickerForm(FlaskForm):
    """The announcement ticker that scrolls along the bottom of the board."""

    ticker = TextAreaField(_l("Dòng thông báo chạy trên màn hình"), validators=[
        Length(max=500, message=_l("Dòng thông báo dài tối đa 500 ký tự."))])


class VoiceClipForm(FlaskForm):
    """Replace one clip of the voice pack with the centre's own recording."""

    clip = SelectField(_l("Đoạn ghi âm"), choices=[], validate_choice=False, validators=[
        DataRequired(_l("Vui lòng chọn đoạn ghi âm cần thay.")),
        AnyOf(list(VOCABULARY), message=_l("Đoạn ghi âm này không có trong danh sách."))])
    audio = FileField(_l("Tệp WAV (mono, 16-bit)"), validators=[
        FileRequired(_l("Vui lòng chọn một tệp WAV.")),
        FileAllowed(["wav"], _l("Chỉ nhận tệp .wav."))])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.clip.choices = [(name, clip_label(name)) for name in VOCABULARY]


class ResetClipForm(FlaskForm):
    """Go back to the default recording of one clip."""

    clip = HiddenField(validators=[DataRequired()])


# The number words, with an example: "mười" and "mươi" look alike in a list.
NUMBER_LABELS = {
    "ten": _l("Số 10 (quầy 10–19)"), "tens": _l("Hàng chục (hai mươi, ba mươi…)"),
    "one_after_tens": _l("Số 1 sau hàng chục (hai mươi mốt)"),
    "five_after_tens": _l("Số 5 sau hàng chục (mười lăm, hai mươi lăm)"),
    "hundred": _l("Hàng trăm (một trăm)"), "zero_tens": _l("Không chục (một trăm linh năm)"),
}


def clip_label(name: str) -> str:
    """Describe a clip for people: its words, or what it is."""
    if name == "chime":
        return str(_l("Tiếng chuông"))
    if name in NUMBER_LABELS:
        return str(NUMBER_LABELS[name]) + f" — “{VOCABULARY[name]}”"
    if name.startswith("letter_"):
        return str(_l("Chữ %(letter)s", letter=name[-1].upper())) + f" — “{VOCABULARY[name]}”"
    if name.startswith("digit_"):
        return str(_l("Số %(digit)s", digit=name[-1])) + f" — “{VOCABULARY[name]}”"
    return f"“{VOCABULARY[name]}”"
