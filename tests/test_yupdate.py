"""server/yupdate.py, the decoder every update passes before pycrdt sees it: what real
clients make (pycrdt, and the browser's own operations run by Yjs in Node) is accepted, and
hand-made hostile updates are refused with the right reason, without recursion."""

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pycrdt import Array, Doc, Map, Text

from board.permissions import Access
from board.roles import Role
from server.connection import Connection
from server.meetings import Principal
from server.rooms import Room
from server.store import Store
from server.sync import encode_update
from server.validate import BoardGuard, RefusedUpdate
from server.yupdate import (
    DEFAULT_LIMITS,
    RECORD,
    RECORDS,
    Limits,
    UpdateRejected,
    inspect,
)
from tests import ybytes as yb
from tests.test_fuzz import mutate

ROOT = Path(__file__).resolve().parent.parent
DRIELUIK = BoardGuard(
    "drieluik"
).roots  # {"notes": RECORDS, "groups": RECORDS, "statements": RECORD}
PLAN = BoardGuard("plan").roots
VERLOOP = BoardGuard("verloop").roots

FAST = settings(
    max_examples=150,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def refused(update: bytes, roots=DRIELUIK, limits: Limits = DEFAULT_LIMITS) -> str:
    with pytest.raises(UpdateRejected) as info:
        inspect(update, roots, limits)
    assert info.value.reason and info.value.reason == str(info.value)
    return info.value.reason


# what real clients make ---------------------------------------------------------------------


def _note_doc(client_id: int = 4242) -> Doc:
    doc = Doc(client_id=client_id)
    doc.get("notes", type=Map)["n1"] = Map(
        {
            "text": "Oma Wiëbe haalt de kinderen op",
            "zone": "zorgen",
            "author": "p1",
            "authorName": "Oma Wiëbe",
            "role": "familie",
            "color": "oranje",
            "x": 0.5,
            "y": 0.25,
            "tags": ["voorwaardelijk", "vooruitzicht"],
            "createdAt": 1_700_000_000_000.0,
        }
    )
    return doc


def test_a_note_made_by_pycrdt_is_accepted_and_summarised():
    doc = _note_doc()
    summary = inspect(doc.get_update(), DRIELUIK)
    assert summary.clients == {4242: (0, yb.state_vector(doc)[4242])}
    assert summary.roots == {"notes"} and not summary.deletes


def test_edits_and_deletions_made_by_pycrdt_are_accepted():
    doc = _note_doc()
    before = doc.get_state()
    note = doc.get("notes", type=Map)["n1"]
    note["text"] = "Tante Ineke haalt de kinderen op"
    note["y"] = 0.75
    edit = doc.get_update(before)
    summary = inspect(edit, DRIELUIK)
    assert summary.roots == set()  # items with neighbours name no parent
    start, end = summary.clients[4242]
    assert end - start == 2 and end == yb.state_vector(doc)[4242]

    before = doc.get_state()
    del doc.get("notes", type=Map)["n1"]
    deletion = doc.get_update(before)
    summary = inspect(deletion, DRIELUIK)
    assert summary.clients == {} and summary.deletes


def test_every_board_shape_made_by_pycrdt_is_accepted():
    doc = Doc()
    doc.get("statements", type=Map)["ergste"] = "Dat de kinderen niet thuis kunnen blijven"
    doc.get("groups", type=Map)["g1"] = Map(
        {"zone": "zorgen", "title": "School", "x": 0.5, "y": 0.5}
    )
    assert inspect(doc.get_update(), DRIELUIK).roots == {"statements", "groups"}

    plan = Doc()
    plan.get("goals", type=Map)["g1"] = Map({"text": "Rust op school", "tags": [], "order": 1})
    plan.get("actions", type=Map)["a1"] = Map({"goal": "g1", "wat": "Ophalen", "wie": "Oma Wiëbe"})
    plan.get("team", type=Map)["t1"] = Map({"name": "Oma Wiëbe", "order": 1})
    plan.get("info", type=Map)["evaluatie"] = "2025-06-01"
    assert inspect(plan.get_update(), PLAN).roots == {"goals", "actions", "team", "info"}


def test_an_empty_update_is_accepted():
    assert inspect(b"\x00\x00", DRIELUIK).clients == {}
    assert inspect(Doc().get_update(), VERLOOP).clients == {}


# what the browser makes: static/js/notes.js and friends, run by the real Yjs in Node ------

needs_node = pytest.mark.skipif(
    shutil.which("node") is None or not (ROOT / "node_modules" / "yjs").is_dir(),
    reason="needs `node` and `npm install` (node_modules/yjs)",
)


@pytest.fixture(scope="module")
def browser_updates() -> list[dict]:
    out = subprocess.run(
        ["node", str(ROOT / "tests" / "node" / "browser_updates.mjs")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return [json.loads(line) for line in out.stdout.splitlines()]


@needs_node
def test_every_update_the_browser_makes_passes_the_decoder(browser_updates):
    ops = [u for u in browser_updates if "update" in u]
    assert {u["op"] for u in ops} >= {
        "add note",
        "delete own note in a group",
        "undo the delete",
        "group own note with family note",
        "goal from a note",
    }
    for u in ops:
        roots = BoardGuard(u["board"]).roots
        inspect(bytes.fromhex(u["update"]), roots)  # raises if refused


class _Channel:
    async def send(self, data: bytes) -> None: ...

    async def close(self, code: int, reason: str) -> None: ...


@needs_node
def test_every_update_the_browser_makes_is_kept_by_a_room(browser_updates):
    """The whole sequence, each update from a device of its role, through every check the
    server makes (decoder, client ids, schema, rights): all kept, and the room ends up
    with exactly what the browsers have."""
    rooms: dict[str, tuple[Room, dict[str, Connection]]] = {}
    for u in browser_updates:
        if "final" in u:
            room, _ = rooms[u["board"]]
            content = room.to_py()
            for name, value in u["final"].items():
                assert content.get(name, {}) == value, (u["board"], name)
            continue
        if u["board"] not in rooms:
            rooms[u["board"]] = (Room(("m1", u["board"]), Store(None), 500), {})
        room, conns = rooms[u["board"]]
        conn = conns.get(u["device"])
        if conn is None:
            principal = Principal("m1", Role(u["role"]), f"hash-{u['role']}", f"dev-{u['device']}")
            conn = conns[u["device"]] = Connection(_Channel(), Access.WRITE, principal)
            room.join(conn)
        try:
            room.receive(conn, encode_update(bytes.fromhex(u["update"])))
        except RefusedUpdate as e:
            pytest.fail(f"{u['board']}: '{u['op']}' by {u['role']} refused: {e.reason}")
    assert set(rooms) == {"drieluik", "plan"}


# hostile updates --------------------------------------------------------------------------

C = 77  # a client id


def _at_note(ref: int, content: bytes, key: str = "n1") -> bytes:
    return yb.update([(C, 0, [yb.item(ref, content, root="notes", key=key)])])


def _field(ref: int, content: bytes) -> bytes:
    """A note n1 (a Y.Map) with one field `text` holding this content."""
    return yb.update(
        [
            (
                C,
                0,
                [
                    yb.item(yb.TYPE, yb.type_content(yb.Y_MAP), root="notes", key="n1"),
                    yb.item(ref, content, parent=(C, 0), key="text"),
                ],
            )
        ]
    )


def test_an_array_nested_forty_thousand_deep_is_refused_at_once():
    update = yb.deep_any_note(40_000)
    assert 80_000 < len(update) < 81_000  # what kills pycrdt's apply_update (a segfault)
    assert "te diep genest" in refused(update)
    # It stops at the ninth level and reads no further: cut off halfway, it is refused for
    # its depth just the same (not for being cut off).
    assert "te diep genest" in refused(update[: len(update) // 2])


@pytest.mark.parametrize("depth,ok", [(1, True), (8, True), (9, False), (500, False)])
def test_nesting_of_values_is_bounded(depth, ok):
    value = yb.nested_array(depth)
    update = _field(yb.ANY, yb.raw_anys(value))
    if ok:
        inspect(update, DRIELUIK)
    else:
        assert "te diep genest" in refused(update)


def test_objects_count_as_nesting_too():
    value = {"a": 1}
    for _ in range(8):
        value = {"x": [value]}  # 17 levels, arrays and objects alternating
    assert "te diep genest" in refused(_field(yb.ANY, yb.anys(value)))
    flat_and_wide = {f"k{i}": [i, str(i), None, True, 1.5] for i in range(200)}
    inspect(_field(yb.ANY, yb.anys(flat_and_wide)), DRIELUIK)


def test_string_length_is_bounded_in_bytes():
    inspect(_field(yb.ANY, yb.anys("x" * 32_768)), DRIELUIK)
    assert "te lang" in refused(_field(yb.ANY, yb.anys("x" * 32_769)))
    assert "te lang" in refused(_field(yb.ANY, yb.anys("ë" * 16_385)))  # 32,770 bytes
    assert "te lang" in refused(_at_note(yb.ANY, yb.anys(1), key="k" * 40_000))  # a key too
    assert "te lang" in refused(
        yb.update(
            [(C, 0, [yb.item(yb.TYPE, yb.type_content(yb.Y_MAP), root="n" * 33_000, key="a")])]
        )
    )


@pytest.mark.parametrize(
    "name,content",
    [
        ("Y.Text (a string)", (yb.STRING, yb.string("hallo"))),
        ("JSON", (yb.JSON, yb.uint(1) + yb.string('{"a": 1}'))),
        ("binary", (yb.BINARY, yb.string(b"\x00\x01"))),
        ("embed", (yb.EMBED, yb.string('{"image": "x.png"}'))),
        ("format", (yb.FORMAT, yb.string("bold") + yb.string("true"))),
        ("subdocument", (yb.DOC, yb.string("guid-1") + yb.any_value({}))),
        ("unknown ref 11", (11, b"")),
    ],
)
def test_content_kinds_no_board_uses_are_refused(name, content):
    ref, body = content
    assert "kent deze soort inhoud niet" in refused(_field(ref, body))


@pytest.mark.parametrize(
    "type_ref,name",
    [
        (yb.Y_ARRAY, None),
        (yb.Y_TEXT, None),
        (yb.Y_XML_ELEMENT, "p"),
        (yb.Y_XML_FRAGMENT, None),
        (yb.Y_XML_HOOK, "hook"),
        (yb.Y_XML_TEXT, None),
        (99, None),
    ],
)
def test_shared_types_other_than_a_map_are_refused(type_ref, name):
    update = _field(yb.TYPE, yb.type_content(type_ref, name))
    assert "alleen lijsten met namen" in refused(update)


def test_types_made_by_pycrdt_are_refused():
    for make in (lambda: Text("hallo"), lambda: Array(["a"])):
        doc = Doc()
        doc.get("notes", type=Map)["n1"] = Map({"text": make()})
        refused(doc.get_update())
    doc = Doc()
    doc.get("notes", type=Map)["n1"] = Map({"sub": Doc()})  # a subdocument
    assert "kent deze soort inhoud niet" in refused(doc.get_update())


@pytest.mark.parametrize(
    "roots,name",
    [
        (DRIELUIK, "order"),
        (DRIELUIK, "meta"),
        (DRIELUIK, "goals"),
        (DRIELUIK, "state"),
        (PLAN, "notes"),
        (PLAN, "statements"),
        (VERLOOP, "state"),
        (VERLOOP, "notes"),
        (DRIELUIK, ""),
    ],
)
def test_top_level_names_the_board_does_not_have_are_refused(roots, name):
    update = yb.update([(C, 0, [yb.item(yb.TYPE, yb.type_content(yb.Y_MAP), root=name, key="a")])])
    assert "geen onderdeel" in refused(update, roots)


def test_pycrdt_roots_of_other_names_are_refused():
    doc = Doc()
    doc.get("order", type=Array).append("a")
    assert "geen onderdeel" in refused(doc.get_update())
    doc = Doc()
    doc.get("title", type=Text).insert(0, "Drieluik")
    assert "geen onderdeel" in refused(doc.get_update())


def test_the_shape_of_each_top_level_map_is_kept():
    # a plain value directly in a map of records; a map in a map of plain values
    assert "alleen briefjes of kaarten" in refused(_at_note(yb.ANY, yb.anys("hallo")))
    statements = yb.update(
        [(C, 0, [yb.item(yb.TYPE, yb.type_content(yb.Y_MAP), root="statements", key="ergste")])]
    )
    assert "alleen gewone waarden" in refused(statements)
    # an element of an array (no key): at the top level, and hidden inside a note
    no_key = yb.update([(C, 0, [yb.item(yb.ANY, yb.anys("x"), root="notes")])])
    assert "alleen lijsten met namen" in refused(no_key)
    hidden = yb.update(
        [
            (
                C,
                0,
                [
                    yb.item(yb.TYPE, yb.type_content(yb.Y_MAP), root="notes", key="n1"),
                    yb.item(yb.ANY, yb.anys("x" * 30_000), parent=(C, 0)),
                ],
            )
        ]
    )
    assert "alleen lijsten met namen" in refused(hidden)


def test_deleted_content_and_garbage_collected_ranges_are_accepted():
    inspect(_at_note(yb.DELETED, yb.uint(3)), DRIELUIK)
    inspect(yb.update([(C, 0, [yb.gc(2**40)])]), DRIELUIK)
    inspect(yb.update([(C, 0, [yb.skip(5), yb.gc(1)])]), DRIELUIK)
    summary = inspect(
        yb.update([(C, 10, [yb.gc(5), yb.skip(5)]), (C + 1, 0, [yb.gc(1)])]), DRIELUIK
    )
    assert summary.clients == {C: (10, 20), C + 1: (0, 1)}


def test_malformed_updates_are_refused():
    good = _field(yb.ANY, yb.anys("hallo"))
    assert "afgebroken" in refused(good[:-3])
    assert "afgebroken" in refused(b"")
    assert "meer in het bericht" in refused(good + b"\x00")
    assert "twee keer" in refused(yb.update([(C, 0, [yb.gc(1)]), (C, 1, [yb.gc(1)])]))
    assert "te groot" in refused(b"\x01\x01" + b"\xff" * 9 + b"\x01")  # client id past 2**53
    assert "te groot" in refused(yb.update([(C, 2**53 - 2, [yb.gc(5)])]))  # clock past 2**53
    assert "geen geldige tekst" in refused(_field(yb.ANY, b"\x01\x77\x02\xc3\x28"))
    assert "Lege inhoud" in refused(_field(yb.ANY, yb.uint(0)))
    assert "Lege inhoud" in refused(_field(yb.DELETED, yb.uint(0)))
    assert "Onbekend soort stuk" in refused(
        yb.update([(C, 0, [b"\x20" + yb.uint(1)])])
    )  # GC + flag
    assert "Onbekend soort stuk" in refused(yb.update([(C, 0, [b"\x08\x02" + yb.anys(1)])]))
    assert "Onbekende soort waarde" in refused(_field(yb.ANY, b"\x01\x10"))
    assert "te groot" in refused(_field(yb.ANY, b"\x01\x7d" + b"\xff" * 10 + b"\x01"))  # var int


def test_counts_are_bounded():
    many = [(c, 0, [yb.gc(1)]) for c in range(1, 1_002)]
    assert "te veel apparaten" in refused(yb.update(many))
    inspect(yb.update(many[:1_000]), DRIELUIK)
    deletes = [(c, [(0, 1)]) for c in range(1, 1_000)]
    assert "te veel apparaten" in refused(yb.update(many[:2], deletes))
    assert "te groot" in refused(yb.update([(C, 0, [yb.gc(1)] * 100_001)]))
    ranges = [(i * 2, 1) for i in range(100_001)]
    assert "te veel tegelijk" in refused(yb.update([], [(C, ranges)]))
    wide = yb.any_value([None] * 200_001)
    assert "te veel waarden" in refused(_field(yb.ANY, yb.raw_anys(wide)))


def test_limits_can_be_set():
    small = Limits(
        max_depth=2,
        max_string_bytes=10,
        max_structs=3,
        max_values=5,
        max_clients=2,
        max_deleted_ranges=2,
    )
    inspect(_field(yb.ANY, yb.anys([[1]])), DRIELUIK, small)
    assert "te diep" in refused(_field(yb.ANY, yb.anys([[[1]]])), DRIELUIK, small)
    assert "te lang" in refused(_field(yb.ANY, yb.anys("x" * 11)), DRIELUIK, small)
    assert "te veel waarden" in refused(_field(yb.ANY, yb.anys([1, 2, 3, 4, 5])), DRIELUIK, small)
    assert "te groot" in refused(yb.update([(C, 0, [yb.gc(1)] * 4)]), DRIELUIK, small)
    assert "te veel tegelijk" in refused(
        yb.update([], [(C, [(0, 1), (2, 1), (4, 1)])]), DRIELUIK, small
    )


def test_the_worst_frames_are_decoded_to_a_verdict_without_recursion():
    """Each is taken or refused; none raises anything else (half a million levels would be
    a RecursionError for a recursive decoder). How long it takes: bench/validation.py."""
    for update in yb.worst_frames(C):
        assert len(update) < 2**20
        try:
            inspect(update, DRIELUIK)
        except UpdateRejected:
            pass


# generated ---------------------------------------------------------------------------------

any_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**53), 2**53)
    | st.floats(allow_nan=False)
    | st.text(max_size=30),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)


def _depth(value) -> int:
    if isinstance(value, list):
        return 1 + max(map(_depth, value), default=0)
    if isinstance(value, dict):
        return 1 + max(map(_depth, value.values()), default=0)
    return 0


@FAST
@given(
    st.dictionaries(
        st.sampled_from(["text", "zone", "x", "tags", "extra"]), any_values, min_size=1, max_size=5
    ),
    st.integers(0, 2**32 - 1),
)
def test_any_plain_values_pycrdt_writes_are_read_exactly(fields, client_id):
    """pycrdt encodes the values (lib0 `Any`), the decoder walks them: accepted exactly when
    they nest no deeper than the limit, and the clients it reports are the document's."""
    doc = Doc(client_id=client_id)
    doc.get("notes", type=Map)["n1"] = Map(fields)
    update = doc.get_update()
    if max(map(_depth, fields.values())) <= DEFAULT_LIMITS.max_depth:
        summary = inspect(update, DRIELUIK)
        assert summary.clients == {client_id: (0, yb.state_vector(doc)[client_id])}
    else:
        assert "te diep" in refused(update)


@FAST
@given(st.binary(max_size=400))
def test_any_bytes_are_read_or_refused_cleanly(data):
    try:
        inspect(data, DRIELUIK)
    except UpdateRejected as e:
        assert e.reason


@FAST
@given(st.integers(0, 5), st.integers(0, 10_000), st.integers(0, 255))
def test_mutated_updates_are_read_or_refused_cleanly(how, where, value):
    good = _note_doc().get_update()
    try:
        inspect(mutate(good, how, where, value), DRIELUIK)
    except UpdateRejected as e:
        assert e.reason


def test_record_and_records_constants():
    assert DRIELUIK == {"notes": RECORDS, "groups": RECORDS, "statements": RECORD}
    assert VERLOOP == {}


def test_why_the_decoder_exists_pycrdt_crashes_on_deep_nesting():
    """The upstream bug, in a throwaway process: pycrdt 0.14 (Yrs) decodes lib0 `Any`
    recursively and overflows the stack on ~80 KB (a segfault, not an exception)."""
    import sys

    crash = "from pycrdt import Doc\nDoc().apply_update(bytes.fromhex(input()))\n"
    proc = subprocess.run(
        [sys.executable, "-c", crash],
        input=yb.deep_any_note(40_000).hex(),
        capture_output=True,
        text=True,
        timeout=60,
    )
    if proc.returncode == 0:
        pytest.skip("this pycrdt survives deep nesting; the decoder's bound still applies")
    assert proc.returncode < 0  # killed by a signal (SIGSEGV), nothing Python could catch
