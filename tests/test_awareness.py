"""Presence (awareness) within bounds: state size, states per connection, no tombstones for
ids never seen, bounded query answers, byte budgets per device and per board, and JSON
depth. First a room without a network, then a live server and a real server process."""

import asyncio
import json
import time
from dataclasses import replace

import httpx
import pytest
from pycrdt import Map

from board.permissions import Access
from server import closecodes
from server.config import Config
from server.connection import Connection
from server.rooms import Room
from server.store import Store
from server.sync import (
    AwarenessEntry,
    AwarenessMessage,
    ProtocolError,
    encode_awareness,
    encode_sync_step1,
    nested_deeper_than,
    parse_message,
)
from tests.channels import device as _device
from tests.channels import presence, received
from tests.serverprocess import ServerProcess
from tests.test_limits import serving
from tests.yclient import YClient

OMA = {
    "user": {
        "name": "Oma Wiëbe",
        "relation": "oma",
        "role": "familie",
        "personId": "p-oma",
        "device": "tablet-1",
    },
    "board": "verloop",
}
KEES = {
    "user": {
        "name": "Oom Kees",
        "relation": "oom",
        "role": "familie",
        "personId": "p-kees",
        "device": "telefoon-2",
    },
    "board": "verloop",
}


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def make_room(clock):
    stores = []

    def make(**limits) -> Room:
        store = Store(None)
        stores.append(store)
        config = replace(Config(data_dir=None), **limits)
        room = Room(("m1", "verloop"), store, compact_after=1000, config=config)
        clock.now = time.monotonic()  # the board's budget was filled just now, by the real clock
        room.awareness.clock = clock
        return room

    yield make
    for store in stores:
        store.close()


def connect(room: Room, access=Access.READ) -> Connection:
    return _device(room, access)


def presence_sent(conn: Connection) -> list[list[AwarenessEntry]]:
    """The awareness messages sent to a connection since the last look, each as its entries."""
    return presence(received(conn))


def aw(client_id: int, clock: int, state) -> bytes:
    text = state if isinstance(state, str) else json.dumps(state, ensure_ascii=False)
    return encode_awareness([AwarenessEntry(client_id, clock, text)])


def padded(size: int) -> str:
    """A state of exactly `size` bytes of UTF-8 JSON, with a Dutch name in it."""
    text = json.dumps({"user": {"name": "Oma Wiëbe"}, "pad": ""}, ensure_ascii=False)
    return text[:-2] + "x" * (size - len(text.encode())) + '"}'


# state size ---------------------------------------------------------------------------------


async def test_a_state_at_the_limit_is_relayed(make_room):
    room = make_room(max_awareness_state_bytes=4096)
    oma, kees = connect(room), connect(room)
    received(kees)
    room.receive(oma, aw(11, 1, padded(4096)))
    assert not oma.closed and len(room.awareness[11][1].encode()) == 4096
    assert [[e.client_id for e in m] for m in presence_sent(kees)] == [[11]]


async def test_a_bigger_state_closes_its_sender_and_nothing_of_the_message_is_kept(make_room):
    room = make_room(max_awareness_state_bytes=4096)
    oma, kees = connect(room), connect(room)
    room.receive(oma, aw(11, 1, OMA))
    received(kees)
    # A valid entry and a too big one in one message: neither is kept or forwarded.
    room.receive(
        oma,
        encode_awareness(
            [
                AwarenessEntry(12, 1, json.dumps(KEES)),
                AwarenessEntry(11, 2, padded(4097)),
            ]
        ),
    )
    assert oma.close_code == closecodes.TOO_BIG
    assert "te groot" in (await oma.channel.closed())[1]
    assert dict(room.awareness) == {}  # its earlier state went with it
    assert [[(e.client_id, e.removed) for e in m] for m in presence_sent(kees)] == [[(11, True)]]
    newcomer = connect(room)
    assert presence_sent(newcomer) == []


async def test_a_megabyte_state_is_not_even_read_as_json(make_room, monkeypatch):
    room = make_room()
    oma = connect(room)
    monkeypatch.setattr(json, "loads", lambda *a, **k: pytest.fail("json.loads was called"))
    room.receive(oma, aw(11, 1, json.dumps({"x": "a" * 2**20})))
    assert oma.close_code == closecodes.TOO_BIG


async def test_a_device_echoing_someone_elses_big_state_is_not_closed(make_room):
    # The stock client sends every state it receives back, re-encoded by JSON.stringify
    # (1e20 becomes 100000000000000000000): an echo may be bigger than what was sent.
    room = make_room(max_awareness_state_bytes=4096)
    oma, kees = connect(room), connect(room)
    room.receive(oma, aw(11, 1, OMA))
    room.receive(kees, aw(11, 1, padded(20_000)))
    assert not kees.closed and json.loads(room.awareness[11][1]) == OMA


# states per connection, removals, departures ------------------------------------------------


async def test_a_connection_speaks_for_a_few_client_ids_only(make_room):
    room = make_room(max_awareness_states_per_connection=4)
    oma = connect(room)
    for cid in range(1, 7):
        room.receive(oma, aw(cid, 1, OMA))
    assert sorted(room.awareness) == [1, 2, 3, 4] and oma.client_ids == {1, 2, 3, 4}
    room.receive(oma, aw(4, 2, None))  # giving one up makes room for another
    room.receive(oma, aw(5, 1, OMA))
    assert sorted(room.awareness) == [1, 2, 3, 5]


async def test_a_removal_for_an_unknown_client_id_is_neither_kept_nor_forwarded(make_room):
    room = make_room()
    oma, kees, gone = connect(room), connect(room), connect(room)
    room.receive(kees, aw(7, 1, KEES))
    room.receive(gone, aw(8, 1, OMA))
    room.leave(gone)  # its id is remembered, so that a late echo cannot bring it back
    received(kees)
    room.receive(oma, encode_awareness([AwarenessEntry(10**6 + i, 1, "null") for i in range(1000)]))
    assert not oma.closed and dict(room.awareness) == {7: (1, json.dumps(KEES))}
    assert presence_sent(kees) == []
    # Nothing was kept of them: the ids are free to use, and the memory of departed ids
    # (it has room for awareness.MAX_DEPARTED only) was not flushed by them.
    room.receive(kees, aw(8, 1, OMA))  # a late echo of the departed device
    assert 8 not in room.awareness
    room.receive(oma, aw(10**6, 1, OMA))
    assert json.loads(room.awareness[10**6][1]) == OMA
    room.receive(oma, aw(10**6, 2, None))
    received(kees)
    newcomer = connect(room)
    assert [[e.client_id for e in m] for m in presence_sent(newcomer)] == [[7]]
    room.receive(newcomer, b"\x03")
    assert [[e.client_id for e in m] for m in presence_sent(newcomer)] == [[7]]


async def test_a_late_echo_does_not_bring_a_departed_device_back(make_room):
    room = make_room()
    oma, kees = connect(room), connect(room)
    room.receive(oma, aw(11, 3, OMA))
    room.leave(oma)
    room.receive(kees, aw(11, 3, OMA))  # kees's client echoes what it had received
    assert 11 not in room.awareness and kees.client_ids == set()


async def test_the_memory_of_departed_ids_is_bounded_and_forgets_the_oldest(make_room):
    from server import awareness

    room = make_room(awareness_burst_bytes=10**9, awareness_connection_burst_bytes=10**9)
    oma, kees = connect(room), connect(room)
    for cid in range(awareness.MAX_DEPARTED + 50):
        room.receive(oma, aw(cid, 1, OMA))
        room.receive(oma, aw(cid, 2, None))
    assert len(room.awareness) == 0
    # Late echoes (clock 2, as when it left): the last MAX_DEPARTED ids are remembered and
    # stay away; the 50 before them were forgotten, so theirs are taken as new states.
    room.receive(kees, aw(50, 2, KEES))
    assert 50 not in room.awareness
    room.receive(kees, aw(49, 2, KEES))
    assert 49 in room.awareness


# queries ------------------------------------------------------------------------------------


async def test_a_query_gets_live_states_only_and_once_per_period(make_room, clock):
    room = make_room(awareness_query_seconds=1.0)
    oma, kees, asker = connect(room), connect(room), connect(room)
    room.receive(oma, aw(11, 1, OMA))
    room.receive(kees, aw(12, 1, KEES))
    room.leave(oma)
    received(asker)
    for _ in range(50):
        room.receive(asker, b"\x03")
    answers = presence_sent(asker)
    assert [[(e.client_id, e.removed) for e in m] for m in answers] == [[(12, False)]]
    clock.now += 1.0
    room.receive(asker, b"\x03")
    assert len(presence_sent(asker)) == 1


# budgets --------------------------------------------------------------------------------------


async def test_a_flooding_device_is_closed_and_the_others_keep_going(make_room, clock):
    room = make_room(
        awareness_connection_bytes_per_second=8192, awareness_connection_burst_bytes=32_768
    )
    flood, kees, tv = connect(room), connect(room), connect(room)
    received(tv)
    clock_value = 0
    while not flood.closed:
        clock_value += 1
        room.receive(flood, aw(66, clock_value, padded(3000)))
        assert clock_value < 100
    assert flood.close_code == closecodes.RATE_LIMITED
    assert clock_value == 32_768 // 3000 + 1  # the burst, then the one that overdrew it
    room.receive(kees, aw(12, 1, KEES))
    assert not kees.closed and sorted(room.awareness) == [12]
    forwarded = presence_sent(tv)
    assert sum(len(json.dumps([e.state for e in m])) for m in forwarded) < 40_000
    assert not tv.closed
    # The allowance comes back with time.
    clock.now += 10
    room.receive(kees, aw(12, 2, KEES))
    assert room.awareness[12][0] == 2


async def test_many_tiny_messages_cost_like_bigger_ones(make_room):
    room = make_room()
    flood, tv = connect(room), connect(room)
    received(tv)
    n = 0
    while not flood.closed:
        n += 1
        room.receive(flood, aw(66, n, {}))
    assert flood.close_code == closecodes.RATE_LIMITED and n <= 32_768 // 256 + 1


async def test_the_board_budget_stops_many_devices_together(make_room):
    room = make_room(
        awareness_bytes_per_second=1024,
        awareness_burst_bytes=16_384,
        awareness_connection_burst_bytes=32_768,
    )
    devices = [connect(room) for _ in range(8)]
    closed = []
    for i, device in enumerate(devices):
        room.receive(device, aw(100 + i, 1, padded(3000)))
        if device.closed:
            closed.append(i)
    assert closed and closed[0] == 16_384 // 3000
    assert all(devices[i].close_code == closecodes.RATE_LIMITED for i in closed)
    assert len(room.awareness) == 16_384 // 3000


# JSON depth -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "state",
    [
        '{"a":' + "[" * 2000 + "]" * 2000 + "}",  # json.loads would raise RecursionError
        "{" + '"a":{' * 16 + "}" * 16 + "}",
    ],
)
async def test_deeply_nested_json_is_refused_before_json_loads(make_room, monkeypatch, state):
    room = make_room()
    oma = connect(room)
    monkeypatch.setattr(json, "loads", lambda *a, **k: pytest.fail("json.loads was called"))
    with pytest.raises(ProtocolError, match="nested too deeply"):
        room.receive(oma, aw(11, 1, state))
    assert len(room.awareness) == 0


async def test_nesting_up_to_the_bound_is_fine(make_room):
    room = make_room(max_awareness_json_depth=16)
    oma = connect(room)
    state = "{" + '"a":{' * 15 + '"naam":"[{[{ Oma Wiëbe"' + "}" * 15 + "}"
    room.receive(oma, aw(11, 1, state))
    assert room.awareness[11][1] == state


@pytest.mark.parametrize(
    "text, deep",
    [
        ("[" * 16 + "]" * 16, False),
        ("[" * 17 + "]" * 17, True),
        ('{"a":' * 17 + "1" + "}" * 17, True),
        ('{"naam":"' + "[" * 40 + '"}', False),  # brackets in a string do not nest
        ('{"naam":"Oma \\"' + "[" * 40 + '"}', False),  # nor after an escaped quote
        ('{"naam":"\\\\","x":' + "[" * 20 + "]" * 20 + "}", True),  # an escaped backslash ends it
        ('{"naam":"Wiëbe ✓ [[[[[[[[[[[[[[[[[[","x":[[[]]]}', False),
        ("[" * 40, True),  # unbalanced: refused as well (json.loads would refuse it too)
        ("[[],[[]],{}]" * 10_000, False),
    ],
)
def test_nesting_is_measured_outside_strings(text, deep):
    assert nested_deeper_than(text, 16) is deep


def test_the_limits_come_from_the_environment(monkeypatch):
    monkeypatch.setenv("NETWERKBORD_MAX_AWARENESS_STATE_BYTES", "2048")
    monkeypatch.setenv("NETWERKBORD_MAX_AWARENESS_STATES_PER_CONNECTION", "2")
    monkeypatch.setenv("NETWERKBORD_MAX_AWARENESS_JSON_DEPTH", "8")
    monkeypatch.setenv("NETWERKBORD_AWARENESS_BYTES_PER_SECOND", "1000.5")
    monkeypatch.setenv("NETWERKBORD_AWARENESS_BURST_BYTES", "4000")
    monkeypatch.setenv("NETWERKBORD_AWARENESS_CONNECTION_BYTES_PER_SECOND", "500")
    monkeypatch.setenv("NETWERKBORD_AWARENESS_CONNECTION_BURST_BYTES", "3000")
    monkeypatch.setenv("NETWERKBORD_AWARENESS_QUERY_SECONDS", "2.5")
    config = Config.from_env()
    assert (
        config.max_awareness_state_bytes,
        config.max_awareness_states_per_connection,
        config.max_awareness_json_depth,
    ) == (2048, 2, 8)
    assert (config.awareness_bytes_per_second, config.awareness_burst_bytes) == (1000.5, 4000)
    assert (
        config.awareness_connection_bytes_per_second,
        config.awareness_connection_burst_bytes,
    ) == (500, 3000)
    assert config.awareness_query_seconds == 2.5


# a live server --------------------------------------------------------------------------------


def awareness_frames(client: YClient) -> list[list[AwarenessEntry]]:
    out = []
    for frame in client.frames:
        message = parse_message(frame)
        if isinstance(message, AwarenessMessage):
            out.append(list(message.entries))
    return out


async def test_live_a_megabyte_state_closes_with_1009_and_a_newcomer_gets_none_of_it(tmp_path):
    async with serving(tmp_path, max_message_bytes=2 * 2**20) as live:
        m = await live.create_meeting("Netwerkberaad familie De Vries")
        url = live.ws_url(m["id"], "verloop", m["tokens"]["scherm"])  # read-only
        big = await YClient(url).connect()
        await big.set_awareness(66, 1, {"user": {"name": "Oma Wiëbe"}, "x": "a" * 2**20})
        assert await big.wait_closed() == closecodes.TOO_BIG
        assert "te groot" in big.close_reason
        newcomer = await YClient(url).connect()
        kees = await YClient(url).connect()
        await kees.set_awareness(12, 1, KEES)
        await newcomer.wait_for(lambda: 12 in newcomer.awareness)
        assert list(newcomer.awareness) == [12]
        assert all(e.client_id != 66 for m in awareness_frames(newcomer) for e in m)
        assert max(map(len, newcomer.frames)) < 4096
        for c in (newcomer, kees):
            await c.close()


async def test_live_unknown_removals_leave_nothing_and_queries_are_bounded(tmp_path):
    async with serving(tmp_path) as live:
        m = await live.create_meeting("Netwerkberaad familie De Vries")
        url = live.ws_url(m["id"], "verloop", m["tokens"]["familie"])
        oma, attacker = await YClient(url).connect(), await YClient(url).connect()
        await oma.set_awareness(11, 1, OMA)
        await attacker.wait_for(lambda: 11 in attacker.awareness)
        await attacker.send_raw(
            encode_awareness([AwarenessEntry(10**6 + i, 1, "null") for i in range(1000)])
        )
        await oma.close()
        await attacker.wait_for(lambda: 11 not in attacker.awareness)  # told of oma leaving
        asker = await YClient(url).connect()
        before = len(awareness_frames(asker))
        for _ in range(20):
            await asker.send_raw(b"\x03")
        # A sync step 1 after the queries: its answer comes after any answer to them.
        await asker.send_raw(encode_sync_step1(asker.doc.get_state()))
        steps = sum(1 for f in asker.frames if f[:2] == b"\x00\x01")
        await asker.wait_for(lambda: sum(1 for f in asker.frames if f[:2] == b"\x00\x01") > steps)
        answers = awareness_frames(asker)[before:]
        assert answers == [[]]  # one answer, with no state: oma left, the removals were not kept
        assert attacker.close_code is None
        for c in (attacker, asker):
            await c.close()


async def test_live_a_presence_flood_on_verloop_closes_only_the_flooder(tmp_path):
    async with serving(tmp_path) as live:
        m = await live.create_meeting("Netwerkberaad familie De Vries")
        fam = live.ws_url(m["id"], "verloop", m["tokens"]["familie"])
        flood = await YClient(fam).connect()
        tv = await YClient(live.ws_url(m["id"], "verloop", m["tokens"]["scherm"])).connect()
        await tv.set_awareness(5, 1, {"user": {"name": "Scherm woonkamer"}})
        state = {"user": {"name": "Oma Wiëbe"}, "pad": "x" * 3000}
        for clock in range(1, 2000):
            try:
                await flood.set_awareness(66, clock, state)
            except Exception:  # the server closed it
                break
        assert await flood.wait_closed() == closecodes.RATE_LIMITED
        assert "aanwezigheidsberichten" in flood.close_reason
        # A real update after the flood still reaches the screen, which stayed connected.
        r = await live.post(
            f"/api/meetings/{m['id']}/timer",
            m["tokens"]["facilitator"],
            {"action": "start", "minutes": 10},
        )
        ends = r.json()["timerEndsAt"]
        await tv.wait_for(lambda: tv.doc.get("state", type=Map).get("timerEndsAt") == ends)
        assert tv.close_code is None
        received = sum(len(f) for f in tv.frames if f[:1] == b"\x01")
        assert received < 64_000  # the device's burst (and the flooder's removal), no more
        await tv.close()


async def test_real_server_deep_json_closes_with_1002_and_logs_no_traceback(tmp_path):
    log_path = tmp_path / "server.log"
    server = ServerProcess(tmp_path / "data", log_path)
    await asyncio.to_thread(server.start)
    try:
        async with httpx.AsyncClient() as http:
            r = await http.post(
                f"{server.base}/api/meetings", json={"title": "Netwerkberaad familie De Vries"}
            )
        m = r.json()
        ws = server.base.replace("http://", "ws://")
        url = f"{ws}/ws/{m['id']}/verloop?token={m['tokens']['familie']}"
        client = await YClient(url).connect()
        deep = '{"a":' + "[" * 2000 + "]" * 2000 + "}"  # under 4 KiB, deeper than Python goes
        await client.send_raw(encode_awareness([AwarenessEntry(11, 1, deep)]))
        assert await client.wait_closed() == closecodes.PROTOCOL_ERROR
        assert "nested too deeply" in client.close_reason
        # The server is fine: a newcomer is served.
        again = await YClient(url).connect()
        await again.close()
    finally:
        await asyncio.to_thread(server.stop)
    text = log_path.read_text()
    assert "Traceback" not in text and "RecursionError" not in text
