"""The closed part (besloten deel), enforced by the server on the wire and over HTTP."""

from server import closecodes
from tests.yclient import YClient

SECRET = "Geheim plan van de familie: Oma Wiëbe neemt de woensdag"


async def close_code_on_connect(url: str) -> int:
    client = YClient(url)
    await client.connect(wait_synced=False)
    return await client.wait_closed()


async def test_professional_is_cut_off_refused_and_readmitted(live_server):
    m = await live_server.create_meeting()
    mid, tok = m["id"], m["tokens"]
    pro = await YClient(
        live_server.ws_url(mid, "drieluik", tok["professional"]), role="professional"
    ).connect()
    pro_course = await YClient(
        live_server.ws_url(mid, "verloop", tok["professional"]), role="professional"
    ).connect()
    pro_stand = await YClient(
        live_server.ws_url(mid, "stand", tok["professional"]), role="professional"
    ).connect()
    fam = await YClient(
        live_server.ws_url(mid, "drieluik", tok["familie"]), role="familie"
    ).connect()

    r = await live_server.post(f"/api/meetings/{mid}/closed", tok["facilitator"], {"closed": True})
    assert r.status_code == 200 and r.json()["closed"] is True
    frames_at_close = len(pro.frames)
    assert await pro.wait_closed() == closecodes.FORBIDDEN
    assert len(pro.frames) == frames_at_close  # nothing more before the close

    # verloop too: it carries what the family does (people, consent, presence, the TV).
    assert await pro_course.wait_closed() == closecodes.FORBIDDEN
    fam.add_note("geheim", SECRET)
    assert await fam.roundtrip()  # stored (and forwarded to whoever may see it)
    # The professional still learns that the closed part started, to show a waiting screen:
    # from `stand`, which holds the step, the closed part and the timer only.
    await pro_stand.wait_for(
        lambda: pro_stand.doc.get("state", type=__import__("pycrdt").Map).get("closed") is True
    )
    assert all(SECRET.encode() not in f for f in pro_course.frames + pro_stand.frames)

    # No way back in while it lasts: not over the WebSocket, not over HTTP.
    assert (
        await close_code_on_connect(live_server.ws_url(mid, "drieluik", tok["professional"]))
        == closecodes.FORBIDDEN
    )
    for board in ("drieluik", "doelen", "plan"):
        r = await live_server.get(f"/api/meetings/{mid}/boards/{board}", tok["professional"])
        assert r.status_code == 403
        assert SECRET not in r.text
    # The text view (for browsers without JavaScript) shows the waiting text and no board.
    page = await live_server.get(f"/j/{tok['professional']}/tekst")
    assert "Even wachten" in page.text and SECRET not in page.text

    r = await live_server.post(f"/api/meetings/{mid}/closed", tok["facilitator"], {"closed": False})
    assert r.json()["closed"] is False
    back = await YClient(
        live_server.ws_url(mid, "drieluik", tok["professional"]), role="professional"
    ).connect()
    assert back.note_texts()["geheim"] == SECRET
    r = await live_server.get(f"/api/meetings/{mid}/boards/drieluik", tok["professional"])
    assert [n["text"] for n in r.json()["notes"]] == [SECRET]
    for c in (back, fam, pro_stand):
        await c.close()


async def test_family_worksheet_refuses_professionals_always(live_server):
    m = await live_server.create_meeting()
    mid, tok = m["id"], m["tokens"]
    url = live_server.ws_url(mid, "familie", tok["professional"])
    assert await close_code_on_connect(url) == closecodes.FORBIDDEN
    r = await live_server.get(f"/api/meetings/{mid}/boards/familie", tok["professional"])
    assert r.status_code == 403
    await live_server.post(f"/api/meetings/{mid}/closed", tok["facilitator"], {"closed": True})
    await live_server.post(f"/api/meetings/{mid}/closed", tok["facilitator"], {"closed": False})
    assert await close_code_on_connect(url) == closecodes.FORBIDDEN
    # the projector does not show it either; the family does see it
    assert (
        await close_code_on_connect(live_server.ws_url(mid, "familie", tok["scherm"]))
        == closecodes.FORBIDDEN
    )
    fam = await YClient(
        live_server.ws_url(mid, "familie", tok["familie"]), role="familie"
    ).connect()
    await fam.close()


async def test_only_the_facilitator_starts_the_closed_part(live_server):
    m = await live_server.create_meeting()
    mid, tok = m["id"], m["tokens"]
    path = f"/api/meetings/{mid}/closed"
    assert (await live_server.post(path, None, {"closed": True})).status_code == 401
    assert (await live_server.post(path, "nep-token", {"closed": True})).status_code == 401
    for role in ("familie", "professional", "scherm"):
        assert (await live_server.post(path, tok[role], {"closed": True})).status_code == 403
    other = await live_server.create_meeting("Familie Jansen")
    r = await live_server.post(path, other["tokens"]["facilitator"], {"closed": True})
    assert r.status_code == 401
    r = await live_server.get(f"/api/meetings/{mid}/boards/verloop", tok["familie"])
    assert r.json()["state"]["closed"] is False


async def test_phase_is_written_into_the_course_board(live_server):
    m = await live_server.create_meeting()
    mid, tok = m["id"], m["tokens"]
    course = await YClient(
        live_server.ws_url(mid, "verloop", tok["scherm"]), role="scherm"
    ).connect()
    r = await live_server.post(
        f"/api/meetings/{mid}/phase", tok["facilitator"], {"phase": "informatie-delen"}
    )
    assert r.status_code == 200 and r.json()["phaseLabel"] == "Informatie delen"
    from pycrdt import Map

    await course.wait_for(
        lambda: course.doc.get("state", type=Map).get("phase") == "informatie-delen"
    )
    bad = await live_server.post(
        f"/api/meetings/{mid}/phase", tok["facilitator"], {"phase": "<script>"}
    )
    assert bad.status_code == 400
    await course.close()


async def test_clients_cannot_write_the_course_board(live_server):
    m = await live_server.create_meeting()
    mid, tok = m["id"], m["tokens"]
    fac = await YClient(
        live_server.ws_url(mid, "verloop", tok["facilitator"]), role="facilitator"
    ).connect()
    from pycrdt import Map

    fac.doc.get("state", type=Map)["closed"] = True
    assert await fac.roundtrip()  # read-only for every device: the server has dropped it
    r = await live_server.get(f"/api/meetings/{mid}/boards/verloop", tok["familie"])
    assert r.json()["state"]["closed"] is False
    # and the professional is still let in: permissions come from the server's own state
    pro = await YClient(
        live_server.ws_url(mid, "drieluik", tok["professional"]), role="professional"
    ).connect()
    await pro.close()
    await fac.close()


async def test_revoked_link_is_cut_off_and_refused(live_server):
    m = await live_server.create_meeting()
    mid, tok = m["id"], m["tokens"]
    pro = await YClient(
        live_server.ws_url(mid, "drieluik", tok["professional"]), role="professional"
    ).connect()
    r = await live_server.post(f"/api/meetings/{mid}/tokens/professional", tok["facilitator"], {})
    assert r.status_code == 200
    new = r.json()["token"]
    assert await pro.wait_closed() == closecodes.UNAUTHORIZED
    assert (
        await close_code_on_connect(live_server.ws_url(mid, "drieluik", tok["professional"]))
        == closecodes.UNAUTHORIZED
    )
    again = await YClient(live_server.ws_url(mid, "drieluik", new)).connect()
    await again.close()
