"""Instemming: who is asked to say akkoord / niet akkoord, who may give whose answer, and when."""

from dataclasses import dataclass

from .roles import Role
from .scripts import get_script
from .state import MeetingState

MAX_COMMENT = 500  # characters of the comment with an answer

# Who is asked: the family and its network, and the professionals. The facilitator leads the
# meeting and is not asked (nor counted in "3 van 5 akkoord"); the TV is no person.
CONSENT_ROLES: tuple[Role, ...] = (Role.FAMILIE, Role.PROFESSIONAL)


def is_asked(participant_role: str | None) -> bool:
    """Whether a person on the list with this role is asked for an answer (and counted)."""
    return participant_role in {r.value for r in CONSENT_ROLES}


@dataclass(frozen=True)
class Refusal:
    reason: str  # plain Dutch, for the person who tried
    kind: str  # "role": this role may not; "not-now": not in this state; "unknown": no such person


def consent_refusal(
    role: Role, state: MeetingState, participant_role: str | None
) -> Refusal | None:
    """Why a device of `role` may not give the answer of a participant of `participant_role`
    (None: nobody of that id is on the meeting's list) now, or None when it may.

    Only in a consent step of the script, while the meeting is not finished (a finished
    meeting keeps its answers as they were); only for people who are asked (CONSENT_ROLES); a
    device answers for the people of its own link's role (the passed-around tablet), the
    facilitator for anyone who is asked; the projector never.
    """
    if role is Role.SCHERM:
        return Refusal("Het scherm kan geen akkoord geven", "role")
    if state.finished:
        return Refusal(
            "De bijeenkomst is afgesloten. Akkoord geven of je keuze veranderen kan niet meer.",
            "not-now",
        )
    script = get_script(state.script)
    step = script.step(state.phase)
    if step is None or not step.consent:
        asked = next((s.title for s in script.steps if s.consent), None)
        return Refusal(
            f"Akkoord geven kan pas bij de stap '{asked}'"
            if asked
            else "In deze bijeenkomst wordt niet om akkoord gevraagd",
            "not-now",
        )
    if participant_role is None:
        return Refusal("Deze persoon staat niet op de lijst", "unknown")
    if not is_asked(participant_role):
        return Refusal("De gespreksleider leidt het gesprek en geeft zelf geen akkoord", "role")
    if role is not Role.FACILITATOR and participant_role != role.value:
        return Refusal("Je kunt alleen akkoord geven voor iemand met dezelfde soort link", "role")
    return None
