"""The WebSocket endpoint /ws/{meeting_id}/{board_id}?token=… (y-websocket protocol)."""

import asyncio
import logging

from starlette.websockets import WebSocket

from board.boards import get_board
from board.permissions import Access

from . import closecodes
from .config import Config
from .connection import Connection
from .limits import THROTTLED, AuthThrottle, TokenBucket, admission_error, client_address
from .rooms import Room
from .store import StorageError
from .sync import ProtocolError

log = logging.getLogger("netwerkbord.ws")


class _StarletteChannel:
    def __init__(self, websocket: WebSocket) -> None:
        self.websocket = websocket

    async def send(self, data: bytes) -> None:
        await self.websocket.send_bytes(data)

    async def close(self, code: int, reason: str) -> None:
        await self.websocket.close(code, reason)


async def board_socket(websocket: WebSocket) -> None:
    state = websocket.app.state
    meetings, rooms, config = state.meetings, state.rooms, state.config
    meeting_id = websocket.path_params["meeting_id"]
    board_id = websocket.path_params["board_id"]
    # Accept first: a close code can only be sent on an open WebSocket.
    await websocket.accept()
    throttle, address = AuthThrottle.of(state), client_address(websocket.scope)
    if throttle.blocked(address):
        await websocket.close(closecodes.RATE_LIMITED, THROTTLED)
        return
    if get_board(board_id) is None:
        await websocket.close(closecodes.NOT_FOUND, "Onbekend bord")
        return
    device = websocket.query_params.get("device", "")[:64]
    principal = meetings.authenticate(websocket.query_params.get("token"), meeting_id, device)
    if principal is None:
        throttle.failed(address)
        await websocket.close(closecodes.UNAUTHORIZED, "Ongeldige of verlopen link")
        return
    # No await between deciding access and joining: the closed part cannot start in between.
    access = meetings.access(principal, board_id)
    if access is Access.NONE:
        await websocket.close(closecodes.FORBIDDEN, "Dit bord is nu niet zichtbaar")
        return
    refused = admission_error(rooms, config, meeting_id, board_id)
    if refused:
        await websocket.close(closecodes.FULL, refused)
        return
    room = rooms.get(meeting_id, board_id)
    conn = Connection(_StarletteChannel(websocket), access, principal, config.send_queue_size,
                      config.max_send_queue_bytes)
    conn.direct = True
    room.join(conn)
    sender = asyncio.create_task(conn.run_sender())
    watchdog = _IdleWatchdog(conn, config.idle_timeout_seconds)
    try:
        await _receive_loop(websocket, room, conn, config, watchdog)
    finally:
        watchdog.stop()
        room.leave(conn)
        rooms.release(room)
        if not conn.closed:
            sender.cancel()
        try:
            await asyncio.wait_for(sender, timeout=5)
        except (asyncio.CancelledError, asyncio.TimeoutError, Exception):
            pass


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


async def _receive_loop(websocket: WebSocket, room: Room, conn: Connection, config: Config,
                        watchdog: _IdleWatchdog) -> None:
    limit = config.max_message_bytes
    loop = asyncio.get_running_loop()
    bucket = TokenBucket(config.max_messages_per_second, config.message_burst, loop.time())
    while True:
        message = await websocket.receive()
        if message["type"] == "websocket.disconnect":
            return
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
            except StorageError:
                log.exception("storing an update for %s/%s failed", *room.key)
                conn.shut(closecodes.INTERNAL_ERROR, "Opslaan mislukt, probeer het opnieuw")
            except (asyncio.CancelledError, KeyboardInterrupt, SystemExit):
                raise
            except BaseException:  # also a Rust panic in pycrdt (pyo3's PanicException)
                log.exception("unexpected error on %s/%s", *room.key)
                conn.shut(closecodes.INTERNAL_ERROR, "Interne fout")
