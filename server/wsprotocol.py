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
"""

import struct
from typing import Any

from uvicorn.protocols.websockets.websockets_sansio_impl import WebSocketsSansIOProtocol
from websockets.protocol import State

from .config import Config

SEND_NOW = "netwerkbord.send_now"


def binary_frame(data: bytes) -> bytes:
    """A server-to-client WebSocket frame (FIN, opcode 2, not masked) holding `data`."""
    n = len(data)
    if n < 126:
        return bytes((0x82, n)) + data
    if n < 65536:
        return struct.pack("!BBH", 0x82, 126, n) + data
    return struct.pack("!BBQ", 0x82, 127, n) + data


class FastSendProtocol(WebSocketsSansIOProtocol):
    def handle_connect(self, event: Any) -> None:
        super().handle_connect(event)
        scope = getattr(self, "scope", None)  # absent when the handshake was refused
        if scope is not None:
            scope["extensions"][SEND_NOW] = self.send_now

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
