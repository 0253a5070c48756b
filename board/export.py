"""Shape a board's document content (plain Python data) into its public JSON form.

The server turns a Y document into plain dicts and lists; this module decides what of it is
shown and in which order, so the HTTP API and later exports share one definition.

Everything in a board document was written by a client, so nothing in it is trusted: board
titles always come from the server's own BOARDS (never the document's `meta.title`), the
Markdown export escapes every user-written field (`board.markdown.md_text`) and the SVG
picture XML-escapes every piece of text.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from . import followon, instrumentexport, networkexport
from .afspraken import afspraken_json, agreement_details, agreement_line, person_name
from .afspraken import is_empty as afspraken_empty
from .boards import BOARDS, STATEMENTS, Zone
from .dates import dutch_date, dutch_period
from .markdown import md_text, plain_text
from .plan import as_dict
from .scripts import SCRIPTS

NOTE_FIELDS: dict[str, type | tuple[type, ...]] = {
    "text": str,
    "zone": str,
    "author": str,
    "authorName": str,
    "role": str,
    "color": str,
    "x": (int, float),
    "y": (int, float),
    "group": str,
    "tags": list,
    "help": str,
    "createdAt": (int, float),
}
GROUP_FIELDS: dict[str, type | tuple[type, ...]] = {
    "zone": str,
    "title": str,
    "x": (int, float),
    "y": (int, float),
}


def _pick(item: Any, fields: dict[str, type | tuple[type, ...]]) -> dict[str, Any]:
    """Keep only contract fields of the right type: clients may write anything into a map."""
    if not isinstance(item, dict):
        return {}
    out = {k: item[k] for k, t in fields.items() if isinstance(item.get(k), t)}
    if "tags" in out:
        out["tags"] = [t for t in out["tags"] if isinstance(t, str)]
    return out


def _position(item: dict[str, Any]) -> tuple[str, float, float]:
    return (item.get("zone", ""), float(item.get("y", 0)), float(item.get("x", 0)))


def board_json(
    board_id: str, content: dict[str, Any], people: dict[str, Any] | None = None
) -> dict[str, Any]:
    """The board as JSON: notes and groups as lists, ordered by zone, then top to bottom.
    `people` (board `mensen`'s people map) gives the names of people a board refers to by id
    (without it their names are "")."""
    board = BOARDS[board_id]
    if board_id == "afspraken":  # agreements per topic, the answers to the questions
        shaped = afspraken_json(content, people or {})
        return {"board": board_id, "title": board.title, "template": board_id, **shaped}
    if board.always_readable:  # `stand`: the waiting screen's fields, nothing else
        state = as_dict(content.get("state"))
        return {"board": board_id, "title": board.title, "state": dict(state)}
    if board.server_only:
        state = dict(as_dict(content.get("state")))
        participants = state.pop("participants", None)
        return {
            "board": board_id,
            "title": board.title,
            "state": state,
            "participants": participants if isinstance(participants, dict) else {},
        }
    if board.kind in networkexport.KINDS:  # the people, the ecogram, sociogram, genogram
        return networkexport.network_json(board_id, content)
    if board.kind in instrumentexport.KINDS:  # steuntabel, VIP-kaart, levenslijn, vragen
        return instrumentexport.board_json(board_id, content)
    notes = as_dict(content.get("notes"))
    groups = as_dict(content.get("groups"))
    note_list = [{"id": k, **_pick(v, NOTE_FIELDS)} for k, v in notes.items()]
    group_list = [{"id": k, **_pick(v, GROUP_FIELDS)} for k, v in groups.items()]
    return {
        "board": board_id,
        # the server's title: any device that may write a board can write its meta.title
        "title": board.title,
        "template": board_id,
        "zones": [{"id": z.id, "title": z.title} for z in board.zones],
        "notes": sorted(note_list, key=_position),
        "groups": sorted(group_list, key=_position),
    }


# --- the whole meeting: JSON for the case file, Markdown, and a picture of each board --------


def _people(course: dict[str, Any]) -> list[dict[str, str]]:
    state = as_dict(course.get("state"))
    participants = as_dict(state.get("participants"))
    people = [
        {
            "id": pid,
            "name": str(p.get("name", "")),
            "relation": str(p.get("relation", "")),
            "role": str(p.get("role", "")),
        }
        for pid, p in participants.items()
        if isinstance(p, dict)
    ]
    return sorted(people, key=lambda p: p["name"].lower())


def _consent(course: dict[str, Any]) -> list[dict[str, Any]]:
    state = as_dict(course.get("state"))
    answers = as_dict(state.get("consent"))
    rows = [
        {
            "participant": pid,
            "name": str(a.get("name", "")),
            "role": str(a.get("role", "")),
            "agree": a.get("agree") is True,
            "comment": str(a.get("comment", "")),
            "at": a.get("at"),
        }
        for pid, a in answers.items()
        if isinstance(a, dict)
    ]
    return sorted(rows, key=lambda r: r["name"].lower())


def drieluik_themes(content: dict[str, Any]) -> dict[str, Any]:
    """The themes (group titles) per column and the two statements."""
    board = board_json("drieluik", content)
    themes = {
        z["id"]: [
            g["title"] for g in board["groups"] if g.get("zone") == z["id"] and g.get("title")
        ]
        for z in board["zones"]
    }
    statements = as_dict(content.get("statements"))
    return {
        "themes": themes,
        "ergste": str(statements.get("ergste", "")),
        "wens": str(statements.get("wens", "")),
    }


def meeting_export(meeting: dict[str, Any], boards: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """Everything one role may see of a meeting, as one JSON document.

    `boards` holds the plain content of the boards this role may read now (others are absent).
    """
    from .plan import plan_json  # plan imports nothing from here; keep the modules apart

    course = boards.get("verloop", {})
    out: dict[str, Any] = {
        "meeting": meeting,
        "participants": _people(course),
        "consent": _consent(course),
        "boards": {},
    }
    # The meeting's people (board `mensen`): whom the plan and the agreements refer to by id.
    people = as_dict(boards.get("mensen", {}).get("people"))
    for board_id, content in boards.items():
        if board_id == "verloop":
            continue
        if board_id == "plan":
            out["plan"] = plan_json(content, people)
            # A meeting that follows on from an earlier one: what changed in the plan since.
            since = followon.changes(as_dict(content.get(followon.PREVIOUS)), out["plan"])
            if since is not None:
                out["planChanges"] = since
        else:
            out["boards"][board_id] = board_json(board_id, content, people)
    if "drieluik" in boards:
        out["drieluik"] = drieluik_themes(boards["drieluik"])
    return out


# --- the readable forms: Markdown (for the case file) and plain text (for the family) --------


@dataclass(frozen=True)
class _Style:
    """How one readable form writes a field, a heading, emphasis and a nested list item."""

    field: Callable[[object], str]  # every user-written value goes through this
    heading: Callable[[int, str], list[str]]
    strong: Callable[[str], str]
    em: Callable[[str], str]
    indent: str


def _text_heading(level: int, text: str) -> list[str]:
    if level == 3:  # a line of its own, read as a label for the list below it
        return [text if text.endswith(("?", ":", ".")) else f"{text}:", ""]
    return [text, ("=" if level == 1 else "-") * min(len(text), 72), ""]


_MARKDOWN = _Style(
    md_text, lambda level, text: [f"{'#' * level} {text}", ""], "**{}**".format, "_{}_".format, "  "
)
_TEXT = _Style(plain_text, _text_heading, str, str, "    ")


def _y(item: dict[str, Any]) -> float:
    y = item.get("y")
    return float(y) if isinstance(y, (int, float)) else 0.5  # as the browser (notes.js)


def zone_items(board: dict[str, Any], zone_id: str | None) -> list[dict[str, Any]]:
    """A zone as the board shows it, top to bottom: its groups (each with its notes, as
    `notes`) and the notes that hang in no group. A note in a group that does not exist hangs
    loose in its own zone, as in the browser (`zoneItems` in notes.js)."""
    groups = {g["id"]: g for g in board["groups"]}

    def here(item: dict[str, Any]) -> bool:
        return zone_id is None or item.get("zone") == zone_id

    def order(item: dict[str, Any]) -> tuple[float, str]:
        return (_y(item), item["id"])

    items: list[dict[str, Any]] = [
        {"kind": "note", **n} for n in board["notes"] if here(n) and n.get("group") not in groups
    ]
    for g in board["groups"]:
        if here(g):
            notes = [n for n in board["notes"] if n.get("group") == g["id"]]
            items.append({"kind": "group", **g, "notes": sorted(notes, key=order)})
    return sorted(items, key=order)


def _board_lines(board: dict[str, Any], export: dict[str, Any], s: _Style) -> list[str]:
    """One board: its explanation, then per zone its themes (groups) with their notes."""
    e = s.field
    template = BOARDS[board["board"]]
    if template.kind in networkexport.KINDS:  # names from the people list, map by map
        return networkexport.readable_lines(board, networkexport.people_by_id(export["boards"]), s)
    if template.kind in instrumentexport.KINDS:
        people = networkexport.people_by_id(export["boards"])
        return instrumentexport.readable_lines(board, people, s)
    lines = s.heading(2, template.title)  # the server's title, never the document's
    if template.explain:
        lines += [template.explain, ""]
    said = export.get("drieluik", {}) if board["board"] == "drieluik" else {}
    if not board["notes"] and not board["groups"] and not any(said.get(k) for k in STATEMENTS):
        return [*lines, "Hier staat nog niets op.", ""]
    zones: list[Zone | None] = [*template.zones] or [None]
    for zone in zones:
        if zone is not None and len(zones) > 1:
            lines += s.heading(3, zone.title)  # the server's zone titles
        if zone is not None and zone.statement and said.get(zone.statement.key):
            lines += [f"{zone.statement.label}: {s.strong(e(said[zone.statement.key]))}", ""]
        rows: list[str] = []
        for item in zone_items(board, zone.id if zone else None):
            if item["kind"] == "group":
                rows.append(f"- Thema: {s.strong(e(item.get('title', '')) or 'zonder naam')}")
                rows += [f"{s.indent}{_note_line(n, s)}" for n in item["notes"]]
            else:
                rows.append(_note_line(item, s))
        lines += [*(rows or ["- (leeg)"]), ""]
    return lines


def _afspraken_lines(board: dict[str, Any], export: dict[str, Any], s: _Style) -> list[str]:
    """The agreements: the questions answered, then per topic its agreements, one a line."""
    e = s.field
    template = BOARDS[board["board"]]
    lines = [*s.heading(2, template.title), template.explain, ""]
    if afspraken_empty(board):
        return [*lines, "Hier staat nog niets op.", ""]
    for q in board["vragen"]:
        if q["answer"]:
            lines += [*s.heading(3, q["title"]), e(q["answer"]), ""]
    for topic in board["topics"]:
        if topic["afspraken"]:
            lines += s.heading(3, topic["title"])
            lines += [f"- {e(agreement_line(a))}" for a in topic["afspraken"]]
            lines.append("")
    return lines


def _changes_lines(since: dict[str, Any], s: _Style) -> list[str]:
    """What changed in the plan since the meeting it was copied from."""
    e = s.field
    when = f" ({since['since']['date']})" if since["since"]["date"] else ""
    lines = s.heading(3, f"Wat is er veranderd sinds {e(since['since']['title'])}{when}")
    if since["nothing"]:
        return [*lines, "Er is niets veranderd aan het plan.", ""]
    for label, items in (
        ("Nieuw doel", since["goalsAdded"]),
        ("Doel weggehaald", since["goalsRemoved"]),
    ):
        lines += [f"- {label}: {e(text)}" for text in items]
    for label, actions in (
        ("Nieuwe actie", since["actionsAdded"]),
        ("Actie weggehaald", since["actionsRemoved"]),
    ):
        lines += [f"- {label}: {e(a['wat'])} (bij: {e(a['goal'])})" for a in actions]
    for p in since["progress"]:
        was = f" (was: {p['before'].lower()})" if p["before"] and p["before"] != p["label"] else ""
        what = "Doel" if p["kind"] == "doel" else "Actie"
        lines.append(f"- {what} {e(p['text'])}: {s.strong(p['label'].lower())}{was}")
    for c in since["status"]:
        change = f"van {c['from'].lower()} naar {c['to'].lower()}"
        lines.append(f"- Hoe gaat het met {e(c['wat'])}: {change}")
    return [*lines, ""]


# Boards with a section of their own in the readable forms (their kind is not notes).
_SECTIONS: dict[str, Callable[[dict[str, Any], dict[str, Any], _Style], list[str]]] = {
    "afspraken": _afspraken_lines,
}


def _note_line(note: dict[str, Any], s: _Style) -> str:
    author = f" — {s.field(note['authorName'])}" if note.get("authorName") else ""
    return f"- {s.field(note.get('text', ''))}{author}"


def _document(export: dict[str, Any], s: _Style) -> str:
    e = s.field
    m = export["meeting"]
    script = SCRIPTS.get(str(m.get("script")))
    # Boards the meeting's script does not use stay out: an empty "Evaluatie" in a
    # FamilieNetwerkBeraad says nothing. Without a known script every board counts.
    used = script.boards if script else tuple(BOARDS)
    lines = s.heading(1, e(m["title"]))
    if m.get("date"):
        lines.append(f"Datum: {e(m['date'])}")
    if script:
        lines.append(f"Soort bijeenkomst: {e(script.title)}")
    lines.append("")
    if export["participants"]:
        lines += s.heading(2, "Wie waren er")
        lines += [
            f"- {e(p['name'])}" + (f" ({e(p['relation'])})" if p["relation"] else "")
            for p in export["participants"]
        ]
        lines.append("")
    boards = export["boards"]
    if "bodemeisen" in boards and "bodemeisen" in used:  # what the plan has to respect
        lines += _board_lines(boards["bodemeisen"], export, s)
    plan = export.get("plan")
    if plan and "plan" in used:
        lines += s.heading(2, "Het plan")
        if not plan["goals"]:
            lines += ["Er staat nog geen plan op het bord.", ""]
        for goal in plan["goals"]:
            tags = f" {s.em('(' + ', '.join(e(t) for t in goal['tags']) + ')')}"
            lines += s.heading(3, f"{e(goal['text'])}{tags if goal['tags'] else ''}")
            if goal["progress"]:
                lines += [f"Hoe staat het ervoor: {s.strong(goal['progressLabel'].lower())}", ""]
            for a in goal["actions"]:
                when = dutch_period(a["vanaf"], a["tot"])
                lines.append(
                    f"- {s.strong(e(a['wat']))} — {e(a['wie']) or 'nog niemand'}"
                    + (f", {when}" if when else "")
                    + f" — {e(a['statusLabel'])}"
                    + (f". Nog doen: {e(a['nogDoen'])}" if a["nogDoen"] else "")
                    + (f". Bij de evaluatie: {a['progressLabel'].lower()}" if a["progress"] else "")
                )
            if not goal["actions"]:
                lines.append("- Nog geen acties.")
            for label, key in (
                ("Hulp van het netwerk", "hulpNetwerk"),
                ("Hulp van professionals", "hulpProfessionals"),
            ):
                if goal[key]:
                    lines.append(f"- {label}: {e(goal[key])}")
            lines.append("")
        if plan["team"]:
            lines += [*s.heading(3, "Actieteam"), *[f"- {e(name)}" for name in plan["team"]], ""]
        if plan["evaluatie"]:
            lines += [f"We evalueren op {dutch_date(plan['evaluatie'])}.", ""]
        if export.get("planChanges"):
            lines += _changes_lines(export["planChanges"], s)
    if export["consent"]:
        lines += s.heading(2, "Instemming")
        for c in export["consent"]:
            lines.append(
                f"- {e(c['name'])}: {'akkoord' if c['agree'] else 'niet akkoord'}"
                + (f" — “{e(c['comment'])}”" if c["comment"] else "")
            )
        lines.append("")
    # The other boards in the order of the script's tabs. Each board has one section, its
    # title the heading: the Drieluik's themes and sentences are in its own section.
    for board_id in used:
        if board_id in boards and board_id != "bodemeisen":
            lines += _SECTIONS.get(board_id, _board_lines)(boards[board_id], export, s)
    return "\n".join(lines).rstrip() + "\n"


def markdown(export: dict[str, Any]) -> str:
    """The export as Markdown (Dutch headings), for the case file.

    Every user-written field goes through `md_text`, so it reads as the text that was typed
    and can never add a heading, list item, quote, code, table, link or HTML of its own.
    Board titles are the server's; every heading is there once.
    """
    return _document(export, _MARKDOWN)


def plain(export: dict[str, Any]) -> str:
    """The same as plain text, for a family to open on any phone or computer (a .txt).

    Nothing is escaped (a text file is never rendered), but every field stays on one line
    (`plain_text`), so a field cannot make a heading or a list item of its own either.
    """
    return _document(export, _TEXT)


# --- a picture of a board (SVG) ---------------------------------------------------------------

_COLORS = {"oranje": "#ffd9b0", "groen": "#cdeec8", "blauw": "#d3e4fb", "geel": "#fff1a0"}
# Zones per row. The doelenmatrix is a 2×2 grid: short and long term above each other, "we
# can do this ourselves" and "we need the network" side by side (docs/meetings.md).
_COLUMNS = {"doelen": 2}
_ZONES = {(b.id, z.id): z.statement for b in BOARDS.values() for z in b.zones if z.statement}
CHAR_WIDTH = 0.62  # a generous average width of a sans-serif character, in font sizes


def _esc(text: str) -> str:
    """Text for XML content or a double-quoted attribute; drops what XML 1.0 does not allow."""
    text = re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]", "", text)
    return (
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    )


def _wrap(text: str, width: int = 24, lines: int = 4) -> list[str]:
    """Words in lines of at most `width` characters (a longer word is cut), at most `lines`."""
    words = [w[i : i + width] for w in text.split() for i in range(0, len(w), width)]
    out: list[str] = []
    line = ""
    for word in words:
        if len(line) + len(word) + 1 > width and line:
            out.append(line)
            line = ""
        line = f"{line} {word}".strip()
    if line:
        out.append(line)
    if len(out) > lines:
        out = out[:lines]
        out[-1] = out[-1][: width - 1].rstrip() + "…"
    return out


def _chars(width: float, size: float) -> int:
    """How many characters of `size` fit in `width` pixels."""
    return max(8, int(width / (size * CHAR_WIDTH)))


class _Picture:
    """SVG elements (only rect and text), drawn from (0, 0) and placed later."""

    def __init__(self) -> None:
        self.items: list[tuple[float, float, Callable[[float, float], str]]] = []

    def rect(self, x: float, y: float, w: float, h: float, cls: str, **attrs: str) -> None:
        extra = "".join(f' {k.replace("_", "-")}="{v}"' for k, v in attrs.items())
        self.items.append(
            (
                x,
                y,
                lambda x, y: (
                    f'<rect class="{cls}" x="{x:g}" y="{y:g}" width="{w:g}" height="{h:g}"{extra}/>'
                ),
            )
        )

    def text(self, x: float, y: float, text: str, size: int, cls: str, bold: bool = False) -> None:
        weight = ' font-weight="bold"' if bold else ""
        body = _esc(text)
        self.items.append(
            (
                x,
                y,
                lambda x, y: (
                    f'<text class="{cls}" x="{x:g}" y="{y:g}" font-size="{size}"{weight}>'
                    f"{body}</text>"
                ),
            )
        )

    def render(self, dx: float, dy: float) -> list[str]:
        return [draw(x + dx, y + dy) for x, y, draw in self.items]


def _note_height(note: dict[str, Any], width: float) -> tuple[list[str], float]:
    lines = _wrap(str(note.get("text", "")), _chars(width - 20, 14), 6)
    return lines, 14 + 18 * max(len(lines), 1) + (18 if note.get("authorName") else 0)


def _draw_note(p: _Picture, note: dict[str, Any], x: float, y: float, width: float) -> float:
    lines, height = _note_height(note, width)
    fill = _COLORS.get(str(note.get("color")), _COLORS["geel"])
    p.rect(x, y, width, height, "note", rx="3", fill=fill)
    for k, line in enumerate(lines):
        p.text(x + 10, y + 22 + k * 18, line, 14, "note-text")
    if note.get("authorName"):
        author = str(note["authorName"])[: _chars(width - 20, 11)]
        p.text(x + 10, y + height - 8, author, 11, "note-author")
    return height


def _draw_items(p: _Picture, items: list[dict[str, Any]], x: float, y: float, w: float) -> float:
    """The items of a zone from `y` down; returns the height they took."""
    top = y
    for item in items:
        if item["kind"] == "note":
            y += _draw_note(p, item, x, y, w) + 8
            continue
        title = _wrap(str(item.get("title", "")), _chars(w - 20, 14), 3)
        inner = [_note_height(n, w - 16)[1] for n in item["notes"]]
        height = 12 + 18 * len(title) + sum(h + 8 for h in inner) + (4 if inner else 0)
        p.rect(x, y, w, height, "group", rx="6", fill="#ffffff", stroke="#8a877f")
        for k, line in enumerate(title):
            p.text(x + 10, y + 22 + k * 18, line, 14, "group-title", bold=True)
        inner_y = y + 12 + 18 * len(title) + 4
        for note in item["notes"]:
            inner_y += _draw_note(p, note, x + 8, inner_y, w - 16) + 8
        y += height + 8
    return y - top


def _afspraken_svg(board: dict[str, Any], people: dict[str, Any] | None) -> str:
    """The agreements as a picture: per part its answers or its agreements, one card each,
    with the names from `people` (the `mensen` board's content)."""
    names = as_dict((people or {}).get("people"))
    width, pad = 760.0, 16.0
    p = _Picture()
    y = 56.0
    for q in board["vragen"]:
        if not q["answer"]:
            continue
        p.text(pad, y + 18, q["title"], 16, "part-title", bold=True)
        lines = _wrap(q["answer"], _chars(width - 2 * pad, 14), 6)
        for k, line in enumerate(lines):
            p.text(pad, y + 42 + k * 18, line, 14, "answer")
        y += 42 + 18 * len(lines) + 8
    for topic in board["topics"]:
        if not topic["afspraken"]:
            continue
        p.text(pad, y + 18, topic["title"], 16, "part-title", bold=True)
        y += 30
        for a in topic["afspraken"]:
            named = {
                **a,
                "wie": [{**w, "name": person_name(names, w["id"]) or w["name"]} for w in a["wie"]],
                "begeleiderName": a["begeleiderName"]
                or (person_name(names, a["begeleider"]) if a["begeleider"] else ""),
            }
            what = _wrap(named["wat"] or "…", _chars(width - 2 * pad - 20, 15), 3)
            rest = _wrap(" — ".join(agreement_details(named)), _chars(width - 60, 13), 4)
            height = 14 + 19 * len(what) + 17 * len(rest) + 6
            p.rect(pad, y, width - 2 * pad, height, "agreement", rx="4", fill=_COLORS["blauw"])
            for k, line in enumerate(what):
                p.text(pad + 10, y + 22 + k * 19, line, 15, "agreement-what", bold=True)
            for k, line in enumerate(rest):
                p.text(pad + 10, y + 22 + 19 * len(what) + k * 17, line, 13, "agreement-meta")
            y += height + 8
    if y == 56.0:
        p.text(pad, y + 18, "Er zijn nog geen afspraken.", 14, "empty")
        y += 30
    total = y + pad
    title = BOARDS["afspraken"].title
    return "".join(
        [
            f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:g}" height="{total:g}" '
            f'viewBox="0 0 {width:g} {total:g}" font-family="sans-serif" font-size="14">',
            f"<title>{_esc(title)}</title>",
            f'<rect class="background" width="{width:g}" height="{total:g}" fill="#fbfaf7"/>',
            f'<text class="board-title" x="{pad:g}" y="34" font-size="22" font-weight="bold">'
            f"{_esc(title)}</text>",
            *p.render(0, 0),
            "</svg>",
        ]
    )


def has_picture(board_id: str) -> bool:
    """Whether `board_svg` draws this board (not the server's boards)."""
    board = BOARDS.get(board_id)
    if board is None or board.server_only:
        return False
    return (
        bool(board.zones)
        or board_id in ("plan", "afspraken")
        or board.kind in networkexport.KINDS | instrumentexport.KINDS
    )


def board_svg(
    board: dict[str, Any],
    statements: dict[str, Any] | None = None,
    people: dict[str, Any] | None = None,
) -> str:
    """A picture of a board as it was left: its zones as on the board (the doelenmatrix as
    its 2×2 grid), in each zone its themes (groups, with their notes) and loose notes, top to
    bottom.

    The title is the server's (looked up again here, whatever `board["title"]` says); every
    piece of text is XML-escaped. Only `rect` and `text` elements; zone frames, zone titles,
    groups, their titles and notes carry a class of that name. `statements` (the Drieluik's
    `statements` map) puts each sentence under the title of its column.

    A network board (networkexport.KINDS) is drawn as on the screen: the ecogram's rings and
    sectors, the sociogram's table, the genogram's rows and lines, with the names from
    `people` (the `mensen` board's content).
    """
    board_id = board.get("board")
    if board_id == "afspraken":
        return _afspraken_svg(board, people)
    if board_id in BOARDS and BOARDS[str(board_id)].kind in networkexport.KINDS:
        return networkexport.network_svg(board, networkexport.people_index(people))
    if board_id in BOARDS and BOARDS[str(board_id)].kind in instrumentexport.KINDS:
        return instrumentexport.board_svg(board, networkexport.people_index(people))
    title = BOARDS[board_id].title if board_id in BOARDS else ""
    zones = board["zones"] or [{"id": None, "title": title}]
    cols = min(_COLUMNS.get(str(board_id), len(zones)), len(zones))
    col = 360 if cols <= 2 else 300
    pad, gap, top = 16, 16, 56
    width = 2 * pad + cols * col + (cols - 1) * gap
    # Draw every zone at its column with y = 0 first, to know each row's height.
    drawn: list[tuple[_Picture, float]] = []
    for zone in zones:
        z = _Picture()
        heading = _wrap(str(zone["title"] or ""), _chars(col - 20, 15), 4)
        for k, line in enumerate(heading):
            z.text(10, 24 + k * 20, line, 15, "zone-title", bold=True)
        y: float = 12 + 20 * len(heading) + 8
        statement = _ZONES.get((str(board_id), str(zone["id"])))
        said = (statements or {}).get(statement.key) if statement else None
        if statement and isinstance(said, str) and said.strip():
            z.text(10, y + 12, f"{statement.label}:", 13, "statement-label", bold=True)
            lines = _wrap(said, _chars(col - 20, 15), 4)
            for k, line in enumerate(lines):
                z.text(10, y + 32 + k * 20, line, 15, "statement")
            y += 32 + 20 * len(lines)
        y += _draw_items(z, zone_items(board, zone["id"]), 8, y, col - 16)
        drawn.append((z, max(y, 80.0)))
    rows = [drawn[i : i + cols] for i in range(0, len(drawn), cols)]
    heights = [max(h for _, h in row) for row in rows]
    height = top + sum(heights) + gap * (len(rows) - 1) + pad
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:g}" height="{height:g}" '
        f'viewBox="0 0 {width:g} {height:g}" font-family="sans-serif" font-size="14">',
        f"<title>{_esc(title)}</title>",
        f'<rect class="background" width="{width:g}" height="{height:g}" fill="#fbfaf7"/>',
        f'<text class="board-title" x="{pad}" y="34" font-size="22" font-weight="bold">'
        f"{_esc(title)}</text>",
    ]
    y0 = float(top)
    for r, row in enumerate(rows):
        for c, (z, _) in enumerate(row):
            x0 = pad + c * (col + gap)
            out.append(
                f'<rect class="zone" x="{x0:g}" y="{y0:g}" width="{col:g}" height="{heights[r]:g}" '
                'rx="4" fill="#ffffff" fill-opacity="0.6" stroke="#d6d3cc"/>'
            )
            out += z.render(x0, y0)
        y0 += heights[r] + gap
    out.append("</svg>")
    return "".join(out)
