"""No side doors around the closed part (issue 13, item 4).

While the closed part lasts, the family adds a person, its presence, a spotlight on the TV and
a consent answer, each carrying a marker string. A professional's device, on every board it
can open and over every HTTP route its link can call, and the plan link, must receive none of
them: checked in the raw WebSocket frames and in the raw responses. When the closed part ends,
the professional sees them again (which shows the checks would have caught them).
"""

import asyncio
import itertools
from urllib.parse import urlsplit

import httpx
from pycrdt import Doc, Map
from starlette.routing import Route

from board.boards import BOARDS, STAND_FIELDS
from board.permissions import Access, decide
from board.roles import Role
from board.state import MeetingState
from server import closecodes
from server.sync import SyncMessage, parse_message
from tests.yclient import YClient

RELATION = "wil-het-kind-opvangen-MARKER"
PRESENCE = "Tante-Eva-MARKER"
GROUP = "groep-MARKER"  # the group the facilitator puts on the TV (its id and its theme)
CONSENT = "alleen-als-oma-meedoet-MARKER"
NOTE = "Opa-Henk-haalt-Sem-op-MARKER"
NETWORK = "Tante-Eva-MARKER-mensen"  # a person of the network, mapped on every network board
MARKERS = (RELATION, PRESENCE, GROUP, CONSENT, NOTE, NETWORK)
NETWORK_MAP = (
    ("mensen", "people", {"name": NETWORK, "relation": "tante", "sector": "familie"}),
    (
        "ecogram",
        "placements",
        {
            "about": "kind",
            "person": "p-eva-MARKER",
            "ring": "dichtbij",
            "sector": "familie",
            "a": 0.5,
            "r": 0.5,
        },
    ),  # fmt: skip
    ("sociogram", "rows", {"about": "kind", "person": "p-eva-MARKER", "contact": NETWORK}),
    ("genogram", "members", {"about": "kind", "person": "p-eva-MARKER", "generation": "ouders"}),
    # An agreement about her (board/afspraken.py).
    ("afspraken", "afspraken", {"topic": "contact", "wat": NETWORK, "wie": ["p-eva-MARKER"]}),
)
# And on the steuntabel (a column for her: its id is hers), the VIP-kaart, the levenslijn and
# the netwerkvragen (board/steuntabel.py, vipkaart.py, levenslijn.py, netwerkvragen.py).
SUPPORT_MAP = (
    ("steuntabel", "members", "p-eva-MARKER", {"emotioneel": "++"}),
    ("vipkaart", "vips", "1", {"person": "p-eva-MARKER", "contact": "goed"}),
    ("levenslijn", "events", "e-eva", {"line": "l1", "year": 2020, "text": NETWORK}),
    ("netwerkvragen", "answers", "a-eva", {"question": "n17", "person": "p-eva-MARKER"}),
)

# Every board a professional's link can open while the meeting is open.
PRO_BOARDS = [b for b in BOARDS if decide(Role.PROFESSIONAL, b, MeetingState()) >= Access.READ]


def leaks(data: bytes | str) -> list[str]:
    """The markers in `data` (raw bytes of frames, or a response's text)."""
    raw = data.encode() if isinstance(data, str) else data
    return [m for m in MARKERS if m.encode() in raw] + (["MARKER"] if b"MARKER" in raw else [])


def frames_leak(frames: list[bytes]) -> list[str]:
    return sorted({m for f in frames for m in leaks(f)})


def replay(frames: list[bytes]) -> list[dict]:
    """The `state` map of a course board after each document update among `frames`."""
    doc, states = Doc(), []
    for frame in frames:
        message = parse_message(frame)
        if isinstance(message, SyncMessage) and message.kind != 0:
            doc.apply_update(message.payload)
            states.append(doc.get("state", type=Map).to_py() or {})
    return states


async def connect(live, mid: str, board: str, token: str, role: str) -> YClient:
    return await YClient(live.ws_url(mid, board, token), role=role).connect()


async def refused_code(live, mid: str, board: str, token: str) -> tuple[int | None, YClient]:
    client = YClient(live.ws_url(mid, board, token))
    await client.connect(wait_synced=False)
    return await client.wait_closed(), client


def route_calls(app, mid: str, token: str) -> list[tuple[str, str]]:
    """(method, path) for every HTTP route of the app, its parameters filled in for this
    meeting and this link (every board for {board_id})."""
    calls = []
    for route in app.routes:
        if not isinstance(route, Route):
            continue
        names = route.param_convertors
        values = {
            "meeting_id": [mid],
            "board_id": list(BOARDS),
            "role": ["professional", "familie"],
        }
        options = [values.get(name, [token]) for name in names]
        for combination in itertools.product(*options):
            path = route.path_format.format(**dict(zip(names, combination, strict=True)))
            calls += [(m, path) for m in sorted(route.methods or ()) if m != "HEAD"]
    return calls


async def call_every_route(live, mid: str, token: str, body: dict) -> dict[str, str]:
    """What the link's holder gets from every route, as text: by header, by `?token=`, and as
    a browser that opened its link (cookies kept)."""
    answers = {}
    async with httpx.AsyncClient(base_url=live.base, follow_redirects=True) as browser:
        await browser.get(f"/j/{token}")  # whatever the join page sets for this browser
        for method, path in route_calls(live.app, mid, token):
            if method == "DELETE":
                continue  # deleting the meeting would hide what we look for
            for how in ("header", "query", "cookie"):
                headers = {"authorization": f"Bearer {token}"} if how == "header" else {}
                params = {"token": token} if how == "query" else {}
                r = await browser.request(
                    method,
                    path,
                    headers=headers,
                    params=params,
                    json=body if method == "POST" else None,
                )
                answers[f"{how} {method} {path} -> {r.status_code}"] = r.text + "".join(
                    f"{k}: {v}" for k, v in r.headers.items()
                )
    return answers


async def test_nothing_the_family_does_in_the_closed_part_reaches_a_professional(live_server):
    live = live_server
    m = await live.create_meeting("Netwerkberaad familie De Vries")
    mid, tok = m["id"], m["tokens"]
    fac = tok["facilitator"]
    # The consent step, so that the family can answer during the closed part (the facilitator
    # starts and ends the closed part apart from the step).
    assert (await live.post(f"/api/meetings/{mid}/phase", fac, {"phase": "instemming"})).is_success
    share = (await live.post(f"/api/meetings/{mid}/share", fac, {})).json()["link"]
    share_path = urlsplit(share).path  # (with --backend=cluster another node made the link)
    assert (await live.get(share_path)).status_code == 200

    pro = {b: await connect(live, mid, b, tok["professional"], "professional") for b in PRO_BOARDS}
    fam_course = await connect(live, mid, "verloop", tok["familie"], "familie")
    fam_board = await connect(live, mid, "drieluik", tok["familie"], "familie")

    # -- the closed part starts -------------------------------------------------------------
    r = await live.post(f"/api/meetings/{mid}/closed", fac, {"closed": True})
    assert r.json()["closed"] is True
    for board, client in pro.items():
        if board != "stand":
            assert await client.wait_closed() == closecodes.FORBIDDEN, board
    stand = pro["stand"]
    await stand.wait_for(lambda: stand.doc.get("state", type=Map).get("closed") is True)
    # verloop was closed before the server wrote anything into it: not even the news that the
    # closed part started arrived there.
    assert all(state.get("closed") is not True for state in replay(pro["verloop"].frames))

    # -- what the family does meanwhile ---------------------------------------------------------
    person = await live.post(
        f"/api/meetings/{mid}/participants", tok["familie"], {"name": "Eva", "relation": RELATION}
    )
    assert person.status_code == 201
    for client in (fam_course, fam_board):  # the hand-over to the next person on the tablet
        await client.set_awareness(
            client.doc.client_id, 1, {"user": {"name": PRESENCE, "relation": "tante"}}
        )
        assert await client.roundtrip()  # handled in order: the presence is relayed by now
    fam_board.doc.get("groups", type=Map)[GROUP] = Map(
        {"zone": "zorgen", "title": GROUP, "x": 0.1, "y": 0.1}
    )
    fam_board.add_note("n1", NOTE, group=GROUP)
    assert await fam_board.roundtrip()
    # The network is mapped: a person on the list, on the ecogram, in the sociogram and the
    # genogram (board/networkmap.py; by the facilitator, who may write in the consent step).
    for board, root, fields in NETWORK_MAP:
        client = await connect(live, mid, board, fac, "facilitator")
        client.doc.get(root, type=Map)["kind-p-eva"] = Map(fields)
        assert await client.roundtrip(), board
        await client.close()
    for board, root, key, fields in SUPPORT_MAP:
        client = await connect(live, mid, board, fac, "facilitator")
        client.doc.get(root, type=Map)[key] = Map(fields)
        assert await client.roundtrip(), board
        await client.close()
    r = await live.post(
        f"/api/meetings/{mid}/spotlight", fac, {"board": "drieluik", "group": GROUP}
    )
    assert r.status_code == 200
    r = await live.post(
        f"/api/meetings/{mid}/consent",
        tok["familie"],
        {"participant": person.json()["id"], "agree": False, "comment": CONSENT},
    )
    assert r.status_code == 201
    # The waiting screen's timer still arrives, after all of the above.
    await live.post(f"/api/meetings/{mid}/timer", fac, {"action": "start", "minutes": 10})
    await stand.wait_for(lambda: stand.doc.get("state", type=Map).get("timerEndsAt"))
    assert set(stand.doc.get("state", type=Map).to_py()) == set(STAND_FIELDS)

    # -- a professional, trying every door -----------------------------------------------------
    for board, client in pro.items():
        assert not frames_leak(client.frames), board
    again = {}
    for board in PRO_BOARDS:
        if board == "stand":  # open to every role, always: the waiting screen's
            again[board] = await connect(live, mid, board, tok["professional"], "professional")
        else:
            code, again[board] = await refused_code(live, mid, board, tok["professional"])
            assert code == closecodes.FORBIDDEN, board
        client = again[board]
        assert not frames_leak(client.frames), board
    answers = await call_every_route(
        live,
        mid,
        tok["professional"],
        {"name": "Aïsha", "relation": "jeugdbeschermer", "agree": True, "comment": "Prima"},
    )
    leaked = {call: leaks(text) for call, text in answers.items() if leaks(text)}
    assert not leaked
    assert any("boards/verloop -> 403" in call for call in answers)
    # The plan link shows the waiting page: the title, and nothing else of the meeting.
    for path in (share_path, f"{share_path}/qr.svg"):
        page = await live.get(path)
        assert page.status_code == 200 and not leaks(page.text), path
    waiting = await live.get(share_path)
    assert "De familie praat nu even onder elkaar" in waiting.text
    assert "Netwerkberaad familie De Vries" in waiting.text
    assert "Eva" not in waiting.text and "Wie waren er" not in waiting.text

    # -- the closed part ends: all of it is there again -------------------------------------
    await live.post(f"/api/meetings/{mid}/closed", fac, {"closed": False})
    course = await connect(live, mid, "verloop", tok["professional"], "professional")
    assert {RELATION, CONSENT, GROUP} <= set(frames_leak(course.frames))
    await course.wait_for(lambda: PRESENCE in str(course.awareness))
    page = await live.get(share_path)
    assert page.status_code == 200 and RELATION in page.text
    for board, _, _ in NETWORK_MAP:  # the network boards are back too
        r = await live.get(f"/api/meetings/{mid}/boards/{board}", tok["professional"])
        assert r.status_code == 200 and "MARKER" in r.text, board
    r = await live.get(f"/api/meetings/{mid}/boards/verloop", tok["professional"])
    assert r.status_code == 200 and RELATION in r.text and CONSENT in r.text
    for client in (course, stand, fam_course, fam_board, *again.values()):
        await client.close()


async def test_starting_the_closed_part_while_the_family_writes_the_course(live_server):
    """The race: the closed part starts while the family adds people and answers. Whatever
    the server wrote into verloop after the start never reaches the professional's verloop."""
    live = live_server
    m = await live.create_meeting()
    mid, tok = m["id"], m["tokens"]
    fac = tok["facilitator"]
    await live.post(f"/api/meetings/{mid}/phase", fac, {"phase": "instemming"})
    watcher = await connect(live, mid, "verloop", fac, "facilitator")  # sees every write, in order
    after = 0
    rounds = 20
    for i in range(rounds):
        pro = await connect(live, mid, "verloop", tok["professional"], "professional")
        relation = f"r{i}-MARKER"
        closing = live.post(f"/api/meetings/{mid}/closed", fac, {"closed": True})
        adding = live.post(
            f"/api/meetings/{mid}/participants",
            tok["familie"],
            {"name": f"Eva {i}", "relation": relation},
        )
        if i % 2 == 0:
            start, person = await asyncio.gather(closing, adding)
        else:  # sent the other way round: both orders happen
            person, start = await asyncio.gather(adding, closing)
        assert start.status_code == 200 and person.status_code == 201
        assert await pro.wait_closed() == closecodes.FORBIDDEN

        def seen(i=i, relation=relation) -> bool:
            people = watcher.doc.get("state", type=Map).get("participants")
            return people is not None and any(
                p.get("relation") == relation for p in people.to_py().values()
            )

        await watcher.wait_for(seen)
        # In the order the server wrote verloop: was the closed part on when she was added?
        states = replay(watcher.frames)
        first = next(
            s
            for s in states
            if any(p.get("relation") == relation for p in s.get("participants", {}).values())
        )
        if first.get("closed") is True:
            after += 1
            assert relation.encode() not in b"".join(pro.frames), i
        assert all(s.get("closed") is not True for s in replay(pro.frames)), i
        await live.post(f"/api/meetings/{mid}/closed", fac, {"closed": False})
        await watcher.wait_for(lambda: watcher.doc.get("state", type=Map).get("closed") is False)
    print(f"added during the closed part in {after} of {rounds} rounds")
    assert after  # the race was run: some were added after the start
    await watcher.close()


async def test_the_stand_board_holds_the_waiting_screen_fields_only(live_server):
    live = live_server
    m = await live.create_meeting()
    mid, tok = m["id"], m["tokens"]
    for role in ("facilitator", "familie", "professional", "scherm"):
        r = await live.get(f"/api/meetings/{mid}/boards/stand", tok[role])
        assert r.status_code == 200
        assert set(r.json()) == {"board", "title", "state"}
        assert set(r.json()["state"]) == set(STAND_FIELDS)
    await live.post(f"/api/meetings/{mid}/closed", tok["facilitator"], {"closed": True})
    await live.post(
        f"/api/meetings/{mid}/timer", tok["facilitator"], {"action": "start", "minutes": 5}
    )
    state = (await live.get(f"/api/meetings/{mid}/boards/stand", tok["professional"])).json()
    assert state["state"]["closed"] is True and state["state"]["timerEndsAt"] > 0
    assert state["state"]["phase"] == "welkom" and state["state"]["finished"] is False
    # Nobody writes it but the server.
    pro = await connect(live, mid, "stand", tok["professional"], "professional")
    pro.doc.get("state", type=Map)["closed"] = False
    assert await pro.roundtrip()
    r = await live.get(f"/api/meetings/{mid}/boards/stand", tok["familie"])
    assert r.json()["state"]["closed"] is True
    # Not in an export: verloop says the same and more.
    export = await live.get(f"/api/meetings/{mid}/export.json", tok["familie"])
    assert "stand" not in export.json()["boards"]
    await pro.close()
