"""One device's WebSocket on one board, seen from the room: what it may do, and a bounded
queue of outgoing messages, so a slow device never holds up a room.

A message is normally written to the socket right away (the channel's send_now). Only when
the socket cannot take it (the device is slow), or the channel has no send_now (plain ASGI),
is it queued, and a task drains the queue while something waits in it: most devices never
need one, which saves memory with thousands of connections.
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

    # Optional: write at once without waiting, or return False (then send() is used).
    # send_now(data: bytes) -> bool

    async def close(self, code: int, reason: str) -> None: ...


class _Close:
    def __init__(self, code: int, reason: str) -> None:
        self.code, self.reason = code, reason


class SendQueue:
    """A FIFO bounded in messages and in bytes, with one waiting consumer.

    Lighter than asyncio.Queue (no futures unless the consumer waits, no deque unless
    something waits in it), which matters with thousands of devices that are nearly always
    sent to at once.
    """

    __slots__ = ("max_items", "max_bytes", "bytes", "_items", "_waiter")

    def __init__(self, max_items: int, max_bytes: int) -> None:
        self.max_items, self.max_bytes = max_items, max_bytes
        self.bytes = 0
        self._items: deque[bytes | _Close] | tuple[()] = ()
        self._waiter: asyncio.Future[None] | None = None

    def put(self, item: bytes | _Close) -> bool:
        """Append; False (and nothing appended) when that would pass a bound."""
        size = len(item) if isinstance(item, bytes) else 0
        # One message always fits in an empty queue: a big first sync is not falling behind.
        full = len(self._items) >= self.max_items or self.bytes + size > self.max_bytes
        if full and self._items:
            return False
        if not self._items:
            self._items = deque()
        self._items.append(item)  # type: ignore[union-attr]  # a deque since the line above
        self.bytes += size
        if self._waiter is not None and not self._waiter.done():
            self._waiter.set_result(None)
        return True

    def clear(self) -> None:
        self._items = ()
        self.bytes = 0

    def empty(self) -> bool:
        return not self._items

    def get_nowait(self) -> bytes | _Close:
        item = self._items.popleft()  # type: ignore[union-attr]  # not empty: a deque
        if not self._items:
            self._items = ()
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
    __slots__ = (
        "channel",
        "_write_now",
        "access",
        "principal",
        "client_ids",
        "closed",
        "close_code",
        "refused_writes",
        "_queue",
        "_sending",
        "direct",
        "_sender",
        "__weakref__",
    )

    def __init__(
        self,
        channel: Channel,
        access: Access,
        principal: Any = None,
        queue_size: int = 1024,
        queue_bytes: int = 16_777_216,
    ) -> None:
        self.channel = channel
        self._write_now = getattr(channel, "send_now", None)
        self.access = access
        self.principal = principal  # who is behind it (role, token hash); opaque to rooms
        self.client_ids: set[int] = set()  # awareness client ids this connection speaks for
        self.closed = False
        self.close_code: int | None = None
        self.refused_writes = False  # a write came while it could only read (see Room)
        self._queue = SendQueue(queue_size, queue_bytes)
        self._sending = False  # the sender task is in the middle of a send
        # Send at once when the channel can (send_now), else start a sender task while there
        # is something queued (ws.py). Without it the owner runs run_sender() itself, or only
        # looks at the queue (tests).
        self.direct = False
        self._sender: asyncio.Task[None] | None = None

    @property
    def can_write(self) -> bool:
        return not self.closed and self.access >= Access.WRITE

    def send(self, data: bytes) -> None:
        """Queue a message; a device that cannot keep up is closed, never silently skipped."""
        if self.closed:
            return
        if (
            self.direct
            and self._write_now is not None
            and not self._sending
            and self._queue.empty()
            and self._write_now(data)
        ):
            return  # the socket took it
        if not self._queue.put(data):
            self.shut(closecodes.TRY_AGAIN, "Te veel achterstand, opnieuw verbinden")
        else:
            self._ensure_sender()

    def _ensure_sender(self) -> None:
        if self.direct and self._sender is None:
            self._sender = asyncio.get_running_loop().create_task(self.run_sender())

    async def stop_sender(self) -> None:
        """When the device has gone: let a close that is on its way go out, drop the rest."""
        task = self._sender
        if task is None:
            return
        if not self.closed:
            task.cancel()
        try:
            await asyncio.wait_for(task, timeout=5)
        except (TimeoutError, asyncio.CancelledError, Exception):
            pass

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
        self._ensure_sender()

    async def run_sender(self) -> None:
        try:
            while True:
                if self.direct and self._queue.empty():
                    return  # caught up: direct sends again, and a new task when needed
                item = await self._queue.get()
                self._sending = True
                try:
                    if isinstance(item, _Close):
                        await self.channel.close(item.code, item.reason)
                        return
                    await self.channel.send(item)
                except Exception as e:  # the peer went away; the receive loop will notice
                    log.debug("send failed: %s", e)
                    self.closed = True
                    return
                finally:
                    self._sending = False
        finally:
            if self._sender is asyncio.current_task():
                self._sender = None
