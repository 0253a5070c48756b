"""Generated input against the wire protocol, the rooms and a live server: nothing but a clean
ProtocolError (and a close of that one connection) ever comes out, nothing unstored is ever
forwarded, and other rooms carry on."""

import json
import time

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pycrdt import Array, Doc, Map, Text

from board.permissions import Access
from server.rooms import Room
from server.store import Store
from server.sync import (
    AwarenessEntry,
    AwarenessMessage,
    ProtocolError,
    QueryAwareness,
    SyncMessage,
    encode_awareness,
    encode_sync_step1,
    encode_sync_step2,
    encode_update,
    parse_awareness_update,
    parse_message,
    write_uint,
)
from server.validate import RefusedUpdate
from tests.channels import device, received
from tests.yclient import YClient

FUZZ = settings(
    max_examples=150,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**40), 2**40) | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=8,
)
awareness_entries = st.builds(
    AwarenessEntry,
    st.integers(0, 2**53 - 1),
    st.integers(0, 2**53 - 1),
    st.one_of(
        st.just("null"),
        st.dictionaries(st.text(max_size=10), json_values, max_size=3).map(
            lambda d: json.dumps(d, ensure_ascii=False)
        ),
        st.text(max_size=30),
    ),
)


def mutate(data: bytes, how: int, where: int, value: int) -> bytes:
    if not data:
        return bytes([value])
    i = where % len(data)
    return [
        data,
        data[:i],  # truncated
        data[:i] + bytes([value]) + data[i + 1 :],  # one byte changed
        data[:i] + bytes([value]) + data[i:],  # one byte inserted
        data + data,  # doubled
        data[:i] + data[i + 1 :],  # one byte dropped
    ][how % 6]


# the wire protocol ------------------------------------------------------------------------


@FUZZ
@given(st.binary(max_size=300))
def test_any_bytes_parse_or_raise_protocol_error(data):
    try:
        message = parse_message(data)
    except ProtocolError:
        return
    assert isinstance(message, SyncMessage | AwarenessMessage | QueryAwareness)


@FUZZ
@given(st.lists(awareness_entries, max_size=5))
def test_awareness_roundtrip(entries):
    frame = encode_awareness(entries)
    try:
        parsed = parse_message(frame)
    except ProtocolError:
        # only states that are not a JSON object (or null) are refused
        assert any(not _json_object_or_null(e.state) for e in entries)
        return
    assert isinstance(parsed, AwarenessMessage)
    assert [(e.client_id, e.clock) for e in parsed.entries] == [
        (e.client_id, e.clock) for e in entries
    ]
    assert all(
        json.loads(p.state) == json.loads(e.state)
        for p, e in zip(parsed.entries, entries, strict=True)
    )


def _json_object_or_null(text: str) -> bool:
    try:
        value = json.loads(text)
    except ValueError:
        return False
    return value is None or isinstance(value, dict)


@FUZZ
@given(st.binary(max_size=200), st.integers(0, 5), st.integers(0, 1000), st.integers(0, 255))
def test_mutated_awareness_updates(data, how, where, value):
    good = encode_awareness([AwarenessEntry(7, 3, '{"user": {"name": "Eliëtte"}}')])
    for payload in (data, mutate(good[2:], how, where, value)):
        try:
            parse_awareness_update(payload)
        except ProtocolError:
            pass


# a room, in memory ------------------------------------------------------------------------


def _change(doc: Doc, op: int, key: str, text: str) -> None:
    notes = doc.get("notes", type=Map)
    if op == 0:
        notes[key] = Map({"text": text, "zone": "zorgen", "x": 0.5})
    elif op == 1 and key in notes:
        del notes[key]
    elif op == 2 and isinstance(notes.get(key), Map):
        notes[key]["text"] = text
    elif op == 3:
        doc.get("order", type=Array).append(text)
    else:
        t = doc.get("title", type=Text)
        t.insert(min(len(text), len(t)), text or "x")


step = st.tuples(
    st.sampled_from(["edit", "edit", "mutated", "bytes", "awareness", "step1", "query", "access"]),
    st.integers(0, 2),
    st.integers(0, 4),
    st.sampled_from(["n1", "n2", "n3"]),
    st.text(max_size=12),
    st.integers(0, 5),
    st.integers(0, 10_000),
    st.integers(0, 255),
    st.binary(max_size=60),
    st.lists(awareness_entries, max_size=3),
)


@FUZZ
@given(st.lists(step, max_size=25), st.integers(2, 40))
async def test_room_survives_any_sequence_and_stores_what_it_forwards(steps, compact_after):
    store = Store(None)
    room = Room(("m1", "drieluik"), store, compact_after)
    observer = device(room, Access.READ)  # only listens
    seen = Doc()
    clients = []
    for _ in range(3):
        clients.append((device(room), Doc()))

    for kind, who, op, key, text, how, where, value, raw, entries in steps:
        conn, doc = clients[who]
        if kind == "access":  # e.g. a lock: its writes are refused for a while
            conn.access = Access.READ if conn.access is Access.WRITE else Access.WRITE
            continue
        if kind in ("edit", "mutated"):
            before = doc.get_state()
            _change(doc, op, key, text)
            update = doc.get_update(before)
            if kind == "mutated":
                update = mutate(update, how, where, value)
            frame = (encode_update if how % 2 else encode_sync_step2)(update)
        elif kind == "bytes":
            frame = raw
        elif kind == "awareness":
            frame = encode_awareness(entries)
        elif kind == "step1":
            frame = encode_sync_step1(doc.get_state() if how % 2 else raw)
        else:
            frame = write_uint(3)
        try:
            room.receive(conn, frame)
        except (ProtocolError, RefusedUpdate):  # closed; the room kept nothing of it
            pass
        # Whatever the server sends is well-formed and applies cleanly.
        for out in received(observer):
            msg = parse_message(out)
            if isinstance(msg, SyncMessage) and msg.kind != 0:
                seen.apply_update(msg.payload)
        for c, d in clients:
            for out in received(c):
                msg = parse_message(out)
                if isinstance(msg, SyncMessage) and msg.kind != 0:
                    d.apply_update(msg.payload)

    # The listener has exactly what the room has, and the database has it too.
    assert _content(seen) == _content(room.doc)
    stored = Doc()
    snapshot, updates = store.load_board("m1", "drieluik")
    for u in ([snapshot] if snapshot else []) + updates:
        stored.apply_update(u)
    assert _content(stored) == _content(room.doc)
    for conn in (observer, *(c for c, _ in clients)):
        await conn.stop_sender()  # a close on its way goes out
    store.close()


def _content(doc: Doc) -> dict:
    return {
        "notes": doc.get("notes", type=Map).to_py(),
        "order": doc.get("order", type=Array).to_py(),
        "title": str(doc.get("title", type=Text)),
    }


# a live server over real WebSockets --------------------------------------------------------

frames = st.one_of(
    st.binary(max_size=80),
    st.tuples(
        st.binary(max_size=60), st.integers(0, 5), st.integers(0, 200), st.integers(0, 255)
    ).map(lambda t: mutate(encode_update(_sample_update()), *t[1:]) if t[1] else t[0]),
    st.lists(awareness_entries, max_size=3).map(encode_awareness),
    st.text(max_size=20),
)


def _sample_update() -> bytes:
    doc = Doc()
    doc.get("notes", type=Map)["n9"] = Map({"text": "Wat gaat goed", "zone": "goed"})
    return doc.get_update()


@settings(
    max_examples=40,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(st.lists(frames, min_size=1, max_size=4))
async def test_live_server_takes_any_frames_and_other_rooms_never_notice(live_server, sent):
    bystanders = await _bystanders(live_server)
    m = bystanders["fuzzed"]
    client = await YClient(
        live_server.ws_url(m["id"], "drieluik", m["tokens"]["familie"]), role="familie"
    ).connect()
    try:
        for frame in sent:
            await client.send_raw(frame)
    except Exception:
        pass  # closed by the server halfway: fine
    await client.close()  # the closing handshake comes after the frames were handled
    # Meanwhile, in another meeting, a note still goes across.
    writer, reader = bystanders["pair"]
    key = f"n{time.monotonic_ns()}"
    writer.add_note(key, "Gaat gewoon door")
    await reader.wait_for(lambda: key in reader.notes)
    assert writer.close_code is None and reader.close_code is None


_BYSTANDERS: dict[int, tuple[object, dict]] = {}  # id of the server -> (server, bystanders)


async def _bystanders(live) -> dict:  # type: ignore[no-untyped-def]
    """Made once per server: the meeting under fuzz, and a quiet pair in another meeting."""
    server, found = _BYSTANDERS.get(id(live), (None, None))
    if server is not live or found is None:
        other = await live.create_meeting("Familie Bijstander")
        url = live.ws_url(other["id"], "drieluik", other["tokens"]["familie"])
        found = {
            "fuzzed": await live.create_meeting("Familie Fuzz"),
            "pair": (await YClient(url).connect(), await YClient(url).connect()),
        }
        _BYSTANDERS[id(live)] = (live, found)
    return found
