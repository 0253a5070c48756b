"""The steuntabel, the VIP-kaart, the levenslijn and the netwerkvragen as rules and data in
board/: what a cell, a place, a year or an answer may hold (board.schema, judged as the server
judges every update), who sees the VIP-kaart when (board.permissions), a question on the TV
(board.screen), the exports, and that the browser keeps no copy of their words."""

import json
import re
from dataclasses import replace
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from board import levenslijn, netwerkvragen, screen, steuntabel, vipkaart
from board.boards import BOARDS, client_board
from board.export import board_json, board_svg, markdown, meeting_export, plain
from board.model import client_model
from board.permissions import Access, decide, may_show, readable_boards, tabs
from board.roles import Role
from board.schema import Change, refusal
from board.state import MeetingState, enter_step, finish, show

FAM, PRO, FAC, TV = Role.FAMILIE, Role.PROFESSIONAL, Role.FACILITATOR, Role.SCHERM
MINE = ("steuntabel", "vipkaart", "levenslijn", "netwerkvragen")
JS = Path(__file__).resolve().parent.parent / "server" / "static" / "js"


def judge(board: str, *changes: Change, role: Role = FAM) -> str | None:
    reason = refusal(board, role, changes, lambda root, key: None)
    assert reason is None or reason[0].isupper()  # a sentence for a person
    return reason


def add(root: str, key: str, value: dict) -> Change:
    return Change(root, key, None, "add", value)


def put(root: str, key: str, field: str, value) -> Change:
    return Change(root, key, field, "update", value)


# --- the boards exist, drawn from their layouts ------------------------------------------------


def test_the_four_boards_are_in_the_contract_with_their_kinds():
    kinds = {b: BOARDS[b].kind for b in MINE}
    assert kinds == {
        "steuntabel": "support-table",
        "vipkaart": "vip",
        "levenslijn": "timeline",
        "netwerkvragen": "questions",
    }
    for board in MINE:
        cfg = client_board(board)
        json.dumps(cfg)
        assert cfg["layout"] and cfg["explain"]
    assert client_board("vipkaart")["untilShown"] is True
    assert not any(client_board(b)["untilShown"] for b in MINE if b != "vipkaart")


def test_the_startbespreking_has_them_as_tabs():
    boards = client_model("startbespreking", FAM)["boards"]
    assert set(MINE) <= {b["id"] for b in boards}


# --- the steuntabel ---------------------------------------------------------------------------


def test_the_steuntabel_has_the_five_kinds_of_support_as_rows_with_their_explanation():
    layout = client_board("steuntabel")["layout"]
    assert [k["id"] for k in layout["kinds"]] == [
        "emotioneel",
        "informatief",
        "materieel",
        "praktisch",
        "professioneel",
    ]
    assert [k["title"] for k in layout["kinds"]][0] == "Emotionele steun"
    assert all(len(k["explain"]) > 40 for k in layout["kinds"])
    assert [(s["id"], s["label"]) for s in layout["scores"]] == [
        ("++", "Veel steun"),
        ("+", "Steun"),
        ("+-", "Wisselend"),
        ("-", "Weinig steun"),
        ("--", "Geen steun"),
    ]


@pytest.mark.parametrize("score", steuntabel.SCORE_IDS)
def test_a_cell_takes_each_of_the_five_scores(score):
    assert judge("steuntabel", add("members", "p1", {"emotioneel": score, "createdAt": 1})) is None
    assert judge("steuntabel", put("members", "p1", "praktisch", score)) is None


@pytest.mark.parametrize("value", ["+++", "veel", "", " +", 2, True, None, ["++"], "-+"])
def test_a_cell_takes_nothing_but_the_five_scores(value):
    assert judge("steuntabel", put("members", "p1", "emotioneel", value)) is not None
    assert judge("steuntabel", add("members", "p1", {"emotioneel": value})) is not None


def test_a_cell_can_be_emptied_and_a_column_taken_out():
    assert judge("steuntabel", Change("members", "p1", "emotioneel", "delete", None)) is None
    assert judge("steuntabel", Change("members", "p1", None, "delete", None)) is None


def test_the_steuntabel_knows_no_other_kind_or_part():
    assert judge("steuntabel", put("members", "p1", "financieel", "++")) is not None
    assert judge("steuntabel", add("cells", "x", {"emotioneel": "++"})) is not None


def test_columns_in_order_and_only_real_scores_in_cells():
    content = {
        "members": {
            "b": {"order": 2, "emotioneel": "++", "praktisch": "heel veel"},
            "a": {"order": 1, "informatief": "+-"},
            "c": {"createdAt": 5},
            "d": "kapot",
        }
    }
    assert steuntabel.members(content) == ["a", "b", "c"]  # "d" is no column
    cells = steuntabel.cells(content)
    assert cells["b"] == {"emotioneel": "++"} and cells["a"] == {"informatief": "+-"}
    assert cells["c"] == {} and "d" not in cells
    assert steuntabel.givers(content, "emotioneel") == [("b", "++")]
    assert steuntabel.is_score("--") and not steuntabel.is_score("---")


# --- the VIP-kaart ----------------------------------------------------------------------------


def test_the_vip_kaart_has_ten_places_and_refuses_an_eleventh():
    assert len(vipkaart.PLACES) == vipkaart.MAX_VIPS == 10
    for place in vipkaart.PLACES:
        assert judge("vipkaart", add("vips", place, {"person": "p" + place})) is None
    for key in ("11", "0", "p1", "", "10 "):
        reason = judge("vipkaart", add("vips", key, {"person": "p11"}))
        assert reason == vipkaart.FULL
        assert judge("vipkaart", put("vips", key, "person", "p11")) == vipkaart.FULL
    assert judge("vipkaart", Change("vips", "11", None, "delete", None)) is None  # nothing there


def test_a_vip_s_contact_and_change_are_chosen_from_the_card_s_answers():
    ok = {"person": "p1", "contact": "goed", "change": "ja", "changeText": "Vaker langs"}
    assert judge("vipkaart", add("vips", "3", ok)) is None
    assert judge("vipkaart", put("vips", "3", "contact", "super")) is not None
    assert judge("vipkaart", put("vips", "3", "change", "misschien")) is not None
    assert judge("vipkaart", put("info", "about", "about", "x")) is not None  # a RECORD map
    assert judge("vipkaart", Change("info", "about", None, "add", "p1")) is None


def test_free_place_and_who_may_still_be_put_on_the_card():
    assert vipkaart.free_place([]) == "1"
    assert vipkaart.free_place(["1", "2", "4"]) == "3"
    full = {p: {"person": f"p{p}"} for p in vipkaart.PLACES}
    assert vipkaart.free_place(full) is None
    assert vipkaart.may_add(full, "nieuw") == vipkaart.FULL
    assert vipkaart.may_add({"1": {"person": "oma"}}, "oma") is not None
    assert vipkaart.may_add({"1": {"person": "oma"}}, "opa") is None


def test_the_card_as_read_each_person_once_only_known_answers():
    content = {
        "vips": {
            "2": {"person": "oma", "contact": "goed", "contactText": "We bakken samen"},
            "1": {"person": "juf", "contact": "heel goed", "change": "ja"},
            "5": {"person": "oma"},
            "11": {"person": "stiekem"},
        },
        "info": {"about": "sem"},
    }
    vips = vipkaart.vips(content)
    assert [v["person"] for v in vips] == ["juf", "oma"]
    assert vips[0]["contact"] == "" and vips[0]["change"] == "ja"
    assert vips[1]["contactText"] == "We bakken samen"
    assert vipkaart.about(content) == "sem"


OPEN = MeetingState(script="startbespreking")
SHOWN = show(OPEN, "vipkaart", True)


def test_professionals_and_the_tv_get_nothing_of_the_card_until_it_is_shown():
    assert SHOWN is not None and SHOWN.shown == frozenset({"vipkaart"})
    for state in (OPEN, finish(OPEN), replace(OPEN, posting_open=True)):
        assert decide(PRO, "vipkaart", state) is Access.NONE
        assert decide(TV, "vipkaart", state) is Access.NONE
        assert "vipkaart" not in readable_boards(PRO, state)
    assert decide(PRO, "vipkaart", SHOWN) is Access.READ  # shown: read, never write
    assert decide(TV, "vipkaart", SHOWN) is Access.READ
    assert decide(PRO, "vipkaart", replace(SHOWN, closed=True)) is Access.NONE  # closed part


def test_the_family_and_the_facilitator_write_the_card_in_any_step():
    for state in (OPEN, SHOWN, replace(OPEN, closed=True)):
        for step in ("welkom", "perspectief", "samenvatting"):
            assert decide(FAM, "vipkaart", enter_step(state, step)) is Access.WRITE
            assert decide(FAC, "vipkaart", enter_step(state, step)) is Access.WRITE
    assert decide(FAM, "vipkaart", replace(OPEN, locked=frozenset({"vipkaart"}))) is Access.READ
    assert decide(FAM, "vipkaart", finish(OPEN)) is Access.READ


def test_only_the_family_and_the_facilitator_choose_whether_it_is_shown():
    assert {r for r in Role if may_show(r)} == {FAC, FAM}
    assert client_model("startbespreking", FAM)["mayShow"] is True
    assert client_model("startbespreking", PRO)["mayShow"] is False


def test_showing_and_hiding_only_the_card():
    assert show(SHOWN, "vipkaart", False) == OPEN
    assert show(OPEN, "steuntabel", True) is None  # not a board the family decides on
    assert show(OPEN, "geheim", True) is None


def test_the_card_is_a_tab_for_professionals_and_the_tv_shown_or_not():
    # It appears there once shown; until then their screen says whose it is.
    for role in Role:
        assert "vipkaart" in tabs(role, "startbespreking")


def test_the_other_boards_follow_the_steps_and_the_closed_part():
    closed = replace(OPEN, closed=True)
    for board in ("steuntabel", "levenslijn", "netwerkvragen"):
        assert decide(PRO, board, OPEN) is Access.WRITE  # "welkom": everyone writes
        assert decide(TV, board, OPEN) is Access.READ
        assert decide(PRO, board, closed) is Access.NONE
        assert decide(FAM, board, closed) is Access.WRITE


# --- the levenslijn ---------------------------------------------------------------------------


def test_an_event_is_short_dated_and_fine_or_hard():
    event = {"line": "l1", "year": 2016, "text": "Naar groep 3", "tone": "positief", "people": []}
    assert judge("levenslijn", add("events", "e1", event)) is None
    assert judge("levenslijn", put("events", "e1", "tone", "neutraal")) is not None
    assert judge("levenslijn", put("events", "e1", "text", "x" * 141)) is not None
    for year in (1899, 2101, float("inf"), "2016", True):
        assert judge("levenslijn", put("events", "e1", "year", year)) is not None
    assert judge("levenslijn", put("lines", "l1", "born", 1850)) is not None
    assert judge("levenslijn", put("lines", "l1", "born", 2014)) is None
    people = [f"p{i}" for i in range(levenslijn.MAX_EVENT_PEOPLE + 1)]
    assert judge("levenslijn", put("events", "e1", "people", people)) is not None


def test_lines_side_by_side_share_their_years():
    content = {
        "lines": {
            "kind": {"person": "sem", "born": 2014, "order": 1},
            "moeder": {"person": "anja", "born": 1988, "order": 0},
        },
        "events": {
            "a": {"line": "kind", "year": 2020, "text": "Naar het pleeggezin", "tone": "negatief"},
            "b": {"line": "kind", "year": 2016, "text": "Zwemdiploma A", "tone": "positief"},
            "c": {"line": "kind", "text": "Zonder jaar"},
            "d": {"line": "moeder", "year": 2014, "text": "Sem geboren", "people": ["sem", 3]},
        },
    }
    assert [line["person"] for line in levenslijn.lines(content)] == ["anja", "sem"]
    events = levenslijn.events(content, "kind")
    assert [e["text"] for e in events] == ["Zwemdiploma A", "Naar het pleeggezin", "Zonder jaar"]
    assert events[2]["year"] is None and events[2]["tone"] == ""
    assert levenslijn.events(content, "moeder")[0]["people"] == ["sem"]
    assert levenslijn.years(content, 2026) == [1988, 2014, 2016, 2020, 2026]


# --- the netwerkvragen ------------------------------------------------------------------------


def test_the_twenty_questions_and_the_support_questions():
    first, *support = netwerkvragen.GROUPS
    assert len(first.questions) == 20
    assert first.questions[16][1] == "Wie komt er op je verjaardag?"
    assert [g.id for g in support] == [
        "emotioneel",
        "cognitief",
        "waardering",
        "normatief",
        "sociaal",
        "praktisch",
    ]
    assert len(set(netwerkvragen.QUESTION_IDS)) == len(netwerkvragen.QUESTION_IDS) == 20 + 26


def test_an_answer_belongs_to_a_question_of_the_list():
    ok = {"question": "n17", "person": "oma", "createdAt": 1}
    assert judge("netwerkvragen", add("answers", "a1", ok)) is None
    assert judge("netwerkvragen", put("answers", "a1", "question", "n21")) is not None
    assert judge("netwerkvragen", put("answers", "a1", "text", "x" * 201)) is not None


def test_the_next_and_previous_question():
    assert netwerkvragen.neighbour(None, 1) == "n1"
    assert netwerkvragen.neighbour("n20", 1) == "emotioneel-1"
    assert netwerkvragen.neighbour("n1", -1) is None
    assert netwerkvragen.neighbour(netwerkvragen.QUESTION_IDS[-1], 1) is None


def test_one_question_on_the_tv_until_the_step_changes():
    state = MeetingState(script="startbespreking", phase="netwerk")
    on = screen.show_question(screen.Screen(), state, "n4")
    assert on.question == "n4" and on.board is None
    sent = screen.show(on, state, "steuntabel")
    assert sent.question == "n4"  # above whatever board the TV shows
    assert screen.follow_step(sent).question == "n4"
    assert screen.after_change(sent, state, replace(state, closed=True)).question == "n4"
    assert screen.after_change(sent, state, enter_step(state, "perspectief")).question is None
    assert screen.show_question(on, state, None).question is None
    kept = screen.to_verloop(on)
    assert kept["question"] == "n4" and screen.from_verloop(kept) == on
    assert screen.from_verloop({**kept, "question": "n99"}).question is None
    with pytest.raises(screen.NotForTheScreen):
        screen.show_question(on, state, "n99")
    with pytest.raises(screen.NotForTheScreen):  # a meeting without the questions
        screen.show_question(screen.Screen(), MeetingState(), "n4")


def test_the_tv_cannot_be_sent_to_the_card_until_it_is_shown():
    state = MeetingState(script="startbespreking")
    with pytest.raises(screen.NotForTheScreen):
        screen.show(screen.Screen(), state, "vipkaart")
    shown = show(state, "vipkaart", True)
    on = screen.show(screen.Screen(), shown, "vipkaart")
    assert on.board == "vipkaart"
    # hidden again: the TV goes back to following the step
    assert screen.after_change(on, shown, state).board is None


# --- the exports ------------------------------------------------------------------------------

PEOPLE = {
    "people": {
        "oma": {"name": "Oma Wiëbe", "relation": "oma", "sector": "familie"},
        "kees": {"name": "Kees *de buurman*", "relation": "buurman", "sector": "vrienden"},
        "sem": {"name": "Sem", "relation": "kind", "sector": "familie"},
    }
}
CONTENT = {
    "steuntabel": {
        "members": {
            "oma": {"emotioneel": "++", "praktisch": "+-", "order": 1},
            "kees": {"praktisch": "++", "materieel": "--", "order": 2},
            "weg": {"emotioneel": "++", "order": 3},  # no longer on the list
        }
    },
    "vipkaart": {
        "vips": {
            "1": {"person": "oma", "contact": "goed", "contactText": "We bakken <b>taart</b>"},
            "2": {"person": "kees", "contact": "nietgoed", "change": "ja", "changeText": "Minder"},
        },
        "info": {"about": "sem"},
    },
    "levenslijn": {
        "lines": {"l": {"person": "sem", "born": 2014}},
        "events": {"e": {"line": "l", "year": 2020, "text": "# Verhuisd", "tone": "negatief"}},
    },
    "netwerkvragen": {
        "answers": {
            "a": {"question": "n17", "person": "oma", "createdAt": 1},
            "b": {"question": "n17", "text": "de juf | meester", "createdAt": 2},
        }
    },
}


def _export():
    meeting = {"id": "m", "title": "Familie De Vries", "script": "startbespreking"}
    return meeting_export(meeting, {"mensen": PEOPLE, **CONTENT})


def test_board_json_refers_to_people_by_id():
    table = board_json("steuntabel", CONTENT["steuntabel"])
    assert [m["person"] for m in table["members"]] == ["oma", "kees", "weg"]
    assert table["members"][0]["cells"] == {"emotioneel": "++", "praktisch": "+-"}
    assert len(table["kinds"]) == 5 and len(table["scores"]) == 5
    vip = board_json("vipkaart", CONTENT["vipkaart"])
    assert vip["about"] == "sem" and [v["person"] for v in vip["vips"]] == ["oma", "kees"]
    line = board_json("levenslijn", CONTENT["levenslijn"])["lines"][0]
    assert line["born"] == 2014 and line["events"][0]["text"] == "# Verhuisd"
    answers = board_json("netwerkvragen", CONTENT["netwerkvragen"])["answers"]
    assert [(a["question"], a["person"], a["text"]) for a in answers] == [
        ("n17", "oma", ""),
        ("n17", "", "de juf | meester"),
    ]


def test_the_readable_exports_name_people_and_escape_what_was_typed():
    md = markdown(_export())
    for title in ("## Steuntabel", "## VIP-kaart", "## Levenslijn", "## Netwerkvragen"):
        assert title in md
    assert "- Kees \\*de buurman\\* (buurman): ++ veel steun" in md
    assert "Wat betekenen de tekens?" in md and "– – = geen steun" in md
    assert "weg" not in md.split("## Steuntabel")[1].split("##")[0]  # not on the list
    assert "We bakken \\<b\\>taart\\</b\\>" in md and "De kaart van Sem." in md
    assert "- 2020: \\# Verhuisd — moeilijk" in md
    assert "### Wie komt er op je verjaardag?" in md and "de juf \\| meester" in md
    html = MarkdownIt("commonmark").enable("table").render(md)
    assert "<b>" not in html and "<h1>Verhuisd" not in html
    text = plain(_export())
    assert "Kees *de buurman* (buurman): ++ veel steun" in text
    # the card's order says nothing: by name
    vip = text.split("VIP-kaart")[1]
    assert vip.index("Kees") < vip.index("Oma")


def test_the_steuntabel_picture_is_a_table_with_the_legend():
    svg = board_svg(board_json("steuntabel", CONTENT["steuntabel"]), None, PEOPLE)
    assert svg.startswith("<svg") and "<title>Steuntabel</title>" in svg
    assert svg.count('class="kind"') == 5 and svg.count('class="score"') == 10
    assert ">Oma Wiëbe<" in svg and ">Kees *de<" in svg and ">buurman*<" in svg  # 2 lines
    assert ">weg<" not in svg
    for label in ("Veel steun", "Steun", "Wisselend", "Weinig steun", "Geen steun"):
        assert f">{label}</text>" in svg
    assert "Wat betekenen de tekens?" in svg


@pytest.mark.parametrize("board", MINE)
def test_each_board_has_a_picture_that_escapes_what_was_typed(board):
    evil = {"people": {**PEOPLE["people"], "oma": {"name": "<script>x</script>"}}}
    svg = board_svg(board_json(board, CONTENT[board]), None, evil)
    assert svg.startswith("<svg") and svg.endswith("</svg>")
    assert "<script>" not in svg
    empty = board_svg(board_json(board, {}), None, PEOPLE)
    assert "Hier staat nog niets op." in empty or board == "vipkaart"


# --- the browser keeps no copy --------------------------------------------------------------


def test_the_browser_keeps_no_copy_of_these_boards_words():
    source = "\n".join(p.read_text() for p in sorted(JS.glob("*.js")))
    words = [k.title for k in steuntabel.KINDS] + [k.explain for k in steuntabel.KINDS]
    words += [s.label for s in steuntabel.SCORES if s.label != "Steun"]
    words += [c.label for c in (*vipkaart.CONTACTS, *vipkaart.CHANGES)]
    words += [vipkaart.FULL, vipkaart.EXPLAIN, levenslijn.EXPLAIN, netwerkvragen.EXPLAIN]
    words += [t.label for t in levenslijn.TONES] + list(netwerkvragen.QUESTIONS.values())
    # (the genogram asks "Hoe is het contact?" of its own: not a copy of the card's question)
    words += [
        str(v) for k, v in vipkaart.LAYOUT.items() if isinstance(v, str) and k != "contactQuestion"
    ]
    for layout in (steuntabel.LAYOUT, levenslijn.LAYOUT):
        words += [v for v in layout.values() if isinstance(v, str)]
    # as a string in the code (a comment may quote a question)
    found = [w for w in words if re.search(rf"""['"`]{re.escape(w)}['"`]""", source)]
    assert not found, f"static/js holds copies of board/'s words: {found}"
    ids = [*steuntabel.SCORE_IDS[:1], *vipkaart.CONTACT_IDS, *levenslijn.TONE_IDS, "n17"]
    quoted = [i for i in ids if re.search(rf"""['"]{re.escape(i)}['"]""", source)]
    assert not quoted, f"static/js names board/'s ids: {quoted}"
