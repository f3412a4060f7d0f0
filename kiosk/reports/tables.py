"""Turn a report's counts into labelled tables: the screen, the workbook and the print share them."""
from dataclasses import dataclass, field

from flask_babel import gettext as _

from kiosk import reference
from kiosk.reference import label
from kiosk.reports.numbers import local_number
from kiosk.reports.queries import UNKNOWN
from kiosk.reports.summary import COUNTERS

CATEGORIES = {code: (vi, en) for code, _p, vi, en, _i in reference.SERVICES}
PLATFORMS = {code: (name, name) for code, name, *_rest in reference.PLATFORMS}


@dataclass
class Table:
    """A titled breakdown: rows of (code, label, count, percent of the base)."""

    key: str
    title: str
    rows: list = field(default_factory=list)
    base: int = 0
    note: str = ""
    chart: bool = True


def code_label(table: dict, code) -> str:
    """Return a code's label; blanks read "not recorded"."""
    if code in (UNKNOWN, None):
        return _("Chưa ghi")
    return label(table, code)


def percent(part: int, whole: int) -> float:
    """Return part/whole as a percentage with one decimal (0 when whole is 0)."""
    return round(100 * part / whole, 1) if whole else 0.0


def counted_table(key: str, title: str, counts: dict, labels: dict, base: int,
                  note: str = "", natural: bool = False) -> Table:
    """Build a table from {code: count}: biggest first, or in the code list's order if natural."""
    items = counts.items()
    if natural:  # age bands read youngest to oldest; blanks last
        rank = {code: n for n, code in enumerate(labels)}
        items = sorted(items, key=lambda item: rank.get(item[0], len(rank)))
    rows = [(code, code_label(labels, code), n, percent(n, base)) for code, n in items]
    return Table(key, title, rows, base, note)


def breakdown_tables(report: dict) -> list[Table]:
    """Return the breakdowns of a report in the order the screen shows them."""
    total = report["assists"]
    fails = sum(report["by_failure_reason"].values())
    tables = [
        counted_table("category", _("Theo nội dung hỗ trợ"), report["by_category"], CATEGORIES,
                      total),
        counted_table("target_group", _("Theo đối tượng"), report["by_target_group"],
                      reference.TARGET_GROUPS, total,
                      _("Một lượt có thể thuộc nhiều đối tượng; tỷ lệ tính trên tổng số lượt.")),
        counted_table("age_band", _("Theo độ tuổi"), report["by_age_band"], reference.AGE_BANDS,
                      total, natural=True),
        counted_table("gender", _("Theo giới tính"), report["by_gender"], reference.GENDERS,
                      total),
        counted_table("outcome", _("Theo kết quả"), report["by_outcome"], reference.OUTCOMES,
                      total),
        counted_table("failure_reason", _("Lý do chưa thành công"), report["by_failure_reason"],
                      reference.FAILURE_REASONS, fails),
        counted_table("channel", _("Theo hình thức hỗ trợ"), report["by_channel"],
                      reference.CHANNELS, total),
        counted_table("platform", _("Giới thiệu nền tảng học tập số"), report["by_platform"],
                      PLATFORMS, total),
    ]
    tables += satisfaction_tables(report["satisfaction"])
    return tables


def satisfaction_tables(satisfaction: dict) -> list[Table]:
    """Return the distribution of ratings in the words of each scale used (one table a scale;
    a single empty table when nothing was rated)."""
    if not satisfaction["scales"]:
        return [Table("satisfaction", _("Mức độ hài lòng"))]
    tables = []
    for entry in satisfaction["scales"]:
        scale, words = entry["scale"], reference.RATING_SCALES[entry["scale"]]
        top = " + ".join(f"“{label(words, level)}”" for level in reference.SATISFIED_LEVELS[scale])
        table = Table(f"satisfaction-{scale}",
                      _("Mức độ hài lòng (thang %(n)s mức)", n=scale),
                      [(level, label(words, level), n, percent(n, entry["rated"]))
                       for level, n in entry["levels"].items()], entry["rated"],
                      _("Tính là hài lòng: %(top)s – %(share)s %% trên %(rated)s lượt đánh giá.",
                        top=top, share=local_number(entry["satisfied_share"], fixed=True),
                        rated=local_number(entry["rated"])))
        tables.append(table)
    return tables


def counter_rows(report: dict) -> list[tuple]:
    """Return (counter name, label, total) of the result counters, in the draft's order."""
    return [(name, label(reference.RESULT_COUNTERS, name), report["counters"][name])
            for name in COUNTERS]


def role_rows(report: dict) -> list[tuple]:
    """Return (role label, assists, helpers, hours) per helper role."""
    return [(code_label(reference.ROLE_LABELS, r["role"]), r["assists"], r["helpers"], r["hours"])
            for r in report["by_helper_role"]]


def helper_rows(report: dict) -> list[tuple]:
    """Return (name, role label, assists, hours) per helper."""
    return [(r["name"] or _("Chưa ghi"), code_label(reference.ROLE_LABELS, r["role"]),
             r["assists"], r["hours"]) for r in report["by_helper"]]


def heatmap_grid(report: dict, first_hour: int = 6, last_hour: int = 20) -> dict:
    """Return the weekday × hour grid of demand, with the busiest cell for shading."""
    cells = report["heatmap"]
    hours = sorted({h for _d, h in cells} | set(range(first_hour, last_hour + 1)))
    days = [_("Thứ Hai"), _("Thứ Ba"), _("Thứ Tư"), _("Thứ Năm"), _("Thứ Sáu"), _("Thứ Bảy"),
            _("Chủ nhật")]
    peak = max(cells.values(), default=0)
    rows = [(days[d], [cells.get((d, h), 0) for h in hours]) for d in range(7)]
    busiest = max(cells, key=cells.get) if cells else None
    return {"hours": hours, "rows": rows, "peak": peak,
            "busiest": (days[busiest[0]], busiest[1]) if busiest else None}
