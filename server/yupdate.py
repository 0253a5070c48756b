"""Read a Yjs update (v1 encoding) before pycrdt sees it: bounded, iterative, strict.

Yrs decodes nested `Any` values recursively: an update of ~80 KB holding an array nested tens
of thousands deep overflows its stack and kills the whole process, which Python cannot catch.
So every update a device sends is walked here first, without recursion and with a bound on
everything a client can grow: nesting depth, string length, structs, values, clients and
deleted ranges. The walk also checks the kinds of content our boards use (maps of plain
values, and maps of maps) and reports what pycrdt would need to know but cannot tell before
applying: the clock range each client writes, so ownership of client ids can be checked.

pycrdt has no decoder for update structs (its Decoder reads sync messages only) and Yrs
offers none from Python, hence this module. The format is Yjs' `writeStructs` /
`writeDeleteSet` (yjs/src/utils/encoding.js) with lib0's `writeAny` for values.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field

from .sync import write_uint

# What a top-level name of a board holds (board/schema.py says which name is which).
RECORD = "record"  # a map of plain values: meta, statements, info, state
RECORDS = "records"  # a map of maps of plain values: notes, groups, goals, actions, team

_YMAP = 1  # Yjs type ref of Y.Map: the only shared type our boards nest
_CONTENT_DELETED, _CONTENT_TYPE, _CONTENT_ANY = 1, 7, 8
_GC, _SKIP = 0, 10
_MAX_UINT = 2**53 - 1  # what a JavaScript number holds exactly


class UpdateRejected(ValueError):
    """The update is over a limit or holds what no board of ours accepts. `reason` is Dutch
    and plain: it ends up on the writer's screen."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class MalformedUpdate(UpdateRejected):
    """The bytes are not a Yjs update at all (truncated, trailing bytes, unknown kinds, text
    that is not UTF-8): a broken message (1002), not a change the board refuses (4422)."""


@dataclass(frozen=True)
class Limits:
    """The bounds on one update (README, "Limits"). Each is far above what a person makes."""

    max_depth: int = 8  # nesting of objects and arrays in one value (a note's tags: 1)
    max_string_bytes: int = 32_768  # one string (a note's text has its own, smaller limit)
    max_structs: int = 100_000  # items, deleted and skipped ranges together
    max_values: int = 200_000  # plain values, counted inside objects and arrays too
    max_clients: int = 1_000  # client ids in the update or its delete set
    max_deleted_ranges: int = 100_000


DEFAULT_LIMITS = Limits()


@dataclass
class Summary:
    """What an update holds, as far as can be told without applying it."""

    # client id -> (first clock, clock after the last struct): the range it writes
    clients: dict[int, tuple[int, int]] = field(default_factory=dict)
    roots: set[str] = field(default_factory=set)  # top-level names it names
    deletes: bool = False  # it deletes something


class _Reader:
    __slots__ = ("data", "pos", "end", "limits", "values", "deepest", "content")

    def __init__(self, data: bytes, limits: Limits) -> None:
        self.data, self.pos, self.end = data, 0, len(data)
        self.limits = limits
        self.values = 0
        self.deepest = 0  # the deepest nesting of a value read so far
        self.content = 0  # where the last item's content starts

    def byte(self) -> int:
        if self.pos >= self.end:
            raise MalformedUpdate("Het bericht is afgebroken")
        b = self.data[self.pos]
        self.pos += 1
        return b

    def uint(self) -> int:
        # Inlined rather than built on byte(): client ids and clocks take 3-5 bytes, and this
        # is the decoder's hottest call (docs/architecture.md, "Speed").
        data, pos = self.data, self.pos
        if pos >= self.end:
            raise MalformedUpdate("Het bericht is afgebroken")
        b = data[pos]
        pos += 1
        if b < 0x80:  # most numbers fit in one byte
            self.pos = pos
            return b
        value, shift = b & 0x7F, 7
        while True:
            if pos >= self.end:
                raise MalformedUpdate("Het bericht is afgebroken")
            b = data[pos]
            pos += 1
            value |= (b & 0x7F) << shift
            if value > _MAX_UINT:
                raise MalformedUpdate("Een getal in het bericht is te groot")
            if b < 0x80:
                self.pos = pos
                return value
            shift += 7

    def varint(self) -> None:
        """lib0's signed var int: 6 bits and a sign in the first byte, then 7 per byte."""
        b = self.byte()
        bits = 6
        while b & 0x80:
            b = self.byte()
            bits += 7
            if bits > 60:
                raise MalformedUpdate("Een getal in het bericht is te groot")

    def skip(self, n: int) -> None:
        if self.pos + n > self.end:
            raise MalformedUpdate("Het bericht is afgebroken")
        self.pos += n

    def string(self) -> str:
        n = self.uint()
        if n > self.limits.max_string_bytes:
            raise UpdateRejected("Een tekst in de wijziging is te lang")
        start = self.pos
        self.skip(n)
        try:
            return self.data[start : self.pos].decode("utf-8")
        except UnicodeDecodeError:
            raise MalformedUpdate("Een tekst in de wijziging is geen geldige tekst") from None

    def count(self, n: int) -> None:
        self.values += n
        if self.values > self.limits.max_values:
            raise UpdateRejected("De wijziging bevat te veel waarden")

    def any(self) -> None:
        """One lib0 `Any` value, walked with an explicit stack of open objects and arrays:
        [values still to read, whether a key comes before each]."""
        stack = [[1, False]]
        max_depth = self.limits.max_depth
        while stack:
            top = stack[-1]
            if top[0] == 0:
                stack.pop()
                continue
            top[0] -= 1
            if top[1]:
                self.string()  # the key of an object's entry
            kind = self.byte()
            if kind in (127, 126, 121, 120):  # undefined, null, false, true
                continue
            if kind == 125:
                self.varint()
            elif kind == 124:
                self.skip(4)  # float32
            elif kind in (123, 122):
                self.skip(8)  # float64, bigint64
            elif kind == 119:
                self.string()
            elif kind in (118, 117):  # object, array
                n = self.uint()
                if len(stack) > max_depth:
                    raise UpdateRejected("De wijziging is te diep genest")
                self.deepest = max(self.deepest, len(stack))
                self.count(n)
                stack.append([n, kind == 118])
            elif kind == 116:
                self.skip(self.uint())  # Uint8Array
            else:
                raise MalformedUpdate("Onbekende soort waarde in de wijziging")


def inspect(update: bytes, roots: Mapping[str, str], limits: Limits = DEFAULT_LIMITS) -> Summary:
    """Walk `update` and return its Summary, or raise UpdateRejected.

    `roots` maps each top-level name the board accepts to RECORD or RECORDS. An item may only
    hold plain values, a Y.Map, or deleted content; a Y.Map directly under a top-level name
    only in a RECORDS map. Where an item sits below the top level is known only to the
    document (its parent comes from its neighbours): board/schema.py checks that after
    applying, before anything is stored or forwarded.
    """
    r = _Reader(update, limits)
    summary = Summary()
    structs = 0
    n_clients = r.uint()
    if n_clients > limits.max_clients:
        raise UpdateRejected("De wijziging noemt te veel apparaten")
    for _ in range(n_clients):
        n = r.uint()
        structs += n
        if structs > limits.max_structs:
            raise UpdateRejected("De wijziging is te groot")
        client, clock = r.uint(), r.uint()
        start = clock
        for _ in range(n):
            clock += _struct(r, roots, summary)
            if clock > _MAX_UINT:
                raise MalformedUpdate("Een getal in het bericht is te groot")
        if client in summary.clients:
            raise MalformedUpdate("Een apparaat staat twee keer in de wijziging")
        summary.clients[client] = (start, clock)
    n_deleted = r.uint()
    if n_deleted + n_clients > limits.max_clients:
        raise UpdateRejected("De wijziging noemt te veel apparaten")
    ranges = 0
    for _ in range(n_deleted):
        r.uint()  # client
        n = r.uint()
        ranges += n
        if ranges > limits.max_deleted_ranges:
            raise UpdateRejected("De wijziging haalt te veel tegelijk weg")
        for _ in range(n):
            r.uint()
            if r.uint():
                summary.deletes = True
    if r.pos != r.end:
        raise MalformedUpdate("Er staat meer in het bericht dan de wijziging")
    return summary


def _struct(r: _Reader, roots: Mapping[str, str] | None, summary: Summary) -> int:
    """Read one struct; return its length in clock ticks. With `roots` None, any name and
    any kind of content is read (data stored by earlier versions, see neutralize)."""
    info = r.byte()
    ref = info & 0x1F
    if ref == _GC or ref == _SKIP:
        if info != ref:
            raise MalformedUpdate("Onbekend soort stuk in de wijziging")
        return r.uint()
    if info & 0x80:  # origin: the left neighbour's id
        r.uint(), r.uint()
    if info & 0x40:  # right origin
        r.uint(), r.uint()
    root: str | None = None
    if not info & 0xC0:  # no neighbours: the parent is given
        parent_is_name = r.uint()
        if parent_is_name == 1:
            root = r.string()
            if roots is not None:
                if root not in roots:
                    raise UpdateRejected(f"Dit bord heeft geen onderdeel '{root[:40]}'")
                summary.roots.add(root)
        elif parent_is_name == 0:
            r.uint(), r.uint()  # the parent's id: a map inside the board
        else:
            raise MalformedUpdate("Onbekend soort stuk in de wijziging")
        if info & 0x20:
            r.string()  # the key in the parent map
        elif (
            roots is not None
        ):  # an array's element: no board has arrays, and in a map it would be hidden
            raise UpdateRejected("Dit bord heeft alleen lijsten met namen")
    r.content = r.pos
    if roots is None:
        return _any_content(r, ref)
    if ref == _CONTENT_ANY:
        n = r.uint()
        if n == 0:
            raise MalformedUpdate("Lege inhoud in de wijziging")
        r.count(n)
        for _ in range(n):
            r.any()
        if root is not None and roots[root] == RECORDS:
            raise UpdateRejected(f"In '{root[:40]}' horen alleen briefjes of kaarten")
        return n
    if ref == _CONTENT_TYPE:
        if r.uint() != _YMAP:
            raise UpdateRejected("Dit bord gebruikt alleen lijsten met namen")
        if root is not None and roots[root] != RECORDS:
            raise UpdateRejected(f"In '{root[:40]}' horen alleen gewone waarden")
        return 1
    if ref == _CONTENT_DELETED:
        n = r.uint()
        if n == 0:
            raise MalformedUpdate("Lege inhoud in de wijziging")
        return n
    raise UpdateRejected("Dit bord kent deze soort inhoud niet")  # text, XML, binary, subdocs


def _any_content(r: _Reader, ref: int) -> int:
    """Any kind of item content, as Yjs writes it; returns its length."""
    if ref in (_CONTENT_ANY, _CONTENT_DELETED, 2):  # plain values, deleted, JSON (legacy)
        n = r.uint()
        for _ in range(n):
            if ref == _CONTENT_ANY:
                r.any()
            elif ref == 2:
                r.string()
        return n
    if ref == 3:  # binary
        r.skip(r.uint())
    elif ref == 4:  # text: its length counts UTF-16 code units
        return len(r.string().encode("utf-16-le")) // 2
    elif ref == 5:  # embed
        r.string()
    elif ref == 6:  # format: key and value
        r.string(), r.string()
    elif ref == _CONTENT_TYPE:
        if r.uint() in (3, 5):  # XML element and hook carry a name
            r.string()
    elif ref == 9:  # subdocument: guid and options
        r.string()
        r.any()
    else:
        raise MalformedUpdate("Onbekend soort stuk in de wijziging")
    return 1


_UNBOUNDED = Limits(
    max_depth=2**62,
    max_string_bytes=2**62,
    max_structs=2**62,
    max_values=2**62,
    max_clients=2**62,
    max_deleted_ranges=2**62,
)


def neutralize(update: bytes, max_depth: int = DEFAULT_LIMITS.max_depth) -> bytes | None:
    """The update with every item whose values nest deeper than `max_depth` turned into
    deleted content of the same length, or None when it has none.

    For data stored by versions before this check existed: Yrs reads nested values
    recursively, so such an item would crash the process whenever the board is read. The
    update keeps every clock and neighbour, so it stays a valid update of the same board.
    Raises MalformedUpdate if the bytes are not an update.
    """
    r = _Reader(update, _UNBOUNDED)
    out, copied = bytearray(), 0
    ignored = Summary()
    for _ in range(r.uint()):
        n, _client, _clock = r.uint(), r.uint(), r.uint()
        for _ in range(n):
            start = r.pos
            r.deepest = 0
            length = _struct(r, None, ignored)
            if r.deepest > max_depth:
                info = (update[start] & 0xE0) | _CONTENT_DELETED
                out += update[copied:start] + bytes([info]) + update[start + 1 : r.content]
                out += write_uint(length)
                copied = r.pos
    if not copied:
        return None
    return bytes(out + update[copied:])
