"""HTTP hardening: request bodies over their route's limit (413, unread), request headers
that do not complete in time or grow too large (slowloris), half-open connections per
address, meetings per hour per address (429) and people per meeting (409).

The live tests run `netwerkbord serve` as a child process (tests/serverprocess.py) and talk
to it over raw sockets where an HTTP client would hide what matters."""

import asyncio
import json
import select
import socket
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import uvicorn

from server.bodylimit import ROUTE_LIMITS, BodyLimit, body_limit
from server.config import Config
from server.httpprotocol import HalfOpen, HttpLimits, LimitedHttpProtocol, http_protocol
from server.limits import MeetingQuota, address_group, meeting_quota_error
from server.uvicornhooks import HttpToolsProtocol, ServerState, check_uvicorn
from tests.serverprocess import ServerProcess
from tests.yclient import YClient

TIMEOUT = 1.0  # header and body deadline of the `limited` server (seconds)
PARTIAL_HEAD = b"POST /api/meetings HTTP/1.1\r\nHost: netwerkbord\r\nContent-"


@pytest.fixture(scope="module")
def limited(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    sp = ServerProcess(
        Path(tmp_path_factory.mktemp("http-limits")) / "data",
        env={
            "NETWERKBORD_HEADER_TIMEOUT_SECONDS": str(TIMEOUT),
            "NETWERKBORD_BODY_TIMEOUT_SECONDS": str(TIMEOUT),
            "NETWERKBORD_MAX_PARTICIPANTS": "3",
        },
    )
    sp.start()
    try:
        yield sp
    finally:
        sp.stop()


def started(tmp_path: Path, **env: str) -> ServerProcess:
    sp = ServerProcess(
        tmp_path / "data", env={f"NETWERKBORD_{k.upper()}": v for k, v in env.items()}
    )
    sp.start()
    return sp


def connect(sp: ServerProcess, first: bytes = b"") -> socket.socket:
    sock = socket.create_connection(("127.0.0.1", sp.port), timeout=10)
    if first:
        sock.sendall(first)
    return sock


def read_to_end(sock: socket.socket) -> bytes:
    """Everything the server sends until it closes the connection (the timeout fails it)."""
    data = b""
    while chunk := sock.recv(65536):
        data += chunk
    return data


def closed_after(sock: socket.socket) -> float:
    """Seconds until the server closes the connection, with nothing sent in the meantime."""
    start = time.monotonic()
    assert read_to_end(sock) == b""
    return time.monotonic() - start


def status_and_json(answer: bytes) -> tuple[int, dict]:
    head, _, body = answer.partition(b"\r\n\r\n")
    return int(head.split(b" ", 2)[1]), json.loads(body)


def still_open(sock: socket.socket) -> bool:
    """Nothing to read and no close from the server: it still waits for this request."""
    return not select.select([sock], [], [], 0)[0]


# Request bodies ------------------------------------------------------------------------------


def test_a_huge_content_length_is_refused_before_any_body_is_sent(limited):
    sock = connect(
        limited,
        b"POST /api/meetings HTTP/1.1\r\nHost: netwerkbord\r\n"
        b"Content-Type: application/json\r\nContent-Length: 300000000\r\n\r\n",
    )
    with sock:
        status, body = status_and_json(read_to_end(sock))  # the body is never sent
    assert status == 413 and "te groot" in body["error"]
    r = httpx.post(limited.base + "/api/meetings", json={"title": "familie De Vries"})
    assert r.status_code == 201


def test_a_chunked_body_is_read_only_up_to_the_limit(limited):
    limit = body_limit("POST", "/api/meetings", Config().max_body_bytes)
    chunk = b"400\r\n" + b"x" * 1024 + b"\r\n"
    # More than the limit, and no final chunk: the answer must not wait for the end.
    head = (
        b"POST /api/meetings HTTP/1.1\r\nHost: netwerkbord\r\n"
        b"Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
    )
    with connect(limited, head + chunk * (limit // 1024 + 1)) as sock:
        status, body = status_and_json(read_to_end(sock))
    assert status == 413 and body["error"]


def test_a_body_up_to_the_limit_is_read_and_one_byte_more_is_not(limited):
    r = httpx.post(limited.base + "/", data={"title": "Familie De Vries " + "é" * 100})
    assert r.status_code == 303  # created; the links are on the page it leads to
    limit = body_limit("POST", "/api/meetings", Config().max_body_bytes)
    title = b'{"title": "familie De Vries"}'
    for size, status in ((limit, 201), (limit + 1, 413)):
        r = httpx.post(
            limited.base + "/api/meetings",
            content=title.ljust(size),
            headers={"Content-Type": "application/json"},
        )
        assert r.status_code == status and r.json()


# Headers: deadline, size, half-open connections -----------------------------------------------


def test_partial_headers_are_closed_after_the_timeout(limited):
    with connect(limited, PARTIAL_HEAD) as partial, connect(limited) as silent:
        assert TIMEOUT * 0.9 <= closed_after(partial) < TIMEOUT + 5
        assert closed_after(silent) < TIMEOUT + 5  # a connection that never says anything


def test_dribbling_header_bytes_does_not_keep_a_connection(limited):
    with connect(limited, PARTIAL_HEAD) as sock:
        start = time.monotonic()
        while not select.select([sock], [], [], 0.2)[0]:  # a byte whenever nothing came back
            sock.sendall(b"X")
        assert sock.recv(100) == b""
        assert TIMEOUT * 0.9 <= time.monotonic() - start < TIMEOUT + 5


def test_the_next_request_on_a_kept_alive_connection_has_a_deadline_too(limited):
    with connect(limited, b"GET /favicon.ico HTTP/1.1\r\nHost: netwerkbord\r\n\r\n") as sock:
        answer = b""
        while b"\r\n\r\n" not in answer:
            answer += sock.recv(65536)
        assert answer.startswith(b"HTTP/1.1 200"), answer[:100]
        length = int(answer.lower().split(b"content-length: ")[1].split(b"\r\n")[0])
        rest = len(answer.partition(b"\r\n\r\n")[2])
        while rest < length:
            rest += len(sock.recv(65536))
        sock.sendall(PARTIAL_HEAD)
        # uvicorn's own keep-alive timeout (5 s) stops at the first byte; ours closes it.
        assert TIMEOUT * 0.9 <= closed_after(sock) < 4


def test_a_body_that_stops_coming_is_closed_after_the_timeout(limited):
    head = (
        b"POST /api/meetings HTTP/1.1\r\nHost: netwerkbord\r\n"
        b"Content-Type: application/json\r\nContent-Length: 100\r\n\r\n"
    )
    with connect(limited, head + b'{"title": ') as sock:
        assert TIMEOUT * 0.9 <= closed_after(sock) < TIMEOUT + 5


def test_headers_too_large_get_431(limited):
    big = b"GET / HTTP/1.1\r\nHost: netwerkbord\r\nX-Opvulling: " + b"a" * 40_000
    with connect(limited, big) as sock:
        status, body = status_and_json(read_to_end(sock))
    assert status == 431 and body["error"]
    assert httpx.get(limited.base + "/").status_code == 200


async def test_a_board_websocket_outlives_the_header_timeout(limited):
    async with httpx.AsyncClient() as http:
        m = (
            await http.post(limited.base + "/api/meetings", json={"title": "familie De Vries"})
        ).json()
    url = f"ws://127.0.0.1:{limited.port}/ws/{m['id']}/drieluik?token={m['tokens']['familie']}"
    writer, reader = await YClient(url).connect(), await YClient(url).connect()
    # A partial request opened after both devices: once it is closed, their handshakes'
    # deadlines would have passed too.
    loop = asyncio.get_running_loop()
    probe = socket.create_connection(("127.0.0.1", limited.port))
    probe.setblocking(False)
    await loop.sock_sendall(probe, PARTIAL_HEAD)
    assert await asyncio.wait_for(loop.sock_recv(probe, 100), TIMEOUT + 5) == b""
    probe.close()
    writer.add_note("n1", "Oma Wiëbe komt op woensdag")
    await reader.wait_for(lambda: "n1" in reader.notes)
    assert writer.close_code is None and reader.close_code is None
    await asyncio.gather(writer.close(), reader.close())


def test_half_open_connections_per_address_are_bounded(tmp_path):
    sp = started(tmp_path, max_half_open_per_address="4")  # header timeout: the default 10 s
    try:
        socks = [connect(sp, PARTIAL_HEAD) for _ in range(6)]
        for old in socks[:2]:  # the two oldest make room at once, long before the timeout
            assert read_to_end(old) == b""
        # A normal request from the same address still gets through (it takes the place of
        # the oldest half-open one while its headers come in).
        assert httpx.get(sp.base + "/").status_code == 200
        assert read_to_end(socks[2]) == b""
        # The others, opened together with the closed ones, are still open: it was not the
        # timeout that closed those.
        assert all(still_open(s) for s in socks[3:])
        for s in socks:
            s.close()
    finally:
        sp.stop()


# Meetings per address, people per meeting -------------------------------------------------------


def test_meetings_per_hour_without_an_admin_key(tmp_path):
    sp = started(tmp_path, meetings_per_hour="3")
    try:
        with httpx.Client(base_url=sp.base) as http:
            for i in range(3):
                r = http.post("/api/meetings", json={"title": f"Familie De Vries {i}"})
                assert r.status_code == 201
            r = http.post("/api/meetings", json={"title": "Familie De Vries 4"})
            assert r.status_code == 429 and "probeer het over" in r.json()["error"]
            assert 0 < int(r.headers["retry-after"]) <= 3600 / 3 + 1
            page = http.post("/", data={"title": "Familie De Vries 5"})
            assert page.status_code == 429 and page.headers["retry-after"]
            assert "probeer het over" in page.text
    finally:
        sp.stop()


def test_with_an_admin_key_there_is_no_meeting_quota(tmp_path):
    sp = started(tmp_path, meetings_per_hour="1", admin_key="sleutel-van-de-beheerder")
    try:
        with httpx.Client(base_url=sp.base) as http:
            for i in range(3):
                r = http.post(
                    "/api/meetings",
                    json={"title": f"Familie De Vries {i}"},
                    headers={"Authorization": "Bearer sleutel-van-de-beheerder"},
                )
                assert r.status_code == 201
    finally:
        sp.stop()


def test_people_per_meeting_are_capped(limited):
    with httpx.Client(base_url=limited.base) as http:
        m = http.post("/api/meetings", json={"title": "familie De Vries"}).json()
        auth = {"Authorization": f"Bearer {m['tokens']['familie']}"}
        url = f"/api/meetings/{m['id']}/participants"
        for name in ("Oma Wiëbe", "Opa Gerrit", "Tante Joke"):
            assert http.post(url, json={"name": name}, headers=auth).status_code == 201
        r = http.post(url, json={"name": "Buurvrouw Ans"}, headers=auth)
        assert r.status_code == 409 and "vol" in r.json()["error"]


# Unit level -------------------------------------------------------------------------------------


def test_route_limits():
    assert body_limit("POST", "/api/meetings", 65_536) == 4096
    assert body_limit("POST", "/api/meetings/abc/consent", 65_536) == 8192
    assert body_limit("POST", "/api/meetings/abc/timer", 65_536) == 16_384
    assert body_limit("GET", "/j/abc", 65_536) == 65_536
    assert body_limit("POST", "/api/meetings/abc/consent", 1000) == 1000  # the overall cap
    assert all(limit <= 65_536 for _, _, limit in ROUTE_LIMITS)


async def _call(middleware: BodyLimit, headers: list, chunks: list[bytes]) -> tuple[list, int]:
    """Run the middleware on a POST /api/meetings; (messages sent, chunks read)."""
    sent, read = [], 0

    async def receive() -> dict:
        nonlocal read
        read += 1
        more = read < len(chunks)
        return {"type": "http.request", "body": chunks[read - 1], "more_body": more}

    async def send(message: dict) -> None:
        sent.append(message)

    scope = {"type": "http", "method": "POST", "path": "/api/meetings", "headers": headers}
    await middleware(scope, receive, send)
    return sent, read


async def _reads_everything(scope, receive, send) -> None:  # type: ignore[no-untyped-def]
    size, more = 0, True
    while more:
        message = await receive()
        size, more = size + len(message["body"]), message["more_body"]
    body = str(size).encode()
    await send({"type": "http.response.start", "status": 200, "headers": []})
    await send({"type": "http.response.body", "body": body})


async def test_body_limit_middleware():
    middleware = BodyLimit(_reads_everything, max_body_bytes=65_536)
    sent, read = await _call(middleware, [(b"content-length", b"300000000")], [b""])
    assert read == 0 and sent[0]["status"] == 413
    assert (b"connection", b"close") in sent[0]["headers"]
    assert "te groot" in json.loads(sent[1]["body"])["error"]
    sent, read = await _call(middleware, [], [b"x" * 1000] * 1000)  # chunked, 1 MB
    assert sent[0]["status"] == 413 and read == 5
    sent, read = await _call(middleware, [(b"content-length", b"3000")], [b"x" * 3000])
    assert sent[0]["status"] == 200 and sent[1]["body"] == b"3000"


def test_meeting_quota():
    now = [0.0]
    quota = MeetingQuota(per_hour=3, clock=lambda: now[0])
    assert [quota.take("10.0.0.7") for _ in range(3)] == [None, None, None]
    assert quota.take("10.0.0.7") == pytest.approx(1200)  # one comes back every 20 minutes
    assert quota.take("10.0.0.8") is None
    now[0] = 1200
    assert quota.take("10.0.0.7") is None and quota.take("10.0.0.7") > 0
    # One IPv6 /64 is one home: its addresses share an allowance.
    for i in range(3):
        assert quota.take(f"2001:db8:1:2::{i + 1}") is None
    assert quota.take("2001:db8:1:2:ffff::9") > 0 and quota.take("2001:db8:1:3::1") is None
    assert address_group("::ffff:10.0.0.7") == "10.0.0.7"


def test_meeting_quota_only_without_an_admin_key():
    class State:
        config = Config(meetings_per_hour=1)

    assert meeting_quota_error(State, "10.0.0.7") is None
    message, wait = meeting_quota_error(State, "10.0.0.7")
    assert "probeer het over 60 minuten" in message and wait == 3600
    State.config = Config(meetings_per_hour=1, admin_key="sleutel")
    assert meeting_quota_error(State, "10.0.0.7") is None


def test_settings_come_from_the_environment(monkeypatch):
    for name, value in {
        "MAX_BODY_BYTES": "2048",
        "MAX_HEADER_BYTES": "8192",
        "HEADER_TIMEOUT_SECONDS": "2.5",
        "BODY_TIMEOUT_SECONDS": "7",
        "MAX_HALF_OPEN_PER_ADDRESS": "8",
        "MEETINGS_PER_HOUR": "5",
        "MAX_PARTICIPANTS": "50",
    }.items():
        monkeypatch.setenv(f"NETWERKBORD_{name}", value)
    c = Config.from_env()
    assert (
        c.max_body_bytes,
        c.max_header_bytes,
        c.header_timeout_seconds,
        c.body_timeout_seconds,
        c.max_half_open_per_address,
        c.meetings_per_hour,
        c.max_participants,
    ) == (2048, 8192, 2.5, 7.0, 8, 5, 50)
    d = Config()
    assert (
        d.max_body_bytes,
        d.header_timeout_seconds,
        d.max_half_open_per_address,
        d.meetings_per_hour,
        d.max_participants,
    ) == (65_536, 10.0, 32, 20, 200)


# What httpprotocol.py builds on in uvicorn: these fail first when an upgrade changes it. -------


class FakeTransport(asyncio.Transport):
    def __init__(self, peer: tuple[str, int]) -> None:
        super().__init__()
        self.peer = peer
        self.written = bytearray()
        self.closed = asyncio.Event()
        self.wrote = asyncio.Event()

    def get_extra_info(self, name: str, default: object = None) -> object:
        return {"peername": self.peer, "sockname": ("127.0.0.1", 8000)}.get(name, default)

    def write(self, data: bytes) -> None:
        self.written += data
        self.wrote.set()

    def close(self) -> None:
        self.closed.set()

    def is_closing(self) -> bool:
        return self.closed.is_set()

    def pause_reading(self) -> None:
        pass

    def resume_reading(self) -> None:
        pass


async def _hello(scope, receive, send) -> None:  # type: ignore[no-untyped-def]
    await send(
        {"type": "http.response.start", "status": 200, "headers": [(b"content-length", b"5")]}
    )
    await send({"type": "http.response.body", "body": b"hallo"})


def _protocol(limits: HttpLimits, peer: str) -> tuple[LimitedHttpProtocol, FakeTransport]:
    config = uvicorn.Config(_hello, log_level="warning", lifespan="off")
    protocol = LimitedHttpProtocol(config, ServerState(), {}, limits=limits)
    transport = FakeTransport((peer, 40000))
    protocol.connection_made(transport)
    return protocol, transport


def test_uvicorn_still_has_what_httpprotocol_builds_on():
    check_uvicorn()
    # uvicorn's protocol sets none of the attributes ours adds.
    config = uvicorn.Config(_hello, log_level="warning", lifespan="off")
    plain = HttpToolsProtocol(config, ServerState(), {}, asyncio.new_event_loop())
    ours = {
        "limits",
        "event_loop",
        "socket",
        "address",
        "phase",
        "head_bytes",
        "half_open",
        "deadline",
    }
    assert not ours & (set(vars(plain)) | set(dir(HttpToolsProtocol)))
    plain.loop.close()


async def test_the_protocol_tracks_half_open_connections_and_deadlines():
    limits = HttpLimits(
        header_timeout=30, body_timeout=30, max_header_bytes=1000, half_open=HalfOpen(2)
    )
    (a, ta), (b, tb), (c, tc) = [_protocol(limits, "10.0.0.7") for _ in range(3)]
    assert ta.closed.is_set() and limits.half_open.count("10.0.0.7") == 2  # a: the oldest
    other, _ = _protocol(limits, "10.0.0.8")
    assert limits.half_open.count("10.0.0.8") == 1 and not tb.closed.is_set()
    # Headers in: out of the half-open count, no deadline; the app answers.
    b.data_received(b"GET / HTTP/1.1\r\nHost: netwerkbord\r\n\r\n")
    assert limits.half_open.count("10.0.0.7") == 1 and b.deadline is None
    while not tb.written.endswith(b"hallo"):
        tb.wrote.clear()
        await asyncio.wait_for(tb.wrote.wait(), 5)
    assert tb.written.startswith(b"HTTP/1.1 200") and not tb.closed.is_set()
    # Its next request starts a new deadline, and counts as half-open again.
    limits.header_timeout = 0.05
    b.data_received(b"GET / HTTP/1.1\r\nHo")
    assert b.deadline is not None and limits.half_open.count("10.0.0.7") == 2
    await asyncio.wait_for(tb.closed.wait(), 5)  # the deadline passed
    assert limits.half_open.count("10.0.0.7") == 1
    # Headers over the size limit: 431.
    c.data_received(b"GET / HTTP/1.1\r\nX-Opvulling: " + b"a" * 1000)
    assert tc.written.startswith(b"HTTP/1.1 431") and tc.closed.is_set()
    for protocol in (a, b, c, other):
        protocol.connection_lost(None)
    assert limits.half_open.waiting == {}


def test_http_protocol_takes_its_limits_from_the_app_config():
    class App:
        class state:
            config = Config(header_timeout_seconds=3, max_half_open_per_address=7)

    factory = http_protocol(App)
    assert factory.func is LimitedHttpProtocol
    limits = factory.keywords["limits"]
    assert limits.header_timeout == 3 and limits.half_open.per_address == 7
