"""The rules of issue 15's meetings, without a server: the startbespreking's agenda, the board
`afspraken` (its shape, the agreements as JSON and in the exports), progress marked at an
evaluation, the plan's "wie" and actieteam by the people's ids, and what a meeting that
follows on copies and shows as changed (board/afspraken.py, board/plan.py, board/followon.py).
"""

from board import afspraken, followon
from board.boards import BOARDS
from board.export import board_json, board_svg, has_picture, markdown, meeting_export, plain
from board.permissions import Access, decide
from board.plan import PROGRESS, plan_json
from board.roles import Role
from board.schema import ROOTS, Change, refusal
from board.scripts import SCRIPTS, get_script
from board.state import MeetingState, enter_step

F, P, S, L = Role.FAMILIE, Role.PROFESSIONAL, Role.SCHERM, Role.FACILITATOR

PEOPLE = {
    "p-lisa": {"name": "Lisa de Vries", "relation": "moeder", "sector": "familie"},
    "p-sem": {"name": "Sem", "relation": "kind", "sector": "familie"},
    "p-anne": {"name": "Anne Bakker", "relation": "pleegzorgbegeleider", "sector": "professionals"},
}
AFSPRAKEN = {
    "afspraken": {
        "b": {
            "topic": "contact",
            "wat": "Sem gaat bij mama op bezoek",
            "wie": ["p-sem", "p-lisa", "p-weg"],  # p-weg: taken off the list since
            "hoeVaak": "elke twee weken",
            "vorm": ["bezoek", "telefoon", "vliegtuig"],
            "begeleider": "p-anne",
            "evaluatie": "2026-03-01",
            "order": 2,
        },
        "a": {"topic": "contact", "wat": "Mama belt op woensdag", "vorm": ["telefoon"], "order": 1},
        "v": {
            "topic": "vertellen",
            "wat": "Mama vertelt Sem waarom hij bij Anne woont",
            "wie": ["p-lisa"],
            "begeleider": "niemand",
        },
        "x": {"topic": "onbekend", "wat": "Zakgeld: 5 euro per week"},
    },
    "antwoorden": {"perspectief": "Sem blijft tot de zomer", "regie": "De pleegzorgbegeleider"},
}


def refused(board: str, *changes: Change, role: Role = F) -> str | None:
    return refusal(board, role, changes, lambda root, key: None)


# --- the startbespreking --------------------------------------------------------------------


def test_the_startbespreking_follows_the_agenda_and_asks_the_three_questions():
    script = get_script("startbespreking")
    assert script.id == "startbespreking" and script is SCRIPTS["startbespreking"]
    ids = [s.id for s in script.steps]
    agenda = [
        "welkom",
        "netwerk",
        "perspectief",
        "kind",
        "bezoek",
        "vertellen",
        "afspraken",
        "samenvatting",
        "evaluatie",
    ]
    assert [i for i in ids if i in agenda] == agenda  # the agenda's order (seed 004, Bijlage 2)
    asks = " ".join(s.ask for s in script.steps)
    for question in (
        "Wat heb jij van mij nodig?",
        "Wie neemt de regie?",
        "Wie neemt beslissingen?",
    ):
        assert question in asks
    questions = {q["id"]: q["question"] for q in afspraken.QUESTIONS}
    assert questions["regie"].startswith("Wie neemt de regie?")
    assert questions["beslissingen"].startswith("Wie neemt beslissingen?")
    assert questions["nodig"].startswith("Wat heb jij van mij nodig")
    # The network is mapped first, with whatever mapping boards the meeting has.
    assert script.boards[0] == "mensen"
    assert {"mensen", "plan", "afspraken"} <= set(script.boards)
    assert all(b in BOARDS for b in script.boards)
    assert script.step("evaluatie").board == "plan"  # the date of the first evaluation


def test_every_step_focus_is_a_part_of_its_board():
    for script in SCRIPTS.values():
        for step in script.steps:
            if step.focus is not None:
                assert step.board == "afspraken", step.id
                assert step.focus in afspraken.PART_IDS, step.id
    focused = {s.id: s.focus for s in get_script("startbespreking").steps}
    assert focused["bezoek"] == "contact" and focused["samenwerken"] == "samenwerking"


def test_everyone_writes_the_agreements_and_professionals_see_none_in_the_closed_part():
    state = enter_step(MeetingState(script="startbespreking"), "bezoek")
    for role in (F, P, L):
        assert decide(role, "afspraken", state) is Access.WRITE
    assert decide(S, "afspraken", state) is Access.READ
    closed = MeetingState(script="startbespreking", phase="bezoek", closed=True)
    assert decide(P, "afspraken", closed) is Access.NONE
    assert decide(F, "afspraken", closed) is Access.WRITE


# --- the board's shape ----------------------------------------------------------------------


def test_an_agreement_names_people_by_id_and_takes_only_known_topics_and_forms():
    assert set(ROOTS["afspraken"]) == {"afspraken", "antwoorden"}
    ok = Change(
        "afspraken",
        "a1",
        None,
        "add",
        {
            "topic": "contact",
            "wat": "Bellen",
            "wie": ["p1"],
            "vorm": ["telefoon", "fotos"],
            "hoeVaak": "elke week",
            "begeleider": "niemand",
            "evaluatie": "2026-03-01",
            "order": 1.0,
            "createdAt": 1.7e12,
        },
    )
    assert refused("afspraken", ok) is None
    assert refused("afspraken", Change("afspraken", "a1", "vorm", "update", ["duif"]))
    assert refused("afspraken", Change("afspraken", "a1", "topic", "update", "geheim"))
    assert refused("afspraken", Change("afspraken", "a1", "naam", "update", "Lisa"))
    assert (
        refused("afspraken", Change("antwoorden", "regie", None, "add", "De pleegouders")) is None
    )
    assert refused("afspraken", Change("antwoorden", "iets", None, "add", "x"))


def test_progress_is_one_of_three_marks_on_goals_and_actions():
    assert list(PROGRESS) == ["behaald", "loopt", "loopt-niet"]
    assert PROGRESS["loopt-niet"] == "Loopt niet"
    for root in ("goals", "actions"):
        assert refused("plan", Change(root, "g", "progress", "update", "behaald")) is None
        assert refused("plan", Change(root, "g", "progress", "update", "")) is None
        assert refused("plan", Change(root, "g", "progress", "update", "prima"))
    assert refused("plan", Change("actions", "a", "person", "update", "p-lisa")) is None
    assert refused("plan", Change("team", "t", "person", "update", "p-lisa")) is None
    assert refused("plan", Change(followon.PREVIOUS, "goals", None, "add", "x"))  # the server's


# --- the agreements as JSON and in the exports -----------------------------------------------


def test_agreements_as_json_in_order_with_names_from_the_people_list():
    board = board_json("afspraken", AFSPRAKEN, PEOPLE)
    topics = {t["id"]: t["afspraken"] for t in board["topics"]}
    assert [a["wat"] for a in topics["contact"]] == [
        "Mama belt op woensdag",
        "Sem gaat bij mama op bezoek",
    ]
    visit = topics["contact"][1]
    assert [p["name"] for p in visit["wie"]] == ["Sem", "Lisa de Vries", ""]  # gone: no name
    assert visit["vorm"] == ["bezoek", "telefoon"] and visit["vormLabels"] == ["Bezoek", "Telefoon"]
    assert visit["begeleiderName"] == "Anne Bakker" and visit["evaluatie"] == "2026-03-01"
    assert topics["vertellen"][0]["begeleiderName"] == "zonder begeleiding"
    assert [a["wat"] for a in topics["anders"]] == ["Zakgeld: 5 euro per week"]  # unknown topic
    answers = {q["id"]: q["answer"] for q in board["vragen"]}
    assert answers["perspectief"] == "Sem blijft tot de zomer" and answers["nodig"] == ""
    # Without the people list (GET /boards/afspraken) the ids stay, the names are empty.
    bare = board_json("afspraken", AFSPRAKEN)
    assert [p["id"] for p in bare["topics"][0]["afspraken"][1]["wie"]][:2] == ["p-sem", "p-lisa"]


def _export(script: str, boards: dict) -> dict:
    info = {
        "id": "m1",
        "title": "Startbespreking familie De Vries",
        "date": "8 januari 2026",
        "script": script,
        "finished": False,
    }
    return meeting_export(info, boards)


def test_the_exports_show_the_agreements_with_names():
    e = _export("startbespreking", {"afspraken": AFSPRAKEN, "mensen": {"people": PEOPLE}})
    md = markdown(e)
    section = md.split("## Afspraken")[1]
    assert "### Bezoek en contact" in section
    assert (
        "- Sem gaat bij mama op bezoek — wie: Sem, Lisa de Vries — hoe vaak: elke twee "
        "weken — hoe: bezoek, telefoon — erbij: Anne Bakker — we kijken of het goed gaat "
        "op 1 maart 2026"
    ) in section
    assert "### Perspectief\n\nSem blijft tot de zomer" in section
    assert "zonder begeleiding" in section
    text = plain(e)
    assert "Bezoek en contact:" in text and "#" not in text
    empty = markdown(_export("startbespreking", {"afspraken": {}, "mensen": {}}))
    assert "## Afspraken" in empty and "Hier staat nog niets op." in empty.split("## Afspraken")[1]


def test_a_picture_of_the_agreements_names_the_people_and_escapes_what_was_typed():
    typed = {
        "afspraken": {
            "a": {"topic": "contact", "wat": "<script>Bellen</script> & zo", "wie": ["p-lisa"]}
        }
    }
    svg = board_svg(board_json("afspraken", typed), None, {"people": PEOPLE})
    assert svg.startswith("<svg") and "<script>" not in svg
    assert "&lt;script&gt;Bellen&lt;/script&gt; &amp; zo" in svg
    assert "Lisa de Vries" in svg and "Bezoek en contact" in svg
    assert has_picture("afspraken")
    assert "Er zijn nog geen afspraken." in board_svg(board_json("afspraken", {}), None, None)


# --- the plan: "wie" and the actieteam by id, progress ----------------------------------------

PLAN = {
    "goals": {
        "g1": {"text": "Sem gaat elke dag naar school", "order": 1, "progress": "loopt"},
        "g2": {"text": "Mama en Sem zien elkaar vaker", "order": 2},
    },
    "actions": {
        "a1": {
            "goal": "g1",
            "wat": "Wekker zetten",
            "wie": "Mama",
            "person": "p-lisa",
            "status": "bezig",
            "order": 1,
            "progress": "behaald",
        },
        "a2": {"goal": "g1", "wat": "Juf bellen", "wie": "Oma", "status": "nog-niet", "order": 2},
        "a3": {"goal": "g2", "wat": "Bezoek plannen", "wie": "Anne", "person": "p-weg", "order": 1},
    },
    "team": {"t1": {"name": "Mama", "person": "p-lisa"}, "t2": {"name": "Opa Henk"}},
}


def test_plan_names_come_from_the_people_list_and_progress_is_marked():
    plan = plan_json(PLAN, PEOPLE)
    actions = {a["id"]: a for g in plan["goals"] for a in g["actions"]}
    assert actions["a1"]["wie"] == "Lisa de Vries" and actions["a1"]["person"] == "p-lisa"
    assert actions["a2"]["wie"] == "Oma" and actions["a2"]["person"] == ""  # typed
    assert actions["a3"]["wie"] == "Anne" and actions["a3"]["person"] == ""  # off the list
    assert actions["a1"]["progress"] == "behaald" and actions["a1"]["progressLabel"] == "Behaald"
    assert actions["a2"]["progress"] == "" and actions["a2"]["progressLabel"] == ""
    assert plan["goals"][0]["progressLabel"] == "Loopt"
    assert plan["team"] == ["Lisa de Vries", "Opa Henk"]
    assert plan_json(PLAN)["team"] == ["Mama", "Opa Henk"]  # without the list: as typed
    garbage = plan_json({"goals": {"g": {"text": "x", "progress": "super"}}})
    assert garbage["goals"][0]["progress"] == ""


# --- a meeting that follows on ----------------------------------------------------------------


def test_the_boards_that_come_along_and_never_the_worksheet():
    carried = followon.carried_boards()
    assert carried[0] == "mensen"
    assert {"mensen", "plan", "afspraken"} <= set(carried)
    assert {"ecogram", "steuntabel"} <= set(carried) or "ecogram" not in BOARDS
    for never in ("familie", "verloop", "stand", "drieluik", "doelen", "bodemeisen"):
        assert never not in carried


def test_a_copy_keeps_what_fits_the_shape_and_drops_the_rest():
    content = {
        "meta": {"title": "Afspraken", "template": "afspraken"},
        "afspraken": {**AFSPRAKEN["afspraken"], "k": "geen kaart"},
        "antwoorden": {**AFSPRAKEN["antwoorden"], "geheim": "x", "regie": 3},
        "notes": {"n": {"text": "hoort hier niet"}},
    }
    copy = followon.carried("afspraken", content)
    assert set(copy) == {"afspraken", "antwoorden"}  # no meta, no notes
    assert copy["antwoorden"] == {"perspectief": "Sem blijft tot de zomer"}
    assert set(copy["afspraken"]) == {"a", "b", "v", "x"}
    assert copy["afspraken"]["b"]["wie"] == ["p-sem", "p-lisa", "p-weg"]
    assert "vorm" not in copy["afspraken"]["b"]  # "vliegtuig" is no form: the field is refused
    assert followon.carried("plan", PLAN)["actions"]["a1"] == PLAN["actions"]["a1"]


def test_what_changed_in_the_plan_since_the_earlier_meeting():
    earlier = {**PLAN, "actions": {**PLAN["actions"], "a4": {"goal": "g2", "wat": "Foto's sturen"}}}
    earlier["actions"]["a1"] = {**PLAN["actions"]["a1"], "status": "nog-niet", "progress": ""}
    base = followon.baseline("Startbespreking", 1.7e9, earlier, PEOPLE)
    assert base["meeting"] == "Startbespreking" and base["createdAt"] == 1.7e12
    assert set(base["goals"]) == {"g1", "g2"} and base["actions"]["a1"]["status"] == "nog-niet"

    now = {
        "goals": {**PLAN["goals"], "g3": {"text": "Sem gaat op voetbal", "order": 3}},
        "actions": {k: v for k, v in PLAN["actions"].items() if k != "a3"},
    }
    changes = followon.changes(base, plan_json(now, PEOPLE))
    assert changes["since"]["title"] == "Startbespreking" and changes["since"]["date"]
    assert changes["goalsAdded"] == ["Sem gaat op voetbal"]
    assert changes["goalsRemoved"] == []
    removed = {a["wat"] for a in changes["actionsRemoved"]}
    assert removed == {"Bezoek plannen", "Foto's sturen"}
    assert changes["actionsAdded"] == []
    progress = {p["text"]: (p["kind"], p["label"], p["before"]) for p in changes["progress"]}
    assert progress == {
        "Sem gaat elke dag naar school": ("doel", "Loopt", "Loopt"),
        "Wekker zetten": ("actie", "Behaald", ""),
    }
    assert changes["status"] == [
        {
            "wat": "Wekker zetten",
            "goal": "Sem gaat elke dag naar school",
            "from": "Nog niet begonnen",
            "to": "Bezig",
        }
    ]
    assert changes["nothing"] is False
    same = followon.changes(followon.baseline("X", 0, now, PEOPLE), plan_json(now, PEOPLE))
    assert same["goalsAdded"] == same["actionsRemoved"] == same["status"] == []
    assert followon.changes({}, plan_json(now)) is None  # follows on from nothing


def test_the_exports_say_what_changed_and_how_far_the_plan_is():
    plan = {**PLAN, followon.PREVIOUS: followon.baseline("Startbespreking", 1.7e9, {}, PEOPLE)}
    e = _export("evaluatie", {"plan": plan, "mensen": {"people": PEOPLE}})
    assert e["planChanges"]["goalsAdded"] == [
        "Sem gaat elke dag naar school",
        "Mama en Sem zien elkaar vaker",
    ]
    md = markdown(e)
    assert "### Wat is er veranderd sinds Startbespreking" in md
    assert "- Nieuw doel: Sem gaat elke dag naar school" in md
    assert "Hoe staat het ervoor: **loopt**" in md
    assert "Bij de evaluatie: behaald" in md
    assert "— Lisa de Vries" in md  # the name on the list, not the one typed
