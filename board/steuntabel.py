"""The steuntabel (toolkit 2.8, "Tabel 2"): which support each person in the network can give.

The rows are the five kinds of support, each with what it means in plain Dutch; the columns
are people from the meeting's one list (board `mensen`, by id); each cell holds one of five
scores, with the legend below the table. The table is made to be shown to the network: it lets
people see that nobody is expected to give every kind of support.

The document (board `steuntabel`): a top-level map `members`, person id -> {order, createdAt,
and per kind of support its score}. A person is a column once their id is a key there; a cell
is the field named after the kind. Pure data and functions: board/boards.py draws the board's
layout from here, board/schema.py its fields.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Kind:
    id: str
    title: str  # the row's heading
    explain: str  # what it means, in plain Dutch (B1), from the toolkit's text


@dataclass(frozen=True)
class Score:
    id: str  # what the document holds: ASCII, as typed on a keyboard
    symbol: str  # how it is written on the table (the toolkit's dashes)
    label: str  # the legend


# The ids are those of the kinds of help on a goal (board.boards.HELP_KINDS): one vocabulary.
KINDS: tuple[Kind, ...] = (
    Kind(
        "emotioneel",
        "Emotionele steun",
        "Iemand die luistert en er voor je is. Bij wie je je verhaal kwijt kunt, die je troost "
        "en die laat merken dat je het goed doet.",
    ),
    Kind(
        "informatief",
        "Informatieve steun",
        "Iemand die uitleg en advies geeft. Bijvoorbeeld over opvoeden, of over hoe je iets "
        "regelt. En die zegt wat goed gaat en wat beter kan.",
    ),
    Kind(
        "materieel",
        "Materiële steun",
        "Iemand die spullen geeft of leent, zoals kleren, speelgoed of een fiets. Of die helpt "
        "met geld.",
    ),
    Kind(
        "praktisch",
        "Praktische steun",
        "Iemand die een handje helpt: af en toe oppassen, halen en brengen, of helpen met een "
        "klus in huis, zoals de kamer van het kind.",
    ),
    Kind(
        "professioneel",
        "Professionele steun",
        "Hulp van een hulpverlener. Die weet de weg naar hulp, regelt iets bij een instantie en "
        "helpt bij vragen over opvoeden en opgroeien.",
    ),
)

SCORES: tuple[Score, ...] = (
    Score("++", "++", "Veel steun"),
    Score("+", "+", "Steun"),
    Score("+-", "+ –", "Wisselend"),
    Score("-", "–", "Weinig steun"),
    Score("--", "– –", "Geen steun"),
)

KIND_IDS: tuple[str, ...] = tuple(k.id for k in KINDS)
SCORE_IDS: tuple[str, ...] = tuple(s.id for s in SCORES)
SCORE_BY_ID: dict[str, Score] = {s.id: s for s in SCORES}
MAX_MEMBERS = 30  # columns; a table wider than this is no longer read by anyone

EXPLAIN = (
    "Wie kan welke steun geven? Zet bij iedereen hoeveel steun je van hem of haar verwacht. "
    "Niemand hoeft alles te doen: samen geven jullie de steun die nodig is."
)
LAYOUT: dict[str, object] = {
    "kinds": [{"id": k.id, "title": k.title, "explain": k.explain} for k in KINDS],
    "scores": [{"id": s.id, "symbol": s.symbol, "label": s.label} for s in SCORES],
    "maxMembers": MAX_MEMBERS,
    "legendTitle": "Wat betekenen de tekens?",
    "kindsTitle": "Soort steun",  # above the rows
}


def is_score(value: object) -> bool:
    """Whether a cell may hold `value` (the five scores, nothing else)."""
    return isinstance(value, str) and value in SCORE_IDS


def members(content: Mapping[str, Any]) -> list[str]:
    """The people in the table, left to right: by `order`, then when they were added, then id."""
    found = content.get("members")
    rows = found if isinstance(found, Mapping) else {}

    def key(item: tuple[str, Any]) -> tuple[float, float, str]:
        pid, m = item
        return (_number(m.get("order"), float("inf")), _number(m.get("createdAt"), 0.0), pid)

    found_rows = [item for item in rows.items() if isinstance(item[1], Mapping)]
    return [pid for pid, _ in sorted(found_rows, key=key)]


def cells(content: Mapping[str, Any]) -> dict[str, dict[str, str]]:
    """person id -> kind -> score, only the cells that hold one of the five scores."""
    found = content.get("members")
    rows = found if isinstance(found, Mapping) else {}
    out: dict[str, dict[str, str]] = {}
    for pid in members(content):
        out[pid] = {k: rows[pid][k] for k in KIND_IDS if is_score(rows[pid].get(k))}
    return out


def givers(content: Mapping[str, Any], kind: str) -> list[tuple[str, str]]:
    """Who gives this kind of support, most first: [(person id, score)] for ++, + and +-."""
    table = cells(content)
    rank = {s: i for i, s in enumerate(SCORE_IDS)}
    found = [(pid, c[kind]) for pid, c in table.items() if c.get(kind) in ("++", "+", "+-")]
    return sorted(found, key=lambda item: rank[item[1]])


def _number(value: object, default: float) -> float:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    return default
