"""Small helpers the administration screens share: searching a list, an own-site object."""
import unicodedata

from flask import abort, request
from flask_login import current_user

from kiosk.extensions import db


def folded(text) -> str:
    """Lower-case text without Vietnamese marks, so "quay" finds "Quầy"."""
    text = unicodedata.normalize("NFD", str(text or "").casefold().replace("đ", "d"))
    return "".join(c for c in text if not unicodedata.combining(c))


def searched(rows: list, *columns, of=lambda row: row) -> tuple[list, str]:
    """Keep the rows whose columns (of the object `of` picks from a row) contain the ?q= words
    (the lists are a few dozen rows)."""
    q = request.args.get("q", "").strip()[:100]
    words = folded(q).split()
    if words:
        rows = [r for r in rows
                if all(w in " ".join(folded(getattr(of(r), c)) for c in columns) for w in words)]
    return rows, q


def own(model, object_id: int):
    """Return the current admin's site's object, or 404 (another site's object does not exist)."""
    obj = db.get_or_404(model, object_id)
    if obj.site_id != current_user.site_id:
        abort(404)
    return obj


def status_for(form) -> int:
    """Answer 400 when the form was refused, so a bad submission is not mistaken for a page."""
    return 400 if form.errors else 200
