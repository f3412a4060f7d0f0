"""Property-based fuzzing of every route × method × role: never a 5xx, nothing stored on a 4xx.

Two tests per role and database: a sweep that sends every route and method one hostile request
(so no route is left out), and a Hypothesis search over routes, path values, query strings and
bodies (forms, multipart, JSON of any shape, raw bytes). Row counts of every table are compared
around each refused request; only audit_event may grow (refusals such as failed sign-ins are
recorded on purpose).
"""
import io
import json
import re
from urllib.parse import quote

import pytest
from flask_wtf import FlaskForm
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import create_engine, text

from kiosk.extensions import db

pytestmark = pytest.mark.slow

EXAMPLES_PER_ROLE = 60
ROLES = ("anonymous", "admin", "officer", "volunteer", "reporter", "city", "kiosk_token",
         "user_token")
SIGN_IN = {"admin": "admin", "officer": "canbo", "volunteer": "doanvien", "reporter": "vhxh",
           "city": "thanhpho"}
COUNTED_EXCEPT = {"audit_event"}

HOSTILE_TEXT = [
    "", " ", "\x00", "a\x00b", "\x01\x1f", "\ud800", "x\udfff", "\u202egnp.exe", "مرحبا",
    "🙂👍🏽", "Nguyễn Văn A", "' OR 1=1 --", "'; DROP TABLE ticket; --", "%s%s%n", "{0}{1}",
    "=HYPERLINK(\"http://x\")", "+1+1", "-2", "@SUM(A1)", "<script>alert(1)</script>", "../../etc",
    "x" * 5000, "ý" * 70000, "\r\n\t",
]
HOSTILE_NUMBERS = ["0", "-1", "1", "2", "2147483647", "2147483648", "-2147483649",
                   "9" * 40, "1" * 5000, "1.5", "-0", "1e309", "NaN", "inf", "0x10"]
HOSTILE_DATES = ["0001-01-01", "9999-12-31", "2026-02-30", "2026-13-01", "1999-12-31",
                 "2101-01-01", "2026-11-01", "hôm qua", "2026-1-1", "20261101"]
INT_PATH_VALUES = [0, 1, 2, 3, 2**31 - 1]
ARG_NAMES = ["site", "day", "from", "to", "kind", "year", "month", "quarter", "half", "first",
             "last", "basis", "desks", "after", "number", "desk", "voice", "v", "next", "q",
             "page", "user", "action", "active", "printed", "lang", "code", "service"]
DEEP = "[" * 3000 + "]" * 3000


def form_field_names() -> list[str]:
    """Every field name of every Flask-WTF form the app defines."""
    names, todo = set(), list(FlaskForm.__subclasses__())
    while todo:
        form = todo.pop()
        todo.extend(form.__subclasses__())
        names.update(name for name, _field in getattr(form, "_unbound_fields", None) or [])
        names.update(k for k, v in vars(form).items() if hasattr(v, "field_class"))
    return sorted(names)


def routes(app) -> list[tuple[str, str]]:
    """(rule, method) for every route of the app except static files."""
    out = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static" or rule.endpoint.endswith(".static"):
            continue
        out.extend((rule, method) for method in sorted(rule.methods - {"HEAD", "OPTIONS"}))
    return sorted(out, key=lambda pair: (pair[0].rule, pair[1]))


def encode(value: str) -> bytes:
    """UTF-8 bytes of text, lone surrogates kept as their (invalid) raw bytes."""
    return value.encode("utf-8", "surrogatepass")


def build_path(rule, values: dict) -> str:
    """Fill a rule's converters with the given values, percent-encoded."""
    return re.sub(r"<(?:[^:<>]+:)?(\w+)>",
                  lambda m: quote(encode(str(values.get(m.group(1), "1"))), safe=""), rule.rule)


def query_string(args: list[tuple[str, str]]) -> str:
    return "&".join(f"{quote(encode(k), safe='')}={quote(encode(v), safe='')}" for k, v in args)


def json_values(keys):
    scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False),
                        st.sampled_from(HOSTILE_TEXT + HOSTILE_NUMBERS + HOSTILE_DATES),
                        st.text(max_size=30))
    return st.recursive(scalars, lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.sampled_from(keys), inner, max_size=5)),
        max_leaves=12)


@st.composite
def hostile_requests(draw, route_list, field_names):
    """One request: route, method, path values, query and body, all drawn from hostile pools."""
    rule, method = draw(st.sampled_from(route_list))
    text_pool = HOSTILE_TEXT + HOSTILE_NUMBERS + HOSTILE_DATES
    values = {}
    for name, converter in rule._converters.items():
        if converter.__class__.__name__.endswith("IntConverter"):
            values[name] = draw(st.sampled_from(INT_PATH_VALUES))
        else:
            values[name] = draw(st.one_of(st.sampled_from(text_pool), st.text(max_size=20)))
    value = st.one_of(st.sampled_from(text_pool), st.text(max_size=40))
    args = draw(st.lists(st.tuples(st.sampled_from(ARG_NAMES + field_names), value), max_size=4))
    kind = draw(st.sampled_from(["none", "form", "multipart", "json", "raw"]))
    body, content_type = None, None
    if kind == "form":
        pairs = draw(st.lists(st.tuples(st.sampled_from(field_names), value), max_size=8))
        body, content_type = query_string(pairs).encode(), "application/x-www-form-urlencoded"
    elif kind == "multipart":
        pairs = draw(st.lists(st.tuples(st.sampled_from(field_names), value), max_size=4))
        data = {k: v for k, v in pairs if "\ud800" not in v and "\udfff" not in v}
        data["audio"] = (io.BytesIO(draw(st.binary(max_size=200))), draw(st.sampled_from(
            ["a.wav", "\x00.wav", "../../x.wav", ""])))
        body, content_type = data, "multipart/form-data"
    elif kind == "json":
        shape = draw(st.one_of(json_values(field_names + ARG_NAMES),
                               st.sampled_from(["DEEP", "BIG", "NUMBER", "NAN"])))
        body = {"DEEP": DEEP, "BIG": json.dumps(list(range(5000))), "NUMBER": "1" * 5000,
                "NAN": '{"service": NaN}'}.get(shape) if isinstance(shape, str) and shape in (
                    "DEEP", "BIG", "NUMBER", "NAN") else json.dumps(shape)
        content_type = "application/json"
    elif kind == "raw":
        body = draw(st.one_of(st.binary(max_size=300), st.just(b"\xed\xa0\x80" * 10),
                              st.just(b"x" * (2 * 1024 * 1024 + 10))))
        content_type = draw(st.sampled_from(["application/json", "text/plain",
                                             "application/x-www-form-urlencoded",
                                             "multipart/form-data; boundary=x"]))
    return rule, method, build_path(rule, values), query_string(args), body, content_type


class Harness:
    """The role's client, a row counter and the invariants checked around every request."""

    def __init__(self, client, headers, url, stats):
        self.client, self.headers, self.stats = client, headers, stats
        self.engine = create_engine(url)
        tables = [t.name for t in db.metadata.sorted_tables if t.name not in COUNTED_EXCEPT]
        self.tables = tables
        self.count_sql = text("SELECT " + ", ".join(
            f'(SELECT count(*) FROM "{name}")' for name in tables))

    def counts(self):
        with self.engine.connect() as conn:
            return tuple(conn.execute(self.count_sql).one())

    def send(self, method, path, query, body, content_type):
        before = self.counts()
        kwargs = {"method": method, "query_string": query, "headers": self.headers}
        if body is not None:
            kwargs.update(data=body, content_type=content_type)
        response = self.client.open(path, **kwargs)
        payload = response.get_data()
        response.close()  # file responses hold their file open until closed
        self.stats["requests"] += 1
        status = response.status_code
        if status >= 500:
            self.stats["5xx"] += 1
        assert status < 500, (method, path, query, status, payload[:300])
        if 400 <= status < 500:
            self.stats["4xx"] += 1
            after = self.counts()
            changed = {t: (b, a) for t, b, a in zip(self.tables, before, after) if b != a}
            assert not changed, (method, path, query, status, changed)


@pytest.fixture(params=ROLES)
def harness(request, app, demo, runner, kiosk_token, database_url, fuzz_stats):
    """A client acting as one role on a seeded database."""
    role = request.param
    client = app.test_client()
    headers = {}
    if role in SIGN_IN:
        username = SIGN_IN[role]
        response = client.post("/login", data={"username": username,
                                               "password": f"{username}-demo"})
        assert response.status_code == 302
    elif role == "kiosk_token":
        headers["Authorization"] = f"Bearer {kiosk_token}"
    elif role == "user_token":
        out = runner.invoke(args=["create-token", "canbo"]).output.strip().splitlines()[-1]
        headers["Authorization"] = f"Bearer {out}"
    fuzz_stats["runs"] += 1
    made = Harness(client, headers, database_url, fuzz_stats)
    yield made
    made.engine.dispose()


def test_every_route_and_method_answers_hostile_input_without_5xx(app, harness):
    for rule, method in routes(app):
        ints = {n: 2**31 - 1 for n, c in rule._converters.items()
                if c.__class__.__name__.endswith("IntConverter")}
        for values in ({**{n: "a\x00b" for n in rule._converters}, **ints},
                       {**{n: "\u202e🙂'%s" for n in rule._converters}, **ints}):
            path = build_path(rule, values)
            harness.send(method, path, "site=%00&day=9999-12-31&from=0001-01-01&to=x",
                         None if method == "GET" else DEEP, "application/json")
            harness.send(method, path, "site=DEMO&year=99999999999&desks=-1",
                         None if method == "GET" else b"name=%ED%A0%80&day=0001-01-01",
                         "application/x-www-form-urlencoded")


def test_fuzzed_requests_never_5xx_nor_store_on_refusal(app, harness):
    route_list, names = routes(app), form_field_names()

    @settings(max_examples=EXAMPLES_PER_ROLE, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    @given(hostile_requests(route_list, names))
    def check(drawn):
        harness.stats["examples"] += 1
        _rule, method, path, query, body, content_type = drawn
        harness.send(method, path, query, body, content_type)

    check()
