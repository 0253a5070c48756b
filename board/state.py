"""The state of a meeting that permissions are decided on, and how the facilitator's actions
change it. Pure: the server stores the result, cuts off who may no longer see a board, and
writes it into `verloop`."""

from dataclasses import dataclass, replace

from .boards import get_board
from .phases import FIRST_PHASE
from .scripts import DEFAULT_SCRIPT, get_script, neighbour


@dataclass(frozen=True)
class MeetingState:
    """What permissions depend on. The timer and the spotlight live only in `verloop`.

    The closed part is a switch of its own (`closed`), so that the facilitator can start and
    end it apart from the step shown on screen; entering a step sets it as the step says.
    """

    phase: str = FIRST_PHASE
    closed: bool = False
    script: str = DEFAULT_SCRIPT
    locked: frozenset[str] = frozenset()  # boards only the facilitator may change now
    posting_open: bool = False  # "iedereen plakt nu": everyone may post, whatever the step
    finished: bool = False  # closed by the facilitator: read-only for everyone from then on
    # Boards the family has shown (Board.until_shown: the VIP-kaart). Until then professionals
    # and the TV get nothing of them.
    shown: frozenset[str] = frozenset()


def enter_step(state: MeetingState, step_id: str) -> MeetingState:
    """The state once the meeting is at `step_id`. A step of the script starts or ends the
    closed part as it says (an id the script does not know keeps it as it is), and "iedereen
    plakt nu" ends with the step it was opened in."""
    step = get_script(state.script).step(step_id)
    return replace(
        state,
        phase=step_id,
        posting_open=False,
        closed=step.closed if step is not None else state.closed,
    )


def move_step(state: MeetingState, delta: int) -> MeetingState | None:
    """The state after going to the next (+1) or previous (-1) step, or None at either end."""
    step = neighbour(get_script(state.script), state.phase, delta)
    return enter_step(state, step.id) if step is not None else None


def finish(state: MeetingState) -> MeetingState:
    """A finished meeting is read-only for everyone, so its closed part is over too: the
    professionals get to read the boards as they were left."""
    return replace(state, finished=True, closed=False)


def reopen(state: MeetingState) -> MeetingState:
    """Writing again, in the step it was left at (the closed part stays ended)."""
    return replace(state, finished=False)


def lock(state: MeetingState, board_id: str, locked: bool) -> MeetingState:
    """Lock a board (read-only for all but the facilitator), or unlock it."""
    boards = state.locked | {board_id} if locked else state.locked - {board_id}
    return replace(state, locked=frozenset(boards))


def show(state: MeetingState, board_id: str, shown: bool) -> MeetingState | None:
    """Show a board the family decides on (Board.until_shown) to everyone, or keep it to the
    family again; None for any other board (nothing changes)."""
    board = get_board(board_id)
    if board is None or not board.until_shown:
        return None
    boards = state.shown | {board_id} if shown else state.shown - {board_id}
    return replace(state, shown=frozenset(boards))
