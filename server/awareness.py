"""Awareness (presence): who is on a board, relayed between the devices on it, within bounds.

The server relays presence, it does not interpret it: it keeps the latest state per client
id, hands the live ones to a newcomer, lets a connection speak only for client ids it
introduced, and drops a connection's states the moment it leaves. Any link may send
presence, read-only ones included, so everything kept or sent on its behalf is bounded
(each bound is a Config field):

- a state is at most `max_awareness_state_bytes` of JSON text; a message with a bigger one
  closes its sender with 1009 and nothing of it is kept or forwarded. Nesting deeper than
  `max_awareness_json_depth` is refused (1002) by sync.parse_message before json.loads.
- a connection speaks for at most `max_awareness_states_per_connection` client ids (the stock
  provider uses one per document); further ids are ignored.
- a removal for a client id that is not live here is dropped: nothing is kept for ids
  never seen. A departed id is remembered (its clock) for a while, a bounded number of them,
  so that a late echo of its state cannot bring it back.
- what is kept and forwarded is paid for, in bytes, from the sender's token bucket and from
  the room's; a device that would overdraw either is closed with 4529. That bounds what any
  other device is sent, so nobody falls behind (1013) because of someone else's flood.
- a query is answered with the live states only, at most once per
  `awareness_query_seconds` per connection: one byte cannot buy megabytes.

Presence is the device's own (`identify`, given by the room): a client id another device
(of the meeting, on any board) writes or announces with is not taken, departed or not; and
in every state kept, `user.role` and `user.device` are the connection's own, set here,
whatever the device sent. Names stay the device's: several people share one tablet.

The stock y-websocket client sends every state it receives straight back (its awareness
'update' handler has no origin check). Those echoes are for ids another connection owns, or
outdated: they are ignored before any size or budget check, so a state another device sent
can never get an honest device closed.
"""

import asyncio
import json
import time
from collections.abc import Callable, Iterator, Mapping

from . import closecodes
from .config import Config
from .connection import Connection
from .limits import TokenBucket
from .sync import AwarenessEntry, AwarenessMessage, QueryAwareness, encode_awareness

BATCH_FROM = 32  # connections; smaller rooms relay presence at once
BATCH_SECONDS = 0.1
# Bytes a relayed message costs at least: each one is a send to every other device, so many
# tiny messages must not be cheaper than a few big ones (send queues count messages too).
MIN_MESSAGE_COST = 256
# Departed client ids whose clock is remembered; the oldest are forgotten first. An echo of
# a departed state arrives within moments, so a short memory is enough.
MAX_DEPARTED = 256

STATE_TOO_BIG = "Aanwezigheidsgegevens zijn te groot (meer dan {} bytes)"
TOO_FAST = "Te veel aanwezigheidsberichten per seconde; even wachten"

Broadcast = Callable[[bytes, Connection | None], None]
# For a connection: whether it may speak for a client id, and the fields set in `user`.
Identity = tuple[Callable[[int], bool], dict[str, str]]


class _Speaker:
    """What the relay keeps per connection that sent it something."""

    __slots__ = ("bucket", "queried")

    def __init__(self, bucket: TokenBucket) -> None:
        self.bucket = bucket
        self.queried = float("-inf")  # when its last query was answered


class AwarenessRelay(Mapping[int, tuple[int, str]]):
    """One board's presence. Reads as a mapping of the live states: client id -> (clock,
    JSON text of the state)."""

    def __init__(
        self,
        connections: set[Connection],
        broadcast: Broadcast,
        config: Config | None = None,
        clock: Callable[[], float] = time.monotonic,
        identify: Callable[[Connection], Identity] | None = None,
    ) -> None:
        self.config = config = config or Config()
        self._identify = identify
        self.clock = clock
        self._connections = connections  # the room's (read only)
        self._broadcast = broadcast  # the room's fan-out: (message, connection to skip)
        self._states: dict[int, tuple[int, str]] = {}
        self._owner: dict[int, Connection] = {}
        self._departed: dict[int, int] = {}  # client id -> clock of its removal, oldest first
        self._speakers: dict[Connection, _Speaker] = {}
        self._bucket = TokenBucket(
            config.awareness_bytes_per_second, config.awareness_burst_bytes, clock()
        )
        self._out: dict[int, AwarenessEntry] = {}  # batched, in big rooms
        self.unbatched = False  # several nodes (Room sets it)
        self._flush: asyncio.TimerHandle | None = None

    # the mapping: live states -------------------------------------------------------------

    def __getitem__(self, client_id: int) -> tuple[int, str]:
        return self._states[client_id]

    def __iter__(self) -> Iterator[int]:
        return iter(self._states)

    def __len__(self) -> int:
        return len(self._states)

    # parse_message's limits for presence (sync.parse_awareness_update)
    @property
    def max_json_depth(self) -> int:
        return self.config.max_awareness_json_depth

    @property
    def max_state_bytes(self) -> int:
        return self.config.max_awareness_state_bytes

    # what the room calls ------------------------------------------------------------------

    def join(self, conn: Connection) -> None:
        """A new connection gets the live states."""
        if self._states:
            conn.send(encode_awareness(self._live()))

    def receive(self, conn: Connection, message: AwarenessMessage | QueryAwareness) -> None:
        if isinstance(message, QueryAwareness):
            self.query(conn)
        else:
            self.update(conn, message.entries)

    def query(self, conn: Connection) -> None:
        """Answer with the live states, once per awareness_query_seconds per connection;
        queries in between are ignored (the stock client never sends one)."""
        now = self.clock()
        speaker = self._speaker(conn, now)
        if now - speaker.queried < self.config.awareness_query_seconds:
            return
        speaker.queried = now
        conn.send(encode_awareness(self._live()))

    def update(self, conn: Connection, entries: tuple[AwarenessEntry, ...]) -> None:
        """An awareness update from a connection: judged whole, then kept and forwarded."""
        taken = self._acceptable(conn, entries)
        if not taken:
            return
        limit = self.config.max_awareness_state_bytes
        cost = 0
        for e in taken:
            # (more characters than the limit: more bytes too, no need to encode a megabyte)
            size = len(e.state) if len(e.state) > limit else len(e.state.encode())
            if size > limit:
                self._refuse(conn, closecodes.TOO_BIG, STATE_TOO_BIG.format(limit))
                return
            cost += size
        cost = max(cost, MIN_MESSAGE_COST)
        now = self.clock()
        # The device's own budget first: one flooding device never touches the room's.
        if not self._speaker(conn, now).bucket.take(now, cost) or not self._bucket.take(now, cost):
            self._refuse(conn, closecodes.RATE_LIMITED, TOO_FAST)
            return
        if self._identify is not None:  # (after the size checks: json.loads only what fits)
            taken = _stamped(taken, *self._identify(conn))
        for e in taken:
            cid = e.client_id
            if e.removed:
                self._states.pop(cid, None)
                self._owner.pop(cid, None)
                conn.client_ids.discard(cid)
                self._remember_departed(cid, e.clock)
            else:
                self._departed.pop(cid, None)
                self._states[cid] = (e.clock, e.state)
                self._owner[cid] = conn
                conn.client_ids.add(cid)
        self._forward(taken, conn)

    def remote(self, entries: list[AwarenessEntry]) -> tuple[AwarenessEntry, ...]:
        """Presence another node relayed (server/bus.py): checked and stamped there. Kept
        for devices that join here later; returns the entries taken (none of a client id
        a device here speaks for), which this node's devices get."""
        taken = []
        for e in entries:
            if e.client_id in self._owner:
                continue
            if e.removed:
                self._states.pop(e.client_id, None)
                self._remember_departed(e.client_id, e.clock)
            elif (known := self._known(e.client_id)) is None or e.clock >= known[0]:
                self._departed.pop(e.client_id, None)
                self._states[e.client_id] = (e.clock, e.state)
            taken.append(e)
        return tuple(taken)

    def drop(self, conn: Connection) -> None:
        """The connection is gone: its states go, and everyone is told at once."""
        self._speakers.pop(conn, None)
        gone = []
        for cid in conn.client_ids:
            self._out.pop(cid, None)
            clock = self._states.pop(cid, (0, ""))[0] + 1
            self._owner.pop(cid, None)
            self._remember_departed(cid, clock)
            gone.append(AwarenessEntry(cid, clock, "null"))
        conn.client_ids.clear()
        if gone:
            self._broadcast(encode_awareness(gone), conn)

    # inside -------------------------------------------------------------------------------

    def _acceptable(
        self, conn: Connection, entries: tuple[AwarenessEntry, ...]
    ) -> list[AwarenessEntry]:
        """The entries of a message that would be kept, judged one after the other as if
        each before it had been applied; nothing is changed yet."""
        ids = set(conn.client_ids)  # the ids it speaks for, as they would be
        seen: dict[int, tuple[int, bool]] = {}  # (clock, removed) of ids changed in this message
        limit = self.config.max_awareness_states_per_connection
        taken = []
        for e in entries:
            cid = e.client_id
            owner = self._owner.get(cid)
            if owner is not None and owner is not conn:
                continue  # a device may not speak for another device (or it is an echo)
            known = seen.get(cid) or self._known(cid)
            if known is not None and not (
                e.clock > known[0] or (e.clock == known[0] and e.removed and not known[1])
            ):
                continue  # outdated
            if e.removed:
                if cid not in ids:
                    continue  # not live here: nothing to remove, nothing to keep
                ids.discard(cid)
            else:
                if cid not in ids and len(ids) >= limit:
                    continue
                ids.add(cid)
            seen[cid] = (e.clock, e.removed)
            taken.append(e)
        return taken

    def _known(self, cid: int) -> tuple[int, bool] | None:
        """(clock, removed) of a live or recently departed client id, else None."""
        state = self._states.get(cid)
        if state is not None:
            return state[0], False
        clock = self._departed.get(cid)
        return None if clock is None else (clock, True)

    def _remember_departed(self, cid: int, clock: int) -> None:
        self._departed.pop(cid, None)
        self._departed[cid] = clock
        if len(self._departed) > MAX_DEPARTED:
            del self._departed[next(iter(self._departed))]

    def _refuse(self, conn: Connection, code: int, reason: str) -> None:
        conn.shut(code, reason)
        self.drop(conn)  # its presence goes now, not when its socket has closed

    def _speaker(self, conn: Connection, now: float) -> _Speaker:
        speaker = self._speakers.get(conn)
        if speaker is None:
            config = self.config
            speaker = self._speakers[conn] = _Speaker(
                TokenBucket(
                    config.awareness_connection_bytes_per_second,
                    config.awareness_connection_burst_bytes,
                    now,
                )
            )
        return speaker

    def _live(self) -> list[AwarenessEntry]:
        return [AwarenessEntry(cid, clock, state) for cid, (clock, state) in self._states.items()]

    def _forward(self, entries: list[AwarenessEntry], sender: Connection) -> None:
        # (several nodes: at once, with its sender, whose client ids the others check)
        if len(self._connections) < BATCH_FROM or self.unbatched:
            self._broadcast(encode_awareness(entries), sender)
            return
        # A big room: every device's presence to every device is quadratic. Gather what
        # changed and send it as one message a few times per second; the clocks keep order.
        for e in entries:
            self._out[e.client_id] = e
        if self._flush is None:
            self._flush = asyncio.get_running_loop().call_later(BATCH_SECONDS, self._send_out)

    def _send_out(self) -> None:
        self._flush = None
        entries, self._out = list(self._out.values()), {}
        if entries:
            self._broadcast(encode_awareness(entries), None)  # a device ignores its own echo


def _stamped(
    entries: list[AwarenessEntry], may_speak: Callable[[int], bool], fields: dict[str, str]
) -> list[AwarenessEntry]:
    """The entries of client ids the device may speak for, with its own role and device in
    `user` (a state that is not an object with a `user` object is kept as it is: it claims
    nobody)."""
    out = []
    for e in entries:
        if not may_speak(e.client_id):
            continue
        if not e.removed:
            try:
                state = json.loads(e.state)
            except ValueError:
                continue  # parse_message let it through as JSON: cannot happen
            user = state.get("user") if isinstance(state, dict) else None
            if isinstance(user, dict) and any(user.get(k) != v for k, v in fields.items()):
                user.update(fields)
                e = AwarenessEntry(e.client_id, e.clock, json.dumps(state, ensure_ascii=False))
        out.append(e)
    return out
