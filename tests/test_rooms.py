"""Rooms without a network: write rules, awareness, fan-out, storage and compaction."""

import json

import pytest
from pycrdt import Doc, Map

from board.permissions import Access
from server import closecodes
from server.connection import Connection
from server.registry import Rooms
from server.rooms import Room
from server.store import Store
from server.sync import (
    AwarenessEntry,
    encode_awareness,
    encode_sync_step1,
    encode_sync_step2,
    encode_update,
    parse_message,
)
from tests.channels import RecordingChannel, presence, received, updates
from tests.channels import device as connect
from tests.waiting import until


def received_updates(conn: Connection) -> list[bytes]:
    return updates(received(conn))


def note_update(text: str, note_id: str = "n1") -> bytes:
    doc = Doc()
    doc.get("notes", type=Map)[note_id] = Map({"text": text, "zone": "zorgen"})
    return doc.get_update()


def texts(room: Room) -> dict:
    return {k: v["text"] for k, v in room.to_py()["notes"].items()}


@pytest.fixture
def store():
    s = Store(None)
    yield s
    s.close()


@pytest.fixture
def room(store):
    return Room(("m1", "drieluik"), store, compact_after=1000)


async def test_read_only_connection_cannot_write_through_update(room):
    reader, other = connect(room, Access.READ), connect(room)
    received(other)
    room.receive(reader, encode_update(note_update("stiekem")))
    assert texts(room) == {}
    assert received_updates(other) == []


async def test_read_only_connection_cannot_write_through_sync_step2(room):
    reader = connect(room, Access.READ)
    room.receive(reader, encode_sync_step2(note_update("via stap 2")))
    assert texts(room) == {}


async def test_writer_update_is_stored_and_forwarded_to_others_only(room, store):
    writer, other = connect(room), connect(room)
    received(writer), received(other)
    room.receive(writer, encode_update(note_update("Meer rust thuis")))
    assert texts(room) == {"n1": "Meer rust thuis"}
    assert len(received_updates(other)) == 1
    assert received_updates(writer) == []
    _, log = store.load_board("m1", "drieluik")
    assert len(log) == 1


async def test_a_repeated_update_is_not_stored_or_forwarded_twice(room, store):
    writer, other = connect(room), connect(room)
    update = note_update("één keer")
    room.receive(writer, encode_update(update))
    received(other)
    room.receive(writer, encode_sync_step2(update))
    assert received_updates(other) == []
    assert len(store.load_board("m1", "drieluik")[1]) == 1


async def test_full_send_queue_closes_the_device_instead_of_dropping(room):
    writer = connect(room)
    # Not direct, and no sender task: nothing is written, as for a device that stopped reading.
    slow = Connection(RecordingChannel(), Access.WRITE, queue_size=3)
    room.join(slow)
    for i in range(5):
        room.receive(writer, encode_update(note_update(f"briefje {i}", f"n{i}")))
    assert slow.closed and slow.close_code == closecodes.TRY_AGAIN


def awareness_entries(conn):
    return [e for entries in presence(received(conn)) for e in entries]


def aw(client_id, clock, state):
    return encode_awareness([AwarenessEntry(client_id, clock, json.dumps(state))])


async def test_new_connection_gets_current_awareness_and_departure_is_broadcast_at_once(room):
    a = connect(room)
    room.receive(a, aw(11, 1, {"user": {"name": "Eliëtte"}}))
    b = connect(room)
    assert [json.loads(e.state) for e in awareness_entries(b)] == [{"user": {"name": "Eliëtte"}}]
    room.leave(a)
    gone = awareness_entries(b)
    assert [(e.client_id, e.removed) for e in gone] == [(11, True)]


async def test_a_device_cannot_overwrite_another_devices_presence(room):
    a, b = connect(room), connect(room)
    room.receive(a, aw(11, 1, {"user": {"name": "Aïsha"}}))
    room.receive(b, aw(11, 5, None))
    assert json.loads(room.awareness[11][1]) == {"user": {"name": "Aïsha"}}


async def test_outdated_awareness_is_ignored(room):
    a = connect(room)
    room.receive(a, aw(11, 4, {"n": 2}))
    room.receive(a, aw(11, 3, {"n": 1}))
    assert json.loads(room.awareness[11][1]) == {"n": 2}


async def test_room_restores_from_snapshot_plus_log_after_compaction(store):
    room = Room(("m1", "doelen"), store, compact_after=10)
    writer = connect(room)
    for i in range(25):
        room.receive(writer, encode_update(note_update(f"doel {i}", f"n{i}")))
    snapshot, log = store.load_board("m1", "doelen")
    assert snapshot is not None and len(log) == 5
    again = Room(("m1", "doelen"), store, compact_after=10)
    assert texts(again) == texts(room) and len(texts(again)) == 25


async def test_idle_room_unloads_compacted_and_reloads_with_everything(store):
    rooms = Rooms(store, idle_seconds=0, compact_after=1000)
    room = rooms.get("m1", "drieluik")
    writer = connect(room)
    room.receive(writer, encode_update(note_update("Opa helpt met huiswerk")))
    room.leave(writer)
    rooms.release(room)
    await until(lambda: not rooms.is_loaded("m1", "drieluik"))
    assert store.load_board("m1", "drieluik")[1] == []  # compacted into the snapshot
    assert texts(rooms.get("m1", "drieluik")) == {"n1": "Opa helpt met huiswerk"}


async def test_a_compacted_board_reaches_a_new_device_whole_and_offline_notes_still_arrive(
    store,
):
    """A board stored as a snapshot is handed to a new device as it is stored, before the
    server applies it; devices that joined meanwhile still get the server's state vector, so
    a phone's note written offline reaches the board."""
    before = Room(("m1", "drieluik"), store, compact_after=1000)
    before.receive(connect(before), encode_update(note_update("Oma Wiëbe haalt Sem op")))
    phone_doc = Doc()
    phone_doc.apply_update(before.doc.get_update())
    before.compact()
    assert store.load_board("m1", "drieluik")[1] == []  # a snapshot alone
    with phone_doc.transaction():  # offline
        phone_doc.get("notes", type=Map)["n2"] = Map({"text": "Fatma rijdt", "zone": "plan"})

    room = Room(("m1", "drieluik"), store, compact_after=1000)
    tablet, phone = connect(room), connect(room)
    room.receive(tablet, encode_sync_step1(b"\x00"))  # the tablet holds nothing yet
    board = Doc()
    for update in received_updates(tablet):
        board.apply_update(update)
    assert {k: v["text"] for k, v in board.get("notes", type=Map).to_py().items()} == {
        "n1": "Oma Wiëbe haalt Sem op"
    }
    # The phone gets the server's sync step 1 and answers with what the server lacks.
    await until(lambda: phone.channel.sent)
    (asked,) = [m for m in map(parse_message, received(phone)) if m.kind == 0]
    room.receive(phone, encode_sync_step2(phone_doc.get_update(asked.payload)))
    assert texts(room) == {"n1": "Oma Wiëbe haalt Sem op", "n2": "Fatma rijdt"}
    assert [m.kind for m in map(parse_message, received(tablet))][-1] == 2  # (the new note)


async def test_revoked_connection_gets_nothing_more_than_its_close(room):
    pro, fam = connect(room), connect(room)
    received(pro)
    room.revoke(pro, closecodes.FORBIDDEN, "besloten")
    room.receive(fam, encode_update(note_update("geheim plan")))
    assert (await pro.channel.closed())[0] == closecodes.FORBIDDEN
    assert received(pro) == []  # only the close


async def test_write_arriving_from_a_revoked_connection_is_not_applied(room):
    pro = connect(room)
    room.revoke(pro, closecodes.FORBIDDEN, "besloten")
    room.receive(pro, encode_update(note_update("te laat")))
    assert texts(room) == {}


async def test_a_failed_group_commit_takes_the_board_back_to_disk_once(tmp_path):
    store = Store(tmp_path / "nb.db")  # on disk: updates are committed once per loop turn
    room = Room(("m1", "drieluik"), store, compact_after=1000)
    a, b, reader = connect(room), connect(room), connect(room)
    received(reader)
    room.receive(a, encode_update(note_update("Staat veilig", "n0")))
    await until(lambda: reader.channel.sent)  # committed, then forwarded
    assert len(received_updates(reader)) == 1
    reads = []
    load_board = store.load_board
    store.load_board = lambda *key: reads.append(key) or load_board(*key)
    store.writer.conn.execute("PRAGMA query_only=ON")  # the disk refuses from now on
    room.receive(a, encode_update(note_update("Van tablet A", "n1")))
    room.receive(b, encode_update(note_update("Van tablet B", "n2")))
    await until(lambda: a.closed and b.closed)  # the commit failed: both writers are told
    assert a.close_code == b.close_code == closecodes.INTERNAL_ERROR
    assert texts(room) == {"n0": "Staat veilig"} and received_updates(reader) == []
    assert len(reads) == 1  # both failures were in one commit: the board is read back once
    store.writer.conn.execute("PRAGMA query_only=OFF")
    store.close()
