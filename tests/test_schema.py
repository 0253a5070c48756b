"""board/schema.py: the shape of each board and who may change what, as a pure function."""

import math

import pytest

from board import schema
from board.boards import BOARDS
from board.roles import Role
from board.schema import NESTED, NOT_YOURS, OWN_ROLE, Change, refusal

FAM, PRO, FAC, SCHERM = Role.FAMILIE, Role.PROFESSIONAL, Role.FACILITATOR, Role.SCHERM

OWNERS = {
    ("notes", "fam"): "familie",
    ("notes", "pro"): "professional",
    ("notes", "fac"): "facilitator",
}


def owner(root: str, key: str) -> str | None:
    return OWNERS.get((root, key))


def note(role: str = "familie", **fields) -> dict:
    return {
        "text": "Oma Wiëbe haalt de kinderen op",
        "zone": "zorgen",
        "role": role,
        "author": "p1",
        "authorName": "Oma Wiëbe",
        "color": "oranje",
        "x": 0.5,
        "y": 0.2,
        "tags": ["vooruitzicht"],
        "createdAt": 1.7e12,
        **fields,
    }


def judge(role: Role, *changes: Change, board: str = "drieluik") -> str | None:
    """The reason, lower case (the wording of a reason may change; its point may not)."""
    reason = refusal(board, role, changes, owner)
    if reason is not None:
        assert reason.strip() and reason[0].isupper()  # a sentence shown to a person
        return reason.lower()
    return None


def add(key: str, value, root: str = "notes") -> Change:
    return Change(root, key, None, "add", value)


def set_field(key: str, field: str, value, root: str = "notes", action: str = "update") -> Change:
    return Change(root, key, field, action, value)


# new notes ----------------------------------------------------------------------------------


@pytest.mark.parametrize("role", [FAM, PRO])
def test_a_new_note_carries_the_writers_role(role):
    assert judge(role, add("n1", note(role.value))) is None
    other = "professional" if role is FAM else "familie"
    assert judge(role, add("n1", note(other))) == OWN_ROLE.lower()
    without = note()
    del without["role"]
    assert judge(role, add("n1", without)) == OWN_ROLE.lower()


def test_the_facilitator_may_write_a_note_of_any_role_or_none():
    for role in ("familie", "professional", "facilitator", "scherm"):
        assert judge(FAC, add("n1", note(role))) is None
    without = note()
    del without["role"]
    assert judge(FAC, add("n1", without)) is None
    assert "onbekende rol" in judge(FAC, add("n1", note("oma")))


def test_a_note_with_only_some_fields_is_fine():
    assert judge(FAM, add("n1", {"role": "familie"})) is None
    assert judge(FAM, add("n1", {"role": "familie", "text": ""})) is None


# fields -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "fields,error",
    [
        ({"text": "x" * 1001}, "1000 tekens"),
        ({"text": "x" * 5000}, "1000 tekens"),
        ({"text": 42}, "hier hoort tekst"),
        ({"text": None}, "hier hoort tekst"),
        ({"text": ["a"]}, "hier hoort tekst"),
        ({"zone": "kelder"}, "vak bestaat niet"),
        ({"zone": "kort-zelf"}, "vak bestaat niet"),  # a zone of another board
        ({"zone": 3}, "hier hoort tekst"),
        ({"authorName": "n" * 201}, "200 tekens"),
        ({"x": "links"}, "hier hoort een getal"),
        ({"x": True}, "hier hoort een getal"),
        ({"y": math.inf}, "hier hoort een getal"),
        ({"y": math.nan}, "hier hoort een getal"),
        ({"createdAt": None}, "hier hoort een getal"),
        ({"tags": "vooruitzicht"}, "korte lijst"),
        ({"tags": ["a"] * 21}, "korte lijst"),
        ({"tags": [1]}, "korte lijst"),
        ({"tags": ["t" * 201]}, "korte lijst"),
        ({"text": NESTED}, "gewone waarde"),
        ({"geheim": "x"}, "'geheim'"),
    ],
)
def test_every_field_has_a_type_and_a_size(fields, error):
    reason = judge(FAM, add("n1", note(**fields)))
    assert reason is not None and error in reason
    # the same through a change of one field of an own note
    ((name, value),) = fields.items()
    reason = judge(FAM, set_field("fam", name, value))
    assert reason is not None and error in reason


def test_limits_are_exact():
    assert judge(FAM, add("n1", note(text="x" * 1000, tags=["t" * 200] * 20))) is None
    assert judge(FAM, add("n1", note(text="ë" * 1000))) is None  # characters, not bytes
    assert judge(FAM, add("n1", note(x=0, y=1, createdAt=-1))) is None
    too_many = {**note(), **{f"f{i}": "x" for i in range(40)}}
    assert "te veel velden" in judge(FAC, add("n1", too_many))


def test_a_record_must_be_a_map_of_plain_values():
    assert "briefje of kaart" in judge(FAM, add("n1", "hallo"))
    assert "briefje of kaart" in judge(FAM, add("n1", NESTED))
    assert "gewone waarde" in judge(FAM, add("n1", note(text=NESTED)))
    assert "gewone waarde" in judge(FAC, set_field("fam", "tags", NESTED))


def test_every_board_with_zones_knows_its_own():
    for board_id in ("drieluik", "doelen", "familie", "bodemeisen", "evaluatie"):
        for zone in BOARDS[board_id].zones:
            assert judge(FAM, add("n1", note(zone=zone.id)), board=board_id) is None
        assert "bestaat niet" in judge(FAM, add("n1", note(zone="nergens")), board=board_id)


def test_groups_have_a_shape_and_a_zone_but_no_owner():
    group = {"zone": "zorgen", "title": "School en rust", "x": 0.5, "y": 0.5}
    assert judge(PRO, add("g1", group, "groups")) is None
    assert judge(PRO, Change("groups", "g1", None, "delete", None)) is None
    assert judge(FAM, set_field("g1", "title", "Thuis", "groups")) is None
    assert "bestaat niet" in judge(FAM, add("g1", {**group, "zone": "x"}, "groups"))
    assert "200 tekens" in judge(FAM, set_field("g1", "title", "t" * 201, "groups"))
    assert "veld" in judge(FAM, add("g1", {**group, "text": "x"}, "groups"))


def test_statements_are_named_texts():
    assert judge(FAM, Change("statements", "ergste", None, "add", "Dat het misgaat")) is None
    assert judge(PRO, Change("statements", "wens", None, "update", "Rust")) is None
    assert judge(PRO, Change("statements", "wens", None, "delete", None)) is None
    assert "veld" in judge(FAM, Change("statements", "ander", None, "add", "x"))
    assert "hier hoort tekst" in judge(FAM, Change("statements", "ergste", None, "add", 1))
    assert "1000 tekens" in judge(FAM, Change("statements", "ergste", None, "add", "x" * 1001))
    assert "zo niet veranderd" in judge(FAM, Change("statements", "ergste", "sub", "add", "x"))


def test_the_plan_has_goals_actions_team_and_info():
    goal = {
        "text": "Rust op school",
        "tags": ["vooruitzicht"],
        "help": "praktisch",
        "from": "n1",
        "order": 1.7e12,
        "createdAt": 1.7e12,
        "hulpNetwerk": "Tante Ineke",
        "hulpProfessionals": "",
    }
    action = {
        "goal": "g1",
        "wat": "Ophalen",
        "wie": "Oma Wiëbe",
        "vanaf": "2025-03-01",
        "tot": "",
        "status": "bezig",
        "nogDoen": "",
        "order": 1,
        "createdAt": 1,
    }
    changes = [
        add("g1", goal, "goals"),
        add("a1", action, "actions"),
        add("t1", {"name": "Oma Wiëbe", "order": 1}, "team"),
        Change("info", "evaluatie", None, "add", "2025-06-01"),
    ]
    for role in (FAM, PRO, FAC):
        assert judge(role, *changes, board="plan") is None
    # no owners on the plan: anyone who may write it changes any goal
    assert judge(PRO, set_field("g1", "text", "Anders", "goals"), board="plan") is None
    assert "veld" in judge(FAM, add("g1", {**goal, "zone": "x"}, "goals"), board="plan")
    assert "1000 tekens" in judge(
        FAM, set_field("g1", "hulpNetwerk", "x" * 1001, "goals"), board="plan"
    )
    assert "hier hoort een getal" in judge(
        FAM, set_field("a1", "order", "1", "actions"), board="plan"
    )


@pytest.mark.parametrize(
    "board,root",
    [
        ("drieluik", "goals"),
        ("drieluik", "meta"),
        ("plan", "notes"),
        ("doelen", "statements"),
        ("verloop", "state"),
        ("verloop", "notes"),
    ],
)
def test_top_level_maps_a_board_does_not_have_are_refused(board, root):
    for role in (FAM, FAC):
        reason = judge(role, Change(root, "k", None, "add", {}), board=board)
        assert f"'{root}'" in reason
        reason = judge(role, Change(root, "k", "f", "delete", None), board=board)
        assert f"'{root}'" in reason


# rights on notes ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "field,value", [("zone", "plan"), ("x", 0.9), ("y", 0.01), ("group", "g1"), ("color", "blauw")]
)
def test_anyone_who_may_write_may_move_any_note(field, value):
    for role in (FAM, PRO, FAC):
        for key in ("fam", "pro", "fac", "unknown"):
            assert judge(role, set_field(key, field, value)) is None
    assert judge(PRO, set_field("fam", "group", None, action="delete")) is None


@pytest.mark.parametrize(
    "field,value",
    [
        ("text", "Veranderd"),
        ("tags", []),
        ("author", "p9"),
        ("authorName", "Iemand"),
        ("help", "praktisch"),
        ("createdAt", 1.0),
    ],
)
def test_only_the_notes_role_may_change_what_it_says(field, value):
    assert judge(PRO, set_field("fam", field, value)) == NOT_YOURS.lower()
    assert judge(PRO, set_field("fam", field, None, action="delete")) == NOT_YOURS.lower()
    assert judge(FAM, set_field("pro", field, value)) == NOT_YOURS.lower()
    assert judge(FAM, set_field("fam", field, value)) is None
    assert judge(PRO, set_field("pro", field, value)) is None
    assert judge(FAC, set_field("fam", field, value)) is None
    assert judge(FAM, set_field("fac", field, value)) == NOT_YOURS.lower()
    assert (
        judge(FAM, set_field("unknown", field, value)) == NOT_YOURS.lower()
    )  # no role: the facilitator's


def test_only_the_notes_role_may_take_it_off_or_replace_it():
    for action in ("delete", "update"):
        value = None if action == "delete" else note("professional")
        assert judge(PRO, Change("notes", "fam", None, action, value)) == NOT_YOURS.lower()
        assert (
            judge(
                FAM,
                Change("notes", "pro", None, action, note("familie"))
                if action == "update"
                else Change("notes", "pro", None, action, None),
            )
            == NOT_YOURS.lower()
        )
        assert judge(FAC, Change("notes", "fam", None, action, value)) is None
    assert judge(FAM, Change("notes", "fam", None, "delete", None)) is None
    assert judge(FAM, Change("notes", "fam", None, "update", note("familie"))) is None
    # "add" of a key that had an owner cannot happen (the record was there); an add is new
    assert judge(PRO, Change("notes", "new", None, "add", note("professional"))) is None


def test_a_note_cannot_be_handed_to_another_role():
    assert judge(PRO, set_field("pro", "role", "familie")) == OWN_ROLE.lower()
    assert judge(PRO, set_field("fam", "role", "professional")) == NOT_YOURS.lower()
    assert judge(FAM, set_field("fam", "role", "familie")) is None
    assert judge(FAC, set_field("fam", "role", "professional")) is None
    assert "onbekende rol" in judge(FAC, set_field("fam", "role", "oma"))


def test_one_bad_change_refuses_all_of_them():
    good = set_field("fam", "zone", "plan")
    assert judge(PRO, good, good, set_field("fam", "text", "x")) == NOT_YOURS.lower()
    assert (
        judge(PRO, add("n2", note("professional")), add("n3", note("familie"))) == OWN_ROLE.lower()
    )
    assert judge(PRO) is None


def test_the_scherm_role_writes_nothing_of_others():
    # read-only by board.permissions; if its update got here, the same rules hold
    assert judge(SCHERM, add("n1", note("scherm"))) is None
    assert judge(SCHERM, set_field("fam", "text", "x")) == NOT_YOURS.lower()
    assert judge(SCHERM, add("n1", note("familie"))) == OWN_ROLE.lower()


def test_roots_of_each_board():
    assert schema.roots_of("drieluik") == {"notes": True, "groups": True, "statements": False}
    assert schema.roots_of("plan") == {"goals": True, "actions": True, "team": True, "info": False}
    assert schema.roots_of("verloop") == {}
    assert schema.roots_of("nope") == {}
    assert set(schema.ROOTS) == set(BOARDS)


def test_field_error_alone():
    assert schema.field_error(schema.TEXT, "x") is None
    assert schema.field_error(schema.NUMBER, 3) is None
    assert schema.field_error(schema.NUMBER, 2**70) is None  # a big int is still a number
    assert schema.field_error(schema.TAGS, []) is None
    assert schema.field_error(schema.SHORT, "x" * 201)
