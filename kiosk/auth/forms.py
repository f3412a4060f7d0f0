"""Sign-in, password and user forms."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, EqualTo, Length, Regexp, ValidationError

from kiosk.auth.services import find_user, password_problems

USERNAME_RE = r"^[a-z0-9._-]{3,64}\Z"


def strip(value):
    """Drop surrounding spaces from a typed value."""
    return value.strip() if isinstance(value, str) else value


class LoginForm(FlaskForm):
    """Username and password."""

    username = StringField(_l("Tên đăng nhập"), validators=[
        DataRequired(_l("Vui lòng nhập tên đăng nhập.")), Length(max=200)])
    password = PasswordField(_l("Mật khẩu"), validators=[
        DataRequired(_l("Vui lòng nhập mật khẩu.")), Length(max=200)])
    remember = BooleanField(_l("Ghi nhớ trên máy này"))


class PasswordForm(FlaskForm):
    """Change one's own password: the current one, then the new one twice."""

    current_password = PasswordField(_l("Mật khẩu hiện tại"), validators=[
        DataRequired(_l("Vui lòng nhập mật khẩu hiện tại.")), Length(max=200)],
        render_kw={"autocomplete": "current-password"})
    new_password = PasswordField(_l("Mật khẩu mới"), validators=[
        DataRequired(_l("Vui lòng nhập mật khẩu mới.")), Length(max=200)],
        render_kw={"autocomplete": "new-password"})
    confirm = PasswordField(_l("Nhập lại mật khẩu mới"), validators=[
        DataRequired(_l("Vui lòng nhập lại mật khẩu mới.")),
        EqualTo("new_password", _l("Hai lần nhập mật khẩu mới không khớp."))],
        render_kw={"autocomplete": "new-password"})

    def __init__(self, user, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def validate_current_password(self, field):
        if not self.user.check_password(field.data):
            raise ValidationError(_l("Mật khẩu hiện tại không đúng."))

    def validate_new_password(self, field):
        problems = password_problems(field.data, self.user.username,
                                     current=self.current_password.data)
        if problems:
            raise ValidationError(" ".join(str(p) for p in problems))


class UserEditForm(FlaskForm):
    """An administrator's view of a user: full name and role (choices set by the view)."""

    full_name = StringField(_l("Họ và tên"), filters=[strip], validators=[
        DataRequired(_l("Vui lòng nhập họ và tên.")), Length(max=120, message=_l(
            "Họ và tên dài tối đa 120 ký tự."))])
    # Choices are set by the view; checked here so the error is in Vietnamese, not WTForms' English.
    role = SelectField(_l("Vai trò"), validate_choice=False)

    def validate_role(self, field):
        if field.data not in {value for value, _label in field.choices}:
            raise ValidationError(_l("Vui lòng chọn một vai trò trong danh sách."))


class NewUserForm(UserEditForm):
    """Create a user: a username as well."""

    username = StringField(_l("Tên đăng nhập"), filters=[strip], validators=[
        DataRequired(_l("Vui lòng nhập tên đăng nhập.")),
        Regexp(USERNAME_RE, message=_l("Tên đăng nhập gồm 3–64 ký tự: chữ thường không dấu a–z, "
                                       "số 0–9, dấu chấm, gạch dưới hoặc gạch ngang."))],
        render_kw={"autocomplete": "off", "autocapitalize": "none"})

    def validate_username(self, field):
        if find_user(field.data):
            raise ValidationError(_l("Tên đăng nhập này đã có người dùng."))
