"""Limits: each one, when passed, closes with a clear code and reason; nobody else notices."""

import asyncio
import contextlib
from collections.abc import AsyncIterator
from dataclasses import replace
from pathlib import Path

import httpx
import pytest

from server import closecodes
from server.accounts import Accounts
from server.app import create_app
from server.config import Config
from server.limits import AuthThrottle, TokenBucket, meeting_limit_error
from server.store import Store
from tests.conftest import LiveServer, _serve
from tests.serverprocess import free_port
from tests.yclient import YClient


@contextlib.asynccontextmanager
async def serving(tmp_path: Path, **limits: object) -> AsyncIterator[LiveServer]:
    """A live server with the given Config fields."""
    config = replace(
        Config(data_dir=tmp_path / "data", max_message_bytes=65_536, idle_unload_seconds=0.2),
        **limits,
    )
    port = free_port()
    app = create_app(config)
    server, task = await _serve(app, port, config)
    live = LiveServer(f"http://127.0.0.1:{port}", config, app, server, task)
    try:
        yield live
    finally:
        await live.stop()


async def refused(url: str) -> tuple[int | None, str]:
    client = YClient(url)
    await client.connect(wait_synced=False)
    await client.wait_closed()
    return client.close_code, client.close_reason


async def test_too_many_messages_per_second_closes_only_that_device(tmp_path):
    async with serving(tmp_path, max_messages_per_second=20, message_burst=30) as live:
        m = await live.create_meeting("Familie Jansen")
        url = live.ws_url(m["id"], "drieluik", m["tokens"]["familie"])
        flood, calm, reader = [await YClient(url).connect() for _ in range(3)]
        for i in range(60):
            flood.add_note(f"f{i}", f"briefje {i}")
        assert await flood.wait_closed() == closecodes.RATE_LIMITED
        assert "berichten per seconde" in flood.close_reason
        calm.add_note("rustig", "Ik schrijf rustig")
        await reader.wait_for(lambda: "rustig" in reader.note_texts())
        for c in (calm, reader):
            await c.close()


async def test_connections_per_meeting(tmp_path):
    async with serving(tmp_path, max_connections_per_meeting=3) as live:
        m = await live.create_meeting("Familie de Boer")
        other = await live.create_meeting("Familie Visser")
        tok = m["tokens"]["familie"]
        first = [
            await YClient(live.ws_url(m["id"], b, tok)).connect()
            for b in ("drieluik", "drieluik", "doelen")
        ]
        code, reason = await refused(live.ws_url(m["id"], "plan", tok))
        assert code == closecodes.FULL and "verbindingen" in reason
        # Another meeting is not affected, and a place that comes free can be taken again.
        elsewhere = await YClient(
            live.ws_url(other["id"], "drieluik", other["tokens"]["familie"])
        ).connect()
        await first[0].close()
        again = await YClient(live.ws_url(m["id"], "plan", tok)).connect()
        for c in (*first[1:], elsewhere, again):
            await c.close()


async def test_boards_per_meeting_and_active_meetings(tmp_path):
    async with serving(
        tmp_path, max_boards_per_meeting=2, max_active_meetings=2, idle_unload_seconds=30
    ) as live:
        a, b, c = [await live.create_meeting(f"Familie {n}") for n in ("Ali", "Bos", "Cok")]
        # Creating meetings loads their boards; start from an empty server.
        live.app.state.rooms.close()
        ta = a["tokens"]["familie"]
        open_ = [
            await YClient(live.ws_url(a["id"], board, ta)).connect()
            for board in ("drieluik", "doelen")
        ]
        code, reason = await refused(live.ws_url(a["id"], "plan", ta))
        assert code == closecodes.FULL and "borden" in reason
        open_.append(
            await YClient(live.ws_url(b["id"], "drieluik", b["tokens"]["familie"])).connect()
        )
        code, reason = await refused(live.ws_url(c["id"], "drieluik", c["tokens"]["familie"]))
        assert code == closecodes.FULL and "server is vol" in reason
        # An open board of a meeting that is already active can still take devices.
        open_.append(await YClient(live.ws_url(a["id"], "drieluik", ta)).connect())
        for client in open_:
            await client.close()


async def test_meetings_per_server(tmp_path):
    async with serving(tmp_path, max_meetings=2) as live:
        await live.create_meeting("Familie Ali")
        assert meeting_limit_error(live.app.state) is None
        await live.create_meeting("Familie Bos")
        assert "maximale aantal" in meeting_limit_error(live.app.state)


async def test_idle_connection_times_out_but_a_talking_one_stays(tmp_path):
    async with serving(tmp_path, idle_timeout_seconds=0.6) as live:
        m = await live.create_meeting("Familie Mulder")
        url = live.ws_url(m["id"], "drieluik", m["tokens"]["familie"])
        talking = await YClient(url).connect()  # first: its idle time would end first
        quiet = await YClient(url).connect()
        closing = asyncio.ensure_future(quiet.wait_closed(timeout=5))
        clock = 0
        while not closing.done():  # talk now and then until the quiet one is closed
            clock += 1
            await talking.set_awareness(77, clock, {"user": {"name": "Oom Kees"}})
            await asyncio.wait({closing}, timeout=0.2)
        assert closing.result() == closecodes.IDLE
        assert quiet.close_reason
        talking.add_note("n1", "Nog steeds hier")
        assert await talking.roundtrip() and talking.close_code is None
        await talking.close()


async def test_invalid_links_are_throttled_per_address(tmp_path):
    async with serving(tmp_path, auth_failure_burst=4, auth_failures_per_minute=6) as live:
        m = await live.create_meeting("Familie Smits")
        valid = live.ws_url(m["id"], "drieluik", m["tokens"]["familie"])
        for i in range(4):
            assert (await refused(live.ws_url(m["id"], "drieluik", f"geraden{i}")))[0] == 4401
        # Now a wrong link from this address waits ...
        code, reason = await refused(live.ws_url(m["id"], "drieluik", "geraden-nog-een"))
        assert code == closecodes.RATE_LIMITED and "ongeldige link" in reason
        async with httpx.AsyncClient() as http:
            r = await http.get(
                f"{live.base}/api/meetings/{m['id']}", headers={"Authorization": "Bearer fout"}
            )
            assert r.status_code == 429 and r.json()["error"] and r.headers["retry-after"]
            assert (await http.get(f"{live.base}/j/geraden")).status_code == 429
            # ... but a valid one never does: the family behind this router keeps going.
            r = await http.get(
                f"{live.base}/api/meetings/{m['id']}",
                headers={"Authorization": f"Bearer {m['tokens']['familie']}"},
            )
            assert r.status_code == 200
            # Pages without a token are still served.
            assert (await http.get(f"{live.base}/")).status_code == 200
        client = await YClient(valid).connect()
        assert client.close_code is None
        await client.close()


async def test_failed_http_attempts_count_too(tmp_path):
    async with serving(tmp_path, auth_failure_burst=3, auth_failures_per_minute=6) as live:
        m = await live.create_meeting("Familie Peters")
        async with httpx.AsyncClient() as http:
            statuses = [
                (
                    await http.get(
                        f"{live.base}/api/meetings/{m['id']}",
                        headers={"Authorization": f"Bearer fout{i}"},
                    )
                ).status_code
                for i in range(4)
            ]
        assert statuses == [401, 401, 401, 429]
        # One bucket for both: a wrong link over the WebSocket waits now too.
        assert (await refused(live.ws_url(m["id"], "drieluik", "fout")))[0] == (
            closecodes.RATE_LIMITED
        )


def test_throttle_lets_an_address_back_in_when_its_allowance_returns():
    now = [0.0]
    throttle = AuthThrottle(burst=2, per_minute=6, clock=lambda: now[0])  # one back per 10 s
    throttle.failed("10.0.0.7")
    assert not throttle.blocked("10.0.0.7")
    throttle.failed("10.0.0.7")
    assert throttle.blocked("10.0.0.7") and not throttle.blocked("10.0.0.8")
    now[0] = 9.0
    assert throttle.blocked("10.0.0.7")
    now[0] = 10.5
    assert not throttle.blocked("10.0.0.7")


def test_throttle_remembers_the_latest_addresses_only():
    throttle = AuthThrottle(burst=1, per_minute=1, clock=lambda: 0.0)
    throttle.MAX_ADDRESSES = 100
    addresses = [f"10.0.{i // 256}.{i % 256}" for i in range(1000)]
    for address in addresses:
        throttle.failed(address)
    # The last 100 addresses are remembered (and still blocked); the older ones forgotten.
    assert [throttle.blocked(a) for a in addresses] == [False] * 900 + [True] * 100


def test_a_guesser_moving_through_its_ipv6_network_keeps_one_allowance():
    """A phone or a home gets a whole /64: a new IPv6 address per try is the same address."""
    throttle = AuthThrottle(burst=3, per_minute=1, clock=lambda: 0.0)
    refused = [throttle.refuse(f"2001:db8:1:2::{i:x}") for i in range(5)]
    assert refused == [False, False, False, True, True]
    assert not throttle.refuse("2001:db8:1:3::1")  # the neighbours' network is not theirs


def test_wrong_passwords_for_very_long_names_keep_the_throttle_small(tmp_path):
    """A name can have 60 characters; one typed with 60,000 is not kept whole."""
    accounts = Accounts(Store(tmp_path / "nb.db"), Config(data_dir=tmp_path))
    long_names = ["x" * 60_000 + str(i) for i in range(3)]
    for name in long_names:
        accounts.failed(name, "10.0.0.7")
    keys = list(accounts.by_name._buckets)
    assert keys == ["x" * 61] and accounts.throttled(long_names[0], "10.0.0.8") is None


def test_token_bucket():
    bucket = TokenBucket(rate=10, burst=3, now=0.0)
    assert [bucket.take(0.0) for _ in range(4)] == [True, True, True, False]
    assert bucket.take(0.1) and not bucket.take(0.1)


def test_limits_come_from_the_environment(monkeypatch):
    monkeypatch.setenv("NETWERKBORD_MAX_CONNECTIONS_PER_MEETING", "12")
    monkeypatch.setenv("NETWERKBORD_IDLE_TIMEOUT_SECONDS", "30.5")
    monkeypatch.setenv("NETWERKBORD_MAX_MESSAGES_PER_SECOND", "50")
    config = Config.from_env()
    assert config.max_connections_per_meeting == 12
    assert config.idle_timeout_seconds == 30.5 and config.max_messages_per_second == 50
    assert Config().max_meetings == 100_000


@pytest.mark.parametrize("size", [10, 2000])
async def test_message_size_limit_is_configurable(tmp_path, size):
    async with serving(tmp_path, max_message_bytes=1000) as live:
        m = await live.create_meeting("Familie Wit")
        client = await YClient(live.ws_url(m["id"], "drieluik", m["tokens"]["familie"])).connect()
        await client.send_raw(b"\x01" + bytes([size & 0x7F]) + b"\x00" * size)
        code = await client.wait_closed()
        assert code == (closecodes.TOO_BIG if size > 1000 else closecodes.PROTOCOL_ERROR)
