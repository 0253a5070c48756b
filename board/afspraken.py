"""Afspraken en bezoekregeling: the agreements between parents, foster parents and
professionals (the startbespreking's agenda, the bezoekregeling and contact): who, what, how
often, which form of contact, who supervises, and when it is evaluated. People are named by
their id in the meeting's one list (board `mensen`), never by a copied name.

The `afspraken` board document holds two top-level maps: `afspraken` (RECORDS: id -> one
agreement, AGREEMENT in board/schema.py) and `antwoorden` (RECORD: question id -> the answer
written down, QUESTIONS below). This module is the data the browser draws the board from
(board/boards.py puts it in the board's layout) and turns a document's plain content into
ordered, checked agreements with the people's names, for the plan page and the exports.
"""

from typing import Any

from .dates import dutch_date
from .plan import as_dict, date_field

# Which part of the board an agreement belongs to (its `topic`), with what the board asks.
TOPICS: tuple[dict[str, str], ...] = (
    {
        "id": "contact",
        "title": "Bezoek en contact",
        "ask": "Hoe vaak zien of spreken het kind en zijn ouders en familie elkaar? "
        "Hoe doen ze dat? Is er iemand bij?",
    },
    {
        "id": "vertellen",
        "title": "Wat vertellen we het kind?",
        "ask": "Wat weet het kind al? Wat vertellen we het kind nog, en wie doet dat?",
    },
    {
        "id": "anders",
        "title": "Andere afspraken",
        "ask": "Wat spreken we nog meer af? Over school, geld, spullen, vakanties of beslissingen.",
    },
)
DEFAULT_TOPIC = "anders"

# The forms of contact (seeds: bezoek, telefoon, mail, foto's, filmpjes), in plain words.
FORMS: dict[str, str] = {
    "bezoek": "Bezoek",
    "telefoon": "Telefoon",
    "mail": "Mail of app",
    "fotos": "Foto's",
    "filmpjes": "Filmpjes",
}

# Questions whose answers are written down once (top-level map `antwoorden`): the startbespreking's
# perspectief and the questions professionals and foster parents ask each other (seed 003,
# advies 1).
QUESTIONS: tuple[dict[str, str], ...] = (
    {
        "id": "perspectief",
        "title": "Perspectief",
        "question": "Waar groeit het kind op? Gaat het terug naar huis, of blijft het in het "
        "pleeggezin? Voor hoe lang?",
    },
    {
        "id": "nodig",
        "title": "Wat heb jij van mij nodig?",
        "question": "Wat heb jij van mij nodig om je werk goed te kunnen doen? Wat verwacht je "
        "van mij?",
    },
    {
        "id": "regie",
        "title": "Wie neemt de regie?",
        "question": "Wie neemt de regie? Wie houdt het overzicht, en wie doet welke taken?",
    },
    {
        "id": "beslissingen",
        "title": "Wie neemt beslissingen?",
        "question": "Wie neemt beslissingen? Over welke dingen mag wie beslissen?",
    },
)
QUESTION_IDS: tuple[str, ...] = tuple(q["id"] for q in QUESTIONS)

# The parts of the board, top to bottom, in the order of the startbespreking's agenda: a part
# holds the agreements of one topic, or answers to questions. A step of a script can be about
# one part (scripts.Step.focus): the board shows it marked, the TV shows only that part.
PARTS: tuple[dict[str, object], ...] = (
    {"id": "perspectief", "title": "Perspectief", "questions": ["perspectief"]},
    {"id": "contact", "topic": "contact"},
    {"id": "vertellen", "topic": "vertellen"},
    {
        "id": "samenwerking",
        "title": "Samenwerken",
        "ask": "Vraag het elkaar, en schrijf de antwoorden op.",
        "questions": ["nodig", "regie", "beslissingen"],
    },
    {"id": "anders", "topic": "anders"},
)
PART_IDS: tuple[str, ...] = tuple(str(p["id"]) for p in PARTS)

# What each field of an agreement is called on the card, the plan page and in the exports.
FIELD_LABELS: dict[str, str] = {
    "wie": "Over wie gaat het?",
    "wat": "Wat spreken we af?",
    "hoeVaak": "Hoe vaak?",
    "vorm": "Hoe?",
    "begeleider": "Wie is erbij of begeleidt?",
    "evaluatie": "Wanneer kijken we of het goed gaat?",
}

TEXT_LIMIT = 500  # characters of a field the exports keep (as board/plan.py)
NOBODY = "niemand"  # `begeleider` when nobody needs to be there
UNSUPERVISED = "zonder begeleiding"  # how that reads


def layout() -> dict[str, object]:
    """The board's layout: what the browser draws the board from (board/boards.py)."""
    return {
        "parts": [dict(p) for p in PARTS],
        "topics": [dict(t) for t in TOPICS],
        "forms": [{"id": k, "title": v} for k, v in FORMS.items()],
        "questions": [dict(q) for q in QUESTIONS],
        "labels": dict(FIELD_LABELS),
        "nobody": {"id": NOBODY, "title": "Niemand: zonder begeleiding"},
    }


def _text(value: Any) -> str:
    return " ".join(value.split())[:TEXT_LIMIT] if isinstance(value, str) else ""


def _ids(value: Any) -> list[str]:
    if not isinstance(value, list):
        return []
    return list(dict.fromkeys(v for v in value if isinstance(v, str) and v))


def person_name(people: dict[str, Any], person_id: str) -> str:
    """The name of person `person_id` in the meeting's list (`mensen`'s `people` map), or
    "" when that person is not (or no longer) on it."""
    person = as_dict(people.get(person_id))
    return _text(person.get("name"))


def _order(item: tuple[str, dict[str, Any]]) -> tuple[float, str]:
    order = item[1].get("order")
    return (float(order) if isinstance(order, (int, float)) else 0.0, item[0])


def agreement_json(
    agreement_id: str, raw: dict[str, Any], people: dict[str, Any]
) -> dict[str, Any]:
    """One agreement, checked: a known topic and forms only; each person as their id and
    their name on the people list ("" when they are not, or no longer, on it)."""
    topic = raw.get("topic")
    if topic not in {t["id"] for t in TOPICS}:
        topic = DEFAULT_TOPIC
    forms = [f for f in _ids(raw.get("vorm")) if f in FORMS]
    begeleider = raw.get("begeleider")
    begeleider = begeleider if isinstance(begeleider, str) else ""
    return {
        "id": agreement_id,
        "topic": topic,
        "wie": [{"id": pid, "name": person_name(people, pid)} for pid in _ids(raw.get("wie"))],
        "wat": _text(raw.get("wat")),
        "hoeVaak": _text(raw.get("hoeVaak")),
        "vorm": forms,
        "vormLabels": [FORMS[f] for f in forms],
        "begeleider": begeleider,
        "begeleiderName": UNSUPERVISED
        if begeleider == NOBODY
        else person_name(people, begeleider)
        if begeleider
        else "",
        "evaluatie": date_field(raw.get("evaluatie")),
    }


def afspraken_json(content: dict[str, Any], people: dict[str, Any]) -> dict[str, Any]:
    """The board as ordered JSON: per topic its agreements (in the order they were made),
    and the answers to the questions. `people` is the `people` map of board `mensen`."""
    raw = as_dict(content.get("afspraken"))
    items = sorted(((k, as_dict(v)) for k, v in raw.items()), key=_order)
    agreements = [agreement_json(k, v, people) for k, v in items]
    answers = as_dict(content.get("antwoorden"))
    return {
        "topics": [
            {**t, "afspraken": [a for a in agreements if a["topic"] == t["id"]]} for t in TOPICS
        ],
        "vragen": [{**q, "answer": _text(answers.get(q["id"]))} for q in QUESTIONS],
    }


def is_empty(afspraken: dict[str, Any]) -> bool:
    """Whether nothing was agreed or written down (the exports then say so in one line)."""
    return not any(t["afspraken"] for t in afspraken["topics"]) and not any(
        q["answer"] for q in afspraken["vragen"]
    )


def agreement_details(a: dict[str, Any]) -> list[str]:
    """What an agreement says besides what is agreed: who, how often, how, who is there, when
    it is looked at again; each part in a few words."""
    parts = []
    names = [p["name"] for p in a["wie"] if p["name"]]
    if names:
        parts.append("wie: " + ", ".join(names))
    if a["hoeVaak"]:
        parts.append("hoe vaak: " + a["hoeVaak"])
    if a["vormLabels"]:
        parts.append("hoe: " + ", ".join(a["vormLabels"]).lower())
    if a["begeleiderName"]:
        name = a["begeleiderName"]
        parts.append(name if name == UNSUPERVISED else f"erbij: {name}")
    if a["evaluatie"]:
        parts.append(f"we kijken of het goed gaat op {dutch_date(a['evaluatie'])}")
    return parts


def agreement_line(a: dict[str, Any]) -> str:
    """One agreement on one line, for the text exports."""
    return " — ".join([a["wat"] or "(nog niet ingevuld)", *agreement_details(a)])
