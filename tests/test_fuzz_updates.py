"""Generated Yjs updates, well-formed but hostile, from every role, against a real server in a
subprocess (a crash of pycrdt would kill it: that fails the test at once).

Each example makes its own meeting, seeds a board with notes of each role, and lets one
device of one role send a few generated updates: deep, wide, long, many clients, skips, GC
ranges, big delete sets, every content kind, foreign client ids, edits of others' notes, or a
good update mutated. Afterwards:
- the server process lives;
- a refused sender was closed with 4422, 4413 or 1002, with a reason;
- what the server forwarded to a listening device applies cleanly in pycrdt and equals what
  a new device receives, which (last test, after kill -9 and a restart) is what is stored;
- the rights hold: a professional never changed a family note, the family never a
  professional's, the read-only projector (scherm) nothing at all;
- and, at the end, a bystander meeting still syncs.
"""

from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pycrdt import Array, Doc, Map, Text

from server import closecodes
from server.sync import SyncMessage, encode_sync_step2, encode_update, parse_message
from tests import ybytes as yb
from tests.serverprocess import ServerProcess
from tests.test_attacks import (
    ENV,
    assert_server_carries_on,
    barrier,
    close_all,
    create,
    http_post,
    ws_url,
)
from tests.test_fuzz import mutate
from tests.yclient import YClient

REFUSALS = {closecodes.UPDATE_REFUSED, closecodes.QUOTA_EXCEEDED, closecodes.PROTOCOL_ERROR}
ROLES = ["facilitator", "familie", "professional", "scherm"]
ZONES = {"drieluik": "zorgen", "doelen": "kort-zelf", "familie": "afspraken"}
SEEDS = ("fam1", "pro1", "fac1")

# What the fuzz run saw: (meeting, board, content) that a restarted server must still hold.
SEEN: list[tuple[dict, str, dict]] = []


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    folder = tmp_path_factory.mktemp("fuzz-updates")
    with ServerProcess(folder / "data", log_path=folder / "server.log", env=ENV) as sp:
        yield sp


# what an attacker sends ----------------------------------------------------------------------

plain = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**53), 2**53),
    st.floats(),
    st.text(max_size=20),
    st.sampled_from(["zorgen", "plan", "kelder", "familie", "professional"]),
)
values = st.recursive(
    plain,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner, max_size=4)
    ),
    max_leaves=10,
)
field_names = st.sampled_from(
    [
        "text",
        "zone",
        "role",
        "x",
        "y",
        "group",
        "color",
        "tags",
        "author",
        "createdAt",
        "geheim",
        "",
    ]
)
record_keys = st.sampled_from([*SEEDS, "g1", "new1", "new2", "", "ëä" * 3])
roots = st.sampled_from(
    [
        "notes",
        "groups",
        "statements",
        "goals",
        "actions",
        "team",
        "info",
        "meta",
        "state",
        "order",
        "x" * 300,
    ]
)
writers = st.sampled_from(["own", "own", "listener", "server", "random"])  # whose client id

ops = st.one_of(
    # made with pycrdt, on a copy of the attacker's synced document
    st.tuples(st.just("note"), record_keys, st.dictionaries(field_names, values, max_size=6)),
    st.tuples(st.just("set"), record_keys, field_names, values),
    st.tuples(st.just("delete"), record_keys),
    st.tuples(st.just("shared"), record_keys, st.sampled_from(["text", "array", "map", "doc"])),
    st.tuples(st.just("root"), roots, record_keys, values),
    # made by hand
    st.tuples(st.just("deep"), st.sampled_from([7, 8, 9, 12, 60, 5_000, 60_000]), st.booleans()),
    st.tuples(st.just("wide"), st.sampled_from([0, 10, 1_000, 60_000, 200_001])),
    st.tuples(
        st.just("long"),
        st.sampled_from([0, 1_000, 32_768, 32_769, 200_000]),
        st.sampled_from(["value", "key", "root"]),
    ),
    st.tuples(st.just("clients"), st.sampled_from([1, 2, 50, 1_000, 1_001]), writers),
    st.tuples(st.just("gc"), writers, st.integers(0, 3), st.sampled_from([1, 7, 2**40, 2**52])),
    st.tuples(st.just("skip"), writers, st.integers(1, 5)),
    st.tuples(
        st.just("deletes"),
        writers,
        st.sampled_from([0, 1, 100, 100_000, 100_001]),
        st.sampled_from([1, 3, 2**40]),
    ),
    st.tuples(st.just("kind"), st.integers(0, 12), st.integers(0, 7), st.booleans()),
    st.tuples(st.just("mutated"), st.integers(0, 5), st.integers(0, 1_000), st.integers(0, 255)),
)
attacks = st.tuples(
    st.sampled_from(ROLES),
    st.sampled_from(["drieluik", "drieluik", "drieluik", "doelen", "plan", "familie"]),
    st.lists(st.tuples(ops, st.booleans()), min_size=1, max_size=3),
)  # (op, as sync step 2)


class Context:
    """Client ids and documents an attacker can use."""

    def __init__(self, attacker: YClient, listener: YClient, board: str, fresh: int) -> None:
        self.attacker, self.listener, self.board = attacker, listener, board
        self.fresh = fresh  # a new client id of the attacker's own
        self.clocks = yb.state_vector(attacker.doc)
        self.server = next((c for c in self.clocks if c != listener.doc.client_id), 1)

    def client(self, whose: str) -> tuple[int, int]:
        """(client id, the clock the server has for it)."""
        cid = {
            "own": self.fresh,
            "listener": self.listener.doc.client_id,
            "server": self.server,
            "random": 987_654_321,
        }[whose]
        return cid, self.clocks.get(cid, 0)

    def pycrdt(self, change: Any) -> bytes:
        doc = Doc(client_id=self.fresh)
        doc.apply_update(self.attacker.doc.get_update())
        before = doc.get_state()
        with doc.transaction():
            change(doc)
        return doc.get_update(before)


def _note_fields(fields: dict) -> Map:
    return Map(fields)


def build(op: tuple, ctx: Context) -> bytes:
    kind, *args = op
    records = "goals" if ctx.board == "plan" else "notes"
    cid, clock = ctx.client("own")
    if kind == "note":
        key, fields = args
        return ctx.pycrdt(lambda d: d.get(records, type=Map).__setitem__(key, Map(fields)))
    if kind == "set":
        key, name, value = args

        def change(d: Doc) -> None:
            record = d.get(records, type=Map).get(key)
            if isinstance(record, Map):
                record[name] = value
            else:
                d.get(records, type=Map)[key] = Map({name: value})

        return ctx.pycrdt(change)
    if kind == "delete":
        (key,) = args
        return ctx.pycrdt(lambda d: d.get(records, type=Map).pop(key, None))
    if kind == "shared":
        key, what = args
        make = {
            "text": lambda: Text("Oma Wiëbe"),
            "array": lambda: Array([1, 2]),
            "map": lambda: Map({"diep": Map({"dieper": "x"})}),
            "doc": Doc,
        }[what]
        return ctx.pycrdt(
            lambda d: d.get(records, type=Map).__setitem__(
                key, Map({"text": make(), "role": "familie"})
            )
        )
    if kind == "root":
        name, key, value = args
        return ctx.pycrdt(lambda d: d.get(name, type=Map).__setitem__(key, value))
    if kind == "deep":
        depth, as_object = args
        leaf = yb.nested_array(depth) if not as_object else (b"\x76\x01\x01k" * depth + b"\x7e")
        return yb.update(
            [
                (
                    cid,
                    clock,
                    [
                        yb.item(yb.TYPE, yb.type_content(yb.Y_MAP), root=records, key="diep"),
                        yb.item(yb.ANY, yb.raw_anys(leaf), parent=(cid, clock), key="tags"),
                    ],
                )
            ]
        )
    if kind == "wide":
        (n,) = args
        return yb.update(
            [
                (
                    cid,
                    clock,
                    [
                        yb.item(yb.TYPE, yb.type_content(yb.Y_MAP), root=records, key="breed"),
                        yb.item(
                            yb.ANY,
                            yb.raw_anys(b"\x75" + yb.uint(n) + b"\x7e" * n),
                            parent=(cid, clock),
                            key="tags",
                        ),
                    ],
                )
            ]
        )
    if kind == "long":
        n, where = args
        text = "w" * n
        if where == "root":
            return yb.update(
                [
                    (
                        cid,
                        clock,
                        [
                            yb.item(
                                yb.TYPE, yb.type_content(yb.Y_MAP), root=text or "notes", key="k"
                            )
                        ],
                    )
                ]
            )
        key, value = (text, "x") if where == "key" else ("lang", text)
        return yb.update(
            [
                (
                    cid,
                    clock,
                    [
                        yb.item(yb.TYPE, yb.type_content(yb.Y_MAP), root=records, key=key),
                        yb.item(yb.ANY, yb.anys(value), parent=(cid, clock), key="text"),
                    ],
                )
            ]
        )
    if kind == "clients":
        n, whose = args
        first, first_clock = ctx.client(whose)
        parts = [(first, first_clock, [yb.gc(1)])]
        parts += [(cid + 1 + i, 0, [yb.gc(1)]) for i in range(n - 1)]
        return yb.update(parts)
    if kind == "gc":
        whose, offset, length = args
        c, k = ctx.client(whose)
        return yb.update([(c, max(0, k - offset), [yb.gc(length)])])
    if kind == "skip":
        whose, n = args
        c, k = ctx.client(whose)
        return yb.update([(c, k, [yb.skip(n), yb.gc(1)])])
    if kind == "deletes":
        whose, n, length = args
        c, _ = ctx.client(whose)
        targets = [c] if whose != "own" else list(ctx.clocks)
        return yb.update([], [(t, [(i * 2, length) for i in range(n)]) for t in targets[:3]])
    if kind == "kind":
        ref, type_ref, at_top = args
        content = {
            yb.DELETED: yb.uint(1),
            yb.JSON: yb.uint(1) + yb.string("1"),
            yb.BINARY: yb.string(b"\x01"),
            yb.STRING: yb.string("s"),
            yb.EMBED: yb.string("{}"),
            yb.FORMAT: yb.string("b") + yb.string("1"),
            yb.TYPE: yb.type_content(type_ref, "p" if type_ref in (3, 5) else None),
            yb.ANY: yb.anys("waarde"),
            yb.DOC: yb.string("guid") + yb.any_value({}),
        }.get(ref, b"")
        if at_top:
            return yb.update([(cid, clock, [yb.item(ref, content, root=records, key="soort")])])
        return yb.update(
            [
                (
                    cid,
                    clock,
                    [
                        yb.item(yb.TYPE, yb.type_content(yb.Y_MAP), root=records, key="soort"),
                        yb.item(ref, content, parent=(cid, clock), key="text"),
                    ],
                )
            ]
        )
    if kind == "mutated":
        how, where, value = args
        good = ctx.pycrdt(
            lambda d: d.get(records, type=Map).__setitem__(
                "goed", Map({"text": "Tante Ineke", "zone": ZONES.get(ctx.board, "zorgen")})
            )
        )
        return mutate(good, how, where, value)
    raise AssertionError(kind)


# the run -----------------------------------------------------------------------------------


def _seed(listener: YClient, board: str) -> None:
    if board == "plan":
        goals = listener.doc.get("goals", type=Map)
        with listener.doc.transaction():
            goals["g1"] = Map({"text": "Rust op school", "order": 1})
            listener.doc.get("team", type=Map)["t1"] = Map({"name": "Oma Wiëbe"})
        return
    zone = ZONES[board]
    with listener.doc.transaction():
        for key, role in zip(SEEDS, ("familie", "professional", "facilitator"), strict=True):
            listener.add_note(key, f"Briefje van {role}", zone=zone, role=role)
        listener.doc.get("groups", type=Map)["g1"] = Map({"zone": zone, "title": "Thema"})


def _content(doc: Doc) -> dict[str, Any]:
    return {
        name: doc.get(name, type=Map).to_py()
        for name in ("notes", "groups", "statements", "goals", "actions", "team", "info", "meta")
    }


def _forwarded_since(listener: YClient, start: int, base: bytes) -> Doc:
    """The listener's document as the forwarded updates alone make it (no state replies)."""
    doc = Doc()
    doc.apply_update(base)
    for frame in listener.frames[start:]:
        message = parse_message(frame)
        if isinstance(message, SyncMessage) and message.kind == 2:
            doc.apply_update(message.payload)  # must apply cleanly
    return doc


def _unchanged_for(role: str, board: str, before: dict, after: dict) -> list[str]:
    """The seeded records `role` may not have changed (only their place may move)."""
    if board == "plan" or role == "facilitator":
        return []
    if role == "scherm":
        assert after == before  # read-only: nothing at all
        return []
    return {"familie": ["pro1", "fac1"], "professional": ["fam1", "fac1"]}[role]


@settings(
    max_examples=140,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(attacks)
async def test_generated_updates_from_every_role(server, attack):
    role, board, sent = attack
    if board == "familie" and role in ("professional", "scherm"):
        board = "drieluik"  # they may not even open the family's worksheet
    m = await create(server)
    await http_post(
        server, f"/api/meetings/{m['id']}/posting", m["tokens"]["facilitator"], {"open": True}
    )
    listener = await YClient(
        ws_url(server, m, board, "facilitator", "luisteraar"), role="facilitator"
    ).connect()
    attacker = YClient(ws_url(server, m, board, role, f"aanvaller-{role}"), role=role)
    try:
        _seed(listener, board)
        await barrier(listener)
        start, base = len(listener.frames), listener.doc.get_update()
        before = _content(listener.doc)
        await attacker.connect()
        ctx = Context(attacker, listener, board, fresh=attacker.doc.client_id)

        for op, as_step2 in sent:
            update = build(op, ctx)
            frame = (encode_sync_step2 if as_step2 else encode_update)(update)
            if len(frame) > 1_000_000 or attacker.close_code is not None:
                continue
            try:
                await attacker.send_raw(frame)
            except Exception:
                break  # closed by the server meanwhile
        if attacker.close_code is None:
            await barrier(attacker)
        assert server.proc.poll() is None, f"the server died on {sent!r}"
        if attacker.close_code is not None:
            assert attacker.close_code in REFUSALS, (attacker.close_code, attacker.close_reason)
            assert attacker.close_reason.strip()
            assert role != "scherm"  # read-only: its writes are dropped before any check

        # what was forwarded is what the server has, and applies cleanly
        await barrier(listener)
        assert listener.close_code is None
        forwarded = _forwarded_since(listener, start, base)
        fresh = await YClient(
            ws_url(server, m, board, "facilitator", "nieuw"), role="facilitator"
        ).connect()
        after = _content(fresh.doc)
        assert _content(forwarded) == after
        assert yb.state_vector(forwarded) == yb.state_vector(fresh.doc)
        await fresh.close()

        # the rights held
        for key in _unchanged_for(role, board, before, after):
            was, now = before["notes"][key], after["notes"].get(key)
            assert now is not None, f"{role} removed {key}"
            assert {
                k: v for k, v in now.items() if k not in ("zone", "x", "y", "group", "color")
            } == {k: v for k, v in was.items() if k not in ("zone", "x", "y", "group", "color")}
        assert after["meta"] == before["meta"]
        SEEN.append((m, board, after))
    finally:
        await close_all(attacker, listener)


async def test_what_the_fuzz_left_is_stored_and_other_meetings_sync(server):
    """After kill -9 and a new start, every fuzzed board holds exactly what devices saw."""
    await assert_server_carries_on(server)
    server.kill9()
    server.start()
    for m, board, content in SEEN:
        again = await YClient(
            ws_url(server, m, board, "facilitator", "na-herstart"), role="facilitator"
        ).connect()
        assert _content(again.doc) == content, (m["id"], board)
        await again.close()
    await assert_server_carries_on(server)
