"""Instemming: who may say akkoord / niet akkoord for whom, and when."""

from dataclasses import dataclass

from .roles import Role
from .scripts import get_script
from .state import MeetingState

MAX_COMMENT = 500  # characters of the comment with an answer


@dataclass(frozen=True)
class Refusal:
    reason: str  # plain Dutch, for the person who tried
    kind: str  # "role": this role may not; "not-now": not in this state; "unknown": no such person


def consent_refusal(
    role: Role, state: MeetingState, participant_role: str | None
) -> Refusal | None:
    """Why a device of `role` may not give the answer of a participant of `participant_role`
    (None: nobody of that id is on the meeting's list) now, or None when it may.

    Only in a consent step of the script, while the meeting is not finished; a device answers
    for the people of its own link's role (the passed-around tablet), the facilitator for
    anyone; the projector never.
    """
    if role is Role.SCHERM:
        return Refusal("Het scherm kan niet instemmen", "role")
    if state.finished:
        return Refusal("De bijeenkomst is afgesloten: er kan niets meer veranderen", "not-now")
    step = get_script(state.script).step(state.phase)
    if step is None or not step.consent:
        return Refusal("Instemmen kan pas bij de stap Instemming", "not-now")
    if participant_role is None:
        return Refusal("Deze persoon staat niet op de lijst", "unknown")
    if role is not Role.FACILITATOR and participant_role != role.value:
        return Refusal("Je kunt alleen voor iemand met jouw soort link instemmen", "role")
    return None
