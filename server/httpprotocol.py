"""uvicorn's HTTP protocol with deadlines for a request's headers and body, a cap on the size
of its headers, and a bound on half-open connections per client address (slowloris).

uvicorn (0.54) sets no deadline while a request comes in: a client that sends a header byte
every few seconds keeps its connection for ever, and httptools keeps a partial header in
memory however long it gets. A few thousand such clients hold the server. So the protocol
`netwerkbord serve` runs (uvicorn's httptools protocol) gets, per connection:

- the headers must be complete `header_timeout_seconds` after the connection opens (on a
  kept-alive connection: after the request's first bytes), and the body
  `body_timeout_seconds` after that; else the connection is closed;
- a request line and headers over `max_header_bytes` get 431 and a close;
- at most `max_half_open_per_address` connections per client address (IPv6: per /64) may be
  waiting for their headers: one more closes the oldest. A real request sends its headers in
  its first packet, so it gets through; whoever holds connections open loses them.

Between requests uvicorn's own keep-alive timeout applies. A WebSocket upgrade leaves this
class as soon as its headers are in (wsprotocol.py takes the socket over).

It subclasses uvicorn's protocol, so it builds on uvicorn's internals; those are named and
checked in uvicornhooks.py (check_uvicorn() runs when the server starts), and
tests/test_http_limits.py drives them.
"""

import asyncio
import functools
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .config import Config
from .limits import address_group
from .uvicornhooks import HttpToolsProtocol, check_uvicorn, response_pending

HEADERS_TOO_LARGE = "De kopregels van dit verzoek zijn te groot"

IDLE, HEAD, BODY = 0, 1, 2  # between requests, receiving headers, receiving the body


class HalfOpen:
    """The connections per client address whose request headers are still coming in."""

    def __init__(self, per_address: int) -> None:
        self.per_address = per_address
        # address -> its connections, oldest first (a dict keeps insertion order)
        self.waiting: dict[str, dict[LimitedHttpProtocol, None]] = {}

    def add(self, conn: "LimitedHttpProtocol") -> None:
        conns = self.waiting.setdefault(conn.address, {})
        conns[conn] = None
        conn.half_open = True
        while len(conns) > self.per_address:
            oldest = next(iter(conns))
            del conns[oldest]
            oldest.half_open = False
            oldest.drop()

    def remove(self, conn: "LimitedHttpProtocol") -> None:
        conn.half_open = False
        conns = self.waiting.get(conn.address)
        if conns is not None:
            conns.pop(conn, None)
            if not conns:
                del self.waiting[conn.address]

    def count(self, address: str) -> int:
        return len(self.waiting.get(address_group(address), ()))


@dataclass
class HttpLimits:
    header_timeout: float
    body_timeout: float
    max_header_bytes: int
    half_open: HalfOpen = field(repr=False)

    @classmethod
    def from_config(cls, config: Config) -> "HttpLimits":
        return cls(
            config.header_timeout_seconds,
            config.body_timeout_seconds,
            config.max_header_bytes,
            HalfOpen(config.max_half_open_per_address),
        )


class LimitedHttpProtocol(HttpToolsProtocol):
    def __init__(
        self,
        config: Any,
        server_state: Any,
        app_state: Any,
        _loop: asyncio.AbstractEventLoop | None = None,
        *,
        limits: HttpLimits,
    ) -> None:
        super().__init__(config, server_state, app_state, _loop)
        self.limits = limits
        self.event_loop = _loop or asyncio.get_running_loop()
        self.socket: asyncio.Transport | None = None
        self.address = "?"
        self.phase = IDLE
        self.head_bytes = 0  # of the request whose headers are coming in
        self.half_open = False  # counted in limits.half_open
        self.deadline: asyncio.TimerHandle | None = None

    # asyncio callbacks

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        super().connection_made(transport)  # type: ignore[arg-type]
        self.socket = transport  # type: ignore[assignment]
        peer = transport.get_extra_info("peername")
        self.address = address_group(str(peer[0])) if isinstance(peer, tuple) else "?"
        self.phase, self.head_bytes = HEAD, 0
        self.limits.half_open.add(self)  # before any byte: it may be an idle one
        if self.phase == HEAD:  # (not closed at once as the oldest of too many)
            self._arm(self.limits.header_timeout)

    def data_received(self, data: bytes) -> None:
        super().data_received(data)
        if self.socket is None or self.socket.is_closing():
            return
        if self.phase == HEAD:  # the headers are still incomplete after this data
            self.head_bytes += len(data)
            if self.head_bytes > self.limits.max_header_bytes:
                self._refuse_headers()
                return
            if not self.half_open:
                self.limits.half_open.add(self)
            if self.deadline is None and self.phase == HEAD:
                self._arm(self.limits.header_timeout)
        elif self.phase == BODY and self.deadline is None:
            self._arm(self.limits.body_timeout)

    def connection_lost(self, exc: Exception | None) -> None:
        self._settle(IDLE)
        super().connection_lost(exc)

    # uvicorn's parser callbacks and upgrade hook

    def on_message_begin(self) -> None:
        super().on_message_begin()
        if self.phase != HEAD:  # a kept-alive connection's next request
            self._settle(HEAD)
            self.head_bytes = 0

    def on_headers_complete(self) -> None:
        self._settle(BODY)  # its deadline starts once the data at hand is parsed
        super().on_headers_complete()

    def on_message_complete(self) -> None:
        self._settle(IDLE)
        super().on_message_complete()

    def handle_websocket_upgrade(self) -> None:
        self._settle(IDLE)  # the socket is the WebSocket protocol's from here on
        super().handle_websocket_upgrade()

    # limits

    def drop(self) -> None:
        """Close the connection: it is the oldest of too many half-open ones."""
        self._settle(IDLE)
        if self.socket is not None:
            self.socket.close()

    def _settle(self, phase: int) -> None:
        self.phase = phase
        if self.deadline is not None:
            self.deadline.cancel()
            self.deadline = None
        if self.half_open:
            self.limits.half_open.remove(self)

    def _arm(self, seconds: float) -> None:
        self.deadline = self.event_loop.call_later(seconds, self._expired)

    def _expired(self) -> None:
        self.deadline = None
        if self.phase == HEAD and response_pending(self):
            # A pipelined request waits for the answer to the one before: not its sender's
            # doing, so its deadline waits too.
            self._arm(self.limits.header_timeout)
            return
        self._settle(IDLE)
        if self.socket is not None and not self.socket.is_closing():
            self.socket.close()

    def _refuse_headers(self) -> None:
        self._settle(IDLE)
        assert self.socket is not None
        if not response_pending(self):
            body = json.dumps({"error": HEADERS_TOO_LARGE}).encode()
            self.socket.write(
                b"HTTP/1.1 431 Request Header Fields Too Large\r\n"
                b"content-type: application/json\r\n"
                b"content-length: %d\r\nconnection: close\r\n\r\n%s" % (len(body), body)
            )
        self.socket.close()


def http_protocol(app: Any) -> Callable[..., asyncio.Protocol]:
    """uvicorn.Config(http=...) for the app: its limits come from app.state.config."""
    check_uvicorn()
    return functools.partial(LimitedHttpProtocol, limits=HttpLimits.from_config(app.state.config))
