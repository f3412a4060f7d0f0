"""Result counters follow what was done: a completed assist of a category with a counter counts
one result unless the helper says otherwise (services.result_counters), in the forms and the API."""
import re

import pytest

from kiosk.assists.models import Assist
from kiosk.assists.services import COUNTERS, result_counters
from kiosk.extensions import db
from tests.staff.helpers import staff_headers

OWN = {"vneid": "vneid_activated", "dvc-submit": "dossiers_submitted",
       "payment": "payments_made", "apps": "apps_installed"}


def counters(app, assist_id: int) -> dict:
    with app.app_context():
        assist = db.session.get(Assist, assist_id)
        return {name: getattr(assist, name) for name in COUNTERS}


def last_assists(app, n: int = 1) -> list[dict]:
    with app.app_context():
        rows = db.session.execute(db.select(Assist).order_by(Assist.id.desc()).limit(n)).scalars()
        return [{name: getattr(a, name) for name in COUNTERS} for a in rows]


def expected(own: str | None) -> dict:
    return {name: int(name == own) for name in COUNTERS}


@pytest.mark.parametrize("category, own", [*OWN.items(), ("safety", None)])
def test_the_rule(category, own):
    assert result_counters(category, "done", {}) == expected(own)
    assert result_counters(category, "partial", {}) == expected(None)
    assert result_counters(category, "done", {name: 0 for name in COUNTERS}) == expected(None)
    assert result_counters(category, "failed", {"apps_installed": 3})["apps_installed"] == 3


@pytest.mark.parametrize("category, own", OWN.items())
def test_api_defaults_a_completed_assist_to_one(client, demo, runner, category, own):
    response = client.post("/api/v1/assists", json={"category": category},
                           headers=staff_headers(runner))
    assert response.status_code == 201
    row = response.get_json()["assists"][0]
    assert {name: row[name] for name in COUNTERS} == expected(own)


def test_api_keeps_explicit_values_and_other_outcomes(client, demo, runner):
    staff = staff_headers(runner)
    zero = client.post("/api/v1/assists", json={"category": "vneid", "vneid_activated": 0},
                       headers=staff).get_json()["assists"][0]
    assert zero["vneid_activated"] == 0
    three = client.post("/api/v1/assists", json={"category": "vneid", "vneid_activated": 3},
                        headers=staff).get_json()["assists"][0]
    assert three["vneid_activated"] == 3
    null = client.post("/api/v1/assists", json={"category": "vneid", "vneid_activated": None},
                       headers=staff).get_json()["assists"][0]
    assert null["vneid_activated"] == 1  # null is "not said"
    partial = client.post("/api/v1/assists", json={"category": "vneid", "outcome": "partial"},
                          headers=staff).get_json()["assists"][0]
    assert partial["vneid_activated"] == 0
    other = client.post("/api/v1/assists", json={"category": "payment", "apps_installed": 2},
                        headers=staff).get_json()["assists"][0]
    assert (other["payments_made"], other["apps_installed"]) == (1, 2)


def test_api_tally_counts_one_result_each(client, demo, runner):
    response = client.post("/api/v1/assists", json={"category": "apps", "count": 4,
                                                    "channel": "mobile"},
                           headers=staff_headers(runner))
    assert [r["apps_installed"] for r in response.get_json()["assists"]] == [1, 1, 1, 1]
    assert last_assists(demo, 4) == [expected("apps_installed")] * 4


def test_console_and_field_forms_apply_the_rule_without_javascript(client, demo, login):
    login("doanvien")
    walk_in = {"category": "dvc-submit", "outcome": "done", "channel": "desk"}
    assert client.post("/console/assist", data=walk_in).status_code == 302
    assert last_assists(demo) == [expected("dossiers_submitted")]
    assert client.post("/console/assist", data={**walk_in, "dossiers_submitted": "0"}).status_code == 302
    assert last_assists(demo) == [expected(None)]
    assert client.post("/console/assist", data={**walk_in, "dossiers_submitted": "2",
                                                "vneid_activated": ""}).status_code == 302
    assert last_assists(demo)[0]["dossiers_submitted"] == 2
    field = {"category": "vneid", "outcome": "done", "channel": "home", "count": "3",
             "duration": "15"}
    assert client.post("/field", data=field).status_code == 302
    assert last_assists(demo, 3) == [expected("vneid_activated")] * 3
    assert client.post("/field", data={**field, "count": "1", "outcome": "referred"}).status_code == 302
    assert last_assists(demo) == [expected(None)]


def test_counter_stands_beside_the_outcome(client, demo, login):
    login("doanvien")
    for url in ("/console", "/field"):
        page = client.get(url).get_data(as_text=True)
        row = re.search(r'<div class="outcome-row">(.*?)<div class="when-failed"', page, re.S)
        assert row, url
        assert 'name="outcome"' in row.group(1)
        for name in COUNTERS:  # empty: the rule (or the page's script) fills it
            assert re.search(rf'<input id="{name}" max="50" min="0" name="{name}" type="number" value="">',
                             row.group(1)), (url, name)
        assert page.index("outcome-row") < page.index('name="channel"')
