"""The draft "Báo cáo kết quả triển khai phong trào Bình dân học vụ số", ready to number and sign.

Laid out as Decree 30/2020/NĐ-CP prescribes (issuing body and number, national heading,
place and date, title, numbered sections, recipients, signature) with the sections of seed
004. The figures come from the log; the prose only the office can write is left as marked
places, "[…]", which the .docx (kiosk/reports/docx.py) and the print page highlight. The
text is the document's content, always Vietnamese whatever the screen's language, so it is
built under force_locale("vi") and its sentences are not UI strings for translation.
"""
import re
from dataclasses import dataclass, field
from typing import NamedTuple

from flask_babel import force_locale

from kiosk import reference
from kiosk.reports.numbers import vn_number
from kiosk.reports.tables import (CATEGORIES, PLATFORMS, breakdown_tables, code_label, percent,
                                  role_rows)
from kiosk.timeutil import local_today

CAMPAIGN = "phong trào “Bình dân học vụ số”"
TODO = re.compile(r"(\[[^\]]*\])")  # a marked place: "[Nội dung do Phòng VHXH bổ sung …]"
# "… công phường Hồng Bàng (demo)" → ("phường", "Hồng Bàng"); "xã hội" is not a commune.
LOCALITY = re.compile(r"\b(phường|xã|thị trấn|đặc khu)(?!\s+hội\b)\s+([^()\[\],;:.–-]+)",
                      re.IGNORECASE)
# The help categories in the words of the reports the office already sends (seed 004).
CATEGORY_WORDS = {
    "vneid": "Đăng ký, kích hoạt tài khoản định danh điện tử",
    "vneid-utils": "Sử dụng tiện ích VNeID, Sổ sức khỏe điện tử",
    "dvc-submit": "Nộp hồ sơ dịch vụ công trực tuyến",
    "dvc-track": "Tra cứu kết quả giải quyết thủ tục hành chính",
    "payment": "Thanh toán trực tuyến, thanh toán không dùng tiền mặt (quét QR, chuyển khoản)",
    "apps": "Cài đặt và sử dụng các ứng dụng số cơ bản",
    "account": "Đăng nhập, khôi phục tài khoản",
    "safety": "Phòng chống lừa đảo công nghệ",
    "learning": "Học tập trên các nền tảng số",
    "device": "Sử dụng điện thoại thông minh, thiết bị số cơ bản",
    "other": "Nội dung khác",
}
COUNTER_WORDS = (("vneid_activated", "kích hoạt {} tài khoản định danh điện tử"),
                 ("dossiers_submitted", "nộp {} hồ sơ dịch vụ công trực tuyến"),
                 ("payments_made", "thực hiện {} giao dịch thanh toán không dùng tiền mặt"),
                 ("apps_installed", "cài đặt {} ứng dụng số cho người dân"))


def office_fills(what: str) -> str:
    """Return a marked place for prose the VHXH office writes."""
    return f"[Nội dung do Phòng VHXH bổ sung: {what}]"


class Part(NamedTuple):
    """A run of text; `todo` marks a place the office fills in (italic, highlighted)."""

    text: str
    todo: bool = False


class Block(NamedTuple):
    """A paragraph of the draft: title, subtitle, period, para, heading, item or closing."""

    kind: str
    parts: tuple[Part, ...]

    @property
    def text(self) -> str:
        """Return the paragraph's plain text."""
        return "".join(part.text for part in self.parts)


def block(kind: str, text: str) -> Block:
    """Split a paragraph into parts: the [bracketed] ones are marked places."""
    return Block(kind, tuple(Part(piece, piece.startswith("[")) for piece in TODO.split(text)
                             if piece))


class AppendixTable(NamedTuple):
    """A table of the appendix, every cell already written as text."""

    title: str
    header: tuple[str, ...]
    rows: list[tuple[str, ...]]


@dataclass
class Draft:
    """The whole draft: the heading, the body's blocks, recipients, signature and appendix."""

    issuer: Block
    place_date: Block
    body: list[Block]
    appendix: list[AppendixTable] = field(default_factory=list)
    number: str = "Số: …/BC-UBND"
    nation: str = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    motto: str = "Độc lập – Tự do – Hạnh phúc"
    recipients: tuple[str, ...] = ("- Như trên;", "- Lưu: VT, VHXH.")
    signature: tuple[str, ...] = ("TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH")
    signer: Block = block("signer", "[Họ và tên]")


@dataclass(frozen=True)
class Locality:
    """Who issues the report and where: derived from the site's name when it names a ward."""

    body: str  # "UBND PHƯỜNG HỒNG BÀNG"
    council: str  # "UBND phường Hồng Bàng", mid-sentence
    area: str  # "trên địa bàn phường Hồng Bàng"
    place: str  # "Hồng Bàng", the place of the date line


def locality(place: str) -> Locality:
    """Return the issuing body and place named in a site's name, or marked places."""
    found = LOCALITY.search(place)
    if not found:
        return Locality("UBND [PHƯỜNG/XÃ …]", "UBND [phường/xã …]", f"tại {place}", "[Địa danh]")
    kind, name = found[1].lower(), found[2].strip()
    return Locality(f"UBND {kind} {name}".upper(), f"UBND {kind} {name}",
                    f"trên địa bàn {kind} {name}", name)


def vn_date(day) -> str:
    """Format a date as dd/mm/yyyy."""
    return day.strftime("%d/%m/%Y")


def _share(n: int, total: int) -> str:
    """Return "12 lượt (40%)"."""
    return f"{vn_number(n)} lượt ({vn_number(percent(n, total))}%)"


def mid_sentence(name: str) -> str:
    """Lower a label's capital for mid-sentence ("Nông dân" → "nông dân"); "SIM …" stays."""
    return name[:1].lower() + name[1:] if name[1:2].islower() else name


def _listing(counts: dict, labels: dict, total: int, lower: bool = True) -> str:
    """Name every entry of a breakdown: "a: 12 lượt (40%); b: …"."""
    # Mid-sentence, common nouns are lower case; service and platform names keep theirs.
    names = {code: code_label(labels, code) for code in counts}
    return "; ".join(f"{mid_sentence(names[code]) if lower else names[code]}: {_share(n, total)}"
                     for code, n in counts.items())


def draft_blocks(report: dict, period, place: str) -> Draft:
    """Return the draft of a report (the name says blocks: the print page and .docx render them)."""
    with force_locale("vi"):
        where = locality(place)
        year = local_today().year
        return Draft(issuer=block("issuer", where.body),
                     place_date=block("date", f"{where.place}, ngày … tháng … năm {year}"),
                     body=_body(report, period, place, where), appendix=_appendix(report))


def _body(report: dict, period, place: str, where: Locality) -> list[Block]:
    """Return the title, the introduction, the sections of seed 004 (then the difficulties and
    proposals) and the closing."""
    span = f"từ ngày {vn_date(period.first)} đến ngày {vn_date(period.last)}"
    return [
        block("title", "BÁO CÁO"),
        block("subtitle", f"Kết quả triển khai {CAMPAIGN} {where.area}"),
        block("period", f"(Số liệu {span})"),
        block("para", "Thực hiện Công văn số [……] ngày [……] của [cơ quan yêu cầu báo cáo] về "
                      f"việc báo cáo kết quả triển khai {CAMPAIGN}, {where.council} báo cáo kết "
                      "quả thực hiện, cụ thể như sau:"),
        block("heading", f"1. Kết quả tổ chức truyền thông, tuyên truyền, triển khai {CAMPAIGN}"),
        block("para", office_fills("các văn bản chỉ đạo, kế hoạch đã ban hành (số, ngày, trích "
                                   "yếu); các hình thức truyền thông, tuyên truyền đã thực hiện.")),
        block("heading", "2. Kết quả tổ chức các hoạt động do đơn vị chủ động triển khai "
                         f"{CAMPAIGN} tại địa phương"),
        *_assists_section(report, span, place, period),
        block("heading", "3. Kết quả triển khai các hoạt động trải nghiệm, hướng dẫn sử dụng nền "
                         "tảng số, lớp học số"),
        _platforms_para(report),
        block("para", office_fills("các lớp học số, hoạt động trải nghiệm, khóa học trực tuyến "
                                   "đã tổ chức và số người tham gia.")),
        block("heading", "4. Kết quả triển khai các mô hình, phong trào lan tỏa kỹ năng số "
                         "cộng đồng"),
        block("para", office_fills("các mô hình, nhóm hỗ trợ, phong trào lan tỏa kỹ năng số.")),
        block("heading", "5. Kết quả hoạt động của Tổ công nghệ số cộng đồng"),
        block("para", f"Hiện nay, {where.area} có [……] tổ công nghệ số cộng đồng."),
        *_team_section(report),
        block("para", office_fills("lịch trực, phối hợp với Đoàn thanh niên, đánh giá hiệu quả "
                                   "hoạt động của các tổ.")),
        block("heading", "6. Khó khăn, vướng mắc; phương hướng thời gian tới và đề xuất, kiến "
                         "nghị"),
        block("para", office_fills("khó khăn, vướng mắc.")),
        block("para", office_fills("phương hướng thời gian tới; đề xuất, kiến nghị.")),
        block("closing", f"Trên đây là báo cáo kết quả triển khai {CAMPAIGN} {where.area}. "
                      f"{where.council} báo cáo để [cơ quan nhận báo cáo] được biết./."),
    ]


def _assists_section(report: dict, span: str, place: str, period) -> list[Block]:
    """Return section 2: the help given, by category and target group, and its results."""
    total, citizens, ytd = report["assists"], report["citizens"], report["ytd"]
    blocks = [
        block("para", f"Trong kỳ báo cáo ({span}), lực lượng Tổ công nghệ số cộng đồng tại "
                      f"{place} đã trực tiếp hỗ trợ {vn_number(total)} lượt công dân, tương ứng "
                      f"{vn_number(citizens)} người dân thực hiện thủ tục hành chính trực tuyến "
                      "và sử dụng các nền tảng số thiết yếu."),
        block("para", f"Tính từ ngày {vn_date(period.year_to_date().first)} đến ngày "
                      f"{vn_date(period.last)}, Tổ công nghệ số cộng đồng đã trực tiếp hỗ trợ "
                      f"{vn_number(ytd['assists'])} lượt công dân ({vn_number(ytd['citizens'])} "
                      "người dân)."),
    ]
    categories = list(report["by_category"].items())
    if categories:
        blocks.append(block("para", "Tổ chức, hỗ trợ người dân:"))
        for i, (code, n) in enumerate(categories):
            words = CATEGORY_WORDS.get(code) or code_label(CATEGORIES, code)
            end = "." if i == len(categories) - 1 else ";"
            blocks.append(block("item", f"- {words}: {_share(n, total)}{end}"))
    if report["by_target_group"]:
        blocks.append(block("para", "Đối tượng được hỗ trợ: " + _listing(
            report["by_target_group"], reference.TARGET_GROUPS, total) + "."))
    done = [words.format(vn_number(report["counters"][name])) for name, words in COUNTER_WORDS
            if report["counters"].get(name)]
    if done:
        blocks.append(block("para", "Qua hoạt động hỗ trợ, đã " + ", ".join(done) + "."))
    outcomes = report["by_outcome"]
    finished = outcomes.get("done", 0)
    blocks.append(block("para", f"Có {vn_number(finished)} lượt hỗ trợ hoàn thành ngay (đạt "
                                f"{vn_number(percent(finished, total))}%), "
                                f"{vn_number(outcomes.get('partial', 0))} lượt hoàn thành một "
                                f"phần và hẹn lại, {vn_number(outcomes.get('referred', 0))} lượt "
                                f"chuyển tiếp, {vn_number(outcomes.get('failed', 0))} lượt chưa "
                                "thành công."))
    fails = sum(report["by_failure_reason"].values())
    if fails:
        blocks.append(block("para", "Nguyên nhân chưa thành công: " + _listing(
            report["by_failure_reason"], reference.FAILURE_REASONS, fails) + "."))
    sat = report["satisfaction"]
    if sat.get("rated") and sat.get("satisfied_share") is not None:
        blocks.append(block("para", f"Trong {vn_number(sat['rated'])} lượt người dân đánh giá, "
                                    f"{vn_number(sat['satisfied_share'])}% hài lòng với sự hỗ "
                                    "trợ."))
    blocks.append(block("para", office_fills("các hoạt động khác do đơn vị chủ động triển khai "
                                             "(thanh toán không dùng tiền mặt, Internet tại "
                                             "cộng đồng…).")))
    return blocks


def _platforms_para(report: dict) -> Block:
    """Return section 3's figure: citizens referred to the learning platforms."""
    referred = sum(report["by_platform"].values())
    sentence = (f"Tổ công nghệ số cộng đồng đã giới thiệu, hướng dẫn {vn_number(referred)} lượt "
                "người dân tham gia học tập trên các nền tảng số")
    if referred:
        sentence += ", trong đó: " + _listing(report["by_platform"], PLATFORMS, referred,
                                              lower=False)
    return block("para", sentence + ".")


def _team_section(report: dict) -> list[Block]:
    """Return section 5's figures: the helpers, by role, and the volunteers' hours."""
    roles = "; ".join(f"{mid_sentence(name)}: {vn_number(helpers)} người, {vn_number(n)} lượt"
                      for name, n, helpers, _hours in role_rows(report) if helpers)
    sentence = (f"Trong kỳ báo cáo, có {vn_number(report['active_helpers'])} cán bộ, đoàn viên "
                "trực tiếp tham gia hỗ trợ người dân")
    blocks = [block("para", sentence + (f" ({roles})." if roles else "."))]
    channels = _listing(report["by_channel"], reference.CHANNELS, report["assists"])
    if channels:
        blocks.append(block("para", f"Theo hình thức hỗ trợ: {channels}."))
    blocks.append(block("para", "Đoàn viên tình nguyện đã dành "
                                f"{vn_number(report['volunteer_hours'])} giờ hỗ trợ trực tiếp "
                                "người dân."))
    return blocks


def _appendix(report: dict) -> list[AppendixTable]:
    """Return the detailed tables behind the figures (empty breakdowns left out)."""
    tables = [AppendixTable(t.title, ("Nội dung", "Số lượt", "Tỷ lệ (%)"),
                            [(name, vn_number(n), vn_number(share, fixed=True))
                             for _c, name, n, share in t.rows])
              for t in breakdown_tables(report) if t.rows and t.base]
    roles = role_rows(report)
    if roles:
        tables.append(AppendixTable("Theo vai trò người hỗ trợ",
                                    ("Vai trò", "Số lượt", "Số người", "Số giờ"),
                                    [(name, vn_number(n), vn_number(helpers),
                                      vn_number(hours, fixed=True))
                                     for name, n, helpers, hours in roles]))
    if "sites" in report:
        tables.append(AppendixTable("Theo đơn vị", ("Đơn vị", "Lượt hỗ trợ", "Người dân"),
                                    [(s["name"], vn_number(s["assists"]), vn_number(s["citizens"]))
                                     for s in report["sites"]]))
    return tables
