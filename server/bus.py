"""Fan-out between nodes through Redis Streams: one ordered channel per meeting.

Every node of a service (`netwerkbord serve --database postgresql://... --redis redis://...`)
sends what it would forward on a board, and every change of a meeting's rules (the closed
part, a removed device, a revoked link, a deletion), to the meeting's stream; and every node,
the sender included, forwards to its own devices only what it reads back from the stream.
So there is one order per meeting for the whole service: a state change that enters the
stream before an update reaches every node before that update, and a professional on any
node is cut off before anything written after the start of the closed part reaches it.

Why Streams and not pub/sub: a stream keeps its entries, with ids, for a while. A node that
lost its connection for a moment goes on where it was; one whose entries were trimmed
meanwhile sees it (each entry carries its sender's sequence number: a gap shows) and
catches up from PostgreSQL. Pub/sub drops what a subscriber misses without a trace.

The meetings share SHARDS streams (`nb:s:<n>`, a meeting always in the same one), so a
node reads a fixed number of keys with one blocking XREAD, however many meetings it holds.
Every node reads every shard and skips meetings it has no board of: what limits how far
the service grows with more nodes (docs/operations.md, "More than one machine").

Write-before-forward: a node sends an update to the stream only once PostgreSQL has
committed it (server/pgstore.py), so whatever any device receives is in the database.

Keys: `nb:s:<n>` the streams (each at most `max_len` entries, trimmed by Redis; an entry
at most ~BIG bytes: a bigger update goes without its bytes and the others read it from
PostgreSQL), `nb:g:<n>` each stream's running number (every entry carries its number, given
by Redis in the same step as the entry: a reader that sees one skipped missed entries,
whoever sent them);
`nb:c:<meeting>` per node the devices connected to the meeting there, for the console and
the limits per meeting (ws.others_there) on any node (renewed every HEARTBEAT_SECONDS, gone
with the meeting); `nb:n:<node>` a node's
heartbeat (a dead node's devices stop counting within three beats); `nb:t` the tokens of the
throttles spent on each node (wrong links, wrong passwords, meetings per address: see
`share`), at most THROTTLE_LEN entries.

If Redis cannot be reached, a node forwards nothing (it could not keep the order): its
devices are closed with 1013 and reconnect, to this node or another, and resync from
PostgreSQL. A node catches up every board it holds after a gap or a lost connection.
"""

import asyncio
import json
import logging
import secrets
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import redis.asyncio as aioredis
from redis.exceptions import RedisError
from starlette.responses import JSONResponse

from . import closecodes
from .config import Config
from .writer import StorageError

if TYPE_CHECKING:
    from .connection import Connection
    from .registry import Rooms
    from .rooms import Room

log = logging.getLogger("netwerkbord.bus")

SHARDS = 16
THROTTLES = "nb:t"  # tokens spent by the throttles of server/limits.py, every node's
THROTTLE_LEN = 1000  # entries kept (a few seconds' worth under a flood of wrong links)
BIG = 4096  # bytes: a bigger update goes without its bytes (the others read PostgreSQL)
BLOCK_MS = 5_000  # a blocking read returns at least this often (to notice a lost Redis)
PURGE_AFTER_SECONDS = 30.0
REDIS_CONNECTIONS = 64  # a node's connections to Redis for commands (and one for reading)
REDIS_TIMEOUT_SECONDS = 5.0  # a command without an answer this long fails (1013, 503)
HEARTBEAT_SECONDS = 5.0  # a node's `nb:n:<node>` lives three beats
CONNECTIONS_TTL = 3600  # a meeting's `nb:c:<meeting>` when no node renews it
SERVERS_APART = "De servers kunnen elkaar even niet bereiken; probeer het zo opnieuw"
REDIS_LOST = "De verbinding tussen de servers is even weg; opnieuw verbinden"


# XADD with the stream's own running number `g` in the entry, from a counter beside it
# (`nb:g:<n>`), in one step: a reader that sees a number skipped knows it missed entries
# (trimmed before it read them), whichever node sent them. KEYS: stream, counter. ARGV:
# "~" or "=", the length to trim to, then the entry's fields and values.
ADD_ENTRY = """
local g = redis.call('INCR', KEYS[2])
return redis.call('XADD', KEYS[1], 'MAXLEN', ARGV[1], ARGV[2], '*', 'g', g,
                  unpack(ARGV, 3))
"""


def stream_of(meeting_id: str) -> str:
    return f"nb:s:{zlib.crc32(meeting_id.encode()) % SHARDS}"


@dataclass(slots=True)
class _Out:
    stream: str
    fields: dict[str, Any]
    room: "Room | None" = None
    exclude: "Connection | None" = None
    counted: bool = False  # an update: RoomOrder counts it
    message: bytes = b""  # what this node's devices get when it comes back


@dataclass
class _Barrier:
    """Replies that wait until a room's own updates so far have come back from the stream."""

    target: int
    done: Callable[[], None]


@dataclass
class RoomOrder:
    """Per room: updates handed to the stream and updates read back (its own)."""

    sent: int = 0
    forwarded: int = 0
    waiting: list[_Barrier] = field(default_factory=list)


class RedisBus:
    """See the module docstring. `recheck(meeting_id)` is called for a rule change that
    another node made (Meetings.recheck: cut whoever may no longer be there)."""

    def __init__(self, url: str, rooms: "Rooms") -> None:
        self.url = url
        self.rooms = rooms
        self.node = secrets.token_hex(6)
        self.recheck: Callable[[str], None] = lambda meeting_id: None
        self.enforce_state: Callable[[str], None] = lambda meeting_id: None  # (its state only)
        # redis-py's pool refuses a command when all its connections are busy ("Too many
        # connections"); its BlockingConnectionPool waits, but costs a task per command (the
        # two-node capacity fell by a third). So the pool has room to spare, and the commands
        # that come in bursts (a device joining, an HTTP request) wait for `_burst` instead.
        self._redis = aioredis.Redis.from_url(
            url,
            max_connections=REDIS_CONNECTIONS,
            socket_timeout=REDIS_TIMEOUT_SECONDS,  # (redis-py < 8 waits forever by default)
            socket_connect_timeout=REDIS_TIMEOUT_SECONDS,
        )
        self._burst = asyncio.Semaphore(REDIS_CONNECTIONS - 16)
        self._reading: dict[str, asyncio.Future[list[dict[str, Any]]]] = {}  # see elsewhere()
        self._add_entry = self._redis.register_script(ADD_ENTRY)
        self._numbers: dict[str, int] = {}  # per stream: the number of the last entry read
        # (the blocking read waits up to BLOCK_MS: its socket must wait longer)
        self._reader_redis = aioredis.Redis.from_url(url, socket_timeout=BLOCK_MS / 1000 + 10)
        self._seq: dict[str, int] = {}  # per stream: entries this node sent to it
        self._out: list[_Out] = []
        self._sender: asyncio.Task[None] | None = None
        self._reader: asyncio.Task[None] | None = None
        self._positions: dict[str, bytes] = {}
        self._last_seq: dict[str, int] = {}  # per stream: the last own entry read back
        self._own: dict[tuple[str, int], _Out] = {}  # own entries sent, until read back
        self._progress = asyncio.Event()  # set and cleared after every read
        self._handed = 0  # entries handed to the sender so far
        self._written = 0  # of those, written to Redis (or given up on)
        self._wrote = asyncio.Event()  # set and cleared after every batch
        self._throttles: dict[str, Any] = {}  # shared ones by name (limits.AddressBuckets)
        self.healthy = False
        self.entries_read = 0
        self.purge_after = PURGE_AFTER_SECONDS
        # this node's connected devices of a meeting, as Meetings.here() lists them
        self.describe: Callable[[str], list[dict[str, Any]]] = lambda meeting_id: []
        self._changed: set[str] = set()
        self._storing: asyncio.Task[None] | None = None  # the writer of `nb:c` (one at a time)
        self._heart: asyncio.Task[None] | None = None
        self._catching_up: asyncio.Task[None] | None = None
        self.max_len = Config.redis_stream_length  # entries kept per shard (approximately)
        self._purges: set[asyncio.Task[None]] = set()
        self._deleted: set[str] = set()  # meetings whose entries are still to be removed

    # starting and stopping ----------------------------------------------------------------

    async def start(self) -> None:
        await self._redis.ping()
        await self._mark_positions()
        self.healthy = True
        loop = asyncio.get_running_loop()
        self._reader = loop.create_task(self._read_forever())
        self._heart = loop.create_task(self._beat())

    async def stop(self) -> None:
        await self.settled()
        for task in [*self._purges, *([self._heart] if self._heart else [])]:
            task.cancel()
        try:  # deleted meetings whose notice still waited: now (the others catch up)
            for meeting_id in list(self._deleted):
                await self._redis.delete(f"nb:c:{meeting_id}")
                await self.purge(meeting_id)
        except (RedisError, OSError) as e:
            log.error("removing a deleted meeting's entries from Redis failed: %s", e)
        try:
            await self._redis.delete(f"nb:n:{self.node}")  # its connections count no more
            async with self._redis.pipeline(transaction=False) as pipe:
                for meeting_id in self.rooms.meeting_ids():
                    pipe.hdel(f"nb:c:{meeting_id}", self.node)
                await pipe.execute()
        except (RedisError, OSError):
            pass
        if self._reader is not None:
            self._reader.cancel()
            try:
                await self._reader
            except asyncio.CancelledError:
                pass
        await self._redis.aclose()
        await self._reader_redis.aclose()

    async def _mark_positions(self) -> None:
        """Read from the current end of every shard on (what came before is in the
        database, and every board is read from there when it loads), and take each
        stream's number as it is now (the entry there, or its counter)."""
        async with self._redis.pipeline(transaction=True) as pipe:
            for n in range(SHARDS):
                pipe.xrevrange(f"nb:s:{n}", count=1)
                pipe.get(f"nb:g:{n}")
            pipe.xrevrange(THROTTLES, count=1)
            found: Any = await pipe.execute()
        for n in range(SHARDS):
            last, counter = found[2 * n], found[2 * n + 1]
            key = f"nb:s:{n}"
            self._positions[key] = last[0][0] if last else b"0-0"
            self._numbers[key] = int(last[0][1][b"g"]) if last else int(counter or 0)
        self._positions[THROTTLES] = found[-1][0][0] if found[-1] else b"0-0"

    # sending ------------------------------------------------------------------------------

    def publish(
        self,
        room: "Room",
        message: bytes,
        exclude: "Connection | None",
        owner: str = "",
        claims: tuple[int, ...] = (),
        counted: bool = False,
    ) -> None:
        """Send a message of a board (an update or presence) to every node; this node's
        devices get it when it comes back from the stream (but `exclude`). `counted`: an
        update the room counted in RoomOrder.sent when it handed it to the writer."""
        fields: dict[str, Any] = {"b": room.key[1]}
        if len(message) <= BIG:
            fields["d"] = message
        else:  # Redis keeps a bounded number of bytes: the others read it from PostgreSQL
            fields["big"] = 1
        if owner:
            fields["o"] = owner
        if claims:
            fields["c"] = ",".join(map(str, claims))
        out = _Out(stream_of(room.key[0]), fields, room, exclude, counted, message)
        self._send(out, room.key[0])

    def event(self, meeting_id: str) -> None:
        """A rule of the meeting changed here (its state, a device, a link, a deletion):
        every other node rechecks its devices of it, in the meeting's order."""
        self._send(_Out(stream_of(meeting_id), {"e": "recheck"}), meeting_id)

    def skip(self, room: "Room") -> None:
        """A counted update that will not come back (it was not stored)."""
        room.order.forwarded += 1
        self._release(room)

    def after(self, room: "Room", done: Callable[[], None]) -> None:
        """Run `done` once every update of this room sent so far has come back (a reply
        that holds the document must not get ahead of the meeting's order)."""
        order = room.order
        if order.forwarded >= order.sent:
            done()
        else:
            order.waiting.append(_Barrier(order.sent, done))

    async def settled(self) -> None:
        """Wait until what this node handed over so far is in Redis (not for what it hands
        over meanwhile: a steady stream of updates does not hold up the caller)."""
        target = self._handed
        while self._written < target:
            await self._wrote.wait()

    def share(self, name: str, buckets: Any) -> None:
        """One allowance for the whole service: a token of a throttle (limits.AddressBuckets)
        spent on this node is spent on every node. Eventually: another node reads it within
        milliseconds, and an HTTP request waits until its node has (CaughtUp); the answers
        that spend one are sent once it is in Redis."""
        self._throttles[name] = buckets
        buckets.shared = lambda key: self._send(_Out(THROTTLES, {"t": name, "k": key}), "")

    def _send(self, out: _Out, meeting_id: str) -> None:
        seq = self._seq[out.stream] = self._seq.get(out.stream, 0) + 1
        out.fields.update({"n": self.node, "q": seq, "m": meeting_id})
        if out.stream != THROTTLES:  # (nothing to forward when it comes back)
            self._own[(out.stream, seq)] = out
        self._out.append(out)
        self._handed += 1
        if self._sender is None:
            self._sender = asyncio.get_running_loop().create_task(self._send_all())

    async def _send_all(self) -> None:
        try:
            while self._out:
                await asyncio.sleep(0)  # one pipeline for what this turn of the loop sent
                batch, self._out = self._out, []
                try:
                    trim = "~" if self.max_len >= 1000 else "="  # (Redis trims in blocks)
                    async with self._redis.pipeline(transaction=False) as pipe:
                        for out in batch:
                            counter = "nb:g:" + out.stream.rsplit(":", 1)[1]
                            length = THROTTLE_LEN if out.stream == THROTTLES else self.max_len
                            args: list[Any] = [trim, length]
                            for name, value in out.fields.items():
                                args += [name, value]
                            await self._add_entry([out.stream, counter], args, client=pipe)
                        await pipe.execute()
                except (RedisError, OSError) as e:
                    log.error("sending to Redis failed: %s", e)
                    for out in batch:
                        if self._own.pop((out.stream, int(out.fields["q"])), None) is None:
                            continue  # (counted already when the reader lost Redis)
                        if out.room is not None:
                            if out.counted:
                                out.room.order.forwarded += 1
                            self._lost(out.room)
                finally:
                    self._written += len(batch)
                    self._wrote.set()
                    self._wrote.clear()
        finally:
            self._sender = None

    def _lost(self, room: "Room") -> None:
        """This node cannot keep the meeting's order: its devices on the board go and
        resync when they are back (from PostgreSQL, where their updates are)."""
        for conn in list(room.connections):
            room.revoke(conn, closecodes.TRY_AGAIN, REDIS_LOST)
        self._release(room)

    # reading ------------------------------------------------------------------------------

    async def _read_forever(self) -> None:
        delay = 0.1
        while True:
            try:
                if not self.healthy:
                    await self._reader_redis.ping()
                    # From the streams' ends as they are now (Redis may have restarted
                    # empty, its clock behind the ids read before); the rest from PostgreSQL.
                    await self._mark_positions()
                    self.healthy = True
                    log.warning("Redis is back: catching up every board held here")
                    self._catch_up_all()
                found: Any = await self._reader_redis.xread(
                    dict(self._positions),  # type: ignore[arg-type]  # (str keys are fine)
                    count=1000,
                    block=BLOCK_MS,
                )
                delay = 0.1
            except asyncio.CancelledError:
                raise
            except (RedisError, OSError) as e:
                if self.healthy:
                    log.error("reading from Redis failed: %s", e)
                    self.healthy = False
                    self._drop_everyone()
                    self._progress.set()
                    self._progress.clear()
                await asyncio.sleep(delay)  # (retrying a lost connection, backing off)
                delay = min(delay * 2, 2.0)
                continue
            # (RESP3 gives a mapping, RESP2 a list of pairs)
            for stream, entries in found.items() if isinstance(found, dict) else found or ():
                key = stream.decode() if isinstance(stream, bytes) else stream
                for entry_id, fields in entries:
                    self._positions[key] = entry_id
                    try:
                        self._receive(key, fields)
                    except Exception:
                        log.exception("a stream entry could not be handled")
            self._progress.set()  # (whoever waits in caught_up() looks again)
            self._progress.clear()

    def _receive(self, stream: str, fields: dict[bytes, bytes]) -> None:
        self.entries_read += 1
        if stream == THROTTLES:  # (no order to keep: a missed one is a token too few)
            throttle = self._throttles.get(fields.get(b"t", b"").decode())
            if throttle is not None and fields.get(b"n", b"").decode() != self.node:
                throttle.spent_elsewhere(fields[b"k"].decode())
            return
        if b"g" not in fields or b"n" not in fields:
            return  # not one of ours (nothing else should write to these keys)
        number, last = int(fields[b"g"]), self._numbers.get(stream, 0)
        if number <= last:
            return  # (an entry read twice after a reconnect)
        self._numbers[stream] = number
        if number > last + 1:
            # Entries were trimmed before this node read them: a notice among them may
            # have started the closed part. Every meeting's state first, then the boards.
            log.warning("%d entries of %s were missed: catching up", number - last - 1, stream)
            self._catch_up_all()
        node, seq = fields[b"n"].decode(), int(fields[b"q"])
        if node == self.node:
            # Own entries trimmed before they were read are still here: forward them too.
            last_own = self._last_seq.get(stream, seq - 1)
            for s in range(last_own + 1, seq + 1):
                self._forward_own(self._own.pop((stream, s), None))
            self._last_seq[stream] = seq
            return
        meeting_id = fields[b"m"].decode()
        boards = self.rooms.boards_of(meeting_id)
        if not boards:
            return
        claims = tuple(int(c) for c in fields[b"c"].split(b",")) if b"c" in fields else ()
        owner = fields[b"o"].decode() if b"o" in fields else ""
        if claims and owner:  # (whichever board: the meeting's client ids are shared)
            next(iter(boards.values())).meeting.client_ids.claim(claims, owner, persist=False)
        if b"e" in fields:
            self.recheck(meeting_id)
            return
        room = boards.get(fields[b"b"].decode())
        if room is None:
            return
        if b"big" in fields:
            room.catch_up()
        else:
            room.apply_remote(fields[b"d"], owner)

    def _forward_own(self, out: _Out | None) -> None:
        if out is None or out.room is None:
            return
        room = out.room
        if not room.gone:
            room.deliver(out.message, out.exclude)
        if out.counted:
            room.order.forwarded += 1
            self._release(room)

    def _release(self, room: "Room") -> None:
        order = room.order
        if not order.waiting:
            return
        ready = [b for b in order.waiting if b.target <= order.forwarded]
        order.waiting = [b for b in order.waiting if b.target > order.forwarded]
        for barrier in ready:
            barrier.done()

    def _drop_everyone(self) -> None:
        for out in self._own.values():
            if out.room is not None and out.counted:
                out.room.order.forwarded += 1
        self._own.clear()
        for room in self.rooms.all():
            self._lost(room)

    def _catch_up_all(self) -> None:
        """Catch up every meeting held here. The state of each meeting at once, before the
        next entry is forwarded (a missed notice may have started the closed part); then
        the rest — credentials, boards — one meeting per turn of the event loop (each reads
        from PostgreSQL): devices of other meetings are not held up meanwhile."""
        for meeting_id in list(self.rooms.meeting_ids()):
            try:
                self.enforce_state(meeting_id)
            except Exception:
                log.exception("rechecking meeting %s failed", meeting_id)
        if self._catching_up is not None and not self._catching_up.done():
            self._catching_up.cancel()  # (starts again from the first)

        async def run() -> None:
            for meeting_id in list(self.rooms.meeting_ids()):
                await asyncio.sleep(0)
                try:
                    self.catch_up(meeting_id)
                except Exception:
                    log.exception("catching up meeting %s failed", meeting_id)

        self._catching_up = asyncio.get_running_loop().create_task(run())

    def catch_up(self, meeting_id: str) -> None:
        """Bring every board of a meeting held here in line with the database (after
        entries were missed), and its devices with the meeting's rules."""
        self.recheck(meeting_id)
        for room in list(self.rooms.boards_of(meeting_id).values()):
            room.catch_up()

    async def caught_up(self) -> None:
        """Wait until this node has read every entry that was in the streams when called:
        a read over HTTP on any node then shows whatever any node forwarded before it (and
        whatever the asker had written and seen answered). StorageError without Redis."""
        if not self.healthy:
            raise StorageError("Redis cannot be reached")
        keys = list(self._positions)
        try:
            async with self._burst, self._redis.pipeline(transaction=False) as pipe:
                for key in keys:
                    pipe.xrevrange(key, count=1)
                lasts: Any = await pipe.execute()
        except (RedisError, OSError) as e:
            raise StorageError(str(e)) from e
        targets = {
            key: _entry_id(last[0][0]) for key, last in zip(keys, lasts, strict=True) if last
        }
        while self.healthy and any(
            _entry_id(self._positions[key]) < target for key, target in targets.items()
        ):
            await self._progress.wait()
        if not self.healthy:
            raise StorageError("Redis cannot be reached")

    # who is connected where ---------------------------------------------------------------

    def connections_changed(self, meeting_id: str) -> None:
        """A device joined or left a board of the meeting here: this node's list of them in
        Redis is renewed, for the console and the limits per meeting on any node. One
        writer at a time: what changes while it writes goes in its next round (a burst of
        joins is a few writes, not one per turn of the event loop)."""
        self._changed.add(meeting_id)
        if self._storing is None:
            self._storing = asyncio.get_running_loop().create_task(self._store_connections())
            self._purges.add(self._storing)
            self._storing.add_done_callback(self._purges.discard)

    async def _store_connections(self) -> None:
        try:
            while self._changed:  # (changes of this turn of the loop are in the first round)
                changed, self._changed = self._changed, set()
                rows = {m: json.dumps(self.describe(m)) for m in changed}
                try:
                    async with self._redis.pipeline(transaction=False) as pipe:
                        for meeting_id, row in rows.items():
                            key = f"nb:c:{meeting_id}"
                            if row == "[]":
                                pipe.hdel(key, self.node)
                            else:
                                pipe.hset(key, self.node, row)
                                pipe.expire(key, CONNECTIONS_TTL)
                        await pipe.execute()
                except (RedisError, OSError) as e:
                    log.warning("the list of connections could not be written: %s", e)
        finally:
            self._storing = None

    async def _beat(self) -> None:
        """This node is alive (`nb:n:<node>`): the others count its connections."""
        while True:
            try:
                await self._redis.set(f"nb:n:{self.node}", "1", ex=int(HEARTBEAT_SECONDS * 3))
                for meeting_id in self.rooms.meeting_ids():  # (their lists expire otherwise)
                    self.connections_changed(meeting_id)
            except (RedisError, OSError) as e:
                log.warning("heartbeat: %s", e)
            await asyncio.sleep(HEARTBEAT_SECONDS)

    async def elsewhere(self, meeting_id: str) -> list[dict[str, Any]]:
        """The devices connected to the meeting on the other live nodes (for the console, and
        for the limits per meeting when a device joins: ws.others_there). Devices of one
        meeting joining at once share one read."""
        reading = self._reading.get(meeting_id)
        if reading is None:
            reading = asyncio.ensure_future(self._read_elsewhere(meeting_id))
            self._reading[meeting_id] = reading
            reading.add_done_callback(lambda done: self._read(meeting_id, done))
        return list(await asyncio.shield(reading))

    def _read(self, meeting_id: str, done: asyncio.Future[Any]) -> None:
        del self._reading[meeting_id]
        if not done.cancelled():
            done.exception()  # (retrieved: its callers may all have gone meanwhile)

    async def _read_elsewhere(self, meeting_id: str) -> list[dict[str, Any]]:
        key = f"nb:c:{meeting_id}"
        try:
            async with self._burst:
                rows: Any = await self._redis.hgetall(key)
                nodes = [n for n in rows if n.decode() != self.node]
                names = [f"nb:n:{n.decode()}" for n in nodes]
                alive: Any = await self._redis.mget(names) if nodes else []
        except (RedisError, OSError) as e:
            raise StorageError(str(e)) from e
        found: list[dict[str, Any]] = []
        for node, live in zip(nodes, alive, strict=True):
            if live:
                found.extend(json.loads(rows[node]))
        return found

    # deleting -----------------------------------------------------------------------------

    def purge_soon(self, meeting_id: str) -> None:
        """A meeting was deleted: remove its entries from Redis. Those holding board content
        at once; the bare notice of the deletion itself (the meeting's id, no content) after
        PURGE_AFTER_SECONDS, once every node has read it (a node that has not by then is
        catching up, and finds the meeting gone in the database)."""
        loop = asyncio.get_running_loop()

        async def run() -> None:
            self._deleted.add(meeting_id)
            try:
                await self.settled()
                await self._redis.delete(f"nb:c:{meeting_id}")
                await self.purge(meeting_id, content_only=True)
                await asyncio.sleep(self.purge_after)
                await self._redis.delete(f"nb:c:{meeting_id}")  # (a write on its way then)
                await self.purge(meeting_id)
                self._deleted.discard(meeting_id)
            except (RedisError, OSError) as e:  # trimming removes them later anyway
                log.error("removing a deleted meeting's entries from Redis failed: %s", e)

        task = loop.create_task(run())
        self._purges.add(task)
        task.add_done_callback(self._purges.discard)

    async def purge(self, meeting_id: str, content_only: bool = False) -> int:
        """Remove a deleted meeting's entries from its shard stream; returns how many."""
        key = stream_of(meeting_id)
        removed = 0
        start = "-"
        while True:
            entries: Any = await self._redis.xrange(key, min=start, count=1000)
            if not entries:
                return removed
            ids = [
                eid
                for eid, f in entries
                if f.get(b"m", b"").decode() == meeting_id and (b"d" in f or not content_only)
            ]
            if ids:
                removed += await self._redis.xdel(key, *ids)
            if len(entries) < 1000:
                return removed
            last = entries[-1][0].decode()
            ms, seq = last.split("-")
            start = f"{ms}-{int(seq) + 1}"


def _entry_id(raw: bytes | str) -> tuple[int, int]:
    text = raw.decode() if isinstance(raw, bytes) else raw
    ms, _, seq = text.partition("-")
    return int(ms), int(seq or 0)


async def elsewhere_of(rooms: "Rooms", meeting_id: str) -> list[dict[str, Any]]:
    """The meeting's connections on the other nodes: RedisBus.elsewhere, none on one node."""
    return await rooms.bus.elsewhere(meeting_id) if rooms.bus is not None else []


def bus_of(scope: Any) -> "RedisBus | None":
    """The app's bus (several nodes), or None."""
    return getattr(getattr(scope["app"].state, "rooms", None), "bus", None)


class CaughtUp:
    """ASGI middleware, several nodes only: an HTTP request is handled once this node has
    read the meetings' streams as far as they were when it came (RedisBus.caught_up), so
    a page, export or answer never shows less than a device on another node already saw;
    and its answer is sent once what it handed to Redis is there (a throttle's token it
    spent, a notice), so the next request, on any node, finds it."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        bus = bus_of(scope) if scope["type"] == "http" else None
        if bus is None or scope["path"].startswith("/static/"):
            await self.app(scope, receive, send)
            return
        try:
            await bus.caught_up()
        except StorageError as e:
            log.error("%s %s: %s", scope["method"], scope["path"], e)
            response = JSONResponse({"error": SERVERS_APART}, status_code=503)
            await response(scope, receive, send)
            return

        async def settled_first(message: Any) -> None:
            if message["type"] == "http.response.start":
                await bus.settled()
            await send(message)

        await self.app(scope, receive, settled_first)
