"""What the TV in the room shows, and how the facilitator changes it. Pure: the server keeps
the result in `verloop` (field `screen`, and `spotlight` as before), next to the timer.

The TV follows the step (it shows the step's board) until the facilitator sends it to another
board, or to one group shown large (the spotlight). Going to another step makes it follow the
step again. Above whatever board it shows, the facilitator may put one of the netwerkvragen
(`question`), until it is taken off or the step changes. The TV stands in the family's room:
it may show the boards of the meeting's script that the `scherm` role may read
(board.permissions), never the family's own worksheet, also during the closed part, and the
VIP-kaart only once the child has shown it.
"""

from dataclasses import dataclass, replace
from typing import Any

from .boards import BOARDS, NETWERKVRAGEN
from .netwerkvragen import is_question
from .permissions import Access, decide
from .roles import Role
from .scripts import get_script
from .state import MeetingState

MAX_GROUP_ID = 64  # group ids are made by the browsers; longer ones are refused


@dataclass(frozen=True)
class Screen:
    board: str | None = None  # None: the board of the current step
    group: str | None = None  # a group on `board`, shown large (the spotlight)
    sound: bool = False  # a short sound on the TV when the timer ends
    # One of the netwerkvragen (board/netwerkvragen.py), large above whatever board the TV
    # shows, until the facilitator takes it off or goes to another step.
    question: str | None = None


class NotForTheScreen(ValueError):
    """The TV cannot show this (an unknown board, the family's worksheet, a bad group id)."""


def screen_boards(state: MeetingState) -> tuple[str, ...]:
    """The boards the facilitator may put on the TV now: the script's boards it may read."""
    return tuple(
        b for b in get_script(state.script).boards if decide(Role.SCHERM, b, state) >= Access.READ
    )


def step_board(state: MeetingState) -> str | None:
    """The board of the current step (what the TV shows when it follows the step)."""
    step = get_script(state.script).step(state.phase)
    return step.board if step is not None else None


def showing(screen: Screen, state: MeetingState) -> str | None:
    """The board the TV shows now."""
    return screen.board or step_board(state)


def show(screen: Screen, state: MeetingState, board: Any, group: Any = None) -> Screen:
    """Send the TV to a board, or to one group on a board with notes."""
    if not isinstance(board, str) or board not in screen_boards(state):
        raise NotForTheScreen("Dit bord kan niet op het scherm")
    if group is not None:
        if not BOARDS[board].zones:
            raise NotForTheScreen("Op dit bord staan geen groepen")
        if not isinstance(group, str) or not 0 < len(group) <= MAX_GROUP_ID:
            raise NotForTheScreen("Onbekende groep")
    return replace(screen, board=board, group=group)


def show_question(screen: Screen, state: MeetingState, question: Any) -> Screen:
    """Put one of the netwerkvragen on the TV (None takes it off). Only in a meeting whose
    script has the board `netwerkvragen` on the TV."""
    if question is None:
        return replace(screen, question=None)
    if NETWERKVRAGEN.id not in screen_boards(state):
        raise NotForTheScreen("In deze bijeenkomst staan geen netwerkvragen")
    if not is_question(question):
        raise NotForTheScreen("Deze vraag bestaat niet")
    return replace(screen, question=question)


def follow_step(screen: Screen) -> Screen:
    """Back to "volgt de stap"."""
    return replace(screen, board=None, group=None)


def hide_group(screen: Screen, state: MeetingState) -> Screen:
    """ "Niet meer op het scherm": the TV shows the board the group is on again; when that is
    the step's board, it follows the step."""
    if screen.group is None:
        return screen
    board = None if screen.board == step_board(state) else screen.board
    return replace(screen, board=board, group=None)


def set_sound(screen: Screen, on: bool) -> Screen:
    return replace(screen, sound=on)


def after_change(screen: Screen, old: MeetingState, new: MeetingState) -> Screen:
    """Another step: the TV follows the step again, and a question on it goes. And a board the
    TV may no longer show (the VIP-kaart the child hides again) is taken off it."""
    if old.phase != new.phase:
        return replace(follow_step(screen), question=None)  # a question belongs to its step
    if screen.board and screen.board not in screen_boards(new):
        return follow_step(screen)  # the VIP-kaart, when the child hides it again
    return screen


def to_verloop(screen: Screen) -> dict[str, Any]:
    return {
        "board": screen.board,
        "group": screen.group,
        "sound": screen.sound,
        "question": screen.question,
    }


def spotlight_of(screen: Screen) -> dict[str, str] | None:
    """`verloop`'s older field: the group shown large, or None."""
    if screen.board is None or screen.group is None:
        return None
    return {"board": screen.board, "group": screen.group}


def from_verloop(value: Any) -> Screen:
    """What `verloop` holds (absent in meetings made before it existed: follow the step)."""
    if not isinstance(value, dict):
        return Screen()
    board, group = value.get("board"), value.get("group")
    board = board if isinstance(board, str) and board in BOARDS else None
    group = group if board and isinstance(group, str) else None
    question = value.get("question")
    return Screen(
        board, group, value.get("sound") is True, question if is_question(question) else None
    )
