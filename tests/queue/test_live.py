"""The live version: every change a live screen shows moves it; polls answer 304 from it."""
import time

import pytest
from sqlalchemy import event

from kiosk.extensions import db
from kiosk.queue.live import forget_memo
from kiosk.queue.models import Site


@pytest.fixture
def tokens(runner, demo):
    kiosk = runner.invoke(args=["create-kiosk", "--site", "DEMO", "--name", "K"]).output.strip().splitlines()[-1]
    staff = runner.invoke(args=["create-token", "canbo"]).output.strip().splitlines()[-1]
    return {"kiosk": {"Authorization": f"Bearer {kiosk}"}, "staff": {"Authorization": f"Bearer {staff}"}}


def version(app) -> int:
    with app.app_context():
        return db.session.execute(db.select(Site.live_version).where(Site.code == "DEMO")).scalar_one()


@pytest.fixture
def statements(app):
    """The SQL statements the app runs (its engine only), as their text."""
    seen = []
    with app.app_context():
        engine = db.engine

    def note(_conn, _cursor, statement, *_args):
        seen.append(statement)
    event.listen(engine, "before_cursor_execute", note)
    yield seen
    event.remove(engine, "before_cursor_execute", note)


def test_queue_changes_move_the_version_and_reads_do_not(app, client, tokens):
    start = version(app)
    client.get("/api/v1/queue?site=DEMO")
    client.get("/display?site=DEMO")
    assert version(app) == start
    ticket = client.post("/api/v1/tickets", json={"service": "vneid"}, headers=tokens["kiosk"]).get_json()
    assert version(app) == start + 1  # one per transaction, however many rows it wrote
    desk = client.get("/api/v1/desks", headers=tokens["staff"]).get_json()[0]["id"]
    client.post(f"/api/v1/desks/{desk}/call-next", headers=tokens["staff"])
    assert version(app) == start + 2
    client.post(f"/api/v1/tickets/{ticket['id']}/finish", headers=tokens["staff"])
    client.post(f"/api/v1/desks/{desk}/pause", json={"paused": True}, headers=tokens["staff"])
    client.post("/api/v1/assists", json={"category": "vneid"}, headers=tokens["staff"])
    assert version(app) == start + 5
    refused = client.post("/api/v1/tickets", json={"service": "nope"}, headers=tokens["kiosk"])
    assert refused.status_code == 400 and version(app) == start + 5


def test_setup_changes_move_the_version(app, client, demo, login):
    start = version(app)
    admin = login("admin")
    response = admin.post("/display/admin/ticker", data={"ticker": "Nghỉ trưa 11:30–13:30"})
    assert response.status_code in (200, 302)
    assert version(app) > start


@pytest.mark.parametrize("path", ["/api/v1/queue?site=DEMO", "/api/v1/display?site=DEMO&after=0"])
def test_an_unchanged_state_is_a_304_without_a_statement(app, client, tokens, statements, path):
    first = client.get(path)
    etag = first.headers["ETag"]
    assert first.status_code == 200 and first.headers["Cache-Control"] == "no-cache"
    statements.clear()
    again = client.get(path, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.data == b"" and again.headers["ETag"] == etag
    assert statements == []  # within the memo's half second: nothing read at all
    forget_memo()
    statements.clear()
    assert client.get(path, headers={"If-None-Match": etag}).status_code == 304
    assert len(statements) <= 2  # after it: the version alone (and the site's code)
    client.post("/api/v1/tickets", json={"service": "vneid"}, headers=tokens["kiosk"])
    changed = client.get(path, headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["ETag"] != etag


def test_the_board_keeps_its_etag_as_its_cursor_moves(app, client, tokens):
    state = client.get("/api/v1/display?site=DEMO&after=0")
    cursor, etag = state.get_json()["last_event"], state.headers["ETag"]
    moved = client.get(f"/api/v1/display?site=DEMO&after={cursor}", headers={"If-None-Match": etag})
    assert moved.status_code == 304
    other_desks = client.get(f"/api/v1/display?site=DEMO&desks=1&after={cursor}",
                             headers={"If-None-Match": etag})
    assert other_desks.status_code == 200  # another board's view is another state


def test_phone_status_is_304_until_the_ticket_is_called(app, client, tokens):
    ticket = client.post("/api/v1/tickets", json={"service": "vneid"}, headers=tokens["kiosk"]).get_json()
    url = "/t/" + ticket["status_url"].rsplit("/", 1)[1] + "/status.json"
    first = client.get(url)
    assert first.get_json()["status"] == "waiting"
    assert client.get(url, headers={"If-None-Match": first.headers["ETag"]}).status_code == 304
    desk = client.get("/api/v1/desks", headers=tokens["staff"]).get_json()[0]
    client.post(f"/api/v1/desks/{desk['id']}/call-next", headers=tokens["staff"])
    called = client.get(url, headers={"If-None-Match": first.headers["ETag"]})
    assert called.status_code == 200 and called.get_json()["desk"] == desk["number"]
    assert client.get("/t/no-such-token/status.json").status_code == 404


def test_console_state_is_per_user_and_304_while_unchanged(app, client, tokens, runner):
    desk = client.get("/api/v1/desks", headers=tokens["staff"]).get_json()[0]["id"]
    url = f"/api/v1/desks/{desk}/console"
    if time.time() % 60 > 59:  # the ETag carries the minute: not across its turn (a CI run did)
        time.sleep(60 - time.time() % 60)
    first = client.get(url, headers=tokens["staff"])
    assert first.status_code == 200
    etag = first.headers["ETag"]
    assert client.get(url, headers={**tokens["staff"], "If-None-Match": etag}).status_code == 304
    other = runner.invoke(args=["create-token", "doanvien"]).output.strip().splitlines()[-1]
    theirs = client.get(url, headers={"Authorization": f"Bearer {other}", "If-None-Match": etag})
    assert theirs.status_code == 200  # "mine" counts differ: another user's state
    client.post("/api/v1/assists", json={"category": "vneid"}, headers=tokens["staff"])
    after = client.get(url, headers={**tokens["staff"], "If-None-Match": etag})
    assert after.status_code == 200 and after.get_json()["today"]["mine"] == 1


def test_console_etag_of_one_desk_does_not_answer_for_another(app, client, tokens):
    desks = [d["id"] for d in client.get("/api/v1/desks", headers=tokens["staff"]).get_json()]
    assert len(desks) >= 2
    first = client.get(f"/api/v1/desks/{desks[0]}/console", headers=tokens["staff"])
    etag = first.headers["ETag"]
    other = client.get(f"/api/v1/desks/{desks[1]}/console",
                       headers={**tokens["staff"], "If-None-Match": etag})
    assert other.status_code == 200 and other.get_json() != first.get_json()
    missing = client.get("/api/v1/desks/999999/console",
                         headers={**tokens["staff"], "If-None-Match": etag})
    assert missing.status_code == 404


def test_a_state_body_is_shared_while_its_etag_holds_but_a_clocked_one_only_briefly(
        app, client, tokens, statements, monkeypatch):
    from kiosk.api import polls
    from kiosk.queue import live

    polls.forget_bodies()
    first = client.get("/api/v1/queue?site=DEMO")
    board = client.get("/api/v1/display?site=DEMO&after=0")
    # Later, on this process: the version is read again (its memo has aged), unchanged.
    clock = [live.time.monotonic() + 5]
    monkeypatch.setattr(live.time, "monotonic", lambda: clock[0])
    monkeypatch.setattr(polls.time, "monotonic", lambda: clock[0])
    statements.clear()
    again = client.get("/api/v1/queue?site=DEMO")  # a first visit: no If-None-Match
    assert again.status_code == 200 and again.data == first.data
    assert len(statements) <= 2  # the version (and the site's code): the body is the memo's
    statements.clear()
    later_board = client.get("/api/v1/display?site=DEMO&after=0")
    assert later_board.headers["ETag"] == board.headers["ETag"]
    assert len(statements) > 2  # computed again: its `now` must be the server's clock now
    assert later_board.get_json()["now"] != board.get_json()["now"]
    # A change moves the ETag, and the memo is not served for the new state.
    client.post("/api/v1/tickets", json={"service": "vneid"}, headers=tokens["kiosk"])
    changed = client.get("/api/v1/queue?site=DEMO")
    assert changed.headers["ETag"] != first.headers["ETag"]
    assert changed.get_json()["waiting"] != first.get_json()["waiting"]


def test_one_read_brings_every_sites_version_and_code(app, client, demo, statements, monkeypatch):
    from kiosk.queue import live

    with app.app_context():
        db.session.add_all([Site(code="B001", name="Phường Một"), Site(code="B002", name="Xã Hai")])
        db.session.commit()
    paths = [f"/api/v1/queue?site={code}" for code in ("DEMO", "B001", "B002")]
    etags = [client.get(path).headers["ETag"] for path in paths]
    clock = [live.time.monotonic() + 5]  # later: every memo has aged
    monkeypatch.setattr(live.time, "monotonic", lambda: clock[0])
    statements.clear()
    for path, etag in zip(paths, etags):
        assert client.get(path, headers={"If-None-Match": etag}).status_code == 304
    reads = [s for s in statements if s.startswith("SELECT")]
    assert len(reads) == 1, reads  # a city's sites: one read each half second, not one a site
    # What that read no longer finds is refused after it: a site switched off, a code renamed.
    with app.app_context():
        db.session.execute(db.update(Site).where(Site.code == "B001").values(active=False))
        db.session.execute(db.update(Site).where(Site.code == "B002").values(code="B003"))
        db.session.commit()
    assert client.get(paths[1]).status_code == 200  # within the half second, as documented
    clock[0] += 1
    assert client.get(paths[1]).status_code == 404
    assert client.get(paths[2]).status_code == 404
    assert client.get("/api/v1/queue?site=B003").status_code == 200
    assert client.get("/api/v1/queue?site=NOPE").status_code == 404


def test_a_read_answers_from_itself_while_another_thread_rewrites_the_memo(app, client, demo,
                                                                           monkeypatch):
    """Two threads of a worker may read the sites at once: the one whose read is done must
    answer from what it read, whatever the other has just written into the memo."""
    import threading

    from kiosk.queue import live

    first = client.get("/api/v1/queue?site=DEMO")
    assert first.status_code == 200
    clock = [live.time.monotonic() + 5]  # later: the memo has aged
    monkeypatch.setattr(live.time, "monotonic", lambda: clock[0])

    class OtherThreadWritesAfterUs:
        """The memo's lock; as this read releases it, another read writes its own entries."""

        def __init__(self):
            self.lock, self.done = threading.Lock(), False

        def __enter__(self):
            self.lock.__enter__()

        def __exit__(self, *exc):
            if not self.done:
                self.done = True
                for site_id, (version, _at) in list(live._memo.items()):
                    live._memo[site_id] = (version, clock[0] - 0.001)  # it began a moment before
                for code, (site_id, _at) in list(live._codes.items()):
                    live._codes[code] = (site_id, clock[0] - 0.001)
            return self.lock.__exit__(*exc)

    monkeypatch.setattr(live, "_memo_lock", OtherThreadWritesAfterUs())
    again = client.get("/api/v1/queue?site=DEMO", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304  # not "unknown site", not a version 0
