"""Administration: desks, help categories and learning platforms."""

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from kiosk.admin import bp
from kiosk.admin.forms import DeskEditForm, DeskForm, PlatformForm, ServiceForm, ServiceNewForm
from kiosk.admin.helpers import own, searched, status_for
from kiosk.admin.services import (
    create_desk, create_service, restore_default_platforms, set_service_active, update_desk,
    update_service,
)
from kiosk.auth.decorators import role_required
from kiosk.extensions import db
from kiosk.platforms.models import LearningPlatform
from kiosk.platforms.qr import is_web_url, qr_svg
from kiosk.platforms.queries import site_platforms
from kiosk.platforms.services import (
    create_platform, move_platform, toggle_platform, update_platform,
)
from kiosk.queue.models import Desk, Service, Site
from kiosk.reference import service_name


@bp.route("/admin/desks")
@role_required("admin")
def desks():
    """List the site's desks and the services each serves."""
    rows = list(db.session.execute(db.select(Desk).where(Desk.site_id == current_user.site_id)
                                   .order_by(Desk.number)).scalars())
    rows, q = searched(rows, "number", "name")
    active_ids = {s.id for s in db.session.execute(db.select(Service).where(
        Service.site_id == current_user.site_id, Service.active.is_(True))).scalars()}
    return render_template("admin/desks.html", desks=rows, q=q, active_ids=active_ids)


@bp.route("/admin/desks/new", methods=["GET", "POST"])
@role_required("admin")
def desk_new():
    """Add a desk."""
    form = DeskForm(site_id=current_user.site_id)
    if form.validate_on_submit():
        desk = create_desk(current_user.site_id, form)
        db.session.commit()
        flash(_("Đã thêm quầy %(number)s.", number=desk.number), "success")
        return redirect(url_for("admin.desks"))
    return render_template("admin/desk_edit.html", form=form, desk=None), status_for(form)


@bp.route("/admin/desks/<int:desk_id>", methods=["GET", "POST"])
@role_required("admin")
def desk_edit(desk_id):
    """Rename, renumber, reassign or close a desk."""
    desk = own(Desk, desk_id)
    form = DeskEditForm(site_id=current_user.site_id, desk=desk)
    if form.validate_on_submit():
        update_desk(desk, form)
        db.session.commit()
        flash(_("Đã lưu quầy %(number)s.", number=desk.number), "success")
        return redirect(url_for("admin.desks"))
    return render_template("admin/desk_edit.html", form=form, desk=desk), status_for(form)


@bp.route("/admin/services")
@role_required("admin")
def services():
    """List the site's help categories, serving and retired."""
    rows = list(db.session.execute(db.select(Service).where(
        Service.site_id == current_user.site_id).order_by(Service.sort_order, Service.id)).scalars())
    rows, q = searched(rows, "code", "prefix", "name_vi", "name_en")
    desks_of = {}
    for desk in db.session.execute(db.select(Desk).where(
            Desk.site_id == current_user.site_id, Desk.active.is_(True)).order_by(Desk.number)).scalars():
        for service in desk.services:
            desks_of.setdefault(service.id, []).append(desk.number)
    return render_template("admin/services.html", services=rows, q=q, desks_of=desks_of)


@bp.route("/admin/services/new", methods=["GET", "POST"])
@role_required("admin")
def service_new():
    """Add a help category."""
    form = ServiceNewForm(site_id=current_user.site_id)
    if form.validate_on_submit():
        service = create_service(current_user.site_id, form)
        db.session.commit()
        flash(_("Đã thêm nội dung hỗ trợ %(code)s.", code=service.code), "success")
        return redirect(url_for("admin.services"))
    return render_template("admin/service_edit.html", form=form, service=None), status_for(form)


@bp.route("/admin/services/<int:service_id>", methods=["GET", "POST"])
@role_required("admin")
def service_edit(service_id):
    """Edit one help category (names, letter, icon, order, daily cap, desks)."""
    service = own(Service, service_id)
    form = ServiceForm(site_id=current_user.site_id, service=service)
    if form.validate_on_submit():
        update_service(service, form)
        db.session.commit()
        flash(_("Đã lưu nội dung hỗ trợ."), "success")
        return redirect(url_for("admin.services"))
    return render_template("admin/service_edit.html", form=form, service=service), status_for(form)


@bp.route("/admin/services/<int:service_id>/retire", methods=["POST"])
@role_required("admin")
def service_retire(service_id):
    """Stop offering a help category at the kiosk; its tickets and assists stay in the reports."""
    service = own(Service, service_id)
    set_service_active(service, False)
    db.session.commit()
    flash(_("Đã ngừng “%(name)s”: ki-ốt không còn cấp số cho nội dung này.",
            name=service_name(service)), "info")
    return redirect(url_for("admin.services"))


@bp.route("/admin/services/<int:service_id>/restore", methods=["POST"])
@role_required("admin")
def service_restore(service_id):
    """Offer a retired help category again."""
    service = own(Service, service_id)
    set_service_active(service, True)
    db.session.commit()
    flash(_("Đã khôi phục “%(name)s”.", name=service_name(service)), "success")
    return redirect(url_for("admin.services"))


@bp.route("/admin/platforms")
@role_required("admin")
def platforms():
    """List the site's learning platforms in their order, with their QR codes."""
    everything = site_platforms(current_user.site_id)
    rows, q = searched(everything, "code", "name", "url", "description_vi")
    return render_template("admin/platforms.html", platforms=rows, q=q, total=len(everything),
                           first=everything[0] if everything else None,
                           last=everything[-1] if everything else None)


@bp.route("/admin/platforms/new", methods=["GET", "POST"])
@role_required("admin")
def platform_new():
    """Add a learning platform."""
    form = PlatformForm(site_id=current_user.site_id)
    if form.validate_on_submit():
        platform = create_platform(current_user.site_id, form)
        db.session.commit()
        flash(_("Đã thêm nền tảng %(name)s.", name=platform.name), "success")
        return redirect(url_for("admin.platforms"))
    return render_template("admin/platform_edit.html", form=form, platform=None), status_for(form)


@bp.route("/admin/platforms/<int:platform_id>", methods=["GET", "POST"])
@role_required("admin")
def platform_edit(platform_id):
    """Edit a learning platform."""
    platform = own(LearningPlatform, platform_id)
    form = PlatformForm(site_id=current_user.site_id, platform=platform)
    if form.validate_on_submit():
        update_platform(platform, form)
        db.session.commit()
        flash(_("Đã lưu nền tảng %(name)s.", name=platform.name), "success")
        return redirect(url_for("admin.platforms"))
    return render_template("admin/platform_edit.html", form=form, platform=platform), \
        status_for(form)


@bp.route("/admin/platforms/<int:platform_id>/move", methods=["POST"])
@role_required("admin")
def platform_move(platform_id):
    """Move a platform one place up or down (?direction=up|down)."""
    platform = own(LearningPlatform, platform_id)
    step = {"up": -1, "down": 1}.get(request.form.get("direction", ""))
    if step is None:
        abort(400)
    move_platform(platform, step)
    db.session.commit()
    return redirect(url_for("admin.platforms"))


@bp.route("/admin/platforms/<int:platform_id>/toggle", methods=["POST"])
@role_required("admin")
def platform_toggle(platform_id):
    """Show or hide a platform at the kiosk and on the board."""
    platform = own(LearningPlatform, platform_id)
    toggle_platform(platform)
    db.session.commit()
    flash(_("Đã hiện %(name)s.", name=platform.name) if platform.active
          else _("Đã ẩn %(name)s.", name=platform.name), "info")
    return redirect(url_for("admin.platforms"))


@bp.route("/admin/platforms/defaults", methods=["POST"])
@role_required("admin")
def platform_defaults():
    """Add back the four default learning platforms."""
    added = restore_default_platforms(db.session.get(Site, current_user.site_id))
    db.session.commit()
    flash(_("Đã khôi phục %(count)s nền tảng mặc định.", count=len(added)), "success")
    return redirect(url_for("admin.platforms"))


@bp.route("/admin/platforms/qr.svg")
@role_required("admin")
def platform_qr():
    """Draw the QR code of ?url= for the form's live preview (400 when it is not a web address)."""
    url = request.args.get("url", "").strip()
    if not is_web_url(url):
        return Response(_("Địa chỉ chưa đúng."), status=400, mimetype="text/plain")
    response = Response(str(qr_svg(url)), mimetype="image/svg+xml")
    response.headers["Cache-Control"] = "private, max-age=300"
    return response
