"""The shape of each board's document, and who may change what in it.

Each board document has a few top-level maps (the data contract, README "Boards"). A map is
either a RECORD (names -> plain values: `statements`, `info`) or RECORDS (ids -> maps of plain
values: `notes`, `groups`, `goals`, `actions`, `team`). Every field has a type and a size.
The server checks every change a device makes against this before anything of it is stored
or forwarded (server/validate.py); the exports read fields through the same table.

Rights, as with paper post-its: anyone who may write a board may move a note or hang it in a
group; only a device of the note's own role (the facilitator any) may change what it says or
take it off the board, and a new note carries the role of the device that wrote it.
"""

import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from . import afspraken, boards, levenslijn, netwerkvragen, steuntabel, vipkaart
from . import networkmap as nm
from .afspraken import QUESTION_IDS
from .boards import BOARDS
from .plan import PROGRESS
from .roles import ROLES, Role

# Limits a person never reaches on paper; the browser's own limits are lower (500 characters).
NOTE_TEXT_MAX = 1000  # characters in a note's text, a goal, a statement
SHORT_TEXT_MAX = 200  # characters in a name, a theme, an id
LIST_MAX = 20  # items in a list of tags
FIELDS_MAX = 32  # fields in one record


@dataclass(frozen=True)
class Field:
    kind: str  # "text", "number" or "tags" (a list of short texts)
    max: int = SHORT_TEXT_MAX  # characters of a text, items of a list
    choices: tuple[str, ...] = ()  # a text that must be one of these (a ring, a kind ...)
    low: float | None = None  # the smallest number allowed (a year on the levenslijn)
    high: float | None = None  # the largest


TEXT = Field("text", NOTE_TEXT_MAX)
SHORT = Field("text")
NUMBER = Field("number")
TAGS = Field("tags", LIST_MAX)

NOTE: dict[str, Field] = {
    "text": TEXT,
    "zone": SHORT,
    "author": SHORT,
    "authorName": SHORT,
    "role": SHORT,
    "color": SHORT,
    "x": NUMBER,
    "y": NUMBER,
    "group": SHORT,
    "tags": TAGS,
    "help": SHORT,
    "createdAt": NUMBER,
}
GROUP: dict[str, Field] = {"zone": SHORT, "title": SHORT, "x": NUMBER, "y": NUMBER}
# One person of the meeting's list (board `mensen`): the other instruments refer to the id.
PERSON: dict[str, Field] = {
    "name": SHORT,
    "relation": SHORT,  # to the child, in the family's words: "oma", "buurvrouw", "juf"
    "sector": Field("text", choices=nm.SECTOR_IDS),  # the ecogram's three parts
    "role": SHORT,  # the role of who added them
    "createdAt": NUMBER,
}
# The network instruments (board/networkmap.py): every record names the map it is on
# (`about`) and refers to people by their id in `mensen`.
ABOUT = Field("text", choices=nm.ABOUT_IDS)
PLACEMENT: dict[str, Field] = {  # ecogram: one person on one map
    "about": ABOUT,
    "person": SHORT,
    "ring": Field("text", choices=nm.RING_IDS),
    "sector": Field("text", choices=nm.SECTOR_IDS),
    "a": NUMBER,  # along the sector, 0..1
    "r": NUMBER,  # across the ring, 0..1
    "createdAt": NUMBER,
}
SOCIOGRAM_ROW: dict[str, Field] = {
    "about": ABOUT,
    "person": SHORT,
    "contact": TEXT,
    "oplevert": TEXT,
    "steun": Field("tags", len(boards.HELP_KINDS), choices=tuple(boards.HELP_KINDS)),
    "createdAt": NUMBER,
}
MEMBER: dict[str, Field] = {  # genogram: one person in one family tree
    "about": ABOUT,
    "person": SHORT,
    "generation": Field("text", choices=nm.GENERATION_IDS),
    "x": NUMBER,  # left to right in the generation's row, 0..1
    nm.DECEASED["field"]: Field("text", choices=nm.DECEASED_VALUES),
    "createdAt": NUMBER,
}
RELATION: dict[str, Field] = {  # genogram: how two members are related
    "about": ABOUT,
    "a": SHORT,  # a person id (for "ouder-kind": the parent)
    "b": SHORT,
    "kind": Field("text", choices=nm.RELATION_KIND_IDS),
    "quality": Field("text", choices=("", *nm.QUALITY_IDS)),
    "createdAt": NUMBER,
}
# "" (not marked yet) or one of board/plan.py's PROGRESS marks.
PROGRESS_MARK = Field("text", choices=("", *PROGRESS))
GOAL: dict[str, Field] = {
    "text": TEXT,
    "tags": TAGS,
    "help": SHORT,
    "from": SHORT,
    "order": NUMBER,
    "createdAt": NUMBER,
    "hulpNetwerk": TEXT,
    "hulpProfessionals": TEXT,
    "progress": PROGRESS_MARK,  # at an evaluation (board/plan.py PROGRESS)
}
ACTION: dict[str, Field] = {
    "goal": SHORT,
    "wat": TEXT,
    "wie": SHORT,
    "vanaf": SHORT,
    "tot": SHORT,
    "status": SHORT,
    "nogDoen": TEXT,
    "order": NUMBER,
    "createdAt": NUMBER,
    "person": SHORT,  # who does it: a person's id in `mensen` (`wie` keeps the name typed)
    "progress": PROGRESS_MARK,  # at an evaluation (board/plan.py PROGRESS)
}
# A member of the actieteam: `person` is their id in `mensen`, `name` what was typed.
TEAM: dict[str, Field] = {"name": SHORT, "order": NUMBER, "person": SHORT}
# One agreement (board `afspraken`, board/afspraken.py): people by their id in `mensen`.
AGREEMENT: dict[str, Field] = {
    "topic": Field("text", choices=tuple(t["id"] for t in afspraken.TOPICS)),
    "wie": TAGS,  # the people it is about or who do it: ids in `mensen`
    "wat": TEXT,
    "hoeVaak": SHORT,
    "vorm": Field("tags", len(afspraken.FORMS), choices=tuple(afspraken.FORMS)),
    "begeleider": SHORT,  # who is there or supervises: an id in `mensen`, or "niemand"
    "evaluatie": SHORT,  # when it is evaluated: YYYY-MM-DD
    "order": NUMBER,
    "createdAt": NUMBER,
}
QUESTIONS: dict[str, Field] = {key: TEXT for key in QUESTION_IDS}  # perspectief, nodig, ...
STATEMENTS: dict[str, Field] = {key: TEXT for key in boards.STATEMENTS}  # ergste, wens
# The steuntabel: a column per person (the record's id is their id in `mensen`), and per kind
# of support (a row) the score in its cell: ++, +, +-, - or --, nothing else.
SCORE = Field("text", choices=steuntabel.SCORE_IDS)
SUPPORT_MEMBER: dict[str, Field] = {
    **{kind: SCORE for kind in steuntabel.KIND_IDS},
    "order": NUMBER,
    "createdAt": NUMBER,
}
# The VIP-kaart: one person on one of the card's ten places (Root.keys).
VIP: dict[str, Field] = {
    "person": SHORT,  # an id in `mensen`
    "contact": Field("text", choices=vipkaart.CONTACT_IDS),
    "contactText": TEXT,
    "change": Field("text", choices=vipkaart.CHANGE_IDS),
    "changeText": TEXT,
    "createdAt": NUMBER,
}
VIP_INFO: dict[str, Field] = {"about": SHORT}  # whose card: an id in `mensen`
YEAR = Field("number", low=levenslijn.FIRST_YEAR, high=levenslijn.LAST_YEAR)
LIFELINE: dict[str, Field] = {"person": SHORT, "born": YEAR, "order": NUMBER, "createdAt": NUMBER}
LIFE_EVENT: dict[str, Field] = {
    "line": SHORT,  # the id of its line in `lines`
    "year": YEAR,
    "text": Field("text", levenslijn.EVENT_TEXT_MAX),
    "tone": Field("text", choices=levenslijn.TONE_IDS),
    "people": Field("tags", levenslijn.MAX_EVENT_PEOPLE),  # ids in `mensen`
    "createdAt": NUMBER,
}
QUESTION_ANSWER: dict[str, Field] = {
    "question": Field("text", choices=netwerkvragen.QUESTION_IDS),
    "person": SHORT,  # an id in `mensen`, or empty when only `text` is written
    "text": Field("text", netwerkvragen.ANSWER_TEXT_MAX),
    "createdAt": NUMBER,
}
INFO: dict[str, Field] = {"evaluatie": SHORT}

# Fields of a note that anyone who may write the board may change: where it hangs.
MOVE_FIELDS = frozenset({"zone", "x", "y", "group", "color"})


@dataclass(frozen=True)
class Root:
    """One top-level map of a board document."""

    fields: Mapping[str, Field]
    records: bool  # RECORDS: id -> map of fields; else RECORD: name -> value
    owned: bool = False  # records belong to the role in their `role` field (notes)
    zoned: bool = False  # records carry a `zone` that must be one of the board's zones
    # The only record ids there may be (the VIP-kaart's ten places), and what a device that
    # writes another one is told; None: any id.
    keys: frozenset[str] | None = None
    keys_refusal: str = ""


NOTES_ROOT = Root(NOTE, records=True, owned=True, zoned=True)
GROUPS_ROOT = Root(GROUP, records=True, zoned=True)
_NOTE_BOARD = {"notes": NOTES_ROOT, "groups": GROUPS_ROOT}

# Which top-level maps a device may write on each board. `meta` (template, title) and the
# whole of `verloop` and `stand` are written by the server only.
ROOTS: dict[str, dict[str, Root]] = {
    "drieluik": {**_NOTE_BOARD, "statements": Root(STATEMENTS, records=False)},
    "doelen": _NOTE_BOARD,
    "familie": _NOTE_BOARD,
    "bodemeisen": _NOTE_BOARD,
    "evaluatie": _NOTE_BOARD,
    "plan": {
        "goals": Root(GOAL, records=True),
        "actions": Root(ACTION, records=True),
        "team": Root(TEAM, records=True),
        "info": Root(INFO, records=False),
    },
    "mensen": {"people": Root(PERSON, records=True)},
    "ecogram": {"placements": Root(PLACEMENT, records=True)},
    "sociogram": {"rows": Root(SOCIOGRAM_ROW, records=True)},
    "genogram": {
        "members": Root(MEMBER, records=True),
        "relations": Root(RELATION, records=True),
    },
    "afspraken": {
        "afspraken": Root(AGREEMENT, records=True),
        "antwoorden": Root(QUESTIONS, records=False),
    },
    # board/steuntabel.py, vipkaart.py, levenslijn.py, netwerkvragen.py
    "steuntabel": {"members": Root(SUPPORT_MEMBER, records=True)},
    "vipkaart": {
        "vips": Root(
            VIP, records=True, keys=frozenset(vipkaart.PLACES), keys_refusal=vipkaart.FULL
        ),
        "info": Root(VIP_INFO, records=False),
    },
    "levenslijn": {
        "lines": Root(LIFELINE, records=True),
        "events": Root(LIFE_EVENT, records=True),
    },
    "netwerkvragen": {"answers": Root(QUESTION_ANSWER, records=True)},
    "verloop": {},
    "stand": {},
}
assert set(ROOTS) == set(BOARDS), "every board needs its shape"


class Nested:
    """Stands for a shared map where only a plain value belongs (never read further)."""


NESTED = Nested()


@dataclass(frozen=True)
class Change:
    """One change of a transaction, as the document reports it after applying.

    `field` None: the record (or, in a RECORD map, the value) `key` itself was added,
    replaced or deleted; `value` is then the new record's fields (a dict) or None. Otherwise
    one field of record `key` changed to `value` (None when deleted).
    """

    root: str
    key: str
    field: str | None
    action: str  # "add", "update" or "delete"
    value: Any


def field_error(spec: Field, value: Any) -> str | None:
    """Why a value does not fit its field, in plain Dutch, or None."""
    if isinstance(value, Nested):
        return "op deze plek hoort een gewone waarde"
    if spec.kind == "text":
        if not isinstance(value, str):
            return "hier hoort tekst"
        if len(value) > spec.max:
            return f"de tekst is langer dan {spec.max} tekens"
        if spec.choices and value not in spec.choices:
            return "deze keuze kent dit bord niet"
    elif spec.kind == "number":
        if (
            isinstance(value, bool)
            or not isinstance(value, (int, float))
            or not math.isfinite(value)
        ):
            return "hier hoort een getal"
        if (spec.low is not None and value < spec.low) or (
            spec.high is not None and value > spec.high
        ):
            return "dit getal kan hier niet"
    elif spec.kind == "tags":
        if (
            not isinstance(value, list)
            or len(value) > spec.max
            or not all(isinstance(t, str) and len(t) <= SHORT_TEXT_MAX for t in value)
        ):
            return "hier hoort een korte lijst met woorden"
        if spec.choices and not all(t in spec.choices for t in value):
            return "deze keuze kent dit bord niet"
    return None


def _record_error(board_id: str, root: Root, fields: Any) -> str | None:
    if not isinstance(fields, dict):
        return "hier hoort een briefje of kaart"
    if len(fields) > FIELDS_MAX:
        return "te veel velden"
    for name, value in fields.items():
        error = _value_error(board_id, root, name, value)
        if error:
            return error
    return None


def _value_error(board_id: str, root: Root, name: str, value: Any) -> str | None:
    spec = root.fields.get(name)
    if spec is None:
        return f"dit bord kent het veld '{name[:40]}' niet"
    error = field_error(spec, value)
    if error:
        return error
    if root.zoned and name == "zone" and value not in _zones(board_id):
        return "dit vak bestaat niet op dit bord"
    if root.owned and name == "role" and value not in _ROLE_IDS:
        return "onbekende rol"
    return None


_ROLE_IDS = frozenset(r.value for r in ROLES)


def _zones(board_id: str) -> frozenset[str]:
    board = BOARDS.get(board_id)
    return frozenset(z.id for z in board.zones) if board else frozenset()


OWN_ROLE = "Een briefje dat je schrijft, hoort bij je eigen rol"
NOT_YOURS = "Dit briefje is van iemand anders: je kunt het verplaatsen, niet veranderen"


def refusal(
    board_id: str, role: Role, changes: Iterable[Change], owner: Callable[[str, str], str | None]
) -> str | None:
    """Why a device of `role` may not make these changes to board `board_id`, in plain
    Dutch, or None when it may. `owner(root, key)` gives the role a record belonged to
    before the changes (None if it had none)."""
    roots = ROOTS.get(board_id, {})
    for change in changes:
        root = roots.get(change.root)
        if root is None:
            return f"Dit bord heeft geen onderdeel '{change.root[:40]}'"
        if (
            root.keys is not None
            and change.key not in root.keys
            and not (change.field is None and change.action == "delete")
        ):
            return root.keys_refusal or "Dit onderdeel heeft hier geen plek"
        if change.field is not None:
            if not root.records:
                return "Dit onderdeel kan zo niet veranderd worden"
            if change.action != "delete":
                error = _value_error(board_id, root, change.field, change.value)
                if error:
                    return _sentence(error)
            if (
                root.owned
                and change.field not in MOVE_FIELDS
                and not _may_change(role, owner(change.root, change.key))
            ):
                return NOT_YOURS
            if (
                root.owned
                and change.field == "role"
                and role is not Role.FACILITATOR
                and change.value != role.value
            ):
                return OWN_ROLE
            continue
        if not root.records:  # a value of a RECORD map
            if change.action != "delete":
                error = _value_error(board_id, root, change.key, change.value)
                if error:
                    return _sentence(error)
            continue
        if (
            change.action != "add"
            and root.owned
            and not _may_change(role, owner(change.root, change.key))
        ):
            return NOT_YOURS  # replacing or removing someone else's note
        if change.action == "delete":
            continue
        error = _record_error(board_id, root, change.value)
        if error:
            return _sentence(error)
        if root.owned and role is not Role.FACILITATOR and change.value.get("role") != role:
            return OWN_ROLE
    return None


def _sentence(error: str) -> str:
    return error[0].upper() + error[1:]


def may_change_note(role: Role, owner: str | None) -> bool:
    """Whether a device of `role` may change what a note of role `owner` says, or take it
    off the board (the browser gets this rule as data: board.model)."""
    return role is Role.FACILITATOR or owner == role.value


_may_change = may_change_note


def roots_of(board_id: str) -> dict[str, bool]:
    """Top-level names a device may write on a board -> whether it is a RECORDS map."""
    return {name: root.records for name, root in ROOTS.get(board_id, {}).items()}
