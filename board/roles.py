"""The four roles a meeting link can carry (see shared/domain.md)."""

from enum import StrEnum


class Role(StrEnum):
    FACILITATOR = "facilitator"
    FAMILIE = "familie"
    PROFESSIONAL = "professional"
    SCHERM = "scherm"


ROLES: tuple[Role, ...] = tuple(Role)

# Plain-language Dutch names for the interface.
ROLE_LABELS: dict[Role, str] = {
    Role.FACILITATOR: "Gespreksleider",
    Role.FAMILIE: "Familie en netwerk",
    Role.PROFESSIONAL: "Professional",
    Role.SCHERM: "Scherm in de kamer",
}


def parse_role(value: str) -> Role | None:
    try:
        return Role(value)
    except ValueError:
        return None
