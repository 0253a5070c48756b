"""Attacks on the update checks (server/yupdate.py, server/validate.py, board/schema.py), each
against a real server process: the process survives, the attacker is closed with 4422 (or
4413) and a Dutch reason, nothing of the attack is stored or forwarded, and another meeting's
devices keep syncing. Every wait is for an event (a close, or a later message that did
arrive), never a fixed sleep."""

import asyncio
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from pycrdt import Array, Doc, Map, Text

from server import closecodes
from server.sync import encode_sync_step1, encode_sync_step2, encode_update
from tests import ybytes as yb
from tests.serverprocess import ServerProcess
from tests.yclient import YClient

REFUSED = closecodes.UPDATE_REFUSED  # 4422
ENV = {"NETWERKBORD_MEETINGS_PER_HOUR": "0"}  # each attack makes its own meetings


# a server, meetings and devices -------------------------------------------------------------


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    """One server process for the attacks that need no restart (each uses its own meeting)."""
    folder = tmp_path_factory.mktemp("attacks")
    with ServerProcess(folder / "data", log_path=folder / "server.log", env=ENV) as sp:
        yield sp


async def create(sp: ServerProcess, title: str = "Netwerkberaad familie De Vries") -> dict:
    async with httpx.AsyncClient() as http:
        r = await http.post(sp.base + "/api/meetings", json={"title": title})
    assert r.status_code == 201, r.text
    return r.json()


def ws_url(sp: ServerProcess, m: dict, board: str, role: str, device: str = "") -> str:
    url = f"ws://127.0.0.1:{sp.port}/ws/{m['id']}/{board}?token={m['tokens'][role]}"
    return url + (f"&device={device}" if device else "")


async def device(sp: ServerProcess, m: dict, board: str, role: str, name: str = "") -> YClient:
    return await YClient(
        ws_url(sp, m, board, role, name or f"{role}-{time.monotonic_ns()}"), role=role
    ).connect()


async def http_get(sp: ServerProcess, path: str, token: str) -> httpx.Response:
    async with httpx.AsyncClient() as http:
        return await http.get(sp.base + path, headers={"Authorization": f"Bearer {token}"})


async def http_post(sp: ServerProcess, path: str, token: str, body: dict) -> httpx.Response:
    async with httpx.AsyncClient() as http:
        return await http.post(
            sp.base + path, json=body, headers={"Authorization": f"Bearer {token}"}
        )


async def stored_notes(sp: ServerProcess, m: dict, board: str = "drieluik") -> dict[str, dict]:
    """The board as the server hands it out (the facilitator sees every board)."""
    r = await http_get(sp, f"/api/meetings/{m['id']}/boards/{board}", m["tokens"]["facilitator"])
    assert r.status_code == 200, r.text
    return {n["id"]: n for n in r.json()["notes"]}


async def refused(attacker: YClient, frame: bytes, code: int = REFUSED) -> str:
    """Send one frame; the server closes the attacker with `code` and a reason."""
    try:
        await attacker.send_raw(frame)
    except Exception:
        pass  # closed while sending: the close code still tells why
    assert await attacker.wait_closed(10) == code, attacker.close_reason
    assert attacker.close_reason.strip(), "a refusal says why"
    return attacker.close_reason


async def barrier(client: YClient) -> None:
    """Wait until the server has handled everything `client` sent before: it answers a
    state query (sync step 1) in order, after committing and forwarding what came first."""

    def replies() -> int:
        return sum(1 for f in client.frames if f[:2] == b"\x00\x01")

    before = replies()
    await client.send_raw(encode_sync_step1(client.doc.get_state()))
    await client.wait_for(lambda: replies() > before or client.close_code is not None, 10)


async def marker(writer: YClient, *readers: YClient, board_zone: str = "zorgen") -> str:
    """A legitimate note written after an attack: once it arrived, anything the attack had
    made the server forward would have arrived before it."""
    key = f"marker-{time.monotonic_ns()}"
    writer.add_note(key, "Oma Wiëbe komt woensdag", zone=board_zone)
    for reader in readers:
        await reader.wait_for(lambda r=reader: key in r.notes, 10)
    return key


async def assert_server_carries_on(sp: ServerProcess) -> None:
    """The process lives, and in another meeting a note goes from one device to another."""
    assert sp.proc is not None and sp.proc.poll() is None, "the server process died"
    other = await create(sp, "Netwerkberaad familie Bijstander")
    a = await device(sp, other, "drieluik", "familie")
    b = await device(sp, other, "drieluik", "familie")
    try:
        a.add_note("bystander", "Tante Ineke kookt op vrijdag")
        await b.wait_for(lambda: b.note_texts().get("bystander") == "Tante Ineke kookt op vrijdag")
        assert a.close_code is None and b.close_code is None
    finally:
        await a.close()
        await b.close()


async def close_all(*clients: YClient) -> None:
    for c in clients:
        try:
            await c.close()
        except Exception:
            pass


# 1. values nested deep enough to overflow Yrs' stack -----------------------------------------


@pytest.mark.parametrize("message", ["update", "sync step 2"])
async def test_an_array_nested_40000_deep_does_not_kill_the_server(server, message):
    """~80 KB: before the decoder, this segfaulted the whole process inside pycrdt's
    apply_update (Yrs decodes lib0 `Any` recursively)."""
    m = await create(server)
    attacker = await device(server, m, "drieluik", "familie")
    listener = await device(server, m, "drieluik", "facilitator")
    payload = yb.deep_any_note(40_000)
    assert 80_000 < len(payload) < 81_000
    frame = (encode_update if message == "update" else encode_sync_step2)(payload)
    try:
        assert "genest" in await refused(attacker, frame)
        writer = await device(server, m, "drieluik", "familie")
        key = await marker(writer, listener)
        assert set(listener.notes) == {key}  # nothing of the attack was forwarded
        assert set(await stored_notes(server, m)) == {key}  # nor stored
        await assert_server_carries_on(server)
    finally:
        await close_all(attacker, listener)


@pytest.mark.parametrize("depth", [9, 500])
async def test_nesting_that_would_be_stored_poison_is_refused(server, depth):
    """Shallow enough for pycrdt to apply, but every later read of the board (exports,
    to_py, a browser's toJSON) would recurse through it: refused before it is applied."""
    m = await create(server)
    fac = m["tokens"]["facilitator"]
    attacker = await device(server, m, "drieluik", "facilitator")  # may write anything
    listener = await device(server, m, "drieluik", "familie")
    # as a note's field, where a plain value belongs
    client = attacker.doc.client_id + 1
    payload = yb.update(
        [
            (
                client,
                0,
                [
                    yb.item(yb.TYPE, yb.type_content(yb.Y_MAP), root="notes", key="gif"),
                    yb.item(yb.ANY, yb.anys("Het gif"), parent=(client, 0), key="text"),
                    yb.item(
                        yb.ANY, yb.raw_anys(yb.nested_array(depth)), parent=(client, 0), key="tags"
                    ),
                ],
            )
        ]
    )
    try:
        assert "genest" in await refused(attacker, encode_update(payload))
        writer = await device(server, m, "drieluik", "familie")
        key = await marker(writer, listener)
        assert set(listener.notes) == {key}
        assert set(await stored_notes(server, m)) == {key}
        # the board still reads and exports
        for path in (
            f"/api/meetings/{m['id']}/export.md",
            f"/api/meetings/{m['id']}/export.json",
            f"/api/meetings/{m['id']}/boards/drieluik.svg",
        ):
            r = await http_get(server, path, fac)
            assert r.status_code == 200, path
            assert "Oma Wiëbe komt woensdag" in r.text and "Het gif" not in r.text
        await assert_server_carries_on(server)
        await close_all(writer)
    finally:
        await close_all(attacker, listener)


# 2. content kinds and names no board has ------------------------------------------------------


def _pycrdt_update(build) -> bytes:  # type: ignore[no-untyped-def]
    doc = Doc()
    build(doc)
    return doc.get_update()


def _note_with(value) -> bytes:  # type: ignore[no-untyped-def]
    return _pycrdt_update(
        lambda d: d.get("notes", type=Map).__setitem__(
            "n1", Map({"text": value, "zone": "zorgen", "role": "facilitator"})
        )
    )


FOREIGN = {
    "Y.Text in a note": lambda: _note_with(Text("Oma Wiëbe")),
    "Y.Array in a note": lambda: _note_with(Array(["a", "b"])),
    "subdocument in a note": lambda: _note_with(Doc()),
    "Y.Text at the top": lambda: _pycrdt_update(lambda d: d.get("title", type=Text).insert(0, "x")),
    "Y.Array at the top": lambda: _pycrdt_update(lambda d: d.get("order", type=Array).append("x")),
    "unknown top-level map": lambda: _pycrdt_update(
        lambda d: d.get("geheim", type=Map).__setitem__("a", "b")
    ),
    "the plan's map on the drieluik": lambda: _pycrdt_update(
        lambda d: d.get("goals", type=Map).__setitem__("g1", Map({"text": "x"}))
    ),
    "server-only meta": lambda: _pycrdt_update(
        lambda d: d.get("meta", type=Map).__setitem__("title", "Overgenomen")
    ),
    "XML element": lambda: yb.update(
        [
            (
                9,
                0,
                [
                    yb.item(
                        yb.TYPE, yb.type_content(yb.Y_XML_ELEMENT, "script"), root="notes", key="n1"
                    )
                ],
            )
        ]
    ),
    "XML text": lambda: yb.update(
        [(9, 0, [yb.item(yb.TYPE, yb.type_content(yb.Y_XML_TEXT), root="notes", key="n1")])]
    ),
    "binary": lambda: yb.update(
        [(9, 0, [yb.item(yb.BINARY, yb.string(b"\x00" * 100), root="statements", key="ergste")])]
    ),
    "JSON content": lambda: yb.update(
        [(9, 0, [yb.item(yb.JSON, yb.uint(1) + yb.string("{}"), root="statements", key="ergste")])]
    ),
    "string content": lambda: yb.update(
        [(9, 0, [yb.item(yb.STRING, yb.string("hoi"), root="statements", key="ergste")])]
    ),
    "embed": lambda: yb.update(
        [(9, 0, [yb.item(yb.EMBED, yb.string("{}"), root="statements", key="ergste")])]
    ),
    "format": lambda: yb.update(
        [
            (
                9,
                0,
                [
                    yb.item(
                        yb.FORMAT, yb.string("b") + yb.string("1"), root="statements", key="ergste"
                    )
                ],
            )
        ]
    ),
    "array element hidden in a note": lambda: yb.update(
        [
            (
                9,
                0,
                [
                    yb.item(yb.TYPE, yb.type_content(yb.Y_MAP), root="notes", key="n1"),
                    yb.item(yb.ANY, yb.anys("onzichtbaar " * 2000), parent=(9, 0)),
                ],
            )
        ]
    ),
}


async def test_foreign_content_kinds_and_names_are_refused(server):
    m = await create(server)
    listener = await device(server, m, "drieluik", "familie")
    try:
        for name, build in FOREIGN.items():
            attacker = await device(server, m, "drieluik", "facilitator")
            reason = await refused(attacker, encode_update(build()))
            assert reason, name
        writer = await device(server, m, "drieluik", "familie")
        key = await marker(writer, listener)
        content = listener.doc
        assert set(listener.notes) == {key}
        assert len(content.get("statements", type=Map)) == 0
        r = await http_get(
            server, f"/api/meetings/{m['id']}/export.json", m["tokens"]["facilitator"]
        )
        assert "Overgenomen" not in r.text and "onzichtbaar" not in r.text
        # what a new device receives holds nothing of it either
        late = await device(server, m, "drieluik", "familie")
        assert set(late.notes) == {key} and set(late.doc.keys()) <= {
            "notes",
            "meta",
            "groups",
            "statements",
        }
        await close_all(writer, late)
        await assert_server_carries_on(server)
    finally:
        await close_all(listener)


async def test_the_plan_and_verloop_take_only_their_own_names(server):
    m = await create(server)
    attacker = await device(server, m, "plan", "facilitator")
    note = _pycrdt_update(
        lambda d: d.get("notes", type=Map).__setitem__(
            "n1", Map({"text": "x", "role": "facilitator"})
        )
    )
    assert await refused(attacker, encode_update(note))
    # verloop is the server's: even the facilitator's writes there are dropped
    fac = await device(server, m, "verloop", "facilitator")
    phase = fac.doc.get("state", type=Map).get("phase")
    await fac.send_raw(
        encode_update(
            _pycrdt_update(lambda d: d.get("state", type=Map).__setitem__("phase", "gekaapt"))
        )
    )
    await barrier(fac)
    late = await device(server, m, "verloop", "familie")
    assert late.doc.get("state", type=Map).get("phase") == phase != "gekaapt"
    await close_all(fac, late)
    await assert_server_carries_on(server)


async def test_a_delete_set_cannot_touch_what_the_server_wrote(server):
    """A delete set names no top-level map: it could take `meta` (the board's title and
    template, written by the server) off the board."""
    m = await create(server)
    attacker = await device(server, m, "drieluik", "familie")
    meta = attacker.doc.get("meta", type=Map).to_py()
    assert meta.get("template") == "drieluik"
    everything = [(c, [(0, clock)]) for c, clock in yb.state_vector(attacker.doc).items()]
    assert await refused(attacker, encode_update(yb.update([], everything)))
    late = await device(server, m, "drieluik", "familie")
    assert late.doc.get("meta", type=Map).to_py() == meta
    await close_all(late)
    await assert_server_carries_on(server)


# 3. rights on notes: a professional and the family's note ------------------------------------


async def test_a_professional_may_move_a_family_note_but_not_change_it(server):
    m = await create(server)
    fac = m["tokens"]["facilitator"]
    r = await http_post(server, f"/api/meetings/{m['id']}/posting", fac, {"open": True})
    assert r.status_code == 200, r.text
    family = await device(server, m, "drieluik", "familie", "tablet-de-vries")
    family.add_note("fam1", "Oma Wiëbe wil elke week komen", zone="zorgen", y=0.2)
    original = "Oma Wiëbe wil elke week komen"
    pro = await device(server, m, "drieluik", "professional", "laptop-mentor")
    await pro.wait_for(lambda: "fam1" in pro.notes)

    # moving it is allowed: zone and place, the same as on paper
    with pro.doc.transaction():
        pro.notes["fam1"]["zone"] = "plan"
        pro.notes["fam1"]["y"] = 0.9
    await family.wait_for(lambda: family.notes["fam1"].get("zone") == "plan")
    assert family.notes["fam1"].get("y") == 0.9 and pro.close_code is None
    await close_all(pro)

    attempts = {
        "change its text": lambda d: d.notes["fam1"].__setitem__("text", "Oma Wiëbe komt niet"),
        "delete it": lambda d: d.notes.__delitem__("fam1"),
        "take it over": lambda d: d.notes["fam1"].__setitem__("role", "professional"),
        "replace it": lambda d: d.notes.__setitem__(
            "fam1", Map({"text": "Vervangen", "zone": "plan", "role": "professional"})
        ),
        "write as the family": lambda d: d.add_note("nep", "Wij willen geen hulp", role="familie"),
        "a family note with a professional note": lambda d: (
            d.add_note("eigen", "Eigen briefje"),
            d.add_note("nep2", "Nep", role="familie"),
        ),
    }
    for what, attempt in attempts.items():
        attacker = await device(server, m, "drieluik", "professional", "laptop-mentor")
        with attacker.doc.transaction():
            attempt(attacker)
        assert await attacker.wait_closed(10) == REFUSED, what
        assert attacker.close_reason, what

    # the family note is unchanged for everyone, and nothing else came of it
    watcher = await device(server, m, "drieluik", "facilitator")
    key = await marker(family, watcher)
    assert family.note_texts() == {"fam1": original, key: "Oma Wiëbe komt woensdag"}
    stored = await stored_notes(server, m)
    assert set(stored) == {"fam1", key} and stored["fam1"]["text"] == original
    assert stored["fam1"]["zone"] == "plan"  # the move stayed
    late = await device(server, m, "drieluik", "professional")
    assert late.note_texts() == family.note_texts()
    # the family itself may change and delete its own note
    family.notes["fam1"]["text"] = "Oma Wiëbe komt elke dinsdag"
    await late.wait_for(lambda: late.note_texts().get("fam1") == "Oma Wiëbe komt elke dinsdag")
    del family.notes["fam1"]
    await late.wait_for(lambda: "fam1" not in late.notes)
    assert family.close_code is None
    await close_all(family, late, watcher)
    await assert_server_carries_on(server)


@pytest.mark.parametrize(
    "fields,what",
    [
        ({"text": "x" * 5000}, "tekens"),
        ({"text": 12345}, "tekst"),
        ({"zone": "kelder"}, "vak"),
        ({"x": "links"}, "getal"),
        ({"tags": ["t"] * 50}, "lijst"),
        ({"geheim": "x"}, "geheim"),
    ],
)
async def test_fields_must_fit(server, fields, what):
    m = await create(server)
    listener = await device(server, m, "drieluik", "facilitator")
    attacker = await device(server, m, "drieluik", "familie")
    extra = {k: v for k, v in fields.items() if k != "text"}
    attacker.add_note("n1", fields.get("text", "Oma Wiëbe"), **extra)
    assert await attacker.wait_closed(10) == REFUSED
    assert what in attacker.close_reason.lower()
    writer = await device(server, m, "drieluik", "familie")
    key = await marker(writer, listener)
    assert set(listener.notes) == {key} and set(await stored_notes(server, m)) == {key}
    # the same through a change of one field of an existing note
    attacker = await device(server, m, "drieluik", "familie")
    ((name, value),) = fields.items()
    attacker.notes[key][name] = value
    assert await attacker.wait_closed(10) == REFUSED
    assert (await stored_notes(server, m))[key].get(name) != value
    await close_all(listener, writer)


# 4. client ids: one device's id, used by another ---------------------------------------------


def squat(client_id: int, clock: int) -> bytes:
    """A GC struct for `client_id` from `clock`, 2**40 long: the server would take every
    later edit of that client as already seen, and drop it."""
    return yb.update([(client_id, clock, [yb.gc(2**40)])])


async def test_a_client_id_belongs_to_its_device_also_after_a_restart(tmp_path: Path):
    sp = ServerProcess(tmp_path / "data", log_path=tmp_path / "server.log", env=ENV)
    sp.start()
    clients: list[YClient] = []
    try:
        m = await create(sp)
        r = await http_post(
            sp, f"/api/meetings/{m['id']}/posting", m["tokens"]["facilitator"], {"open": True}
        )
        assert r.status_code == 200
        a = await device(sp, m, "drieluik", "familie", "tablet-a")
        reader = await device(sp, m, "drieluik", "facilitator", "laptop-c")
        clients += [a, reader]
        a.add_note("a1", "Oma Wiëbe brengt de kinderen")
        await reader.wait_for(lambda: "a1" in reader.notes)
        victim = a.doc.client_id
        clock = yb.state_vector(a.doc)[victim]
        frame = squat(victim, clock)
        assert len(frame) < 24  # 18 bytes with a browser's 32-bit client id

        # another device of the same role, and another role pretending to be the same device
        for role, name in (("familie", "tablet-b"), ("professional", "tablet-a")):
            b = await device(sp, m, "drieluik", role, name)
            clients.append(b)
            await refused(b, encode_update(frame))

        # A's own next edit still goes through
        a.notes["a1"]["text"] = "Oma Wiëbe brengt de kinderen, op maandag"
        await reader.wait_for(lambda: reader.note_texts()["a1"].endswith("op maandag"))

        # A goes offline, edits with the same client id, and comes back
        await a.close()
        a.notes["a1"]["text"] = "Offline veranderd"
        a.add_note("a2", "Offline geschreven")
        assert a.doc.client_id == victim
        await a.connect()
        await reader.wait_for(
            lambda: reader.note_texts() == {"a1": "Offline veranderd", "a2": "Offline geschreven"}
        )

        # announced in presence, not written yet: the id is taken as well
        fresh = YClient(ws_url(sp, m, "drieluik", "familie", "telefoon-d"), role="familie")
        clients.append(fresh)
        await fresh.connect()
        await fresh.set_awareness(fresh.doc.client_id, 1, {"user": {"name": "Opa Piet"}})
        await reader.wait_for(lambda: fresh.doc.client_id in reader.awareness)
        b = await device(sp, m, "drieluik", "familie", "tablet-b")
        clients.append(b)
        await refused(b, encode_update(squat(fresh.doc.client_id, 0)))

        # after kill -9 and a new start the stored claim still holds
        await close_all(*clients)
        clients.clear()
        sp.kill9()
        sp.start()
        a.notes["a2"]["text"] = "Geschreven toen de server weg was"
        clock = yb.state_vector(a.doc)[victim]
        b = await device(sp, m, "drieluik", "familie", "tablet-b")
        clients.append(b)
        await refused(b, encode_update(squat(victim, clock)))
        await a.connect()
        reader = await device(sp, m, "drieluik", "facilitator", "laptop-c")
        clients += [a, reader]
        await reader.wait_for(
            lambda: reader.note_texts().get("a2") == "Geschreven toen de server weg was"
        )
        a.notes["a1"]["text"] = "Na de herstart"
        await reader.wait_for(lambda: reader.note_texts().get("a1") == "Na de herstart")
        assert a.doc.client_id == victim
        # the device may still write its own new client ids
        c = await device(sp, m, "drieluik", "familie", "tablet-b")
        clients.append(c)
        c.add_note("b1", "Tante Ineke")
        await reader.wait_for(lambda: "b1" in reader.notes)
        await assert_server_carries_on(sp)
    finally:
        await close_all(*clients)
        sp.stop()


# 5. quotas -----------------------------------------------------------------------------------


async def _fill(sp: ServerProcess, m: dict, board: str, zone: str) -> tuple[int, str]:
    """Write batches of 20 long notes until the server refuses; returns the notes kept."""
    writer = await device(sp, m, board, "familie")
    reader = await device(sp, m, board, "facilitator")
    kept = 0
    try:
        for batch in range(40):
            with writer.doc.transaction():
                for i in range(20):
                    writer.add_note(f"{board}-{batch}-{i}", f"{batch} {i} " + "w" * 900, zone=zone)
            await reader.wait_for(
                lambda kept=kept: len(reader.notes) == kept + 20 or writer.close_code is not None,
                10,
            )
            if writer.close_code is not None:
                break
            kept += 20
        assert await writer.wait_closed(10) == closecodes.QUOTA_EXCEEDED
        await barrier(reader)
        assert len(reader.notes) == kept  # nothing of the refused batch went out
        return kept, writer.close_reason
    finally:
        await close_all(writer, reader)


async def test_board_and_meeting_quotas(tmp_path: Path):
    sp = ServerProcess(
        tmp_path / "data",
        log_path=tmp_path / "server.log",
        env={
            **ENV,
            "NETWERKBORD_BOARD_QUOTA_BYTES": "200000",
            "NETWERKBORD_MEETING_QUOTA_BYTES": "330000",
        },
    )
    sp.start()
    try:
        m = await create(sp)
        kept, reason = await _fill(sp, m, "drieluik", "zorgen")
        assert 100 <= kept < 200_000 // 900 and reason
        assert len(await stored_notes(sp, m)) == kept
        # the board quota is per board: the meeting's other board still takes notes, up to
        # the meeting's quota
        more, meeting_reason = await _fill(sp, m, "doelen", "kort-zelf")
        assert 20 <= more < kept and meeting_reason and meeting_reason != reason
        # another meeting is not affected
        await assert_server_carries_on(sp)
        # and after a restart the quota still holds: the batch that did not fit still
        # does not (the room had compacted the board before refusing it)
        sp.kill9()
        sp.start()
        writer = await device(sp, m, "drieluik", "familie")
        with writer.doc.transaction():
            for i in range(20):
                writer.add_note(f"nog-{i}", f"Nog eentje {i} " + "w" * 900)
        assert await writer.wait_closed(10) == closecodes.QUOTA_EXCEEDED
        assert len(await stored_notes(sp, m)) == kept
        await assert_server_carries_on(sp)
    finally:
        sp.stop()


async def test_a_burst_of_attacks_from_every_role_leaves_other_meetings_alone(server):
    """Many attackers at once, while a pair in another meeting keeps writing."""
    m = await create(server)
    await http_post(
        server, f"/api/meetings/{m['id']}/posting", m["tokens"]["facilitator"], {"open": True}
    )
    other = await create(server, "Netwerkberaad familie Bijstander")
    a = await device(server, other, "drieluik", "familie")
    b = await device(server, other, "drieluik", "familie")
    payloads = [
        yb.deep_any_note(40_000),
        yb.deep_any_note(9),
        FOREIGN["Y.Text in a note"](),
        FOREIGN["array element hidden in a note"](),
        FOREIGN["XML element"](),
    ]
    attackers = [
        await device(server, m, "drieluik", role)
        for role in ("familie", "professional", "facilitator")
        for _ in payloads
    ]
    try:
        sends = [
            att.send_raw(encode_update(payloads[i % len(payloads)]))
            for i, att in enumerate(attackers)
        ]
        a.add_note("tijdens", "Tijdens de aanval")
        await asyncio.gather(*sends, return_exceptions=True)
        for att in attackers:
            assert await att.wait_closed(10) == REFUSED
        await b.wait_for(lambda: "tijdens" in b.notes)
        assert set(await stored_notes(server, m)) == set()
        await assert_server_carries_on(server)
    finally:
        await close_all(a, b, *attackers)
