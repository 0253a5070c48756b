"""Yjs v1 updates built by hand, byte by byte, for the tests that attack the server's checks
(server/yupdate.py). The format is Yjs' `writeStructs` / `writeDeleteSet` with lib0's
`writeAny` for values; nothing here checks what it builds."""

import struct
from typing import Any

from server.sync import write_uint

# content refs (Yjs `contentRefs`)
DELETED, JSON, BINARY, STRING, EMBED, FORMAT, TYPE, ANY, DOC = 1, 2, 3, 4, 5, 6, 7, 8, 9
# type refs of ContentType (Yjs `typeRefs`)
Y_ARRAY, Y_MAP, Y_TEXT, Y_XML_ELEMENT, Y_XML_FRAGMENT, Y_XML_HOOK, Y_XML_TEXT = 0, 1, 2, 3, 4, 5, 6


uint = write_uint  # lib0's var uint, as the server writes it


def varint(n: int) -> bytes:
    """lib0's signed var int: 6 bits, a sign and a continue bit first, then 7 bits a byte."""
    negative, n = n < 0, abs(n)
    out = bytearray([(0x80 if n > 0x3F else 0) | (0x40 if negative else 0) | (n & 0x3F)])
    n >>= 6
    while n:
        out.append((0x80 if n > 0x7F else 0) | (n & 0x7F))
        n >>= 7
    return bytes(out)


def string(s: str | bytes) -> bytes:
    b = s.encode() if isinstance(s, str) else s
    return uint(len(b)) + b


def any_value(v: Any) -> bytes:
    """lib0 `writeAny` (integers as var ints, other numbers as float64)."""
    if v is None:
        return b"\x7e"
    if v is True:
        return b"\x78"
    if v is False:
        return b"\x79"
    if isinstance(v, int):
        return b"\x7d" + varint(v)
    if isinstance(v, float):
        return b"\x7b" + struct.pack(">d", v)
    if isinstance(v, str):
        return b"\x77" + string(v)
    if isinstance(v, bytes):
        return b"\x74" + string(v)
    if isinstance(v, list):
        return b"\x75" + uint(len(v)) + b"".join(any_value(x) for x in v)
    if isinstance(v, dict):
        return b"\x76" + uint(len(v)) + b"".join(string(k) + any_value(x) for k, x in v.items())
    raise TypeError(type(v))


def nested_array(depth: int, leaf: bytes = b"\x7e") -> bytes:
    """An `Any` array of one element, nested `depth` deep around `leaf` (null)."""
    return b"\x75\x01" * depth + leaf


def item(
    ref: int,
    content: bytes,
    *,
    root: str | None = None,
    parent: tuple[int, int] | None = None,
    key: str | None = None,
    origin: tuple[int, int] | None = None,
    right: tuple[int, int] | None = None,
) -> bytes:
    """One Item struct. Without origins its parent is given: a top-level `root` name or the
    id of a `parent` item; `key` is the entry's name in a map (parentSub)."""
    info = ref | (0x80 if origin else 0) | (0x40 if right else 0) | (0x20 if key is not None else 0)
    out = bytes([info])
    if origin:
        out += uint(origin[0]) + uint(origin[1])
    if right:
        out += uint(right[0]) + uint(right[1])
    if not origin and not right:
        if root is not None:
            out += uint(1) + string(root)
        else:
            assert parent is not None
            out += uint(0) + uint(parent[0]) + uint(parent[1])
        if key is not None:
            out += string(key)
    return out + content


def anys(*values: Any) -> bytes:
    """ContentAny: the values, each lib0-encoded."""
    return uint(len(values)) + b"".join(any_value(v) for v in values)


def raw_anys(*encoded: bytes) -> bytes:
    """ContentAny of values encoded already (e.g. nested_array)."""
    return uint(len(encoded)) + b"".join(encoded)


def type_content(type_ref: int, name: str | None = None) -> bytes:
    """ContentType; XML elements and hooks carry a name."""
    return uint(type_ref) + (string(name) if name is not None else b"")


def gc(length: int) -> bytes:
    return b"\x00" + uint(length)


def skip(length: int) -> bytes:
    return b"\x0a" + uint(length)


def update(
    clients: list[tuple[int, int, list[bytes]]],
    deletes: list[tuple[int, list[tuple[int, int]]]] = (),
) -> bytes:  # type: ignore[assignment]
    """clients: (client id, first clock, structs); deletes: (client id, [(clock, length)])."""
    out = uint(len(clients))
    for client, clock, structs in clients:
        out += uint(len(structs)) + uint(client) + uint(clock) + b"".join(structs)
    out += uint(len(deletes))
    for client, ranges in deletes:
        out += uint(client) + uint(len(ranges)) + b"".join(uint(c) + uint(n) for c, n in ranges)
    return out


def note(client: int, clock: int, key: str, fields: dict[str, Any], root: str = "notes") -> bytes:
    """A new record (a Y.Map under `root`) with plain fields, as one client's part:
    returns the whole update."""
    structs = [item(TYPE, type_content(Y_MAP), root=root, key=key)]
    structs += [item(ANY, anys(v), parent=(client, clock), key=k) for k, v in fields.items()]
    return update([(client, clock, structs)])


def deep_any_note(depth: int, client: int = 1, key: str = "k") -> bytes:
    """The crash: an item under `notes` with key `key`, content ContentAny holding one
    array nested `depth` deep (a plain value where a note belongs; the nesting is what
    kills Yrs' recursive decoder before anything else is looked at)."""
    return update([(client, 0, [item(ANY, raw_anys(nested_array(depth)), root="notes", key=key)])])


def worst_frames(client: int = 77) -> list[bytes]:
    """The worst a frame of 1 MiB can hold for the decoder: half a million levels of nesting,
    99,999 structs, 99,999 deleted ranges, and values nested five deep 30,000 times in the
    text of a note (tests/test_yupdate.py: each gets a verdict; bench/validation.py: how long
    that takes)."""
    text_of_a_note = [
        item(TYPE, type_content(Y_MAP), root="notes", key="n1"),
        item(
            ANY,
            raw_anys(any_value([[1, [2, [3, [4, [5]]]]]] * 30_000)),
            parent=(client, 0),
            key="text",
        ),
    ]
    return [
        deep_any_note(500_000),
        update([(client, 0, [gc(1)] * 99_999)]),
        update([], [(client, [(i * 2, 1) for i in range(99_999)])]),
        update([(client, 0, text_of_a_note)]),
    ]


def state_vector(doc: Any) -> dict[int, int]:
    """A pycrdt Doc's clock per client id."""
    data, pos = doc.get_state(), 0

    def read() -> int:
        nonlocal pos
        value = shift = 0
        while True:
            b = data[pos]
            pos += 1
            value |= (b & 0x7F) << shift
            if b < 0x80:
                return value
            shift += 7

    return {read(): read() for _ in range(read())}
