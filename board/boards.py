"""Board templates: which boards a meeting has and the zones on each.

Every board is its own Yjs document, so a permission applies to a whole board.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Statement:
    """One sentence written next to a column (top-level map `statements`, under `key`)."""

    key: str
    label: str  # shown before it
    question: str  # asked when it is written


ERGSTE = Statement("ergste", "Het ergste dat kan gebeuren", "Wat is het ergste dat kan gebeuren?")
WENS = Statement("wens", "De grootste wens", "Wat is de grootste wens?")


@dataclass(frozen=True)
class Zone:
    id: str
    title: str  # the question or heading shown above the zone, in Dutch
    color: str = "geel"  # post-it colour: follows the question being answered
    private_first: bool = False  # people write here for themselves first (a new note is private)
    statement: Statement | None = None  # the sentence written next to this column
    where: str = ""  # where it is on the board, in Dutch: "Mijn briefjes links plakken"


@dataclass(frozen=True)
class Board:
    id: str
    title: str
    zones: tuple[Zone, ...] = ()
    server_only: bool = False  # written only by the server (clients' writes are dropped)
    family_only: bool = False  # the family's own worksheet: never sent to professionals
    private_notes: bool = False  # notes may stay on the writer's device until they are posted
    fixed_tags: tuple[str, ...] = ()  # tags every note written here carries
    goals: bool = False  # its notes are goals: tags and help are chosen, they go into the plan


DRIELUIK = Board(
    "drieluik",
    "Drieluik",
    (
        Zone(
            "zorgen",
            "Hoe is de situatie over 6 maanden als er niks verandert? Hoe zit iedereen er dan bij?",
            "oranje",
            private_first=True,
            statement=ERGSTE,
            where="links",
        ),
        Zone("plan", "Plan voor de toekomst", "blauw", where="in het midden"),
        Zone(
            "wensen",
            "Hoe zouden jullie je situatie willen zien over 6 maanden? "
            "Wat gun je jezelf en anderen?",
            "groen",
            private_first=True,
            statement=WENS,
            where="rechts",
        ),
    ),
    private_notes=True,
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
    goals=True,
)

PLAN = Board("plan", "Plan van het actieteam")

FAMILIE = Board(
    "familie",
    "Werkblad van de familie",
    (
        Zone("afspraken", "Wat spreken we af?", "geel"),
        Zone("wie", "Wie doet wat? Wie zitten in het actieteam?", "blauw"),
        Zone("vragen", "Welke hulp vragen we aan de professionals?", "groen"),
    ),
    family_only=True,
)

# The conditions professionals set that are not negotiable (Eigen Kracht: bodemeisen).
BODEMEISEN = Board(
    "bodemeisen",
    "Bodemeisen",
    (Zone("bodemeisen", "Voorwaarden waar niet over te praten valt", "oranje"),),
    fixed_tags=("opgelegd",),
)

EVALUATIE = Board(
    "evaluatie",
    "Evaluatie",
    (
        Zone("goed", "Wat gaat goed?", "groen"),
        Zone("beter", "Wat kan beter?", "oranje"),
        Zone("tevreden", "Wanneer zijn we tevreden? Wat moet er dan veranderd zijn?", "blauw"),
        Zone("volgende", "Wanneer evalueren we weer?", "geel"),
    ),
)

VERLOOP = Board("verloop", "Verloop van de bijeenkomst", server_only=True)

BOARDS: dict[str, Board] = {
    b.id: b for b in (DRIELUIK, DOELEN, PLAN, FAMILIE, BODEMEISEN, EVALUATIE, VERLOOP)
}

# Boards with notes on them, in the order the interface lists them.
NOTE_BOARDS: tuple[str, ...] = ("bodemeisen", "drieluik", "doelen", "evaluatie", "plan", "familie")

# Statements by key, for the exports and the data contract.
STATEMENTS: dict[str, Statement] = {
    z.statement.key: z.statement for b in BOARDS.values() for z in b.zones if z.statement
}

NOTE_TAGS: dict[str, str] = {
    "voorwaardelijk": "Voorwaarde: moet eerst",
    "vooruitzicht": "Vooruitzicht: iets fijns om naar uit te kijken",
    "opgelegd": "Opgelegd: hier valt niet over te praten",
}

# Kinds of help from the network (toolkit 2.8), for goals in a "samen" zone.
HELP_KINDS: dict[str, str] = {
    "emotioneel": "Emotioneel: een luisterend oor, steun",
    "informatief": "Informatief: advies, uitleg",
    "materieel": "Materieel: spullen, geld, vervoer",
    "praktisch": "Praktisch: handen uit de mouwen",
    "professioneel": "Professioneel: hulp van een organisatie",
}


def client_board(board_id: str) -> dict[str, object]:
    """What the browser needs to draw a board."""
    board = BOARDS[board_id]
    return {
        "id": board.id,
        "title": board.title,
        "privateNotes": board.private_notes,
        "fixedTags": list(board.fixed_tags),
        "goals": board.goals,
        "zones": [_client_zone(z) for z in board.zones],
    }


def _client_zone(zone: Zone) -> dict[str, object]:
    statement = zone.statement
    return {
        "id": zone.id,
        "title": zone.title,
        "color": zone.color,
        "privateFirst": zone.private_first,
        "where": zone.where,
        "statement": {
            "key": statement.key,
            "label": statement.label,
            "question": statement.question,
        }
        if statement
        else None,
    }


def get_board(board_id: str) -> Board | None:
    return BOARDS.get(board_id)


def zone_ids(board_id: str) -> tuple[str, ...]:
    board = BOARDS.get(board_id)
    return tuple(z.id for z in board.zones) if board else ()
