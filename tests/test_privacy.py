"""Privacy and retention: deleting a meeting leaves nothing in the SQLite file, old meetings
go by themselves, exports obey the board rules, every page carries security headers, and no
note text or token reaches the server's log."""

import time

import httpx

from server import closecodes
from tests.yclient import YClient

SECRET = "Sem slaapt soms bij tante Eva"


def db_bytes(live_server) -> bytes:
    return b"".join(p.read_bytes() for p in live_server.config.data_dir.glob("netwerkbord.db*"))


async def test_deleting_a_meeting_removes_every_row_and_stops_its_links(live_server):
    m = await live_server.create_meeting("Familie Verwijder")
    keep = await live_server.create_meeting("Familie Blijft")
    fam = await YClient(
        live_server.ws_url(m["id"], "drieluik", m["tokens"]["familie"]), role="familie"
    ).connect()
    fam.add_note("n1", SECRET)
    for i in range(30):  # some history, and a compacted snapshot is not needed for this
        fam.add_note(f"x{i}", f"{SECRET} {i}")
    assert await fam.roundtrip()  # stored
    share = (
        await live_server.post(f"/api/meetings/{m['id']}/share", m["tokens"]["facilitator"], {})
    ).json()
    assert SECRET.encode() in db_bytes(live_server)

    async with httpx.AsyncClient() as http:
        r = await http.delete(
            f"{live_server.base}/api/meetings/{m['id']}",
            headers={"Authorization": f"Bearer {m['tokens']['familie']}"},
        )
        assert r.status_code == 403  # only the facilitator
        r = await http.delete(
            f"{live_server.base}/api/meetings/{m['id']}",
            headers={"Authorization": f"Bearer {m['tokens']['facilitator']}"},
        )
    assert r.status_code == 200
    assert await fam.wait_closed() == closecodes.UNAUTHORIZED

    data = db_bytes(live_server)
    assert SECRET.encode() not in data
    assert m["id"].encode() not in data and b"Familie Verwijder" not in data
    assert b"Familie Blijft" in data  # the other meeting is untouched
    for token in m["tokens"].values():
        assert (await live_server.get(f"/j/{token}")).status_code == 404
        again = YClient(live_server.ws_url(m["id"], "drieluik", token))
        await again.connect(wait_synced=False)
        assert await again.wait_closed() == closecodes.UNAUTHORIZED
    assert (await live_server.get(share["link"].replace(live_server.base, ""))).status_code == 404
    assert (
        await live_server.get(f"/api/meetings/{keep['id']}", keep["tokens"]["familie"])
    ).status_code == 200


async def test_meetings_older_than_the_retention_period_are_deleted(live_server):
    old = await live_server.create_meeting("Familie Oud")
    new = await live_server.create_meeting("Familie Nieuw")
    meetings = live_server.app.state.meetings
    store = live_server.app.state.store
    store.db.execute(
        "UPDATE meetings SET created_at = ? WHERE id = ?", [time.time() - 91 * 86400, old["id"]]
    )
    store.db.conn.commit()
    assert meetings.delete_expired(90 * 86400) == [old["id"]]
    assert meetings.get(old["id"]) is None and meetings.get(new["id"]) is not None
    assert b"Familie Oud" not in db_bytes(live_server)
    # the facilitator is told when that will happen to this meeting
    page = await live_server.page(f"/j/{new['tokens']['facilitator']}")
    assert '"deleteAt":' in page.text


async def test_a_finished_meeting_is_read_only(live_server):
    m = await live_server.create_meeting()
    fac = m["tokens"]["facilitator"]
    fam = await YClient(
        live_server.ws_url(m["id"], "doelen", m["tokens"]["familie"]), role="familie"
    ).connect()
    fam.add_note("n1", "Voor het afsluiten", zone="kort-zelf")
    assert await fam.roundtrip()
    r = await live_server.post(f"/api/meetings/{m['id']}/finish", fac, {"finished": True})
    assert r.status_code == 200
    fam.add_note("n2", "Na het afsluiten", zone="kort-zelf")
    assert await fam.roundtrip()  # read-only now: the server has dropped it
    notes = (await live_server.get(f"/api/meetings/{m['id']}/boards/doelen", fac)).json()["notes"]
    assert [n["text"] for n in notes] == ["Voor het afsluiten"]
    await fam.close()


async def test_exports_obey_the_board_rules(live_server):
    m = await live_server.create_meeting()
    tok = m["tokens"]
    fam = await YClient(
        live_server.ws_url(m["id"], "familie", tok["familie"]), role="familie"
    ).connect()
    fam.add_note("w1", "Alleen voor de familie", zone="afspraken")
    dl = await YClient(
        live_server.ws_url(m["id"], "drieluik", tok["familie"]), role="familie"
    ).connect()
    dl.add_note("d1", "Sem verzuimt")
    assert await fam.roundtrip() and await dl.roundtrip()
    for role, sees_worksheet in (
        ("familie", True),
        ("facilitator", True),
        ("professional", False),
        ("scherm", False),
    ):
        md = await live_server.get(f"/api/meetings/{m['id']}/export.md", tok[role])
        assert md.status_code == 200 and "Sem verzuimt" in md.text
        assert ("Alleen voor de familie" in md.text) is sees_worksheet, role
        js = await live_server.get(f"/api/meetings/{m['id']}/export.json", tok[role])
        assert ("familie" in js.json()["boards"]) is sees_worksheet
    svg = await live_server.get(f"/api/meetings/{m['id']}/boards/drieluik.svg", tok["scherm"])
    assert svg.status_code == 200 and "Sem verzuimt" in svg.text
    assert (
        await live_server.get(f"/api/meetings/{m['id']}/boards/familie.svg", tok["professional"])
    ).status_code == 403
    # during the closed part a professional exports nothing at all
    await live_server.post(f"/api/meetings/{m['id']}/closed", tok["facilitator"], {"closed": True})
    for path in ("export.md", "export.json", "boards/drieluik.svg"):
        r = await live_server.get(f"/api/meetings/{m['id']}/{path}", tok["professional"])
        assert r.status_code == 403 and "Sem verzuimt" not in r.text
    assert (await live_server.get(f"/j/{tok['professional']}/plan")).status_code == 403


async def test_shared_plan_link_shows_the_plan_and_can_be_revoked(live_server):
    m = await live_server.create_meeting()
    tok = m["tokens"]
    plan = await YClient(
        live_server.ws_url(m["id"], "plan", tok["familie"]), role="familie"
    ).connect()
    from pycrdt import Map

    plan.doc.get("goals", type=Map)["g1"] = Map(
        {"text": "Sem gaat elke dag naar school", "order": 1}
    )
    fam = await YClient(
        live_server.ws_url(m["id"], "familie", tok["familie"]), role="familie"
    ).connect()
    fam.add_note("w1", "Werkblad: niet delen", zone="afspraken")
    assert await plan.roundtrip() and await fam.roundtrip()
    assert (
        await live_server.post(f"/api/meetings/{m['id']}/share", tok["familie"], {})
    ).status_code == 403
    r = await live_server.post(f"/api/meetings/{m['id']}/share", tok["facilitator"], {})
    link = r.json()["link"]
    async with httpx.AsyncClient() as http:
        page = await http.get(link)
        assert page.status_code == 200 and "Sem gaat elke dag naar school" in page.text
        assert "Werkblad: niet delen" not in page.text
        await live_server.post(
            f"/api/meetings/{m['id']}/share", tok["facilitator"], {"revoke": True}
        )
        assert (await http.get(link)).status_code == 404


async def test_every_response_carries_security_headers(live_server):
    m = await live_server.create_meeting()
    paths = [
        "/",
        f"/j/{m['tokens']['familie']}",
        f"/j/{m['tokens']['familie']}/tekst",
        f"/j/{m['tokens']['familie']}/plan",
        "/static/css/base.css",
        "/api/bestaat-niet",
        f"/api/meetings/{m['id']}/boards/drieluik?token={m['tokens']['familie']}",
        "/j/vervalst",
    ]
    async with httpx.AsyncClient() as http:
        for path in paths:
            r = await http.get(live_server.base + path)
            csp = r.headers["content-security-policy"]
            assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp, path
            assert "http" not in csp.replace("'self'", "")  # no other host is allowed
            assert r.headers["x-frame-options"] == "DENY"
            assert r.headers["referrer-policy"] == "no-referrer"


async def test_no_note_text_or_token_in_the_server_log(tmp_path):
    from tests.serverprocess import ServerProcess

    log = tmp_path / "server.log"
    sp = ServerProcess(tmp_path / "data", log_path=log)
    sp.start()
    try:
        async with httpx.AsyncClient() as http:
            m = (await http.post(sp.base + "/api/meetings", json={"title": "Familie Log"})).json()
            await http.get(m["links"]["familie"])
            await http.post(
                f"{sp.base}/api/meetings/{m['id']}/closed",
                json={"closed": True},
                headers={"Authorization": f"Bearer {m['tokens']['facilitator']}"},
            )
        url = f"ws://127.0.0.1:{sp.port}/ws/{m['id']}/familie?token={m['tokens']['familie']}"
        c = await YClient(url).connect()
        c.add_note("n1", SECRET, zone="afspraken")
        assert await c.roundtrip()  # the server has the note
        await c.send_raw(b"\x00\x02\x05\xff\xff\xff\xff\xff")  # an error gets logged, too
        await c.wait_closed()
    finally:
        sp.stop()
    text = log.read_text()
    assert "closed=True" in text  # the log is written at all
    assert SECRET not in text
    for token in m["tokens"].values():
        assert token not in text
