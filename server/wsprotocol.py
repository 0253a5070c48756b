"""The board WebSocket as a uvicorn protocol: lean enough for thousands of devices.

Each device keeps its WebSocket open for hours, and a room sends each update to every other
device on the board. Through ASGI every connection is a task with a chain of coroutines,
every message a dict passed through awaits, and uvicorn's own WebSocket protocol keeps a
`websockets` parser and the handshake per connection: twice the memory per idle device of
the reference Yjs server, and most of the CPU of a busy server.

So uvicorn hands the socket to this protocol after its HTTP parser has seen the upgrade
request (what that relies on in uvicorn is in uvicornhooks.py), and the protocol talks to the
room itself: a received frame goes to ws.Session in the same call, and a room's send writes
one frame on the socket (`send_now`). No task, no queue, no dict. Only a device that cannot
keep up gets a sender task (see connection.py). The framing is wsframes.py: the `websockets`
library's Sans-I/O protocol was measured in its place and costs capacity (bench/SERVER.md,
"websockets Sans-I/O: measured").

The endpoint, its close codes and its rules are the same as ws.BoardSockets (plain ASGI, for
any other server). uvicorn serves no other WebSocket path through this class: those get 404,
as the app has none. There are no server pings: devices send awareness every 15 seconds, and
one that sends nothing for Config.idle_timeout_seconds is closed (ws.Session).
"""

import asyncio
import functools
import logging
from collections.abc import Callable, Mapping, Sequence
from typing import Any
from urllib.parse import unquote

from . import closecodes
from .httpprotocol import http_protocol
from .uvicornhooks import forwarded_client, open_connections
from .ws import PATH, Refused, Session, WrongLink, admit, others_there, wrong_link
from .wsframes import (
    BINARY,
    CLOSE,
    PING,
    TEXT,
    FrameError,
    FrameReader,
    accept_key,
    binary_frame,
    close_frame,
    parse_close,
    pong_frame,
)

log = logging.getLogger("netwerkbord.ws")

CLOSE_TIMEOUT = 5.0  # seconds to wait for the device to answer our close frame
RESTART = 1012  # the server is going down; the device reconnects
# devices waiting for their admission (several nodes) or a wrong link for its answer (WrongLink)
_ANSWERING: set[asyncio.Task[None]] = set()


class BoardProtocol(asyncio.Protocol):
    """One device's WebSocket, from the upgrade request on. It is also the channel the
    device's Connection sends through: send_now(), send() and close()."""

    __slots__ = (
        "app",
        "uvicorn",
        "connections",
        "loop",
        "transport",
        "reader",
        "session",
        "closing",
        "_waiters",
        "_close_timer",
    )

    def __init__(
        self,
        config: Any,
        server_state: Any,
        app_state: Any,
        _loop: asyncio.AbstractEventLoop | None = None,
        *,
        app: Any,
    ) -> None:
        self.app, self.uvicorn = app, config
        self.connections = open_connections(server_state)  # uvicorn shuts these down on exit
        self.loop = _loop or asyncio.get_running_loop()
        self.transport: asyncio.Transport = None  # type: ignore[assignment]
        self.reader: FrameReader | None = None  # set once the handshake is answered
        self.session: Session | None = None  # set once the device is admitted
        self.closing = False  # our close frame is sent, the handshake refused, or the socket gone
        # None while the socket takes writes; while its buffer is full, the send() calls
        # waiting for it to drain (uvicorn's pause_writing/resume_writing)
        self._waiters: list[asyncio.Future[None]] | None = None
        self._close_timer: asyncio.TimerHandle | None = None

    # asyncio callbacks

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]
        self.connections.add(self)

    def data_received(self, data: bytes) -> None:
        if self.reader is None:
            if not self.closing:
                self._handshake(data)
            return
        reader = self.reader
        for opcode, payload in reader.feed(data):
            if opcode == BINARY or opcode == TEXT:
                if self.session is not None and not self.closing:
                    self.session.receive(payload if opcode == BINARY else None)
            elif opcode == PING:
                if not self.closing:
                    self.transport.write(pong_frame(payload))
            elif opcode == CLOSE:
                self._peer_closed(payload)
                return
            # PONG: nothing to do (we send no pings)
        if reader.error is not None:
            code, reason = reader.error.code, reader.error.reason
            if self.session is not None:
                self.session.conn.shut(code, reason)  # nothing more goes to the device
            self._close(code, reason)  # now, not after the sender task: write_eof follows
            if code != closecodes.TOO_BIG:
                # Nothing more can be read, so no answer to our close frame: hang up our
                # side once it is sent; the device then hangs up too.
                self.transport.write_eof()

    def pause_writing(self) -> None:
        if self._waiters is None:
            self._waiters = []

    def resume_writing(self) -> None:
        self._wake()

    def connection_lost(self, exc: Exception | None) -> None:
        self.closing = True
        self.connections.discard(self)
        if self._close_timer is not None:
            self._close_timer.cancel()
        self._wake()
        if self.session is not None:
            self.session.conn.closed = True  # a sender task still running ends at once
            self.session.end()
            self.session = None

    def shutdown(self) -> None:
        """uvicorn is stopping: tell the device to come back later."""
        if self.reader is not None:
            self._close(RESTART, "De server start opnieuw op")
        self.transport.close()

    # The channel a Connection sends through

    def send_now(self, data: bytes) -> bool:
        """Write one binary message now, or return False when the socket's buffer is full
        (then send() waits) or the socket is closing (then send() fails)."""
        if self._waiters is not None or self.closing:
            return False
        self.transport.write(binary_frame(data))
        return True

    async def send(self, data: bytes) -> None:
        while self._waiters is not None:  # (connection_lost wakes them too)
            waiter = self.loop.create_future()
            self._waiters.append(waiter)
            await waiter
        if self.closing:
            raise ConnectionError("WebSocket is closing")
        self.transport.write(binary_frame(data))

    async def close(self, code: int, reason: str) -> None:
        self._close(code, reason)

    # Handshake and closing

    def _handshake(self, request: bytes) -> None:
        """Answer the upgrade request (as uvicorn's HTTP parser passed it on), then admit."""
        head, _, rest = request.partition(b"\r\n\r\n")
        lines = head.split(b"\r\n")
        target = lines[0].split(b" ")[1] if lines[0].count(b" ") == 2 else b""
        headers = {}
        for line in lines[1:]:
            name, _, value = line.partition(b":")
            headers[name.strip().lower()] = value.strip()
        raw_path, _, query = target.partition(b"?")
        match = PATH.fullmatch(unquote(raw_path.decode("latin-1")))
        if match is None:
            return self._refuse_http(b"404 Not Found", "Onbekend adres")
        if headers.get(b"sec-websocket-version") != b"13":
            return self._refuse_http(
                b"426 Upgrade Required",
                "Alleen WebSocket versie 13",
                b"Sec-WebSocket-Version: 13\r\n",
            )
        accept = accept_key(headers.get(b"sec-websocket-key", b""))
        if accept is None:
            return self._refuse_http(b"400 Bad Request", "Ongeldige WebSocket-aanvraag")
        self.transport.write(
            b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
            b"Connection: Upgrade\r\nSec-WebSocket-Accept: " + accept + b"\r\n\r\n"
        )
        state, address = self.app.state, self._client_address(headers)
        self.reader = FrameReader(state.config.max_message_bytes)
        meeting_id, board_id = match["meeting_id"], match["board_id"]
        join = functools.partial(
            self._admit,
            state,
            address,
            (query, meeting_id, board_id),
            match[0],
            {k.decode("latin-1"): v.decode("latin-1") for k, v in headers.items()},
        )
        if state.rooms.bus is None:
            join(())
            if rest:
                self.data_received(rest)
        else:  # first the meeting's connections on the other nodes, for its limits
            self.transport.pause_reading()
            refuse = functools.partial(self._refused, address, match[0])
            waiting = self._admit_later(state, meeting_id, join, refuse, rest)
            task = self.loop.create_task(waiting)
            _ANSWERING.add(task)
            task.add_done_callback(_ANSWERING.discard)

    async def _admit_later(
        self,
        state: Any,
        meeting_id: str,
        join: Callable[[Sequence[Mapping[str, Any]]], None],
        refuse: Callable[[Refused], None],
        rest: bytes,
    ) -> None:
        """admit() once the meeting's connections on the other nodes are read; the socket is
        not read meanwhile (`rest`: what came with the upgrade request)."""
        try:
            elsewhere = await others_there(state, meeting_id)
        except Refused as refused:
            refuse(refused)
        except Exception:  # (never left paused: no idle timer runs before admission)
            log.exception("admitting a device failed")
            self._close(closecodes.INTERNAL_ERROR, "Het bord kan nu niet geopend worden")
        else:
            if self.closing:  # gone meanwhile
                return
            join(elsewhere)
        self.transport.resume_reading()  # (also for the device's answer to our close frame)
        if rest:  # (uvicorn hands the upgrade request on alone: in practice empty)
            self.data_received(rest)

    def _admit(
        self,
        state: Any,
        address: str,
        target: tuple[bytes, str, str],
        path: str,
        headers: dict[str, str],
        elsewhere: Sequence[Mapping[str, Any]],
    ) -> None:
        query, meeting_id, board_id = target
        try:  # like BoardSockets: accept first, as a close code needs an open WebSocket
            room, conn = admit(
                state, address, query, meeting_id, board_id, self, headers, elsewhere
            )
        except WrongLink:  # (several nodes: answered once the others' count is read)
            task = self.loop.create_task(self._refuse_wrong_link(state, address, path))
            _ANSWERING.add(task)
            task.add_done_callback(_ANSWERING.discard)
        except Refused as refused:
            self._refused(address, path, refused)
        except Exception:  # e.g. the board cannot be read from disk
            log.exception('%s - "WebSocket %s" failed', address, path)
            self._close(closecodes.INTERNAL_ERROR, "Het bord kan nu niet geopend worden")
        else:
            log.info('%s - "WebSocket %s" accepted', address, path)  # no query: no token
            self.session = Session(state, room, conn)

    def _refused(self, address: str, path: str, refused: Refused) -> None:
        log.info('%s - "WebSocket %s" refused %d', address, path, refused.code)
        self._close(refused.code, refused.reason)

    async def _refuse_wrong_link(self, state: Any, address: str, path: str) -> None:
        self._refused(address, path, await wrong_link(state, address))

    def _client_address(self, headers: dict[bytes, bytes]) -> str:
        """The device's address for the invalid-link throttle; behind a trusted proxy, the
        address it forwards (as uvicorn's proxy headers middleware does for HTTP)."""
        peer = self.transport.get_extra_info("peername")
        host = str(peer[0]) if peer else "?"
        forwarded = headers.get(b"x-forwarded-for")
        if forwarded:
            return forwarded_client(self.uvicorn, host, forwarded.decode("latin-1"))
        return host

    def _refuse_http(self, status: bytes, text: str, extra: bytes = b"") -> None:
        body = text.encode()
        self.closing = True
        self.transport.write(
            b"HTTP/1.1 " + status + b"\r\nContent-Type: text/plain; "
            b"charset=utf-8\r\nContent-Length: "
            + str(len(body)).encode()
            + b"\r\nConnection: close\r\n"
            + extra
            + b"\r\n"
            + body
        )
        self.transport.close()

    def _close(self, code: int, reason: str) -> None:
        """Send our close frame; the device answers with its own, then we hang up."""
        if self.closing:
            return
        self.closing = True
        self.transport.write(close_frame(code, reason))
        self._close_timer = self.loop.call_later(CLOSE_TIMEOUT, self.transport.close)

    def _peer_closed(self, payload: bytes) -> None:
        if not self.closing:
            try:
                code, _ = parse_close(payload)
            except FrameError as e:
                code = e.code
            self.closing = True
            self.transport.write(close_frame(code))  # the echo the RFC asks for
        self.transport.close()

    def _wake(self) -> None:
        waiters, self._waiters = self._waiters, None
        for waiter in waiters or ():
            if not waiter.done():
                waiter.set_result(None)


def uvicorn_options(app: Any) -> dict[str, Any]:
    """The protocols for uvicorn.Config (the server and the tests use the same): HTTP with
    its deadlines and limits (httpprotocol.py), and this board WebSocket."""
    return {"http": http_protocol(app), "ws": functools.partial(BoardProtocol, app=app)}
