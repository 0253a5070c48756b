"""Every update a device sends is checked before it can reach the disk or another device.

Three checks, in this order:
1. Before pycrdt sees the bytes: server/yupdate.py walks the update with bounds on depth,
   sizes and counts, and refuses content kinds and top-level names the board does not have.
   Then the client ids it writes (ClientIds: a client id belongs to the first device that
   writes with it in a meeting) and the board's and the meeting's size quotas (Sizes).
2. pycrdt applies it, while BoardGuard collects what changed from the document's events.
3. board.schema.refusal() judges those changes: field types and sizes, and the writer's rights
   on notes. A refused update was never stored or forwarded; the room goes back to what is
   stored (Room._reload) and the device is closed with 4422 or 4413.
"""

import time
from collections import Counter
from collections.abc import Callable, Iterable
from functools import partial
from typing import Any

from pycrdt import Doc, Map
from pycrdt._pycrdt import Map as _RawMap

from board import schema
from board.roles import Role

from . import closecodes
from .limits import AuthThrottle
from .sync import ProtocolError, decode_state_vector
from .yupdate import (
    DEFAULT_LIMITS,
    RECORD,
    RECORDS,
    Limits,
    MalformedUpdate,
    Summary,
    UpdateRejected,
    inspect,
)

SERVER = "server"  # owner of the client ids the server itself writes with


class RefusedUpdate(Exception):
    """Nothing of the update was kept. Close the device with `code`, telling it `reason`."""

    def __init__(self, code: int, reason: str) -> None:
        super().__init__(reason)
        self.code, self.reason = code, reason


def writer_key(principal: Any) -> str:
    """Who owns the client ids a connection writes with: its device, or its link when the
    device gave no id. A device id is chosen by the browser and shown in its presence, so it
    counts only together with the role: another role's link cannot pass for that device."""
    device = getattr(principal, "device", "")
    if device:
        return f"device:{getattr(principal, 'role', '')}:{device}"
    return f"link:{getattr(principal, 'token_hash', '')}"


class ClientIds:
    """Which device owns which Yjs client id in one meeting.

    A device's changes carry its client id and a clock; a device that wrote with another's
    client id, far ahead in its clock, would make the server ignore that device's real edits
    as already seen. Claims made by writing are stored (`store.claim_client_ids`), so they
    hold after a restart; a claim by presence (a device announcing its client id before it
    writes anything) lives in memory only.
    """

    MAX_PER_DEVICE = 1000  # a browser takes a new one per board each time it opens the page

    def __init__(self, owners: dict[int, str], persist: Any = None) -> None:
        self.owners = owners
        self._persist = persist  # callable(list[(client id, owner)]) or None
        self.count = Counter(owners.values())  # client ids per owner

    def too_many(self, summary: Summary, me: str) -> bool:
        """Whether `me` would own more than MAX_PER_DEVICE client ids: each costs the server
        memory and a stored row however small the update, so they are a quota too."""
        new = sum(1 for c in summary.clients if c not in self.owners)
        return new > 0 and self.count[me] + new > self.MAX_PER_DEVICE

    def foreign(self, summary: Summary, me: str, state: dict[int, int]) -> int | None:
        """A client id that `summary` writes beyond what is stored although it belongs to
        someone else, or None."""
        for client, (_, end) in summary.clients.items():
            owner = self.owners.get(client)
            if owner is not None and owner != me and end > state.get(client, 0):
                return client
        return None

    def claim(self, clients: Iterable[int], me: str, persist: bool = True) -> None:
        new = [(c, me) for c in clients if c not in self.owners]
        for client, owner in new:
            self.owners[client] = owner
        self.count[me] += len(new)
        if new and persist and self._persist is not None:
            self._persist(new)


class Sizes:
    """Bytes stored per board of one meeting (snapshot plus log), for the quotas."""

    def __init__(self, boards: dict[str, int], board_quota: int, meeting_quota: int) -> None:
        self.boards = boards
        self.board_quota, self.meeting_quota = board_quota, meeting_quota

    def check(self, board_id: str, extra: int) -> str | None:
        if self.boards.get(board_id, 0) + extra > self.board_quota:
            return "Dit bord is vol: er kan niets meer bij"
        if sum(self.boards.values()) + extra > self.meeting_quota:
            return "Deze bijeenkomst is vol: er kan niets meer bij"
        return None

    def add(self, board_id: str, size: int) -> None:
        self.boards[board_id] = self.boards.get(board_id, 0) + size

    def set(self, board_id: str, size: int) -> None:
        self.boards[board_id] = size


def state_vector(doc: Doc) -> dict[int, int]:
    """The document's clock per client id."""
    return decode_state_vector(doc.get_state())


class BoardGuard:
    """The checks for one board's document (see the module docstring)."""

    def __init__(self, board_id: str, limits: Limits = DEFAULT_LIMITS) -> None:
        self.board_id = board_id
        self.limits = limits
        self.roots = {
            name: RECORDS if records else RECORD
            for name, records in schema.roots_of(board_id).items()
        }
        self._owned = [name for name, root in schema.ROOTS.get(board_id, {}).items() if root.owned]
        self.owners: dict[tuple[str, str], str] = {}  # (root, record id) -> role
        self._changes: list[schema.Change] | None = None  # collecting while not None
        self._subscriptions: list[Any] = []

    def attach(self, doc: Doc) -> None:
        """Watch a (re)loaded document and learn who owns its notes."""
        self._subscriptions = []
        self.owners = {}
        for name in self.roots:
            root = doc.get(name, type=Map)
            self._subscriptions.append(_observe_deep(root, partial(self._collect, name)))
            if name in self._owned:
                for key, value in root.items():
                    role = value.get("role") if isinstance(value, Map) else None
                    if isinstance(role, str):
                        self.owners[(name, key)] = role
        # The other top-level maps (`meta`, written by the server) can still lose entries
        # to a delete set, which names no top-level map: watch them too, so that is refused.
        for name in (set(doc.keys()) | {"meta"}) - set(self.roots):
            try:
                root = doc.get(name, type=Map)
            except Exception:  # not a map (no board of ours has one): nothing to watch
                continue
            self._subscriptions.append(_observe_deep(root, partial(self._collect, name)))

    def before(
        self, update: bytes, principal: Any, doc: Doc, client_ids: ClientIds, sizes: Sizes
    ) -> Summary:
        """The checks on the bytes, or RefusedUpdate."""
        try:
            summary = inspect(update, self.roots, self.limits)
        except MalformedUpdate as e:
            raise ProtocolError(e.reason) from None
        except UpdateRejected as e:
            raise RefusedUpdate(closecodes.UPDATE_REFUSED, e.reason) from None
        if summary.clients:
            me = writer_key(principal)
            if any(client_ids.owners.get(c, me) != me for c in summary.clients):
                if client_ids.foreign(summary, me, state_vector(doc)) is not None:
                    raise RefusedUpdate(
                        closecodes.UPDATE_REFUSED,
                        "Deze wijziging gebruikt de naam van een ander apparaat",
                    )
            if client_ids.too_many(summary, me):
                raise RefusedUpdate(
                    closecodes.QUOTA_EXCEEDED,
                    "Dit apparaat heeft te vaak opnieuw begonnen; vraag de gespreksleider om hulp",
                )
        full = sizes.check(self.board_id, len(update))
        if full:
            raise RefusedUpdate(closecodes.QUOTA_EXCEEDED, full)
        return summary

    # collecting and judging the changes ---------------------------------------------------

    def watch(self) -> None:
        self._changes = []

    def stop(self) -> list[schema.Change]:
        changes, self._changes = self._changes or [], None
        return changes

    def _collect(self, root: str, events: list[Any]) -> None:
        changes = self._changes
        if changes is None:
            return
        try:
            self._read(root, events, changes)
        except Exception:  # pycrdt would raise it out of apply_update: refuse instead
            changes.append(schema.Change(root, "", "", "update", schema.NESTED))

    def _read(self, root: str, events: list[Any], changes: list[schema.Change]) -> None:
        txn = events[0].transaction
        for event in events:
            path = event.path
            if len(path) > 1:  # below a record: no board of ours has that
                changes.append(
                    schema.Change(root, str(path[0]), str(path[1]), "update", schema.NESTED)
                )
                continue
            for key, change in event.keys.items():
                action = change.get("action", "update")
                new = change.get("newValue")
                # a field of a record, or a value of a RECORD map: plain; else a record
                value = _scalar(new) if path or self.roots.get(root) == RECORD else _plain(new, txn)
                if path:
                    changes.append(schema.Change(root, str(path[0]), key, action, value))
                else:
                    changes.append(schema.Change(root, key, None, action, value))

    def after(self, principal: Any, changes: list[schema.Change]) -> str | None:
        """Why these changes are refused for this writer, or None."""
        role = getattr(principal, "role", None)
        if not isinstance(role, Role):
            return None  # the server itself
        return schema.refusal(
            self.board_id, role, changes, lambda root, key: self.owners.get((root, key))
        )

    def accept(self, changes: list[schema.Change]) -> None:
        """Keep the owners of the notes in step with accepted changes."""
        for c in changes:
            if c.root not in self._owned:
                continue
            if c.field is None:
                if (
                    c.action == "delete"
                    or not isinstance(c.value, dict)
                    or not isinstance(c.value.get("role"), str)
                ):
                    self.owners.pop((c.root, c.key), None)
                else:
                    self.owners[(c.root, c.key)] = c.value["role"]
            elif c.field == "role":
                if isinstance(c.value, str):
                    self.owners[(c.root, c.key)] = c.value
                else:
                    self.owners.pop((c.root, c.key), None)


def _observe_deep(root: Map[Any], callback: Callable[[list[Any]], None]) -> Any:
    """Subscribe `callback` to the raw events of `root` and everything below it.

    pycrdt's own observe_deep first wraps every part of every event in Python objects (the
    target, each value, recursively, each read in a transaction of its own): about a fifth of
    the cost of a checked update (docs/architecture.md, "Speed"). The checks need only each
    event's path and keys, and the fields of a new record, read with the event's own
    transaction (`_plain`). This uses pycrdt's native layer (`integrated`, `pycrdt._pycrdt`),
    which it does not document; it is pinned below 0.15, and every test of a checked update
    fails if that changes.
    """
    return root.integrated.observe_deep(callback)


_PLAIN = (str, int, float, bool, type(None), list, dict, bytes)  # lib0 Any, no shared types


def _plain(value: Any, txn: Any) -> Any:
    """A new record as board.schema sees it: its fields as a dict, one level only."""
    if isinstance(value, _RawMap):
        record: Any = value  # pycrdt's stubs leave out the native Map's keys()
        return {k: _scalar(record.get(txn, k)) for k in record.keys(txn)}
    return _scalar(value)


def _scalar(value: Any) -> Any:
    return value if isinstance(value, _PLAIN) else schema.NESTED  # a Map, Array, Text, ...


class Refusals(AuthThrottle):
    """Refused updates per device (or link) in one meeting.

    A change refused after applying costs the room a read of the board from disk (up to
    ~0.2 s for a board at its quota), on the event loop every meeting shares. So a device
    gets a few such refusals, then one per REFILL_SECONDS; beyond that its updates are
    refused (4529) before they are applied, and cost nothing. The same bookkeeping as the
    throttle of invalid links, per device instead of per address.
    """

    BURST = 10
    REFILL_SECONDS = 30.0

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        super().__init__(self.BURST, 60 / self.REFILL_SECONDS, clock)

    def allowed(self, me: str) -> bool:
        return not self.blocked(me)

    def charge(self, me: str) -> None:
        self.failed(me)


TOO_MANY_REFUSED = "Te veel wijzigingen niet bewaard; probeer het over een minuut opnieuw"


class MeetingGuard:
    """What the checks share across the boards of one meeting."""

    def __init__(self, client_ids: ClientIds, sizes: Sizes) -> None:
        self.client_ids, self.sizes = client_ids, sizes
        self.refusals = Refusals()

    @classmethod
    def load(
        cls, store: Any, meeting_id: str, board_quota: int, meeting_quota: int
    ) -> "MeetingGuard":
        def persist(rows: list[tuple[int, str]]) -> None:
            store.writer.claim(meeting_id, rows)

        return cls(
            ClientIds(store.client_ids(meeting_id), persist),
            Sizes(store.board_sizes(meeting_id), board_quota, meeting_quota),
        )
