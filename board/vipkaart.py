"""The VIP-kaart (toolkit 2.7): the child's own card of the people who matter most.

The child chooses at most ten people from the meeting's one list (board `mensen`, by id); the
order means nothing ("als ouders op 1 en 2 staan, betekent het niet dat de ene ouder
belangrijker wordt gevonden"). For each: how the contact is, and whether something in it
should change. It is the child's own voice: the family (the child, on the tablet) and the
facilitator write it, and **the child decides whether it is shown**. Until then professionals
and the TV receive nothing of it (board.permissions, MeetingState.shown); the family or the
facilitator shows it, or hides it again, with POST /api/meetings/{id}/shown.

The document (board `vipkaart`): a top-level map `vips`, place -> {person, contact,
contactText, change, changeText, createdAt}. The card has ten places, "1" to "10" (no other
key is accepted: that is how the server keeps it to ten, whatever a device sends); a place is
where a person sits around the child on the card, not a rank. And `info` {about}: the person
the card is of (an id from `mensen`; the child when empty).
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

MAX_VIPS = 10
PLACES: tuple[str, ...] = tuple(str(i) for i in range(1, MAX_VIPS + 1))


@dataclass(frozen=True)
class Choice:
    id: str
    label: str
    mouth: int = 0  # the face drawn next to it: 1 smiles, 0 straight, -1 sad


CONTACTS: tuple[Choice, ...] = (
    Choice("goed", "Goed", 1),
    Choice("gaatwel", "Gaat wel", 0),
    Choice("nietgoed", "Niet goed", -1),
)
CHANGES: tuple[Choice, ...] = (
    Choice("nee", "Het is goed zo"),
    Choice("ja", "Er moet iets veranderen"),
)
WISH = "ja"  # "Er moet iets veranderen"
CONTACT_IDS: tuple[str, ...] = tuple(c.id for c in CONTACTS)
CHANGE_IDS: tuple[str, ...] = tuple(c.id for c in CHANGES)

FULL = "Op de VIP-kaart passen tien mensen. Haal eerst iemand weg."
EXPLAIN = (
    "Kies de mensen die het belangrijkst voor je zijn. Het mogen er tien zijn. De volgorde "
    "maakt niet uit. Vertel bij iedereen hoe het contact is, en of er iets moet veranderen."
)
# Where the places are on the card: a ring of ten cells around the child, in a grid of three
# rows and four columns (row, column), clockwise from the top left; the child in the middle
# (row 2, columns 2 and 3). Where someone sits says nothing about how important they are.
GRID_ROWS, GRID_COLS = 3, 4
RING: tuple[tuple[int, int], ...] = (
    (1, 1), (1, 2), (1, 3), (1, 4), (2, 4), (3, 4), (3, 3), (3, 2), (3, 1), (2, 1),
)  # fmt: skip
ME = (2, 2, 2)  # row, column, how many columns
LAYOUT: dict[str, object] = {
    "max": MAX_VIPS,
    "places": list(PLACES),
    "grid": {"rows": GRID_ROWS, "cols": GRID_COLS, "ring": [list(c) for c in RING], "me": list(ME)},
    "contacts": [{"id": c.id, "label": c.label, "mouth": c.mouth} for c in CONTACTS],
    # `wish`: the answer that asks for a change, marked on the card.
    "changes": [{"id": c.id, "label": c.label, "wish": c.id == WISH} for c in CHANGES],
    "contactQuestion": "Hoe is het contact?",
    "changeQuestion": "Moet er iets veranderen?",
    "changeTextQuestion": "Wat moet er veranderen?",
    "full": FULL,
    "me": "Ik",
    # Who sees the card: the child decides (MeetingState.shown).
    "hidden": "Alleen jij, je familie en de gespreksleider zien deze kaart. De professionals "
    "en het scherm zien hem niet.",
    "shown": "Iedereen mag deze kaart zien: ook de professionals en het scherm.",
    "show": "Laat mijn kaart aan iedereen zien",
    "hide": "Toch niet laten zien",
    "notShown": "Deze kaart is van het kind. Het kind kiest zelf of iedereen hem mag zien.",
}


def free_place(taken: Iterable[str]) -> str | None:
    """The first free place on the card, or None when ten people are on it."""
    used = set(taken)
    return next((p for p in PLACES if p not in used), None)


def may_add(vips: Mapping[str, Any], person: str) -> str | None:
    """Why `person` cannot be put on the card now, in plain Dutch, or None when they can."""
    if any(isinstance(v, Mapping) and v.get("person") == person for v in vips.values()):
        return "Deze persoon staat al op de kaart."
    if free_place(vips) is None:
        return FULL
    return None


def vips(content: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The people on the card, each once, as {place, person, contact, contactText, change,
    changeText}: only places of the card, only known choices. In the order of their places
    (where they sit on the card); the exports sort by name, since the order says nothing."""
    found = content.get("vips")
    rows = found if isinstance(found, Mapping) else {}
    out: list[dict[str, Any]] = []
    seen: set[str] = set()
    for place in PLACES:
        v = rows.get(place)
        if not isinstance(v, Mapping):
            continue
        person = v.get("person")
        if not isinstance(person, str) or not person or person in seen:
            continue
        seen.add(person)
        out.append(
            {
                "place": place,
                "person": person,
                "contact": v.get("contact") if v.get("contact") in CONTACT_IDS else "",
                "contactText": _text(v.get("contactText")),
                "change": v.get("change") if v.get("change") in CHANGE_IDS else "",
                "changeText": _text(v.get("changeText")),
            }
        )
    return out


def about(content: Mapping[str, Any]) -> str:
    """The person the card is of (an id from `mensen`), or "" for the child."""
    info = content.get("info")
    value = info.get("about") if isinstance(info, Mapping) else None
    return value if isinstance(value, str) else ""


def contact_label(choice: str) -> str:
    return next((c.label for c in CONTACTS if c.id == choice), "")


def change_label(choice: str) -> str:
    return next((c.label for c in CHANGES if c.id == choice), "")


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""
