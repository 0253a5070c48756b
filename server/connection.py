"""One device's WebSocket on one board, seen from the room: what it may do, and a bounded
queue of outgoing messages drained by its own task, so a slow device never holds up a room.
"""

import asyncio
import logging
from collections import deque
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


class SendQueue:
    """A FIFO bounded in messages and in bytes, with one waiting consumer.

    Lighter than asyncio.Queue (no futures unless the consumer waits), which matters when a
    room fans one update out to hundreds of devices.
    """

    def __init__(self, max_items: int, max_bytes: int) -> None:
        self.max_items, self.max_bytes = max_items, max_bytes
        self.bytes = 0
        self._items: deque[bytes | _Close] = deque()
        self._waiter: asyncio.Future[None] | None = None

    def put(self, item: bytes | _Close) -> bool:
        """Append; False (and nothing appended) when that would pass a bound."""
        size = len(item) if isinstance(item, bytes) else 0
        # One message always fits in an empty queue: a big first sync is not falling behind.
        full = len(self._items) >= self.max_items or self.bytes + size > self.max_bytes
        if full and self._items:
            return False
        self._items.append(item)
        self.bytes += size
        if self._waiter is not None and not self._waiter.done():
            self._waiter.set_result(None)
        return True

    def clear(self) -> None:
        self._items.clear()
        self.bytes = 0

    def empty(self) -> bool:
        return not self._items

    def get_nowait(self) -> bytes | _Close:
        item = self._items.popleft()
        if isinstance(item, bytes):
            self.bytes -= len(item)
        return item

    async def get(self) -> bytes | _Close:
        while not self._items:
            self._waiter = asyncio.get_running_loop().create_future()
            try:
                await self._waiter
            finally:
                self._waiter = None
        return self.get_nowait()


class Connection:
    def __init__(self, channel: Channel, access: Access, principal: Any = None,
                 queue_size: int = 1024, queue_bytes: int = 16_777_216) -> None:
        self.channel = channel
        self.access = access
        self.principal = principal  # who is behind it (role, token hash); opaque to rooms
        self.client_ids: set[int] = set()  # awareness client ids this connection speaks for
        self.closed = False
        self.close_code: int | None = None
        self._queue = SendQueue(queue_size, queue_bytes)

    @property
    def can_write(self) -> bool:
        return not self.closed and self.access >= Access.WRITE

    def send(self, data: bytes) -> None:
        """Queue a message; a device that cannot keep up is closed, never silently skipped."""
        if self.closed:
            return
        if not self._queue.put(data):
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
        self._queue.clear()
        self._queue.put(_Close(code, reason))

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
