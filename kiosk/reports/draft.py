"""The statistics section of the "Báo cáo kết quả triển khai phong trào Bình dân học vụ số".

Written in the administrative style of seed 004: numbered headings, full sentences carrying
the figures, Vietnamese number and date formats. The text is the document's content, always
Vietnamese whatever the screen's language, so it is built under force_locale("vi") and its
sentences are not UI strings for translation.
"""
from flask_babel import force_locale

from kiosk import reference
from kiosk.reports.tables import CATEGORIES, PLATFORMS, code_label, percent

MAX_LISTED = 5  # a sentence names the biggest few; the table beside it has them all


def vn_number(value) -> str:
    """Format a number the Vietnamese way: 1.500 and 12,5."""
    if isinstance(value, float) and not value.is_integer():
        whole, _dot, decimals = f"{value:,.1f}".partition(".")
        return whole.replace(",", ".") + "," + decimals
    return f"{int(value):,}".replace(",", ".")


def vn_date(day) -> str:
    """Format a date as dd/mm/yyyy."""
    return day.strftime("%d/%m/%Y")


def _listing(counts: dict, labels: dict, total: int, lower: bool = True) -> str:
    """Name the biggest entries of a breakdown: "a: 12 lượt (40,0%); b: …"."""
    parts = []
    for code, n in list(counts.items())[:MAX_LISTED]:
        name = code_label(labels, code)
        # Mid-sentence, common nouns are lower case; service and platform names keep theirs.
        parts.append(f"{name.lower() if lower else name}: {vn_number(n)} lượt "
                     f"({vn_number(percent(n, total))}%)")
    return "; ".join(parts)


def draft_blocks(report: dict, period, place: str) -> list[tuple[str, str]]:
    """Return the draft as (kind, text) blocks: title, subtitle, heading, para."""
    with force_locale("vi"):
        return _blocks(report, period, place)


def _blocks(report: dict, period, place: str) -> list[tuple[str, str]]:
    """Build the blocks (under the Vietnamese locale)."""
    total, citizens, ytd = report["assists"], report["citizens"], report["ytd"]
    span = f"từ ngày {vn_date(period.first)} đến ngày {vn_date(period.last)}"
    counters = report["counters"]
    blocks = [
        ("title", "BÁO CÁO"),
        ("subtitle", "Kết quả triển khai phong trào “Bình dân học vụ số”"),
        ("subtitle", f"tại {place}"),
        ("note", f"(Phần số liệu thống kê, {span})"),
        ("heading", "1. Kết quả hỗ trợ người dân của Tổ công nghệ số cộng đồng"),
        ("para", f"Trong kỳ báo cáo ({span}), lực lượng Tổ công nghệ số cộng đồng tại {place} "
                 f"đã trực tiếp hỗ trợ {vn_number(total)} lượt công dân, tương ứng "
                 f"{vn_number(citizens)} người dân đến làm việc, sử dụng dịch vụ công trực tuyến "
                 f"và các nền tảng số thiết yếu."),
        ("para", f"Tính từ ngày {vn_date(ytd_first(period))} đến ngày {vn_date(period.last)}, "
                 f"Tổ công nghệ số cộng đồng đã trực tiếp hỗ trợ {vn_number(ytd['assists'])} "
                 f"lượt công dân ({vn_number(ytd['citizens'])} người dân)."),
        ("para", f"Qua hoạt động hỗ trợ, đã kích hoạt {vn_number(counters['vneid_activated'])} "
                 f"tài khoản định danh điện tử, nộp {vn_number(counters['dossiers_submitted'])} "
                 f"hồ sơ dịch vụ công trực tuyến, thực hiện {vn_number(counters['payments_made'])} "
                 f"giao dịch thanh toán không dùng tiền mặt và cài đặt "
                 f"{vn_number(counters['apps_installed'])} ứng dụng số cho người dân."),
        ("heading", "2. Nội dung và đối tượng được hỗ trợ"),
    ]
    if total:
        blocks.append(("para", "Các nội dung hỗ trợ nhiều nhất: "
                       + _listing(report["by_category"], CATEGORIES, total, lower=False) + "."))
    if report["by_target_group"]:
        blocks.append(("para", "Theo đối tượng, Tổ đã hỗ trợ "
                       + _listing(report["by_target_group"], reference.TARGET_GROUPS, total)
                       + "."))
    outcomes = report["by_outcome"]
    done = outcomes.get("done", 0)
    blocks += [
        ("heading", "3. Kết quả hỗ trợ"),
        ("para", f"Có {vn_number(done)} lượt hỗ trợ hoàn thành ngay "
                 f"(đạt {vn_number(percent(done, total))}%), "
                 f"{vn_number(outcomes.get('partial', 0))} lượt hoàn thành một phần và hẹn lại, "
                 f"{vn_number(outcomes.get('referred', 0))} lượt chuyển tiếp, "
                 f"{vn_number(outcomes.get('failed', 0))} lượt chưa thành công."),
    ]
    fails = sum(report["by_failure_reason"].values())
    if fails:
        blocks.append(("para", "Nguyên nhân chưa thành công chủ yếu: "
                       + _listing(report["by_failure_reason"], reference.FAILURE_REASONS, fails)
                       + "."))
    blocks += [
        ("heading", "4. Lực lượng tham gia hỗ trợ"),
        ("para", f"Có {vn_number(report['active_helpers'])} cán bộ, đoàn viên trực tiếp tham gia "
                 f"hỗ trợ người dân; đoàn viên tình nguyện đã dành "
                 f"{vn_number(float(report['volunteer_hours']))} giờ hỗ trợ trực tiếp."),
        ("heading", "5. Hướng dẫn học tập trên nền tảng số và mức độ hài lòng"),
    ]
    referred = sum(report["by_platform"].values())
    sentence = (f"Tổ đã giới thiệu {vn_number(referred)} lượt người dân tham gia học tập trên "
                "các nền tảng số")
    if referred:
        sentence += ", trong đó " + _listing(report["by_platform"], PLATFORMS, referred, lower=False)
    blocks.append(("para", sentence + "."))
    sat = report["satisfaction"]
    if sat["rated"]:
        blocks.append(("para", f"Trong {vn_number(sat['rated'])} lượt người dân đánh giá, "
                       f"{vn_number(sat['satisfied_share'])}% hài lòng hoặc rất hài lòng "
                       "với sự hỗ trợ."))
    return blocks


def ytd_first(period):
    """Return the first day of the period's year-to-date."""
    return period.year_to_date().first
