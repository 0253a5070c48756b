"""Meeting phases: their ids and Dutch labels. The state of a meeting is in board/state.py."""

import re
from typing import TypeGuard

# The phases of a FamilieNetwerkBeraad / Eigen Kracht-conferentie (toolkit 3.4, 3.9), with a
# welcome before them. The closed part is a switch of its own (board.state.MeetingState.closed).
PHASES: dict[str, str] = {
    "welkom": "Welkom",
    "informatie-delen": "Informatie delen",
    "besloten-deel": "Besloten deel: de familie praat onder elkaar",
    "plan-presenteren": "Plan presenteren",
    "instemming": "Akkoord met het plan?",
    "afgerond": "Afgerond",
}

FIRST_PHASE = "welkom"

# Later meeting scripts add their own steps; any id of this shape is accepted from the
# facilitator, and the known ones get a Dutch label.
_PHASE_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,47}$")


def is_valid_phase(phase: object) -> TypeGuard[str]:
    return isinstance(phase, str) and bool(_PHASE_ID.match(phase))


def phase_label(phase: str) -> str:
    return PHASES.get(phase, phase.replace("-", " ").capitalize())
