"""One Y document in memory per board, the connections on it, and fan-out.

A room knows nothing of roles or phases: each connection carries an Access that the caller
decided (see board.permissions) and may change at any time. Updates are stored before they
are forwarded: the room applies an update at once, hands it to the store's writer, and sends
it on when the writer reports it committed (server/writer.py). Rooms load on first use and
unload after being idle (server/registry.py). Presence (awareness) is relayed by
server/awareness.py, updates are checked by server/validate.py, gaps in a device's clock are
handled by server/gaps.py and big boards are compacted by server/compaction.py.
"""

import asyncio
import logging
from collections.abc import Callable
from functools import partial
from typing import Any

from pycrdt import Doc, YSyncMessageType

from board.boards import get_board

from . import closecodes, compaction, gaps
from .awareness import AwarenessRelay
from .bus import RoomOrder
from .config import Config
from .connection import Connection
from .content import board_content
from .store import StorageError, Store
from .sync import (
    AwarenessMessage,
    ProtocolError,
    SyncMessage,
    encode_awareness,
    encode_sync_step1,
    encode_sync_step2,
    encode_update,
    parse_message,
)
from .validate import SERVER, TOO_MANY_REFUSED, BoardGuard, MeetingGuard, RefusedUpdate, writer_key
from .yupdate import Summary

NOT_STORED = "Opslaan mislukt, probeer het opnieuw"  # close reason with INTERNAL_ERROR

log = logging.getLogger("netwerkbord.rooms")

RoomKey = tuple[str, str]  # (meeting id, board id)
EMPTY_STATE = b"\x00"  # the state vector of a device that holds nothing yet


def _apply_all(doc: Doc, snapshot: bytes | None, updates: list[bytes]) -> None:
    """Load a stored board; one transaction for the whole log is about twice as fast.
    (Merging the log with Yrs' merge_updates first was tried: ten times slower.)"""
    with doc.transaction():
        if snapshot is not None:
            doc.apply_update(snapshot)
        for update in updates:
            doc.apply_update(update)


def load_doc(store: Store, meeting_id: str, board_id: str) -> Doc:
    """A stored board as a document."""
    doc: Doc = Doc()
    _apply_all(doc, *store.load_board(meeting_id, board_id))
    return doc


class Room:
    def __init__(
        self,
        key: RoomKey,
        store: Store,
        compact_after: int,
        meeting: MeetingGuard | None = None,
        *,
        config: Config | None = None,
        bus: Any = None,
    ) -> None:
        self.key = key
        self.store = store
        # Several nodes (server/bus.py): what this room forwards goes through the meeting's
        # stream, and its devices get it when it comes back, in the meeting's order.
        self.bus = bus
        self.order = RoomOrder()
        self.compact_after = compact_after
        self.connections: set[Connection] = set()
        self.meeting = meeting or MeetingGuard.load(store, key[0], 2**62, 2**62)
        self.guard = BoardGuard(key[1])
        board = get_board(key[1])
        # Presence is neither kept nor relayed on a board every role reads always (`stand`):
        # professionals read it during the closed part, and presence would tell who is there.
        self.quiet = board is not None and board.always_readable
        self._doc: Doc | None = None  # see the `doc` property
        # The stored snapshot of a board whose log was empty, not yet applied in Yrs: a new
        # device gets these bytes as they are (see _sync), the document is made after.
        self._unread: bytes | None = None
        self._step1_owed: list[Connection] = []  # joined before the document was made
        self._captured: list[bytes] = []
        self.pending = 0  # updates logged since the last snapshot
        self.loads = 1  # times the document was read from disk (see _stored)
        # A big board's compaction encodes its state in a thread (server/compaction.py):
        # meanwhile writes to it wait here, in order.
        self.encoding = False
        self.gone = False  # unloaded or deleted: a compaction in progress stops
        self._held_back: list[tuple[Connection, bytes]] = []
        self._compaction: asyncio.Task[None] | None = None
        self._load(Doc(), lazy=bus is None)
        # presence; reads as a mapping of the live states: client id -> (clock, JSON)
        self.awareness = AwarenessRelay(
            self.connections, self._broadcast, config, identify=self._identity
        )
        self.awareness.unbatched = bus is not None

    def _load(self, doc: Doc, lazy: bool = False) -> None:
        """Read the board into a fresh `doc` and make it the room's document. `lazy`: a board
        stored as a snapshot alone (the usual case: compacted when it unloaded) is applied
        only when the document is first needed, so that a new device need not wait for it."""
        snapshot, updates = self.store.load_board(*self.key)
        self.pending = len(updates)
        self.meeting.sizes.set(self.key[1], len(snapshot or b"") + sum(map(len, updates)))
        if lazy and snapshot and not updates:
            self._doc, self._unread = None, snapshot
            return
        _apply_all(doc, snapshot, updates)
        self._use(doc)

    @property
    def doc(self) -> Doc:
        """The board in Yrs; a snapshot not yet applied is applied now, and the devices that
        joined before get the document's state vector (their sync step 1) now."""
        if self._doc is None:
            doc: Doc = Doc()
            _apply_all(doc, self._unread, [])
            self._use(doc)
            owed, self._step1_owed = self._step1_owed, []
            for conn in owed:
                if conn in self.connections and not conn.closed:
                    conn.send(encode_sync_step1(doc.get_state()))
        return self._doc  # type: ignore[return-value]  # (set by _use)

    def _use(self, doc: Doc) -> None:
        self._doc, self._unread = doc, None
        doc.observe(lambda event: self._captured.append(event.update))
        self.guard.attach(doc)
        self.meeting.client_ids.claim([doc.client_id], SERVER, persist=False)

    # connections --------------------------------------------------------------------------

    def _identity(self, conn: Connection) -> tuple[Callable[[int], bool], dict[str, str]]:
        """Presence is the device's own (server/awareness.py): its client ids, its role."""
        me = writer_key(conn.principal)
        owners = self.meeting.client_ids.owners
        principal = conn.principal
        fields = {}
        if principal is not None and hasattr(principal, "role"):
            fields = {"role": str(principal.role), "device": principal.device}
        return (lambda cid: owners.get(cid, me) == me), fields

    def join(self, conn: Connection) -> None:
        self.connections.add(conn)
        if self._doc is None:  # not applied yet: sent when it is (see `doc`)
            self._step1_owed.append(conn)
        else:
            conn.send(encode_sync_step1(self._doc.get_state()))
        self.awareness.join(conn)
        if self.bus is not None:
            self.bus.connections_changed(self.key[0])

    def leave(self, conn: Connection) -> None:
        self.connections.discard(conn)
        self.awareness.drop(conn)
        if self.bus is not None:
            self.bus.connections_changed(self.key[0])

    def revoke(self, conn: Connection, code: int, reason: str) -> None:
        """Cut a connection off now: it receives nothing more and is closed."""
        conn.shut(code, reason)
        self.leave(conn)

    # messages -----------------------------------------------------------------------------

    def receive(self, conn: Connection, data: bytes) -> None:
        """Handle one binary frame from a connection. Raises ProtocolError on bad input."""
        if conn.closed:
            return
        message = parse_message(data, self.awareness.max_json_depth, self.awareness.max_state_bytes)
        if isinstance(message, SyncMessage):
            self._sync(conn, message)
        elif self.quiet:
            return  # `stand`: read during the closed part by professionals, so no presence
        else:  # presence, or a query for it
            ids = len(conn.client_ids)
            self.awareness.receive(conn, message)
            if self.bus is not None and len(conn.client_ids) != ids:  # (the console's list)
                self.bus.connections_changed(self.key[0])
            if conn.client_ids:  # announcing a client id claims it, before it writes
                me, owned = writer_key(conn.principal), self.meeting.client_ids
                # With several nodes it is stored too: a node that loads the meeting later
                # knows it (within the device's quota of client ids, see ClientIds).
                keep = self.bus is not None and owned.count[me] < owned.MAX_PER_DEVICE
                owned.claim(conn.client_ids, me, persist=keep)

    def _sync(self, conn: Connection, message: SyncMessage) -> None:
        if message.kind == YSyncMessageType.SYNC_STEP1:
            if self._unread is not None and message.payload == EMPTY_STATE:
                # A new device on a board stored as a snapshot: the snapshot is the whole
                # board. It goes out as it is; the document is made right after.
                conn.send(encode_sync_step2(self._unread))
                asyncio.get_running_loop().call_soon(lambda: self.doc)
                return
            try:
                missing = self.doc.get_update(message.payload)
            except ValueError:
                raise ProtocolError("invalid state vector") from None
            reply = encode_sync_step2(missing)
            writer = self.store.writer
            if self.bus is not None:  # only once this node's updates so far went round
                failures = writer.failures

                def answer() -> None:  # (an update it holds may have failed meanwhile)
                    failed = writer.failures > failures
                    self._send_when_stored(conn, reply, StorageError("") if failed else None)

                self.bus.after(self, answer)
            elif writer.idle():
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
        self._commit(origin, tuple(summary.clients))

    def _check(self, update: bytes, principal: object) -> Summary:
        return self.guard.before(
            update, principal, self.doc, self.meeting.client_ids, self.meeting.sizes
        )

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
        if gaps.unintegrated(update, self.doc.get_state()):
            # Part of it waits for history the server does not have: a gap in a client's
            # clock. Yrs may show such a part without reporting it as a change, so it would be
            # shown but never stored or forwarded: start again from what is stored.
            self._captured.clear()
            self._reload()
            if origin is not None and origin.refused_writes:
                # Its earlier writes were refused (read-only then): see gaps.fill.
                if gaps.fill(self.doc, update):
                    return
                self._captured.clear()
                self._reload()
            # Refuse it: the device reconnects, and its resync has no gap.
            raise ProtocolError("update depends on changes the server does not have")

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

    def _commit(self, origin: Connection | None, claims: tuple[int, ...] = ()) -> None:
        captured, self._captured = self._captured, []
        for update in captured:
            self.pending += 1
            self.order.sent += 1
            self.meeting.sizes.add(self.key[1], len(update))
            self.store.writer.append(
                self.key, update, partial(self._stored, update, origin, self.loads, claims)
            )
        if self.pending >= self.compact_after:
            self.compact_soon()

    def _stored(
        self,
        update: bytes,
        origin: Connection | None,
        loads: int,
        claims: tuple[int, ...],
        error: Exception | None,
    ) -> None:
        """The writer's report on one update: forward it, or undo it. (`loads`: how often
        the document had been read from disk when the update came; `claims`: the client
        ids it was written with, which other nodes learn are its device's.)"""
        if error is None:
            self._broadcast(encode_update(update), origin, claims, counted=True)
            return
        if self.bus is not None:
            self.bus.skip(self)  # it will not come back from the stream
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
        if self.store.compacts_itself:
            self._compact_in_database()
            return
        size = self.meeting.sizes.boards.get(self.key[1], 0)
        if size < compaction.IN_PARTS_FROM or not self.store.writer.batch:
            self.compact()
            return
        task = asyncio.get_running_loop().create_task(compaction.compact_in_parts(self))
        task.add_done_callback(self._compaction_done)
        self._compaction = task

    def _compact_in_database(self) -> None:
        """PostgreSQL (server/pgstore.py): the database compacts the board from what it
        holds, whichever node asks; the document in memory is not involved."""
        pending = self.pending

        async def run() -> None:
            store: Any = self.store  # a PgStore
            size = await store.compact(*self.key)
            self.compacted(pending, size)

        task = asyncio.get_running_loop().create_task(run())
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
        if self.store.compacts_itself:  # (PostgreSQL: the log stays for the next node)
            return
        if self._compaction is not None:  # its parts are dropped with the log below
            self._compaction.cancel()
            self._compaction = None
        if self.pending:
            state = self.doc.get_update()
            self.store.writer.compact(self.key, state)
            self.meeting.sizes.set(self.key[1], len(state))
            self.pending = 0

    def _broadcast(
        self,
        message: bytes,
        exclude: Connection | None = None,
        claims: tuple[int, ...] = (),
        counted: bool = False,
    ) -> None:
        """Forward to every device on the board but `exclude`; with several nodes, to every
        device on every node, through the meeting's stream (server/bus.py)."""
        if self.bus is None:
            self.deliver(message, exclude)
            return
        owner = ""
        if exclude is not None:
            owner = writer_key(exclude.principal)
            claims = (*claims, *exclude.client_ids)
        self.bus.publish(self, message, exclude, owner, claims, counted)

    def deliver(self, message: bytes, exclude: Connection | None = None) -> None:
        """Send to this node's devices on the board but `exclude`."""
        dropped = []
        for other in self.connections:
            if other is not exclude:
                other.send(message)
                if other.closed:  # it fell too far behind (or is closing): out of the room
                    dropped.append(other)
        for other in dropped:
            self.leave(other)

    # several nodes (server/bus.py) --------------------------------------------------------

    def apply_remote(self, message: bytes, owner: str) -> None:
        """A message another node forwarded (and stored, if it is an update): take it in
        and forward it to this node's devices. Presence only for client ids that are the
        sender's (`owner`) or nobody's, and none a device on this node speaks for."""
        # (checked by the node it came from; presence got a little longer there: stamped)
        parsed = parse_message(message, self.awareness.max_json_depth)
        if isinstance(parsed, AwarenessMessage):
            owners = self.meeting.client_ids.owners
            entries = self.awareness.remote(
                [e for e in parsed.entries if owners.get(e.client_id, owner) == owner]
            )
            if entries:
                self.deliver(message if entries == parsed.entries else encode_awareness(entries))
            return
        if isinstance(parsed, SyncMessage) and parsed.kind == YSyncMessageType.SYNC_UPDATE:
            self._take_in(parsed.payload)
        self.deliver(message)

    def _take_in(self, update: bytes) -> None:
        """Apply an update stored elsewhere: no checks, no log (it is in the database)."""
        self.guard.watch()
        try:
            self.doc.apply_update(update)
        except Exception:
            log.exception("an update from another node could not be applied to %s/%s", *self.key)
        finally:
            self.guard.accept(self.guard.stop())
            self._captured.clear()
        self.meeting.sizes.add(self.key[1], len(update))

    def catch_up(self) -> None:
        """Take in what the database has and this document lacks (entries were missed)."""
        fresh = load_doc(self.store, *self.key)
        missing = fresh.get_update(self.doc.get_state())
        if missing != b"\x00\x00":
            self._take_in(missing)
            self.deliver(encode_update(missing))

    def to_py(self) -> dict[str, Any]:
        """The document's top-level maps as plain Python data."""
        return board_content(self.doc)
