"""What the audit log screen calls each action, and the kinds it filters by."""
from flask_babel import lazy_gettext as _l

# Unknown actions (a feature added later) show their raw code: the log never hides a row.
ACTION_LABELS = {
    "auth.login": _l("Đăng nhập"),
    "auth.logout": _l("Đăng xuất"),
    "auth.login_failed": _l("Đăng nhập thất bại"),
    "auth.password_change": _l("Đổi mật khẩu"),
    "auth.password_set": _l("Đặt mật khẩu từ máy chủ"),
    "auth.locked_out": _l("Tạm khóa đăng nhập"),
    "auth.console_signed_out": _l("Đăng xuất do sai mật khẩu mở khóa"),
    "report.export": _l("Xuất báo cáo"),
    "report.print": _l("In báo cáo"),
    "site.create": _l("Tạo Trung tâm"),
    "site.settings": _l("Sửa cài đặt Trung tâm"),
    "demo.retire": _l("Khóa các tài khoản demo"),
    "demo.delete_data": _l("Xóa dữ liệu demo"),
    "service.create": _l("Thêm nội dung hỗ trợ"),
    "service.update": _l("Sửa nội dung hỗ trợ"),
    "service.retire": _l("Ngừng nội dung hỗ trợ"),
    "service.restore": _l("Khôi phục nội dung hỗ trợ"),
    "desk.create": _l("Thêm quầy"),
    "desk.update": _l("Sửa quầy"),
    "platform.create": _l("Thêm nền tảng học tập"),
    "platform.update": _l("Sửa nền tảng học tập"),
    "platform.move": _l("Đổi thứ tự nền tảng học tập"),
    "platform.activate": _l("Hiện nền tảng học tập"),
    "platform.deactivate": _l("Ẩn nền tảng học tập"),
    "kiosk.create": _l("Đăng ký ki-ốt"),
    "kiosk.update": _l("Sửa ki-ốt"),
    "kiosk.pairing_code": _l("Tạo mã ghép nối ki-ốt"),
    "kiosk.revoke": _l("Thu hồi ki-ốt"),
    "user.create": _l("Tạo tài khoản"),
    "user.update": _l("Sửa tài khoản"),
    "user.password_reset": _l("Đặt lại mật khẩu"),
    "user.deactivate": _l("Khóa tài khoản"),
    "user.reactivate": _l("Mở lại tài khoản"),
    "user.unlock": _l("Gỡ tạm khóa đăng nhập"),
    "user.delete": _l("Xóa tài khoản"),
    "rota.added": _l("Thêm ca trực"),
    "rota.removed": _l("Xóa ca trực"),
    "holiday.added": _l("Thêm ngày nghỉ lễ"),
    "holiday.removed": _l("Xóa ngày nghỉ lễ"),
    "display.ticker": _l("Sửa dòng chữ chạy"),
    "display.voice_clip": _l("Thay tệp giọng đọc"),
    "display.voice_reset": _l("Khôi phục giọng đọc"),
    "assist.corrected": _l("Sửa lượt hỗ trợ"),
    "assist.deleted": _l("Xóa lượt hỗ trợ"),
    "contacts.view": _l("Xem danh sách liên hệ lại"),
    "contacts.erase": _l("Xóa thông tin liên hệ"),
    "contacts.purge": _l("Xóa liên hệ hết hạn"),
}

# kind -> (label, exact actions, action prefixes before the dot)
KINDS = {
    "signin": (_l("Đăng nhập, đăng xuất"), ("auth.login", "auth.logout", "auth.password_change", "auth.password_set"), ()),
    "failed": (_l("Đăng nhập thất bại"),
               ("auth.login_failed", "auth.locked_out", "auth.console_signed_out"), ()),
    "export": (_l("Xuất, in báo cáo"), ("report.export", "report.print"), ()),
    "admin": (_l("Thay đổi quản trị"), (),
              ("site", "service", "desk", "platform", "kiosk", "user", "rota", "holiday", "display",
               "demo")),
    "deletion": (_l("Xóa dữ liệu"),
                 ("assist.deleted", "contacts.erase", "contacts.purge", "user.delete",
                  "demo.delete_data"), ()),
    "contacts": (_l("Xem liên hệ"), ("contacts.view",), ()),
}


def action_label(action: str) -> str:
    """Return the Vietnamese label of an action, or its code when it has none."""
    label = ACTION_LABELS.get(action)
    return str(label) if label is not None else action
