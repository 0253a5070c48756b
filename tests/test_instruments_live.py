"""The steuntabel, the VIP-kaart, the levenslijn and the netwerkvragen on a live server, over
raw WebSockets and HTTP: the VIP-kaart reaches no professional and no TV until the child shows
it (and leaves them at once when it is hidden again), professionals get none of these boards
during the closed part, the server refuses what does not fit a board's shape, and the
facilitator puts one question at a time on the TV."""

from pycrdt import Map

from server import closecodes
from tests.test_side_doors import call_every_route
from tests.yclient import YClient

MARKER = "Sem-wil-vaker-naar-opa-MARKER"
MINE = ("steuntabel", "vipkaart", "levenslijn", "netwerkvragen")


async def connect(live, mid: str, board: str, token: str, role: str) -> YClient:
    return await YClient(live.ws_url(mid, board, token), role=role).connect()


async def refused_code(live, mid: str, board: str, token: str) -> tuple[int | None, YClient]:
    client = YClient(live.ws_url(mid, board, token))
    await client.connect(wait_synced=False)
    return await client.wait_closed(), client


def leaked(frames: list[bytes]) -> bool:
    return any(MARKER.encode() in f for f in frames)


def write_marker(client: YClient, board: str, marker: str = MARKER) -> None:
    """Something with `marker` in it, as each board holds it."""
    doc = client.doc
    if board == "steuntabel":  # a column's id is the person's id in `mensen`
        doc.get("members", type=Map)[marker] = Map({"emotioneel": "++", "createdAt": 1})
    elif board == "vipkaart":
        doc.get("vips", type=Map)["1"] = Map(
            {"person": "opa", "contact": "goed", "contactText": marker, "change": "ja"}
        )
    elif board == "levenslijn":
        doc.get("events", type=Map)["e1"] = Map(
            {"line": "l1", "year": 2020, "text": marker, "tone": "positief"}
        )
    else:
        doc.get("answers", type=Map)["a1"] = Map({"question": "n17", "text": marker})


async def shown(live, mid: str, token: str, value: bool, board: str = "vipkaart"):
    return await live.post(f"/api/meetings/{mid}/shown", token, {"board": board, "shown": value})


async def test_the_vipkaart_reaches_no_professional_or_tv_until_the_child_shows_it(live_server):
    live = live_server
    m = await live.create_meeting("Startbespreking familie De Vries", script="startbespreking")
    mid, tok = m["id"], m["tokens"]
    child = await connect(live, mid, "vipkaart", tok["familie"], "familie")
    write_marker(child, "vipkaart")
    assert await child.roundtrip()

    # -- not shown: nothing of it, by any door ------------------------------------------------
    for role in ("professional", "scherm"):
        code, client = await refused_code(live, mid, "vipkaart", tok[role])
        assert code == closecodes.FORBIDDEN, role
        assert not leaked(client.frames), role
        r = await live.get(f"/api/meetings/{mid}/boards/vipkaart", tok[role])
        assert r.status_code == 403 and MARKER not in r.text
        r = await shown(live, mid, tok[role], True)
        assert r.status_code == 403, role  # only the family and the facilitator choose
    pro_course = await connect(live, mid, "verloop", tok["professional"], "professional")
    course = pro_course.doc.get("state", type=Map)
    assert course.get("shown") == [] and course.get("access")["professional"]["vipkaart"] == "none"
    answers = await call_every_route(live, mid, tok["professional"], {"board": "vipkaart"})
    assert not [call for call, text in answers.items() if MARKER in text]
    assert any("boards/vipkaart -> 403" in call for call in answers)
    assert any("/shown -> 403" in call for call in answers)
    for path in ("export.json", "export.md", "export.txt", "boards/vipkaart.svg"):
        r = await live.get(f"/api/meetings/{mid}/{path}", tok["scherm"])
        assert MARKER not in r.text, path
    r = await live.get(f"/api/meetings/{mid}/export.json", tok["familie"])
    assert MARKER in r.text  # the family has it, and the facilitator
    r = await live.get(f"/api/meetings/{mid}/boards/vipkaart", tok["facilitator"])
    assert r.status_code == 200 and MARKER in r.text

    # -- the child shows it --------------------------------------------------------------------
    r = await shown(live, mid, tok["familie"], True)
    assert r.status_code == 200 and r.json()["shown"] == ["vipkaart"]
    await pro_course.wait_for(lambda: course.get("shown") == ["vipkaart"])
    assert course.get("access")["professional"]["vipkaart"] == "read"
    assert course.get("access")["scherm"]["vipkaart"] == "read"
    pro = await connect(live, mid, "vipkaart", tok["professional"], "professional")
    tv = await connect(live, mid, "vipkaart", tok["scherm"], "scherm")
    assert leaked(pro.frames) and leaked(tv.frames)
    r = await live.get(f"/api/meetings/{mid}/boards/vipkaart", tok["professional"])
    assert r.status_code == 200 and MARKER in r.text
    # A professional reads the card; what it sends is not kept.
    pro.doc.get("vips", type=Map)["2"] = Map({"person": "jeugdbeschermer"})
    assert await pro.roundtrip()
    assert await child.roundtrip()
    assert "2" not in child.doc.get("vips", type=Map)

    # -- hidden again: gone from their screens at once -----------------------------------------
    frames = len(pro.frames)
    r = await shown(live, mid, tok["familie"], False)
    assert r.status_code == 200 and r.json()["shown"] == []
    assert await pro.wait_closed() == closecodes.FORBIDDEN
    assert await tv.wait_closed() == closecodes.FORBIDDEN
    child.doc.get("vips", type=Map)["1"]["changeText"] = MARKER + "-later"
    assert await child.roundtrip()
    assert not any(b"later" in f for f in pro.frames[frames:])
    code, _ = await refused_code(live, mid, "vipkaart", tok["professional"])
    assert code == closecodes.FORBIDDEN

    # -- the audit list says who did it; a finished meeting is only hidden --------------------
    audit = (await live.get(f"/api/meetings/{mid}/audit", tok["facilitator"])).json()["audit"]
    assert [a["action"] for a in audit if "VIP" in a["action"]] == [
        "VIP-kaart laten zien",
        "VIP-kaart niet meer laten zien",
    ]
    fac = tok["facilitator"]
    assert (await live.post(f"/api/meetings/{mid}/finish", fac, {"finished": True})).is_success
    assert (await shown(live, mid, tok["familie"], True)).status_code == 409
    assert (await shown(live, mid, tok["familie"], False)).status_code == 200
    for body in ({"board": "steuntabel", "shown": True}, {"board": "vipkaart"}, {}):
        r = await live.post(f"/api/meetings/{mid}/shown", fac, body)
        assert r.status_code == 400
    for client in (child, pro_course):
        await client.close()


async def test_professionals_get_none_of_these_boards_in_the_closed_part(live_server):
    live = live_server
    m = await live.create_meeting("Startbespreking familie De Vries", script="startbespreking")
    mid, tok = m["id"], m["tokens"]
    assert (await shown(live, mid, tok["familie"], True)).status_code == 200  # all four open
    family = {b: await connect(live, mid, b, tok["familie"], "familie") for b in MINE}
    pro = {b: await connect(live, mid, b, tok["professional"], "professional") for b in MINE}

    r = await live.post(f"/api/meetings/{mid}/closed", tok["facilitator"], {"closed": True})
    assert r.json()["closed"] is True
    for board in MINE:
        assert await pro[board].wait_closed() == closecodes.FORBIDDEN, board
        write_marker(family[board], board)  # written during the closed part
        assert await family[board].roundtrip()
    for board in MINE:
        assert not leaked(pro[board].frames), board
        code, again = await refused_code(live, mid, board, tok["professional"])
        assert code == closecodes.FORBIDDEN and not leaked(again.frames), board
        r = await live.get(f"/api/meetings/{mid}/boards/{board}", tok["professional"])
        assert r.status_code == 403 and MARKER not in r.text
        r = await live.get(f"/api/meetings/{mid}/boards/{board}.svg", tok["professional"])
        assert r.status_code == 403
        tv = await connect(live, mid, board, tok["scherm"], "scherm")  # the TV is in the room
        assert leaked(tv.frames), board
        await tv.close()
    r = await live.get(f"/api/meetings/{mid}/export.md", tok["professional"])
    assert r.status_code == 403

    await live.post(f"/api/meetings/{mid}/closed", tok["facilitator"], {"closed": False})
    for board in MINE:  # afterwards the professionals see what was done meanwhile
        back = await connect(live, mid, board, tok["professional"], "professional")
        assert leaked(back.frames), board
        await back.close()
    for client in family.values():
        await client.close()


async def refused_write(live, mid: str, token: str, board: str, write) -> int | None:
    client = await connect(live, mid, board, token, "familie")
    write(client.doc)
    code = await client.wait_closed()
    return code


async def test_the_server_refuses_what_does_not_fit_these_boards(live_server):
    live = live_server
    m = await live.create_meeting("Startbespreking familie De Vries", script="startbespreking")
    mid, fam = m["id"], m["tokens"]["familie"]
    watcher = {
        b: await connect(live, mid, b, m["tokens"]["facilitator"], "facilitator") for b in MINE
    }

    def cell(score):
        return lambda doc: doc.get("members", type=Map).__setitem__(
            "oma", Map({"emotioneel": score})
        )

    wrong = [
        ("steuntabel", cell("+++")),  # only the five scores
        ("steuntabel", cell(MARKER)),
        ("vipkaart", lambda doc: doc.get("vips", type=Map).__setitem__("11", Map({"person": "x"}))),
        (
            "vipkaart",
            lambda doc: doc.get("vips", type=Map).__setitem__("1", Map({"contact": MARKER})),
        ),
        (
            "levenslijn",
            lambda doc: doc.get("events", type=Map).__setitem__(
                "e", Map({"year": 3000, "text": MARKER})
            ),
        ),
        (
            "netwerkvragen",
            lambda doc: doc.get("answers", type=Map).__setitem__(
                "a", Map({"question": "n99", "text": MARKER})
            ),
        ),
        ("netwerkvragen", lambda doc: doc.get("geheim", type=Map).__setitem__("x", MARKER)),
    ]
    for board, write in wrong:
        assert await refused_write(live, mid, fam, board, write) == closecodes.UPDATE_REFUSED, board
    # What fits is kept, and what did not never reached anyone.
    ok = await connect(live, mid, "steuntabel", fam, "familie")
    ok.doc.get("members", type=Map)["oma"] = Map({"emotioneel": "+-", "createdAt": 1})
    assert await ok.roundtrip()
    table = watcher["steuntabel"]
    await table.wait_for(lambda: "oma" in table.doc.get("members", type=Map))
    assert table.doc.get("members", type=Map)["oma"]["emotioneel"] == "+-"
    for board, client in watcher.items():
        assert await client.roundtrip()
        assert not leaked(client.frames), board
        assert "11" not in client.doc.get("vips", type=Map)
    for client in (ok, *watcher.values()):
        await client.close()


async def test_the_facilitator_puts_one_question_at_a_time_on_the_tv(live_server):
    live = live_server
    m = await live.create_meeting("Startbespreking familie De Vries", script="startbespreking")
    mid, tok = m["id"], m["tokens"]
    path = f"/api/meetings/{mid}/screen"
    tv = await connect(live, mid, "verloop", tok["scherm"], "scherm")
    state = tv.doc.get("state", type=Map)

    r = await live.post(path, tok["facilitator"], {"question": "n17"})
    assert r.status_code == 200 and r.json()["screen"]["question"] == "n17"
    await tv.wait_for(lambda: state.get("screen")["question"] == "n17")
    r = await live.post(path, tok["facilitator"], {"board": "steuntabel"})
    assert r.json()["screen"] == {
        "board": "steuntabel",
        "group": None,
        "sound": False,
        "question": "n17",  # above whatever board the TV shows
    }
    for role in ("familie", "professional", "scherm"):
        assert (await live.post(path, tok[role], {"question": "n1"})).status_code == 403
    assert (await live.post(path, tok["facilitator"], {"question": "n99"})).status_code == 400
    # another step: the question goes with it
    await live.post(f"/api/meetings/{mid}/step", tok["facilitator"], {"move": "next"})
    await tv.wait_for(lambda: state.get("screen")["question"] is None)
    r = await live.post(path, tok["facilitator"], {"question": "emotioneel-2"})
    assert r.json()["screen"]["question"] == "emotioneel-2"
    r = await live.post(path, tok["facilitator"], {"question": None})
    assert r.json()["screen"]["question"] is None
    # a meeting whose script has no netwerkvragen
    other = await live.create_meeting("Drieluik familie Bakker", script="drieluik")
    r = await live.post(
        f"/api/meetings/{other['id']}/screen", other["tokens"]["facilitator"], {"question": "n1"}
    )
    assert r.status_code == 400
    await tv.close()


async def test_each_board_has_a_picture_to_download(live_server):
    m = await live_server.create_meeting("Startbespreking familie De Vries", "startbespreking")
    for board in MINE:
        r = await live_server.get(
            f"/api/meetings/{m['id']}/boards/{board}.svg", m["tokens"]["familie"]
        )
        assert r.status_code == 200 and r.text.startswith("<svg"), board
        assert r.headers["content-type"].startswith("image/svg+xml")
    r = await live_server.get(f"/api/meetings/{m['id']}/boards/vipkaart.svg", m["tokens"]["scherm"])
    assert r.status_code == 403  # not shown


async def test_the_steuntabel_is_on_the_plan_page_where_the_script_uses_it(live_server):
    live = live_server
    for script, shown in (("startbespreking", True), ("familienetwerkberaad", False)):
        m = await live.create_meeting("Familie De Vries", script)
        fac = m["tokens"]["facilitator"]
        people = await connect(live, m["id"], "mensen", fac, "facilitator")
        people.doc.get("people", type=Map)["oma"] = Map(
            {"name": "Oma <Wiëbe>", "relation": "oma", "sector": "familie"}
        )
        table = await connect(live, m["id"], "steuntabel", fac, "facilitator")
        table.doc.get("members", type=Map)["oma"] = Map({"emotioneel": "++", "createdAt": 1})
        assert await people.roundtrip() and await table.roundtrip()
        for path in (f"/j/{m['tokens']['familie']}/plan", f"/j/{m['tokens']['professional']}/plan"):
            page = await live.page(path)
            assert page.status_code == 200
            assert ("plan-steuntabel" in page.text) is shown, script
            if shown:
                assert "Oma &lt;Wiëbe&gt;" in page.text and "Veel steun" in page.text
                assert "Emotionele steun" in page.text and "Wat betekenen de tekens?" in page.text
        for client in (people, table):
            await client.close()


async def test_whose_card_it_is_and_a_line_with_its_events_are_kept(live_server):
    live = live_server
    m = await live.create_meeting("Startbespreking familie De Vries", "startbespreking")
    fam = m["tokens"]["familie"]
    card = await connect(live, m["id"], "vipkaart", fam, "familie")
    card.doc.get("info", type=Map)["about"] = "sem"
    assert await card.roundtrip()
    lines = await connect(live, m["id"], "levenslijn", fam, "familie")
    lines.doc.get("lines", type=Map)["l1"] = Map({"person": "sem", "born": 2014, "order": 1})
    lines.doc.get("events", type=Map)["e1"] = Map(
        {"line": "l1", "year": 2016, "text": "Zwemdiploma A", "tone": "positief", "people": ["opa"]}
    )
    assert await lines.roundtrip()
    r = await live.get(f"/api/meetings/{m['id']}/boards/vipkaart", m["tokens"]["facilitator"])
    assert r.json()["about"] == "sem"
    r = await live.get(f"/api/meetings/{m['id']}/boards/levenslijn", fam)
    assert r.json()["lines"] == [
        {
            "id": "l1",
            "person": "sem",
            "born": 2014,
            "events": [
                {
                    "id": "e1",
                    "year": 2016,
                    "text": "Zwemdiploma A",
                    "tone": "positief",
                    "people": ["opa"],
                }
            ],
        }
    ]
    for client in (card, lines):
        await client.close()
