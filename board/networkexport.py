"""The network boards (board/networkmap.py) in the exports: JSON, a readable section (Markdown
or plain text) and a picture (SVG) that draws each board as it is on the screen — the
ecogram's rings and sectors, the sociogram's table, the genogram's rows and lines.

JSON refers to people by their id in `mensen` (as the documents do); the readable forms and
the pictures put in their names from the people list, and leave out whoever is no longer on
it. Every name and answer was typed by someone: the readable forms pass it through the
style's `field` (escaping for Markdown), the pictures XML-escape it.
"""

import math
from collections.abc import Callable, Mapping
from typing import Any, Protocol

from . import networkmap as nm
from .boards import BOARDS, HELP_SHORT

KINDS = frozenset({"people", "rings", "sociogram", "genogram"})


def network_json(board_id: str, content: Mapping[str, Any]) -> dict[str, Any]:
    """A network board as JSON: people by id, records in the order the board shows them."""
    board = BOARDS[board_id]
    out: dict[str, Any] = {"board": board_id, "title": board.title, "kind": board.kind}
    if board.kind == "people":
        out["people"] = nm.people_list(content)
    elif board.kind == "rings":
        out["maps"] = nm.ecogram_maps(content)
    elif board.kind == "sociogram":
        out["tables"] = nm.sociogram_tables(content, support=HELP_SHORT)
    elif board.kind == "genogram":
        out["trees"] = nm.genogram_trees(content)
    return out


def people_by_id(export_boards: Mapping[str, Any]) -> dict[str, dict[str, Any]] | None:
    """The people list of an export (its `mensen` board), by id; None when it is not there."""
    people = export_boards.get("mensen")
    if not isinstance(people, dict):
        return None
    return {p["id"]: p for p in people.get("people", [])}


def people_index(content: Mapping[str, Any] | None) -> dict[str, dict[str, Any]] | None:
    """The people list by id, from the `mensen` board's content; None without it."""
    return nm.people_of(content) if content is not None else None


# --- the readable forms ------------------------------------------------------------------------


class Style(Protocol):
    """How a readable form writes a typed field, a heading and emphasis (board/export.py)."""

    @property
    def field(self) -> Callable[[object], str]: ...
    @property
    def heading(self) -> Callable[[int, str], list[str]]: ...
    @property
    def strong(self) -> Callable[[str], str]: ...


def _name(
    people: Mapping[str, Any] | None, pid: str, s: Style, relation: bool = True, note: str = ""
) -> str:
    """A person's name, with their relation (and `note`) after it: "Opa Henk (opa, overleden)"."""
    person = (people or {}).get(pid)
    if person is None:
        return "iemand"
    after = [s.field(person["relation"])] if relation and person.get("relation") else []
    after += [note] if note else []
    return s.field(person["name"]) + (f" ({', '.join(after)})" if after else "")


def _known(people: Mapping[str, Any] | None, *ids: str) -> bool:
    return people is None or all(i in people for i in ids)


def readable_lines(board: dict[str, Any], people: Mapping[str, Any] | None, s: Style) -> list[str]:
    """A network board's section: its explanation, then what is on it, map by map."""
    template = BOARDS[board["board"]]
    lines = s.heading(2, template.title)
    if template.explain:
        lines += [template.explain, ""]
    kind = template.kind
    if kind == "people":
        body = _people_lines(board, s)
    elif kind == "rings":
        body = _ecogram_lines(board, people, s)
    elif kind == "sociogram":
        body = _sociogram_lines(board, people, s)
    else:
        body = _genogram_lines(board, people, s)
    return [*lines, *(body or ["Hier staat nog niets op.", ""])]


def _people_lines(board: dict[str, Any], s: Style) -> list[str]:
    lines: list[str] = []
    for sector in nm.SECTORS:
        here = [p for p in board["people"] if p["sector"] == sector["id"]]
        if here:
            lines += s.heading(3, sector["title"])
            lines += [
                f"- {s.field(p['name'])}"
                + (f" ({s.field(p['relation'])})" if p["relation"] else "")
                for p in here
            ]
            lines.append("")
    return lines


def _ecogram_lines(board: dict[str, Any], people: Mapping[str, Any] | None, s: Style) -> list[str]:
    rings, sectors = nm.titles(nm.RINGS), nm.titles(nm.SECTORS)
    lines: list[str] = []
    for m in board["maps"]:
        placed = [p for p in m["placements"] if _known(people, p["person"])]
        if not placed:
            continue
        lines += s.heading(3, m["title"])
        for ring in nm.RING_IDS:
            for sector in nm.SECTOR_IDS:
                names = [
                    _name(people, p["person"], s)
                    for p in placed
                    if p["ring"] == ring and p["sector"] == sector
                ]
                if names:
                    lines.append(f"- {rings[ring]}, {sectors[sector]}: {', '.join(names)}")
        lines.append("")
    return lines


def _sociogram_lines(
    board: dict[str, Any], people: Mapping[str, Any] | None, s: Style
) -> list[str]:
    questions = {q["field"]: q["title"] for q in nm.SOCIOGRAM_QUESTIONS}
    groups = nm.titles(nm.SECTORS)
    lines: list[str] = []
    for table in board["tables"]:
        rows = [r for r in table["rows"] if _known(people, r["person"])]
        if not rows:
            continue
        lines += s.heading(3, table["title"])
        for row in rows:
            person = (people or {}).get(row["person"])
            group = f" — {groups[person['sector']]}" if person else ""
            lines.append(f"- {s.strong(_name(people, row['person'], s))}{group}")
            for field, title in questions.items():
                if row[field]:
                    lines.append(f"  - {title} {s.field(row[field])}")
            if row["steun"]:
                support = ", ".join(HELP_SHORT[k] for k in row["steun"])
                lines.append(f"  - {nm.SOCIOGRAM_SUPPORT['title']} {support}")
        lines.append("")
    return lines


def _genogram_lines(board: dict[str, Any], people: Mapping[str, Any] | None, s: Style) -> list[str]:
    generations = nm.titles(nm.GENERATIONS)
    kinds, qualities = nm.titles(nm.RELATION_KINDS), nm.titles(nm.QUALITIES)
    lines: list[str] = []
    for tree in board["trees"]:
        members = [m for m in tree["members"] if _known(people, m["person"])]
        if not members:
            continue
        lines += s.heading(3, tree["title"])
        for gen in nm.GENERATION_IDS:
            names = [
                _name(people, m["person"], s, note=nm.DECEASED["title"].lower() * m["deceased"])
                for m in members
                if m["generation"] == gen
            ]
            if names:
                lines.append(f"- {generations[gen]}: {', '.join(names)}")
        for r in tree["relations"]:
            if not _known(people, r["a"], r["b"]):
                continue
            quality = f" — {qualities[r['quality']].lower()}" if r["quality"] else ""
            lines.append(
                f"- {_name(people, r['a'], s, False)} en {_name(people, r['b'], s, False)}: "
                f"{kinds[r['kind']].lower()}{quality}"
            )
        lines.append("")
    return lines


# --- the pictures --------------------------------------------------------------------------------

FILL = {"oranje": "#ffd9b0", "groen": "#cdeec8", "blauw": "#d3e4fb", "geel": "#fff1a0"}
INK, MUTED, LINE = "#1d1d1b", "#4a4a46", "#8a877f"
CHAR = 0.6  # an average character's width, in font sizes


def _esc(text: str) -> str:
    from .export import _esc as esc  # export imports this module: look it up when drawing

    return esc(text)


def _wrap(text: str, width: int, lines: int) -> list[str]:
    from .export import _wrap as wrap

    return wrap(text, width, lines)


def _text(x: float, y: float, text: str, size: float, cls: str, **attrs: str) -> str:
    extra = "".join(f' {k.replace("_", "-")}="{v}"' for k, v in attrs.items())
    return (
        f'<text class="{cls}" x="{x:.1f}" y="{y:.1f}" font-size="{size:g}"{extra}>'
        f"{_esc(text)}</text>"
    )


def _label(x: float, y: float, text: str, size: float, cls: str, fill: str = "#ffffff") -> str:
    """A name on a white card, centred on (x, y)."""
    w = len(text) * size * CHAR + 14
    h = size + 12
    return (
        f'<g class="{cls}"><rect x="{x - w / 2:.1f}" y="{y - h / 2:.1f}" width="{w:.1f}" '
        f'height="{h:.1f}" rx="{h / 2:.1f}" fill="{fill}" stroke="{LINE}"/>'
        + _text(x, y + size * 0.35, text, size, "name", text_anchor="middle")
        + "</g>"
    )


def _svg(width: float, height: float, title: str, body: list[str]) -> str:
    return "".join(
        [
            f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:g}" height="{height:g}" '
            f'viewBox="0 0 {width:g} {height:g}" font-family="sans-serif" font-size="14">',
            f"<title>{_esc(title)}</title>",
            f'<rect class="background" width="{width:g}" height="{height:g}" fill="#fbfaf7"/>',
            f'<text class="board-title" x="16" y="34" font-size="22" font-weight="bold">'
            f"{_esc(title)}</text>",
            *body,
            "</svg>",
        ]
    )


def network_svg(board: dict[str, Any], people: Mapping[str, Any] | None) -> str:
    """A picture of a network board, with the names from the people list."""
    title = BOARDS[board["board"]].title  # the server's, whatever the document says
    kind = BOARDS[board["board"]].kind
    draw = {
        "people": _people_svg,
        "rings": _ecogram_svg,
        "sociogram": _sociogram_svg,
        "genogram": _genogram_svg,
    }[kind]
    width, height, body = draw(board, people)
    return _svg(width, height, title, body)


def _short(text: str, length: int) -> str:
    """At most `length` characters: a longer name ends in "…"."""
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"


def _nameof(people: Mapping[str, Any] | None, pid: str) -> str:
    person = (people or {}).get(pid)
    return str(person["name"]) if person else "?"


def _people_svg(
    board: dict[str, Any], people: Mapping[str, Any] | None
) -> tuple[float, float, list[str]]:
    col, top = 320, 60
    body: list[str] = []
    bottom = top + 60.0
    for i, sector in enumerate(nm.SECTORS):
        x = 16 + i * (col + 16)
        here = [p for p in board["people"] if p["sector"] == sector["id"]]
        y = top + 30
        items = [_text(x + 12, y, sector["title"], 16, "sector-title", font_weight="bold")]
        for p in here:
            y += 26
            rel = f" ({p['relation']})" if p["relation"] else ""
            items.append(_text(x + 12, y, _short(f"{p['name']}{rel}", 40), 15, "person"))
        height = y - top + 20
        body.append(
            f'<rect class="sector" x="{x}" y="{top}" width="{col}" height="{height:g}" rx="6" '
            f'fill="{FILL[sector["color"]]}"/>'
        )
        body += items
        bottom = max(bottom, top + height)
    return 16 + 3 * (col + 16), bottom + 16, body


# The ecogram: one circle per map that has people on it (the first map when none has).
R = 210  # the big circle's radius in px
PAD_X, PAD_TOP, PAD_BOTTOM = 150, 96, 70


def _arc(radius: float, degrees: float) -> tuple[float, float]:
    a = math.radians(degrees)
    return radius * math.cos(a), radius * math.sin(a)


def _wedge(cx: float, cy: float, inner: float, outer: float, start: float, end: float) -> str:
    x1, y1 = _arc(outer, start)
    x2, y2 = _arc(outer, end)
    x3, y3 = _arc(inner, end)
    x4, y4 = _arc(inner, start)
    large = 1 if end - start > 180 else 0
    return (
        f"M{cx + x1:.1f},{cy + y1:.1f} A{outer:.1f},{outer:.1f} 0 {large} 1 {cx + x2:.1f},"
        f"{cy + y2:.1f} L{cx + x3:.1f},{cy + y3:.1f} A{inner:.1f},{inner:.1f} 0 {large} 0 "
        f"{cx + x4:.1f},{cy + y4:.1f} Z"
    )


def _ecogram_map(
    m: dict[str, Any], people: Mapping[str, Any] | None, x0: float, y0: float
) -> list[str]:
    cx, cy = x0 + PAD_X + R, y0 + PAD_TOP + R
    out = [
        _text(cx, y0 + 30, m["title"], 20, "map-title", text_anchor="middle", font_weight="bold")
    ]
    for ring in nm.RINGS:
        for sector in nm.SECTORS:
            opacity = "1" if ring["id"] == nm.RING_IDS[0] else "0.5"
            d = _wedge(cx, cy, ring["inner"] * R, ring["outer"] * R, sector["from"], sector["to"])
            out.append(
                f'<path class="region" data-ring="{ring["id"]}" data-sector="{sector["id"]}" '
                f'd="{d}" fill="{FILL[sector["color"]]}" fill-opacity="{opacity}" stroke="{LINE}"/>'
            )
    out.append(
        f'<circle class="middle" cx="{cx:.1f}" cy="{cy:.1f}" r="{nm.CENTER * R:.1f}" '
        f'fill="#ffffff" stroke="{INK}" stroke-width="2"/>'
    )
    for k, line in enumerate(_wrap(m["title"], 10, 2)):
        out.append(
            _text(
                cx,
                cy + 6 + (k - 0.5) * 20,
                line,
                17,
                "middle-title",
                text_anchor="middle",
                font_weight="bold",
            )
        )
    for sector in nm.SECTORS:
        mid = (sector["from"] + sector["to"]) / 2
        tx, ty = _arc(R + 18, mid)
        anchor = "middle" if abs(tx) < R * 0.3 else ("start" if tx > 0 else "end")
        lines = _wrap(sector["title"], 16, 2)
        base = cy + ty - (len(lines) * 18 if ty < 0 else -14)
        for k, line in enumerate(lines):
            out.append(
                _text(
                    cx + tx,
                    base + k * 18,
                    line,
                    15,
                    "sector-title",
                    text_anchor=anchor,
                    font_weight="bold",
                )
            )
    for p in m["placements"]:
        if not _known(people, p["person"]):
            continue
        out.append(
            _label(
                cx + p["x"] * R,
                cy + p["y"] * R,
                _short(_nameof(people, p["person"]), 22),
                14,
                "person",
            )
        )
    inner, outer = (r["title"] for r in nm.RINGS)
    out.append(
        _text(
            cx,
            cy + R + 48,
            f"Binnenste cirkel: {inner.lower()} · buitenste cirkel: {outer.lower()}",
            13,
            "legend",
            text_anchor="middle",
        )
    )
    return out


def _ecogram_svg(
    board: dict[str, Any], people: Mapping[str, Any] | None
) -> tuple[float, float, list[str]]:
    maps = [m for m in board["maps"] if any(_known(people, p["person"]) for p in m["placements"])]
    maps = maps or board["maps"][:1]
    w, h = 2 * (PAD_X + R), PAD_TOP + 2 * R + PAD_BOTTOM
    body: list[str] = []
    for i, m in enumerate(maps):
        body += _ecogram_map(m, people, i * w, 40)
    return max(1, len(maps)) * w, 40 + h, body


# The sociogram: a table per map, as the toolkit's "Tabel 1".
WIDTHS = (190, 170, 270, 270, 230)


def _sociogram_svg(
    board: dict[str, Any], people: Mapping[str, Any] | None
) -> tuple[float, float, list[str]]:
    heads = [
        nm.SOCIOGRAM_COLUMNS["who"],
        nm.SOCIOGRAM_COLUMNS["group"],
        *(q["title"] for q in nm.SOCIOGRAM_QUESTIONS),
        nm.SOCIOGRAM_SUPPORT["title"],
    ]
    widths = list(WIDTHS)
    width = 32 + sum(widths)
    groups = nm.titles(nm.SECTORS)
    body: list[str] = []
    y = 60.0
    tables = [t for t in board["tables"] if any(_known(people, r["person"]) for r in t["rows"])]
    if not tables:
        body.append(_text(16, y + 24, "Hier staat nog niets op.", 15, "empty"))
        return width, y + 50, body
    for table in tables:
        body.append(_text(16, y + 24, table["title"], 18, "map-title", font_weight="bold"))
        y += 38
        y = _table_row(body, heads, widths, y, header=True)
        for row in table["rows"]:
            person = (people or {}).get(row["person"])
            if person is None and people is not None:
                continue
            who = _nameof(people, row["person"])
            group = groups[person["sector"]] if person else ""
            if person and person.get("relation"):
                group += f" ({person['relation']})"
            support = ", ".join(HELP_SHORT[k] for k in row["steun"])
            y = _table_row(body, [who, group, row["contact"], row["oplevert"], support], widths, y)
        y += 16
    return width, y, body


def _table_row(
    body: list[str], cells: list[str], widths: list[int], y: float, header: bool = False
) -> float:
    wrapped = [
        _wrap(str(c), max(8, int((w - 16) / (14 * CHAR))), 6) or [""]
        for c, w in zip(cells, widths, strict=True)
    ]
    height = 14 + 19 * max(len(w) for w in wrapped)
    x = 16.0
    for lines, w in zip(wrapped, widths, strict=True):
        body.append(
            f'<rect class="{"head" if header else "cell"}" x="{x:g}" y="{y:g}" width="{w}" '
            f'height="{height}" fill="{"#ece9e2" if header else "#ffffff"}" stroke="#d6d3cc"/>'
        )
        for k, line in enumerate(lines):
            attrs = {"font_weight": "bold"} if header else {}
            body.append(_text(x + 8, y + 22 + k * 19, line, 14, "cell-text", **attrs))
        x += w
    return y + height


# The genogram: a row per generation, people left to right (evenly spread, in their order, as
# on the screen), partners joined below them, a parent and a child from one row to the next.
ROW_H, BOX_W, BOX_H, GEN_W, DROP = 120, 170, 46, 200, 16
TREE_W = 1100


def _path(d: str, color: str, width: float, cls: str, dash: str = "") -> str:
    extra = f' stroke-dasharray="{dash}"' if dash else ""
    return (
        f'<path class="{cls}" d="{d}" fill="none" stroke="{color}" '
        f'stroke-width="{width:g}"{extra}/>'
    )


def _relation(kind: str, quality: str, d: str, mid: tuple[float, float], cls: str) -> list[str]:
    """One relation's line, as the screen draws it (genogramview.js `line`)."""
    color = next((q["color"] for q in nm.QUALITIES if q["id"] == quality), nm.NO_QUALITY_COLOR)
    line = next(k["line"] for k in nm.RELATION_KINDS if k["id"] == kind)
    if line == "double":  # a wide line with a white one inside: two lines
        out = [_path(d, color, 8, cls), _path(d, "#ffffff", 2.5, cls)]
    else:
        out = [_path(d, color, 3, cls, "3 6" if line == "dotted" else "")]
    mx, my = mid
    if line == "cut":  # two strokes across: they split up
        for dx in (-5, 5):
            out.append(
                _path(
                    f"M{mx + dx - 5:.1f},{my + 9:.1f} L{mx + dx + 5:.1f},{my - 9:.1f}",
                    color,
                    3,
                    "mark",
                )
            )
    if any(q["id"] == quality and q.get("mark") == "cross" for q in nm.QUALITIES):
        out.append(
            _path(
                f"M{mx - 8:.1f},{my - 8:.1f} L{mx + 8:.1f},{my + 8:.1f} "
                f"M{mx - 8:.1f},{my + 8:.1f} L{mx + 8:.1f},{my - 8:.1f}",
                color,
                3,
                "mark cross",
            )
        )
    return out


def _positions(members: list[dict[str, Any]], top: float) -> dict[str, tuple[float, float]]:
    """The centre of each member's box: rows by generation, evenly spread by x's order."""
    out = {}
    width = TREE_W - GEN_W - 32
    for i, gen in enumerate(nm.GENERATION_IDS):
        row = [m for m in members if m["generation"] == gen]  # sorted by x already
        for k, m in enumerate(row):
            out[m["person"]] = (
                GEN_W + 16 + width * (k + 0.5) / len(row),
                top + i * ROW_H + ROW_H / 2 - 4,
            )
    return out


def _genogram_svg(
    board: dict[str, Any], people: Mapping[str, Any] | None
) -> tuple[float, float, list[str]]:
    body: list[str] = []
    y = 56.0
    trees = [t for t in board["trees"] if any(_known(people, m["person"]) for m in t["members"])]
    trees = trees or board["trees"][:1]
    for tree in trees:
        body.append(_text(16, y + 24, tree["title"], 18, "map-title", font_weight="bold"))
        top = y + 36
        for i, gen in enumerate(nm.GENERATIONS):
            ry = top + i * ROW_H
            body.append(
                f'<rect class="generation" x="16" y="{ry:g}" width="{TREE_W - 32}" '
                f'height="{ROW_H - 8}" rx="6" fill="{"#f3f1ec" if i % 2 else "#ffffff"}" '
                'stroke="#d6d3cc"/>'
            )
            for k, line in enumerate(_wrap(gen["title"], 22, 3)):
                body.append(
                    _text(28, ry + 28 + k * 18, line, 14, "generation-title", font_weight="bold")
                )
        members = [m for m in tree["members"] if _known(people, m["person"])]
        at = _positions(members, top)
        for r in tree["relations"]:
            if r["a"] not in at or r["b"] not in at:
                continue
            (ax, ay), (bx, by) = at[r["a"]], at[r["b"]]
            if ay == by:  # partners, brothers and sisters: joined below them
                low = ay + BOX_H / 2
                d = f"M{ax:.1f},{low:.1f} V{low + DROP:.1f} H{bx:.1f} V{low:.1f}"
                mid = ((ax + bx) / 2, low + DROP)
            else:  # from the bottom of the one above to the top of the one below
                (ux, uy), (lx, ly) = sorted(((ax, ay), (bx, by)), key=lambda p: p[1])
                d = f"M{ux:.1f},{uy + BOX_H / 2:.1f} L{lx:.1f},{ly - BOX_H / 2:.1f}"
                mid = ((ux + lx) / 2, (uy + ly) / 2)
            body += _relation(r["kind"], r["quality"], d, mid, "relation")
        for m in members:
            x, my = at[m["person"]]
            name = _short(_nameof(people, m["person"]), 20)
            mark = f"{nm.DECEASED['mark']} " if m["deceased"] else ""
            fill = "#e4e2dc" if m["deceased"] else "#ffffff"
            body.append(
                f'<g class="member{" deceased" if m["deceased"] else ""}">'
                f'<rect x="{x - BOX_W / 2:.1f}" y="{my - BOX_H / 2:.1f}" width="{BOX_W}" '
                f'height="{BOX_H}" rx="8" fill="{fill}" stroke="{INK}" stroke-width="2"/>'
                + _text(x, my + 5, f"{mark}{name}", 15, "name", text_anchor="middle")
                + "</g>"
            )
        y = top + len(nm.GENERATIONS) * ROW_H + 8
    y = _genogram_legend(body, y)
    return TREE_W, y + 16, body


def _genogram_legend(body: list[str], y: float) -> float:
    body.append(_text(16, y + 20, "Zo lees je de lijnen", 15, "legend-title", font_weight="bold"))
    y += 34
    parent = next(k["id"] for k in nm.RELATION_KINDS if k["line"] == "solid")
    items = [(k["id"], "", k["title"]) for k in nm.RELATION_KINDS]
    items += [(parent, q["id"], q["title"]) for q in nm.QUALITIES]
    for i, (kind, quality, title) in enumerate(items):
        x, ly = 16 + (i % 2) * 540, y + (i // 2) * 30
        body += _relation(kind, quality, f"M{x},{ly} H{x + 60}", (x + 30, ly), "legend-line")
        body.append(_text(x + 72, ly + 5, title, 14, "legend"))
    rows = (len(items) + 1) // 2
    body.append(
        _text(16, y + rows * 30 + 6, f"{nm.DECEASED['mark']} {nm.DECEASED['title']}", 14, "legend")
    )
    return y + rows * 30 + 16
