"""The board's administration screen: the ticker and the site's own voice recordings."""
from flask import Response, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from kiosk.auth.decorators import role_required
from kiosk.display import bp
from kiosk.display.forms import ResetClipForm, TickerForm, VoiceClipForm, clip_label
from kiosk.display.services import replace_clip, reset_clip, set_ticker
from kiosk.display.voice import VOCABULARY, clip_path, pack_version
from kiosk.display.wavtools import ClipError
from kiosk.extensions import db


def clip_error_message(code: str) -> str:
    """Say in Vietnamese why an uploaded file cannot be used."""
    return {
        "not_wav": _("Tệp không phải là tệp WAV hợp lệ."),
        "not_16bit": _("Tệp WAV phải là PCM 16-bit. Hãy xuất lại tệp ở định dạng 16-bit."),
        "bad_format": _("Tệp WAV phải có 1 hoặc 2 kênh, tần số lấy mẫu từ 8000 đến 96000 Hz."),
        "silent": _("Tệp ghi âm không có tiếng (im lặng hoặc quá nhỏ)."),
        "too_long": _("Đoạn ghi âm dài quá 5 giây."),
    }.get(code, _("Không dùng được tệp này."))


def render_admin(ticker_form=None, voice_form=None, status=200):
    """Render the screen with the given forms (fresh ones otherwise)."""
    site = current_user.site
    if ticker_form is None:
        ticker_form = TickerForm(formdata=None, ticker=site.ticker)
    clips = [{"name": name, "label": clip_label(name), "own": clip_path(site.code, name)[1]}
             for name in VOCABULARY]
    return render_template("display/admin.html", site=site, clips=clips,
                           ticker_form=ticker_form, voice_form=voice_form or VoiceClipForm(),
                           reset_form=ResetClipForm(), version=pack_version(site.code)), status


@bp.route("/display/admin")
@role_required("admin")
def admin():
    """Show the ticker and the voice pack of the administrator's site."""
    return render_admin()


@bp.route("/display/admin/ticker", methods=["POST"])
@role_required("admin")
def admin_ticker():
    """Save the announcement ticker."""
    form = TickerForm()
    if not form.validate_on_submit():
        return render_admin(ticker_form=form, status=400)
    set_ticker(current_user.site, form.ticker.data or "")
    db.session.commit()
    flash(_("Đã lưu dòng thông báo."), "success")
    return redirect(url_for("display.admin"))


@bp.route("/display/admin/voice", methods=["POST"])
@role_required("admin")
def admin_voice():
    """Replace one clip with an uploaded WAV recording; nothing changes on a bad file."""
    form = VoiceClipForm()
    if form.validate_on_submit():
        try:
            replace_clip(current_user.site, form.clip.data, form.audio.data.read())
        except ClipError as exc:
            form.audio.errors.append(clip_error_message(exc.code))
        else:
            db.session.commit()
            flash(_("Đã thay đoạn ghi âm %(clip)s.", clip=clip_label(form.clip.data)), "success")
            return redirect(url_for("display.admin"))
    db.session.rollback()
    return render_admin(voice_form=form, status=400)


@bp.route("/display/admin/voice/reset", methods=["POST"])
@role_required("admin")
def admin_voice_reset():
    """Go back to the default recording of one clip."""
    form = ResetClipForm()
    if not form.validate_on_submit() or form.clip.data not in VOCABULARY:
        abort(400)
    if reset_clip(current_user.site, form.clip.data):
        db.session.commit()
        flash(_("Đã dùng lại giọng mặc định cho %(clip)s.", clip=clip_label(form.clip.data)),
              "success")
    return redirect(url_for("display.admin"))


@bp.route("/display/admin/voice/<name>.wav")
@role_required("admin")
def admin_voice_clip(name):
    """Play one clip of the site's pack, for the administrator to listen to."""
    if name not in VOCABULARY:
        abort(404)
    path, _own = clip_path(current_user.site.code, name)
    if not path.exists():
        abort(404)
    return Response(path.read_bytes(), mimetype="audio/wav", headers={"Cache-Control": "no-cache"})
