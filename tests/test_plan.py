"""The plan model and the exports, without a server."""

import xml.dom.minidom

from board.export import board_json, board_svg, markdown, meeting_export
from board.plan import STATUSES, plan_json, progress

PLAN = {
    "goals": {
        "g2": {"text": "Sem sport twee keer per week", "order": 2, "tags": ["vooruitzicht"]},
        "g1": {
            "text": "Sem gaat elke dag naar school",
            "order": 1,
            "tags": ["voorwaardelijk", 3],
            "hulpNetwerk": "Opa rijdt op dinsdag",
        },
    },
    "actions": {
        "a2": {
            "goal": "g1",
            "wat": "Wekker zetten",
            "wie": "Mama Lisa",
            "order": 2,
            "status": "bezig",
            "vanaf": "2026-12-01",
            "tot": "niet-een-datum",
        },
        "a1": {
            "goal": "g1",
            "wat": "Afspraak met de juf",
            "wie": "Oma Wiëbe",
            "order": 1,
            "status": "verzonnen",
        },
        "a3": {"goal": "weg", "wat": "Hoort bij geen doel"},
    },
    "team": {"t1": {"name": "Oma Wiëbe"}, "t2": {"name": "Aïsha"}, "t3": {"name": 5}},
    "info": {"evaluatie": "2027-03-01"},
}


def test_plan_orders_goals_and_actions_and_cleans_values():
    plan = plan_json(PLAN)
    assert [g["text"] for g in plan["goals"]] == [
        "Sem gaat elke dag naar school",
        "Sem sport twee keer per week",
    ]
    first = plan["goals"][0]
    assert first["tags"] == ["voorwaardelijk"]
    assert [a["wat"] for a in first["actions"]] == ["Afspraak met de juf", "Wekker zetten"]
    assert first["actions"][0]["status"] == "nog-niet"  # unknown status falls back
    assert first["actions"][1]["vanaf"] == "2026-12-01" and first["actions"][1]["tot"] == ""
    assert first["hulpNetwerk"] == "Opa rijdt op dinsdag"
    assert plan["team"] == ["Aïsha", "Oma Wiëbe"]
    assert plan["evaluatie"] == "2027-03-01"
    assert progress(plan) == {"nog-niet": 1, "bezig": 1, "gelukt": 0, "loopt-niet": 0}
    assert set(STATUSES) == {"nog-niet", "bezig", "gelukt", "loopt-niet"}


def test_an_empty_or_garbled_plan_does_not_break():
    assert plan_json({}) == {"goals": [], "team": [], "evaluatie": ""}
    assert (
        plan_json({"goals": {"x": "geen map"}, "actions": [], "team": None})["goals"][0]["text"]
        == ""
    )


COURSE = {
    "state": {
        "participants": {
            "p1": {"name": "Oma Wiëbe", "relation": "oma", "role": "familie"},
            "p2": {"name": "Aïsha", "relation": "jeugdbeschermer", "role": "professional"},
        },
        "consent": {
            "p1": {"name": "Oma Wiëbe", "role": "familie", "agree": True, "comment": ""},
            "p2": {
                "name": "Aïsha",
                "role": "professional",
                "agree": False,
                "comment": "Eerst de weekenden",
            },
        },
    }
}
DRIELUIK = {
    "groups": {"g": {"zone": "zorgen", "title": "School", "y": 0.5}},
    "notes": {"n": {"text": "Sem verzuimt", "zone": "zorgen", "group": "g"}},
    "statements": {"ergste": "Sem moet van school", "wens": "Sem woont weer thuis"},
}
FAMILIE = {"notes": {"f": {"text": "Alleen voor de familie", "zone": "afspraken"}}}
MEETING = {"id": "m1", "title": "Netwerkberaad familie De Vries", "date": "23 november 2026"}


def test_meeting_export_and_markdown_hold_plan_consent_and_themes():
    export = meeting_export(MEETING, {"verloop": COURSE, "plan": PLAN, "drieluik": DRIELUIK})
    assert [p["name"] for p in export["participants"]] == ["Aïsha", "Oma Wiëbe"]
    assert export["drieluik"]["themes"]["zorgen"] == ["School"]
    text = markdown(export)
    for expected in (
        "# Netwerkberaad familie De Vries",
        "### Sem gaat elke dag naar school",
        "**Wekker zetten** — Mama Lisa, vanaf 1 december 2026 — Bezig",
        "- Aïsha: niet akkoord — “Eerst de weekenden”",
        "- Thema: **School**\n  - Sem verzuimt",  # the theme, its notes under it
        "Het ergste dat kan gebeuren: **Sem moet van school**",
        "We evalueren op 1 maart 2027.",
    ):
        assert expected in text, expected


def test_export_contains_only_the_boards_it_was_given():
    without = meeting_export(MEETING, {"verloop": COURSE, "drieluik": DRIELUIK})
    assert "familie" not in without["boards"] and "Alleen voor de familie" not in markdown(without)
    with_ws = meeting_export(MEETING, {"verloop": COURSE, "familie": FAMILIE})
    assert "Alleen voor de familie" in markdown(with_ws)


def test_board_picture_is_valid_svg_with_escaped_text():
    board = board_json(
        "drieluik",
        {
            "notes": {
                "n1": {
                    "text": "<script>alert(1)</script> & \x00 Oma Wiëbe",
                    "zone": "wensen",
                    "authorName": "Eliëtte",
                    "color": "groen",
                }
            }
        },
    )
    svg = board_svg(board)
    xml.dom.minidom.parseString(svg)  # well-formed
    assert "<script>" not in svg and "&lt;script&gt;" in svg and "Oma Wiëbe" in svg
    assert svg.count('<rect class="note"') == 1
