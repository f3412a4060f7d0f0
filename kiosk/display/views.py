"""The waiting-room board, its live JSON state and the spoken announcements."""
import re

from flask import Response, render_template, request, url_for
from flask_babel import gettext as _

from kiosk.api import abort_json
from kiosk.api.polls import not_modified, poll_response
from kiosk.extensions import db
from kiosk.display import bp
from kiosk.platforms.qr import qr_svg
from kiosk.display.queries import active_desks, board_state
from kiosk.platforms.queries import active_platforms
from kiosk.display.voice import announcement_wav, pack_version, parse_number
from kiosk.display.wavtools import ClipError
from kiosk.queue.live import MEMO_SECONDS, active_site_id
from kiosk.queue.queries import site_by_code
from kiosk.timeutil import to_local, utcnow

DESKS_RE = re.compile(r"^[0-9]{1,3}(,[0-9]{1,3}){0,49}$")
AFTER_RE = re.compile(r"^[0-9]{1,18}$")


class BoardInputError(ValueError):
    """A bad query parameter: `code` for the API, `message` in Vietnamese for the page."""

    def __init__(self, status: int, code: str, message: str):
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


def board_target():
    """Read ?site= and ?desks= into (site, desks), or raise BoardInputError."""
    code = request.args.get("site", "").strip()
    if not code:
        raise BoardInputError(400, "missing_site",
                              _("Thiếu mã trung tâm. Hãy mở địa chỉ dạng /display?site=MÃ."))
    site = site_by_code(code)
    if site is None:
        raise BoardInputError(404, "unknown_site",
                              _("Không tìm thấy trung tâm có mã “%(code)s”.", code=code[:32]))
    desks = active_desks(site)
    wanted = request.args.get("desks")
    if wanted is not None:
        wanted = wanted.replace(" ", "")
        if not DESKS_RE.match(wanted):
            raise BoardInputError(400, "bad_desks",
                                  _("Danh sách quầy không hợp lệ: dùng dạng desks=1,2."))
        numbers = {int(n) for n in wanted.split(",")}
        missing = sorted(numbers - {d.number for d in desks})
        if missing:
            raise BoardInputError(400, "unknown_desk", _(
                "Trung tâm không có quầy số %(numbers)s.",
                numbers=", ".join(str(n) for n in missing)))
        desks = [d for d in desks if d.number in numbers]
    return site, desks


def local_clock() -> dict:
    """Return today's time and date in Vietnamese, for the board's first paint."""
    now = to_local(utcnow())
    weekdays = (_("Thứ Hai"), _("Thứ Ba"), _("Thứ Tư"), _("Thứ Năm"), _("Thứ Sáu"), _("Thứ Bảy"),
                _("Chủ Nhật"))
    return {"now_local_time": f"{now:%H:%M}",
            "now_local_date": f"{weekdays[now.weekday()]}, {now:%d/%m/%Y}"}


def with_voice(state: dict) -> dict:
    """Add the voice pack's version, so boards fetch fresh audio after a clip is replaced."""
    state["voice_version"] = pack_version(state["site"])
    return state


@bp.route("/display")
def board():
    """Show the waiting-room board of a site (optionally only some desks)."""
    try:
        site, desks = board_target()
    except BoardInputError as exc:
        return render_template("errors/error.html", status=exc.status,
                               message=exc.message), exc.status
    state = with_voice(board_state(site, desks, None)) | local_clock()
    platforms = [{"name": p.name, "url": p.url, "description": p.description_vi,
                  "qr": qr_svg(p.url, p.name)} for p in active_platforms(site.id)]
    desk_param = ",".join(str(d["desk"]) for d in state["desks"]) \
        if request.args.get("desks") is not None else None
    api_url = url_for("display.api_state", site=site.code, desks=desk_param)
    return render_template("display/board.html", site=site, state=state, platforms=platforms,
                           api_url=api_url, audio_url=url_for("display.announce"),
                           voice_mode=request.args.get("voice", "pack"))


@bp.route("/api/v1/display")
def api_state():
    """Return the board's state and the calls, recalls and transfers after ?after=<event id>;
    304 while the site's live version is the board's (nothing new to show or read out)."""
    site_id = active_site_id(db.session, request.args.get("site", "").strip())
    vary = request.args.get("desks", "")
    unchanged = not_modified(site_id, vary) if site_id is not None else None
    if unchanged is not None:  # the board's query was valid when it got this ETag
        return unchanged
    try:
        site, desks = board_target()
    except BoardInputError as exc:
        abort_json(exc.status, exc.code, exc.message)
    after = request.args.get("after")
    if after is not None and not AFTER_RE.match(after):
        abort_json(400, "bad_after", _("Tham số after phải là số nguyên không âm."),
                   field="after")
    return poll_response(site.id, lambda: with_voice(
        board_state(site, desks, int(after) if after is not None else None)), vary,
        memo_seconds=MEMO_SECONDS)  # the body carries the server's clock


@bp.route("/display/announce.wav")
def announce():
    """Return one call as a WAV file: chime, "Mời số", the number, "đến quầy số", the desk."""
    site = site_by_code(request.args.get("site", "").strip())
    if site is None:
        return Response(_("Không tìm thấy trung tâm."), status=404, mimetype="text/plain")
    number = request.args.get("number", "").strip().upper()
    desk = request.args.get("desk", "")
    try:
        parse_number(number)
        if not desk.isdigit():
            raise ValueError("desk")
        data = announcement_wav(site.code, number, int(desk))
    except (ValueError, ClipError, FileNotFoundError):
        return Response(_("Số thứ tự hoặc số quầy không hợp lệ."), status=400,
                        mimetype="text/plain")
    response = Response(data, mimetype="audio/wav")
    response.headers["Cache-Control"] = "public, max-age=86400"  # ?v= changes with the pack
    return response
