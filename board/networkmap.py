"""Mapping the network (toolkit chapter 2): the meeting's people list (`mensen`), the
ecogram / wijkecogram (2.2), the sociogram (2.5) and the genogram (2.1).

Two things live here, both pure:
- the layouts: plain data a board carries (`Board.layout`, board/boards.py). The browser draws
  each board from it and the exports draw the same picture from it; neither keeps a copy of a
  title, a ring, a sector or a choice.
- the rules: which records of a board's document count (a known map, ring, sector, kind; a
  person who is still on the list; one record per person and map), in the order the board
  shows them. The exports read the boards only through these.

Every instrument refers to a person by the id in `mensen`'s `people` map, never by a copy of
the name: renaming is done once.
"""

import math
from collections.abc import Mapping
from typing import Any

# --- the people: one list per meeting --------------------------------------------------------

# The three parts of the wijkecogram (2.2), also the sociogram's groups (2.5) and the parts of
# the people list. `color` is a post-it colour (the interface's --oranje, --groen, --blauw).
SECTORS: tuple[dict[str, Any], ...] = (
    {
        "id": "familie",
        "title": "Familie",
        "hint": "Ouders, broers en zussen, opa's en oma's, ooms en tantes",
        "color": "oranje",
        "from": -150,  # degrees, clockwise from the right: familie sits at the top
        "to": -30,
    },
    {
        "id": "vrienden",
        "title": "Vrienden, kennissen en buren",
        "hint": "Vrienden, buren, de sportclub, klasgenoten, collega's",
        "color": "groen",
        "from": -30,
        "to": 90,
    },
    {
        "id": "professionals",
        "title": "Hulpverleners en school",
        "hint": "Jeugdzorg, pleegzorg, de huisarts, de juf of meester",
        "color": "blauw",
        "from": 90,
        "to": 210,
        "forRole": "professional",  # where someone at the meeting with this role goes first
    },
)
SECTOR_IDS: tuple[str, ...] = tuple(s["id"] for s in SECTORS)

# People easily forgotten (2.2: "buren, leerkrachten, hulpverlening die al aanwezig is en
# buurtinitiatieven"): a tap opens "Iemand toevoegen" with the part and relation filled in.
FORGOTTEN: dict[str, Any] = {
    "title": "Vergeet je niemand?",
    "items": (
        {"label": "Buren", "sector": "vrienden", "relation": "buur"},
        {"label": "Juf, meester of mentor", "sector": "professionals", "relation": "leerkracht"},
        {"label": "Hulpverlening die er al is", "sector": "professionals", "relation": ""},
        {"label": "Club, kerk, moskee of buurthuis", "sector": "vrienden", "relation": ""},
    ),
}

# Whom a map is about (2.1, 2.2: "voor het pleegkind, de ouders en de pleegouders"): one
# ecogram, sociogram and genogram each.
ABOUT: tuple[dict[str, str], ...] = (
    {"id": "kind", "title": "Het kind"},
    {"id": "ouders", "title": "De ouders"},
    {"id": "pleeggezin", "title": "Het pleeggezin"},
)
ABOUT_IDS: tuple[str, ...] = tuple(a["id"] for a in ABOUT)

# --- ecogram / wijkecogram (2.2) ----------------------------------------------------------------

# "Een grote cirkel met daarbinnen een kleinere": radii as parts of the big circle's radius.
# The person the map is about sits in the middle (radius CENTER).
CENTER = 0.26
RINGS: tuple[dict[str, Any], ...] = (
    {
        "id": "dichtbij",
        "title": "Dichtbij",
        "hint": "De binnenste cirkel: wie het dichtst bij staat",
        "inner": CENTER,
        "outer": 0.63,
    },
    {
        "id": "verder",
        "title": "Verder weg",
        "hint": "De buitenste cirkel: wie wat verder weg staat",
        "inner": 0.63,
        "outer": 1.0,
    },
)
RING_IDS: tuple[str, ...] = tuple(r["id"] for r in RINGS)
# A name is drawn at least this far (as a part of the sector or ring) from the region's edge.
MARGIN = 0.12

ECOGRAM_LAYOUT: dict[str, Any] = {
    "about": ABOUT,
    "center": CENTER,
    "rings": RINGS,
    "sectors": SECTORS,
    "margin": MARGIN,
    "forgotten": FORGOTTEN,
    "place": "Tik op een naam en schuif die naar de goede plek in de cirkel. "
    "Of tik eerst op de naam en dan op de plek.",
}


def _clamp(value: Any) -> float:
    number = float(value) if isinstance(value, (int, float)) and math.isfinite(value) else 0.5
    return min(1 - MARGIN, max(MARGIN, number))


def ecogram_point(ring: str, sector: str, a: Any, r: Any) -> tuple[float, float]:
    """Where a placement is drawn, in the big circle's coordinates (centre 0, 0; radius 1; y
    down): `a` goes along the sector (0 at its start, clockwise), `r` out across the ring (0
    inside). Both are kept MARGIN away from the region's edges, so a name never sits on a
    line or in another region, whatever a device wrote."""
    rg = next(x for x in RINGS if x["id"] == ring)
    sc = next(x for x in SECTORS if x["id"] == sector)
    angle = math.radians(sc["from"] + _clamp(a) * (sc["to"] - sc["from"]))
    radius = rg["inner"] + _clamp(r) * (rg["outer"] - rg["inner"])
    return (radius * math.cos(angle), radius * math.sin(angle))


def ecogram_region(x: float, y: float) -> tuple[str, str] | None:
    """The (ring, sector) at a point of the big circle, or None in the middle or outside. The
    browser finds the region under a finger by the drawn shapes; this is the same geometry,
    for the exports' tests and any other client."""
    radius = math.hypot(x, y)
    ring = next((rg["id"] for rg in RINGS if rg["inner"] <= radius < rg["outer"]), None)
    if ring is None:
        return None
    degrees = math.degrees(math.atan2(y, x))
    for sc in SECTORS:
        for turn in (-360, 0, 360):
            if sc["from"] <= degrees + turn < sc["to"]:
                return (ring, str(sc["id"]))
    return None


# --- sociogram (2.5) ----------------------------------------------------------------------------

# The table's first two columns: who it is (a person of the list) and their group (the
# person's part of the list).
SOCIOGRAM_COLUMNS: dict[str, str] = {"who": "Wie is het?", "group": "Welke groep?"}
# The table's questions, asked in the first person ("Wat levert het contact met Oma mij op?").
# `{naam}` is the person's name. "Wie is het?" and "Welke groep?" come from the people list.
SOCIOGRAM_QUESTIONS: tuple[dict[str, str], ...] = (
    {
        "field": "contact",
        "title": "Hoe is het contact?",
        "ask": "Hoe is het contact met {naam}?",
        "example": "Bijvoorbeeld: goed, we maken een praatje en helpen elkaar.",
    },
    {
        "field": "oplevert",
        "title": "Wat levert het op?",
        "ask": "Wat levert het contact met {naam} mij op?",
        "example": "Bijvoorbeeld: ik weet dat ik bij haar kan aankloppen als ik iets nodig heb.",
    },
)
SOCIOGRAM_SUPPORT: dict[str, str] = {
    "field": "steun",
    "title": "Wat voor steun kan dit contact geven?",
    "ask": "Wat voor steun zou ik van {naam} kunnen krijgen?",
}
SOCIOGRAM_FIRST_PERSON = (
    "Schrijf het op zoals je het zelf zegt, met 'ik' en 'mij': "
    "'Oma kent mij al lang. Ik kan altijd bij haar terecht.'"
)

# --- genogram (2.1) -----------------------------------------------------------------------------

GENERATIONS: tuple[dict[str, str], ...] = (
    {"id": "grootouders", "title": "Opa's en oma's"},
    {"id": "ouders", "title": "Ouders, ooms en tantes"},
    {"id": "kinderen", "title": "Kinderen: broers, zussen, neven en nichten"},
)
GENERATION_IDS: tuple[str, ...] = tuple(g["id"] for g in GENERATIONS)

# How two people of the family are related (the seed: getrouwd, gescheiden, ...). `line`
# says how it is drawn: "double" (partners), "cut" (partners who split: two strokes across),
# "solid" (parent and child), "dotted" (brothers and sisters).
RELATION_KINDS: tuple[dict[str, str], ...] = (
    {"id": "getrouwd", "title": "Getrouwd of samen", "short": "samen", "line": "double"},
    {"id": "uit-elkaar", "title": "Gescheiden of uit elkaar", "short": "uit elkaar", "line": "cut"},
    {"id": "ouder-kind", "title": "Ouder en kind", "short": "ouder en kind", "line": "solid"},
    {"id": "broer-zus", "title": "Broers en zussen", "short": "broer of zus", "line": "dotted"},
)
RELATION_KIND_IDS: tuple[str, ...] = tuple(k["id"] for k in RELATION_KINDS)

# The quality of a relationship (the seed's second picture), as a colour; "gebroken": they
# have broken with each other (met elkaar gebroken), drawn with a cross on the line.
QUALITIES: tuple[dict[str, str], ...] = (
    {"id": "goed", "title": "Goed contact", "color": "#2e7d32"},
    {"id": "wisselend", "title": "Wisselend: soms goed, soms niet", "color": "#b07f00"},
    {"id": "moeilijk", "title": "Moeilijk: veel spanning of ruzie", "color": "#a12b00"},
    {
        "id": "gebroken",
        "title": "Met elkaar gebroken: geen contact",
        "color": "#6b6b66",
        "mark": "cross",
    },
)
QUALITY_IDS: tuple[str, ...] = tuple(q["id"] for q in QUALITIES)
NO_QUALITY_COLOR = "#4a4a46"  # a relation whose quality nobody gave yet

DECEASED: dict[str, str] = {"field": "overleden", "yes": "ja", "title": "Overleden", "mark": "✝"}
DECEASED_VALUES: tuple[str, ...] = ("ja", "nee")

GENOGRAM_LAYOUT: dict[str, Any] = {
    "about": ABOUT,
    "sectors": SECTORS,  # the people list's parts: family first in the list to choose from
    "generations": GENERATIONS,
    "kinds": RELATION_KINDS,
    "qualities": QUALITIES,
    "noQualityColor": NO_QUALITY_COLOR,
    "deceased": DECEASED,
    # What the form asks about a member (genogramview.js).
    "ask": {
        "generation": "In welke rij?",
        "other": "Bij wie?",
        "kind": "Wat zijn ze van elkaar?",
        "quality": "Hoe is het contact?",
    },
    "margin": MARGIN,
    "place": "Tik op een naam en schuif die naar de goede rij. Tik daarna op iemand om te "
    "zeggen hoe die bij een ander hoort.",
}


# --- the rules: which records count, in the order the board shows them -----------------------


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def _number(value: Any, default: float = 0.0) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        return default
    return float(value)


def people_of(content: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """The people of board `mensen` by id: name, relation and sector (a person without a name
    does not count; an unknown sector reads as the first)."""
    out = {}
    for pid, raw in _dict(content.get("people")).items():
        raw = _dict(raw)
        name = _text(raw.get("name"))
        if not name:
            continue
        sector = raw.get("sector") if raw.get("sector") in SECTOR_IDS else SECTOR_IDS[0]
        out[str(pid)] = {
            "id": str(pid),
            "name": name,
            "relation": _text(raw.get("relation")),
            "sector": sector,
            "role": _text(raw.get("role")),
            "createdAt": _number(raw.get("createdAt")),
        }
    return out


def _by_name(person: dict[str, Any]) -> tuple[int, str, str]:
    return (SECTOR_IDS.index(person["sector"]), person["name"].casefold(), person["id"])


def people_list(content: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The people list as the board shows it: by part (familie first), then by name."""
    return sorted(people_of(content).values(), key=_by_name)


def record_id(about: str, *people: str) -> str:
    """The id of a record about `people` on the map of `about`: one record per person (or per
    pair, in either order) and map, also when two devices add it at the same moment."""
    return "-".join((about, *sorted(people)))


def _newest(records: list[tuple[str, dict[str, Any]]]) -> tuple[str, dict[str, Any]]:
    return max(records, key=lambda kv: (_number(kv[1].get("createdAt")), kv[0]))


def _one_each(
    records: Mapping[str, Any], key: Any, valid: Any
) -> dict[tuple[str, ...], tuple[str, dict[str, Any]]]:
    """The valid records, one per key (the newest, when a device wrote two)."""
    found: dict[tuple[str, ...], list[tuple[str, dict[str, Any]]]] = {}
    for rid, raw in _dict(records).items():
        raw = _dict(raw)
        if valid(raw):
            found.setdefault(key(raw), []).append((str(rid), raw))
    return {k: _newest(v) for k, v in found.items()}


def _known(people: Mapping[str, Any] | None, *ids: Any) -> bool:
    return all(isinstance(i, str) and i for i in ids) and (
        people is None or all(i in people for i in ids)
    )


def ecogram_maps(
    content: Mapping[str, Any], people: Mapping[str, Any] | None = None
) -> list[dict[str, Any]]:
    """The ecogram's maps, one per ABOUT in order: each placement once per person (in a known
    ring and sector), by part, ring and name. With `people` (the people list) only people on
    the list count, with their name; without it, every person id."""

    def valid(raw: dict[str, Any]) -> bool:
        return (
            raw.get("about") in ABOUT_IDS
            and raw.get("ring") in RING_IDS
            and raw.get("sector") in SECTOR_IDS
            and _known(people, raw.get("person"))
        )

    chosen = _one_each(content.get("placements", {}), lambda r: (r["about"], r["person"]), valid)
    maps = []
    for about in ABOUT:
        rows = []
        for (a, person), (rid, raw) in chosen.items():
            if a != about["id"]:
                continue
            x, y = ecogram_point(raw["ring"], raw["sector"], raw.get("a"), raw.get("r"))
            rows.append(
                {
                    "id": rid,
                    "person": person,
                    **({"name": people[person]["name"]} if people is not None else {}),
                    "ring": raw["ring"],
                    "sector": raw["sector"],
                    "a": _clamp(raw.get("a")),
                    "r": _clamp(raw.get("r")),
                    "x": round(x, 4),
                    "y": round(y, 4),
                }
            )
        rows.sort(
            key=lambda p: (
                SECTOR_IDS.index(p["sector"]),
                RING_IDS.index(p["ring"]),
                str(p.get("name", "")).casefold(),
                p["person"],
            )
        )
        maps.append({"about": about["id"], "title": about["title"], "placements": rows})
    return maps


def sociogram_tables(
    content: Mapping[str, Any],
    people: Mapping[str, Any] | None = None,
    support: Mapping[str, str] | None = None,
) -> list[dict[str, Any]]:
    """The sociogram's tables, one per ABOUT: a row per person, by group (the person's part
    of the people list) and name. `steun` keeps only kinds of support in `support`."""

    def valid(raw: dict[str, Any]) -> bool:
        return raw.get("about") in ABOUT_IDS and _known(people, raw.get("person"))

    chosen = _one_each(content.get("rows", {}), lambda r: (r["about"], r["person"]), valid)
    tables = []
    for about in ABOUT:
        rows = []
        for (a, person), (rid, raw) in chosen.items():
            if a != about["id"]:
                continue
            given = raw.get("steun")
            steun = [s for s in given if isinstance(s, str)] if isinstance(given, list) else []
            who = people[person] if people is not None else None
            rows.append(
                {
                    "id": rid,
                    "person": person,
                    **(
                        {"name": who["name"], "relation": who["relation"], "group": who["sector"]}
                        if who
                        else {}
                    ),
                    "contact": _text(raw.get("contact")),
                    "oplevert": _text(raw.get("oplevert")),
                    "steun": [s for s in dict.fromkeys(steun) if support is None or s in support],
                }
            )
        rows.sort(
            key=lambda r: (
                SECTOR_IDS.index(r["group"]) if "group" in r else 0,
                str(r.get("name", "")).casefold(),
                r["person"],
            )
        )
        tables.append({"about": about["id"], "title": about["title"], "rows": rows})
    return tables


def genogram_trees(
    content: Mapping[str, Any], people: Mapping[str, Any] | None = None
) -> list[dict[str, Any]]:
    """The genogram's family trees, one per ABOUT: its members (once per person, in a known
    generation; left to right) and the relations between two members of the same tree (once
    per pair, a known kind; a quality only when known)."""

    def member_ok(raw: dict[str, Any]) -> bool:
        return (
            raw.get("about") in ABOUT_IDS
            and raw.get("generation") in GENERATION_IDS
            and _known(people, raw.get("person"))
        )

    members = _one_each(content.get("members", {}), lambda r: (r["about"], r["person"]), member_ok)

    def relation_ok(raw: dict[str, Any]) -> bool:
        a, b, about = raw.get("a"), raw.get("b"), raw.get("about")
        return (
            isinstance(a, str)
            and isinstance(b, str)
            and about in ABOUT_IDS
            and raw.get("kind") in RELATION_KIND_IDS
            and a != b
            and (about, a) in members
            and (about, b) in members
        )

    relations = _one_each(
        content.get("relations", {}),
        lambda r: (r["about"], *sorted((r["a"], r["b"]))),
        relation_ok,
    )
    trees = []
    for about in ABOUT:
        rows = []
        for (a, person), (rid, raw) in members.items():
            if a != about["id"]:
                continue
            rows.append(
                {
                    "id": rid,
                    "person": person,
                    **({"name": people[person]["name"]} if people is not None else {}),
                    "generation": raw["generation"],
                    "x": _clamp(raw.get("x")),
                    "deceased": raw.get(DECEASED["field"]) == DECEASED["yes"],
                }
            )
        rows.sort(key=lambda m: (GENERATION_IDS.index(m["generation"]), m["x"], m["person"]))
        links = []
        for (a, *_), (rid, raw) in relations.items():
            if a != about["id"]:
                continue
            links.append(
                {
                    "id": rid,
                    "a": raw["a"],
                    "b": raw["b"],
                    "kind": raw["kind"],
                    "quality": raw.get("quality") if raw.get("quality") in QUALITY_IDS else "",
                }
            )
        order = {m["person"]: i for i, m in enumerate(rows)}
        links.sort(key=lambda r: (RELATION_KIND_IDS.index(r["kind"]), order[r["a"]], r["id"]))
        trees.append(
            {"about": about["id"], "title": about["title"], "members": rows, "relations": links}
        )
    return trees


def titles(items: tuple[dict[str, Any], ...]) -> dict[str, str]:
    """id -> title of a layout's list (rings, sectors, kinds, ...)."""
    return {str(i["id"]): str(i["title"]) for i in items}
