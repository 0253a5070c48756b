"""The WebSocket endpoint /ws/{meeting_id}/{board_id}?token=… (y-websocket protocol).

It is plain ASGI, installed as the outermost middleware (see app.py) rather than as a route:
every message of every device passes here, and the router and exception layers would wrap
each send and each receive of a connection that lives for hours. HTTP requests and other
paths go on to the application unchanged.
"""

import asyncio
import logging
import re
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qs

from starlette.types import ASGIApp, Receive, Scope, Send

from board.boards import get_board
from board.permissions import Access

from . import closecodes
from .config import Config
from .connection import Connection
from .limits import THROTTLED, AuthThrottle, TokenBucket, admission_error, client_address
from .rooms import Room
from .sync import ProtocolError
from .wsprotocol import SEND_NOW

log = logging.getLogger("netwerkbord.ws")

PATH = re.compile(r"/ws/(?P<meeting_id>[^/]+)/(?P<board_id>[^/]+)")


class BoardSockets:
    """ASGI middleware: WebSockets on /ws/{meeting_id}/{board_id} are handled here."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        match = PATH.fullmatch(scope["path"]) if scope["type"] == "websocket" else None
        if match is None:
            await self.app(scope, receive, send)
            return
        if (await receive())["type"] != "websocket.connect":
            return
        # Accept first: a close code can only be sent on an open WebSocket.
        await send({"type": "websocket.accept"})
        channel = _AsgiChannel(send, scope.get("extensions", {}).get(SEND_NOW))
        try:
            room, conn = _admit(scope, match["meeting_id"], match["board_id"], channel)
        except _Refused as refused:
            await channel.close(refused.code, refused.reason)
            return
        await _serve(scope["app"].state, receive, room, conn)


class _AsgiChannel:
    """The transport as rooms see it. send() hands back the ASGI send's own awaitable (no
    extra coroutine per message), which Connection may drive itself; send_now() writes at
    once when the server offers that (see wsprotocol.py) and the socket takes it."""

    __slots__ = ("_send", "send_now")

    def __init__(self, send: Send, send_now: Callable[[bytes], bool] | None) -> None:
        self._send = send
        self.send_now = send_now  # None: the server does not offer it

    def send(self, data: bytes) -> Any:
        return self._send({"type": "websocket.send", "bytes": data})

    async def close(self, code: int, reason: str) -> None:
        await self._send({"type": "websocket.close", "code": code, "reason": reason})


class _Refused(Exception):
    def __init__(self, code: int, reason: str) -> None:
        self.code, self.reason = code, reason


def _admit(scope: Scope, meeting_id: str, board_id: str,
           channel: _AsgiChannel) -> tuple[Room, Connection]:
    """Check the link and the limits and join the room, or raise _Refused with the close
    code and reason.

    Synchronous from deciding access to joining: the closed part cannot start in between.
    """
    state = scope["app"].state
    meetings, rooms, config = state.meetings, state.rooms, state.config
    throttle, address = AuthThrottle.of(state), client_address(scope)
    if throttle.blocked(address):
        raise _Refused(closecodes.RATE_LIMITED, THROTTLED)
    if get_board(board_id) is None:
        raise _Refused(closecodes.NOT_FOUND, "Onbekend bord")
    query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
    device = query.get("device", [""])[0][:64]
    principal = meetings.authenticate(query.get("token", [None])[0], meeting_id, device)
    if principal is None:
        throttle.failed(address)
        raise _Refused(closecodes.UNAUTHORIZED, "Ongeldige of verlopen link")
    access = meetings.access(principal, board_id)
    if access is Access.NONE:
        raise _Refused(closecodes.FORBIDDEN, "Dit bord is nu niet zichtbaar")
    refused = admission_error(rooms, config, meeting_id, board_id)
    if refused:
        raise _Refused(closecodes.FULL, refused)
    room = rooms.get(meeting_id, board_id)
    conn = Connection(channel, access, principal, config.send_queue_size,
                      config.max_send_queue_bytes)
    conn.direct = True
    room.join(conn)
    return room, conn


async def _serve(state: Any, receive: Receive, room: Room, conn: Connection) -> None:
    config: Config = state.config
    watchdog = _IdleWatchdog(conn, config.idle_timeout_seconds)
    try:
        await _receive_loop(receive, room, conn, config, watchdog)
    finally:
        watchdog.stop()
        room.leave(conn)
        state.rooms.release(room)
        await conn.stop_sender()


class _IdleWatchdog:
    """Closes a connection that sent nothing for `seconds`. One timer per period, not one per
    message: each message only records the time."""

    def __init__(self, conn: Connection, seconds: float) -> None:
        self.conn, self.seconds = conn, seconds
        self.loop = asyncio.get_running_loop()
        self.last = self.loop.time()
        self.timer = self.loop.call_later(seconds, self._check)

    def _check(self) -> None:
        quiet = self.loop.time() - self.last
        if quiet >= self.seconds:
            self.conn.shut(closecodes.IDLE, "Te lang geen bericht ontvangen; opnieuw verbinden")
        else:
            self.timer = self.loop.call_later(self.seconds - quiet, self._check)

    def stop(self) -> None:
        self.timer.cancel()


async def _receive_loop(receive: Receive, room: Room, conn: Connection, config: Config,
                        watchdog: _IdleWatchdog) -> None:
    limit = config.max_message_bytes
    loop = asyncio.get_running_loop()
    bucket = TokenBucket(config.max_messages_per_second, config.message_burst, loop.time())
    while True:
        message = await receive()
        if message["type"] != "websocket.receive":
            return  # websocket.disconnect
        if conn.closed:
            continue  # closing; wait for the peer's disconnect
        now = watchdog.last = loop.time()
        data = message.get("bytes")
        if data is None:
            conn.shut(closecodes.UNSUPPORTED_DATA, "Alleen binaire berichten")
        elif len(data) > limit:
            conn.shut(closecodes.TOO_BIG, f"Bericht groter dan {limit} bytes")
        elif not bucket.take(now):
            conn.shut(closecodes.RATE_LIMITED, "Te veel berichten per seconde; even wachten")
        else:
            try:
                room.receive(conn, data)
            except ProtocolError as e:
                conn.shut(closecodes.PROTOCOL_ERROR, f"Ongeldig bericht: {e}")
            except (asyncio.CancelledError, KeyboardInterrupt, SystemExit):
                raise
            except BaseException:  # also a Rust panic in pycrdt (pyo3's PanicException)
                log.exception("unexpected error on %s/%s", *room.key)
                conn.shut(closecodes.INTERNAL_ERROR, "Interne fout")
