"""Reference data of PRODUCT.md §4: stable codes with Vietnamese and English labels.

Services and learning platforms are seeded into the database (the administrator edits them);
the other lists are fixed code sets that the log, the forms and the reports share.
"""
from flask_babel import get_locale
from wtforms.fields.choices import SelectChoice

# code, prefix letter, Vietnamese name, English name, icon
SERVICES = (
    ("vneid", "A", "VNeID: đăng ký, kích hoạt tài khoản định danh điện tử mức 2",
     "VNeID: register and activate a level-2 e-ID account", "id"),
    ("vneid-utils", "B", "VNeID tiện ích (tích hợp giấy tờ, Sổ sức khỏe điện tử)",
     "VNeID services (linked documents, e-health book)", "wallet"),
    ("dvc-submit", "C", "Nộp hồ sơ dịch vụ công trực tuyến",
     "Submit an online public-service dossier", "upload"),
    ("dvc-track", "D", "Tra cứu kết quả giải quyết thủ tục hành chính",
     "Track the result of an administrative procedure", "search"),
    ("payment", "E", "Thanh toán không dùng tiền mặt (QR, chuyển khoản, nộp phí trực tuyến)",
     "Cashless payment (QR, bank transfer, online fees)", "qr"),
    ("apps", "G", "Cài đặt, sử dụng ứng dụng số (Smart Hải Phòng, Sổ sức khỏe điện tử, …)",
     "Install and use digital apps (Smart Hai Phong, e-health book, …)", "apps"),
    ("account", "H", "Đăng nhập, khôi phục tài khoản, OTP",
     "Sign in, recover an account, OTP", "key"),
    ("safety", "K", "An toàn số, phòng chống lừa đảo",
     "Online safety, avoiding scams", "shield"),
    ("learning", "L", "Học tập số (hướng dẫn nền tảng học trực tuyến)",
     "Digital learning (online learning platforms)", "book"),
    ("device", "M", "Sử dụng điện thoại, thiết bị cơ bản",
     "Using a phone or device: the basics", "phone"),
    ("other", "N", "Khác", "Other", "help"),
)

# The icons an administrator may give a service: the names of templates/_macros/icons.html's
# drawings, with the words shown beside them in the picker (icons always come with words).
SERVICE_ICONS = {
    "id": ("Căn cước, định danh", "ID card, e-identity"),
    "wallet": ("Ví giấy tờ", "Document wallet"),
    "document": ("Giấy tờ, hồ sơ", "Papers, dossier"),
    "upload": ("Nộp hồ sơ", "Submit"),
    "search": ("Tra cứu", "Look up"),
    "qr": ("Mã QR", "QR code"),
    "money": ("Thanh toán, lệ phí", "Payment, fees"),
    "apps": ("Ứng dụng", "Apps"),
    "key": ("Tài khoản, mật khẩu", "Account, password"),
    "shield": ("An toàn", "Safety"),
    "book": ("Sách, tài liệu", "Book, guide"),
    "learn": ("Học tập", "Learning"),
    "phone": ("Điện thoại", "Phone"),
    "health": ("Sức khỏe", "Health"),
    "people": ("Gia đình, hộ tịch", "Family, civil status"),
    "globe": ("Internet", "Internet"),
    "chat": ("Tư vấn", "Advice"),
    "help": ("Hỏi đáp, khác", "Questions, other"),
}

# code, name, url, Vietnamese description, English description
PLATFORMS = (
    ("binhdanhocvuso", "Bình dân học vụ số", "https://binhdanhocvuso.gov.vn",
     "Khóa học kỹ năng số miễn phí cho mọi người dân",
     "Free national digital-skills courses for everyone"),
    ("aicongdong", "AI cộng đồng (PTIT)", "https://aicongdong.ptit.edu.vn",
     "Học trí tuệ nhân tạo miễn phí cho cộng đồng",
     "Free artificial-intelligence courses for the community"),
    ("daotaotructuyen-hp", "Đào tạo trực tuyến Hải Phòng", "https://daotaotructuyen.haiphong.gov.vn",
     "Nền tảng đào tạo trực tuyến của thành phố",
     "The city's online training platform"),
    ("dichvucong", "Cổng Dịch vụ công quốc gia", "https://dichvucong.gov.vn",
     "Nộp hồ sơ, tra cứu thủ tục hành chính trực tuyến",
     "Submit and track administrative procedures online"),
)

OUTCOMES = {
    "done": ("Hoàn thành", "Completed"),
    "partial": ("Một phần – hẹn lại", "Partly done – follow-up booked"),
    "referred": ("Chuyển tiếp", "Referred"),
    "failed": ("Không thành công", "Not successful"),
}
FAILURE_REASONS = {
    "missing-papers": ("Thiếu giấy tờ", "Missing documents"),
    "system-error": ("Lỗi hệ thống", "System error"),
    "no-otp": ("Không nhận được OTP", "OTP not received"),
    "sim-not-owner": ("SIM không chính chủ", "SIM not in own name"),
    "no-smartphone": ("Không có điện thoại thông minh", "No smartphone"),
    "other": ("Khác", "Other"),
}
CHANNELS = {
    "desk": ("Tại quầy", "At the desk"),
    "home": ("Tại nhà", "Home visit"),
    "mobile": ("Lưu động", "Mobile team"),
    "phone": ("Điện thoại", "By phone"),
}
TARGET_GROUPS = {
    "elderly": ("Người cao tuổi", "Elderly"),
    "disabled": ("Người khuyết tật", "People with disabilities"),
    "worker": ("Lao động phổ thông / người lao động", "Workers"),
    "student": ("Học sinh – sinh viên", "Pupils and students"),
    "trader": ("Tiểu thương / hộ kinh doanh", "Small traders and household businesses"),
    "farmer": ("Nông dân", "Farmers"),
    "ethnic": ("Đồng bào dân tộc thiểu số", "Ethnic minorities"),
    "other": ("Khác", "Other"),
}
AGE_BANDS = {
    "lt16": ("Dưới 16", "Under 16"),
    "16-17": ("16–17", "16–17"),
    "18-39": ("18–39", "18–39"),
    "40-59": ("40–59", "40–59"),
    "60-69": ("60–69", "60–69"),
    "70-79": ("70–79", "70–79"),
    "80+": ("80 trở lên", "80 and over"),
}
GENDERS = {
    "male": ("Nam", "Male"),
    "female": ("Nữ", "Female"),
    "other": ("Khác", "Other"),
    "undisclosed": ("Không trả lời", "Prefer not to say"),
}
SATISFACTION = {
    5: ("Rất hài lòng", "Very satisfied"),
    4: ("Hài lòng", "Satisfied"),
    3: ("Bình thường", "Neutral"),
    2: ("Không hài lòng", "Dissatisfied"),
    1: ("Rất không hài lòng", "Very dissatisfied"),
}
ROLE_LABELS = {
    "admin": ("Quản trị viên", "Administrator"),
    "officer": ("Cán bộ trực", "Duty officer"),
    "volunteer": ("Đoàn viên tình nguyện", "Youth Union volunteer"),
    "reporter": ("Phòng Văn hóa – Xã hội", "Culture–Society office"),
    "city": ("Thành phố (chỉ xem)", "City (read-only)"),
}


def label(table: dict, code) -> str:
    """Return a code's label in the current language (Vietnamese when unsure)."""
    pair = table.get(code)
    if pair is None:
        return str(code or "")
    locale = get_locale()
    return pair[1] if locale is not None and locale.language == "en" else pair[0]


def service_name(service) -> str:
    """Return a service's name in the current language."""
    locale = get_locale()
    return service.name_en if locale is not None and locale.language == "en" else service.name_vi


def choices(table: dict) -> list[SelectChoice]:
    """Return a form's choices (code, label in the current language)."""
    return [SelectChoice(str(code), label(table, code)) for code in table]

WEEKDAYS = {
    0: ("Thứ Hai", "Monday"), 1: ("Thứ Ba", "Tuesday"), 2: ("Thứ Tư", "Wednesday"),
    3: ("Thứ Năm", "Thursday"), 4: ("Thứ Sáu", "Friday"), 5: ("Thứ Bảy", "Saturday"),
    6: ("Chủ Nhật", "Sunday"),
}

# The rating device's scales (PRODUCT.md §4), chosen per site. A level counts up from the least
# satisfied word (1) to the most satisfied (the scale's size); a rating is stored as its level
# and its scale, and read back only through its own scale's words: a face is never mapped onto
# another scale. The 4-level scale is the usual even one (no middle): Rất hài lòng / Hài lòng /
# Không hài lòng / Rất không hài lòng.
RATING_SCALES = {
    3: {3: ("Hài lòng", "Satisfied"), 2: ("Bình thường", "Neutral"),
        1: ("Không hài lòng", "Dissatisfied")},
    4: {4: ("Rất hài lòng", "Very satisfied"), 3: ("Hài lòng", "Satisfied"),
        2: ("Không hài lòng", "Dissatisfied"), 1: ("Rất không hài lòng", "Very dissatisfied")},
    5: SATISFACTION,
}
DEFAULT_RATING_SCALE = 3
# "Satisfied" is the top level(s) only: "Hài lòng" on 3 levels; "Rất hài lòng" and "Hài lòng"
# on 4 and 5 (never "Bình thường").
SATISFIED_LEVELS = {3: (3,), 4: (4, 3), 5: (5, 4)}
# The face each word is drawn with (templates/assists/_faces.html).
RATING_MOODS = {"Rất hài lòng": "very-happy", "Hài lòng": "happy", "Bình thường": "neutral",
                "Không hài lòng": "sad", "Rất không hài lòng": "very-sad"}


def rating_levels(scale: int) -> list[tuple[int, str, str]]:
    """Return a scale's (level, word in the current language, mood), most satisfied first."""
    words = RATING_SCALES[scale]
    return [(level, label(words, level), RATING_MOODS[words[level][0]]) for level in words]

# The result counters of an assist (kiosk/reports/summary.py COUNTERS), as reports name them.
RESULT_COUNTERS = {
    "vneid_activated": ("Tài khoản định danh điện tử được kích hoạt", "e-ID accounts activated"),
    "dossiers_submitted": ("Hồ sơ dịch vụ công trực tuyến đã nộp", "Online dossiers submitted"),
    "payments_made": ("Giao dịch thanh toán không dùng tiền mặt", "Cashless payments made"),
    "apps_installed": ("Ứng dụng số đã cài đặt", "Digital apps installed"),
}
