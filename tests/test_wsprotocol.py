"""The board WebSocket protocol (wsprotocol.py): its framing, driven byte by byte through a
fake transport (what a client sends must reach the room as the same messages however TCP cuts
it, broken or oversized input closes with the right code, no input ever makes it raise, the
closing handshake completes), and on a real socket: the handshake, pings, broken framing."""

import asyncio
import base64
import contextlib
import os
from collections.abc import Iterator
from types import SimpleNamespace
from unittest import mock

import pytest
import websockets
from hypothesis import given, settings
from hypothesis import strategies as st
from websockets.frames import Close, Frame, Opcode
from websockets.protocol import OPEN, Protocol, Side

from server import closecodes, wsprotocol
from tests.wsbytes import BROKEN_STREAMS, client_frame
from tests.yclient import YClient

KEY = base64.b64encode(os.urandom(16)).decode()


# The protocol on a fake transport ---------------------------------------------------------


class FakeTransport(asyncio.Transport):
    def __init__(self) -> None:
        super().__init__()
        self.out = bytearray()
        self.eof = False  # our side hung up (write_eof)
        self.closed = False

    def write(self, data: bytes) -> None:
        assert not self.closed and not self.eof, "written after hanging up"
        self.out += data

    def write_eof(self) -> None:
        self.eof = True

    def can_write_eof(self) -> bool:
        return True

    def close(self) -> None:
        self.closed = True

    def is_closing(self) -> bool:
        return self.closed

    def get_extra_info(self, name: str, default: object = None) -> object:
        return ("10.0.0.7", 40000) if name == "peername" else default


class FakeConn:
    def __init__(self) -> None:
        self.closed = False
        self.shut_with: tuple[int, str] | None = None

    def shut(self, code: int, reason: str) -> None:
        self.closed, self.shut_with = True, (code, reason)


class FakeSession:
    """Stands in for ws.Session: records what the protocol hands to the room."""

    def __init__(self, state: object, room: object, conn: FakeConn) -> None:
        self.conn = conn
        self.received: list[bytes | None] = []

    def receive(self, data: bytes | None) -> None:
        self.received.append(data)

    def end(self) -> None:
        pass


class Device:
    """A BoardProtocol after the handshake, with a websockets client reading what it sends."""

    def __init__(self, proto: wsprotocol.BoardProtocol, transport: FakeTransport) -> None:
        self.proto, self.transport = proto, transport
        self.reader = Protocol(Side.CLIENT, state=OPEN, max_size=None)

    @property
    def session(self) -> FakeSession:
        return self.proto.session  # type: ignore[return-value]

    def send(self, raw: bytes) -> None:
        self.proto.data_received(raw)

    def frames(self) -> list[Frame]:
        """The frames written since the last call; they must parse, and hold no ping."""
        out, self.transport.out = bytes(self.transport.out), bytearray()
        self.reader.receive_data(out)
        assert self.reader.parser_exc is None, self.reader.parser_exc
        frames = [e for e in self.reader.events_received() if isinstance(e, Frame)]
        assert all(f.opcode is not Opcode.PING for f in frames), "the server sent a ping"
        return frames


def upgrade_request(
    path: str = "/ws/m1/drieluik?token=t", key: str = KEY, version: str = "13", extra: str = ""
) -> bytes:
    return (
        f"GET {path} HTTP/1.1\r\nhost: 127.0.0.1\r\nupgrade: websocket\r\n"
        f"connection: Upgrade\r\nsec-websocket-key: {key}\r\n"
        f"sec-websocket-version: {version}\r\n{extra}\r\n"
    ).encode()


@contextlib.contextmanager
def handshake(request: bytes, max_size: int = 1000) -> Iterator[tuple[FakeTransport, Device]]:
    """Hand `request` to a new BoardProtocol as uvicorn does; its answer is in transport.out."""
    loop = asyncio.new_event_loop()  # for its close timer; never run
    state = SimpleNamespace(
        config=SimpleNamespace(max_message_bytes=max_size), rooms=SimpleNamespace(bus=None)
    )
    proto = wsprotocol.BoardProtocol(
        SimpleNamespace(proxy_headers=False),
        SimpleNamespace(connections=set()),
        {},
        loop,
        app=SimpleNamespace(state=state),
    )
    transport = FakeTransport()
    proto.connection_made(transport)
    try:
        with (
            mock.patch.object(wsprotocol, "admit", lambda *args: (None, FakeConn())),
            mock.patch.object(wsprotocol, "Session", FakeSession),
        ):
            proto.data_received(request)
        yield transport, Device(proto, transport)
    finally:
        proto.connection_lost(None)
        loop.close()


@contextlib.contextmanager
def device(max_size: int = 1000) -> Iterator[Device]:
    with handshake(upgrade_request(), max_size) as (transport, dev):
        head, _, rest = bytes(transport.out).partition(b"\r\n\r\n")
        assert head.startswith(b"HTTP/1.1 101 ") and not rest
        transport.out.clear()
        yield dev


def cut(raw: bytes, cuts: list[int]) -> list[bytes]:
    points = sorted({c % (len(raw) + 1) for c in cuts})
    return [raw[a:b] for a, b in zip([0, *points], [*points, len(raw)], strict=True)]


def test_the_handshake_answer_is_rfc_6455s_and_offers_no_extension():
    request = upgrade_request(
        key="dGhlIHNhbXBsZSBub25jZQ==",
        extra="sec-websocket-extensions: permessage-deflate; client_max_window_bits\r\n",
    )
    with handshake(request) as (transport, _):
        head = bytes(transport.out).lower()
        assert head.startswith(b"http/1.1 101 ")
        assert b"sec-websocket-accept: s3pplmbitxaq9kygzzhzrbk+xoo=\r\n" in head
        assert b"sec-websocket-extensions" not in head and not transport.closed
    for request, status in [
        (upgrade_request(path="/ws/andere/weg/nog"), b"404"),
        (upgrade_request(version="8"), b"426"),
        (upgrade_request(key="kort"), b"400"),
        (upgrade_request(key="!!!"), b"400"),
    ]:
        with handshake(request) as (transport, _):
            assert bytes(transport.out).split(b" ")[1] == status and transport.closed


@pytest.mark.parametrize("size", [0, 1, 125, 126, 65_535, 65_536, 300_000])
def test_a_message_of_any_length_goes_out_as_one_whole_binary_frame(size):
    data = bytes(i % 251 for i in range(size))
    with device() as a, device() as b:
        assert a.proto.send_now(data) and a.proto.send_now(b"next")
        assert [(f.opcode, f.fin, f.data) for f in a.frames()] == [
            (Opcode.BINARY, True, data),
            (Opcode.BINARY, True, b"next"),
        ]
        assert b.proto.send_now(data) and [f.data for f in b.frames()] == [data]


@given(
    messages=st.lists(
        st.tuples(st.binary(max_size=70_000), st.integers(1, 3)), min_size=1, max_size=5
    ),
    cuts=st.lists(st.integers(min_value=0), max_size=12),
)
@settings(max_examples=60, deadline=None)
def test_client_messages_reach_the_room_whole_however_tcp_cuts_them(messages, cuts):
    raw = b""
    for data, parts in messages:  # some sent in parts
        step = len(data) // parts + 1
        chunks = [data[i : i + step] for i in range(0, len(data), step)] or [b""]
        raw += b"".join(
            client_frame(Opcode.BINARY if i == 0 else Opcode.CONT, chunk, fin=i == len(chunks) - 1)
            for i, chunk in enumerate(chunks)
        )
    with device(100_000) as dev:
        for piece in cut(raw, cuts):
            dev.send(piece)
        assert dev.session.received == [data for data, _ in messages]
        assert dev.frames() == [] and not dev.transport.closed


def test_fragments_are_joined_and_a_ping_between_them_is_answered():
    with device() as dev:
        dev.send(
            client_frame(Opcode.BINARY, b"Oma ", fin=False)
            + client_frame(Opcode.PING, b"p")
            + client_frame(Opcode.CONT, b"Wi", fin=False)
            + client_frame(Opcode.CONT, "\u00eb".encode() + b"be")
        )
        assert dev.session.received == ["Oma Wiëbe".encode()]
        assert [(f.opcode, f.data) for f in dev.frames()] == [(Opcode.PONG, b"p")]
        # A text message, whole or in parts, reaches the session as None (it closes 1003).
        dev.send(client_frame(Opcode.TEXT, b"hallo"))
        dev.send(client_frame(Opcode.TEXT, b"hal", fin=False) + client_frame(Opcode.CONT, b"lo"))
        assert dev.session.received[1:] == [None, None]


@pytest.mark.parametrize("raw, why", BROKEN_STREAMS)
def test_broken_streams_close_with_1002_and_read_no_further(raw, why):
    with device() as dev:
        dev.send(client_frame(Opcode.BINARY, b"ervoor") + raw)
        [close] = dev.frames()
        assert Close.parse(close.data).code == closecodes.PROTOCOL_ERROR, why
        assert dev.session.conn.shut_with[0] == closecodes.PROTOCOL_ERROR
        assert dev.transport.eof  # nothing more can be read: our side hangs up at once
        dev.send(client_frame(Opcode.BINARY, b"daarna"))
        assert dev.session.received == [b"ervoor"] and dev.frames() == []
        assert not dev.proto.send_now(b"naar het apparaat")


def test_a_message_too_big_is_refused_from_its_header_and_the_close_completes():
    with device() as dev:
        big = client_frame(Opcode.BINARY, b"\x00" * 5000)
        dev.send(big[:100])  # the header is enough to know
        [close] = dev.frames()
        assert Close.parse(close.data) == Close(1009, "Bericht groter dan 1000 bytes")
        assert dev.session.conn.shut_with == (1009, "Bericht groter dan 1000 bytes")
        # The rest of that message is skipped, and the device's answer to our close frame
        # still read: then the socket closes, the closing handshake complete.
        dev.send(big[100:] + client_frame(Opcode.CLOSE, close.data))
        assert dev.transport.closed and not dev.transport.eof
        assert dev.session.received == [] and dev.frames() == []
    with device() as dev:  # the parts of a message count together
        dev.send(
            client_frame(Opcode.BINARY, b"x" * 600, fin=False)
            + client_frame(Opcode.CONT, b"x" * 600)
        )
        assert Close.parse(dev.frames()[0].data).code == closecodes.TOO_BIG
        assert dev.session.received == []


@given(st.binary(max_size=3000), st.lists(st.integers(min_value=0), max_size=6))
@settings(max_examples=300, deadline=None)
def test_no_input_makes_the_protocol_raise(raw, cuts):
    with device() as dev:
        for piece in cut(raw, cuts):
            dev.send(piece)
        assert all(m is None or isinstance(m, bytes) for m in dev.session.received)
        for frame in dev.frames():  # pongs, or one close frame (ours or the echo of theirs)
            assert frame.opcode in (Opcode.PONG, Opcode.CLOSE)


def test_our_close_frame_is_answered_and_then_the_socket_closes():
    with device() as dev:
        asyncio.run(dev.proto.close(4403, "Dit bord is nu niet zichtbaar"))
        [close] = dev.frames()
        assert Close.parse(close.data) == Close(4403, "Dit bord is nu niet zichtbaar")
        assert not dev.transport.closed and not dev.proto.send_now(b"te laat")
        dev.send(client_frame(Opcode.BINARY, b"onderweg"))  # sent before it saw our close
        dev.send(client_frame(Opcode.CLOSE, Close(4403, "").serialize()))
        assert dev.transport.closed and dev.session.received == []
    with device() as dev:  # a reason is cut to what a control frame holds, at whole characters
        asyncio.run(dev.proto.close(1009, "ë" * 100))  # 200 bytes of UTF-8
        [close] = dev.frames()
        assert Close.parse(close.data) == Close(1009, "ë" * 61) and len(close.data) <= 125


def test_the_devices_close_frame_is_echoed_after_the_messages_before_it():
    with device() as dev:
        dev.send(
            client_frame(Opcode.BINARY, b"laatste wijziging")
            + client_frame(Opcode.CLOSE, Close(1000, "dag").serialize())
        )
        assert dev.session.received == [b"laatste wijziging"]
        [echo] = dev.frames()
        assert Close.parse(echo.data).code == 1000 and dev.transport.closed
        assert dev.session.conn.shut_with is None  # it left; nothing refused
    for payload, code in [
        (b"\x03", 1002),
        (b"\x03\xed", 1002),
        (b"\x09\xc4", 1002),
        (b"\x03\xe8\xff", 1007),
    ]:
        # too short, 1005 sent on the wire, 2500 (unassigned), a reason that is not UTF-8
        with device() as dev:
            dev.send(client_frame(Opcode.CLOSE, payload))
            [close] = dev.frames()
            assert Close.parse(close.data).code == code


# On a real socket -------------------------------------------------------------------------


async def upgrade(live_server, path: str, version: str = "13", key: str = KEY):
    """Send an upgrade request by hand; the status line, and the open stream."""
    port = int(live_server.base.rsplit(":", 1)[1])
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(
        f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
        f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\n"
        f"Sec-WebSocket-Version: {version}\r\n\r\n".encode()
    )
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


@pytest.mark.parametrize(
    "frame, code",
    [
        (Frame(Opcode.BINARY, b"\x00\x00\x00").serialize(mask=False), closecodes.PROTOCOL_ERROR),
        (bytes([0x82 | 0x40, 0x83, 1, 2, 3, 4, 5, 6, 7]), closecodes.PROTOCOL_ERROR),
        (bytes([0x82, 0xFF]) + (10**12).to_bytes(8, "big") + b"\x00" * 4, closecodes.TOO_BIG),
    ],
)
async def test_broken_framing_closes_that_socket_promptly_and_the_room_carries_on(
    live_server, frame, code
):
    m = await live_server.create_meeting()
    url = live_server.ws_url(m["id"], "drieluik", m["tokens"]["familie"])
    a = await YClient(url).connect()
    b = await YClient(url).connect()
    line, reader, writer = await upgrade(
        live_server, f"/ws/{m['id']}/drieluik?token={m['tokens']['familie']}"
    )
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
