"""One source for every rule: board/'s transitions, the consent rule, the tabs per role, the
model the browser gets as data, and a check that the browser keeps no copy of it."""

import html
import json
import re
from dataclasses import replace
from pathlib import Path

import pytest

from board.boards import BOARDS, NOTE_TAGS, STATEMENTS
from board.consent import consent_refusal
from board.model import LIMITS, client_model
from board.permissions import Access, decide, exportable_boards, readable_boards, tabs
from board.plan import DEFAULT_STATUS, STATUSES
from board.roles import ROLE_LABELS, Role
from board.schema import MOVE_FIELDS, NOTE_TEXT_MAX, ROOTS, SHORT_TEXT_MAX
from board.scripts import SCRIPTS, get_script
from board.state import MeetingState, enter_step, finish, lock, move_step, reopen
from server import closecodes

F, P, S, L = Role.FAMILIE, Role.PROFESSIONAL, Role.SCHERM, Role.FACILITATOR
JS = Path(__file__).resolve().parent.parent / "server" / "static" / "js"


# --- entering a step, finishing -------------------------------------------------------------


def test_entering_a_closed_step_starts_the_closed_part_and_closes_posting():
    state = MeetingState(phase="informatie-delen", posting_open=True)
    closed = enter_step(state, "besloten-deel")
    assert closed.phase == "besloten-deel" and closed.closed and not closed.posting_open
    opened = enter_step(closed, "plan-presenteren")
    assert opened.phase == "plan-presenteren" and not opened.closed


def test_an_unknown_step_keeps_the_closed_part_as_it_was():
    state = MeetingState(closed=True, posting_open=True)
    later = enter_step(state, "pauze")
    assert later.phase == "pauze" and later.closed and not later.posting_open


def test_moving_steps_follows_the_script_and_stops_at_either_end():
    state = MeetingState()  # welkom, familienetwerkberaad
    assert move_step(state, -1) is None
    state = move_step(move_step(state, 1), 1)
    assert state.phase == "besloten-deel" and state.closed
    assert move_step(state, -1).closed is False  # leaving the closed step ends it
    last = enter_step(state, get_script(state.script).steps[-1].id)
    assert move_step(last, 1) is None


def test_finishing_ends_the_closed_part_and_leaves_every_board_read_only():
    state = finish(enter_step(MeetingState(), "besloten-deel"))
    assert state.finished and not state.closed
    for role in (F, P, L):
        for board in ("drieluik", "doelen", "plan", "bodemeisen"):
            assert decide(role, board, state) is Access.READ
    again = reopen(state)
    assert not again.finished and not again.closed and again.phase == "besloten-deel"


def test_lock_and_unlock_a_board():
    state = lock(MeetingState(), "doelen", True)
    assert state.locked == frozenset({"doelen"})
    assert lock(lock(state, "plan", True), "doelen", False).locked == frozenset({"plan"})


# --- consent --------------------------------------------------------------------------------

CONSENT = MeetingState(phase="instemming")


def test_consent_only_in_the_consent_step_and_not_once_finished():
    assert consent_refusal(F, MeetingState(phase="plan-presenteren"), "familie").kind == "not-now"
    assert consent_refusal(F, CONSENT, "familie") is None
    assert consent_refusal(F, finish(CONSENT), "familie").kind == "not-now"
    assert (
        consent_refusal(F, MeetingState(phase="instemming", script="evaluatie"), "familie").kind
        == "not-now"
    )  # evaluatie has no such step


def test_consent_for_your_own_role_only_the_facilitator_for_anyone_the_projector_never():
    assert consent_refusal(P, CONSENT, "familie").kind == "role"
    assert consent_refusal(P, CONSENT, "professional") is None
    assert consent_refusal(L, CONSENT, "familie") is None
    assert consent_refusal(S, CONSENT, "scherm").kind == "role"
    assert consent_refusal(F, CONSENT, None).kind == "unknown"
    refusal = consent_refusal(P, CONSENT, "familie")
    assert refusal.reason and refusal.reason[0].isupper()  # a Dutch sentence for the screen


# --- tabs and exports -----------------------------------------------------------------------


def _states(script_id: str):
    for step in get_script(script_id).steps:
        base = enter_step(MeetingState(script=script_id), step.id)
        yield from (
            base,
            replace(base, closed=not base.closed),
            finish(base),
            replace(base, posting_open=True),
            lock(base, "doelen", True),
            replace(base, shown=frozenset({"vipkaart"})),  # the child shows its VIP-kaart
        )


@pytest.mark.parametrize("script_id", list(SCRIPTS))
@pytest.mark.parametrize("role", list(Role))
def test_tabs_hold_every_board_of_the_script_the_role_ever_reads(script_id, role):
    shown = tabs(role, script_id)
    assert shown == [b for b in SCRIPTS[script_id].boards if b in shown]  # the script's order
    ever = {b for state in _states(script_id) for b in readable_boards(role, state)}
    assert set(shown) == ever & set(SCRIPTS[script_id].boards)


def test_the_family_worksheet_is_no_tab_for_professionals_or_the_projector():
    for role in (P, S):
        assert "familie" not in tabs(role, "familienetwerkberaad")
    for role in (F, L):
        assert "familie" in tabs(role, "familienetwerkberaad")


def test_a_professional_exports_nothing_during_the_closed_part():
    closed = enter_step(MeetingState(), "besloten-deel")
    assert exportable_boards(P, closed) is None
    assert "familie" not in exportable_boards(P, MeetingState())
    # what it may read, but not `stand`: verloop says the same and more
    assert exportable_boards(F, closed) == [b for b in readable_boards(F, closed) if b != "stand"]
    assert "familie" not in exportable_boards(S, closed)


# --- the model the browser gets -------------------------------------------------------------


def test_client_model_serves_board_s_data():
    model = client_model("drieluik", F)
    json.dumps(model)  # it goes into the page as JSON
    assert model["planStatuses"] == STATUSES and model["defaultPlanStatus"] == DEFAULT_STATUS
    assert model["roleLabels"] == {r.value: label for r, label in ROLE_LABELS.items()}
    assert model["tags"] == NOTE_TAGS
    assert model["roots"] == {b: list(ROOTS[b]) for b in BOARDS}
    assert model["noteRights"] == {
        "ownerField": "role",
        "moveFields": sorted(MOVE_FIELDS),
        "anyNote": ["facilitator"],
    }
    assert [b["id"] for b in model["boards"]] == tabs(F, "drieluik")
    assert [s["id"] for s in model["script"]["steps"]] == [s.id for s in SCRIPTS["drieluik"].steps]


def test_zones_carry_statements_and_boards_their_tags():
    boards = {b["id"]: b for b in client_model("familienetwerkberaad", F)["boards"]}
    zones = {z["id"]: z for z in boards["drieluik"]["zones"]}
    assert {z for z, v in zones.items() if v["where"]} == {"zorgen", "plan", "wensen"}
    assert zones["zorgen"]["statement"]["label"] == STATEMENTS["ergste"].label
    assert zones["wensen"]["statement"]["key"] == "wens" and zones["plan"]["statement"] is None
    assert boards["drieluik"]["privateNotes"] and not boards["doelen"]["privateNotes"]
    assert boards["bodemeisen"]["fixedTags"] == ["opgelegd"]
    assert boards["doelen"]["goals"] and not boards["drieluik"]["goals"]
    # every statement a step asks for is one a zone of its board shows
    for script in SCRIPTS.values():
        for step in script.steps:
            if step.statement:
                keys = {z.statement.key for z in BOARDS[step.board].zones if z.statement}
                assert step.statement in keys


def test_the_forms_limits_stay_within_the_server_s():
    assert LIMITS["text"] <= NOTE_TEXT_MAX and LIMITS["short"] <= SHORT_TEXT_MAX


def test_close_codes_are_served_by_name():
    codes = closecodes.BY_NAME
    assert codes["FORBIDDEN"] == closecodes.FORBIDDEN == 4403
    assert codes["UPDATE_REFUSED"] == closecodes.UPDATE_REFUSED
    assert all(isinstance(c, int) for c in codes.values())
    assert len(set(codes.values())) == len(codes)


async def test_the_page_config_holds_the_model_and_the_close_codes(live_server):
    m = await live_server.create_meeting()
    page = await live_server.page(f"/j/{m['tokens']['professional']}")
    found = re.search(
        r'<script type="application/json" id="nb-config">(.*?)</script>', page.text, re.DOTALL
    )
    cfg = json.loads(html.unescape(found.group(1)))
    assert cfg["closeCodes"] == closecodes.BY_NAME
    assert cfg["planStatuses"] == STATUSES and cfg["limits"] == LIMITS
    assert [b["id"] for b in cfg["boards"]] == tabs(P, "familienetwerkberaad")


# --- the browser keeps no copy --------------------------------------------------------------


def _browser_source() -> str:
    return "\n".join(p.read_text() for p in sorted(JS.glob("*.js")))


def test_the_browser_keeps_no_copy_of_labels_statuses_or_close_codes():
    source = _browser_source()
    copies = [*STATUSES.values(), *ROLE_LABELS.values(), *NOTE_TAGS.values()]
    for statement in STATEMENTS.values():
        copies += [statement.label, statement.question]
    found = [text for text in copies if re.search(rf"\b{re.escape(text)}\b", source)]
    assert not found, f"static/js holds copies of board/'s labels: {found}"
    numbers = [c for c in closecodes.BY_NAME.values() if re.search(rf"\b{c}\b", source)]
    assert not numbers, f"static/js names close codes by number: {numbers} (use cfg.closeCodes)"


def test_the_browser_keeps_no_copy_of_zones_tags_or_top_level_maps():
    source = _browser_source()
    fields = {f for roots in ROOTS.values() for root in roots.values() for f in root.fields}
    # a zone id that is also a board ("plan") or a field ("wie") says nothing on its own
    zone_ids = {z.id for b in BOARDS.values() for z in b.zones} - set(BOARDS) - fields
    quoted = [
        name
        for name in [*zone_ids, *STATEMENTS, *STATUSES, *NOTE_TAGS, "goals', 'actions"]
        if re.search(rf"""['"]{re.escape(name)}['"]""", source)
    ]
    assert not quoted, f"static/js holds board/'s names as literals: {quoted}"
    assert "|| 'write'" not in source and '|| "write"' not in source  # screens never guess
