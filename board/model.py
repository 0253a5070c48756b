"""The model the browser works with, as data: one function, put in the page's config.

The browser keeps no copy of a rule, a label or a list of names; whatever it needs to draw a
board or to know what it may do comes from here (and the server's close codes, which the
page adds: server/closecodes.py). What a role may do *now* it reads from `verloop`.
"""

from typing import Any

from .boards import BOARDS, HELP_KINDS, HELP_SHORT, NOTE_TAG_SHORT, NOTE_TAGS, STAND, client_board
from .consent import CONSENT_ROLES, MAX_COMMENT
from .export import has_picture
from .followon import DEFAULT_SCRIPT as FOLLOW_ON_SCRIPT
from .people import MAX_NAME, MAX_RELATION, RELATIONS
from .permissions import Access, decide, may_show, tabs
from .phases import PHASES
from .plan import DEFAULT_STATUS, PROGRESS, STATUSES, TEXT_LIMIT
from .roles import ROLE_LABELS, ROLES, Role
from .schema import MOVE_FIELDS, SHORT_TEXT_MAX, may_change_note, roots_of
from .scripts import CLOSED_PART_WAITING, SCRIPTS, client_script, get_script
from .state import MeetingState
from .timer import END_SHOWN_MS

# What the forms let a person type: within the server's limits (board/schema.py), and no more
# than the plan export keeps of a field (board/plan.py), so what was typed is never cut off.
LIMITS: dict[str, int] = {
    "text": TEXT_LIMIT,  # a note, a statement, a goal, the help it needs
    "short": SHORT_TEXT_MAX,  # what an action is
    "name": MAX_NAME,
    "relation": MAX_RELATION,
    "comment": MAX_COMMENT,  # with an answer in the consent step
}


def note_rights() -> dict[str, Any]:
    """board.schema's rule for notes, as data: anyone who may write a board may change a
    note's `moveFields`; what it says, or removing it, only a device of the note's own role
    (`ownerField`) or of a role in `anyNote`."""
    return {
        "ownerField": "role",
        "moveFields": sorted(MOVE_FIELDS),
        "anyNote": [r.value for r in ROLES if may_change_note(r, None)],
    }


def client_model(script_id: str, role: Role) -> dict[str, Any]:
    """Everything the screen of `role` in a meeting that follows `script_id` needs."""
    script = get_script(script_id)
    return {
        "boards": [client_board(b) for b in tabs(role, script.id)],  # the tabs, in order
        "script": client_script(script),
        "roleLabels": {r.value: ROLE_LABELS[r] for r in ROLES},
        "phases": PHASES,
        "planStatuses": STATUSES,
        "defaultPlanStatus": DEFAULT_STATUS,
        "planProgress": PROGRESS,  # marked at an evaluation: behaald, loopt, loopt niet
        # The boards "Plaatjes van de borden" offers (GET …/boards/{board}.svg); the plan is
        # taken home as the plan page.
        "pictures": [b for b in BOARDS if has_picture(b) and b != "plan"],
        # A meeting that follows on from this one (the facilitator's console): its kinds.
        "followOn": {
            "scripts": [{"id": s.id, "title": s.title} for s in SCRIPTS.values()],
            "default": FOLLOW_ON_SCRIPT,
        },
        "tags": NOTE_TAGS,  # what the form says
        "tagShort": NOTE_TAG_SHORT,  # what the note says
        "helpKinds": HELP_KINDS,
        "helpShort": HELP_SHORT,
        # Who is asked for akkoord / niet akkoord, and counted (not the facilitator).
        "consentRoles": [r.value for r in CONSENT_ROLES],
        "closedWaiting": CLOSED_PART_WAITING,
        # The board this screen watches while `verloop` is kept from it (a professional in
        # the closed part), or None when that never happens.
        "standBoard": STAND.id if loses_course(role, script.id) else None,
        "relations": list(RELATIONS),
        # The top-level maps a device writes on each board (undo follows these).
        "roots": {b: list(roots_of(b)) for b in BOARDS},
        "noteRights": note_rights(),
        "limits": LIMITS,
        # Whether this role chooses if the VIP-kaart is shown (board.permissions.may_show).
        "mayShow": may_show(role),
        "timerEndShownMs": END_SHOWN_MS,  # how long "De tijd is om" stays (board/timer.py)
    }


def loses_course(role: Role, script_id: str) -> bool:
    """Whether `verloop` is ever kept from this role (board.permissions: the closed part)."""
    closed = MeetingState(script=script_id, closed=True)
    return decide(role, "verloop", closed) is Access.NONE
