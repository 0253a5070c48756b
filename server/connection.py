"""One device's WebSocket on one board, seen from the room: what it may do, and a bounded
queue of outgoing messages drained by its own task, so a slow device never holds up a room.
"""

import asyncio
import logging
from typing import Any, Protocol

from board.permissions import Access

from . import closecodes

log = logging.getLogger("netwerkbord.connection")


class Channel(Protocol):
    """The transport: rooms never see the web framework."""

    async def send(self, data: bytes) -> None: ...

    async def close(self, code: int, reason: str) -> None: ...


class _Close:
    def __init__(self, code: int, reason: str) -> None:
        self.code, self.reason = code, reason


class Connection:
    def __init__(self, channel: Channel, access: Access, principal: Any = None,
                 queue_size: int = 1024) -> None:
        self.channel = channel
        self.access = access
        self.principal = principal  # who is behind it (role, token hash); opaque to rooms
        self.client_ids: set[int] = set()  # awareness client ids this connection speaks for
        self.closed = False
        self.close_code: int | None = None
        self._queue: asyncio.Queue[bytes | _Close] = asyncio.Queue(maxsize=queue_size)

    @property
    def can_write(self) -> bool:
        return not self.closed and self.access >= Access.WRITE

    def send(self, data: bytes) -> None:
        """Queue a message; a device that cannot keep up is closed, never silently skipped."""
        if self.closed:
            return
        try:
            self._queue.put_nowait(data)
        except asyncio.QueueFull:
            self.shut(closecodes.TRY_AGAIN, "Te veel achterstand, opnieuw verbinden")

    def shut(self, code: int, reason: str) -> None:
        """Stop sending at once: drop what is queued and close with the given code.

        Synchronous on purpose: when the closed part starts, no message queued after this call
        can reach the device.
        """
        if self.closed:
            return
        self.closed = True
        self.close_code = code
        while not self._queue.empty():
            self._queue.get_nowait()
        self._queue.put_nowait(_Close(code, reason))

    async def run_sender(self) -> None:
        while True:
            item = await self._queue.get()
            try:
                if isinstance(item, _Close):
                    await self.channel.close(item.code, item.reason)
                    return
                await self.channel.send(item)
            except Exception as e:  # the peer went away; the receive loop will notice
                log.debug("send failed: %s", e)
                self.closed = True
                return
