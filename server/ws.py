"""The WebSocket endpoint /ws/{meeting_id}/{board_id}?token=… (y-websocket protocol).

Its rules are here: admit() decides who joins which room, Session applies the limits to each
message. Two front ends use them. On uvicorn (`netwerkbord serve`, the tests) the server
protocol in wsprotocol.py talks to them directly. On any other ASGI server, BoardSockets
does: plain ASGI, installed as the outermost middleware (see app.py) rather than as a route,
since the router and exception layers would wrap each send and receive of a connection that
lives for hours. HTTP requests and other paths go on to the application unchanged.
"""

import asyncio
import logging
import re
from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any
from urllib.parse import parse_qs

from starlette.requests import cookie_parser
from starlette.types import ASGIApp, Receive, Scope, Send

from board.boards import get_board
from board.permissions import Access
from board.roles import Role

from . import closecodes
from .bus import REDIS_LOST, elsewhere_of
from .config import Config
from .connection import Connection
from .devices import cookie_name, same_origin
from .limits import THROTTLED, AuthThrottle, TokenBucket, admission_error, client_address, too_big
from .rooms import Room
from .writer import StorageError

log = logging.getLogger("netwerkbord.ws")

PATH = re.compile(r"/ws/(?P<meeting_id>[^/]+)/(?P<board_id>[^/]+)")


class BoardSockets:
    """ASGI middleware: WebSockets on /ws/{meeting_id}/{board_id} are handled here.

    On uvicorn the server itself serves this endpoint with less overhead (wsprotocol.py); this
    is the same endpoint for any ASGI server, and the rules are the same: admit() and Session.
    """

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
        channel, state = _AsgiChannel(send), scope["app"].state
        try:
            elsewhere = await others_there(state, match["meeting_id"])
            room, conn = admit(
                state,
                client_address(scope),
                scope.get("query_string", b""),
                match["meeting_id"],
                match["board_id"],
                channel,
                {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]},
                elsewhere,
            )
        except Refused as refused:
            if isinstance(refused, WrongLink):
                refused = await wrong_link(state, client_address(scope))
            await channel.close(refused.code, refused.reason)
            return
        session = Session(state, room, conn)
        try:
            while (message := await receive())["type"] == "websocket.receive":
                session.receive(message.get("bytes"))  # None for a text message
        finally:
            session.end()
            await conn.stop_sender()


class _AsgiChannel:
    """The transport as rooms see it. It has no send_now: every message goes through the
    connection's queue and sender task (this front end serves ASGI servers other than
    uvicorn; `netwerkbord serve` uses wsprotocol.py)."""

    __slots__ = ("_send",)

    def __init__(self, send: Send) -> None:
        self._send = send

    def send(self, data: bytes) -> Any:
        return self._send({"type": "websocket.send", "bytes": data})

    async def close(self, code: int, reason: str) -> None:
        await self._send({"type": "websocket.close", "code": code, "reason": reason})


class Refused(Exception):
    def __init__(self, code: int, reason: str) -> None:
        self.code, self.reason = code, reason


WRONG_LINK = "Ongeldige of verlopen link"


class WrongLink(Refused):
    """A wrong link on one of several nodes: whether it is one too many depends on the
    tokens other nodes spent, so the answer (wrong_link) waits until this node has read them."""

    def __init__(self) -> None:
        super().__init__(closecodes.UNAUTHORIZED, WRONG_LINK)


def _throttled(throttle: AuthThrottle, address: str) -> Refused:
    """Only wrong links are slowed down; a valid one always gets in (limits.AuthThrottle)."""
    if throttle.refuse(address):
        return Refused(closecodes.RATE_LIMITED, THROTTLED)
    return Refused(closecodes.UNAUTHORIZED, WRONG_LINK)


async def wrong_link(state: Any, address: str) -> Refused:
    """The answer to a WrongLink: the other nodes' tokens read first (as an HTTP request
    waits for them, bus.CaughtUp), and the one spent here in Redis before the device hears
    it, so its next try on any node counts it."""
    bus = state.rooms.bus
    try:
        await bus.caught_up()
    except StorageError:
        return Refused(closecodes.TRY_AGAIN, REDIS_LOST)
    refused = _throttled(AuthThrottle.of(state), address)
    await bus.settled()
    return refused


async def others_there(state: Any, meeting_id: str) -> list[dict[str, Any]]:
    """With several nodes: the meeting's connections on the other nodes, read before admit()
    so that its limits per meeting count the whole service's (read, not reserved: devices
    joining on several nodes in the same milliseconds are counted without each other).
    Raises Refused when Redis cannot be reached (then admit() would refuse anyway)."""
    try:
        return await elsewhere_of(state.rooms, meeting_id)
    except StorageError:
        raise Refused(closecodes.TRY_AGAIN, REDIS_LOST) from None


def admit(
    state: Any,
    address: str,
    query_string: bytes,
    meeting_id: str,
    board_id: str,
    channel: Any,
    headers: Mapping[str, str] | None = None,
    elsewhere: Sequence[Mapping[str, Any]] = (),
) -> tuple[Room, Connection]:
    """Check the credential and the limits and join the room, or raise Refused with the
    close code and reason. `channel` is what the Connection sends through (see
    connection.py). The credential is `?token=` (a role link or a device key), or else the
    browser's device cookie, from one of our own pages only (`headers`: the handshake's,
    names in lower case). `?as=scherm`: the facilitator's or the TV's device shows the TV's
    view, with the TV's rights. `elsewhere`: with several nodes, the meeting's connections
    on the others (`others_there`), for the limits per meeting.

    Synchronous from deciding access to joining: the closed part cannot start in between.
    """
    meetings, rooms, config = state.meetings, state.rooms, state.config
    throttle = AuthThrottle.of(state)
    if get_board(board_id) is None:
        raise Refused(closecodes.NOT_FOUND, "Onbekend bord")
    query = parse_qs(query_string.decode("latin-1"))
    token = query.get("token", [None])[0]
    if token is not None:
        principal = meetings.authenticate(token, meeting_id, query.get("device", [""])[0])
    else:
        headers = headers or {}
        key = cookie_parser(headers.get("cookie", "")).get(cookie_name(meeting_id))
        principal = None
        if key and same_origin(headers, https=config.https_only):
            principal = meetings.device_principal(key, meeting_id)
    if principal is not None and query.get("as") == ["scherm"]:
        if principal.role not in (Role.FACILITATOR, Role.SCHERM):
            raise Refused(closecodes.FORBIDDEN, "Alleen de gespreksleider opent het scherm")
        principal = replace(principal, role=Role.SCHERM)
    if principal is None:
        raise WrongLink() if rooms.bus is not None else _throttled(throttle, address)
    access = meetings.access(principal, board_id)
    if access is Access.NONE:
        raise Refused(closecodes.FORBIDDEN, "Dit bord is nu niet zichtbaar")
    if rooms.bus is not None and not rooms.bus.healthy:  # (server/bus.py: no order, no entry)
        raise Refused(closecodes.TRY_AGAIN, REDIS_LOST)
    refused = admission_error(rooms, config, meeting_id, board_id, elsewhere)
    if refused:
        raise Refused(closecodes.FULL, refused)
    room = rooms.get(meeting_id, board_id)
    conn = Connection(
        channel, access, principal, config.send_queue_size, config.max_send_queue_bytes
    )
    conn.direct = True
    room.join(conn)
    return room, conn


class Session:
    """One admitted device on one board: the limits on what it sends, and its idle timer.

    The idle timer runs once per period, not once per message: a message only records the
    time. end() must be called when the connection is gone.
    """

    __slots__ = (
        "room",
        "conn",
        "rooms",
        "limit",
        "bucket",
        "loop",
        "idle_seconds",
        "last",
        "timer",
    )

    def __init__(self, state: Any, room: Room, conn: Connection) -> None:
        config: Config = state.config
        self.room, self.conn, self.rooms = room, conn, state.rooms
        self.limit = config.max_message_bytes
        self.loop = asyncio.get_running_loop()
        self.last = self.loop.time()
        self.bucket = TokenBucket(config.max_messages_per_second, config.message_burst, self.last)
        self.idle_seconds = config.idle_timeout_seconds
        self.timer = self.loop.call_later(self.idle_seconds, self._check_idle)

    def receive(self, data: bytes | None) -> None:
        """One message from the device (None: a text message)."""
        conn = self.conn
        if conn.closed:
            return  # closing; wait for the peer's disconnect
        now = self.last = self.loop.time()
        if data is None:
            conn.shut(closecodes.UNSUPPORTED_DATA, "Alleen binaire berichten")
        elif len(data) > self.limit:
            conn.shut(closecodes.TOO_BIG, too_big(self.limit))
        elif not self.bucket.take(now):
            conn.shut(closecodes.RATE_LIMITED, "Te veel berichten per seconde; even wachten")
        else:
            self.room.receive_safely(conn, data)

    def _check_idle(self) -> None:
        quiet = self.loop.time() - self.last
        if quiet >= self.idle_seconds:
            self.conn.shut(closecodes.IDLE, "Te lang geen bericht ontvangen; opnieuw verbinden")
        else:
            self.timer = self.loop.call_later(self.idle_seconds - quiet, self._check_idle)

    def end(self) -> None:
        self.timer.cancel()
        self.room.leave(self.conn)
        self.rooms.release(self.room)
