"""WebSocket framing (RFC 6455) for the server side: the handshake answer, reading the frames
a browser sends, and writing the frames the server sends. No I/O here (see wsprotocol.py).

Only what a y-websocket server needs: no extensions (no compression), no subprotocols.

The reader is ours because it is on the hot path: the `websockets` library's Sans-I/O
protocol leaves four objects behind per message and a parser of generators per connection,
which cost capacity under load (bench/SERVER.md, "websockets Sans-I/O: measured"). What is
not on the hot path comes from that library, so its rules are not written twice: the accept
key, unmasking (its C helper), and what a close frame may hold (codes, UTF-8 reason).
"""

import base64
import struct

from websockets.exceptions import ProtocolError
from websockets.frames import Close, apply_mask
from websockets.utils import accept_key as _accept_key

from . import closecodes
from .limits import too_big

CONT, TEXT, BINARY, CLOSE, PING, PONG = 0x0, 0x1, 0x2, 0x8, 0x9, 0xA
NORMAL = 1000
NO_STATUS = 1005  # a close frame without a code


def accept_key(key: bytes) -> bytes | None:
    """Sec-WebSocket-Accept for the client's Sec-WebSocket-Key, or None if the key is not
    16 bytes in base64."""
    try:
        if len(base64.b64decode(key, validate=True)) != 16:
            return None
    except ValueError:
        return None
    return _accept_key(key.decode()).encode()


def binary_frame(data: bytes) -> bytes:
    """A server-to-client frame (FIN, opcode 2, not masked) holding `data`."""
    return _frame(0x80 | BINARY, data)


def close_frame(code: int, reason: str = "") -> bytes:
    """A close frame; the reason is cut to the 123 bytes a control frame leaves for it."""
    if code == NO_STATUS:
        return _frame(0x80 | CLOSE, b"")
    text = reason.encode()[:123].decode(errors="ignore")  # whole characters only
    return _frame(0x80 | CLOSE, Close(code, text).serialize())  # (it refuses a bad code)


def pong_frame(payload: bytes) -> bytes:
    return _frame(0x80 | PONG, payload)


def _frame(first: int, data: bytes) -> bytes:
    n = len(data)
    if n < 126:
        return bytes((first, n)) + data
    if n < 65536:
        return struct.pack("!BBH", first, 126, n) + data
    return struct.pack("!BBQ", first, 127, n) + data


class FrameError(Exception):
    """The peer broke the protocol or a limit: close with this code and reason."""

    def __init__(self, code: int, reason: str) -> None:
        super().__init__(reason)
        self.code, self.reason = code, reason


def parse_close(payload: bytes) -> tuple[int, str]:
    """The code and reason of a received close frame (RFC 6455 section 5.5.1, as the
    `websockets` library reads it: a code the RFC leaves unassigned is refused too)."""
    try:
        close = Close.parse(payload)
    except ProtocolError:
        raise FrameError(closecodes.PROTOCOL_ERROR, "Ongeldig sluitbericht") from None
    except UnicodeDecodeError:
        raise FrameError(1007, "Ongeldige tekst in sluitbericht") from None
    return close.code, close.reason


class FrameReader:
    """Turns the bytes a client sends into whole messages: (opcode, payload) with opcode
    TEXT, BINARY, CLOSE, PING or PONG; fragments are joined, masks removed.

    When the client breaks RFC 6455 or sends a message larger than max_size, feed() stops
    and sets `error` (a FrameError: close the connection with its code). After a message
    that is too big, reading can go on: its bytes are skipped, so the client's answer to our
    close frame is still understood. After any other error the stream makes no sense any
    more and everything after it is ignored.
    """

    __slots__ = ("max_size", "error", "_broken", "_skip", "_buffer", "_opcode", "_parts", "_size")

    def __init__(self, max_size: int) -> None:
        self.max_size = max_size
        self.error: FrameError | None = None
        self._broken = False
        self._skip = 0  # bytes still to drop of a frame that was too big
        self._buffer: bytes | bytearray = b""  # the start of an incomplete frame
        self._opcode = 0  # of the fragmented message in progress, 0 when none
        self._parts: list[bytes] = []
        self._size = 0

    def feed(self, data: bytes) -> list[tuple[int, bytes]]:
        self.error = None
        if self._broken:
            return []
        if self._skip:
            if len(data) <= self._skip:
                self._skip -= len(data)
                return []
            data, self._skip = data[self._skip :], 0
        if self._buffer:
            self._buffer += data  # type: ignore[operator]
            buf = self._buffer
        else:
            buf = data  # the usual case: one or more whole frames, no copy
        messages: list[tuple[int, bytes]] = []
        pos, end = 0, len(buf)
        while end - pos >= 2:
            first, second = buf[pos], buf[pos + 1]
            length, start = second & 0x7F, pos + 2
            if length == 126:
                if end - start < 2:
                    break
                length, start = int.from_bytes(buf[start : start + 2], "big"), start + 2
            elif length == 127:
                if end - start < 8:
                    break
                length, start = int.from_bytes(buf[start : start + 8], "big"), start + 8
            stop = start + 4 + length
            error = self._check_header(first, second, length)
            if error is not None:
                self.error = error
                if error.code == closecodes.TOO_BIG:
                    self._skip = max(0, stop - end)
                    pos = min(stop, end)
                    self._opcode, self._parts, self._size = 0, [], 0
                else:
                    self._broken, pos = True, end
                break
            if stop > end:
                break
            payload = apply_mask(bytes(buf[start + 4 : stop]), bytes(buf[start : start + 4]))
            pos = stop
            message = self._message(first, payload)
            if message is not None:
                messages.append(message)
        if pos == end:
            self._buffer = b""
        elif buf is self._buffer:
            del self._buffer[:pos]  # type: ignore[union-attr]
        else:
            self._buffer = bytearray(buf[pos:])
        return messages

    def _check_header(self, first: int, second: int, length: int) -> FrameError | None:
        opcode = first & 0x0F
        if first & 0x70:
            return FrameError(closecodes.PROTOCOL_ERROR, "Onbekende uitbreiding in bericht")
        if not second & 0x80:
            return FrameError(closecodes.PROTOCOL_ERROR, "Bericht zonder masker")
        if opcode >= CLOSE:
            if opcode > PONG or not first & 0x80 or length > 125:
                return FrameError(closecodes.PROTOCOL_ERROR, "Ongeldig stuurbericht")
        elif opcode > BINARY:
            return FrameError(closecodes.PROTOCOL_ERROR, "Onbekend soort bericht")
        elif (opcode == CONT) != bool(self._opcode):
            return FrameError(closecodes.PROTOCOL_ERROR, "Berichtdelen in de verkeerde volgorde")
        elif self._size + length > self.max_size:
            return FrameError(closecodes.TOO_BIG, too_big(self.max_size))
        return None

    def _message(self, first: int, payload: bytes) -> tuple[int, bytes] | None:
        opcode, fin = first & 0x0F, first & 0x80
        if opcode >= CLOSE:
            return opcode, payload
        if fin and opcode != CONT:
            return opcode, payload  # the usual case: a whole message in one frame
        if opcode != CONT:
            self._opcode = opcode
        self._parts.append(payload)
        self._size += len(payload)
        if not fin:
            return None
        whole = (self._opcode, b"".join(self._parts))
        self._opcode, self._parts, self._size = 0, [], 0
        return whole
