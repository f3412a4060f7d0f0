"""Administration screens."""
from flask import render_template

from kiosk.admin import bp
from kiosk.auth.decorators import role_required


@bp.route("/admin")
@role_required("admin")
def index():
    """Show the administration home."""
    return render_template("admin/index.html")
