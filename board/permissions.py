"""Who may read or write which board, in which state of the meeting.

decide() is the single source of truth; the server enforces its answer on every
WebSocket message and every HTTP read.
"""

from enum import IntEnum

from .boards import BOARDS, get_board
from .phases import MeetingState
from .roles import Role


class Access(IntEnum):
    NONE = 0
    READ = 1
    WRITE = 2


def decide(role: Role, board_id: str, state: MeetingState) -> Access:
    board = get_board(board_id)
    if board is None:
        return Access.NONE
    if board.server_only:
        # verloop carries the phase, the closed part and the timer: everyone needs it,
        # including a professional waiting outside during the closed part.
        return Access.READ
    if role is Role.PROFESSIONAL:
        if board.family_only or state.closed:
            return Access.NONE
        return Access.WRITE
    if role is Role.SCHERM:
        # The projector stands in the family's room; it shows the open boards, never the
        # family's own worksheet (its link may travel further than the room).
        return Access.NONE if board.family_only else Access.READ
    # facilitator and familie
    return Access.WRITE


def readable_boards(role: Role, state: MeetingState) -> list[str]:
    return [b for b in BOARDS if decide(role, b, state) >= Access.READ]
