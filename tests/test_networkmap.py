"""The meeting's people and the ecogram, sociogram and genogram (board/networkmap.py): their
layouts as data, the rules that say which records count, the shape the server checks
(board/schema.py), the exports (JSON, Markdown, text, SVG) and that the browser keeps no copy."""

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from board import networkmap as nm
from board.boards import BOARDS, HELP_KINDS, client_board
from board.export import board_json, board_svg, has_picture, markdown, meeting_export, plain
from board.roles import Role
from board.schema import Change, refusal

JS = Path(__file__).resolve().parent.parent / "server" / "static" / "js"
NETWORK = ("mensen", "ecogram", "sociogram", "genogram")
FAM = Role.FAMILIE

PEOPLE = {
    "p-oma": {"name": "Oma Wiëbe", "relation": "oma", "sector": "familie", "createdAt": 1},
    "p-opa": {"name": "Opa Henk", "relation": "opa", "sector": "familie", "createdAt": 2},
    "p-mama": {"name": "Mama Lisa", "relation": "moeder", "sector": "familie", "createdAt": 3},
    "p-fatma": {"name": "Buurvrouw Fatma", "relation": "buur", "sector": "vrienden"},
    "p-aisha": {"name": "Aïsha", "relation": "jeugdbeschermer", "sector": "professionals"},
    "p-leeg": {"name": "  ", "sector": "familie"},  # no name: does not count
    "p-raar": {"name": "Zus Noor", "sector": "buitenaards"},  # unknown part: the first
}
MENSEN = {"people": PEOPLE}


def place(person, ring="dichtbij", sector="familie", about="kind", a=0.5, r=0.5, at=1):
    return {"about": about, "person": person, "ring": ring, "sector": sector, "a": a, "r": r,
            "createdAt": at}  # fmt: skip


# --- the layouts: the drawing's numbers add up --------------------------------------------------


def test_the_three_sectors_go_once_around_the_circle():
    spans = [(s["from"], s["to"]) for s in nm.SECTORS]
    assert all(a < b for a, b in spans)
    assert all(spans[i][1] == spans[i + 1][0] for i in range(len(spans) - 1))
    assert spans[-1][1] - spans[0][0] == 360
    assert [s["id"] for s in nm.SECTORS] == ["familie", "vrienden", "professionals"]


def test_the_rings_go_from_the_middle_to_the_big_circle():
    assert nm.RINGS[0]["inner"] == nm.CENTER and nm.RINGS[-1]["outer"] == 1.0
    assert all(nm.RINGS[i]["outer"] == nm.RINGS[i + 1]["inner"] for i in range(len(nm.RINGS) - 1))
    assert [r["id"] for r in nm.RINGS] == ["dichtbij", "verder"]  # inner: close, outer: further


@pytest.mark.parametrize("ring", nm.RING_IDS)
@pytest.mark.parametrize("sector", nm.SECTOR_IDS)
def test_a_name_is_always_drawn_inside_its_own_region(ring, sector):
    # whatever a device wrote: out of range, not a number, missing
    for a in (-5, 0, 0.01, 0.5, 0.99, 1, 7, float("nan"), None, "x", True):
        for r in (-1, 0, 0.5, 1, 3, None):
            x, y = nm.ecogram_point(ring, sector, a, r)
            assert nm.ecogram_region(x, y) == (ring, sector), (a, r)


def test_the_middle_and_outside_the_circle_are_no_region():
    assert nm.ecogram_region(0, 0) is None
    assert nm.ecogram_region(0, -nm.CENTER / 2) is None
    assert nm.ecogram_region(1.2, 0) is None
    assert nm.ecogram_region(0, -0.5) == ("dichtbij", "familie")  # straight up: familie
    assert nm.ecogram_region(0.7, 0.5) == ("verder", "vrienden")
    assert nm.ecogram_region(-0.7, 0.5) == ("verder", "professionals")


def test_every_network_board_has_a_kind_a_layout_and_an_explanation():
    for board_id in NETWORK:
        cfg = client_board(board_id)
        json.dumps(cfg)  # it goes into the page as JSON
        assert cfg["kind"] != "notes" and cfg["layout"] and cfg["explain"]
        assert has_picture(board_id)
    assert client_board("ecogram")["layout"]["rings"][0]["title"] == "Dichtbij"
    support = client_board("sociogram")["layout"]["support"]
    assert [k["id"] for k in support["kinds"]] == list(HELP_KINDS)  # one list of kinds
    assert "{naam}" in support["ask"]
    for q in nm.SOCIOGRAM_QUESTIONS:  # asked in the first person, about the person named
        assert "{naam}" in q["ask"] and re.search(r"\b(mij|ik)\b", q["ask"] + support["ask"])


# --- the rules ----------------------------------------------------------------------------------


def test_the_people_list_in_parts_then_by_name():
    people = nm.people_list(MENSEN)
    assert [(p["name"], p["sector"]) for p in people] == [
        ("Mama Lisa", "familie"),
        ("Oma Wiëbe", "familie"),
        ("Opa Henk", "familie"),
        ("Zus Noor", "familie"),
        ("Buurvrouw Fatma", "vrienden"),
        ("Aïsha", "professionals"),
    ]
    assert nm.people_list({"people": "geen kaart"}) == []


def test_one_record_per_person_or_pair_and_map_whichever_device_adds_it():
    assert nm.record_id("kind", "p1") == "kind-p1"
    assert nm.record_id("kind", "p2", "p1") == nm.record_id("kind", "p1", "p2")


def test_the_ecogram_keeps_what_counts_once_per_person_and_map():
    content = {
        "placements": {
            "kind-p-oma": place("p-oma", "verder", at=5),
            "twee": place("p-oma", "dichtbij", at=9),  # a second one: the newest counts
            "kind-p-fatma": place("p-fatma", "dichtbij", "vrienden", a=-3, r=12),
            "kind-p-aisha": place("p-aisha", "verder", "professionals"),
            "ouders-p-mama": place("p-mama", about="ouders"),
            "weg": place("p-weg"),  # no longer on the list
            "ring": place("p-opa", ring="heel-ver"),
            "about": place("p-opa", about="buren"),
            "kapot": "geen kaart",
        }
    }
    maps = {m["about"]: m for m in nm.ecogram_maps(content, nm.people_of(MENSEN))}
    assert list(maps) == ["kind", "ouders", "pleeggezin"]
    kid = maps["kind"]["placements"]
    assert [(p["name"], p["ring"], p["sector"]) for p in kid] == [
        ("Oma Wiëbe", "dichtbij", "familie"),
        ("Buurvrouw Fatma", "dichtbij", "vrienden"),
        ("Aïsha", "verder", "professionals"),
    ]
    assert kid[0]["id"] == "twee"
    fatma = kid[1]
    assert (fatma["a"], fatma["r"]) == (nm.MARGIN, 1 - nm.MARGIN)  # kept inside its region
    assert nm.ecogram_region(fatma["x"], fatma["y"]) == ("dichtbij", "vrienden")
    assert [p["person"] for p in maps["ouders"]["placements"]] == ["p-mama"]
    assert maps["pleeggezin"]["placements"] == []
    # Without the people list (the board's own JSON): ids, and whoever they are.
    plain_maps = nm.ecogram_maps(content)
    assert {p["person"] for p in plain_maps[0]["placements"]} == {
        "p-oma",
        "p-fatma",
        "p-aisha",
        "p-weg",
    }
    assert "name" not in plain_maps[0]["placements"][0]


def test_the_sociogram_by_group_then_name_with_known_kinds_of_support():
    content = {
        "rows": {
            "kind-p-fatma": {
                "about": "kind",
                "person": "p-fatma",
                "contact": " Goed ",
                "steun": ["praktisch", "emotioneel", "praktisch", 3],
            },  # fmt: skip
            "kind-p-oma": {
                "about": "kind",
                "person": "p-oma",
                "oplevert": "Oma kent mij",
                "steun": ["vliegen"],
            },  # fmt: skip
            "kind-p-weg": {"about": "kind", "person": "p-weg"},
            "x": {"about": "niemand", "person": "p-oma"},
        }
    }
    tables = nm.sociogram_tables(content, nm.people_of(MENSEN), HELP_KINDS)
    rows = tables[0]["rows"]
    assert [(r["name"], r["group"]) for r in rows] == [
        ("Oma Wiëbe", "familie"),
        ("Buurvrouw Fatma", "vrienden"),
    ]
    assert rows[1]["contact"] == "Goed" and rows[1]["steun"] == ["praktisch", "emotioneel"]
    assert rows[0]["steun"] == [] and rows[0]["contact"] == ""
    assert tables[1]["rows"] == tables[2]["rows"] == []


def test_the_genogram_draws_lines_between_members_of_one_tree_only():
    def member(person, generation, about="kind", **extra):
        return {"about": about, "person": person, "generation": generation, **extra}

    content = {
        "members": {
            "kind-p-opa": member("p-opa", "grootouders", x=0.2, overleden="ja"),
            "kind-p-oma": member("p-oma", "grootouders", x=0.8),
            "kind-p-mama": member("p-mama", "ouders"),
            "ouders-p-fatma": member("p-fatma", "ouders", about="ouders"),
            "rij": member("p-aisha", "achterkleinkinderen"),
        },
        "relations": {
            "kind-p-oma-p-opa": {
                "about": "kind",
                "a": "p-opa",
                "b": "p-oma",
                "kind": "uit-elkaar",
                "quality": "wisselend",
                "createdAt": 1,
            },  # fmt: skip
            # the same pair the other way round, later: one line per pair, the newest
            "dubbel": {
                "about": "kind",
                "a": "p-oma",
                "b": "p-opa",
                "kind": "getrouwd",
                "quality": "raar",
                "createdAt": 2,
            },  # fmt: skip
            "kind-p-mama-p-oma": {
                "about": "kind",
                "a": "p-oma",
                "b": "p-mama",
                "kind": "ouder-kind",
                "quality": "gebroken",
            },  # fmt: skip
            "andere-boom": {"about": "kind", "a": "p-mama", "b": "p-fatma", "kind": "broer-zus"},
            "zelf": {"about": "kind", "a": "p-mama", "b": "p-mama", "kind": "broer-zus"},
            "soort": {"about": "kind", "a": "p-opa", "b": "p-mama", "kind": "buren"},
            "geen-tekst": {"about": "kind", "a": ["p-opa"], "b": "p-mama", "kind": "broer-zus"},
        },
    }
    trees = {t["about"]: t for t in nm.genogram_trees(content, nm.people_of(MENSEN))}
    kid = trees["kind"]
    assert [(m["name"], m["generation"], m["deceased"]) for m in kid["members"]] == [
        ("Opa Henk", "grootouders", True),
        ("Oma Wiëbe", "grootouders", False),
        ("Mama Lisa", "ouders", False),
    ]
    assert [(r["kind"], r["quality"]) for r in kid["relations"]] == [
        ("getrouwd", ""),  # the newest of the pair; a quality nobody knows reads as none
        ("ouder-kind", "gebroken"),
    ]
    assert [m["person"] for m in trees["ouders"]["members"]] == ["p-fatma"]
    assert trees["ouders"]["relations"] == []


# --- the shape the server checks --------------------------------------------------------------


def judge(board: str, *changes: Change) -> str | None:
    return refusal(board, FAM, changes, lambda root, key: None)


def add(root: str, key: str, value) -> Change:
    return Change(root, key, None, "add", value)


@pytest.mark.parametrize(
    "board,root,record",
    [
        ("ecogram", "placements", place("p-oma")),
        (
            "sociogram",
            "rows",
            {
                "about": "ouders",
                "person": "p-oma",
                "contact": "Goed",
                "oplevert": "Rust",
                "steun": ["emotioneel"],
                "createdAt": 1,
            },
        ),  # fmt: skip
        (
            "genogram",
            "members",
            {
                "about": "kind",
                "person": "p",
                "generation": "ouders",
                "x": 0.5,
                "overleden": "ja",
                "createdAt": 1,
            },
        ),  # fmt: skip
        (
            "genogram",
            "relations",
            {
                "about": "kind",
                "a": "p",
                "b": "q",
                "kind": "getrouwd",
                "quality": "",
                "createdAt": 1,
            },
        ),  # fmt: skip
        (
            "mensen",
            "people",
            {
                "name": "Oma",
                "relation": "oma",
                "sector": "vrienden",
                "role": "familie",
                "createdAt": 1,
            },
        ),  # fmt: skip
    ],
)
def test_the_server_takes_records_of_the_board_s_shape(board, root, record):
    assert judge(board, add(root, "r1", record)) is None
    for name, value in record.items():  # and each field on its own
        assert judge(board, Change(root, "r1", name, "update", value)) is None


@pytest.mark.parametrize(
    "board,root,field,value",
    [
        ("ecogram", "placements", "ring", "heel-ver-weg"),
        ("ecogram", "placements", "sector", "buren"),
        ("ecogram", "placements", "about", "de-hond"),
        ("ecogram", "placements", "a", "midden"),
        ("ecogram", "placements", "person", "x" * 201),
        ("ecogram", "placements", "kleur", "rood"),  # a field the board does not know
        ("sociogram", "rows", "steun", ["vliegen"]),
        ("sociogram", "rows", "steun", "emotioneel"),
        ("sociogram", "rows", "contact", "x" * 1001),
        ("genogram", "members", "generation", "achterkleinkinderen"),
        ("genogram", "members", "overleden", "misschien"),
        ("genogram", "relations", "kind", "buren"),
        ("genogram", "relations", "quality", "super"),
        ("mensen", "people", "sector", "buitenaards"),
    ],
)
def test_the_server_refuses_what_is_outside_the_shape(board, root, field, value):
    reason = judge(board, Change(root, "r1", field, "update", value))
    assert reason and reason[0].isupper()


def test_no_other_top_level_maps_on_the_network_boards():
    assert judge("ecogram", add("notes", "n1", {"text": "x"})) is not None
    assert judge("genogram", add("placements", "x", place("p"))) is not None


# --- the exports -----------------------------------------------------------------------------

INJECTION = "# Kop <b>vet</b> [link](http://x) & ]]>"


def contents() -> dict[str, dict]:
    people = {**PEOPLE, "p-rare": {"name": INJECTION, "relation": "*buur*", "sector": "vrienden"}}
    return {
        "mensen": {"people": people},
        "ecogram": {
            "placements": {
                "kind-p-oma": place("p-oma"),
                "kind-p-rare": place("p-rare", "verder", "vrienden"),
                "kind-p-aisha": place("p-aisha", "verder", "professionals"),
                "kind-p-weg": place("p-weg"),
            }
        },
        "sociogram": {
            "rows": {
                "kind-p-oma": {
                    "about": "kind",
                    "person": "p-oma",
                    "contact": "Wisselend",
                    "oplevert": INJECTION,
                    "steun": ["emotioneel"],
                },  # fmt: skip
            }
        },
        "genogram": {
            "members": {
                "kind-p-opa": {
                    "about": "kind",
                    "person": "p-opa",
                    "generation": "grootouders",
                    "overleden": "ja",
                    "x": 0.2,
                },  # fmt: skip
                "kind-p-oma": {
                    "about": "kind",
                    "person": "p-oma",
                    "generation": "grootouders",
                    "x": 0.8,
                },  # fmt: skip
                "kind-p-mama": {"about": "kind", "person": "p-mama", "generation": "ouders"},
            },
            "relations": {
                "r1": {
                    "about": "kind",
                    "a": "p-opa",
                    "b": "p-oma",
                    "kind": "getrouwd",
                    "quality": "goed",
                },  # fmt: skip
                "r2": {
                    "about": "kind",
                    "a": "p-oma",
                    "b": "p-mama",
                    "kind": "ouder-kind",
                    "quality": "gebroken",
                },  # fmt: skip
            },
        },
    }


def test_the_board_json_refers_to_people_by_id():
    data = contents()
    for board_id in NETWORK:
        out = board_json(board_id, data[board_id])
        json.dumps(out)
        assert out["board"] == board_id and out["title"] == BOARDS[board_id].title
    eco = board_json("ecogram", data["ecogram"])
    assert {p["person"] for p in eco["maps"][0]["placements"]} == {
        "p-oma",
        "p-rare",
        "p-aisha",
        "p-weg",
    }
    assert board_json("mensen", data["mensen"])["people"][0]["name"] == "Mama Lisa"


def export_of(data: dict) -> dict:
    meeting = {"id": "m", "title": "Startbespreking familie De Vries", "date": "",
               "script": "startbespreking", "finished": False}  # fmt: skip
    return meeting_export(meeting, data)


def test_the_readable_exports_name_people_and_escape_what_was_typed():
    md = markdown(export_of(contents()))
    for title in ("Wie horen erbij?", "Ecogram", "Sociogram", "Genogram"):
        assert f"## {title}" in md
    assert "- Dichtbij, Familie: Oma Wiëbe (oma)" in md
    assert "- Verder weg, Hulpverleners en school: Aïsha (jeugdbeschermer)" in md
    assert "p-weg" not in md and "p-oma" not in md  # names, never ids
    assert "# Kop" not in md.replace("\\# Kop", "")  # escaped wherever it is
    assert "<b>" not in md and "\\*buur\\*" in md
    assert "  - Hoe is het contact? Wisselend" in md
    assert "  - Wat voor steun kan dit contact geven? steun" in md
    assert "- Opa's en oma's: Opa Henk (opa, overleden), Oma Wiëbe (oma)" in md
    assert "- Opa Henk en Oma Wiëbe: getrouwd of samen — goed contact" in md
    assert "- Oma Wiëbe en Mama Lisa: ouder en kind — met elkaar gebroken: geen contact" in md
    text = plain(export_of(contents()))
    assert "Dichtbij, Familie: Oma Wiëbe (oma)" in text and INJECTION in text


def test_empty_maps_say_so():
    md = markdown(export_of({b: {} for b in NETWORK}))
    assert md.count("Hier staat nog niets op.") == len(NETWORK)


def svg_of(board_id: str, data: dict | None = None) -> ET.Element:
    data = data if data is not None else contents()
    picture = board_svg(board_json(board_id, data.get(board_id, {})), None, data.get("mensen"))
    return ET.fromstring(picture)  # well-formed XML, whatever was typed


def texts(root: ET.Element) -> list[str]:
    return ["".join(t.itertext()) for t in root.iter("{http://www.w3.org/2000/svg}text")]


def test_the_ecogram_picture_draws_the_rings_and_sectors_with_the_names():
    root = svg_of("ecogram")
    regions = [e for e in root.iter() if e.get("class") == "region"]
    assert sorted((e.get("data-ring"), e.get("data-sector")) for e in regions) == sorted(
        (r, s) for r in nm.RING_IDS for s in nm.SECTOR_IDS
    )
    words = texts(root)
    assert "Ecogram" in words and "Het kind" in words
    assert {"Oma Wiëbe", "Aïsha", INJECTION[:21] + "…"} <= set(words)
    assert not any("p-weg" in w for w in words)
    for sector in nm.SECTORS:
        assert any(sector["title"].startswith(w) for w in words if w)


def test_the_other_pictures():
    socio = texts(svg_of("sociogram"))
    assert "Wie is het?" in socio and "Oma Wiëbe" in socio and "Wisselend" in socio
    geno = svg_of("genogram")
    words = texts(geno)
    assert "✝ Opa Henk" in words and "Mama Lisa" in words
    assert len([e for e in geno.iter() if e.get("class") == "relation"]) >= 3  # double + one
    assert [e for e in geno.iter() if e.get("class") == "mark cross"]  # gebroken
    assert "Familie" in texts(svg_of("mensen"))
    for board_id in NETWORK:  # an empty board has a picture too
        assert texts(svg_of(board_id, {}))[0] == BOARDS[board_id].title


# --- the browser keeps no copy -----------------------------------------------------------------


def _labels(value) -> list[str]:
    """Every text of a layout that a person reads (titles, questions, hints ...)."""
    if isinstance(value, dict):
        return [t for k, v in value.items() if k not in {"id", "field", "color", "line"}
                for t in _labels(v)]  # fmt: skip
    if isinstance(value, (list, tuple)):
        return [t for v in value for t in _labels(v)]
    return [value] if isinstance(value, str) and len(value) > 3 and " " in value else []


def test_the_browser_keeps_no_copy_of_the_network_boards_words():
    source = "\n".join(p.read_text() for p in sorted(JS.glob("*.js")))
    words = {t for b in NETWORK for t in _labels(BOARDS[b].layout)} | {
        s["title"] for s in nm.SECTORS
    }
    assert len(words) > 30
    copies = sorted(w for w in words if w in source)
    assert not copies, f"static/js holds copies of board/'s words: {copies}"
    ids = [*nm.RING_IDS, *nm.GENERATION_IDS, *nm.RELATION_KIND_IDS, *nm.QUALITY_IDS, "gebroken"]
    quoted = [i for i in ids if re.search(rf"""['"]{re.escape(i)}['"]""", source)]
    assert not quoted, f"static/js names the layouts' ids: {quoted}"
