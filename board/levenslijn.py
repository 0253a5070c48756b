"""The levenslijn (toolkit 2.4): a line per person from birth to now, with what happened.

Events are written short ("kort en bondig"), coloured as good or hard times, and name the
people who mattered then: people who do not come up with the other instruments often do here,
sometimes someone the child trusts. Several lines stand side by side, so that a year lines up
across them (the child's line next to the mother's).

The document (board `levenslijn`): `lines`, id -> {person, born, order, createdAt} (whose line:
an id from `mensen`; the year of birth) and `events`, id -> {line, year, text, tone, people,
createdAt} (tone: positief or negatief; people: ids from `mensen`).
"""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

FIRST_YEAR = 1900
LAST_YEAR = 2100
EVENT_TEXT_MAX = 140  # "kort en bondig"
MAX_EVENT_PEOPLE = 20


@dataclass(frozen=True)
class Tone:
    id: str
    label: str
    color: str  # the post-it colour (board.boards zone colours)


TONES: tuple[Tone, ...] = (
    Tone("positief", "Fijn", "groen"),
    Tone("negatief", "Moeilijk", "oranje"),
)
TONE_IDS: tuple[str, ...] = tuple(t.id for t in TONES)

EXPLAIN = (
    "Een lijn van de geboorte tot nu. Schrijf kort op wat er belangrijk was: fijne dingen en "
    "moeilijke dingen. En wie er toen belangrijk was."
)
LAYOUT: dict[str, object] = {
    "tones": [{"id": t.id, "label": t.label, "color": t.color} for t in TONES],
    "firstYear": FIRST_YEAR,
    "lastYear": LAST_YEAR,
    "textMax": EVENT_TEXT_MAX,
    "born": "Geboren",
    "now": "Nu",
    "peopleQuestion": "Wie waren er toen belangrijk?",
}


def year_of(value: object) -> int | None:
    """A whole year from FIRST_YEAR to LAST_YEAR as an int, or None."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    if value != int(value) or not FIRST_YEAR <= value <= LAST_YEAR:
        return None
    return int(value)


def valid_year(value: object) -> bool:
    return year_of(value) is not None


def lines(content: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The lines, left to right (by `order`, then when they were made): {id, person, born}."""
    found = content.get("lines")
    rows = found if isinstance(found, Mapping) else {}
    out = []
    for lid, line in rows.items():
        if not isinstance(line, Mapping):
            continue
        person = line.get("person")
        born = line.get("born")
        out.append(
            {
                "id": lid,
                "person": person if isinstance(person, str) else "",
                "born": year_of(born),
                "_key": (
                    _num(line.get("order"), float("inf")),
                    _num(line.get("createdAt"), 0),
                    lid,
                ),
            }
        )
    out.sort(key=lambda line: line["_key"])
    for line in out:
        del line["_key"]
    return out


def events(content: Mapping[str, Any], line_id: str) -> list[dict[str, Any]]:
    """One line's events, from birth to now (by year, then when they were written):
    {id, year, text, tone, people}. An event without a valid year comes last."""
    found = content.get("events")
    rows = found if isinstance(found, Mapping) else {}
    out = []
    for eid, event in rows.items():
        if not isinstance(event, Mapping) or event.get("line") != line_id:
            continue
        year = event.get("year")
        people = event.get("people")
        out.append(
            {
                "id": eid,
                "year": year_of(year),
                "text": event.get("text") if isinstance(event.get("text"), str) else "",
                "tone": event.get("tone") if event.get("tone") in TONE_IDS else "",
                "people": [p for p in people if isinstance(p, str)]
                if isinstance(people, list)
                else [],
                "_key": (
                    year_of(year) or LAST_YEAR + 1,
                    _num(event.get("createdAt"), 0),
                    eid,
                ),
            }
        )
    out.sort(key=lambda e: e["_key"])
    for event in out:
        del event["_key"]
    return out


def years(content: Mapping[str, Any], now: int) -> list[int]:
    """The rows of the lines side by side: every year of birth, every year something happened,
    and now; each once, from the earliest. Lines share them, so a year lines up across."""
    found: set[int] = {now}
    for line in lines(content):
        if line["born"] is not None:
            found.add(line["born"])
        found.update(e["year"] for e in events(content, line["id"]) if e["year"] is not None)
    return sorted(found)


def tone_label(tone: str) -> str:
    return next((t.label for t in TONES if t.id == tone), "")


def _num(value: object, default: float) -> float:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    return default
