"""Meeting scripts and the permissions of each step, without a server."""

import pytest

from board import timer as timers
from board.boards import BOARDS
from board.permissions import Access, access_table, decide
from board.roles import Role
from board.scripts import SCRIPTS, get_script, neighbour
from board.state import MeetingState

F, P, S, L = Role.FAMILIE, Role.PROFESSIONAL, Role.SCHERM, Role.FACILITATOR


def at(script: str, step: str, **kw) -> MeetingState:
    return MeetingState(
        phase=step, script=script, closed=get_script(script).step(step).closed, **kw
    )


def test_every_step_asks_something_plain_and_shows_a_board_of_its_script():
    for script in SCRIPTS.values():
        assert script.steps[0].id == "welkom"
        assert len({s.id for s in script.steps}) == len(script.steps)
        for step in script.steps:
            assert step.board in script.boards and step.board in BOARDS
            assert 20 <= len(step.ask) <= 400 and step.ask.endswith((".", "?"))


def test_drieluik_script_follows_the_method():
    ids = [s.id for s in get_script("drieluik").steps]
    assert (
        ids.index("zelf-zorgen")
        < ids.index("zelf-wensen")
        < ids.index("familie-plakt")
        < ids.index("professionals-plakken")
        < ids.index("bespreken-zorgen")
        < ids.index("bespreken-wensen")
        < ids.index("plan")
    )
    steps = {s.id: s for s in get_script("drieluik").steps}
    assert steps["zelf-zorgen"].private and steps["zelf-wensen"].private
    assert steps["bespreken-zorgen"].statement == "ergste"
    assert steps["bespreken-wensen"].statement == "wens"


def test_nobody_posts_while_writing_privately():
    state = at("drieluik", "zelf-zorgen")
    assert decide(F, "drieluik", state) is Access.READ
    assert decide(P, "drieluik", state) is Access.READ
    assert decide(L, "drieluik", state) is Access.WRITE


def test_iedereen_plakt_nu_opens_posting():
    state = at("drieluik", "zelf-zorgen", posting_open=True)
    assert decide(F, "drieluik", state) is Access.WRITE
    assert decide(P, "drieluik", state) is Access.WRITE


def test_professionals_post_only_after_the_family():
    assert decide(F, "drieluik", at("drieluik", "familie-plakt")) is Access.WRITE
    assert decide(P, "drieluik", at("drieluik", "familie-plakt")) is Access.READ
    assert decide(P, "drieluik", at("drieluik", "professionals-plakken")) is Access.WRITE


def test_familienetwerkberaad_closed_part_and_bodemeisen():
    info = at("familienetwerkberaad", "informatie-delen")
    assert decide(P, "bodemeisen", info) is Access.WRITE
    assert decide(F, "bodemeisen", info) is Access.READ
    closed = at("familienetwerkberaad", "besloten-deel")
    assert closed.closed
    assert decide(F, "bodemeisen", closed) is Access.READ  # the family sees the conditions
    assert decide(F, "familie", closed) is Access.WRITE
    for board in BOARDS:
        assert decide(P, board, closed) is (Access.READ if board == "stand" else Access.NONE)
    assert decide(L, "drieluik", closed) is Access.WRITE  # the facilitator keeps the boards
    consent = at("familienetwerkberaad", "instemming")
    assert get_script("familienetwerkberaad").step("instemming").consent
    assert decide(F, "doelen", consent) is Access.READ


def test_a_locked_board_is_read_only_except_for_the_facilitator():
    state = MeetingState(locked=frozenset({"doelen"}))
    assert decide(F, "doelen", state) is Access.READ
    assert decide(P, "doelen", state) is Access.READ
    assert decide(L, "doelen", state) is Access.WRITE
    assert decide(F, "drieluik", state) is Access.WRITE


def test_access_table_covers_every_role_and_board():
    table = access_table(MeetingState(closed=True))
    assert table["professional"]["drieluik"] == "none"
    assert table["familie"]["familie"] == "write"
    assert set(table) == {r.value for r in Role}
    assert all(set(row) == set(BOARDS) for row in table.values())


def test_neighbour_steps():
    script = get_script("familienetwerkberaad")
    assert neighbour(script, "welkom", 1).id == "informatie-delen"
    assert neighbour(script, "welkom", -1) is None
    assert neighbour(script, "instemming", 1) is None
    assert neighbour(script, "onbekend", 1).id == "welkom"


def test_timer_start_pause_resume_add_stop():
    t = timers.apply(timers.Timer(), "start", 10, now=0)
    assert t.ends_at == 600_000
    t = timers.apply(t, "pause", 0, now=60_000)
    assert t.paused_ms == 540_000 and t.ends_at is None
    t = timers.apply(t, "add", 5, now=70_000)
    assert t.paused_ms == 840_000
    t = timers.apply(t, "resume", 0, now=100_000)
    assert t.ends_at == 940_000
    t = timers.apply(t, "add", 1, now=100_000)
    assert t.ends_at == 1_000_000
    assert timers.apply(t, "stop", 0, now=0) == timers.Timer()
    with pytest.raises(ValueError):
        timers.apply(t, "start", 0, now=0)
    with pytest.raises(ValueError):
        timers.apply(t, "ontplof", 1, now=0)
