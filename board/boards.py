"""Board templates: which boards a meeting has and the zones on each.

Every board is its own Yjs document, so a permission applies to a whole board.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field

from . import afspraken, levenslijn, netwerkvragen, networkmap, steuntabel, vipkaart


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
    statement: Statement | None = None  # the sentence written next to this column
    where: str = ""  # where it is on the board, in Dutch: "Mijn briefjes links plakken"


@dataclass(frozen=True)
class Board:
    id: str
    title: str
    zones: tuple[Zone, ...] = ()
    server_only: bool = False  # written only by the server (clients' writes are dropped)
    # Every role may read it at every moment: it holds only what a waiting screen needs.
    always_readable: bool = False
    family_only: bool = False  # the family's own worksheet: never sent to professionals
    private_notes: bool = False  # notes may stay on the writer's device until they are posted
    fixed_tags: tuple[str, ...] = ()  # tags every note written here carries
    goals: bool = False  # its notes are goals: tags and help are chosen, they go into the plan
    explain: str = ""  # what the board is, in plain Dutch, for whoever reads it in a page or export
    # How the board is drawn: "notes" (columns of post-its), "plan", or one of the network
    # instruments' kinds (BOARD_KINDS). The browser picks its view by this, and draws it from
    # `layout`: plain data (rings, sectors, rows, questions ...), never a copy in JavaScript.
    kind: str = "notes"
    layout: Mapping[str, object] = field(default_factory=dict)
    # The family decides when it is shown (the VIP-kaart: the child's own voice). Until it is
    # in MeetingState.shown, professionals and the TV get nothing of it; the family and the
    # facilitator write it, professionals only read it once shown (board.permissions).
    until_shown: bool = False


DRIELUIK = Board(
    "drieluik",
    "Drieluik",
    (
        Zone(
            "zorgen",
            "Hoe is de situatie over 6 maanden als er niks verandert? Hoe zit iedereen er dan bij?",
            "oranje",
            statement=ERGSTE,
            where="links",
        ),
        Zone("plan", "Plan voor de toekomst", "blauw", where="in het midden"),
        Zone(
            "wensen",
            "Hoe zouden jullie je situatie willen zien over 6 maanden? "
            "Wat gun je jezelf en anderen?",
            "groen",
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

PLAN = Board("plan", "Plan van het actieteam", kind="plan")

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
    explain="Bodemeisen zijn de voorwaarden van de jeugdbeschermer. Ze staan vast: daar "
    "praten we niet over. Het plan van de familie moet er wel bij passen.",
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

# What a waiting screen needs, and nothing else: the step, whether the closed part is on,
# whether the meeting is finished, the timer. The server copies these from `verloop` whenever
# it writes them there. A professional reads this board during the closed part, when `verloop`
# (which also carries the people, the consent answers and the TV) is kept from it.
STAND = Board("stand", "Stand van de bijeenkomst", server_only=True, always_readable=True)
STAND_FIELDS: tuple[str, ...] = ("phase", "closed", "finished", "timerEndsAt", "timerPausedMs")

# Kinds of help from the network (toolkit 2.8), for goals in a "samen" zone: what the form
# says, and the short words on the note ("hulp: steun").
HELP_KINDS: dict[str, str] = {
    "emotioneel": "Steun: iemand die luistert en er voor je is",
    "informatief": "Uitleg en advies: iemand die vertelt hoe iets zit of hoe het moet",
    "materieel": "Spullen, geld of vervoer",
    "praktisch": "Een handje helpen: klussen, oppassen, halen en brengen",
    "professioneel": "Hulp van een hulpverlener, zoals de jeugdzorg of de huisarts",
}
HELP_SHORT: dict[str, str] = {
    "emotioneel": "steun",
    "informatief": "uitleg en advies",
    "materieel": "spullen, geld of vervoer",
    "praktisch": "een handje helpen",
    "professioneel": "van een hulpverlener",
}

# The meeting's people, one list (toolkit chapter 2): whoever is placed on the ecogram is the
# same person in the steuntabel, on the VIP-kaart, in the actieteam and in a plan action's
# "wie", at the meeting or not. Every instrument refers to a person by the id in `people`.
MENSEN = Board(
    "mensen",
    "Wie horen erbij?",
    kind="people",
    explain="Iedereen die belangrijk is voor het kind en het gezin: familie, vrienden, buren, "
    "school en hulpverleners. Ook wie er vandaag niet bij is.",
    layout={"sectors": networkmap.SECTORS, "forgotten": networkmap.FORGOTTEN},
)

# The network instruments (toolkit chapter 2), each drawn from its layout (board/networkmap.py).
ECOGRAM = Board(
    "ecogram",
    "Ecogram",
    kind="rings",
    explain="Wie staan er om het kind heen? In het midden staat voor wie de kaart is. Wie "
    "dichtbij staat, komt in de binnenste cirkel. Wie wat verder weg staat, in de buitenste. "
    "De cirkel heeft drie delen: familie, vrienden en buren, en hulpverleners en school.",
    layout=networkmap.ECOGRAM_LAYOUT,
)

SOCIOGRAM = Board(
    "sociogram",
    "Sociogram",
    kind="sociogram",
    explain="Wat betekenen de mensen om je heen voor jou? Per persoon: hoe is het contact, wat "
    "levert het je op en welke steun zou die persoon kunnen geven.",
    layout={
        "about": networkmap.ABOUT,
        "groups": networkmap.SECTORS,
        "columns": networkmap.SOCIOGRAM_COLUMNS,
        "questions": networkmap.SOCIOGRAM_QUESTIONS,
        "support": {
            **networkmap.SOCIOGRAM_SUPPORT,
            "kinds": [{"id": k, "title": v} for k, v in HELP_KINDS.items()],
            "short": HELP_SHORT,
        },
        "firstPerson": networkmap.SOCIOGRAM_FIRST_PERSON,
    },
)

GENOGRAM = Board(
    "genogram",
    "Genogram",
    kind="genogram",
    explain="De stamboom van de familie: wie bij wie hoort, wie getrouwd of gescheiden is, wie "
    "er overleden is, en hoe het contact tussen hen is.",
    layout=networkmap.GENOGRAM_LAYOUT,
)

# Agreements between parents, foster parents and professionals: the bezoekregeling and the
# startbespreking's afspraken (board/afspraken.py: the topics, forms and questions).
AFSPRAKEN = Board(
    "afspraken",
    "Afspraken",
    kind="afspraken",
    explain="Wat spreken ouders, pleegouders en hulpverleners met elkaar af? Wie, wat, hoe "
    "vaak, op welke manier, wie erbij is, en wanneer we kijken of het goed gaat.",
    layout=afspraken.layout(),
)

# Which support each person can give (toolkit 2.8), the child's VIP-kaart (2.7), the
# levenslijn (2.4) and the netwerkvragen (2.10): board/steuntabel.py, vipkaart.py,
# levenslijn.py and netwerkvragen.py hold their data and rules.
STEUNTABEL = Board(
    "steuntabel",
    "Steuntabel",
    kind="support-table",
    explain=steuntabel.EXPLAIN,
    layout=steuntabel.LAYOUT,
)
VIPKAART = Board(
    "vipkaart",
    "VIP-kaart",
    kind="vip",
    explain=vipkaart.EXPLAIN,
    layout=vipkaart.LAYOUT,
    until_shown=True,
)
LEVENSLIJN = Board(
    "levenslijn",
    "Levenslijn",
    kind="timeline",
    explain=levenslijn.EXPLAIN,
    layout=levenslijn.LAYOUT,
)
NETWERKVRAGEN = Board(
    "netwerkvragen",
    "Netwerkvragen",
    kind="questions",
    explain=netwerkvragen.EXPLAIN,
    layout=netwerkvragen.LAYOUT,
)

BOARDS: dict[str, Board] = {
    b.id: b
    for b in (
        DRIELUIK,
        DOELEN,
        PLAN,
        FAMILIE,
        BODEMEISEN,
        EVALUATIE,
        MENSEN,
        ECOGRAM,
        SOCIOGRAM,
        GENOGRAM,
        AFSPRAKEN,
        STEUNTABEL,
        VIPKAART,
        LEVENSLIJN,
        NETWERKVRAGEN,
        VERLOOP,
        STAND,
    )
}

# Boards with notes on them, in the order the interface lists them.
NOTE_BOARDS: tuple[str, ...] = ("bodemeisen", "drieluik", "doelen", "evaluatie", "plan", "familie")

# Statements by key, for the exports and the data contract.
STATEMENTS: dict[str, Statement] = {
    z.statement.key: z.statement for b in BOARDS.values() for z in b.zones if z.statement
}

# The tags a goal can carry (toolkit 3.1), in plain words: what the form says (the term
# explained in a sentence) and the short word on the note itself. The ids are the contract.
NOTE_TAGS: dict[str, str] = {
    "voorwaardelijk": "Moet eerst: dit moet gebeuren voordat de rest kan",
    "vooruitzicht": "Iets fijns: iets om naar uit te kijken",
    "opgelegd": "Staat vast: de rechter of de jeugdbescherming heeft dit besloten. "
    "Hier valt niet over te praten",
}
NOTE_TAG_SHORT: dict[str, str] = {
    "voorwaardelijk": "moet eerst",
    "vooruitzicht": "iets fijns",
    "opgelegd": "staat vast",
}


def client_board(board_id: str) -> dict[str, object]:
    """What the browser needs to draw a board."""
    board = BOARDS[board_id]
    return {
        "id": board.id,
        "title": board.title,
        "privateNotes": board.private_notes,
        "familyOnly": board.family_only,  # never shown to professionals or on the TV
        # Professionals and the TV get it only once the family shows it (the VIP-kaart).
        "untilShown": board.until_shown,
        "fixedTags": list(board.fixed_tags),
        "goals": board.goals,
        "zones": [_client_zone(z) for z in board.zones],
        "kind": board.kind,
        "layout": dict(board.layout),
        "explain": board.explain,
    }


def _client_zone(zone: Zone) -> dict[str, object]:
    statement = zone.statement
    return {
        "id": zone.id,
        "title": zone.title,
        "color": zone.color,
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
