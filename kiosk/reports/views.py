"""Reports for the VHXH office: the report screen, its printable draft and the exports."""
from flask import Response, flash, redirect, render_template, request, send_file, stream_with_context, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.datastructures import MultiDict

from kiosk.api import abort_json
from kiosk.audit.services import record_event
from kiosk.auth.decorators import role_required
from kiosk.extensions import db
from kiosk.reports import bp
from kiosk.reports.access import REPORT_ROLES, is_city, scope_from_args, visible_sites
from kiosk.reports.documents import (DOCX_MIME, XLSX_MAX_ROWS, XLSX_MIME, draft_document,
                                     workbook_file)
from kiosk.reports.draft import draft_blocks
from kiosk.reports.exports import count_rows, csv_chunks
from kiosk.reports.forms import PeriodForm, options
from kiosk.reports.periods import BASES
from kiosk.reports.queries import Scope, full_report
from kiosk.reports.tables import breakdown_tables, heatmap_grid, helper_rows, role_rows
from kiosk.timeutil import local_today

CITY_WIDE = "thành phố"


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
    record_event("report.print", "reports/print", site.id if site else None,
                 first=scope.period.first, last=scope.period.last)
    db.session.commit()
    return render_template("reports/print.html", blocks=draft_blocks(report, scope.period,
                                                                     _place(site)),
                           tables=tables, report=report, scope=scope, site=site)


@bp.route("/reports/assists.csv")
@role_required(*REPORT_ROLES)
def assists_csv():
    """Stream the period's assists as CSV (UTF-8 with BOM), one row per assist."""
    scope, site = scope_from_args(request.args)
    record_event("report.export", "assists.csv", site.id if site else None,
                 first=scope.period.first, last=scope.period.last, site=site.code if site else "*")
    db.session.commit()
    name = f"luot-ho-tro_{site.code if site else 'all'}_{scope.period.first}_{scope.period.last}.csv"
    return Response(stream_with_context(csv_chunks(scope)), mimetype="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


@bp.route("/reports/assists.xlsx")
@role_required(*REPORT_ROLES)
def assists_xlsx():
    """Send the period's assists and a sheet per breakdown as an Excel workbook."""
    scope, site = scope_from_args(request.args)
    rows = count_rows(scope)
    if rows > XLSX_MAX_ROWS:
        abort_json(400, "too_many_rows", f"{rows} rows exceed Excel's limit: use the CSV")
    report = full_report(scope, with_sites=site is None)
    record_event("report.export", "assists.xlsx", site.id if site else None,
                 first=scope.period.first, last=scope.period.last, rows=rows)
    db.session.commit()
    name = f"bao-cao_{site.code if site else 'all'}_{scope.period.first}_{scope.period.last}.xlsx"
    return send_file(workbook_file(scope, report), mimetype=XLSX_MIME, as_attachment=True,
                     download_name=name)


@bp.route("/reports/draft.docx")
@role_required(*REPORT_ROLES)
def draft_docx():
    """Send the draft statistics section as an editable .docx."""
    scope, site = scope_from_args(request.args)
    report = full_report(scope, with_sites=site is None)
    with force_locale("vi"):
        tables = breakdown_tables(report)
    blocks = draft_blocks(report, scope.period, _place(site))
    record_event("report.export", "draft.docx", site.id if site else None,
                 first=scope.period.first, last=scope.period.last)
    db.session.commit()
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
