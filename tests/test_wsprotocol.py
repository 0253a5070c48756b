"""The board WebSocket protocol (wsprotocol.py) on a real socket: the handshake, pings, and
a client that breaks the framing."""

import asyncio
import base64
import os

import pytest
import websockets
from websockets.frames import Close, Frame, Opcode

from server import closecodes
from tests.yclient import YClient

KEY = base64.b64encode(os.urandom(16)).decode()


async def upgrade(live_server, path: str, version: str = "13", key: str = KEY):
    """Send an upgrade request by hand; the status line, and the open stream."""
    port = int(live_server.base.rsplit(":", 1)[1])
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
                 f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\n"
                 f"Sec-WebSocket-Version: {version}\r\n\r\n".encode())
    head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 5)
    return head.split(b"\r\n")[0].decode(), reader, writer


async def server_frame(reader: asyncio.StreamReader) -> tuple[Opcode, bytes]:
    first, second = await reader.readexactly(2)
    n = second & 0x7F
    if n >= 126:
        n = int.from_bytes(await reader.readexactly(2 if n == 126 else 8), "big")
    return Opcode(first & 0x0F), await reader.readexactly(n)


async def test_bad_upgrade_requests_get_a_plain_http_error(live_server):
    m = await live_server.create_meeting()
    board = f"/ws/{m['id']}/drieluik?token={m['tokens']['familie']}"
    for path, version, key, status in [
        ("/ws/andere/weg/nog", "13", KEY, "404"),
        (board, "8", KEY, "426"),
        (board, "13", "geen-sleutel", "400"),
    ]:
        line, reader, writer = await upgrade(live_server, path, version, key)
        assert line.split(" ")[1] == status, (path, version, key)
        assert await asyncio.wait_for(reader.read(), 5) is not None  # then it hangs up
        writer.close()
    line, _, writer = await upgrade(live_server, board)
    assert line.startswith("HTTP/1.1 101")
    writer.close()


async def test_a_ping_is_answered_and_the_board_still_syncs(live_server):
    m = await live_server.create_meeting()
    url = live_server.ws_url(m["id"], "drieluik", m["tokens"]["familie"])
    async with websockets.connect(url, compression=None) as ws:
        pong = await ws.ping(b"ben je er nog?")
        latency = await asyncio.wait_for(pong, 5)
        assert latency >= 0
    a = await YClient(url).connect()
    a.add_note("n1", "Oma Wiëbe komt op woensdag")
    b = await YClient(url).connect()
    assert b.note_texts() == {"n1": "Oma Wiëbe komt op woensdag"}
    await a.close()
    await b.close()


@pytest.mark.parametrize("frame, code", [
    (Frame(Opcode.BINARY, b"\x00\x00\x00").serialize(mask=False), closecodes.PROTOCOL_ERROR),
    (bytes([0x82 | 0x40, 0x83, 1, 2, 3, 4, 5, 6, 7]), closecodes.PROTOCOL_ERROR),
    (bytes([0x82, 0xFF]) + (10**12).to_bytes(8, "big") + b"\x00" * 4, closecodes.TOO_BIG),
])
async def test_broken_framing_closes_that_socket_promptly_and_the_room_carries_on(
        live_server, frame, code):
    m = await live_server.create_meeting()
    url = live_server.ws_url(m["id"], "drieluik", m["tokens"]["familie"])
    a = await YClient(url).connect()
    b = await YClient(url).connect()
    line, reader, writer = await upgrade(
        live_server, f"/ws/{m['id']}/drieluik?token={m['tokens']['familie']}")
    assert line.startswith("HTTP/1.1 101")
    writer.write(frame)
    while (frame := await asyncio.wait_for(server_frame(reader), 3))[0] != Opcode.CLOSE:
        pass  # the first sync messages
    close = Close.parse(frame[1])
    assert close.code == code and close.reason
    if code == closecodes.PROTOCOL_ERROR:  # nothing more can be read: it hangs up at once
        assert await asyncio.wait_for(reader.read(), 3) == b""
    writer.close()

    a.add_note("n1", "Na de fout")
    await b.wait_for(lambda: b.note_texts().get("n1") == "Na de fout")
    await a.close()
    await b.close()
