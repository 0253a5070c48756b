"""Board templates: which boards a meeting has and the zones on each.

Every board is its own Yjs document, so a permission applies to a whole board.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Zone:
    id: str
    title: str  # the question or heading shown above the zone, in Dutch


@dataclass(frozen=True)
class Board:
    id: str
    title: str
    zones: tuple[Zone, ...] = ()
    server_only: bool = False  # written only by the server (clients' writes are dropped)
    family_only: bool = False  # the family's own worksheet: never sent to professionals


DRIELUIK = Board(
    "drieluik",
    "Drieluik",
    (
        Zone(
            "zorgen",
            "Hoe is de situatie over 6 maanden als er niks verandert? "
            "Hoe zit iedereen er dan bij?",
        ),
        Zone("plan", "Plan voor de toekomst"),
        Zone(
            "wensen",
            "Hoe zouden jullie je situatie willen zien over 6 maanden? "
            "Wat gun je jezelf en anderen?",
        ),
    ),
)

DOELEN = Board(
    "doelen",
    "Doelen in beeld",
    (
        Zone("kort-zelf", "Korte termijn — dit kunnen we zelf"),
        Zone("kort-samen", "Korte termijn — hiervoor hebben we het netwerk nodig"),
        Zone("lang-zelf", "Lange termijn — dit kunnen we zelf"),
        Zone("lang-samen", "Lange termijn — hiervoor hebben we het netwerk nodig"),
    ),
)

PLAN = Board("plan", "Plan van het actieteam")

FAMILIE = Board("familie", "Werkblad van de familie", family_only=True)

VERLOOP = Board("verloop", "Verloop van de bijeenkomst", server_only=True)

BOARDS: dict[str, Board] = {b.id: b for b in (DRIELUIK, DOELEN, PLAN, FAMILIE, VERLOOP)}

# Boards with notes on them, in the order the interface lists them.
NOTE_BOARDS: tuple[str, ...] = ("drieluik", "doelen", "plan", "familie")

NOTE_TAGS: tuple[str, ...] = ("voorwaardelijk", "vooruitzicht", "opgelegd")


def get_board(board_id: str) -> Board | None:
    return BOARDS.get(board_id)


def zone_ids(board_id: str) -> tuple[str, ...]:
    board = BOARDS.get(board_id)
    return tuple(z.id for z in board.zones) if board else ()
