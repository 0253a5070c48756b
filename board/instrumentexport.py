"""The steuntabel, the VIP-kaart, the levenslijn and the netwerkvragen in the exports: JSON, a
readable section (Markdown or plain text) and a picture (SVG) of each as it is on the screen —
the steuntabel as a real table with its legend, the VIP-kaart as a card with the child in the
middle, the levenslijn as lines side by side, the netwerkvragen with who came up at each.

JSON refers to people by their id in `mensen` (as the documents do); the readable forms and
the pictures put in their names from the people list (`people`: id -> {name, relation, ...},
board/networkmap.people_of) and leave out whoever is no longer on it; without a list (None)
a person reads as "iemand" or "?". Every name and text was typed by someone: the readable forms
pass it through the style's `field` (escaping for Markdown), the pictures XML-escape it.
"""

from collections.abc import Mapping
from typing import Any

from . import levenslijn as ll
from . import netwerkvragen as nv
from . import steuntabel as st
from . import vipkaart as vk
from .boards import BOARDS
from .networkexport import Style

KINDS = frozenset({"support-table", "vip", "timeline", "questions"})

People = Mapping[str, Mapping[str, Any]] | None


# --- JSON --------------------------------------------------------------------------------------


def board_json(board_id: str, content: Mapping[str, Any]) -> dict[str, Any]:
    """One of these boards as JSON, in the order the board shows it."""
    board = BOARDS[board_id]
    out: dict[str, Any] = {"board": board_id, "title": board.title, "kind": board.kind}
    if board.kind == "support-table":
        table = st.cells(content)
        out["kinds"] = [{"id": k.id, "title": k.title, "explain": k.explain} for k in st.KINDS]
        out["scores"] = [{"id": s.id, "symbol": s.symbol, "label": s.label} for s in st.SCORES]
        out["members"] = [{"person": pid, "cells": table[pid]} for pid in st.members(content)]
    elif board.kind == "vip":
        out["about"] = vk.about(content)
        out["vips"] = vk.vips(content)
    elif board.kind == "timeline":
        out["lines"] = [
            {**line, "events": ll.events(content, line["id"])} for line in ll.lines(content)
        ]
    elif board.kind == "questions":
        out["answers"] = answers(content)
    return out


def answers(content: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The answers to the netwerkvragen, in the questions' order, then as written:
    {id, question, person, text}."""
    found = content.get("answers")
    rows = found if isinstance(found, Mapping) else {}
    out = []
    for aid, raw in rows.items():
        if not isinstance(raw, Mapping) or not nv.is_question(raw.get("question")):
            continue
        person, text = raw.get("person"), raw.get("text")
        person = person if isinstance(person, str) else ""
        text = text.strip() if isinstance(text, str) else ""
        if not person and not text:
            continue
        created = raw.get("createdAt")
        when = created if isinstance(created, (int, float)) and not isinstance(created, bool) else 0
        out.append(
            (
                (nv.QUESTION_IDS.index(raw["question"]), when, str(aid)),
                {"id": str(aid), "question": raw["question"], "person": person, "text": text},
            )
        )
    return [answer for _, answer in sorted(out, key=lambda item: item[0])]


def support_table(board: dict[str, Any], people: People) -> dict[str, Any] | None:
    """The steuntabel as the plan page shows it (a table with names and the legend), or None
    when nobody on the list is in it."""
    members = [m for m in board["members"] if _known(people, m["person"])]
    if not members:
        return None
    names = [dict((people or {}).get(m["person"]) or {"name": "?"}) for m in members]
    tone = {s.id: i for i, s in enumerate(st.SCORES)}
    rows = []
    for kind in st.KINDS:
        cells = []
        for m in members:
            score = st.SCORE_BY_ID.get(m["cells"].get(kind.id, ""))
            cells.append(
                {"symbol": score.symbol, "label": score.label, "tone": tone[score.id]}
                if score
                else None
            )
        rows.append({"title": kind.title, "explain": kind.explain, "cells": cells})
    legend = [{"symbol": s.symbol, "label": s.label, "tone": tone[s.id]} for s in st.SCORES]
    return {
        "members": [{"name": n.get("name", ""), "relation": n.get("relation", "")} for n in names],
        "rows": rows,
        "legend": legend,
        "legendTitle": st.LAYOUT["legendTitle"],
        "kindsTitle": st.LAYOUT["kindsTitle"],
    }


# --- the readable forms ------------------------------------------------------------------------


# (Style, how a readable form writes a field, a heading and emphasis: board/networkexport.py)


def _known(people: People, pid: str) -> bool:
    return bool(pid) and (people is None or pid in people)


def _name(people: People, pid: str, s: Style, relation: bool = True) -> str:
    person = (people or {}).get(pid)
    if person is None:
        return "iemand"
    rel = f" ({s.field(person['relation'])})" if relation and person.get("relation") else ""
    return f"{s.field(person['name'])}{rel}"


def _plain_name(people: People, pid: str) -> str:
    person = (people or {}).get(pid)
    return str(person["name"]) if person else "?"


def readable_lines(board: dict[str, Any], people: People, s: Style) -> list[str]:
    """One of these boards' section: its explanation, then what is on it."""
    template = BOARDS[board["board"]]
    lines = s.heading(2, template.title)
    if template.explain:
        lines += [template.explain, ""]
    body = {
        "support-table": _support_lines,
        "vip": _vip_lines,
        "timeline": _timeline_lines,
        "questions": _question_lines,
    }[template.kind](board, people, s)
    return [*lines, *(body or ["Hier staat nog niets op.", ""])]


def _support_lines(board: dict[str, Any], people: People, s: Style) -> list[str]:
    members = [m for m in board["members"] if _known(people, m["person"])]
    if not members:
        return []
    lines: list[str] = []
    rank = {score: i for i, score in enumerate(st.SCORE_IDS)}
    for kind in st.KINDS:
        lines += s.heading(3, kind.title)
        lines += [kind.explain, ""]
        scored = [m for m in members if m["cells"].get(kind.id) in rank]
        scored.sort(key=lambda m: rank[m["cells"][kind.id]])  # most support first
        for m in scored:
            score = st.SCORE_BY_ID[m["cells"][kind.id]]
            lines.append(f"- {_name(people, m['person'], s)}: {score.symbol} {score.label.lower()}")
        lines += [*([] if scored else ["- Nog niet ingevuld."]), ""]
    legend = ", ".join(f"{x.symbol} = {x.label.lower()}" for x in st.SCORES)
    return [*lines, f"{st.LAYOUT['legendTitle']} {legend}.", ""]


def _vip_lines(board: dict[str, Any], people: People, s: Style) -> list[str]:
    vips = [v for v in board["vips"] if _known(people, v["person"])]
    if not vips:
        return []
    # The order on the card says nothing: by name.
    vips.sort(key=lambda v: _plain_name(people, v["person"]).casefold())
    owner = board["about"]
    lines = []
    if owner and _known(people, owner):
        lines += [f"De kaart van {_name(people, owner, s, False)}.", ""]
    lines += ["De volgorde zegt niets: iedereen op de kaart is belangrijk.", ""]
    for v in vips:
        parts = []
        if v["contact"]:
            parts.append(f"{vk.LAYOUT['contactQuestion']} {vk.contact_label(v['contact'])}")
        if v["contactText"]:
            parts.append(f"“{s.field(v['contactText'])}”")
        if v["change"]:
            parts.append(vk.change_label(v["change"]))
        if v["changeText"]:
            parts.append(f"{vk.LAYOUT['changeTextQuestion']} “{s.field(v['changeText'])}”")
        said = f": {'. '.join(parts)}" if parts else ""
        lines.append(f"- {s.strong(_name(people, v['person'], s))}{said}")
    return [*lines, ""]


def _timeline_lines(board: dict[str, Any], people: People, s: Style) -> list[str]:
    lines: list[str] = []
    for line in board["lines"]:
        if not _known(people, line["person"]):
            continue
        born = f" (geboren in {line['born']})" if line["born"] else ""
        lines += s.heading(3, f"Levenslijn van {_name(people, line['person'], s, False)}{born}")
        for e in line["events"]:
            when = f"{e['year']}: " if e["year"] else ""
            tone = f" — {ll.tone_label(e['tone']).lower()}" if e["tone"] else ""
            who = [_name(people, p, s, False) for p in e["people"] if _known(people, p)]
            mattered = f". Belangrijk toen: {', '.join(who)}" if who else ""
            lines.append(f"- {when}{s.field(e['text'])}{tone}{mattered}")
        if not line["events"]:
            lines.append("- Nog niets opgeschreven.")
        lines.append("")
    return lines


def _question_lines(board: dict[str, Any], people: People, s: Style) -> list[str]:
    lines: list[str] = []
    for qid in nv.QUESTION_IDS:
        here = [
            a
            for a in board["answers"]
            if a["question"] == qid and (a["text"] or _known(people, a["person"]))
        ]
        if not here:
            continue
        lines += s.heading(3, nv.QUESTIONS[qid])
        for a in here:
            who = _name(people, a["person"], s) if _known(people, a["person"]) else ""
            text = s.field(a["text"]) if a["text"] else ""
            lines.append(f"- {who}{' — ' if who and text else ''}{text}")
        lines.append("")
    return lines


# --- the pictures ------------------------------------------------------------------------------

FILL = {"oranje": "#ffd9b0", "groen": "#cdeec8", "blauw": "#d3e4fb", "geel": "#fff1a0"}
INK, MUTED, LINE = "#1d1d1b", "#4a4a46", "#8a877f"
CHAR = 0.6  # an average character's width, in font sizes
# A cell's colour: more support, more green (the screens use the same scale, mapboards.css).
SCORE_FILL = {"++": "#9fd89a", "+": "#cdeec8", "+-": "#fff1a0", "-": "#ffd9b0", "--": "#f3b7a6"}


def _esc(text: str) -> str:
    from .export import _esc as esc  # export imports this module: look it up when drawing

    return esc(text)


def _wrap(text: str, width: int, lines: int) -> list[str]:
    from .export import _wrap as wrap

    return wrap(text, width, lines)


def _chars(width: float, size: float) -> int:
    return max(6, int(width / (size * CHAR)))


BOLD_MIDDLE = {"font_weight": "bold", "text_anchor": "middle"}


def _text(x: float, y: float, text: str, size: float, cls: str, **attrs: str) -> str:
    extra = "".join(f' {k.replace("_", "-")}="{v}"' for k, v in attrs.items())
    return (
        f'<text class="{cls}" x="{x:.1f}" y="{y:.1f}" font-size="{size:g}"{extra}>'
        f"{_esc(text)}</text>"
    )


def _rect(x: float, y: float, w: float, h: float, cls: str, fill: str, **attrs: str) -> str:
    extra = "".join(f' {k.replace("_", "-")}="{v}"' for k, v in attrs.items())
    return (
        f'<rect class="{cls}" x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" height="{h:.1f}" '
        f'fill="{fill}"{extra}/>'
    )


def board_svg(board: dict[str, Any], people: People) -> str:
    """A picture of one of these boards, with the names from the people list."""
    template = BOARDS[board["board"]]
    draw = {
        "support-table": _support_svg,
        "vip": _vip_svg,
        "timeline": _timeline_svg,
        "questions": _questions_svg,
    }[template.kind]
    width, height, body = draw(board, people)
    return "".join(
        [
            f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:g}" height="{height:g}" '
            f'viewBox="0 0 {width:g} {height:g}" font-family="sans-serif" font-size="14">',
            f"<title>{_esc(template.title)}</title>",
            f'<rect class="background" width="{width:g}" height="{height:g}" fill="#fbfaf7"/>',
            _text(16, 34, template.title, 22, "board-title", font_weight="bold"),
            *body,
            "</svg>",
        ]
    )


def _empty(width: float, body: list[str]) -> tuple[float, float, list[str]]:
    body.append(_text(16, 84, "Hier staat nog niets op.", 15, "empty"))
    return width, 110, body


# The steuntabel: the five kinds of support as rows, a column per person, the legend below.
KIND_W, CELL_W, ROW_H = 260, 120, 46


def _support_svg(board: dict[str, Any], people: People) -> tuple[float, float, list[str]]:
    members = [m for m in board["members"] if _known(people, m["person"])]
    body: list[str] = []
    width = 32 + KIND_W + max(1, len(members)) * CELL_W
    if not members:
        return _empty(max(width, 640), body)
    y = 60.0
    # The head: who is in each column (a name in up to two lines).
    names = [_wrap(_plain_name(people, m["person"]), _chars(CELL_W - 12, 14), 2) for m in members]
    head_h = 16 + 18 * max(len(n) for n in names)
    body.append(_rect(16, y, KIND_W, head_h, "head", "#ece9e2", stroke="#d6d3cc"))
    corner = str(st.LAYOUT["kindsTitle"])
    body.append(_text(24, y + 24, corner, 14, "head-text", font_weight="bold"))
    for i, lines in enumerate(names):
        x = 16 + KIND_W + i * CELL_W
        body.append(_rect(x, y, CELL_W, head_h, "head", "#ece9e2", stroke="#d6d3cc"))
        for k, line in enumerate(lines):
            body.append(_text(x + CELL_W / 2, y + 24 + 18 * k, line, 14, "member", **BOLD_MIDDLE))
    y += head_h
    for kind in st.KINDS:
        body.append(_rect(16, y, KIND_W, ROW_H, "kind", "#ffffff", stroke="#d6d3cc"))
        body.append(_text(24, y + 29, kind.title, 15, "kind-title", font_weight="bold"))
        for i, m in enumerate(members):
            x = 16 + KIND_W + i * CELL_W
            score = m["cells"].get(kind.id, "")
            body.append(
                _rect(
                    x, y, CELL_W, ROW_H, "score", SCORE_FILL.get(score, "#ffffff"), stroke="#d6d3cc"
                )
            )
            if score in st.SCORE_BY_ID:
                symbol = st.SCORE_BY_ID[score].symbol
                body.append(_text(x + CELL_W / 2, y + 31, symbol, 20, "score-text", **BOLD_MIDDLE))
        y += ROW_H
    # The legend, as the toolkit's table has it.
    y += 28
    body.append(_text(16, y, str(st.LAYOUT["legendTitle"]), 15, "legend-title", font_weight="bold"))
    y += 10
    for score in st.SCORES:
        body.append(_rect(16, y, 44, 28, "legend-swatch", SCORE_FILL[score.id], stroke="#d6d3cc"))
        body.append(_text(38, y + 20, score.symbol, 15, "legend-symbol", **BOLD_MIDDLE))
        body.append(_text(70, y + 20, score.label, 15, "legend-label"))
        y += 34
    return max(width, 480), y + 12, body


# The VIP-kaart: the child in the middle, the ten places in a ring around it, as on the screen
# (board/vipkaart.py RING: a grid of three rows and four columns).
CARD_W, CARD_H, GAP = 230, 100, 14


def _face(cx: float, cy: float, r: float, mouth: int) -> str:
    """A simple face: smiling (1), straight (0) or sad (-1)."""
    bend = mouth * r * 0.35
    return (
        f'<g class="face"><circle cx="{cx:.1f}" cy="{cy:.1f}" r="{r:.1f}" fill="#fff1a0" '
        f'stroke="{INK}"/><circle cx="{cx - r * 0.35:.1f}" cy="{cy - r * 0.2:.1f}" '
        f'r="{r * 0.1:.1f}" fill="{INK}"/><circle cx="{cx + r * 0.35:.1f}" '
        f'cy="{cy - r * 0.2:.1f}" r="{r * 0.1:.1f}" fill="{INK}"/>'
        f'<path d="M {cx - r * 0.45:.1f} {cy + r * 0.3:.1f} Q {cx:.1f} '
        f'{cy + r * 0.3 + bend:.1f} {cx + r * 0.45:.1f} {cy + r * 0.3:.1f}" fill="none" '
        f'stroke="{INK}" stroke-width="2"/></g>'
    )


def _cell(row: int, col: int) -> tuple[float, float]:
    return 16 + (col - 1) * (CARD_W + GAP), 60 + (row - 1) * (CARD_H + GAP)


def _vip_svg(board: dict[str, Any], people: People) -> tuple[float, float, list[str]]:
    width = 32 + vk.GRID_COLS * CARD_W + (vk.GRID_COLS - 1) * GAP
    height = 60 + vk.GRID_ROWS * CARD_H + (vk.GRID_ROWS - 1) * GAP + 20
    body: list[str] = []
    owner = board["about"]
    centre = _plain_name(people, owner) if owner and _known(people, owner) else str(vk.LAYOUT["me"])
    row, col, span = vk.ME
    x, y = _cell(row, col)
    cx, cy = x + (span * CARD_W + (span - 1) * GAP) / 2, y + CARD_H / 2
    body.append(
        f'<circle class="me" cx="{cx:.1f}" cy="{cy:.1f}" r="{CARD_H / 2 - 2:.1f}" '
        f'fill="{FILL["blauw"]}" stroke="#1f5f8b" stroke-width="3"/>'
    )
    body.append(_text(cx, cy + 7, centre[:14], 20, "me-name", **BOLD_MIDDLE))
    mouths = {c.id: c.mouth for c in vk.CONTACTS}
    vips = [v for v in board["vips"] if _known(people, v["person"])]
    taken = {v["place"] for v in vips}
    for place, (row, col) in zip(vk.PLACES, vk.RING, strict=True):
        if place not in taken:  # the card has ten places: the free ones faintly
            x, y = _cell(row, col)
            dashed = {"rx": "12", "stroke": "#d6d3cc", "stroke_dasharray": "6 6"}
            body.append(_rect(x, y, CARD_W, CARD_H, "free", "none", **dashed))
    for v in vips:
        left, top = _cell(*vk.RING[vk.PLACES.index(v["place"])])
        change = v["change"] == vk.WISH
        body.append(
            _rect(
                left, top, CARD_W, CARD_H, "vip", "#ffffff", rx="12", stroke=INK if change else LINE
            )
        )
        nx = left + 12
        if v["contact"]:
            body.append(_face(left + 26, top + 28, 17, mouths[v["contact"]]))
            nx = left + 52
        name = _wrap(_plain_name(people, v["person"]), _chars(left + CARD_W - nx - 8, 18.5), 1)
        body.append(_text(nx, top + 34, name[0], 16, "vip-name", font_weight="bold"))
        said = v["contactText"] or vk.contact_label(v["contact"])
        for k, line in enumerate(_wrap(said, _chars(CARD_W - 20, 13), 2)):
            body.append(_text(left + 12, top + 62 + 16 * k, line, 13, "vip-contact"))
        if change:
            mark = vk.change_label(vk.WISH)
            wish = f"{mark}: {v['changeText']}" if v["changeText"] else mark
            body.append(
                _text(
                    left + 12,
                    top + CARD_H - 6,
                    _wrap(wish, _chars(CARD_W - 20, 11.5), 1)[0],
                    11,
                    "vip-change",
                    fill="#8a4b00",
                    font_weight="bold",
                )
            )
    return width, height, body


# The levenslijn: a column per person, years down from birth to now, events in their colour.
LINE_W, YEAR_W = 300, 70


def _timeline_svg(board: dict[str, Any], people: People) -> tuple[float, float, list[str]]:
    lines = [line for line in board["lines"] if _known(people, line["person"])]
    body: list[str] = []
    width = 32 + YEAR_W + max(1, len(lines)) * LINE_W
    if not lines:
        return _empty(max(width, 480), body)
    years = sorted(
        {line["born"] for line in lines if line["born"]}
        | {e["year"] for line in lines for e in line["events"] if e["year"]}
    )
    y = 60.0
    for i, line in enumerate(lines):
        x = 16 + YEAR_W + i * LINE_W
        head = _plain_name(people, line["person"])
        body.append(_text(x + 10, y + 22, head[:28], 17, "line-title", font_weight="bold"))
    y += 36
    top = y
    fills = {t.id: FILL[t.color] for t in ll.TONES}
    for year in [*years, None]:  # None: the events without a year, at the end ("nu")
        row_top = y
        heights = []
        for i, line in enumerate(lines):
            x = 16 + YEAR_W + i * LINE_W + 24
            yy = row_top + 6
            if line["born"] == year and year is not None:
                body.append(_text(x, yy + 16, str(ll.LAYOUT["born"]), 14, "born", fill=MUTED))
                yy += 24
            for e in line["events"]:
                if e["year"] != year:
                    continue
                text = _wrap(e["text"], _chars(LINE_W - 56, 14), 3)
                who = [_plain_name(people, p) for p in e["people"] if _known(people, p)]
                mattered = f"Belangrijk: {', '.join(who)}"
                extra = _wrap(mattered, _chars(LINE_W - 56, 12), 1) if who else []
                h = 12 + 18 * len(text) + 16 * len(extra)
                fill = fills.get(e["tone"], "#ffffff")
                body.append(_rect(x, yy, LINE_W - 40, h, "event", fill, rx="4", stroke="#d6d3cc"))
                for k, t in enumerate(text):
                    body.append(_text(x + 8, yy + 19 + 18 * k, t, 14, "event-text"))
                for t in extra:
                    body.append(
                        _text(x + 8, yy + 19 + 18 * len(text), t, 12, "event-people", fill=MUTED)
                    )
                yy += h + 6
            heights.append(yy - row_top)
        height = max(28.0, *heights)
        if year is not None or height > 28:
            label = str(year) if year is not None else str(ll.LAYOUT["now"])
            body.append(_text(16, row_top + 22, label, 15, "year", font_weight="bold"))
            y += height + 6
    y += 4
    body.append(_text(16, y + 16, str(ll.LAYOUT["now"]), 15, "year", font_weight="bold"))
    for i in range(len(lines)):
        x = 16 + YEAR_W + i * LINE_W + 12
        body.insert(
            0,
            f'<line class="lifeline" x1="{x:.1f}" y1="{top:.1f}" x2="{x:.1f}" y2="{y + 10:.1f}" '
            f'stroke="{INK}" stroke-width="3"/>',
        )
    # The legend: which colour is which.
    y += 56
    for k, tone in enumerate(ll.TONES):
        x = 16 + k * 160
        body.append(_rect(x, y - 14, 22, 18, "legend-swatch", FILL[tone.color], stroke="#d6d3cc"))
        body.append(_text(x + 30, y, tone.label, 14, "legend-label"))
    return max(width, 480), y + 20, body


# The netwerkvragen: every question that has answers, with who came up.
Q_W = 900


def _questions_svg(board: dict[str, Any], people: People) -> tuple[float, float, list[str]]:
    body: list[str] = []
    y = 60.0
    asked = [a for a in board["answers"] if a["text"] or _known(people, a["person"])]
    if not asked:
        return _empty(Q_W + 32, body)
    for qid in nv.QUESTION_IDS:
        here = [a for a in asked if a["question"] == qid]
        if not here:
            continue
        for line in _wrap(nv.QUESTIONS[qid], _chars(Q_W, 16), 3):
            body.append(_text(16, y + 22, line, 16, "question", font_weight="bold"))
            y += 22
        y += 10
        x = 16.0
        for a in here:
            who = _plain_name(people, a["person"]) if _known(people, a["person"]) else ""
            label = " — ".join(t for t in (who, a["text"]) if t)
            label = _wrap(label, 40, 1)[0]
            w = len(label) * 14 * 0.64 + 24
            if x + w > Q_W + 16:
                x, y = 16.0, y + 34
            body.append(_rect(x, y, w, 28, "answer", "#ffffff", rx="14", stroke=LINE))
            body.append(_text(x + 10, y + 19, label, 14, "answer-text"))
            x += w + 8
        y += 48
    return Q_W + 32, y, body
