"""Shape a board's document content (plain Python data) into its public JSON form.

The server turns a Y document into plain dicts and lists; this module decides what of it is
shown and in which order, so the HTTP API and later exports share one definition.

Everything in a board document was written by a client, so nothing in it is trusted: board
titles always come from the server's own BOARDS (never the document's `meta.title`), the
Markdown export escapes every user-written field (`board.markdown.md_text`) and the SVG
picture XML-escapes every piece of text.
"""

import re
from typing import Any

from .boards import BOARDS, STATEMENTS
from .markdown import md_text
from .plan import as_dict

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


def board_json(board_id: str, content: dict[str, Any]) -> dict[str, Any]:
    """The board as JSON: notes and groups as lists, ordered by zone, then top to bottom."""
    board = BOARDS[board_id]
    if board.server_only:
        state = dict(as_dict(content.get("state")))
        participants = state.pop("participants", None)
        return {
            "board": board_id,
            "title": board.title,
            "state": state,
            "participants": participants if isinstance(participants, dict) else {},
        }
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
    for board_id, content in boards.items():
        if board_id == "verloop":
            continue
        if board_id == "plan":
            out["plan"] = plan_json(content)
        else:
            out["boards"][board_id] = board_json(board_id, content)
    if "drieluik" in boards:
        out["drieluik"] = drieluik_themes(boards["drieluik"])
    return out


def markdown(export: dict[str, Any]) -> str:
    """The export as Markdown (Dutch headings), for the case file.

    Every user-written field goes through `md_text`, so it reads as the text that was typed
    and can never add a heading, list item, quote, code, table, link or HTML of its own.
    Board titles are the server's.
    """
    e = md_text
    m = export["meeting"]
    lines = [f"# {e(m['title'])}", "", f"Datum: {e(m.get('date', ''))}", ""]
    if export["participants"]:
        lines += ["## Wie waren er", ""]
        lines += [
            f"- {e(p['name'])}" + (f" ({e(p['relation'])})" if p["relation"] else "")
            for p in export["participants"]
        ]
        lines.append("")
    plan = export.get("plan")
    if plan:
        lines += ["## Het plan", ""]
        for goal in plan["goals"]:
            tags = f" _({', '.join(e(t) for t in goal['tags'])})_" if goal["tags"] else ""
            lines += [f"### {e(goal['text'])}{tags}", ""]
            for a in goal["actions"]:
                when = " – ".join(e(x) for x in (a["vanaf"], a["tot"]) if x)
                lines.append(
                    f"- **{e(a['wat'])}** — {e(a['wie']) or 'nog niemand'}"
                    + (f", {when}" if when else "")
                    + f" — {e(a['statusLabel'])}"
                    + (f". Nog doen: {e(a['nogDoen'])}" if a["nogDoen"] else "")
                )
            for label, key in (
                ("Hulp van het netwerk", "hulpNetwerk"),
                ("Hulp van professionals", "hulpProfessionals"),
            ):
                if goal[key]:
                    lines.append(f"- {label}: {e(goal[key])}")
            lines.append("")
        if plan["team"]:
            lines += ["### Actieteam", "", *[f"- {e(name)}" for name in plan["team"]], ""]
        if plan["evaluatie"]:
            lines += [f"We evalueren op {e(plan['evaluatie'])}.", ""]
    if export["consent"]:
        lines += ["## Instemming", ""]
        for c in export["consent"]:
            lines.append(
                f"- {e(c['name'])}: {'akkoord' if c['agree'] else 'niet akkoord'}"
                + (f" — “{e(c['comment'])}”" if c["comment"] else "")
            )
        lines.append("")
    themes = export.get("drieluik")
    if themes:
        summary = [
            f"- {title}: {', '.join(e(t) for t in themes['themes'][zone])}"
            for zone, title in (
                ("zorgen", "Als er niks verandert"),
                ("plan", "Plan"),
                ("wensen", "Hoe willen we het"),
            )
            if themes["themes"].get(zone)
        ]
        if themes["ergste"]:
            summary.append(f"- {STATEMENTS['ergste'].label}: {e(themes['ergste'])}")
        if themes["wens"]:
            summary.append(f"- {STATEMENTS['wens'].label}: {e(themes['wens'])}")
        if summary:  # as on the plan page: no empty section
            lines += ["## Drieluik", "", *summary, ""]
    for board_id, board in export["boards"].items():
        lines += [f"## {BOARDS[board_id].title}", ""]
        for zone in board["zones"] or [{"id": None, "title": ""}]:
            notes = [n for n in board["notes"] if zone["id"] is None or n.get("zone") == zone["id"]]
            if zone["title"]:
                lines += [f"### {zone['title']}", ""]  # the server's zone titles
            lines += [
                f"- {e(n.get('text', ''))}"
                + (f" — {e(n['authorName'])}" if n.get("authorName") else "")
                for n in notes
            ] or ["- (leeg)"]
            lines.append("")
    return "\n".join(lines).rstrip() + "\n"


_COLORS = {"oranje": "#ffd9b0", "groen": "#cdeec8", "blauw": "#d3e4fb", "geel": "#fff1a0"}


def _esc(text: str) -> str:
    """Text for XML content or a double-quoted attribute; drops what XML 1.0 does not allow."""
    text = re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]", "", text)
    return (
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    )


def _wrap(text: str, width: int = 24, lines: int = 4) -> list[str]:
    words, out, line = text.split(), [], ""
    for word in words:
        if len(line) + len(word) + 1 > width and line:
            out.append(line)
            line = ""
        line = f"{line} {word}".strip()
    if line:
        out.append(line)
    return out[: lines - 1] + ["…"] if len(out) > lines else out


def board_svg(board: dict[str, Any]) -> str:
    """A picture of a board as it was left: its zones side by side, the notes in order.

    The title is the server's (looked up again here, whatever `board["title"]` says); every
    piece of text is XML-escaped.
    """
    title = BOARDS[board["board"]].title if board.get("board") in BOARDS else ""
    zones = board["zones"] or [{"id": None, "title": title}]
    col, note_h, pad = 260, 96, 12
    heights = [
        sum(1 for n in board["notes"] if z["id"] is None or n.get("zone") == z["id"]) for z in zones
    ]
    height = 90 + max(heights + [1]) * (note_h + pad)
    width = len(zones) * (col + pad) + pad
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="sans-serif" font-size="14">',
        f"<title>{_esc(title)}</title>",
        f'<rect width="{width}" height="{height}" fill="#fbfaf7"/>',
        f'<text x="{pad}" y="28" font-size="20" font-weight="bold">{_esc(title)}</text>',
    ]
    for i, zone in enumerate(zones):
        x = pad + i * (col + pad)
        parts.append(
            f'<text x="{x}" y="60" font-weight="bold">{_esc((zone["title"] or "")[:36])}</text>'
        )
        notes = [n for n in board["notes"] if zone["id"] is None or n.get("zone") == zone["id"]]
        for j, note in enumerate(notes):
            y = 76 + j * (note_h + pad)
            fill = _COLORS.get(str(note.get("color")), _COLORS["geel"])
            parts.append(
                f'<rect x="{x}" y="{y}" width="{col}" height="{note_h}" rx="3" fill="{fill}"/>'
            )
            for k, line in enumerate(_wrap(str(note.get("text", "")))):
                parts.append(f'<text x="{x + 10}" y="{y + 22 + k * 18}">{_esc(line)}</text>')
            if note.get("authorName"):
                parts.append(
                    f'<text x="{x + 10}" y="{y + note_h - 8}" font-size="11" '
                    f'fill="#4a4a46">{_esc(str(note["authorName"]))}</text>'
                )
    parts.append("</svg>")
    return "".join(parts)
