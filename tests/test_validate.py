"""What bounds the cost of refusals and of client ids (server/validate.py), in a room."""

from pycrdt import Doc, Map

from board.permissions import Access
from board.roles import Role
from server import closecodes
from server.connection import Connection
from server.meetings import Principal
from server.rooms import Room
from server.store import Store
from server.sync import encode_update
from server.validate import ClientIds, Refusals


class _Channel:
    async def send(self, data: bytes) -> None: ...

    async def close(self, code: int, reason: str) -> None: ...


def _device(room: Room, role: Role, device: str) -> Connection:
    conn = Connection(_Channel(), Access.WRITE, Principal("m1", role, "h-" + role, device))
    room.join(conn)
    return conn


def _note(doc: Doc, key: str, text: str, role: str) -> bytes:
    before = doc.get_state()
    doc.get("notes", type=Map)[key] = Map({"text": text, "zone": "zorgen", "role": role})
    return doc.get_update(before)


def test_a_device_whose_changes_keep_being_refused_is_stopped_before_they_are_applied():
    room = Room(("m1", "drieluik"), Store(None), compact_after=1000)
    family = _device(room, Role.FAMILIE, "tablet")
    room.receive_safely(family, encode_update(_note(Doc(), "fam", "Oma Wiëbe komt", "familie")))
    codes = []
    for attempt in range(Refusals.BURST + 2):
        pro = _device(room, Role.PROFESSIONAL, "laptop")
        source = Doc()
        source.apply_update(room.doc.get_update())
        before = source.get_state()
        source.get("notes", type=Map)["fam"]["text"] = f"Anders {attempt}"
        reads = room.loads
        room.receive_safely(pro, encode_update(source.get_update(before)))
        codes.append((pro.close_code, room.loads - reads))
    # each refusal read the board back from disk, until the device was stopped
    assert codes[: Refusals.BURST] == [(closecodes.UPDATE_REFUSED, 1)] * Refusals.BURST
    assert codes[Refusals.BURST :] == [(closecodes.RATE_LIMITED, 0)] * 2
    # the family tablet is not affected
    room.receive_safely(family, encode_update(_note(Doc(), "fam2", "Tante Ineke ook", "familie")))
    assert not family.closed
    assert room.doc.get("notes", type=Map)["fam2"]["text"] == "Tante Ineke ook"


def test_refusals_come_back_with_time():
    now = [0.0]
    refusals = Refusals(clock=lambda: now[0])
    for _ in range(Refusals.BURST):
        refusals.charge("device:professional:laptop")
    assert not refusals.allowed("device:professional:laptop")
    assert refusals.allowed("device:familie:tablet")
    now[0] += Refusals.REFILL_SECONDS
    assert refusals.allowed("device:professional:laptop")


def test_a_device_cannot_own_an_unbounded_number_of_client_ids(monkeypatch):
    monkeypatch.setattr(ClientIds, "MAX_PER_DEVICE", 3)
    room = Room(("m1", "drieluik"), Store(None), compact_after=1000)
    tablet = _device(room, Role.FAMILIE, "tablet")
    for i in range(3):  # a new document (a new client id) each time, as after a page reload
        room.receive_safely(tablet, encode_update(_note(Doc(), f"n{i}", "Sem", "familie")))
    assert not tablet.closed
    room.receive_safely(tablet, encode_update(_note(Doc(), "n9", "Noor", "familie")))
    assert tablet.close_code == closecodes.QUOTA_EXCEEDED
    assert "n9" not in room.doc.get("notes", type=Map)
    other = _device(room, Role.FAMILIE, "telefoon")
    room.receive_safely(other, encode_update(_note(Doc(), "n10", "Noor", "familie")))
    assert not other.closed
