"""The facilitator's controls over HTTP, and what they do to devices."""

from pycrdt import Map

from server import closecodes
from tests.yclient import YClient


async def course(live_server, m) -> dict:
    r = await live_server.get(f"/api/meetings/{m['id']}/boards/verloop", m["tokens"]["familie"])
    return r.json()


async def test_steps_carry_the_closed_part_and_write_the_course(live_server):
    m = await live_server.create_meeting()
    fac = m["tokens"]["facilitator"]
    path = f"/api/meetings/{m['id']}/step"
    r = await live_server.post(path, fac, {"move": "next", "by": "Joost"})
    assert r.json()["phase"] == "informatie-delen" and r.json()["closed"] is False
    pro = await YClient(
        live_server.ws_url(m["id"], "doelen", m["tokens"]["professional"]), role="professional"
    ).connect()
    r = await live_server.post(path, fac, {"move": "next", "by": "Joost"})
    assert r.json()["phase"] == "besloten-deel" and r.json()["closed"] is True
    assert await pro.wait_closed() == closecodes.FORBIDDEN
    state = (await course(live_server, m))["state"]
    assert state["closed"] is True and state["access"]["professional"]["doelen"] == "none"
    r = await live_server.post(path, fac, {"move": "next", "by": "Joost"})
    assert r.json()["phase"] == "plan-presenteren" and r.json()["closed"] is False
    r = await live_server.post(path, fac, {"move": "previous"})
    assert r.json()["closed"] is True
    # the audit list says when the closed part started and ended, and by whom
    r = await live_server.get(f"/api/meetings/{m['id']}/audit", fac)
    actions = [(a["action"], a["name"]) for a in r.json()["audit"]]
    assert actions == [
        ("besloten deel gestart", "Joost"),
        ("besloten deel gestopt", "Joost"),
        ("besloten deel gestart", ""),
    ]
    for role in ("familie", "professional", "scherm"):
        r = await live_server.get(f"/api/meetings/{m['id']}/audit", m["tokens"][role])
        assert r.status_code == 403


async def test_posting_and_locks_are_enforced_on_the_wire(live_server):
    m = await live_server.create_meeting(title="Drieluik familie Bakker")
    fac = m["tokens"]["facilitator"]
    await live_server.post(f"/api/meetings/{m['id']}/phase", fac, {"phase": "besloten-deel"})
    await live_server.post(f"/api/meetings/{m['id']}/phase", fac, {"phase": "instemming"})
    fam = await YClient(
        live_server.ws_url(m["id"], "doelen", m["tokens"]["familie"]), role="familie"
    ).connect()
    fam.add_note("n1", "Mag niet in de stap instemming", zone="kort-zelf")
    assert await fam.roundtrip()  # the server has taken or refused it
    r = await live_server.get(f"/api/meetings/{m['id']}/boards/doelen", fac)
    assert r.json()["notes"] == []
    await live_server.post(f"/api/meetings/{m['id']}/posting", fac, {"open": True})
    fam.add_note("n2", "Iedereen plakt nu", zone="kort-zelf")
    assert await fam.roundtrip()
    r = await live_server.get(f"/api/meetings/{m['id']}/boards/doelen", fac)
    assert [n["text"] for n in r.json()["notes"]] == ["Iedereen plakt nu"]
    r = await live_server.post(
        f"/api/meetings/{m['id']}/lock", fac, {"board": "doelen", "locked": True}
    )
    assert r.json()["locked"] == ["doelen"]
    fam.add_note("n3", "Op slot", zone="kort-zelf")
    assert await fam.roundtrip()
    r = await live_server.get(f"/api/meetings/{m['id']}/boards/doelen", fac)
    assert [n["text"] for n in r.json()["notes"]] == ["Iedereen plakt nu"]
    await fam.close()


async def test_timer_and_spotlight_reach_every_screen(live_server):
    m = await live_server.create_meeting()
    fac = m["tokens"]["facilitator"]
    tv = await YClient(
        live_server.ws_url(m["id"], "verloop", m["tokens"]["scherm"]), role="scherm"
    ).connect()
    r = await live_server.post(
        f"/api/meetings/{m['id']}/timer", fac, {"action": "start", "minutes": 10}
    )
    ends = r.json()["timerEndsAt"]
    await tv.wait_for(lambda: tv.doc.get("state", type=Map).get("timerEndsAt") == ends)
    r = await live_server.post(f"/api/meetings/{m['id']}/timer", fac, {"action": "pause"})
    assert 590_000 < r.json()["timerPausedMs"] <= 600_000
    bad = await live_server.post(
        f"/api/meetings/{m['id']}/timer", fac, {"action": "start", "minutes": -3}
    )
    assert bad.status_code == 400
    await live_server.post(
        f"/api/meetings/{m['id']}/spotlight", fac, {"board": "drieluik", "group": "g1"}
    )
    await tv.wait_for(
        lambda: (tv.doc.get("state", type=Map).get("spotlight") or {}).get("group") == "g1"
    )
    await tv.close()


async def test_consent_is_kept_with_a_timestamp_in_the_consent_step_only(live_server):
    m = await live_server.create_meeting()
    fac, fam = m["tokens"]["facilitator"], m["tokens"]["familie"]
    r = await live_server.post(
        f"/api/meetings/{m['id']}/participants", fam, {"name": "Oma Wiëbe", "relation": "oma"}
    )
    pid = r.json()["id"]
    path = f"/api/meetings/{m['id']}/consent"
    early = await live_server.post(path, fam, {"participant": pid, "agree": True})
    assert early.status_code == 409
    await live_server.post(f"/api/meetings/{m['id']}/phase", fac, {"phase": "instemming"})
    r = await live_server.post(
        path, fam, {"participant": pid, "agree": False, "comment": "Eerst praten over de weekenden"}
    )
    assert r.status_code == 201 and r.json()["at"] > 0
    pro = await live_server.post(
        path, m["tokens"]["professional"], {"participant": pid, "agree": True}
    )
    assert pro.status_code == 403  # a professional cannot speak for the family
    state = (await course(live_server, m))["state"]
    assert state["consent"][pid]["agree"] is False
    assert state["consent"][pid]["comment"] == "Eerst praten over de weekenden"


async def test_facilitator_removes_a_device_at_once(live_server):
    m = await live_server.create_meeting()
    url = live_server.ws_url(m["id"], "drieluik", m["tokens"]["familie"])
    lost = await YClient(url + "&device=tablet-2").connect()
    kept = await YClient(url + "&device=tablet-1").connect()
    await lost.set_awareness(77, 1, {"user": {"name": "Neef Daan"}})
    await kept.wait_for(lambda: 77 in kept.awareness)  # the server has it
    fac = m["tokens"]["facilitator"]
    r = await live_server.get(f"/api/meetings/{m['id']}/devices", fac)
    # A client using a role link directly names itself; the server puts the role before it,
    # so it can never pass for another role's device or a browser's own key (test_devices).
    devices = {d["device"]: d for d in r.json()["devices"]}
    lost_id = "familie:tablet-2"
    assert devices[lost_id]["names"] == ["Neef Daan"] and devices[lost_id]["role"] == "familie"
    r = await live_server.post(f"/api/meetings/{m['id']}/devices/{lost_id}/remove", fac, {})
    assert r.json()["closed"] == 1
    assert await lost.wait_closed() == closecodes.UNAUTHORIZED
    again = YClient(url + "&device=tablet-2")
    await again.connect(wait_synced=False)
    assert await again.wait_closed() == closecodes.UNAUTHORIZED
    kept.add_note("n1", "Wij gaan door")
    assert await kept.roundtrip() and kept.close_code is None
    r = await live_server.get(f"/api/meetings/{m['id']}/boards/drieluik", fac)
    assert [n["text"] for n in r.json()["notes"]] == ["Wij gaan door"]
    await kept.close()
