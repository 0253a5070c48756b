"""Who may read or write which board, in which state of the meeting.

decide() is the single source of truth; the server enforces its answer on every
WebSocket message and every HTTP read, and writes it into `verloop` for the interface.
"""

from enum import IntEnum

from .boards import BOARDS, get_board
from .roles import ROLES, Role
from .scripts import get_script
from .state import MeetingState


class Access(IntEnum):
    NONE = 0
    READ = 1
    WRITE = 2


def decide(role: Role, board_id: str, state: MeetingState) -> Access:
    board = get_board(board_id)
    if board is None:
        return Access.NONE
    if board.always_readable:
        # `stand`: the step, the closed part and the timer, nothing else. Everyone needs it,
        # a professional waiting outside during the closed part too.
        return Access.READ
    if role is Role.PROFESSIONAL and (board.family_only or state.closed):
        # During the closed part a professional gets no board at all, `verloop` included: it
        # carries what the family does (people added, consent, presence, the TV).
        return Access.NONE
    if board.server_only:
        return Access.READ  # `verloop`: read by every screen, written by the server only
    if (
        board.until_shown
        and board_id not in state.shown
        and role in (Role.PROFESSIONAL, Role.SCHERM)
    ):
        # The VIP-kaart is the child's own voice: the child decides whether it is shown. Until
        # then it stays with the family and the facilitator (finished meeting included).
        return Access.NONE
    if role is Role.SCHERM:
        # The projector stands in the family's room; it shows the open boards, never the
        # family's own worksheet (its link may travel further than the room).
        return Access.NONE if board.family_only else Access.READ
    if state.finished:
        return Access.READ  # a finished meeting is kept as it was left
    if role is Role.FACILITATOR:
        return Access.WRITE
    if board_id in state.locked:
        return Access.READ
    step = get_script(state.script).step(state.phase)
    if board_id == "bodemeisen":
        # Professionals set the conditions while sharing information; the family reads them.
        writes = role is Role.PROFESSIONAL and (step is None or step.bodemeisen)
        return Access.WRITE if writes else Access.READ
    if board.family_only:
        return Access.WRITE  # role is familie here
    if board.until_shown:
        # The child's own card: the family writes it in any step; professionals read it.
        return Access.WRITE if role is Role.FAMILIE else Access.READ
    if state.posting_open or step is None:  # "iedereen plakt nu", or a step we do not know
        return Access.WRITE
    return Access.WRITE if role in step.writers else Access.READ


def may_show(role: Role) -> bool:
    """Whether this role chooses if a board the family decides on (the VIP-kaart) is shown: the
    family (the child, on the tablet) and the facilitator helping it."""
    return role in (Role.FAMILIE, Role.FACILITATOR)


def readable_boards(role: Role, state: MeetingState) -> list[str]:
    return [b for b in BOARDS if decide(role, b, state) >= Access.READ]


def tabs(role: Role, script_id: str) -> list[str]:
    """The script's boards this role ever sees, in the script's order: the tabs of its screen.

    Those it may read while the meeting is open: the closed part, a lock or the end of the
    meeting only take rights away. Whether it may see a tab *now* comes from `verloop`.
    """
    script = get_script(script_id)
    # A board the family shows only when it chooses (the VIP-kaart) is a tab too: it appears
    # on it once shown.
    states = (
        MeetingState(script=script.id),
        MeetingState(script=script.id, shown=frozenset(b for b in BOARDS if BOARDS[b].until_shown)),
    )
    return [b for b in script.boards if any(decide(role, b, s) >= Access.READ for s in states)]


def exportable_boards(role: Role, state: MeetingState) -> list[str] | None:
    """The boards this role may export now, or None when it may export nothing.

    An export is what the role may read (but not `stand`: `verloop` says the same and more),
    and a role that may read no board besides the course gets nothing: the course alone would
    tell who is there and what they answered.
    """
    boards = [b for b in readable_boards(role, state) if not BOARDS[b].always_readable]
    return boards if any(not BOARDS[b].server_only for b in boards) else None


def access_table(state: MeetingState) -> dict[str, dict[str, str]]:
    """Every role's access to every board, for the interface (written into `verloop`)."""
    names = {Access.NONE: "none", Access.READ: "read", Access.WRITE: "write"}
    return {role.value: {b: names[decide(role, b, state)] for b in BOARDS} for role in ROLES}
