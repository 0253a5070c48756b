"""Devices on a room without a network: a Channel that records what the room sent it, so
tests look at what a device received instead of into the connection's send queue."""

import asyncio
from typing import Any

from board.permissions import Access
from server.connection import Connection
from server.sync import AwarenessEntry, AwarenessMessage, SyncMessage, parse_message


class RecordingChannel:
    """A device that keeps up: every message is taken at once (`send_now`), and kept in
    `sent`, in order; `close_code` and `close_reason` say how it was closed."""

    def __init__(self) -> None:
        self.sent: list[bytes] = []
        self.close_code: int | None = None
        self.close_reason = ""
        self._closed = asyncio.Event()

    def send_now(self, data: bytes) -> bool:
        self.sent.append(data)
        return True

    async def send(self, data: bytes) -> None:
        self.sent.append(data)

    async def close(self, code: int, reason: str) -> None:
        self.close_code, self.close_reason = code, reason
        self._closed.set()

    def take(self) -> list[bytes]:
        """What was sent since the last take()."""
        out, self.sent = self.sent, []
        return out

    async def closed(self, timeout: float = 5.0) -> tuple[int | None, str]:
        """Wait for the close (a close goes out through the connection's sender task)."""
        await asyncio.wait_for(self._closed.wait(), timeout)
        return self.close_code, self.close_reason


def device(
    room: Any, access: Access = Access.WRITE, principal: Any = None, **queue: int
) -> Connection:
    """A connection sending straight to a RecordingChannel (as ws.py's do), joined to `room`."""
    conn = Connection(RecordingChannel(), access, principal, **queue)
    conn.direct = True
    room.join(conn)
    return conn


def received(conn: Connection) -> list[bytes]:
    """What `conn` was sent since the last look (its channel must be a RecordingChannel)."""
    return conn.channel.take()


def updates(frames: list[bytes]) -> list[bytes]:
    """The document updates among `frames` (sync step 2 and update messages)."""
    messages = [parse_message(f) for f in frames]
    return [m.payload for m in messages if isinstance(m, SyncMessage) and m.kind != 0]


def presence(frames: list[bytes]) -> list[list[AwarenessEntry]]:
    """The awareness messages among `frames`, each as its entries."""
    messages = [parse_message(f) for f in frames]
    return [list(m.entries) for m in messages if isinstance(m, AwarenessMessage)]
