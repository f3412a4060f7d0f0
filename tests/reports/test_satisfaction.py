"""Satisfaction in the reports: each scale's distribution in its own words, the share satisfied
counting the top level(s) only, summaries equal to the log."""
import re
from datetime import UTC, date, datetime

import pytest

from kiosk.assists.models import Assist
from kiosk.extensions import db
from kiosk.queue.models import Site
from kiosk.reports.models import ReportHalf, ReportMonth
from kiosk.reports.periods import Period, build_period
from kiosk.reports.queries import Scope, full_report
from kiosk.reports.sqlfuncs import half_start
from kiosk.reports.summary import live, raw_facts
from kiosk.reports.tables import breakdown_tables

# (scale, levels tapped): 1 = least satisfied.
RATINGS = {3: [3, 2, 2, 2], 4: [4, 3, 3, 2], 5: [5, 4, 3, 3]}
EXPECTED = [
    {"scale": 3, "levels": {3: 1, 2: 3, 1: 0}, "rated": 4, "satisfied": 1,
     "satisfied_share": 25.0},
    {"scale": 4, "levels": {4: 1, 3: 2, 2: 1, 1: 0}, "rated": 4, "satisfied": 3,
     "satisfied_share": 75.0},
    {"scale": 5, "levels": {5: 1, 4: 1, 3: 2, 2: 0, 1: 0}, "rated": 4, "satisfied": 2,
     "satisfied_share": 50.0},
]
WORDS = {3: ["Hài lòng", "Bình thường", "Không hài lòng"],
         4: ["Rất hài lòng", "Hài lòng", "Không hài lòng", "Rất không hài lòng"],
         5: ["Rất hài lòng", "Hài lòng", "Bình thường", "Không hài lòng", "Rất không hài lòng"]}
MAY_FORM = {"kind": "month", "year": 2026, "month": 5, "basis": "calendar"}


def rate(site_id: int, day: int, level: int | None, scale: int | None, n: int = 1) -> None:
    """Add an assist of 2026-05-<day> rated `level` on `scale`."""
    db.session.add(Assist(site_id=site_id, visit_key=f"v{day}-{level}-{scale}-{n}",
                          category="vneid", ended_at=datetime(2026, 5, day, 3, 0, tzinfo=UTC),
                          local_day=date(2026, 5, day), satisfaction=level,
                          satisfaction_scale=scale))


@pytest.fixture
def site_id(demo):
    with demo.app_context():
        return db.session.execute(db.select(Site.id).where(Site.code == "DEMO")).scalar_one()


def add_ratings(app, site_id, ratings=RATINGS):
    with app.app_context():
        for day, (scale, levels) in enumerate(ratings.items(), start=1):
            for n, level in enumerate(levels):
                rate(site_id, day * 5, level, scale, n)  # days 5, 10, 15
        rate(site_id, 16, None, None)  # not rated
        db.session.commit()


def table_rows(tables, key) -> list[tuple]:
    table = next(t for t in tables if t.key == key)
    return [(name, count) for _code, name, count, _share in table.rows]


def test_each_scale_reported_in_its_words_with_its_share(demo, site_id):
    add_ratings(demo, site_id)
    with demo.app_context(), demo.test_request_context():
        month = full_report(Scope(build_period("month", 2026, 5), site_id))
        # 1–30 May is read from the half-month summary (1–14) and the log: the same figures.
        days = full_report(Scope(Period(date(2026, 5, 1), date(2026, 5, 30)), site_id))
        tables = breakdown_tables(month)
    assert month["satisfaction"] == days["satisfaction"] == {
        "scales": EXPECTED, "rated": 12, "satisfied": 6, "satisfied_share": 50.0}
    assert [t.key for t in tables if t.key.startswith("satisfaction")] == [
        "satisfaction-3", "satisfaction-4", "satisfaction-5"]
    for entry in EXPECTED:
        scale = entry["scale"]
        assert table_rows(tables, f"satisfaction-{scale}") == list(
            zip(WORDS[scale], entry["levels"].values()))
    note = next(t for t in tables if t.key == "satisfaction-4").note
    assert note == "Tính là hài lòng: “Rất hài lòng” + “Hài lòng” – 75,0 % trên 4 lượt đánh giá."


def test_three_level_hai_long_is_reported_as_hai_long_not_rat_hai_long(demo, site_id, login):
    add_ratings(demo, site_id, {3: [3, 3, 1]})
    with demo.app_context(), demo.test_request_context():
        report = full_report(Scope(build_period("month", 2026, 5), site_id))
        tables = breakdown_tables(report)
    assert report["satisfaction"]["scales"] == [{"scale": 3, "levels": {3: 2, 2: 0, 1: 1},
                                                 "rated": 3, "satisfied": 2,
                                                 "satisfied_share": 66.7}]
    assert table_rows(tables, "satisfaction-3") == [
        ("Hài lòng", 2), ("Bình thường", 0), ("Không hài lòng", 1)]
    html = login("vhxh").get("/reports", query_string=MAY_FORM).get_data(as_text=True)
    block = html[html.index('id="table-satisfaction-3"'):]
    block = block[:block.index("</table>")]
    assert re.findall(r"<td>([^<]*)</td><td class=\"num\">(\d+)</td>", block) == [
        ("Hài lòng", "2"), ("Bình thường", "0"), ("Không hài lòng", "1")]
    assert "Rất hài lòng" not in block
    assert re.search(r'id="satisfied-share">66.7 %<', html)
    assert "thang 3 mức chỉ tính “Hài lòng”" in html  # the rule, named on the screen


def test_a_period_mixing_scales_shows_each_share_on_the_screen(demo, site_id, login):
    add_ratings(demo, site_id)
    html = login("vhxh").get("/reports", query_string=MAY_FORM).get_data(as_text=True)
    for scale, share in ((3, "25.0"), (4, "75.0"), (5, "50.0")):
        assert f'id="table-satisfaction-{scale}"' in html
        assert re.search(rf'id="satisfied-share-{scale}">[^<]*<strong>{share} %</strong>', html)
    assert re.search(r'id="satisfied-share">50.0 %<', html)


def test_nothing_rated_shows_one_empty_table(demo, site_id):
    with demo.app_context(), demo.test_request_context():
        report = full_report(Scope(build_period("month", 2026, 5), site_id))
        tables = [t for t in breakdown_tables(report) if t.key.startswith("satisfaction")]
    assert report["satisfaction"] == {"scales": [], "rated": 0, "satisfied": 0,
                                      "satisfied_share": None}
    assert [(t.key, t.rows) for t in tables] == [("satisfaction", [])]


def test_summaries_key_ratings_by_scale_and_equal_the_log(demo, site_id):
    add_ratings(demo, site_id)
    with demo.app_context():
        where = live(date(2000, 1, 1), date(2100, 12, 31))
        for table, span, grain in ((ReportMonth, ReportMonth.month, {}),
                                   (ReportHalf, ReportHalf.half, {"grain": half_start})):
            stored = sorted(tuple(r) for r in db.session.execute(db.select(
                span, table.site_id, table.dim, table.code, table.number, table.assists,
                table.amount).where(table.dim == "satisfaction")).all())
            scratch = sorted(tuple(r) for r in db.session.execute(raw_facts(
                where, ["satisfaction"], **grain)).all())
            assert stored == scratch
            assert {(code, number) for _s, _i, _d, code, number, _n, _a in stored} == {
                ("3", 3), ("3", 2), ("4", 4), ("4", 3), ("4", 2), ("5", 5), ("5", 4), ("5", 3)}
