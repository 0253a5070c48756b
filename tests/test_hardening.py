"""Hardening under faults: a stalled device, storage that fails, shutdown, kill -9 under load,
and tokens kept out of the logs."""

import asyncio
import base64
import os
import signal
import socket
import sqlite3
from urllib.parse import urlsplit

import httpx
import pytest

from server import closecodes
from tests.channels import device, presence, received
from tests.serverprocess import ServerProcess
from tests.test_limits import serving
from tests.waiting import until
from tests.yclient import YClient


async def stalled_device(url: str) -> socket.socket:
    """A WebSocket that completes the handshake and then never reads again."""
    parts = urlsplit(url)
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    sock.setblocking(False)
    loop = asyncio.get_running_loop()
    await loop.sock_connect(sock, (parts.hostname, parts.port))
    key = base64.b64encode(os.urandom(16)).decode()
    request = (
        f"GET {parts.path}?{parts.query} HTTP/1.1\r\nHost: {parts.netloc}\r\n"
        "Upgrade: websocket\r\nConnection: Upgrade\r\n"
        f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n"
    )
    await loop.sock_sendall(sock, request.encode())
    head = b""
    while b"\r\n\r\n" not in head:
        head += await loop.sock_recv(sock, 1)  # byte by byte: leave every frame unread
    assert head.startswith(b"HTTP/1.1 101"), head
    return sock


async def test_a_stalled_device_is_dropped_while_the_room_goes_on(tmp_path):
    async with serving(
        tmp_path,
        send_queue_size=64,
        max_send_queue_bytes=256 * 1024,
        max_messages_per_second=10_000,
    ) as live:  # the writer is not limited
        m = await live.create_meeting("Familie Kramer")
        url = live.ws_url(m["id"], "drieluik", m["tokens"]["familie"])
        writer, reader = await YClient(url).connect(), await YClient(url).connect()
        room = live.app.state.rooms.get(m["id"], "drieluik")
        before = set(room.connections)
        stalled = await stalled_device(url)
        await writer.wait_for(lambda: len(room.connections) == 3)
        (slow,) = room.connections - before
        big = "x" * 990  # a long note (the limit is 1,000 characters) fills buffers quickly
        written = 0
        while not slow.closed:  # every note reaches the reader while the stalled one lags
            writer.add_note(f"n{written}", f"{written} {big}")
            await reader.wait_for(lambda i=written: f"n{i}" in reader.notes)
            written += 1
            assert written < 4000
        assert slow.close_code == closecodes.TRY_AGAIN
        assert slow not in room.connections and len(room.connections) == 2
        writer.add_note(f"n{written}", "Daarna gaat het gewoon door")
        await reader.wait_for(lambda: f"n{written}" in reader.notes)
        written += 1
        stalled.close()
        # The dropped device reconnects and resyncs: it gets everything.
        again = await YClient(url).connect()
        assert len(again.notes) == written
        for c in (writer, reader, again):
            await c.close()


@pytest.mark.parametrize("failure", ["disk-full", "read-only"])
async def test_failing_storage_refuses_writes_clearly_and_keeps_serving(tmp_path, failure):
    async with serving(tmp_path) as live:
        m = await live.create_meeting("Familie Hendriks")
        tok = m["tokens"]["familie"]
        url = live.ws_url(m["id"], "drieluik", tok)
        writer, reader = await YClient(url).connect(), await YClient(url).connect()
        writer.add_note("n1", "Staat al veilig")
        await reader.wait_for(lambda: "n1" in reader.notes)
        store = live.app.state.store

        def on_every_connection(sql: str) -> None:  # the store's and its writer thread's
            for conn in (store.db.conn, store.writer.conn):
                conn.execute(sql)

        if failure == "disk-full":
            pages = store.db.execute("PRAGMA page_count").fetchone()[0]
            on_every_connection(f"PRAGMA max_page_count={pages}")
        else:
            on_every_connection("PRAGMA query_only=ON")

        with writer.doc.transaction():  # one update, bigger than the pages left on disk
            for i in range(60):
                writer.add_note(f"n{i + 2}", "Past niet meer " + "y" * 900)
        assert await writer.wait_closed() == closecodes.INTERNAL_ERROR
        assert "Opslaan mislukt" in writer.close_reason
        # Nothing unsaved was forwarded or handed out; what is stored is still served.
        assert await reader.roundtrip()  # whatever was forwarded to it has arrived by now
        assert set(reader.note_texts()) == {"n1"}
        late = await YClient(url).connect()
        assert set(late.note_texts()) == {"n1"}
        r = await live.get(f"/api/meetings/{m['id']}/boards/drieluik", tok)
        assert r.status_code == 200 and len(r.json()["notes"]) == 1
        r = await live.post(
            f"/api/meetings/{m['id']}/participants", tok, {"name": "Opa Piet", "relation": "opa"}
        )
        if failure == "read-only":  # (a small write may still fit in a full database)
            assert r.status_code == 503 and "opslaan" in r.json()["error"]

        # Once the disk has room again, the device that kept its note delivers it.
        on_every_connection(
            "PRAGMA max_page_count=1073741823"
            if failure == "disk-full"
            else "PRAGMA query_only=OFF"
        )
        retry = YClient(url)
        retry.doc.apply_update(writer.doc.get_update())
        await retry.connect()
        await reader.wait_for(lambda: "n2" in reader.notes)
        for c in (reader, late, retry):
            await c.close()


def _ws(sp: ServerProcess, meeting: dict, board: str, role: str = "familie") -> str:
    return f"ws://127.0.0.1:{sp.port}/ws/{meeting['id']}/{board}?token={meeting['tokens'][role]}"


async def _create(sp: ServerProcess, title: str) -> dict:
    async with httpx.AsyncClient() as http:
        r = await http.post(sp.base + "/api/meetings", json={"title": title})
        assert r.status_code == 201
        return r.json()


async def test_kill_9_under_load_loses_nothing_any_device_received(tmp_path):
    sp = ServerProcess(tmp_path / "data")
    sp.start()
    try:
        meetings = [await _create(sp, f"Familie {n}") for n in ("Aydin", "Bakker", "Claes")]
        pairs = []
        for m in meetings:
            for board in ("drieluik", "doelen"):
                url = _ws(sp, m, board)
                pairs.append((m, board, await YClient(url).connect(), await YClient(url).connect()))

        async def write(writer: YClient, reader: YClient, prefix: str) -> None:
            for i in range(10_000):
                writer.add_note(f"{prefix}{i}", f"Briefje {i} van Tante Ineke")
                if i >= 32:  # up to 32 notes on their way at any time
                    await reader.wait_for(lambda i=i: f"{prefix}{i - 32}" in reader.notes)

        writers = [asyncio.create_task(write(w, r, f"{board}-")) for _, board, w, r in pairs]
        await until(lambda: sum(len(r.notes) for *_, r in pairs) > 300, timeout=30)
        sp.kill9()  # in the middle of it all
        for task in writers:
            task.cancel()
        await asyncio.gather(*writers, return_exceptions=True)
        received = []
        for m, board, writer, reader in pairs:
            await reader.wait_closed()
            await writer.wait_closed()
            received.append((m, board, dict(reader.note_texts())))
        assert sum(len(r) for *_, r in received) > 100  # it really was under load

        sp.start()
        async with httpx.AsyncClient() as http:
            for m, board, seen in received:
                r = await http.get(
                    f"{sp.base}/api/meetings/{m['id']}/boards/{board}",
                    headers={"Authorization": f"Bearer {m['tokens']['familie']}"},
                )
                stored = {n["id"]: n["text"] for n in r.json()["notes"]}
                missing = set(seen) - set(stored)
                assert not missing, f"{board}: {len(missing)} received notes lost"
    finally:
        sp.stop()


async def test_graceful_shutdown_closes_devices_and_compacts_every_board(tmp_path):
    sp = ServerProcess(tmp_path / "data")
    sp.start()
    try:
        m = await _create(sp, "Familie Dekker")
        writer = await YClient(_ws(sp, m, "evaluatie")).connect()
        reader = await YClient(_ws(sp, m, "evaluatie")).connect()
        for i in range(50):
            writer.add_note(f"n{i}", f"Afspraak {i}", zone="volgende")
        await reader.wait_for(lambda: len(reader.notes) == 50)
        sp.proc.send_signal(signal.SIGTERM)
        # uvicorn shuts down gracefully, then re-raises the signal: exit status -SIGTERM.
        assert sp.proc.wait(15) in (0, -signal.SIGTERM)
        assert await reader.wait_closed() == 1012  # "service restart": clients reconnect
        await writer.wait_closed()
    finally:
        sp.stop()
    db = sqlite3.connect(tmp_path / "data" / "netwerkbord.db")
    logged = db.execute("SELECT count(*) FROM updates WHERE board_id='evaluatie'").fetchone()[0]
    snapshot = db.execute("SELECT data FROM snapshots WHERE board_id='evaluatie'").fetchone()[0]
    db.close()
    assert logged == 0  # everything went into the snapshot on the way out
    from pycrdt import Doc, Map

    doc = Doc()
    doc.apply_update(snapshot)
    assert len(doc.get("notes", type=Map)) == 50


async def test_no_token_reaches_the_log(tmp_path):
    log_path = tmp_path / "server.log"
    sp = ServerProcess(tmp_path / "data", log_path=log_path)
    sp.start()
    try:
        m = await _create(sp, "Familie Vos")
        tokens = list(m["tokens"].values())
        client = await YClient(_ws(sp, m, "drieluik")).connect()
        await client.close()
        bad = YClient(f"ws://127.0.0.1:{sp.port}/ws/{m['id']}/drieluik?token=Geheim123xyz")
        await bad.connect(wait_synced=False)
        await bad.wait_closed()
        async with httpx.AsyncClient() as http:
            await http.get(f"{sp.base}/j/{m['tokens']['familie']}")
            await http.get(f"{sp.base}/api/meetings/{m['id']}?token={m['tokens']['scherm']}")
            await http.get(f"{sp.base}/j/Geheim123xyz")
    finally:
        sp.stop()  # waits for the process to end: everything it logged is in the file
    text = log_path.read_text()
    assert "WebSocket" in text  # the handshakes are logged ...
    for secret in [*tokens, "Geheim123xyz"]:
        assert secret not in text  # ... without their tokens


async def test_presence_in_a_big_room_is_batched_not_quadratic():
    from server.awareness import BATCH_FROM as AWARENESS_BATCH_FROM
    from server.rooms import Room
    from server.store import Store
    from server.sync import AwarenessEntry, encode_awareness

    store = Store(None)
    room = Room(("m1", "drieluik"), store, 500)
    conns = [device(room) for _ in range(AWARENESS_BATCH_FROM + 8)]
    for c in conns:
        received(c)
    for i, c in enumerate(conns):
        room.receive(c, encode_awareness([AwarenessEntry(1000 + i, 1, '{"user": {"name": "Bo"}}')]))
    assert all(c.channel.sent == [] for c in conns)  # nothing yet: gathered first
    await until(lambda: all(c.channel.sent for c in conns))
    for c in conns:
        (entries,) = presence(received(c))  # one message per device, not one per other device
        assert len(entries) == len(conns)
    # Leaving is still told at once.
    room.leave(conns[0])
    assert all(presence(received(c)) for c in conns[1:])
    store.close()


async def test_a_send_that_has_to_wait_keeps_its_order_and_a_close_still_goes_out():
    from board.permissions import Access
    from server.connection import Connection

    class SlowChannel:  # a send waits while the socket's buffer is full; no send_now (ASGI)
        def __init__(self):
            self.writable, self.sent, self.closed = asyncio.Event(), [], None
            self.waiting = asyncio.Event()
            self.done = asyncio.Event()

        async def send(self, data):
            self.waiting.set()
            await self.writable.wait()
            self.sent.append(data)
            if len(self.sent) == 4:
                self.done.set()

        async def close(self, code, reason):
            await self.writable.wait()
            self.closed = code
            self.done.set()

    channel = SlowChannel()
    conn = Connection(channel, Access.READ)
    conn.direct = True  # as in ws.py: a sender task only while something is queued
    for data in (b"1", b"2", b"3", b"4"):
        conn.send(data)
    await asyncio.wait_for(channel.waiting.wait(), 1)  # the first send waits for the socket
    channel.writable.set()
    await asyncio.wait_for(channel.done.wait(), 1)
    assert channel.sent == [b"1", b"2", b"3", b"4"]  # in order
    await asyncio.wait_for(conn.stop_sender(), 1)  # caught up: no task is kept per device
    # Shut while a send waits: what is queued behind it is dropped, the close still goes out.
    channel.writable.clear()
    channel.waiting.clear()
    channel.done.clear()
    conn.send(b"5")
    await asyncio.wait_for(channel.waiting.wait(), 1)
    conn.send(b"6")
    conn.shut(4403, "Dit bord is nu niet zichtbaar")
    channel.writable.set()
    await asyncio.wait_for(channel.done.wait(), 1)
    await asyncio.wait_for(conn.stop_sender(), 1)
    assert b"6" not in channel.sent and channel.closed == 4403
