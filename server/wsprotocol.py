"""uvicorn's WebSocket protocol with a faster way out for binary messages.

A room sends every update to every other device on the board: most of the server's work is
these sends. Through ASGI each one builds a message dict, runs a coroutine, and goes through
the `websockets` frame machinery. This protocol class offers, next to the standard ASGI send,
a plain function in the scope's extensions, "netwerkbord.send_now": it writes one binary
frame straight to the socket when the socket takes it, and returns False when the caller
must use the ASGI send instead (before the handshake, while closing, or while the socket's
buffer is full: then the ASGI send waits, as it should).

Frames written this way are complete, unfragmented and uncompressed, so they mix freely with
the frames uvicorn writes itself (pings, close). Compression (permessage-deflate) is off:
Yjs messages are small, and a compressor per connection costs far more memory and CPU than
it saves.

It is also leaner per connection, for thousands of mostly idle devices: the handshake's
request and response are dropped once it is done, the queue of received messages and the
"writable" flag are small objects instead of asyncio.Queue and asyncio.Event (each holds
deques of ~600 bytes even when empty), and reading pauses only when the application falls
behind, not after every message (two system calls per message less).
"""

import asyncio
import struct
import sys
from typing import Any

from uvicorn.protocols.websockets.websockets_sansio_impl import WebSocketsSansIOProtocol
from websockets.protocol import State

from .config import Config
from .connection import SendQueue

SEND_NOW = "netwerkbord.send_now"


def binary_frame(data: bytes) -> bytes:
    """A server-to-client WebSocket frame (FIN, opcode 2, not masked) holding `data`."""
    n = len(data)
    if n < 126:
        return bytes((0x82, n)) + data
    if n < 65536:
        return struct.pack("!BBH", 0x82, 126, n) + data
    return struct.pack("!BBQ", 0x82, 127, n) + data


class _Flag:
    """What uvicorn needs of asyncio.Event: set, clear, is_set, wait."""

    __slots__ = ("_set", "_waiters")

    def __init__(self) -> None:
        self._set = True
        self._waiters: list[asyncio.Future[None]] | None = None

    def is_set(self) -> bool:
        return self._set

    def set(self) -> None:
        self._set = True
        waiters, self._waiters = self._waiters, None
        for w in waiters or ():
            if not w.done():
                w.set_result(None)

    def clear(self) -> None:
        self._set = False

    async def wait(self) -> None:
        while not self._set:
            waiter = asyncio.get_running_loop().create_future()
            if self._waiters is None:
                self._waiters = []
            self._waiters.append(waiter)
            await waiter


class _Inbox(SendQueue):
    """What uvicorn needs of asyncio.Queue (one consumer): put_nowait, get, empty, qsize.
    Unbounded here: reading pauses at PAUSE_READING_AT instead."""

    __slots__ = ()

    def __init__(self) -> None:
        super().__init__(sys.maxsize, sys.maxsize)

    def put_nowait(self, item: Any) -> None:
        self.put(item)

    def qsize(self) -> int:
        return len(self._items)


PAUSE_READING_AT = 32  # received messages waiting for the application


class FastSendProtocol(WebSocketsSansIOProtocol):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.queue = _Inbox()  # type: ignore[assignment]
        self.writable = _Flag()  # type: ignore[assignment]

    def handle_connect(self, event: Any) -> None:
        super().handle_connect(event)
        scope = getattr(self, "scope", None)  # absent when the handshake was refused
        if scope is not None:
            scope["extensions"][SEND_NOW] = self.send_now

    def send_receive_event_to_app(self) -> None:
        paused, self.read_paused = self.read_paused, True  # (uvicorn pauses after each one)
        super().send_receive_event_to_app()
        self.read_paused = paused
        if not paused and self.queue.qsize() >= PAUSE_READING_AT:
            self.read_paused = True
            self.transport.pause_reading()

    async def send(self, message: Any) -> None:
        await super().send(message)
        if message["type"] == "websocket.accept":
            self.request = self.response = None  # the handshake is done

    def send_now(self, data: bytes) -> bool:
        if (not self.handshake_complete or self.close_sent or self.disconnected
                or not self.writable.is_set() or self.conn.state is not State.OPEN
                or self.transport.is_closing()):
            return False
        self.transport.write(binary_frame(data))
        return True


def uvicorn_options(config: Config) -> dict[str, Any]:
    """The WebSocket settings for uvicorn.Config (the server and the tests use the same)."""
    return {
        "ws": FastSendProtocol,
        "ws_max_size": config.max_message_bytes + 1024,  # our own check answers with a reason
        "ws_per_message_deflate": False,
    }
