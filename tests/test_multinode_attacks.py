"""Attacks on the multi-node mode (server/bus.py, server/pgstore.py): real nodes as
subprocesses on a real PostgreSQL and Redis (tests/services.py), as in test_multinode.py.

Each test is one problem found: it fails on the code as it was when written, and says in its
docstring what happens and what would fix it."""

import asyncio
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import redis as redis_client

from server import closecodes
from server.bus import stream_of
from server.sync import encode_update
from tests import test_multinode
from tests import ybytes as yb
from tests.serverprocess import ROOT
from tests.test_accounts import HIDDEN
from tests.test_multinode import Cluster, client, cut_every_redis_connection, reconnect
from tests.waiting import until
from tests.yclient import YClient

cluster = test_multinode.cluster  # the fixture: two nodes


def ws(c: Cluster, node: int, m: dict, board: str, role: str, device: str = "") -> str:
    return c.ws(node, m, board, role) + (f"&device={device}" if device else "")


async def meeting_on(c: Cluster, node: int, title: str = "familie De Vries") -> dict:
    async with httpx.AsyncClient() as http:
        r = await http.post(c.nodes[node].base + "/api/meetings", json={"title": title})
    assert r.status_code == 201, r.text
    return r.json()


def squat(client_id: int, clock: int) -> bytes:
    """A GC struct for `client_id` from `clock`, 2**40 long: every later edit of that client
    would be taken as already seen (tests/test_attacks.py)."""
    return yb.update([(client_id, clock, [yb.gc(2**40)])])


# 1. the closed part --------------------------------------------------------------------------


async def test_closed_part_notice_trimmed_before_a_fresh_node_read_it_still_cuts(
    tmp_path: Path, pg_url: str, redis_url: str
) -> None:
    """Node B has never read an entry of node A in the meeting's stream (the meeting was
    made on B; A wrote nothing there yet). B stalls (SIGSTOP: a paused VM, a long GC, a
    swap storm) while the facilitator starts the closed part on A and the family writes on;
    the stream keeps 20 entries, so the notice is trimmed before B reads it.

    B's gap check (`_receive`: `last is not None and seq > last + 1`) needs an earlier
    entry of A to compare with; the first entry of A it reads has nothing before it, so no
    gap shows. B takes in the family's notes written *after the start* and forwards them to
    the professional on B, who is never cut off. (Node B's own entries have the same hole:
    own entries trimmed before B read them back are forwarded at once by `_receive`'s own
    branch, before B learns of a trimmed notice of another node.)

    Fix: detect trimming per stream, not per sender: after each XREAD, for each stream,
    compare the position read from with what Redis removed (Redis >= 7: XINFO STREAM
    `max-deleted-entry-id` > old position, or `first-entry` id > old position) and then
    recheck every meeting of that shard and catch its boards up *before* forwarding any
    entry of that batch (own trimmed entries included: `_lost(room)` for their rooms
    instead of forwarding them)."""
    c = Cluster(tmp_path, pg_url, redis_url, 2)
    for node in c.nodes:
        node.env["NETWERKBORD_REDIS_STREAM_LENGTH"] = "20"
    c.start()
    try:
        m = await meeting_on(c, 1)  # made on B: only B has written to its stream
        other = await meeting_on(c, 0, "familie Jansen")
        while stream_of(other["id"]) == stream_of(m["id"]):
            other = await meeting_on(c, 0, "familie Jansen")
        prof = await client(ws(c, 1, m, "drieluik", "professional"), "professional")
        family = await client(ws(c, 0, m, "drieluik", "familie"), "familie")
        jansen = await client(ws(c, 0, other, "drieluik", "familie"), "familie")
        c.nodes[1].proc.send_signal(signal.SIGSTOP)
        try:
            # B's blocking XREAD is answered at once with this entry of another stream (into
            # its socket: B reads it when it goes on); what follows waits for B's next XREAD
            jansen.add_note("j", "familie Jansen")
            assert await jansen.roundtrip()
            r = await c.control(0, m, "closed", {"closed": True})
            assert r.status_code == 200, r.text
            for k in range(40):
                family.add_note(f"g{k}", f"na-de-start-{k}.")
                assert await family.roundtrip()
        finally:
            c.nodes[1].proc.send_signal(signal.SIGCONT)

        def leaked() -> list[int]:
            seen = b"".join(prof.frames)
            return [k for k in range(40) if f"na-de-start-{k}.".encode() in seen]

        await prof.wait_for(lambda: prof.close_code is not None or leaked(), timeout=15)
        assert not leaked(), f"notes written after the start reached the professional: {leaked()}"
        assert await prof.wait_closed(10) == closecodes.FORBIDDEN
        await family.close()
        await jansen.close()
    finally:
        c.stop()


# 2. client ids -------------------------------------------------------------------------------


async def test_a_client_id_announced_on_node_a_cannot_be_written_on_node_b(
    cluster: Cluster,
) -> None:
    """Device X on node A announces its client id in presence (it has not written yet).
    On a single node that id is X's at once (test_attacks.py: "announced in presence, not
    written yet: the id is taken as well"). Across nodes the claim is lost when node B
    does not hold that board yet: `_receive` drops entries of boards B has not loaded, and
    presence claims are never stored (`persist=False`), so B, loading the board afterwards
    from PostgreSQL, knows nothing of it. Device Y on B then writes with X's client id, 2**40
    ahead in its clock: B accepts and stores it (and stores the claim as Y's), and from then
    on every edit X makes is taken as already seen and silently dropped.

    Fix (either): store presence claims too when there is a bus (Room.receive:
    `claim(..., persist=self.bus is not None)`; bounded by ClientIds.MAX_PER_DEVICE — check
    `too_many` there as well), or keep claims per meeting on every node (apply the 'o'/'c'
    of every entry of a meeting that has any board loaded, and read them from PostgreSQL
    on load): the first one is enough, because a board loaded later reads client_ids."""
    m = await cluster.meeting()
    x = await client(ws(cluster, 0, m, "drieluik", "familie", "tablet-x"), "familie")
    reader = await client(ws(cluster, 0, m, "drieluik", "facilitator", "laptop-r"), "facilitator")
    await x.set_awareness(x.doc.client_id, 1, {"user": {"name": "Oma Wiëbe"}})
    await reader.wait_for(lambda: x.doc.client_id in reader.awareness)
    # the attacker, on node B, on the same board (B loads it only now)
    await x.close()  # X's connection drops for a moment (a tablet going to sleep)
    y = await client(ws(cluster, 1, m, "drieluik", "familie", "tablet-y"), "familie")
    await y.send_raw(encode_update(squat(x.doc.client_id, 0)))
    accepted = await y.roundtrip()
    # what the family notices: what X wrote meanwhile never arrives anywhere
    x.add_note("x1", "Oma Wiëbe haalt de kinderen op")
    await x.connect()
    assert await x.roundtrip()
    fresh = await client(ws(cluster, 0, m, "drieluik", "facilitator", "laptop-f"), "facilitator")
    lost = "x1" not in fresh.note_texts()
    assert not accepted and y.close_code == closecodes.UPDATE_REFUSED, (
        f"node B stored a write under X's client id (X's note then lost: {lost})"
    )
    assert not lost
    for d in (x, reader, fresh):
        await d.close()


async def test_presence_for_another_nodes_client_id_is_ignored(cluster: Cluster) -> None:
    """The same gap for presence: Y on node B speaks for X's client id (X is on node A)
    with a higher clock. B's relay has no owner for it (`_owner` holds local connections
    only, and the claim never reached B), so it takes the state, stamps it with Y's role
    and device, claims the id for Y on B and forwards it; node A's `awareness.remote`
    takes it without looking at who owns the id there. Every device now shows Y's state
    under X's id, and X's own presence is dropped on A as "outdated" (Y chose a clock far
    ahead). On one node Y's message is ignored.

    Fix: the claim fix of the previous test, and in AwarenessRelay.remote skip entries for
    client ids a local connection owns (`self._owner`), or whose claimed owner
    (`identify`'s owners) differs from the entry's sender ('o')."""
    m = await cluster.meeting()
    x = await client(ws(cluster, 0, m, "drieluik", "familie", "tablet-x"), "familie")
    reader = await client(ws(cluster, 0, m, "drieluik", "facilitator", "laptop-r"), "facilitator")
    await x.set_awareness(x.doc.client_id, 1, {"user": {"name": "Oma Wiëbe"}})
    await reader.wait_for(lambda: x.doc.client_id in reader.awareness)
    y = await client(ws(cluster, 1, m, "drieluik", "familie", "tablet-y"), "familie")
    await y.set_awareness(x.doc.client_id, 1000, {"user": {"name": "Gespeeld"}})
    await y.set_awareness(y.doc.client_id, 1, {"user": {"name": "Y zelf"}})  # (a marker)
    await reader.wait_for(lambda: y.doc.client_id in reader.awareness)
    assert reader.awareness[x.doc.client_id]["user"]["name"] == "Oma Wiëbe"
    for d in (x, reader, y):
        await d.close()


# 3. durability -------------------------------------------------------------------------------

REFUSE_MARKED = """
CREATE FUNCTION nb_refuse_marked() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF position(convert_to('ONOPGESLAGEN', 'UTF8') in NEW.data) > 0 THEN
        PERFORM pg_sleep(1.5);  -- a slow disk, then a full one
        RAISE EXCEPTION 'could not extend file: No space left on device';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER nb_refuse_marked BEFORE INSERT ON updates
    FOR EACH ROW EXECUTE FUNCTION nb_refuse_marked();
"""


async def test_an_update_postgresql_refused_never_reaches_a_device_through_a_sync_reply(
    cluster: Cluster, postgres
) -> None:
    """Family device F on node B writes a note; PostgreSQL is slow and then refuses it (disk
    full). Meanwhile device D connects to B: B's answer to D's sync step 1 holds B's
    document, F's note in it, and waits (`RedisBus.after`) until B's own updates so far
    came back from the stream. F's update never will: `Room._stored` calls `bus.skip`,
    which counts it as forwarded and releases the barrier, and the reply goes out with
    `error=None` (rooms.py: `partial(self._send_when_stored, conn, reply, None)`). D now
    holds a note that is in no database: F is closed with 1011; if F never comes back (its
    tab closed) the note exists only on D, and a read-only D (the TV, a professional) never
    sends it back. On SQLite (`writer.after`) the same reply closes D with 1011 instead.

    Fix (rooms.py `_sync`, bus branch): remember `failures = writer.failures` and pass
    the outcome: `self.bus.after(self, lambda: self._send_when_stored(conn, reply,
    StorageError("...") if writer.failures > failures else None))`. (PgWriter._report
    counts the failure before it calls the update's callback, so the barrier released by
    `skip` already sees it.)"""
    postgres.execute(REFUSE_MARKED)
    m = await cluster.meeting()
    family = await client(ws(cluster, 1, m, "drieluik", "familie", "tablet-f"), "familie")
    family.add_note("weg", "ONOPGESLAGEN: Opa Henk is ziek")

    def writing() -> bool:
        rows = postgres.query(
            "SELECT count(*) FROM pg_stat_activity WHERE state = 'active' "
            "AND query LIKE 'INSERT INTO updates%%'"
        )
        return rows[0][0] > 0

    await until(writing, timeout=5, interval=0.01)
    tv = YClient(ws(cluster, 1, m, "drieluik", "professional", "tv"), role="professional")
    await tv.connect(wait_synced=False)
    assert await family.wait_closed(10) == closecodes.INTERNAL_ERROR
    await tv.wait_for(lambda: tv.synced.is_set() or tv.close_code is not None, timeout=10)
    stored = postgres.query(
        "SELECT count(*) FROM updates "
        "WHERE position(convert_to('ONOPGESLAGEN', 'UTF8') in data) > 0"
    )[0][0]
    assert stored == 0
    assert "weg" not in tv.note_texts(), "a device received a note PostgreSQL never stored"
    await tv.close()


async def test_postgresql_down_does_not_freeze_a_node(tmp_path: Path, redis_url: str) -> None:
    """PostgreSQL goes away (a restart, a failover). Request handlers call the store
    synchronously through `PgStore.sync_pool`, and psycopg_pool's `ConnectionPool.getconn`
    waits up to its `timeout` — 30 s by default — for a connection while it cannot make
    one: the node's whole event loop stands still for 30 s on every such call. Every device
    on the node hangs (no updates, no presence, no answers), `GET /` (the balancer's health
    check) hangs, and the Redis reader's socket times out meanwhile (15 s), so after the
    freeze the node drops every device with 1013 as if Redis were gone. Measured: a device's
    sync step 1 on a loaded board, which needs no database, answered after 30.0 s.

    Fix (pgstore.py, PgStore.__init__): `ConnectionPool(..., timeout=1.0)` (a call fails
    fast with PoolTimeout, a psycopg.OperationalError, so StorageError/503 as now), and
    `timeout=` likewise for the async pool's writer if updates should fail rather than wait
    (devices then reconnect). Better still: after a failed connect, fail every sync call at
    once for a second or two instead of waiting at all."""
    from tests.services import Postgres

    with Postgres() as pg:
        c = Cluster(tmp_path, pg.url, redis_url, 1)
        c.start()
        try:
            m = await c.meeting()
            device = await client(c.ws(0, m, "drieluik", "familie"), "familie")
            pg.proc.send_signal(signal.SIGINT)  # PostgreSQL's fast shutdown
            pg.proc.wait(10)
            url = f"{c.nodes[0].base}/api/meetings/{m['id']}"
            headers = {"Authorization": f"Bearer {m['tokens']['facilitator']}"}

            async def facilitator_looks() -> list[int]:
                async with httpx.AsyncClient(timeout=120) as http:
                    return [(await http.get(url, headers=headers)).status_code for _ in range(3)]

            looking = asyncio.create_task(facilitator_looks())
            slowest = 0.0
            try:
                while not looking.done():
                    started = time.monotonic()
                    answered = await device.roundtrip(timeout=60)  # (no database needed)
                    slowest = max(slowest, time.monotonic() - started)
                    if not answered:
                        break
            finally:
                pg._launch()  # PostgreSQL is back, on the same port and data
            await looking
            assert slowest < 3, f"the node stood still for {slowest:.1f} s"
            assert device.close_code is None, (
                f"the node dropped its device afterwards: {device.close_code} {device.close_reason}"
            )
            await device.close()
        finally:
            c.stop()


# 5. resources --------------------------------------------------------------------------------


async def test_redis_holds_no_more_than_a_bounded_amount_of_one_boards_traffic(
    cluster: Cluster, redis
) -> None:
    """The streams are bounded in entries (MAXLEN 100,000 per shard, 16 shards), not in
    bytes, and an entry holds the whole update. One family link writes big updates (300
    notes of 900 characters: ~290 KB, well within the 1 MiB frame) and deletes them again;
    the board stays empty, compaction keeps it under its quota, but every update stays in
    Redis until 100,000 later entries push it out: up to 100,000 x 1 MiB = 100 GB per shard.
    Redis (no maxmemory in the docs) runs out of memory and every node of the service
    closes every device with 1013 (or the host starts swapping). Here 12 rounds leave
    megabytes in Redis for a board that holds nothing.

    Fix: an update bigger than a small limit (say 16 KiB) goes into the stream without its
    bytes (`d` left out, `big=1`): it is in PostgreSQL already, and a receiving node does
    `room.catch_up()` for that board instead of `apply_remote` (same order, same barrier
    accounting for own entries). Also trim by age (`XADD ... MINID ~<now - 5 min>`): a node
    further behind than that catches up from PostgreSQL anyway. And document `maxmemory`
    with `noeviction` off the table (eviction of stream keys loses the order silently)."""
    m = await cluster.meeting()
    family = await client(ws(cluster, 0, m, "drieluik", "familie", "bot"), "familie")
    stream = stream_of(m["id"])
    raw = redis.client()
    before = int(raw.memory_usage(stream) or 0)
    for r in range(12):
        with family.doc.transaction():
            for i in range(300):
                family.add_note(f"b{r}-{i}", f"{r} {i} " + "w" * 900)
        assert await family.roundtrip(), family.close_reason
        with family.doc.transaction():
            for i in range(300):
                del family.notes[f"b{r}-{i}"]
        assert await family.roundtrip(), family.close_reason
    assert family.note_texts() == {}
    held = int(raw.memory_usage(stream) or 0) - before
    assert held < 2 * 2**20, f"Redis holds {held / 2**20:.1f} MiB of an empty board's traffic"
    await family.close()


# 6. plain bugs -------------------------------------------------------------------------------


async def test_nodes_go_on_after_redis_comes_back_with_a_clock_behind(
    cluster: Cluster, redis
) -> None:
    """Redis stream ids are its clock's milliseconds. Redis is restarted (no persistence:
    empty) on a host whose clock is behind the old one's (a failover, a container moved):
    its new ids are lower than every node's read position. A node that gets its connection
    back (`_read_forever`: ping, `_catch_up_all`) keeps its old positions and XREADs from
    them, so it reads nothing until the new clock passes the old one: no update, no
    presence, no notice (not even the closed part) crosses between nodes, and a device's
    own sync step 1 waits for its own updates to come back (`RedisBus.after`) forever.
    Here the old Redis's ids were 10 minutes ahead of the new one's.

    Fix (bus.py `_read_forever`): when Redis is back, `await self._mark_positions()` before
    `_catch_up_all()` (everything before the new end is in PostgreSQL, and catching up
    rechecks every meeting); and, while running, if XINFO/XREVRANGE shows a stream's last id
    below the position, take that as a restart too."""
    import redis as redis_client

    m = await cluster.meeting()
    a = await client(cluster.ws(0, m, "drieluik", "familie"), "familie")
    b = await client(cluster.ws(1, m, "drieluik", "familie"), "familie")
    raw = redis_client.Redis.from_url(redis.url)
    ahead = int(time.time() * 1000) + 600_000  # the old Redis's clock
    for n in range(16):  # an entry of no meeting held here, as the old Redis numbered them
        raw.xadd(f"nb:s:{n}", {"n": "oud", "q": 1, "m": "-", "e": "recheck"}, id=f"{ahead}-0")
    for node in (0, 1):  # (a request is answered once the node read the streams this far)
        async with httpx.AsyncClient() as http:
            assert (await http.get(cluster.nodes[node].base + "/")).status_code == 200
    raw.flushall()  # the restart: nothing kept
    cut_every_redis_connection(raw)
    assert await a.wait_closed(10) == 1013
    assert await b.wait_closed(10) == 1013
    a = await reconnect(cluster, 0, m, a)
    b = await reconnect(cluster, 1, m, b)
    a.add_note("na", "na de herstart van Redis")
    try:
        await b.wait_for(lambda: "na" in b.note_texts(), timeout=10)
    except AssertionError:
        raise AssertionError("after Redis came back nothing crosses between the nodes") from None
    await a.close()
    await b.close()


async def test_a_board_loaded_while_another_node_compacts_it_is_whole(
    cluster: Cluster, postgres
) -> None:
    """`PgStore.load_board` reads the snapshot and then the log in two statements on an
    autocommit connection: two database snapshots. If another node's compaction
    (`PgStore.compact`: new snapshot of the old one plus the log, then delete that log)
    commits in between, the loading node gets the *old* snapshot and the log *after* the
    new one: everything the compaction folded in is missing. The node's devices then see a
    board with notes gone (a read-only device, the TV, for as long as it stays); exports on
    that node miss them too. Compaction runs every 500 updates of a busy board, and a board
    loads whenever a device opens it on a node that does not hold it. Here the test holds
    the gap open with a table lock and does what node A's compaction does.

    Fix (pgstore.py load_board): both reads in one statement (`SELECT 0 AS k, data FROM
    snapshots WHERE ... UNION ALL SELECT id, data FROM updates WHERE ... ORDER BY k`) or in
    one REPEATABLE READ transaction (`conn.isolation_level = IsolationLevel.REPEATABLE_READ`
    for that connection, or `SET TRANSACTION ISOLATION LEVEL REPEATABLE READ` inside
    `conn.transaction()`)."""
    import psycopg
    from pycrdt import Doc

    m = await cluster.meeting()
    family = await client(cluster.ws(0, m, "drieluik", "familie"), "familie")
    for k in range(5):
        family.add_note(f"n{k}", f"briefje {k}")
    assert await family.roundtrip()
    # node B holds the meeting (another board), not drieluik yet
    course = await client(cluster.ws(1, m, "verloop", "facilitator"), "facilitator")
    key = (m["id"], "drieluik")
    with psycopg.connect(postgres.url, autocommit=False) as compactor:
        compactor.execute("LOCK TABLE updates IN ACCESS EXCLUSIVE MODE")
        reader = YClient(cluster.ws(1, m, "drieluik", "facilitator"), role="facilitator")
        opening = asyncio.create_task(reader.connect())

        def loading() -> bool:  # node B is reading the board and waits for the log's lock
            return (
                postgres.query(
                    "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
                    "AND query LIKE '%%FROM updates%%' AND backend_type = 'client backend' "
                    "AND pid <> pg_backend_pid()"
                )[0][0]
                > 0
            )

        await until(loading, timeout=10, interval=0.01)
        # node A's compaction, as PgStore.compact does it
        snap = compactor.execute(
            "SELECT data FROM snapshots WHERE meeting_id = %s AND board_id = %s", key
        ).fetchone()
        rows = compactor.execute(
            "SELECT id, data FROM updates WHERE meeting_id = %s AND board_id = %s ORDER BY id",
            key,
        ).fetchall()
        doc: Doc = Doc()
        for part in ([snap[0]] if snap else []) + [r[1] for r in rows]:
            doc.apply_update(bytes(part))
        compactor.execute(
            "INSERT INTO snapshots (meeting_id, board_id, data, upto) VALUES (%s, %s, %s, %s) "
            "ON CONFLICT (meeting_id, board_id) DO UPDATE SET data = excluded.data, "
            "upto = excluded.upto",
            [*key, doc.get_update(), rows[-1][0]],
        )
        compactor.execute(
            "DELETE FROM updates WHERE meeting_id = %s AND board_id = %s AND id <= %s",
            [*key, rows[-1][0]],
        )
        compactor.commit()
    await opening
    assert set(reader.note_texts()) == {f"n{k}" for k in range(5)}, reader.note_texts()
    for d in (family, course, reader):
        await d.close()


# 5. throttles --------------------------------------------------------------------------------


async def test_one_allowance_of_wrong_passwords_and_new_meetings_for_every_node(
    tmp_path: Path, pg_url: str, redis_url: str
) -> None:
    """A guesser who sends each try to the next node got every node's allowance: the
    throttles (server/limits.py) kept their buckets in each node's memory, so with two
    nodes a user name took twice the wrong passwords, and an address made twice the
    meetings per hour (wrong links too: tests/test_no_store_and_throttle.py runs on two
    nodes). Fix: a token spent on one node is spent on every node (RedisBus.share, stream
    `nb:t`); an answer that spent one is sent once it is in Redis, and a request waits
    until its node has read what the others spent (bus.CaughtUp)."""
    c = Cluster(
        tmp_path,
        pg_url,
        redis_url,
        2,
        NETWERKBORD_MEETINGS_PER_HOUR="3",
        NETWERKBORD_LOGIN_NAME_FAILURE_BURST="3",
    )
    added = subprocess.run(
        [sys.executable, "-m", "server.cli", "user", "add", "anna", "--password-stdin"]
        + ["--database", pg_url],
        input="Oma-Wiebe-2026\n",
        text=True,
        capture_output=True,
        cwd=ROOT,
        env={**os.environ, "NETWERKBORD_DATA_DIR": str(tmp_path / "cli")},
    )
    assert added.returncode == 0, added.stderr
    with c:
        made = []
        for i in range(4):  # each to the next node
            async with httpx.AsyncClient() as http:
                r = await http.post(
                    c.nodes[i % 2].base + "/api/meetings", json={"title": f"familie De Vries {i}"}
                )
            made.append(r.status_code)
        assert made == [201, 201, 201, 429]

        tries = []
        for i in range(4):
            async with httpx.AsyncClient(base_url=c.nodes[i % 2].base) as browser:
                page = await browser.get("/inloggen")
                hidden = dict(HIDDEN.findall(page.text))
                r = await browser.post(
                    "/inloggen",
                    data={**hidden, "gebruikersnaam": "anna", "wachtwoord": f"geraden-{i}"},
                )
            tries.append(r.status_code)
        assert tries == [200, 200, 200, 429]  # (200: the page again, "wrong password")


# 6. the limits per meeting -------------------------------------------------------------------


async def test_the_limits_per_meeting_count_the_connections_of_every_node(
    tmp_path: Path, pg_url: str, redis_url: str
) -> None:
    """A meeting may have 3 connections and 2 boards open here. Each node counted only its
    own, so with two nodes a meeting got twice the connections and boards (each fans out
    to all the others: the limit is what one meeting may cost). Fix: a node reads the
    meeting's connections on the other nodes (`nb:c:<meeting>`) before it admits a device
    (ws.others_there)."""
    c = Cluster(
        tmp_path,
        pg_url,
        redis_url,
        2,
        NETWERKBORD_MAX_CONNECTIONS_PER_MEETING="3",
        NETWERKBORD_MAX_BOARDS_PER_MEETING="2",
    )
    raw = redis_client.Redis.from_url(redis_url)
    with c:
        m = await meeting_on(c, 0)

        def listed() -> int:
            rows = raw.hgetall(f"nb:c:{m['id']}").values()
            return sum(len(json.loads(row)) for row in rows)

        on_a = [await client(c.ws(0, m, "drieluik", "familie"), "familie") for _ in range(2)]
        await until(lambda: listed() == 2)  # node A wrote them down for the others
        third = await client(c.ws(1, m, "doelen", "familie"), "familie")
        await until(lambda: listed() == 3)
        fourth = YClient(c.ws(1, m, "drieluik", "familie"), role="familie")
        await fourth.connect(wait_synced=False)
        assert await fourth.wait_closed(10) == closecodes.FULL
        assert "Te veel verbindingen" in (fourth.close_reason or "")

        await third.close()  # one place free again, but not a third board
        await until(lambda: listed() == 2)
        board = YClient(c.ws(1, m, "plan", "familie"), role="familie")
        await board.connect(wait_synced=False)
        assert await board.wait_closed(10) == closecodes.FULL
        assert "Te veel borden" in (board.close_reason or "")
        fine = await client(c.ws(1, m, "drieluik", "familie"), "familie")
        assert fine.synced.is_set()
        for y in (*on_a, fine):
            await y.close()
    raw.close()


async def test_removing_a_device_counts_its_connections_on_every_node(cluster: Cluster) -> None:
    """The console removes a lost tablet connected to node B through node A: the answer said
    "closed": 0 (node A counted its own), while B closed it. Fix: the other nodes' count is
    read first (control.remove_device)."""
    m = await meeting_on(cluster, 0)
    lost = await client(ws(cluster, 1, m, "drieluik", "familie", "tablet-2"), "familie")
    raw = redis_client.Redis.from_url(cluster.nodes[0].env["NETWERKBORD_REDIS_URL"])
    await until(lambda: raw.hlen(f"nb:c:{m['id']}") == 1)  # node B wrote it down
    raw.close()
    r = await cluster.control(0, m, "devices/familie:tablet-2/remove", {})
    assert r.json()["closed"] == 1
    assert await lost.wait_closed(10) == closecodes.UNAUTHORIZED


async def test_a_burst_of_devices_joining_at_once_all_get_in(
    tmp_path: Path, pg_url: str, redis_url: str
) -> None:
    """Reading the other nodes' connections before admitting a device (above) took a Redis
    connection per joining device: 120 devices of 120 meetings joining at once (a node
    came back, a region's meetings start at nine) went past redis-py's pool of 100, and
    the rest were refused with 1013 ("Too many connections"). Fix: a bounded pool that
    waits for a free connection, and one read for the devices of one meeting. (One address
    here: it may have them all still sending their headers at once.)"""
    env = {"NETWERKBORD_MAX_HALF_OPEN_PER_ADDRESS": "200"}
    with Cluster(tmp_path, pg_url, redis_url, 2, **env) as cluster:
        await _burst(cluster)


async def _burst(cluster: Cluster) -> None:
    async with httpx.AsyncClient() as http:
        made = [
            await http.post(cluster.nodes[0].base + "/api/meetings", json={"title": f"familie {i}"})
            for i in range(120)
        ]
    devices = [
        YClient(cluster.ws(1, r.json(), "drieluik", "familie"), role="familie") for r in made
    ]
    await asyncio.gather(*(d.connect(wait_synced=False) for d in devices))
    for d in devices:
        await d.wait_for(lambda d=d: d.synced.is_set() or d.close_code is not None, 15)
    refused = [(d.close_code, d.close_reason) for d in devices if not d.synced.is_set()]
    assert refused == []
    await asyncio.gather(*(d.close() for d in devices))
