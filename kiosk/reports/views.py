"""Reports for the VHXH office: the report screen, its printable draft and the exports."""
from flask import (Response, abort, flash, make_response, redirect, render_template, request,
                   send_file, stream_with_context, url_for)
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import HTTPException

from kiosk.api import is_api_request, json_error
from kiosk.audit.services import record_event, record_event_now
from kiosk.auth.decorators import role_required
from kiosk.extensions import db
from kiosk.reports import bp
from kiosk.reports.access import REPORT_ROLES, is_city, scope_from_args, visible_sites
from kiosk.reports.documents import (DOCX_MIME, XLSX_MAX_ROWS, XLSX_MIME, draft_document,
                                     workbook_file)
from kiosk.reports.draft import draft_blocks
from kiosk.reports.exports import count_rows, csv_chunks, labelled_csv_chunks
from kiosk.reports.forms import PeriodForm, options
from kiosk.reports.numbers import local_number
from kiosk.reports.periods import BASES
from kiosk.reports.queries import Scope, full_report
from kiosk.reports.tables import (breakdown_tables, counter_rows, heatmap_grid, helper_rows,
                                 role_rows)
from kiosk.timeutil import local_today

CITY_WIDE = "thành phố"
# {{ x | number }}: the screens' figures in the language of the page (70,6 / 70.6).
bp.add_app_template_filter(local_number, "number")


# The Vietnamese words of the reports' argument errors (kiosk/reports/access.py raises them).
ERROR_MESSAGES = {
    "bad_date": _l("%(field)s không hợp lệ: nhập ngày theo dạng NNNN-TT-NN (ví dụ 2026-05-31), "
                   "từ năm 2000 đến năm 2100."),
    "bad_range": _l("Ngày kết thúc phải sau ngày bắt đầu."),
    "unknown_site": _l("Không có đơn vị nào mang mã này."),
    "bad_basis": _l("Cách tính kỳ không hợp lệ: chọn theo lịch (calendar) hoặc theo kỳ báo cáo "
                    "nhà nước (cutoff)."),
    "bad_labels": _l("Kiểu nhãn không hợp lệ: dùng labels=vi hoặc bỏ trống."),
    "too_many_rows": _l("Kỳ này có quá nhiều lượt cho một tệp Excel: vui lòng tải tệp CSV hoặc "
                        "chọn kỳ ngắn hơn."),
    "forbidden": _l("Bạn chỉ được xem báo cáo của đơn vị mình."),
}
FIELD_NAMES = {"from": _l("Từ ngày"), "to": _l("Đến ngày"), "basis": _l("Cách tính kỳ"),
               "site": _l("Đơn vị"), "labels": _l("Kiểu nhãn")}


def refusal(status: int, code: str, field: str | None = None):
    """Return the answer to a bad report argument, in Vietnamese: JSON (with its `field`) to the
    API and to programs, an error page to a browser that opened an export's link."""
    message = ERROR_MESSAGES[code] % {"field": FIELD_NAMES.get(field, field or "")}
    browser = request.accept_mimetypes.best_match(["application/json", "text/html"])
    if is_api_request() or browser != "text/html":
        return json_error(status, code, str(message), **({"field": field} if field else {}))
    return render_template("errors/error.html", status=status, message=message), status


def report_scope():
    """Return the scope of ?site=&from=&to=&basis= or stop with its refusal in Vietnamese."""
    try:
        return scope_from_args(request.args)
    except HTTPException as exc:
        body = exc.response.get_json(silent=True) if exc.response is not None else None
        error = (body or {}).get("error", {})
        if error.get("code") not in ERROR_MESSAGES:
            raise
        abort(make_response(refusal(exc.response.status_code, error["code"], error.get("field"))))


def _picked():
    """Read the period picker (defaults: this month, the configured basis, own site)."""
    today = local_today()
    sites = visible_sites()
    defaults = MultiDict({"kind": "month", "year": today.year, "month": today.month,
                          "quarter": (today.month - 1) // 3 + 1, "half": 1 + (today.month > 6),
                          "basis": current_user.site.report_period_basis,
                          "site": "" if is_city() else sites[0].code})
    for key in request.args:
        defaults.setlist(key, request.args.getlist(key))
    form = PeriodForm(defaults)
    form.site.choices = options(([("", _("Tất cả đơn vị"))] if is_city() else []) + [
        (s.code, f"{s.code} – {s.name}") for s in sites])
    period = form.period(today)
    site = next((s for s in sites if s.code == form.site.data), None)
    scope = Scope(period, site.id if site else None) if period else None
    return form, scope, site


def _export_args(scope: Scope, site) -> dict:
    """Return the query arguments that name this scope in an export's address."""
    return {"site": site.code if site else "", "from": scope.period.first.isoformat(),
            "to": scope.period.last.isoformat(), "basis": scope.period.basis}


def _place(site) -> str:
    """Return where the draft says the help was given."""
    return site.name if site else "các điểm hỗ trợ trên địa bàn " + CITY_WIDE


@bp.route("/reports")
@role_required(*REPORT_ROLES)
def index():
    """Show the report of the picked period: headline, breakdowns, charts and tables."""
    form, scope, site = _picked()
    report = full_report(scope, with_sites=site is None) if scope else None
    context = {"form": form, "scope": scope, "site": site, "report": report}
    if report is not None:
        context.update(tables=breakdown_tables(report), roles=role_rows(report),
                       helpers=helper_rows(report), heat=heatmap_grid(report),
                       counters=counter_rows(report),
                       export_args=_export_args(scope, site))
    return render_template("reports/index.html", bases=BASES,
                           default_basis=current_user.site.report_period_basis, **context)


@bp.route("/reports/print")
@role_required(*REPORT_ROLES)
def printable():
    """Show the draft statistics section, ready to print or to copy into the report."""
    form, scope, site = _picked()
    if scope is None:
        return redirect(url_for("reports.index", **request.args))
    report = full_report(scope, with_sites=site is None)
    with force_locale("vi"):
        tables = breakdown_tables(report)
    record_event_now("report.print", "reports/print", site.id if site else None,
                     first=scope.period.first, last=scope.period.last)
    return render_template("reports/print.html", blocks=draft_blocks(report, scope.period,
                                                                     _place(site)),
                           tables=tables, report=report, scope=scope, site=site)


@bp.route("/reports/assists.csv")
@role_required(*REPORT_ROLES)
def assists_csv():
    """Stream the period's assists as CSV (UTF-8 with BOM), one row per assist: codes for
    machines, or Vietnamese headers and words with ?labels=vi."""
    scope, site = report_scope()
    labels = request.args.get("labels", "")
    if labels not in ("", "vi"):
        abort(make_response(refusal(400, "bad_labels", "labels")))
    record_event_now("report.export", "assists.csv", site.id if site else None,
                     first=scope.period.first, last=scope.period.last, site=site.code if site else "*")
    name = f"luot-ho-tro_{site.code if site else 'all'}_{scope.period.first}_{scope.period.last}.csv"
    chunks = labelled_csv_chunks(scope) if labels else csv_chunks(scope)
    return Response(stream_with_context(chunks), mimetype="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


@bp.route("/reports/assists.xlsx")
@role_required(*REPORT_ROLES)
def assists_xlsx():
    """Send the period's assists and a sheet per breakdown as an Excel workbook."""
    scope, site = report_scope()
    rows = count_rows(scope)
    if rows > XLSX_MAX_ROWS:
        abort(make_response(refusal(400, "too_many_rows")))
    report = full_report(scope, with_sites=site is None)
    record_event_now("report.export", "assists.xlsx", site.id if site else None,
                     first=scope.period.first, last=scope.period.last, rows=rows)
    name = f"bao-cao_{site.code if site else 'all'}_{scope.period.first}_{scope.period.last}.xlsx"
    return send_file(workbook_file(scope, report), mimetype=XLSX_MIME, as_attachment=True,
                     download_name=name)


@bp.route("/reports/draft.docx")
@role_required(*REPORT_ROLES)
def draft_docx():
    """Send the draft statistics section as an editable .docx."""
    scope, site = report_scope()
    report = full_report(scope, with_sites=site is None)
    with force_locale("vi"):
        tables = breakdown_tables(report)
    blocks = draft_blocks(report, scope.period, _place(site))
    record_event_now("report.export", "draft.docx", site.id if site else None,
                     first=scope.period.first, last=scope.period.last)
    name = f"bao-cao-so-lieu_{site.code if site else 'all'}_{scope.period.first}_{scope.period.last}.docx"
    return send_file(draft_document(blocks, tables), mimetype=DOCX_MIME, as_attachment=True,
                     download_name=name)


@bp.route("/reports/settings", methods=["POST"])
@role_required("admin")
def settings():
    """Set whether the site's reports default to calendar periods or the state reporting cut-off."""
    basis = request.form.get("basis", "")
    if basis not in BASES:
        flash(_("Cách tính kỳ không hợp lệ."), "error")
    else:
        site = current_user.site
        site.report_period_basis = basis
        record_event("site.settings", site.code, site.id, report_period_basis=basis)
        db.session.commit()
        flash(_("Đã lưu cách tính kỳ mặc định."), "success")
    return redirect(url_for("reports.index"))
