"""What a family takes home: Dutch dates, a Markdown and a text export whose every heading is
there once and that leaves out boards the meeting does not use, the doelenmatrix as its 2×2
picture with every theme, the plan page with the bodemeisen, and a new meeting's links behind
post/redirect/get (a reload makes no second meeting)."""

import re
import time
import xml.etree.ElementTree as ET

import httpx
from markdown_it import MarkdownIt
from pycrdt import Map

from board.boards import BOARDS
from board.dates import dutch_date, dutch_day, dutch_period
from board.export import CHAR_WIDTH, board_json, board_svg, markdown, meeting_export, plain
from server import pages as server_pages
from tests.yclient import YClient

SVG = "{http://www.w3.org/2000/svg}"
COURSE = {"state": {"participants": {"p1": {"name": "Oma Wiëbe", "role": "familie"}}}}
PLAN = {
    "goals": {"g1": {"text": "Sem gaat elke dag naar school", "order": 1}},
    "actions": {
        "a1": {
            "goal": "g1",
            "wat": "Wekker zetten",
            "wie": "Mama Lisa",
            "vanaf": "2025-01-08",
            "tot": "2025-03-01",
        }
    },
    "info": {"evaluatie": "2025-06-30"},
}
DRIELUIK = {
    "groups": {"g": {"zone": "zorgen", "title": "School", "y": 0.2}},
    "notes": {
        "n1": {"text": "Sem verzuimt", "zone": "zorgen", "group": "g"},
        "n2": {"text": "Samen koken", "zone": "plan"},
    },
    "statements": {"ergste": "Sem moet van school"},
}
BODEMEISEN = {"notes": {"b": {"text": "Contact met vader blijft begeleid", "zone": "bodemeisen"}}}
DOELEN = {
    "groups": {
        "t1": {"zone": "kort-samen", "title": "Naar school", "y": 0.1},
        "t2": {"zone": "lang-zelf", "title": "Thema zonder briefjes", "y": 0.5},
    },
    "notes": {
        "d1": {"text": "Sem fietst met opa naar school", "zone": "kort-samen", "group": "t1"},
        "d2": {"text": "Huiswerkklas op dinsdag en donderdag", "zone": "kort-samen", "group": "t1"},
        "d3": {"text": "Elke ochtend samen ontbijten", "zone": "kort-zelf"},
        "d4": {"text": "Zwemdiploma A halen", "zone": "lang-samen", "authorName": "Karim"},
        "d5": {"text": "Een eigen kamer", "zone": "lang-zelf", "group": "weg"},
    },
}


def export(script: str | None, boards: dict) -> dict:
    meeting = {"id": "m1", "title": "Netwerkberaad familie De Vries", "date": "8 januari 2025"}
    if script:
        meeting["script"] = script
    return meeting_export(meeting, {"verloop": COURSE, **boards})


def headings(md: str) -> list[tuple[str, str]]:
    tokens = MarkdownIt("commonmark").parse(md)
    return [
        (t.tag, tokens[i + 1].content) for i, t in enumerate(tokens) if t.type == "heading_open"
    ]


# Dates ----------------------------------------------------------------------------------------


def test_dates_for_people_are_dutch_and_anything_else_is_empty():
    assert dutch_date("2025-01-08") == "8 januari 2025"
    assert dutch_date("2026-12-31") == "31 december 2026"
    for not_a_date in ("", "2025-02-30", "2025-W02-3", "8 januari", "2025-01-08\n", None, 3):
        assert dutch_date(not_a_date) == ""
    assert dutch_period("2025-01-08", "2025-03-01") == "van 8 januari 2025 tot 1 maart 2025"
    assert dutch_period("", "2025-03-01") == "tot 1 maart 2025"
    assert dutch_day(time.mktime((2025, 5, 1, 12, 0, 0, 0, 0, -1))) == "1 mei 2025"


def test_exports_for_people_show_dutch_dates_and_json_keeps_iso():
    e = export("familienetwerkberaad", {"plan": PLAN})
    assert e["plan"]["goals"][0]["actions"][0]["vanaf"] == "2025-01-08"  # the contract: ISO
    assert e["plan"]["evaluatie"] == "2025-06-30"
    for text in (markdown(e), plain(e)):
        assert "van 8 januari 2025 tot 1 maart 2025" in text
        assert "We evalueren op 30 juni 2025." in text
        assert "2025-01-08" not in text and "2025-06-30" not in text


# Markdown and text ------------------------------------------------------------------------------


def test_every_heading_once_and_boards_the_script_does_not_use_left_out():
    boards = {
        "plan": PLAN,
        "drieluik": DRIELUIK,
        "bodemeisen": BODEMEISEN,
        "doelen": DOELEN,
        "familie": {},
        "evaluatie": {"notes": {"e": {"text": "Van een ander overleg", "zone": "goed"}}},
    }
    md = markdown(export("familienetwerkberaad", boards))
    found = headings(md)
    assert len(found) == len(set(found)), found
    h2 = [text for tag, text in found if tag == "h2"]
    assert h2 == [
        "Wie waren er",
        "Bodemeisen",  # what the plan has to respect, before the plan
        "Het plan",
        "Doelen in beeld",
        "Drieluik",
        "Werkblad van de familie",
    ]
    assert "Evaluatie" not in md and "Van een ander overleg" not in md
    assert BOARDS["bodemeisen"].explain in md  # the word explained, in plain Dutch
    # The Drieluik's themes and its sentence are in its own section, under their column.
    drieluik = md.split("## Drieluik")[1]
    assert "Het ergste dat kan gebeuren: **Sem moet van school**" in drieluik
    assert "- Thema: **School**\n  - Sem verzuimt" in drieluik
    assert "Werkblad van de familie\n\nHier staat nog niets op." in md  # empty: one line

    # An evaluatie-overleg looks at the plan again; it has no Drieluik and no bodemeisen.
    md = markdown(export("evaluatie", {**boards, "evaluatie": {}}))
    assert [t for tag, t in headings(md) if tag == "h2"] == [
        "Wie waren er",
        "Het plan",
        "Evaluatie",
    ]


def test_the_text_export_reads_as_plain_text():
    e = export("familienetwerkberaad", {"plan": PLAN, "drieluik": DRIELUIK})
    text = plain(e)
    assert text.startswith("Netwerkberaad familie De Vries\n==============================\n")
    assert "\nHet plan\n--------\n" in text
    assert "- Wekker zetten — Mama Lisa" in text
    assert "- Thema: School\n    - Sem verzuimt" in text
    assert "**" not in text and "\\" not in text and "#" not in text
    # A field stays on its own line: it cannot make a heading of its own.
    e = export(
        "drieluik", {"drieluik": {"notes": {"n": {"text": "x\n\nDrieluik\n---", "zone": "plan"}}}}
    )
    assert "- x Drieluik ---" in plain(e) and plain(e).count("Drieluik\n--------") == 1


# The picture of the doelenmatrix ---------------------------------------------------------------


def boxes(root: ET.Element, cls: str) -> list[tuple[float, float, float, float]]:
    return [
        tuple(float(r.get(k)) for k in ("x", "y", "width", "height"))
        for r in root.iter(f"{SVG}rect")
        if r.get("class") == cls
    ]


def text_box(t: ET.Element) -> tuple[float, float, float, float]:
    """A generous box around a line of text: its width at CHAR_WIDTH font sizes a character."""
    size = float(t.get("font-size"))
    return (
        float(t.get("x")),
        float(t.get("y")) - size,
        len(t.text or "") * size * CHAR_WIDTH,
        size,
    )


def inside(inner, outer) -> bool:
    x, y, w, h = inner
    ox, oy, ow, oh = outer
    return ox <= x and x + w <= ox + ow and oy <= y and y + h <= oy + oh


def overlap(a, b) -> bool:
    return a[0] < b[0] + b[2] and b[0] < a[0] + a[2] and a[1] < b[1] + b[3] and b[1] < a[1] + a[3]


def test_the_doelenmatrix_picture_is_a_2x2_grid_with_every_theme():
    root = ET.fromstring(board_svg(board_json("doelen", DOELEN)))
    zones = boxes(root, "zone")
    assert len(zones) == 4
    (ks, kn, ls, ln) = zones  # kort-zelf, kort-samen, lang-zelf, lang-samen
    # Two columns (zelf | samen) and two rows (kort above lang).
    assert ks[1] == kn[1] and ls[1] == ln[1] and ks[1] < ls[1]
    assert ks[0] == ls[0] and kn[0] == ln[0] and ks[0] < kn[0]
    for a in zones:
        for b in zones:
            assert a is b or not overlap(a, b)
    # Every title line, theme and note line lies inside its own quadrant, and no two titles
    # overlap.
    titles = [t for t in root.iter(f"{SVG}text") if t.get("class") == "zone-title"]
    assert [" ".join(t.text for t in titles if inside(text_box(t), z)) for z in zones] == [
        z.title for z in BOARDS["doelen"].zones
    ]
    for a in titles:
        for b in titles:
            assert a is b or not overlap(text_box(a), text_box(b))
    words = [t for t in root.iter(f"{SVG}text") if t.get("class") != "board-title"]
    assert all(any(inside(text_box(t), z) for z in zones) for t in words)
    shown = " ".join(t.text for t in words)
    for theme in ("Naar school", "Thema zonder briefjes"):  # also a theme without notes
        assert theme in [t.text for t in words if t.get("class") == "group-title"]
    for note in DOELEN["notes"].values():
        assert " ".join(note["text"].split()) in shown
    assert "Karim" in shown
    # The theme's notes are drawn inside its box.
    group = boxes(root, "group")[0]
    notes = boxes(root, "note")
    assert sum(inside(n, group) for n in notes) == 2


def test_the_drieluik_picture_keeps_its_three_columns_and_sentences():
    root = ET.fromstring(
        board_svg(board_json("drieluik", DRIELUIK), DRIELUIK["statements"]).encode()
    )
    zones = boxes(root, "zone")
    assert len(zones) == 3 and len({z[1] for z in zones}) == 1  # side by side
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert "Het ergste dat kan gebeuren:" in texts and "Sem moet van school" in texts
    assert "School" in texts and "Sem verzuimt" in texts


# Over HTTP -----------------------------------------------------------------------------------


async def test_plan_page_shows_the_bodemeisen_and_dutch_dates(live_server):
    m = await live_server.create_meeting()  # a FamilieNetwerkBeraad
    tok = m["tokens"]
    await live_server.post(
        f"/api/meetings/{m['id']}/phase", tok["facilitator"], {"phase": "informatie-delen"}
    )
    pro = await YClient(
        live_server.ws_url(m["id"], "bodemeisen", tok["professional"]), role="professional"
    ).connect()
    pro.add_note("b1", "Contact met vader blijft begeleid", zone="bodemeisen", tags=["opgelegd"])
    plan = await YClient(
        live_server.ws_url(m["id"], "plan", tok["familie"]), role="familie"
    ).connect()
    plan.doc.get("goals", type=Map)["g1"] = Map({"text": "Sem gaat naar school", "order": 1})
    plan.doc.get("actions", type=Map)["a1"] = Map(
        {"goal": "g1", "wat": "Wekker zetten", "vanaf": "2025-01-08", "order": 1}
    )
    plan.doc.get("info", type=Map)["evaluatie"] = "2025-06-30"
    assert await pro.roundtrip() and await plan.roundtrip()

    share = await live_server.post(f"/api/meetings/{m['id']}/share", tok["facilitator"], {})
    for path in (f"/j/{tok['familie']}/plan", f"/p/{share.json()['token']}"):
        page = (await live_server.get(path)).text
        section = page.split('id="plan-bodemeisen"')[1].split("</section>")[0]
        assert "Contact met vader blijft begeleid" in section
        assert "Ze staan vast: daar praten we niet over" in section
        assert page.index("plan-bodemeisen") < page.index("Het plan</h2>")
        assert '<time datetime="2025-01-08">8 januari 2025</time>' in page
        assert "30 juni 2025" in page
        assert ">2025-01-08<" not in page

    # The text export, under a name a family's phone can open.
    r = await live_server.get(f"/api/meetings/{m['id']}/export.txt", tok["familie"])
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/plain")
    assert re.search(r'filename="[^"]+\.txt"', r.headers["content-disposition"])
    assert "Contact met vader blijft begeleid" in r.text and "8 januari 2025" in r.text
    md = await live_server.get(f"/api/meetings/{m['id']}/export.md", tok["familie"])
    assert md.headers["content-type"].startswith("text/markdown")  # the contract stays
    assert "Evaluatie" not in md.text  # not a board of this script
    for client in (pro, plan):
        await client.close()


def meeting_count(live_server) -> int:
    return len(live_server.app.state.meetings.store.expired_meetings(time.time() + 60))


async def test_a_reload_after_creating_a_meeting_makes_no_second_one(live_server, monkeypatch):
    async with httpx.AsyncClient(base_url=live_server.base) as browser:
        before = meeting_count(live_server)
        r = await browser.post("/", data={"title": "Familie De Vries"})
        assert r.status_code == 303
        where = r.headers["location"]
        assert re.fullmatch(r".*/created/[0-9a-f]{32}", where)
        cookie = r.headers["set-cookie"].lower()
        assert "httponly" in cookie and "samesite=strict" in cookie and "max-age=600" in cookie
        pages = [await browser.get(where) for _ in range(2)]  # the page, and a reload
        for page in pages:
            assert page.status_code == 200 and page.headers["cache-control"] == "no-store"
            assert "Bewaar deze links" in page.text and page.text.count('class="link-card"') == 4
        links = re.findall(r'data-link="([^"]+)"', pages[0].text)
        assert links == re.findall(r'data-link="([^"]+)"', pages[1].text)
        assert meeting_count(live_server) == before + 1
        assert len(links) == 4 and all("/j/" in link for link in links)

    # Another browser (no cookie) gets no links, and neither does another meeting's page.
    async with httpx.AsyncClient(base_url=live_server.base) as other:
        page = await other.get(where)
        assert page.status_code == 404 and "/j/" not in page.text
        assert "Deze links zie je hier niet meer" in page.text
    # After the ten minutes the page shows them no more (the cookie's signature says when).
    monkeypatch.setattr(server_pages, "CREATED_SECONDS", -1)
    async with httpx.AsyncClient(base_url=live_server.base, cookies=browser.cookies) as again:
        page = await again.get(where)
        assert page.status_code == 404 and "/j/" not in page.text
    assert meeting_count(live_server) == before + 1
