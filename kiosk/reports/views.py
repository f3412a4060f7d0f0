"""Reports for the VHXH office."""
from flask import render_template

from kiosk.auth.decorators import role_required
from kiosk.reports import bp


@bp.route("/reports")
@role_required("admin", "reporter", "city")
def index():
    """Show the reports home."""
    return render_template("reports/index.html")
