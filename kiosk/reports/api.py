"""The reports' JSON API: every indicator of the report screen, for a dashboard or a spreadsheet."""
from flask import jsonify

from kiosk import reference
from kiosk.auth.decorators import role_required
from kiosk.reports import bp
from kiosk.reports.access import REPORT_ROLES
from kiosk.reports.queries import Scope, full_report
from kiosk.reports.tables import PLATFORMS
from kiosk.reports.views import report_scope

# The report's breakdowns by code that the API passes on as they are ({code: assists}).
BREAKDOWNS = ("by_category", "by_outcome", "by_channel", "by_target_group", "by_age_band",
              "by_gender", "by_failure_reason", "by_platform")


def _satisfaction(satisfaction: dict) -> dict:
    """Return the satisfaction figures with each scale's Vietnamese words under `labels`."""
    scales = [{**entry, "labels": {level: words[0] for level, words in
                                   reference.RATING_SCALES[entry["scale"]].items()}}
              for entry in satisfaction["scales"]]
    return {**satisfaction, "scales": scales}


def _quality(report: dict) -> dict:
    """Return queue quality with the weekday × hour demand (0 = Monday) and its busiest cell."""
    cells = report["heatmap"]
    busiest = max(cells, key=cells.get) if cells else None  # the screen's pick, ties alike
    return {**report["quality"],
            "busiest": ({"weekday": busiest[0], "hour": busiest[1], "assists": cells[busiest]}
                        if busiest else None),
            "heatmap": [{"weekday": day, "hour": hour, "assists": n}
                        for (day, hour), n in sorted(cells.items())]}


def summary_body(scope: Scope, site, report: dict) -> dict:
    """Return the summary API's body: every indicator full_report computes for the screen."""
    body = {"site": site.code if site else None,
            "from": scope.period.first.isoformat(), "to": scope.period.last.isoformat(),
            "assists": report["assists"], "citizens": report["citizens"], "ytd": report["ytd"],
            **{key: report[key] for key in BREAKDOWNS},
            "counters": report["counters"],
            "active_helpers": report["active_helpers"],
            "volunteer_hours": {"total": report["volunteer_hours"],
                                "by_role": report["by_helper_role"],
                                "by_helper": report["by_helper"]},
            "platform_referrals": [{"code": code, "name": PLATFORMS.get(code, (code,))[0],
                                    "referrals": n} for code, n in report["by_platform"].items()],
            "quality": _quality(report),
            "satisfaction": _satisfaction(report["satisfaction"])}
    if "sites" in report:
        body["sites"] = report["sites"]
    return body


@bp.route("/api/v1/reports/summary")
@role_required(*REPORT_ROLES)
def api_summary_view():
    """Return every indicator of the report screen for ?site=&from=&to= as JSON."""
    scope, site = report_scope()
    return jsonify(summary_body(scope, site, full_report(scope, with_sites=site is None)))
