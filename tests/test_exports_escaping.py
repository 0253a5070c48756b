"""Exports show what people typed as text, never as Markdown, HTML or SVG markup, and board
titles are always the server's, never one a device wrote into a board document."""

import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

from hypothesis import assume, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from pycrdt import Map

from board.boards import BOARDS
from board.export import board_json, board_svg, markdown, meeting_export
from board.markdown import md_text
from board.plan import plan_json
from tests.yclient import YClient

FORGED = "Vervalste titel van een apparaat"
HEADING = "\n## Instemming\n- Oma Wiëbe: akkoord"
SCRIPT = "<script>alert(1)</script>"
INLINE = "**vet** _schuin_ `code` [link](http://x)"
HOSTILE = [
    HEADING,
    SCRIPT,
    INLINE,
    "<img src=x onerror=alert(1)>",
    "1. een\n2. twee",
    "> citaat",
    "    code",
    "```\nblok\n```",
    "| a | b |\n|---|---|",
    "---",
    "- [ ] taak",
    "&lt;b&gt; &amp;",
    "[x]: http://x",
    "<http://x>",
    "![plaatje](http://x/p.png)",
    "~~weg~~",
    "Oma #1 ###",
    "a\\",
    "*open",
    "close_",
    "{: .klasse}",
    "+ plus",
    "===",
    "2) twee",
    "familie De Vries\u2028## kop",
    "$x$",
]
RENDERERS = {
    "commonmark": MarkdownIt("commonmark"),  # raw HTML on, as in most viewers
    "gfm": MarkdownIt("gfm-like", {"linkify": False}),
}  # + tables, strikethrough


class Html(HTMLParser):
    """The tags (in order) and the visible text of rendered HTML."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.text: list[str] = []
        self.headings: list[tuple[str, str]] = []
        self._heading: tuple[str, list[str]] | None = None
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self.tags.append(f"<{tag} {sorted(attrs)}>")
        if re.fullmatch(r"h[1-6]", tag):
            self._heading = (tag, [])

    def handle_endtag(self, tag: str) -> None:
        self.tags.append(f"</{tag}>")
        if self._heading and self._heading[0] == tag:
            self.headings.append((tag, "".join(self._heading[1]).strip()))
            self._heading = None

    def handle_data(self, data: str) -> None:
        self.text.append(data)
        if self._heading:
            self._heading[1].append(data)


def squeeze(text: str) -> str:
    """Text without whitespace or control characters: what a reader compares."""
    return "".join(c for c in "".join(text.split()) if not (ord(c) < 32 or 0x7F <= ord(c) <= 0x9F))


def meeting(text: str) -> dict:
    """A meeting in which every field a person can type holds `text`."""
    course = {
        "state": {
            "participants": {"p1": {"name": text, "relation": text, "role": "familie"}},
            "consent": {"p1": {"name": text, "role": "familie", "agree": True, "comment": text}},
        }
    }
    plan = {
        "goals": {
            "g1": {
                "text": text,
                "order": 1,
                "tags": [text],
                "hulpNetwerk": text,
                "hulpProfessionals": text,
            }
        },
        "actions": {
            "a1": {
                "goal": "g1",
                "wat": text,
                "wie": text,
                "nogDoen": text,
                "status": "bezig",
                "vanaf": "2026-12-01",
                "tot": "2027-01-01",
            }
        },
        "team": {"t1": {"name": text}},
        "info": {"evaluatie": "2027-03-01"},
        "meta": {"title": FORGED},
    }
    drieluik = {
        "meta": {"title": FORGED},
        "groups": {z: {"zone": z, "title": text} for z in ("zorgen", "plan", "wensen")},
        "notes": {
            z: {"zone": z, "text": text, "authorName": text} for z in ("zorgen", "plan", "wensen")
        },
        "statements": {"ergste": text, "wens": text},
    }
    doelen = {"meta": {"title": FORGED}, "notes": {"n": {"zone": "kort-zelf", "text": text}}}
    info = {"id": "m1", "title": text, "date": "23 november 2026"}
    return meeting_export(
        info, {"verloop": course, "plan": plan, "drieluik": drieluik, "doelen": doelen}
    )


def rendered(text: str, renderer: str = "commonmark") -> Html:
    return Html(RENDERERS[renderer].render(markdown(meeting(text))))


BENIGN = {name: rendered("QQQ", name) for name in RENDERERS}


def assert_reads_as_typed(text: str) -> None:
    """The export with `text` in every field has exactly the structure of the export with a
    plain word in every field, and shows `text` where the plain word was."""
    for name in RENDERERS:
        page, plain = rendered(text, name), BENIGN[name]
        assert page.tags == plain.tags, (name, text)
        expected = squeeze("".join(plain.text)).replace("QQQ", squeeze(text))
        assert squeeze("".join(page.text)) == expected, (name, text)


def test_note_text_cannot_forge_a_heading_html_or_a_link():
    for text in HOSTILE:
        assert_reads_as_typed(text)
    md = markdown(meeting(HEADING))
    page = rendered(HEADING)
    h2 = [t for tag, t in page.headings if tag == "h2"]
    assert h2 == [
        "Wie waren er",
        "Het plan",
        "Instemming",
        "Drieluik",
        "Doelen in beeld",
    ]  # one Instemming, the real one; every heading once
    assert "\n## Instemming\n" in md and md.count("## Instemming") == 1
    # the text is still there, on one line, for a person to read
    assert "Instemming - Oma Wiëbe: akkoord" in "".join(page.text)
    for text in (SCRIPT, INLINE):
        html = RENDERERS["commonmark"].render(markdown(meeting(text)))
        assert "<script" not in html and "<a " not in html and "<code" not in html
        assert "<em>" not in html.replace("<em>(", "")  # only the export's own tag list
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in RENDERERS["commonmark"].render(
        markdown(meeting(SCRIPT))
    )


@settings(max_examples=150, deadline=None, derandomize=True, database=None)
@given(
    st.text(
        st.one_of(st.sampled_from(list("#-+=*_`~[]()<>!&|\\{}$:.) \n\r\t1aQ")), st.characters()),
        max_size=30,
    )
)
def test_any_text_reads_as_typed(text):
    assume(squeeze(text))  # an empty field leaves a line out, which is fine
    assert_reads_as_typed(text)


def test_md_text_keeps_ordinary_text_readable():
    assert md_text("Sem gaat elke dag naar school.") == "Sem gaat elke dag naar school."
    assert (
        md_text("Oma Wiëbe (oma), 2026-12-01 – 2027-01-01!")
        == "Oma Wiëbe (oma), 2026-12-01 – 2027-01-01!"
    )
    assert md_text("  twee\nregels\r\n") == "twee regels"
    assert md_text("1. een") == "1\\. een" and md_text("- x") == "\\- x"


def test_an_empty_drieluik_gives_no_empty_section():
    text = markdown(
        meeting_export({"id": "m1", "title": "Familie De Vries", "date": ""}, {"drieluik": {}})
    )
    assert text.count("## Drieluik") == 1  # the board itself, not an empty summary


def test_the_plan_keeps_no_date_with_a_newline():
    plan = plan_json(
        {
            "info": {"evaluatie": "2027-03-01\n## Instemming"},
            "goals": {"g": {"text": "Doel"}},
            "actions": {"a": {"goal": "g", "wat": "x", "vanaf": "2027-03-01\n"}},
        }
    )
    assert plan["evaluatie"] == "" and plan["goals"][0]["actions"][0]["vanaf"] == ""


def test_a_title_written_into_a_board_document_is_never_used():
    export = meeting("Sem verzuimt")
    for board_id, board in export["boards"].items():
        assert board["title"] == BOARDS[board_id].title
    assert board_json("drieluik", {"meta": {"title": FORGED}})["title"] == "Drieluik"
    assert FORGED not in markdown(export)
    forged = {**board_json("doelen", {}), "title": FORGED}  # even if handed a forged title
    assert FORGED not in board_svg(forged) and "Doelen in beeld" in board_svg(forged)


def test_board_picture_stays_well_formed_xml_with_hostile_text():
    notes = {
        f"n{i}": {"text": t, "zone": "wensen", "authorName": t + ' "Oma" & <x>'}
        for i, t in enumerate(HOSTILE + ["]]> <!-- \x00\x1b\ufffe \ud800 ", "<![CDATA[x]]>"])
    }
    svg = board_svg(board_json("drieluik", {"notes": notes, "meta": {"title": SCRIPT}}))
    root = ET.fromstring(svg.encode("utf-8"))
    ns = "{http://www.w3.org/2000/svg}"
    assert {el.tag for el in root.iter()} == {f"{ns}svg", f"{ns}title", f"{ns}rect", f"{ns}text"}
    assert root.find(f"{ns}title").text == "Drieluik"
    texts = " ".join(el.text or "" for el in root.iter(f"{ns}text"))
    assert "<script>alert(1)</script>" in texts  # shown as text
    assert '"Oma" & <x>' in texts


def test_every_template_is_autoescaped_and_marks_nothing_safe(tmp_path):
    from server.app import create_app
    from server.config import Config

    app = create_app(Config(data_dir=tmp_path / "data"))
    env = app.state.templates.env
    names = env.list_templates()
    assert "plan.html" in names and "_boards.html" in names
    for name in names:
        assert env.autoescape(name) is True, name
        source = Path(env.loader.get_source(env, name)[1]).read_text()
        assert not re.search(r"\|\s*safe\b|autoescape\s+false|Markup\(", source), name


async def test_routes_escape_text_and_use_the_servers_titles(live_server):
    m = await live_server.create_meeting("Netwerkberaad familie De Vries <b>")
    tok, mid = m["tokens"], m["id"]
    r = await live_server.post(
        f"/api/meetings/{mid}/participants",
        tok["familie"],
        {"name": "Oma Wiëbe <img src=x>", "relation": "oma *"},
    )
    assert r.status_code == 201
    dl = await YClient(
        live_server.ws_url(mid, "drieluik", tok["familie"]), role="familie"
    ).connect()
    dl.add_note("n1", HEADING, authorName="Oma Wiëbe", role="familie")
    dl.add_note("n2", SCRIPT, zone="wensen", role="familie")
    dl.add_note("n3", INLINE, zone="plan", role="familie")
    plan = await YClient(live_server.ws_url(mid, "plan", tok["familie"]), role="familie").connect()
    plan.doc.get("goals", type=Map)["g1"] = Map({"text": SCRIPT + HEADING, "order": 1})
    # Another device writes a board title into each document. Whether the server stores or
    # refuses that write (closing that device), no export may show it.
    forgers = []
    for board_id in ("drieluik", "plan"):
        forger = await YClient(
            live_server.ws_url(mid, board_id, tok["familie"]), role="familie"
        ).connect()
        forger.doc.get("meta", type=Map)["title"] = FORGED
        forgers.append(forger)
    for client in (dl, plan):
        assert await client.roundtrip()
    for forger in forgers:
        await forger.roundtrip()  # stored, or refused and closed: either way, done with
    base = f"/api/meetings/{mid}"

    md = (await live_server.get(f"{base}/export.md", tok["familie"])).text
    html = RENDERERS["commonmark"].render(md)
    h2 = [t for tag, t in Html(html).headings if tag == "h2"]
    assert h2.count("Instemming") == 0 and "Drieluik" in h2 and FORGED not in md
    assert "<script" not in html and "<img" not in html and "<a " not in html
    assert "Oma Wiëbe &lt;img src=x&gt;" in html

    export = (await live_server.get(f"{base}/export.json", tok["familie"])).json()
    for board_id, board in export["boards"].items():
        assert board["title"] == BOARDS[board_id].title
    assert [n["text"] for n in export["boards"]["drieluik"]["notes"] if n["id"] == "n2"] == [SCRIPT]
    for board_id in ("drieluik", "plan"):
        board = (await live_server.get(f"{base}/boards/{board_id}", tok["familie"])).json()
        assert board["title"] == BOARDS[board_id].title
        svg = await live_server.get(f"{base}/boards/{board_id}.svg", tok["familie"])
        root = ET.fromstring(svg.content)
        assert root.find("{http://www.w3.org/2000/svg}title").text == BOARDS[board_id].title
        assert FORGED not in svg.text and "<script" not in svg.text

    for path in (f"/j/{tok['familie']}/plan", f"/j/{tok['familie']}/tekst"):
        page = (await live_server.get(path)).text
        assert FORGED not in page
        assert "<script>alert" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
        assert "<b>" not in page and "<img src=x" not in page
    for client in (dl, plan, *forgers):
        await client.close()
