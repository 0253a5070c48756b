"""A meeting that follows on from an earlier one (issue 15), against the real server: the
facilitator makes it, the people, the network map, the plan and the agreements are a copy in
it, the earlier meeting is left exactly as it was, only the facilitator may do it, the new
meeting is led by the same facilitators, and its plan page says what changed since."""

import asyncio
from pathlib import Path

from pycrdt import Map

from board.boards import BOARDS
from board.followon import PREVIOUS, carried_boards
from server.accounts import accounts_of
from tests.test_accounts import LIGHT, PASSWORD, Browser, _server
from tests.yclient import YClient

PEOPLE = {
    "p-lisa": {
        "name": "Lisa de Vries",
        "relation": "moeder",
        "sector": "familie",
        "role": "familie",
    },
    "p-sem": {"name": "Sem", "relation": "kind", "sector": "familie", "role": "familie"},
    "p-anne": {
        "name": "Anne Bakker",
        "relation": "pleegzorgbegeleider",
        "sector": "professionals",
        "role": "professional",
    },
}
PLAN = {
    "goals": {
        "g1": {"text": "Sem gaat elke dag naar school", "tags": ["voorwaardelijk"], "order": 1.0}
    },
    "actions": {
        "a1": {
            "goal": "g1",
            "wat": "Wekker zetten",
            "wie": "Lisa de Vries",
            "person": "p-lisa",
            "status": "bezig",
            "order": 1.0,
        },
        "a2": {"goal": "g1", "wat": "Juf bellen", "wie": "Oma", "status": "nog-niet", "order": 2.0},
    },
    "team": {"t1": {"name": "Lisa de Vries", "person": "p-lisa", "order": 1.0}},
}
PLACEMENTS = {  # the child's ecogram (board/networkmap.py)
    "kind-p-lisa": {"about": "kind", "person": "p-lisa", "ring": "dichtbij", "sector": "familie",
                    "a": 0.5, "r": 0.4},
    "kind-p-anne": {"about": "kind", "person": "p-anne", "ring": "verder",
                    "sector": "professionals", "a": 0.3, "r": 0.6},
}  # fmt: skip
AGREEMENTS = {
    "b1": {
        "topic": "contact",
        "wat": "Sem gaat bij mama op bezoek",
        "wie": ["p-sem", "p-lisa"],
        "hoeVaak": "elke twee weken",
        "vorm": ["bezoek", "fotos"],
        "begeleider": "p-anne",
        "evaluatie": "2026-03-01",
        "order": 1.0,
    },
}


async def client(live, mid: str, board: str, token: str, role: str) -> YClient:
    return await YClient(live.ws_url(mid, board, token), role=role).connect()


async def fill(live, mid: str, token: str) -> None:
    """The family maps the network and makes a plan and agreements; and writes the Drieluik
    and its worksheet, which stay in the earlier meeting."""
    writes = {
        "mensen": {"people": PEOPLE},
        "ecogram": {"placements": PLACEMENTS},
        "plan": {name: PLAN[name] for name in ("goals", "actions", "team")},
        "afspraken": {"afspraken": AGREEMENTS},
    }
    clients = []
    for board, roots in writes.items():
        c = await client(live, mid, board, token, "familie")
        for root, records in roots.items():
            target = c.doc.get(root, type=Map)
            for key, fields in records.items():
                target[key] = Map(fields)
        clients.append(c)
    c = await client(live, mid, "afspraken", token, "familie")
    c.doc.get("antwoorden", type=Map)["regie"] = "De pleegzorgbegeleider"
    clients.append(c)
    c = await client(live, mid, "drieluik", token, "familie")
    c.add_note("n1", "Alleen voor deze bijeenkomst")
    clients.append(c)
    c = await client(live, mid, "familie", token, "familie")
    c.add_note("w1", "Ons eigen werkblad", zone="afspraken")
    clients.append(c)
    for c in clients:
        assert await c.roundtrip()
        await c.close()


def content(live, mid: str, board: str) -> dict:
    return live.app.state.meetings.content(mid, board)


def clocks(state: bytes) -> dict[int, int]:
    """A Yjs state vector as client id -> clock (its order depends on how the doc was made)."""
    pos = 0

    def uint() -> int:
        nonlocal pos
        value = shift = 0
        while True:
            byte = state[pos]
            pos += 1
            value |= (byte & 0x7F) << shift
            shift += 7
            if byte < 0x80:
                return value

    return dict((uint(), uint()) for _ in range(uint()))


def states(live, mid: str) -> dict[str, dict[int, int]]:
    """Every board's state vector: whatever is written to a board, by anyone, changes it."""
    rooms = live.app.state.rooms
    out = {}
    for board in BOARDS:
        room = rooms.get(mid, board)
        try:
            out[board] = clocks(room.doc.get_state())
        finally:
            rooms.release(room)
    return out


async def test_a_follow_on_meeting_copies_the_network_the_plan_and_the_agreements(live_server):
    live = live_server
    m = await live.create_meeting("Startbespreking familie De Vries", "startbespreking")
    mid, tok = m["id"], m["tokens"]
    await fill(live, mid, tok["familie"])
    before = {
        b: content(live, mid, b)
        for b in ("mensen", "ecogram", "plan", "afspraken", "drieluik", "familie")
    }
    stored = states(live, mid)

    r = await live.post(
        f"/api/meetings/{mid}/follow-on",
        tok["facilitator"],
        {"script": "evaluatie", "title": "Evaluatie familie De Vries", "by": "Joost"},
    )
    assert r.status_code == 201, r.text
    new = r.json()
    assert new["follows"] == mid and new["id"] != mid
    assert new["script"] == "evaluatie" and new["title"] == "Evaluatie familie De Vries"
    assert set(new["links"]) == {"facilitator", "familie", "professional", "scherm"}
    nid = new["id"]

    # The copy: the same content, by the same ids (the plan still names Lisa by her id).
    assert "ecogram" in carried_boards()
    for board in ("mensen", "ecogram", "plan", "afspraken"):
        for root, records in before[board].items():
            if root in ("meta", PREVIOUS):
                continue
            assert content(live, nid, board)[root] == records, (board, root)
    assert content(live, nid, "afspraken")["antwoorden"] == {"regie": "De pleegzorgbegeleider"}
    assert content(live, nid, "drieluik")["notes"] == {}  # the conversation stays behind
    assert content(live, nid, "familie")["notes"] == {}  # the family's worksheet too
    assert content(live, nid, "plan")["meta"]["meeting"] == "Evaluatie familie De Vries"
    previous = content(live, nid, "plan")[PREVIOUS]
    assert previous["meeting"] == "Startbespreking familie De Vries"
    assert set(previous["goals"]) == {"g1"} and previous["actions"]["a1"]["status"] == "bezig"
    # Over the API as well, with the new meeting's own links.
    board = await live.get(f"/api/meetings/{nid}/boards/afspraken", new["tokens"]["familie"])
    visit = board.json()["topics"][0]["afspraken"][0]
    assert visit["wat"] == "Sem gaat bij mama op bezoek" and visit["begeleider"] == "p-anne"
    assert (await live.get(f"/api/meetings/{nid}", tok["facilitator"])).status_code == 401

    # The earlier meeting is exactly as it was: nothing written to it, nothing changed.
    assert states(live, mid) == stored
    for board, was in before.items():
        assert content(live, mid, board) == was, board
    earlier = await live.get(f"/api/meetings/{mid}", tok["familie"])
    assert earlier.json()["script"] == "startbespreking"

    # The new meeting is a meeting of its own: what happens there stays there.
    c = await client(live, nid, "plan", new["tokens"]["familie"], "familie")
    c.doc.get("actions", type=Map)["a1"]["progress"] = "behaald"
    c.doc.get("goals", type=Map)["g2"] = Map({"text": "Sem gaat op voetbal", "order": 2.0})
    assert await c.roundtrip()
    await c.close()
    assert "progress" not in content(live, mid, "plan")["actions"]["a1"]
    assert states(live, mid) == stored

    # Its plan page says what changed since the startbespreking.
    page = await live.get(f"/j/{new['tokens']['facilitator']}/plan")
    assert page.status_code == 200
    text = page.text
    assert "Wat is er veranderd sinds Startbespreking familie De Vries" in text
    assert "Nieuw doel:</strong> Sem gaat op voetbal" in text
    assert "Wekker zetten — behaald" in text
    assert "Sem gaat bij mama op bezoek" in text  # the agreements are on the plan page
    assert ">Sem, Lisa de Vries<" in text and ">Anne Bakker<" in text  # names from the list
    md = (await live.get(f"/api/meetings/{nid}/export.md", new["tokens"]["facilitator"])).text
    assert "Nieuw doel: Sem gaat op voetbal" in md and "## Afspraken" in md


async def test_only_the_facilitator_of_the_meeting_makes_a_follow_on(live_server):
    live = live_server
    m = await live.create_meeting("Startbespreking familie De Vries", "startbespreking")
    other = await live.create_meeting("Netwerkberaad familie Jansen")
    mid, tok = m["id"], m["tokens"]
    path = f"/api/meetings/{mid}/follow-on"
    count = lambda: live.app.state.store.db.execute("SELECT count(*) FROM meetings").fetchone()[0]  # noqa: E731
    meetings = count()
    for role in ("familie", "professional", "scherm"):
        assert (await live.post(path, tok[role], {"script": "evaluatie"})).status_code == 403, role
    assert (await live.post(path, None, {})).status_code == 401
    # Another meeting's facilitator gets nothing of this one.
    assert (await live.post(path, other["tokens"]["facilitator"], {})).status_code == 401
    assert (await live.post(path, tok["facilitator"], {"script": "geheim"})).status_code == 400
    assert (await live.post(path, tok["facilitator"], {"title": "x" * 121})).status_code == 400
    assert count() == meetings
    # The defaults: an evaluatie-overleg with the earlier meeting's title.
    r = await live.post(path, tok["facilitator"], {})
    assert r.status_code == 201
    assert r.json()["script"] == "evaluatie"
    assert r.json()["title"] == "Startbespreking familie De Vries"
    # During the closed part too: the facilitator may, a professional still may not.
    await live.post(f"/api/meetings/{mid}/closed", tok["facilitator"], {"closed": True})
    assert (await live.post(path, tok["professional"], {})).status_code == 403
    assert (await live.post(path, tok["facilitator"], {})).status_code == 201


def test_every_copied_board_exists_and_none_is_the_familys_own():
    for board in carried_boards():
        assert board in BOARDS and not BOARDS[board].family_only


async def test_the_new_meeting_is_led_by_the_same_facilitators(tmp_path: Path):
    async for live in _server(tmp_path):
        accounts = accounts_of(live.app.state)
        accounts.hasher = LIGHT
        accounts.add("anna", PASSWORD)
        accounts.add("bram", PASSWORD)
        accounts.add("carla", PASSWORD)
        anna, bram = Browser(live), Browser(live)
        try:
            assert (await anna.login("anna")).status_code == 303
            mid = await anna.new_meeting("Startbespreking familie De Vries")
            r = await anna.submit(
                f"/mijn/{mid}", f"/mijn/{mid}/gespreksleiders", gebruikersnaam="bram"
            )
            assert r.status_code == 303
            page = await anna.get(f"/mijn/{mid}")
            assert "Vervolgbijeenkomst maken" in page.text

            # From "Mijn bijeenkomsten": a new meeting, then its links.
            r = await anna.submit(
                f"/mijn/{mid}",
                f"/mijn/{mid}/vervolg",
                title="Evaluatie De Vries",
                script="evaluatie",
            )
            assert r.status_code == 303, r.text
            location = r.headers["location"]
            nid = location.split("/mijn/")[1].split("?")[0]
            assert nid != mid
            shown = await anna.get(location)
            assert "De vervolgbijeenkomst is klaar" in shown.text
            assert "Evaluatie De Vries" in shown.text
            store = live.app.state.store
            assert store.facilitators_of(nid) == store.facilitators_of(mid) == ["anna", "bram"]

            # Bram leads it too: he finds it among his meetings; Carla does not.
            assert (await bram.login("bram")).status_code == 303
            assert (await bram.get(f"/mijn/{nid}")).status_code == 200
            carla = Browser(live)
            assert (await carla.login("carla")).status_code == 303
            assert (await carla.get(f"/mijn/{nid}")).status_code == 404
            # Carla cannot make one from Anna's meeting either (she opens the form on her own
            # meeting, and sends it to Anna's).
            own = await carla.new_meeting("Netwerkberaad familie Jansen")
            refused = await carla.submit(f"/mijn/{own}", f"/mijn/{mid}/vervolg", title="Stiekem")
            assert refused.status_code == 404
            assert "Stiekem" not in str(
                store.db.execute("SELECT group_concat(title) FROM meetings").fetchone()[0]
            )
            await carla.close()
            # The console's route, on the device of a facilitator: the same.
            r = await live.post(f"/api/meetings/{nid}/follow-on", None, {})
            assert r.status_code == 401
        finally:
            await asyncio.gather(anna.close(), bram.close())
