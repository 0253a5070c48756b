"""One Y document in memory per board, the connections on it, and fan-out.

A room knows nothing of roles or phases: each connection carries an Access that the caller
decided (see board.permissions) and may change at any time. Updates are stored before they
are forwarded: the room applies an update at once, hands it to the store's writer, and sends
it on when the writer reports it committed (server/writer.py). Rooms load on first use and
unload after being idle. Presence (awareness) is relayed by server/awareness.py.
"""

import asyncio
import logging
from collections.abc import Callable, Iterator
from functools import partial
from typing import Any

from pycrdt import Doc, YSyncMessageType
from pycrdt import get_update as pycrdt_get_update

from . import closecodes, compaction
from .awareness import AwarenessRelay
from .config import Config
from .connection import Connection
from .content import board_content
from .store import StorageError, Store
from .sync import (
    ProtocolError,
    SyncMessage,
    _Reader,
    encode_sync_step1,
    encode_sync_step2,
    encode_update,
    parse_message,
    write_uint,
)
from .validate import (SERVER, TOO_MANY_REFUSED, BoardGuard, MeetingGuard, RefusedUpdate,
                       writer_key)
from .yupdate import Summary

NOT_STORED = "Opslaan mislukt, probeer het opnieuw"  # close reason with INTERNAL_ERROR

log = logging.getLogger("netwerkbord.rooms")

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
    def __init__(self, key: RoomKey, store: Store, compact_after: int,
                 meeting: MeetingGuard | None = None, *, config: Config | None = None) -> None:
        self.key = key
        self.store = store
        self.compact_after = compact_after
        self.connections: set[Connection] = set()
        self.meeting = meeting or MeetingGuard.load(store, key[0], 2**62, 2**62)
        self.guard = BoardGuard(key[1])
        self.doc: Doc = Doc()
        self._captured: list[bytes] = []
        self.pending = 0  # updates logged since the last snapshot
        self.loads = 1  # times the document was read from disk (see _stored)
        # A big board's compaction encodes its state in a thread (server/compaction.py):
        # meanwhile writes to it wait here, in order.
        self.encoding = False
        self.gone = False  # unloaded or deleted: a compaction in progress stops
        self._held_back: list[tuple[Connection, bytes]] = []
        self._compaction: asyncio.Task[None] | None = None
        self._load(self.doc)
        # presence; reads as a mapping of the live states: client id -> (clock, JSON)
        self.awareness = AwarenessRelay(self.connections, self._broadcast, config)

    def _load(self, doc: Doc) -> None:
        """Read the board into a fresh `doc` and make it the room's document."""
        snapshot, updates = self.store.load_board(*self.key)
        _apply_all(doc, snapshot, updates)
        self.doc, self.pending = doc, len(updates)
        self.meeting.sizes.set(self.key[1], len(snapshot or b"") + sum(map(len, updates)))
        doc.observe(lambda event: self._captured.append(event.update))
        self.guard.attach(doc)
        self.meeting.client_ids.claim([doc.client_id], SERVER, persist=False)

    # connections --------------------------------------------------------------------------

    def join(self, conn: Connection) -> None:
        self.connections.add(conn)
        conn.send(encode_sync_step1(self.doc.get_state()))
        self.awareness.join(conn)

    def leave(self, conn: Connection) -> None:
        self.connections.discard(conn)
        self.awareness.drop(conn)

    def revoke(self, conn: Connection, code: int, reason: str) -> None:
        """Cut a connection off now: it receives nothing more and is closed."""
        conn.shut(code, reason)
        self.leave(conn)

    # messages -----------------------------------------------------------------------------

    def receive(self, conn: Connection, data: bytes) -> None:
        """Handle one binary frame from a connection. Raises ProtocolError on bad input."""
        if conn.closed:
            return
        message = parse_message(data, self.awareness.max_json_depth,
                                self.awareness.max_state_bytes)
        if isinstance(message, SyncMessage):
            self._sync(conn, message)
        else:  # presence, or a query for it
            self.awareness.receive(conn, message)
            if conn.client_ids:  # announcing a client id claims it, before it writes
                self.meeting.client_ids.claim(conn.client_ids, writer_key(conn.principal),
                                              persist=False)

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
        if self.encoding:
            self._held_back.append((conn, message.payload))
            return
        self.apply(message.payload, origin=conn)

    def receive_safely(self, conn: Connection, data: bytes) -> None:
        """receive(), where a refused or broken message closes that device only."""
        try:
            self.receive(conn, data)
        except RefusedUpdate as e:  # nothing of it was kept; the device loads the board anew
            conn.shut(e.code, e.reason)
        except ProtocolError as e:
            conn.shut(closecodes.PROTOCOL_ERROR, f"Ongeldig bericht: {e}")
        except (asyncio.CancelledError, KeyboardInterrupt, SystemExit):
            raise
        except BaseException:  # also a Rust panic in pycrdt (pyo3's PanicException)
            log.exception("unexpected error on %s/%s", *self.key)
            conn.shut(closecodes.INTERNAL_ERROR, "Interne fout")

    def run_held_back(self) -> None:
        """Apply the writes that came while the state was being encoded."""
        held, self._held_back = self._held_back, []
        for conn, update in held:
            if not conn.closed:
                self.receive_safely(conn, encode_update(update))

    def apply(self, update: bytes, origin: Connection | None = None) -> None:
        """Apply a client's update: check it (server/validate.py), store what is new, then
        forward it to everyone else. Raises RefusedUpdate or ProtocolError, having kept
        nothing of it."""
        if origin is None:  # from the server itself (tests, tools): trusted
            self._apply(update, None)
            self._commit(None)
            return
        principal = origin.principal
        me = writer_key(principal)
        if not self.meeting.refusals.allowed(me):
            raise RefusedUpdate(closecodes.RATE_LIMITED, TOO_MANY_REFUSED)
        try:
            summary = self._check(update, principal)
        except RefusedUpdate as refused:
            if refused.code != closecodes.QUOTA_EXCEEDED or not self.pending:
                raise
            # Deleted content leaves with the log: it may fit after compacting. A big board
            # is compacted in parts, in the background; the device may try again later.
            self.compact_soon()
            if self.compacting:
                raise
            self.store.writer.flush()
            summary = self._check(update, principal)
        self.guard.watch()
        loads = self.loads
        try:
            self._apply(update, origin)
            changes = self.guard.stop()
            reason = self.guard.after(principal, changes)
            if reason:
                self._captured.clear()
                self._reload()
                raise RefusedUpdate(closecodes.UPDATE_REFUSED, reason)
        except (RefusedUpdate, ProtocolError):
            if self.loads != loads:  # it cost a read from disk: that is counted
                self.meeting.refusals.charge(me)
            raise
        finally:
            self.guard.stop()
        self.guard.accept(changes)
        self.meeting.client_ids.claim(summary.clients, me)
        self._commit(origin)

    def _check(self, update: bytes, principal: object) -> Summary:
        return self.guard.before(update, principal, self.doc, self.meeting.client_ids,
                                 self.meeting.sizes)

    def _apply(self, update: bytes, origin: Connection | None) -> None:
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
        if self.encoding:  # only note boards grow big; the server writes to those only new
            raise RuntimeError("a board being compacted in parts takes no server change")
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
            self.pending += 1
            self.meeting.sizes.add(self.key[1], len(update))
            self.store.writer.append(self.key, update,
                                     partial(self._stored, update, origin, self.loads))
        if self.pending >= self.compact_after:
            self.compact_soon()

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
        if loads == self.loads:  # else the failure of an earlier update reloaded it already
            self._reload()

    def _send_when_stored(self, conn: Connection, reply: bytes, error: Exception | None) -> None:
        if error is None:
            conn.send(reply)
        else:  # the reply may hold an update that was not stored: start again
            conn.shut(closecodes.INTERNAL_ERROR, NOT_STORED)

    def _reload(self) -> None:
        """Go back to what is stored (after a failed write or a refused update)."""
        try:
            self._load(Doc())
        except Exception:
            log.exception("reloading %s/%s failed", *self.key)
            return
        self.loads += 1

    def compact_soon(self) -> None:
        """Compact now, or for a big board on a disk, start compacting it in parts."""
        if self._compaction is not None:
            return
        size = self.meeting.sizes.boards.get(self.key[1], 0)
        if size < compaction.IN_PARTS_FROM or not self.store.writer.batch:
            self.compact()
            return
        task = asyncio.get_running_loop().create_task(compaction.compact_in_parts(self))
        task.add_done_callback(self._compaction_done)
        self._compaction = task

    @property
    def compacting(self) -> bool:
        return self._compaction is not None

    def _compaction_done(self, task: "asyncio.Task[None]") -> None:
        self._compaction = None
        if not task.cancelled() and task.exception() is not None:
            log.error("compacting %s/%s failed", *self.key, exc_info=task.exception())

    def compacted(self, pending: int, size: int) -> None:
        """compaction.py made a snapshot holding the first `pending` logged updates."""
        self.pending = max(0, self.pending - pending)
        self.meeting.sizes.set(self.key[1], size)

    def compact(self) -> None:
        """Compact at once (small boards; and every board at shutdown)."""
        if self._compaction is not None:  # its parts are dropped with the log below
            self._compaction.cancel()
            self._compaction = None
        if self.pending:
            state = self.doc.get_update()
            self.store.writer.compact(self.key, state)
            self.meeting.sizes.set(self.key[1], len(state))
            self.pending = 0

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

    def __init__(self, store: Store, idle_seconds: float = 60.0, compact_after: int = 500,
                 board_quota: int = 8 * 2**20, meeting_quota: int = 64 * 2**20, *,
                 config: Config | None = None):
        self.store = store
        self.config = config  # for the rooms' presence limits (server/awareness.py)
        self.idle_seconds = idle_seconds
        self.compact_after = compact_after
        self.board_quota, self.meeting_quota = board_quota, meeting_quota
        self._rooms = _RoomIndex()
        self._unload_timers: dict[RoomKey, asyncio.TimerHandle] = {}
        self._meetings: dict[str, MeetingGuard] = {}  # of the meetings with a board loaded

    def get(self, meeting_id: str, board_id: str) -> Room:
        key = (meeting_id, board_id)
        timer = self._unload_timers.pop(key, None)
        if timer is not None:
            timer.cancel()
        room = self._rooms.get(key)
        if room is None:
            meeting = self._meetings.get(meeting_id)
            if meeting is None:
                meeting = self._meetings[meeting_id] = MeetingGuard.load(
                    self.store, meeting_id, self.board_quota, self.meeting_quota)
            room = self._rooms[key] = Room(key, self.store, self.compact_after, meeting,
                                           config=self.config)
        return room

    def _drop(self, key: RoomKey) -> None:
        self._rooms.pop(key).gone = True
        if not self.boards_of(key[0]):
            self._meetings.pop(key[0], None)

    def release(self, room: Room) -> None:
        """Call when done with a room; it unloads after idle_seconds without connections."""
        if room.connections or room.key in self._unload_timers:
            return
        loop = asyncio.get_running_loop()
        self._unload_timers[room.key] = loop.call_later(self.idle_seconds, self._unload, room.key)

    def _unload(self, key: RoomKey, at_once: bool = False) -> None:
        self._unload_timers.pop(key, None)
        room = self._rooms.get(key)
        if room is None or room.connections:
            return
        try:
            if at_once:
                room.compact()
            else:
                room.compact_soon()
                if room.compacting:  # a big board, in parts: unload when that is done
                    loop = asyncio.get_running_loop()
                    self._unload_timers[key] = loop.call_later(1.0, self._unload, key)
                    return
        except Exception:
            log.exception("compacting %s/%s on unload failed; its log stays", *key)
        self._drop(key)

    def forget(self, meeting_id: str) -> None:
        """Drop a (deleted) meeting's boards from memory without writing them back."""
        for board_id in list(self.boards_of(meeting_id)):
            timer = self._unload_timers.pop((meeting_id, board_id), None)
            if timer is not None:
                timer.cancel()
            self._drop((meeting_id, board_id))

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
            self._unload(key, at_once=True)
