"""The staff console."""
from flask import render_template

from kiosk.auth.decorators import role_required
from kiosk.staff import bp


@bp.route("/console")
@role_required("admin", "officer", "volunteer")
def console():
    """Show the desk console."""
    return render_template("staff/console.html")
