"""Nothing a device has received is lost: kill -9, restart, compaction."""

import asyncio

import httpx

from tests.yclient import YClient


def ws_url(sp, meeting, board, role):
    return f"ws://127.0.0.1:{sp.port}/ws/{meeting['id']}/{board}?token={meeting['tokens'][role]}"


async def test_everything_received_survives_kill_9(server_process):
    sp = server_process
    async with httpx.AsyncClient() as http:
        meeting = (
            await http.post(sp.base + "/api/meetings", json={"title": "Familie De Vries"})
        ).json()
    writer = await YClient(ws_url(sp, meeting, "drieluik", "familie"), role="familie").connect()
    reader = await YClient(
        ws_url(sp, meeting, "drieluik", "facilitator"), role="facilitator"
    ).connect()
    expected = {}
    for i in range(200):
        text = f"Briefje {i} van Oma Wiëbe"
        writer.add_note(f"n{i}", text)
        expected[f"n{i}"] = text
    # Kill the moment the other device has everything: it was forwarded, so it was stored.
    await reader.wait_for(lambda: len(reader.note_texts()) == 200, timeout=10)
    sp.kill9()
    await writer.wait_closed()
    await reader.wait_closed()

    sp.start()
    after = await YClient(ws_url(sp, meeting, "drieluik", "familie"), role="familie").connect()
    assert after.note_texts() == expected
    async with httpx.AsyncClient() as http:
        r = await http.get(
            f"{sp.base}/api/meetings/{meeting['id']}/boards/drieluik",
            headers={"Authorization": f"Bearer {meeting['tokens']['familie']}"},
        )
    assert len(r.json()["notes"]) == 200
    await after.close()


async def test_meeting_state_and_tokens_survive_restart(server_process):
    sp = server_process
    async with httpx.AsyncClient() as http:
        meeting = (
            await http.post(sp.base + "/api/meetings", json={"title": "Familie Bakker"})
        ).json()
        fac = {"Authorization": f"Bearer {meeting['tokens']['facilitator']}"}
        await http.post(
            f"{sp.base}/api/meetings/{meeting['id']}/closed", json={"closed": True}, headers=fac
        )
    sp.kill9()
    sp.start()
    pro = YClient(ws_url(sp, meeting, "drieluik", "professional"), role="professional")
    await pro.connect(wait_synced=False)
    assert await pro.wait_closed() == 4403  # still in the closed part after the restart
    fam = await YClient(ws_url(sp, meeting, "verloop", "familie"), role="familie").connect()
    from pycrdt import Map

    assert fam.doc.get("state", type=Map).to_py()["closed"] is True
    await fam.close()


async def test_long_history_is_compacted_and_restored(server_process):
    sp = server_process
    async with httpx.AsyncClient() as http:
        meeting = (
            await http.post(sp.base + "/api/meetings", json={"title": "Familie Smit"})
        ).json()
    writer = await YClient(ws_url(sp, meeting, "doelen", "familie"), role="familie").connect()
    reader = await YClient(ws_url(sp, meeting, "doelen", "familie"), role="familie").connect()
    for i in range(1200):  # more than two compactions' worth (compact_after=500)
        writer.add_note("n1", f"versie {i}", zone="kort-zelf")
        if i % 100 == 0:
            await asyncio.sleep(0)
    await reader.wait_for(lambda: reader.note_texts().get("n1") == "versie 1199", timeout=10)
    sp.kill9()
    import sqlite3

    db = sqlite3.connect(sp.data_dir / "netwerkbord.db")
    logged = db.execute("SELECT count(*) FROM updates WHERE board_id='doelen'").fetchone()[0]
    snaps = db.execute("SELECT count(*) FROM snapshots WHERE board_id='doelen'").fetchone()[0]
    db.close()
    assert snaps == 1 and 0 < logged < 500
    sp.start()
    # The log the crash left was compacted at the start, before any device came.
    db = sqlite3.connect(sp.data_dir / "netwerkbord.db")
    assert db.execute("SELECT count(*) FROM updates").fetchone()[0] == 0
    db.close()
    after = await YClient(ws_url(sp, meeting, "doelen", "familie"), role="familie").connect()
    assert after.note_texts() == {"n1": "versie 1199"}
    await after.close()
