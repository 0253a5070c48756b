"""The real PostgreSQL and Redis the tests of several nodes run on (tests/services.py)."""

import os
from pathlib import Path

import psycopg
import pytest
import redis.asyncio as aioredis

from tests.services import Postgres, Redis


def test_postgres_keeps_what_is_written(pg_url, postgres):
    with psycopg.connect(pg_url) as conn:
        conn.execute("CREATE TABLE notes (id text PRIMARY KEY, text text NOT NULL)")
        conn.execute("INSERT INTO notes VALUES (%s, %s)", ("n1", "Oma Wiëbe komt zondag"))
    with psycopg.connect(pg_url) as conn:
        rows = conn.execute("SELECT id, text FROM notes").fetchall()
    assert rows == [("n1", "Oma Wiëbe komt zondag")]
    assert postgres.query("SELECT text FROM notes WHERE id = %s", ("n1",)) == [
        ("Oma Wiëbe komt zondag",)
    ]
    assert postgres.tables() == ["notes"]


def test_each_test_gets_an_empty_database(pg_url, postgres):
    assert postgres.tables() == []
    postgres.execute("CREATE TABLE meetings (id text); INSERT INTO meetings VALUES ('m1')")
    left_open = psycopg.connect(pg_url)  # as a server's pool would keep one
    postgres.reset()
    assert postgres.tables() == []
    assert left_open.closed or left_open.broken or _fails(left_open)
    left_open.close()


def _fails(conn: psycopg.Connection) -> bool:
    try:
        conn.execute("SELECT 1")
    except psycopg.OperationalError:
        return True
    return False


async def test_redis_stream_round_trip(redis_url, redis):
    client = aioredis.from_url(redis_url)  # redis-py's asyncio client, as server/bus.py
    try:
        first = await client.xadd("board:m1:drieluik", {"update": b"\x01\x02\xff"})
        second = await client.xadd("board:m1:drieluik", {"update": b"\x00"})
        entries = await client.xrange("board:m1:drieluik")
    finally:
        await client.aclose()
    assert entries == [(first, {b"update": b"\x01\x02\xff"}), (second, {b"update": b"\x00"})]
    assert redis.keys("board:*") == ["board:m1:drieluik"]


def test_each_test_gets_an_empty_redis(redis_url, redis):
    assert redis.keys() == []
    redis.client().set("meeting:m1", "familie De Vries")
    redis.flush()
    assert redis.keys() == []


def test_two_servers_run_side_by_side_and_leave_nothing_behind():
    with Postgres() as one, Postgres() as two, Redis() as r1, Redis() as r2:
        assert len({one.port, two.port, r1.port, r2.port}) == 4
        one.execute("CREATE TABLE only_here (x int)")
        assert one.tables() == ["only_here"]
        assert two.tables() == []
        r1.client().set("k", "1")
        assert r2.keys() == []
        folders = [one.root, two.root, r1.root, r2.root]
        procs = [one.proc, two.proc, r1.proc, r2.proc]
        if os.geteuid() == 0:  # PostgreSQL refuses root: it runs as an unprivileged user
            assert _uid(one.proc.pid) != 0
    assert all(p.poll() is not None for p in procs)
    assert not any(Path(f).exists() for f in folders)


def test_a_failing_test_still_stops_its_server():
    with pytest.raises(AssertionError, match="a test that fails"):
        with Redis() as rd:
            proc, folder = rd.proc, rd.root
            raise AssertionError("a test that fails")
    assert proc.poll() is not None
    assert not folder.exists()


def _uid(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("Uid:"):
            return int(line.split()[1])
    raise AssertionError("no Uid line")
