"""The role x board x state rules, without a server."""

import pytest

from board.boards import BOARDS
from board.permissions import Access, decide, readable_boards
from board.roles import Role
from board.state import MeetingState

OPEN = MeetingState(phase="informatie-delen", closed=False)
CLOSED = MeetingState(phase="besloten-deel", closed=True)


@pytest.mark.parametrize("state", [OPEN, CLOSED])
def test_familie_board_is_never_for_professionals(state):
    assert decide(Role.PROFESSIONAL, "familie", state) is Access.NONE


def test_professional_sees_nothing_but_the_waiting_screens_board_during_the_closed_part():
    # Not even verloop: it carries the people, the consent answers and the TV.
    assert readable_boards(Role.PROFESSIONAL, CLOSED) == ["stand"]
    assert readable_boards(Role.PROFESSIONAL, OPEN)[-2:] == ["verloop", "stand"]


def test_professional_writes_open_boards_when_not_closed():
    for board in ("drieluik", "doelen", "plan"):
        assert decide(Role.PROFESSIONAL, board, OPEN) is Access.WRITE


@pytest.mark.parametrize("state", [OPEN, CLOSED])
@pytest.mark.parametrize("role", [Role.FAMILIE, Role.FACILITATOR])
def test_family_and_facilitator_keep_writing_in_the_closed_part(role, state):
    for board in ("drieluik", "doelen", "plan", "familie"):
        assert decide(role, board, state) is Access.WRITE


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("state", [OPEN, CLOSED])
def test_verloop_and_stand_are_read_only_and_verloop_is_nobody_elses_in_the_closed_part(
    role, state
):
    assert decide(role, "stand", state) is Access.READ  # every role, always
    hidden = role is Role.PROFESSIONAL and state.closed
    assert decide(role, "verloop", state) is (Access.NONE if hidden else Access.READ)


def test_projector_reads_open_boards_but_never_writes_or_shows_the_family_worksheet():
    for board in ("drieluik", "doelen", "plan"):
        assert decide(Role.SCHERM, board, OPEN) is Access.READ
    assert decide(Role.SCHERM, "familie", OPEN) is Access.NONE


@pytest.mark.parametrize("role", list(Role))
def test_unknown_board_is_never_accessible(role):
    assert decide(role, "geheim", OPEN) is Access.NONE


def test_every_board_in_the_contract_exists():
    assert {"drieluik", "doelen", "plan", "familie", "verloop"} <= set(BOARDS)
    assert [z.id for z in BOARDS["drieluik"].zones] == ["zorgen", "plan", "wensen"]
    assert [z.id for z in BOARDS["doelen"].zones] == [
        "kort-zelf",
        "kort-samen",
        "lang-zelf",
        "lang-samen",
    ]


# The steuntabel, VIP-kaart, levenslijn and netwerkvragen (tests/test_instruments.py has more).
NETWORK_B = ("steuntabel", "vipkaart", "levenslijn", "netwerkvragen")


@pytest.mark.parametrize("board", NETWORK_B)
def test_professionals_see_none_of_the_support_boards_in_the_closed_part(board):
    shown = MeetingState(phase="besloten-deel", closed=True, shown=frozenset({"vipkaart"}))
    for state in (CLOSED, shown):
        assert decide(Role.PROFESSIONAL, board, state) is Access.NONE
        assert decide(Role.FAMILIE, board, state) is Access.WRITE


def test_the_vipkaart_is_the_childs_until_it_is_shown():
    shown = MeetingState(phase="informatie-delen", shown=frozenset({"vipkaart"}))
    for role in (Role.PROFESSIONAL, Role.SCHERM):
        assert decide(role, "vipkaart", OPEN) is Access.NONE
        assert decide(role, "vipkaart", shown) is Access.READ


# The meeting's people and the ecogram, sociogram and genogram (tests/test_networkmap.py has
# more): the same rules as the open boards; nothing of them for professionals in the closed part.
NETWORK_A = ("mensen", "ecogram", "sociogram", "genogram")


@pytest.mark.parametrize("board", NETWORK_A)
def test_professionals_see_none_of_the_network_maps_in_the_closed_part(board):
    assert decide(Role.PROFESSIONAL, board, CLOSED) is Access.NONE
    assert decide(Role.PROFESSIONAL, board, OPEN) is Access.WRITE
    for role in (Role.FAMILIE, Role.FACILITATOR):
        assert decide(role, board, CLOSED) is Access.WRITE
    assert decide(Role.SCHERM, board, CLOSED) is Access.READ  # the TV in the family's room
    assert decide(Role.SCHERM, board, OPEN) is Access.READ


def test_the_agreements_follow_the_open_boards_and_professionals_see_none_in_the_closed_part():
    # board `afspraken` (board/afspraken.py): written as the step says, by everyone in the
    # startbespreking; nothing of it for a professional during the closed part.
    assert decide(Role.PROFESSIONAL, "afspraken", CLOSED) is Access.NONE
    assert decide(Role.PROFESSIONAL, "afspraken", OPEN) is Access.WRITE
    for role in (Role.FAMILIE, Role.FACILITATOR):
        assert decide(role, "afspraken", CLOSED) is Access.WRITE
    assert decide(Role.SCHERM, "afspraken", CLOSED) is Access.READ
