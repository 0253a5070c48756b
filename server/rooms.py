"""One Y document in memory per board, the connections on it, and fan-out.

A room knows nothing of roles or phases: each connection carries an Access that the caller
decided (see board.permissions) and may change at any time. Updates are stored before they
are forwarded: the room applies an update at once, hands it to the store's writer, and sends
it on when the writer reports it committed (server/writer.py). Rooms load on first use and
unload after being idle.
"""

import asyncio
import logging
from collections.abc import Callable, Iterator
from functools import partial
from typing import Any

from pycrdt import Doc, YSyncMessageType
from pycrdt import get_update as pycrdt_get_update

from . import closecodes
from .connection import Connection
from .content import board_content
from .store import StorageError, Store
from .sync import (
    AwarenessEntry,
    AwarenessMessage,
    ProtocolError,
    QueryAwareness,
    SyncMessage,
    _Reader,
    encode_awareness,
    encode_sync_step1,
    encode_sync_step2,
    encode_update,
    parse_message,
    write_uint,
)

NOT_STORED = "Opslaan mislukt, probeer het opnieuw"  # close reason with INTERNAL_ERROR

log = logging.getLogger("netwerkbord.rooms")

MAX_CLIENT_IDS_PER_CONNECTION = 16
AWARENESS_BATCH_FROM = 32  # connections; smaller rooms relay presence at once
AWARENESS_BATCH_SECONDS = 0.1

RoomKey = tuple[str, str]  # (meeting id, board id)


def _unintegrated(update: bytes, state: bytes) -> bool:
    """Whether the update holds changes beyond the state vector it was just applied to."""
    try:
        rest = pycrdt_get_update(update, state)
    except ValueError:
        return True
    return rest[:1] != b"\x00"  # the first number counts the clients with changes left


def _apply_all(doc: Doc, snapshot: bytes | None, updates: list[bytes]) -> None:
    """Load a stored board; one transaction for the whole log is about twice as fast.
    (Merging the log with Yrs' merge_updates first was tried: ten times slower.)"""
    with doc.transaction():
        if snapshot is not None:
            doc.apply_update(snapshot)
        for update in updates:
            doc.apply_update(update)


def _first_gap(update: bytes, state: bytes) -> tuple[int, int, int] | None:
    """(client, from, to) of the first client whose part of the update starts past the
    state vector, or None."""
    try:
        rest = _Reader(pycrdt_get_update(update, state))
        if rest.uint() == 0:
            return None
        rest.uint()  # number of structs
        client, clock = rest.uint(), rest.uint()
        known = _Reader(state)
        have = 0
        for _ in range(known.uint()):
            c, k = known.uint(), known.uint()
            if c == client:
                have = k
    except (ValueError, ProtocolError):
        return None
    return (client, have, clock) if clock > have else None


def _gc_update(client: int, start: int, end: int) -> bytes:
    """An update holding one garbage-collected range of a client's clock, no deletions."""
    return (write_uint(1) + write_uint(1) + write_uint(client) + write_uint(start)
            + b"\x00" + write_uint(end - start) + write_uint(0))


class Room:
    def __init__(self, key: RoomKey, store: Store, compact_after: int) -> None:
        self.key = key
        self.store = store
        self.compact_after = compact_after
        self.connections: set[Connection] = set()
        self.doc: Doc = Doc()
        self._captured: list[bytes] = []
        self._pending = 0  # updates logged since the last snapshot
        self._loads = 1  # times the document was read from disk (see _stored)
        self._load()
        self.doc.observe(lambda event: self._captured.append(event.update))
        # awareness: client id -> (clock, JSON state); "null" marks a departed client
        self.awareness: dict[int, tuple[int, str]] = {}
        self._owner: dict[int, Connection] = {}
        self._awareness_out: dict[int, AwarenessEntry] = {}  # batched, in big rooms
        self._awareness_flush: asyncio.TimerHandle | None = None

    def _load(self) -> None:
        snapshot, updates = self.store.load_board(*self.key)
        _apply_all(self.doc, snapshot, updates)
        self._pending = len(updates)

    # connections --------------------------------------------------------------------------

    def join(self, conn: Connection) -> None:
        self.connections.add(conn)
        conn.send(encode_sync_step1(self.doc.get_state()))
        live = [AwarenessEntry(cid, clock, state)
                for cid, (clock, state) in self.awareness.items() if state != "null"]
        if live:
            conn.send(encode_awareness(live))

    def leave(self, conn: Connection) -> None:
        self.connections.discard(conn)
        self._drop_awareness_of(conn)

    def revoke(self, conn: Connection, code: int, reason: str) -> None:
        """Cut a connection off now: it receives nothing more and is closed."""
        conn.shut(code, reason)
        self.leave(conn)

    # messages -----------------------------------------------------------------------------

    def receive(self, conn: Connection, data: bytes) -> None:
        """Handle one binary frame from a connection. Raises ProtocolError on bad input."""
        if conn.closed:
            return
        message = parse_message(data)
        if isinstance(message, SyncMessage):
            self._sync(conn, message)
        elif isinstance(message, AwarenessMessage):
            self._awareness(conn, message.entries)
        elif isinstance(message, QueryAwareness):
            live = [AwarenessEntry(c, clock, s) for c, (clock, s) in self.awareness.items()]
            conn.send(encode_awareness(live))

    def _sync(self, conn: Connection, message: SyncMessage) -> None:
        if message.kind == YSyncMessageType.SYNC_STEP1:
            try:
                missing = self.doc.get_update(message.payload)
            except ValueError:
                raise ProtocolError("invalid state vector") from None
            reply = encode_sync_step2(missing)
            writer = self.store.writer
            if writer.idle():
                conn.send(reply)
            else:  # it may hold updates not yet on disk: hand it out once they are
                writer.after(partial(self._send_when_stored, conn, reply))
            return
        # Step 2 carries writes just like an update does: both need write access.
        if not conn.can_write:
            conn.refused_writes = True
            return
        self.apply(message.payload, origin=conn)

    def apply(self, update: bytes, origin: Connection | None = None) -> None:
        """Apply a client's update: store what is new, then forward it to everyone else."""
        self._captured.clear()
        try:
            self.doc.apply_update(update)
        except ValueError:
            raise ProtocolError("invalid update") from None
        except BaseException as e:
            if type(e).__name__ != "PanicException":  # Yrs panicked on this input
                raise
            log.warning("pycrdt panicked on an update for %s/%s", *self.key)
            self._captured.clear()
            self._reload()
            raise ProtocolError("invalid update") from None
        if _unintegrated(update, self.doc.get_state()):
            # Part of it waits for history the server does not have: a gap in a client's
            # clock. Yrs may show such a part without reporting it as a change, so it would be
            # shown but never stored or forwarded: start again from what is stored.
            self._captured.clear()
            self._reload()
            if origin is None or not origin.refused_writes or not self._fill_gaps(update):
                # Refuse it: the device reconnects, and its resync has no gap.
                raise ProtocolError("update depends on changes the server does not have")
        self._commit(origin)

    def _fill_gaps(self, update: bytes) -> bool:
        """Apply an update from a device whose earlier writes were refused (read-only then).

        Its later updates follow those writes in its clock, so no Yjs peer could ever take
        them. The refused part is filled with garbage-collected placeholders (GC structs),
        stored and forwarded like any update: the refused writes stay refused everywhere, and
        what the device may write now goes through. Returns False if that did not work.
        """
        for _ in range(8):  # one client's gap per round
            gap = _first_gap(update, self.doc.get_state())
            if gap is None:
                break
            client, start, end = gap
            self.doc.apply_update(_gc_update(client, start, end))
            self.doc.apply_update(update)
        if _unintegrated(update, self.doc.get_state()):
            self._captured.clear()
            self._reload()
            return False
        return True

    def transact(self, change: Callable[[Doc], None]) -> None:
        """Make a server-side change (e.g. the verloop board) and store and forward it.
        Waits for the disk: the caller answers a request with it (StorageError if it failed)."""
        self._captured.clear()
        with self.doc.transaction(origin="server"):
            change(self.doc)
        writer = self.store.writer
        failures = writer.failures
        self._commit(None)
        writer.flush()
        if writer.failures > failures:
            raise StorageError("the change was not stored")

    def _commit(self, origin: Connection | None) -> None:
        captured, self._captured = self._captured, []
        for update in captured:
            self._pending += 1
            self.store.writer.append(self.key, update,
                                     partial(self._stored, update, origin, self._loads))
        if self._pending >= self.compact_after:
            self.compact()

    def _stored(self, update: bytes, origin: Connection | None, loads: int,
                error: Exception | None) -> None:
        """The writer's report on one update: forward it, or undo it. (`loads`: how often
        the document had been read from disk when the update came.)"""
        if error is None:
            self._broadcast(encode_update(update), exclude=origin)
            return
        # Nothing of it is forwarded. The document in memory already holds it, though, and
        # would hand it to the next device: go back to what is stored. The device that sent
        # it still has it and sends it again when it reconnects.
        log.error("storing an update for %s/%s failed: %s", *self.key, error)
        if origin is not None:
            origin.shut(closecodes.INTERNAL_ERROR, NOT_STORED)
        if loads == self._loads:  # else the failure of an earlier update reloaded it already
            self._reload()

    def _send_when_stored(self, conn: Connection, reply: bytes, error: Exception | None) -> None:
        if error is None:
            conn.send(reply)
        else:  # the reply may hold an update that was not stored: start again
            conn.shut(closecodes.INTERNAL_ERROR, NOT_STORED)

    def _reload(self) -> None:
        try:
            doc = Doc()
            snapshot, updates = self.store.load_board(*self.key)
            _apply_all(doc, snapshot, updates)
        except Exception:
            log.exception("reloading %s/%s after a failed write failed", *self.key)
            return
        self.doc, self._pending = doc, len(updates)
        self._loads += 1
        doc.observe(lambda event: self._captured.append(event.update))

    def compact(self) -> None:
        if self._pending:
            self.store.writer.compact(self.key, self.doc.get_update())
            self._pending = 0

    # awareness ----------------------------------------------------------------------------

    def _awareness(self, conn: Connection, entries: tuple[AwarenessEntry, ...]) -> None:
        accepted = []
        for e in entries:
            owner = self._owner.get(e.client_id)
            if owner is not None and owner is not conn:
                continue  # a device may not speak for another device
            known = self.awareness.get(e.client_id)
            if known is not None and not (
                e.clock > known[0] or (e.clock == known[0] and e.removed and known[1] != "null")
            ):
                continue  # outdated
            if e.removed:
                self._owner.pop(e.client_id, None)
                conn.client_ids.discard(e.client_id)
            else:
                if owner is None and len(conn.client_ids) >= MAX_CLIENT_IDS_PER_CONNECTION:
                    continue
                self._owner[e.client_id] = conn
                conn.client_ids.add(e.client_id)
            self.awareness[e.client_id] = (e.clock, e.state)
            accepted.append(e)
        if not accepted:
            return
        if len(self.connections) < AWARENESS_BATCH_FROM:
            self._broadcast(encode_awareness(accepted), exclude=conn)
            return
        # A big room: every device's presence to every device is quadratic. Gather what
        # changed and send it as one message a few times per second; the clocks keep order.
        for e in accepted:
            self._awareness_out[e.client_id] = e
        if self._awareness_flush is None:
            loop = asyncio.get_running_loop()
            self._awareness_flush = loop.call_later(AWARENESS_BATCH_SECONDS, self._flush_awareness)

    def _flush_awareness(self) -> None:
        self._awareness_flush = None
        entries, self._awareness_out = list(self._awareness_out.values()), {}
        if entries:
            self._broadcast(encode_awareness(entries))  # a device ignores its own echo

    def _drop_awareness_of(self, conn: Connection) -> None:
        gone = []
        for cid in conn.client_ids:
            self._awareness_out.pop(cid, None)
            clock = self.awareness.get(cid, (0, "null"))[0] + 1
            self.awareness[cid] = (clock, "null")
            self._owner.pop(cid, None)
            gone.append(AwarenessEntry(cid, clock, "null"))
        conn.client_ids.clear()
        if gone:
            self._broadcast(encode_awareness(gone), exclude=conn)

    def _broadcast(self, message: bytes, exclude: Connection | None = None) -> None:
        dropped = []
        for other in self.connections:
            if other is not exclude:
                other.send(message)
                if other.closed:  # it fell too far behind (or is closing): out of the room
                    dropped.append(other)
        for other in dropped:
            self.leave(other)

    def to_py(self) -> dict[str, Any]:
        """The document's top-level maps as plain Python data."""
        return board_content(self.doc)


class _RoomIndex(dict[RoomKey, Room]):
    """The loaded rooms by key, also indexed by meeting, so that limits and per-meeting loops
    never scan every room on the server."""

    def __init__(self) -> None:
        super().__init__()
        self.by_meeting: dict[str, dict[str, Room]] = {}

    def __setitem__(self, key: RoomKey, room: Room) -> None:
        super().__setitem__(key, room)
        self.by_meeting.setdefault(key[0], {})[key[1]] = room

    def __delitem__(self, key: RoomKey) -> None:
        super().__delitem__(key)
        boards = self.by_meeting.get(key[0], {})
        boards.pop(key[1], None)
        if not boards:
            self.by_meeting.pop(key[0], None)

    def pop(self, key, *default):  # type: ignore[no-untyped-def, override]
        if key in self:
            room = self[key]
            del self[key]
            return room
        if default:
            return default[0]
        raise KeyError(key)


class Rooms:
    """The loaded rooms, created on first use and unloaded when idle."""

    def __init__(self, store: Store, idle_seconds: float = 60.0, compact_after: int = 500):
        self.store = store
        self.idle_seconds = idle_seconds
        self.compact_after = compact_after
        self._rooms = _RoomIndex()
        self._unload_timers: dict[RoomKey, asyncio.TimerHandle] = {}

    def get(self, meeting_id: str, board_id: str) -> Room:
        key = (meeting_id, board_id)
        timer = self._unload_timers.pop(key, None)
        if timer is not None:
            timer.cancel()
        room = self._rooms.get(key)
        if room is None:
            room = self._rooms[key] = Room(key, self.store, self.compact_after)
        return room

    def release(self, room: Room) -> None:
        """Call when done with a room; it unloads after idle_seconds without connections."""
        if room.connections or room.key in self._unload_timers:
            return
        loop = asyncio.get_running_loop()
        self._unload_timers[room.key] = loop.call_later(self.idle_seconds, self._unload, room.key)

    def _unload(self, key: RoomKey) -> None:
        self._unload_timers.pop(key, None)
        room = self._rooms.get(key)
        if room is None or room.connections:
            return
        try:
            room.compact()
        except Exception:
            log.exception("compacting %s/%s on unload failed; its log stays", *key)
        del self._rooms[key]

    def forget(self, meeting_id: str) -> None:
        """Drop a (deleted) meeting's boards from memory without writing them back."""
        for board_id in list(self.boards_of(meeting_id)):
            timer = self._unload_timers.pop((meeting_id, board_id), None)
            if timer is not None:
                timer.cancel()
            del self._rooms[(meeting_id, board_id)]

    def loaded(self, meeting_id: str) -> Iterator[Room]:
        return iter(list(self.boards_of(meeting_id).values()))

    def boards_of(self, meeting_id: str) -> dict[str, Room]:
        """The meeting's loaded boards by board id (do not change the dict)."""
        return self._rooms.by_meeting.get(meeting_id, {})

    def active_meetings(self) -> int:
        return len(self._rooms.by_meeting)

    def is_loaded(self, meeting_id: str, board_id: str) -> bool:
        return (meeting_id, board_id) in self._rooms

    def close(self) -> None:
        """Compact every room (graceful shutdown)."""
        for timer in self._unload_timers.values():
            timer.cancel()
        self._unload_timers.clear()
        for key in list(self._rooms):
            self._unload(key)
