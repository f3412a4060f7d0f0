"""The reports' JSON API: the summary a city dashboard or a spreadsheet can pull."""
from flask import jsonify, request

from kiosk.auth.decorators import role_required
from kiosk.reports import bp
from kiosk.reports.access import REPORT_ROLES, scope_from_args
from kiosk.reports.queries import api_summary


@bp.route("/api/v1/reports/summary")
@role_required(*REPORT_ROLES)
def api_summary_view():
    """Return assists, citizens and the main breakdowns of ?site=&from=&to= as JSON."""
    scope, site = scope_from_args(request.args)
    return jsonify({"site": site.code if site else None,
                    "from": scope.period.first.isoformat(), "to": scope.period.last.isoformat(),
                    **api_summary(scope)})
