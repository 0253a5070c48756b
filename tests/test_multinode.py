"""Several `netwerkbord serve` nodes on one real PostgreSQL and one real Redis
(tests/services.py): any node serves any meeting, the closed part holds across nodes, a
node killed with -9 or restarted loses nothing, and deletion leaves nothing behind."""

import asyncio
import os
import signal
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace

import httpx
import pytest
import redis as redis_client

from tests.serverprocess import ROOT, ServerProcess
from tests.test_interop_node import converge_both_ways
from tests.waiting import until
from tests.yclient import YClient


class Cluster:
    """Nodes started alike; each with its own (unused) data folder and log."""

    def __init__(self, tmp: Path, database: str, redis: str, size: int, **env: str) -> None:
        env = {
            "NETWERKBORD_DATABASE_URL": database,
            "NETWERKBORD_REDIS_URL": redis,
            "NETWERKBORD_REDIS_PURGE_SECONDS": "0.2",
            "NETWERKBORD_MEETINGS_PER_HOUR": "0",
            **env,
        }
        self.nodes = [
            ServerProcess(tmp / f"node{i}", tmp / f"node{i}.log", dict(env)) for i in range(size)
        ]
        self.tmp = tmp

    def start(self) -> None:
        for node in self.nodes:
            node.start()

    def stop(self) -> None:
        for node in self.nodes:
            node.stop()

    def __enter__(self) -> "Cluster":
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def logs(self) -> str:
        return "\n".join(p.read_text(errors="replace") for p in sorted(self.tmp.glob("node*.log")))

    async def meeting(self, title: str = "familie De Vries") -> dict:
        async with httpx.AsyncClient() as http:
            r = await http.post(self.nodes[0].base + "/api/meetings", json={"title": title})
            assert r.status_code == 201, r.text
            return r.json()

    def ws(self, node: int, m: dict, board: str, role: str) -> str:
        base = self.nodes[node].base.replace("http://", "ws://")
        return f"{base}/ws/{m['id']}/{board}?token={m['tokens'][role]}"

    async def control(self, node: int, m: dict, path: str, body: dict) -> httpx.Response:
        async with httpx.AsyncClient() as http:
            return await http.post(
                f"{self.nodes[node].base}/api/meetings/{m['id']}/{path}",
                json=body,
                headers={"Authorization": f"Bearer {m['tokens']['facilitator']}"},
            )


@pytest.fixture
def cluster(tmp_path: Path, pg_url: str, redis_url: str) -> Iterator[Cluster]:
    with Cluster(tmp_path, pg_url, redis_url, 2) as c:
        yield c
    assert "Traceback" not in c.logs(), c.logs()[-4000:]


async def client(url: str, role: str) -> YClient:
    return await YClient(url, role=role).connect()


def cut_every_redis_connection(raw: redis_client.Redis) -> None:
    """As a blip or a restart of Redis does to every node (but this client)."""
    me = raw.client_id()
    for info in raw.client_list():
        if int(info["id"]) != me:
            raw.client_kill_filter(_id=info["id"])


async def reconnect(cluster: Cluster, node: int, m: dict, old: YClient) -> YClient:
    """A family device that was closed comes back with what it holds, trying again (as a
    device does) until the node lets it in."""
    while True:
        fresh = YClient(cluster.ws(node, m, "drieluik", "familie"), role="familie")
        fresh.doc.apply_update(old.doc.get_update())
        await fresh.connect(wait_synced=False)
        await fresh.wait_for(lambda: fresh.synced.is_set() or fresh.close_code, 10)  # noqa: B023
        if fresh.synced.is_set():
            return fresh


async def test_stock_client_on_one_node_and_python_client_on_another_converge(cluster):
    m = await cluster.meeting()
    py = await client(cluster.ws(1, m, "drieluik", "familie"), "familie")
    node_a = SimpleNamespace(ws_base=cluster.nodes[0].base.replace("http://", "ws://") + "/ws")
    await converge_both_ways(node_a, m, py)


async def test_presence_reaches_the_other_node_stamped_and_leaves_with_the_device(cluster):
    m = await cluster.meeting()
    a = await client(cluster.ws(0, m, "drieluik", "familie"), "familie")
    b = await client(cluster.ws(1, m, "drieluik", "professional"), "professional")
    await a.set_awareness(a.doc.client_id, 1, {"user": {"name": "Oma Wiëbe", "role": "x"}})
    await b.wait_for(lambda: a.doc.client_id in b.awareness)
    user = b.awareness[a.doc.client_id]["user"]
    assert user["name"] == "Oma Wiëbe" and user["role"] == "familie"  # stamped by node A
    await a.close()
    await b.wait_for(lambda: b.awareness.get(a.doc.client_id) is None)
    await b.close()


async def test_closed_part_started_on_one_node_cuts_a_professional_on_another_first(cluster):
    """The family writes on node A without pause while the facilitator starts the closed
    part on node A; the professional on node B is cut off, and no note written after the
    start was answered ever reached it. Twenty rounds, each a new race."""
    for round_ in range(20):
        await _closed_part_round(cluster, round_)


async def _closed_part_round(cluster: Cluster, round_: int) -> None:
    m = await cluster.meeting(f"familie De Vries {round_}")
    family = await client(cluster.ws(0, m, "drieluik", "familie"), "familie")
    prof = await client(cluster.ws(1, m, "drieluik", "professional"), "professional")
    written = 0
    started_at: int | None = None

    async def write() -> None:
        nonlocal written
        while started_at is None or written < started_at + 5:
            written += 1
            family.add_note(f"n{written}", f"geheim-{round_}-{written}.")
            await family.roundtrip()

    writer = asyncio.create_task(write())
    await until(lambda: written >= 3)
    r = await cluster.control(0, m, "closed", {"closed": True})
    assert r.status_code == 200
    started_at = written  # notes numbered above this were written after the start
    await writer
    assert await prof.wait_closed(10) == 4403
    seen = b"".join(prof.frames)
    late = [n for n in range(started_at + 1, written + 1) if f"-{round_}-{n}.".encode() in seen]
    assert not late, f"round {round_}: notes {late} reached the professional"
    # and reconnecting to either node is refused while it lasts
    for node in (0, 1):
        again = await YClient(cluster.ws(node, m, "drieluik", "professional")).connect(
            wait_synced=False
        )
        assert await again.wait_closed() == 4403
    await family.close()


async def test_a_removed_device_and_a_renewed_link_are_cut_on_every_node(cluster):
    m = await cluster.meeting()
    prof = await client(cluster.ws(1, m, "drieluik", "professional"), "professional")
    r = await cluster.control(0, m, "tokens/professional", {})
    assert r.status_code == 200, r.text
    assert await prof.wait_closed() == 4401
    assert prof.close_reason == "Deze link is ingetrokken"


async def test_a_node_killed_mid_meeting_loses_nothing_any_device_had_seen(
    tmp_path, pg_url, redis_url
):
    with Cluster(tmp_path, pg_url, redis_url, 3) as c:
        m = await c.meeting()
        writers = [await client(c.ws(i, m, "drieluik", "familie"), "familie") for i in range(3)]
        watcher = await client(c.ws(2, m, "drieluik", "familie"), "familie")
        count = 0

        async def write(w: YClient, i: int) -> None:
            nonlocal count
            try:
                while True:
                    count += 1
                    w.add_note(f"w{i}-{count}", f"briefje {i}-{count}")
                    if not await w.roundtrip():
                        return
            except Exception:
                return

        tasks = [asyncio.create_task(write(w, i)) for i, w in enumerate(writers)]
        await until(lambda: len(watcher.note_texts()) >= 60, timeout=20)
        c.nodes[0].kill9()  # node A dies in the middle
        await until(lambda: tasks[0].done(), timeout=10)
        # A's device comes back through another node (as the balancer would send it), with
        # what it holds, its notes that node A may not have stored included: it sends them.
        back = YClient(c.ws(1, m, "drieluik", "familie"), role="familie")
        back.doc.apply_update(writers[0].doc.get_update())
        await back.connect()
        own = set(writers[0].note_texts())
        await until(lambda: own <= set(watcher.note_texts()), timeout=20)
        await until(lambda: len(watcher.note_texts()) >= len(own) + 30, timeout=20)
        for t in tasks[1:]:
            t.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        for w in writers[1:]:  # what they wrote last is sent (they are still connected)
            assert await w.roundtrip()
        seen = set().union(*(set(w.note_texts()) for w in (*writers, watcher, back)))
        for w in (*writers[1:], watcher, back):
            await w.close()
        c.nodes[0].start()  # back: it reads everything from PostgreSQL
        fresh = await client(c.ws(0, m, "drieluik", "familie"), "familie")
        assert seen <= set(fresh.note_texts()), seen - set(fresh.note_texts())
        await fresh.close()


async def test_a_rolling_restart_of_every_node_ends_no_meeting_and_loses_nothing(
    tmp_path, pg_url, redis_url
):
    with Cluster(tmp_path, pg_url, redis_url, 2) as c:
        m = await c.meeting()
        r = await c.control(0, m, "closed", {"closed": True})
        assert r.status_code == 200
        written: list[str] = []
        for step, node in enumerate([0, 1, 0, 1]):
            other = 1 - node
            w = await client(c.ws(other, m, "drieluik", "familie"), "familie")
            for k in range(10):
                w.add_note(f"r{step}-{k}", f"ronde {step} briefje {k}")
                written.append(f"r{step}-{k}")
            assert await w.roundtrip()
            c.nodes[node].proc.send_signal(signal.SIGTERM)  # a graceful restart ...
            c.nodes[node].proc.wait(15)
            c.nodes[node].start()  # ... on the same port
            await w.close()
        for node in (0, 1):
            check = await client(c.ws(node, m, "drieluik", "familie"), "familie")
            assert set(written) <= set(check.note_texts())
            await check.close()
        async with httpx.AsyncClient() as http:
            state = await http.get(
                f"{c.nodes[1].base}/api/meetings/{m['id']}",
                headers={"Authorization": f"Bearer {m['tokens']['facilitator']}"},
            )
        assert state.json()["closed"] is True  # the meeting went on as it was


async def test_deleting_a_meeting_leaves_nothing_in_postgresql_or_redis(cluster, postgres, redis):
    m = await cluster.meeting()
    keep = await cluster.meeting("familie Jansen")
    for node in (0, 1):
        w = await client(cluster.ws(node, m, "drieluik", "familie"), "familie")
        w.add_note(f"d{node}", f"weg-na-verwijderen-{node}")
        assert await w.roundtrip()
        await w.close()
    k = await client(cluster.ws(1, keep, "drieluik", "familie"), "familie")
    k.add_note("k", "blijft staan")
    assert await k.roundtrip()
    async with httpx.AsyncClient() as http:
        r = await http.delete(
            f"{cluster.nodes[1].base}/api/meetings/{m['id']}",
            headers={"Authorization": f"Bearer {m['tokens']['facilitator']}"},
        )
    assert r.status_code in (200, 204), r.text
    tables = [
        row[0]
        for row in postgres.query(
            "SELECT table_name FROM information_schema.columns WHERE column_name = 'meeting_id'"
        )
    ]
    assert "updates" in tables and "devices" in tables
    for table in tables:
        rows = postgres.query(f"SELECT count(*) FROM {table} WHERE meeting_id = %s", [m["id"]])
        assert rows[0][0] == 0, table
    assert postgres.query("SELECT count(*) FROM meetings WHERE id = %s", [m["id"]])[0][0] == 0

    raw = redis_client.Redis.from_url(redis.url)  # bytes, as the nodes wrote them

    def redis_holds(text: bytes) -> bool:
        """In any key's name or value: streams, hashes, strings (server/bus.py's keys)."""
        for key in raw.keys("*"):
            kind = raw.type(key)
            if kind == b"stream":
                values = [v for eid, f in raw.xrange(key) for v in (eid, *f.keys(), *f.values())]
            elif kind == b"hash":
                values = [v for pair in raw.hgetall(key).items() for v in pair]
            else:
                values = [raw.get(key) or b""]
            if text in b"".join([key, *values]):
                return True
        return False

    await until(lambda: not redis_holds(m["id"].encode()), timeout=10, interval=0.05)
    assert not redis_holds(b"weg-na-verwijderen")
    assert redis_holds(keep["id"].encode())  # the other meeting is untouched
    await k.close()


def test_redis_without_a_database_is_refused_with_a_clear_message(tmp_path):
    import subprocess
    import sys

    r = subprocess.run(
        [sys.executable, "-m", "server.cli", "serve", "--redis", "redis://127.0.0.1:1/0"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "NETWERKBORD_DATA": str(tmp_path)},
        timeout=30,
    )
    assert r.returncode == 1 and "NETWERKBORD_DATABASE_URL" in r.stderr


async def test_a_node_that_missed_trimmed_entries_catches_up_from_the_database(
    tmp_path, pg_url, redis_url
):
    """Node B stops (SIGSTOP) while 60 notes are written on node A; the streams keep only
    20 entries, so B cannot read them all back when it goes on: it sees the gap in node A's
    numbering and takes the rest from PostgreSQL. Its device ends up with every note."""
    with Cluster(tmp_path, pg_url, redis_url, 2, NETWERKBORD_REDIS_STREAM_LENGTH="20") as c:
        m = await c.meeting()
        a = await client(c.ws(0, m, "drieluik", "familie"), "familie")
        b = await client(c.ws(1, m, "drieluik", "familie"), "familie")
        a.add_note("voor", "voor de pauze")
        await b.wait_for(lambda: "voor" in b.note_texts())
        c.nodes[1].proc.send_signal(signal.SIGSTOP)
        try:
            for k in range(60):
                a.add_note(f"p{k}", f"tijdens de pauze {k}")
                assert await a.roundtrip()
        finally:
            c.nodes[1].proc.send_signal(signal.SIGCONT)
        await b.wait_for(lambda: len(b.note_texts()) == 61, timeout=15)
        assert b.note_texts() == a.note_texts()
        await until(lambda: "catching up" in c.logs(), timeout=5, interval=0.05)
        await a.close()
        await b.close()


async def test_compaction_with_two_nodes_writing_the_same_board_loses_nothing(
    tmp_path, pg_url, redis_url, postgres
):
    with Cluster(tmp_path, pg_url, redis_url, 2, NETWERKBORD_COMPACT_AFTER="15") as c:
        m = await c.meeting()
        writers = [await client(c.ws(i, m, "drieluik", "familie"), "familie") for i in (0, 1)]

        async def write(w: YClient, i: int) -> None:
            for k in range(100):
                w.add_note(f"c{i}-{k}", f"briefje {i}-{k}")
                if k % 5 == 4:
                    assert await w.roundtrip()

        await asyncio.gather(*(write(w, i) for i, w in enumerate(writers)))
        for w in writers:
            assert await w.roundtrip()
        rows = postgres.query(
            "SELECT count(*) FROM updates WHERE meeting_id = %s AND board_id = 'drieluik'",
            [m["id"]],
        )
        snapshots = postgres.query(
            "SELECT count(*) FROM snapshots WHERE meeting_id = %s AND board_id = 'drieluik'",
            [m["id"]],
        )
        assert snapshots[0][0] == 1 and rows[0][0] < 200  # compacted, more than once
        for w in writers:
            await w.close()
        c.stop()  # read back from the database only
        c.start()
        for node in (0, 1):
            fresh = await client(c.ws(node, m, "drieluik", "familie"), "familie")
            assert len(fresh.note_texts()) == 200
            await fresh.close()


async def test_when_redis_drops_every_node_closes_with_1013_and_its_devices_come_back(
    cluster, redis
):
    """Redis cuts every connection (a blip): a node cannot keep the meeting's order, so its
    devices are closed with 1013 and reconnect; nothing written meanwhile is lost."""
    m = await cluster.meeting()
    a = await client(cluster.ws(0, m, "drieluik", "familie"), "familie")
    b = await client(cluster.ws(1, m, "drieluik", "familie"), "familie")
    a.add_note("voor", "voor de onderbreking")
    await b.wait_for(lambda: "voor" in b.note_texts())
    cut_every_redis_connection(redis_client.Redis.from_url(redis.url))
    assert await a.wait_closed(10) == 1013
    assert await b.wait_closed(10) == 1013
    a = await reconnect(cluster, 0, m, a)
    b = await reconnect(cluster, 1, m, b)
    a.add_note("na", "na de onderbreking")
    await b.wait_for(lambda: "na" in b.note_texts(), timeout=10)
    assert b.note_texts() == a.note_texts()
    await a.close()
    await b.close()


def test_a_database_or_redis_out_of_reach_is_said_plainly_without_the_password(tmp_path, pg_url):
    import subprocess
    import sys

    def serve(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "server.cli", "serve", *args],
            cwd=ROOT,
            capture_output=True,
            text=True,
            env={**os.environ, "NETWERKBORD_DATA": str(tmp_path)},
            timeout=30,
        )

    r = serve("--database", "postgresql://nb:geheim-wachtwoord@127.0.0.1:1/netwerkbord")
    assert r.returncode == 1 and "cannot reach the database" in r.stderr
    assert "geheim-wachtwoord" not in r.stderr + r.stdout
    r = serve("--database", pg_url, "--redis", "redis://127.0.0.1:1/0")
    assert r.returncode == 1 and "cannot reach Redis" in r.stderr
