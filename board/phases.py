"""Meeting phases and the state that permissions are decided on."""

import re
from dataclasses import dataclass

# The phases of a FamilieNetwerkBeraad / Eigen Kracht-conferentie (toolkit 3.4, 3.9), with a
# welcome before them. The closed part is a separate switch (MeetingState.closed) so that the
# facilitator can start and end it independently of the step shown on screen.
PHASES: dict[str, str] = {
    "welkom": "Welkom",
    "informatie-delen": "Informatie delen",
    "besloten-deel": "Besloten deel",
    "plan-presenteren": "Plan presenteren",
    "instemming": "Instemming",
    "afgerond": "Afgerond",
}

FIRST_PHASE = "welkom"

# Later meeting scripts add their own steps; any id of this shape is accepted from the
# facilitator, and the known ones get a Dutch label.
_PHASE_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,47}$")


def is_valid_phase(phase: object) -> bool:
    return isinstance(phase, str) and bool(_PHASE_ID.match(phase))


def phase_label(phase: str) -> str:
    return PHASES.get(phase, phase.replace("-", " ").capitalize())


@dataclass(frozen=True)
class MeetingState:
    """What permissions depend on. The timer and the spotlight live only in `verloop`."""

    phase: str = FIRST_PHASE
    closed: bool = False
    script: str = "familienetwerkberaad"
    locked: frozenset[str] = frozenset()  # boards only the facilitator may change now
    posting_open: bool = False  # "iedereen plakt nu": everyone may post, whatever the step
    finished: bool = False  # closed by the facilitator: read-only for everyone from then on
