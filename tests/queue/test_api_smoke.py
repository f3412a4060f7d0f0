"""The queue API end to end through the test client: issue, state, call, recall, finish."""


def _kiosk_token(runner):
    return runner.invoke(args=["create-kiosk", "--site", "DEMO", "--name", "K1"]).output.strip().splitlines()[-1]


def _staff_token(runner, user="canbo"):
    return runner.invoke(args=["create-token", user]).output.strip().splitlines()[-1]


def test_issue_call_recall_finish(client, demo, runner):
    kiosk = {"Authorization": f"Bearer {_kiosk_token(runner)}"}
    staff = {"Authorization": f"Bearer {_staff_token(runner)}"}
    first = client.post("/api/v1/tickets", json={"service": "vneid"}, headers=kiosk)
    second = client.post("/api/v1/tickets", json={"service": "vneid", "priority": True}, headers=kiosk)
    assert first.status_code == 201 and second.status_code == 201
    assert first.get_json()["number"] == "A001" and second.get_json()["number"] == "A002"
    assert first.get_json()["ahead"] == 0 and second.get_json()["ahead"] == 0
    assert first.get_json()["status_url"].startswith("http://localhost/t/")

    state = client.get("/api/v1/queue?site=DEMO")
    waiting = {w["service"]: w["count"] for w in state.get_json()["waiting"]}
    assert waiting["vneid"] == 2 and state.get_json()["serving"] == []
    etag = state.headers["ETag"]
    assert client.get("/api/v1/queue?site=DEMO", headers={"If-None-Match": etag}).status_code == 304

    desks = client.get("/api/v1/desks", headers=staff).get_json()
    called = client.post(f"/api/v1/desks/{desks[0]['id']}/call-next", headers=staff).get_json()
    assert called["ticket"]["number"] == "A002"  # the priority ticket came first (older or equal)
    state = client.get("/api/v1/queue?site=DEMO", headers={"If-None-Match": etag})
    assert state.status_code == 200
    assert state.get_json()["serving"][0] == {"desk": 1, "number": "A002",
                                              "called_at": called["ticket"]["called_at"]}
    ticket_id = called["ticket"]["id"]
    assert client.post(f"/api/v1/tickets/{ticket_id}/recall", headers=staff).get_json()["ticket"]["recall_count"] == 1
    busy = client.post(f"/api/v1/desks/{desks[0]['id']}/call-next", headers=staff)
    assert busy.status_code == 409 and busy.get_json()["error"]["code"] == "busy"
    assert client.post(f"/api/v1/tickets/{ticket_id}/finish", headers=staff).get_json()["ticket"]["status"] == "done"
    nxt = client.post(f"/api/v1/desks/{desks[0]['id']}/call-next", headers=staff).get_json()
    assert nxt["ticket"]["number"] == "A001"
    client.post(f"/api/v1/tickets/{nxt['ticket']['id']}/finish", headers=staff)
    assert client.post(f"/api/v1/desks/{desks[0]['id']}/call-next", headers=staff).status_code == 204
