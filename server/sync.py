"""The y-websocket wire protocol as pure functions over bytes.

Messages (lib0 encoding): a var-uint message type, then
  0 SYNC:        var-uint subtype (0 step 1, 1 step 2, 2 update), var-uint8-array payload
  1 AWARENESS:   var-uint8-array of [var-uint count, count x (client id, clock, var-string JSON)]
  3 QUERY_AWARENESS: nothing; the answer is the live awareness states.

Decoding is strict: truncated input, trailing bytes, bad JSON or JSON nested too deeply (found
before json.loads could hit its recursion limit) raise ProtocolError, so one bad client can be
closed without touching the room; pycrdt's Decoder reads leniently and has no such bounds.
Sync messages are encoded by pycrdt. Awareness messages we encode ourselves, because
pycrdt.Encoder.write_var_string writes the character count where the UTF-8 byte count belongs,
which breaks names such as "Eliëtte".
"""

import functools
import json
import re
from dataclasses import dataclass

from pycrdt import YMessageType, YSyncMessageType, create_update_message, write_message

MESSAGE_QUERY_AWARENESS = 3
_MAX_UINT = 2**53 - 1  # what a JavaScript number holds exactly
MAX_JSON_DEPTH = 16  # nesting of an awareness state (Config.max_awareness_json_depth)


class ProtocolError(ValueError):
    """The peer sent something that is not a valid y-websocket message."""


@dataclass(frozen=True)
class SyncMessage:
    kind: YSyncMessageType
    payload: bytes  # state vector for step 1, an update for step 2 and update


@dataclass(frozen=True)
class AwarenessEntry:
    client_id: int
    clock: int
    state: str  # JSON text of an object, or "null" when the client left

    @property
    def removed(self) -> bool:
        return self.state == "null"


@dataclass(frozen=True)
class AwarenessMessage:
    entries: tuple[AwarenessEntry, ...]


@dataclass(frozen=True)
class QueryAwareness:
    pass


Message = SyncMessage | AwarenessMessage | QueryAwareness


class Reader:
    def __init__(self, data: bytes) -> None:
        self.data = data
        self.pos = 0

    def uint(self) -> int:
        value = shift = 0
        while True:
            if self.pos >= len(self.data):
                raise ProtocolError("truncated number")
            byte = self.data[self.pos]
            self.pos += 1
            value |= (byte & 0x7F) << shift
            if value > _MAX_UINT:
                raise ProtocolError("number too large")
            if byte < 0x80:
                return value
            shift += 7

    def bytes(self) -> bytes:
        length = self.uint()
        end = self.pos + length
        if end > len(self.data):
            raise ProtocolError("truncated payload")
        chunk = self.data[self.pos : end]
        self.pos = end
        return chunk

    def string(self) -> str:
        try:
            return self.bytes().decode("utf-8")
        except UnicodeDecodeError:
            raise ProtocolError("text is not UTF-8") from None

    def end(self) -> None:
        if self.pos != len(self.data):
            raise ProtocolError("unexpected bytes after message")


def parse_message(
    data: bytes, max_json_depth: int = MAX_JSON_DEPTH, max_state_bytes: int | None = None
) -> Message:
    """One message. See parse_awareness_update for the two limits."""
    reader = Reader(data)
    kind = reader.uint()
    message: Message
    if kind == YMessageType.SYNC:
        sub = reader.uint()
        if sub not in (0, 1, 2):
            raise ProtocolError(f"unknown sync message type {sub}")
        message = SyncMessage(YSyncMessageType(sub), reader.bytes())
    elif kind == YMessageType.AWARENESS:
        message = AwarenessMessage(
            parse_awareness_update(reader.bytes(), max_json_depth, max_state_bytes)
        )
    elif kind == MESSAGE_QUERY_AWARENESS:
        message = QueryAwareness()
    else:
        raise ProtocolError(f"unknown message type {kind}")
    reader.end()
    return message


def parse_awareness_update(
    data: bytes, max_json_depth: int = MAX_JSON_DEPTH, max_state_bytes: int | None = None
) -> tuple[AwarenessEntry, ...]:
    """The entries of an awareness update. A state nested deeper than max_json_depth is
    refused before json.loads sees it. A state longer than max_state_bytes is not read as
    JSON at all: the caller refuses it by its size, or ignores it (an entry for a client id
    its sender may not speak for)."""
    reader = Reader(data)
    count = reader.uint()
    if count > 1000:
        raise ProtocolError("too many awareness states")
    entries = []
    for _ in range(count):
        client_id, clock, state = reader.uint(), reader.uint(), reader.string()
        if max_state_bytes is not None and len(state) > max_state_bytes:
            entries.append(AwarenessEntry(client_id, clock, state))  # more bytes than chars
            continue
        if nested_deeper_than(state, max_json_depth):
            raise ProtocolError("awareness state nested too deeply")
        try:
            parsed = json.loads(state)
        except ValueError:
            raise ProtocolError("awareness state is not JSON") from None
        if parsed is not None and not isinstance(parsed, dict):
            raise ProtocolError("awareness state is not an object")
        entries.append(AwarenessEntry(client_id, clock, state if parsed is not None else "null"))
    reader.end()
    return tuple(entries)


_ESCAPE = re.compile(rb"\\.", re.DOTALL)
_STRING = re.compile(rb'"[^"]*+"')  # possessive: linear even without a closing quote
_SQUARE = bytes.maketrans(b"{}", b"[]")  # a mismatch of kinds is json.loads' to refuse
_NOT_BRACKET = bytes(b for b in range(256) if b not in b"[]{}")


def nested_deeper_than(text: str, limit: int) -> bool:
    """Whether JSON text nests arrays and objects more than `limit` deep, found without
    recursion: json.loads recurses once per level and raises RecursionError (not a
    ValueError) on deep input. Unbalanced brackets count as too deep (json.loads would refuse
    them anyway). Linear, and in C: a megabyte takes milliseconds."""
    if text.count("[") + text.count("{") <= limit:
        return False
    # On the UTF-8 bytes: no byte of a multi-byte character is ASCII.
    outside_strings = _STRING.sub(b"", _ESCAPE.sub(b"", text.encode()))
    brackets = outside_strings.translate(_SQUARE, _NOT_BRACKET)
    return _nested_within(limit).fullmatch(brackets) is None


@functools.lru_cache(maxsize=4)
def _nested_within(limit: int) -> "re.Pattern[bytes]":
    """Brackets nested at most `limit` deep: for 2, (?:\\[(?:\\[\\])*+\\])*+. The repeats are
    possessive, so a failed match never backtracks."""
    group = rb"\[\]"
    for _ in range(limit - 1):
        group = rb"\[(?:" + group + rb")*+\]"
    return re.compile(rb"(?:" + group + rb")*+")


def decode_state_vector(data: bytes) -> dict[int, int]:
    """A Yjs state vector: the clock per client id."""
    reader = Reader(data)
    vector = {}
    for _ in range(reader.uint()):
        client = reader.uint()
        vector[client] = reader.uint()
    reader.end()
    return vector


def write_uint(value: int) -> bytes:
    out = bytearray()
    while value > 0x7F:
        out.append(0x80 | (value & 0x7F))
        value >>= 7
    out.append(value)
    return bytes(out)


def write_bytes(data: bytes) -> bytes:
    return write_uint(len(data)) + data


def encode_awareness(entries: list[AwarenessEntry] | tuple[AwarenessEntry, ...]) -> bytes:
    body = bytearray(write_uint(len(entries)))
    for e in entries:
        body += write_uint(e.client_id) + write_uint(e.clock) + write_bytes(e.state.encode())
    return write_uint(YMessageType.AWARENESS) + write_bytes(bytes(body))


# Sync messages: pycrdt's own encoders write exactly these bytes (tests/test_sync.py checks).
# It exports create_update_message; the two steps are built from its write_message the same
# way (its create_sync_step*_message are not part of its public API).
encode_update = create_update_message
_STEP1 = bytes([YMessageType.SYNC, YSyncMessageType.SYNC_STEP1])
_STEP2 = bytes([YMessageType.SYNC, YSyncMessageType.SYNC_STEP2])


def encode_sync_step1(state_vector: bytes) -> bytes:
    return _STEP1 + write_message(state_vector)


def encode_sync_step2(update: bytes) -> bytes:
    return _STEP2 + write_message(update)
