"""The actieteam's plan (toolkit 3.2, 3.3, 3.10): goals taken from the doelenmatrix, and per
goal the actions — wat, wie, vanaf, tot, hoe gaat het, wat moet er nog gebeuren — the help
needed, the people in the actieteam and a date to evaluate.

The `plan` board document holds top-level maps `goals`, `actions`, `team` and `info`; this
module turns their plain content into an ordered, validated plan.
"""

import re
from typing import Any

STATUSES: dict[str, str] = {
    "nog-niet": "Nog niet begonnen",
    "bezig": "Bezig",
    "gelukt": "Gelukt",
    "loopt-niet": "Loopt niet",
}
DEFAULT_STATUS = "nog-niet"

# Progress marked at an evaluation (the `evaluatie` script: "Hoe staat het ervoor?"), on a goal
# or an action: field `progress`. "" (or anything else) is not marked yet.
PROGRESS: dict[str, str] = {
    "behaald": "Behaald",
    "loopt": "Loopt",
    "loopt-niet": "Loopt niet",
}

_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")  # used with fullmatch: "$" allows a "\n"
TEXT_LIMIT = 500  # characters of a field the plan keeps


def _text(value: Any) -> str:
    return value.strip()[:TEXT_LIMIT] if isinstance(value, str) else ""


def date_field(value: Any) -> str:
    """A date field's value (`YYYY-MM-DD`), or "" for anything else."""
    return value if isinstance(value, str) and _DATE.fullmatch(value) else ""


_date = date_field


def progress_mark(value: Any) -> str:
    """A goal's or action's progress mark (PROGRESS), or "" when it is not marked."""
    return value if isinstance(value, str) and value in PROGRESS else ""


def person_of(raw: dict[str, Any], people: dict[str, Any] | None) -> tuple[str, str]:
    """(person id, name) of whom a record refers to by its `person` field, when that person is
    on the meeting's list (`people`: board `mensen`'s people map); else ("", "")."""
    pid = raw.get("person")
    if people is None or not isinstance(pid, str) or not pid:
        return "", ""
    name = _text(as_dict(people.get(pid)).get("name"))
    return (pid, name) if name else ("", "")


def _order(item: dict[str, Any]) -> tuple[float, str]:
    order = item.get("order")
    return (
        float(order) if isinstance(order, (int, float)) else 0.0,
        str(item.get("createdAt", "")),
    )


def as_dict(value: Any) -> dict[str, Any]:
    """A map read from a board document, or {} when a client wrote something else there."""
    return value if isinstance(value, dict) else {}


def _progress(raw: dict[str, Any]) -> dict[str, str]:
    mark = progress_mark(raw.get("progress"))
    return {"progress": mark, "progressLabel": PROGRESS.get(mark, "")}


def action_json(
    action_id: str, raw: dict[str, Any], people: dict[str, Any] | None = None
) -> dict[str, Any]:
    """One action. "wie" is the name of the person it refers to (`person`, an id from the
    meeting's list: renamed there, renamed here), or else the name typed."""
    status = raw.get("status")
    if not isinstance(status, str) or status not in STATUSES:
        status = DEFAULT_STATUS
    person, name = person_of(raw, people)
    return {
        "id": action_id,
        "wat": _text(raw.get("wat")),
        "wie": name or _text(raw.get("wie")),
        "person": person,
        "vanaf": _date(raw.get("vanaf")),
        "tot": _date(raw.get("tot")),
        "status": status,
        "statusLabel": STATUSES[status],
        "nogDoen": _text(raw.get("nogDoen")),
        **_progress(raw),
    }


def plan_json(content: dict[str, Any], people: dict[str, Any] | None = None) -> dict[str, Any]:
    """The plan as ordered JSON: goals with their actions, the actieteam, the evaluation date.
    `people` (board `mensen`'s people map) gives the names of whom actions and the actieteam
    refer to by id."""
    goals_raw, actions_raw = as_dict(content.get("goals")), as_dict(content.get("actions"))
    by_goal: dict[str, list[tuple[str, dict[str, Any]]]] = {}
    for aid, raw in actions_raw.items():
        raw = as_dict(raw)
        by_goal.setdefault(str(raw.get("goal")), []).append((aid, raw))
    goals = []
    for gid, raw in sorted(goals_raw.items(), key=lambda kv: _order(as_dict(kv[1]))):
        raw = as_dict(raw)
        tags = (
            [t for t in raw.get("tags", []) if isinstance(t, str)]
            if isinstance(raw.get("tags"), list)
            else []
        )
        actions = [
            action_json(aid, a, people)
            for aid, a in sorted(by_goal.get(gid, []), key=lambda kv: _order(kv[1]))
        ]
        goals.append(
            {
                "id": gid,
                "text": _text(raw.get("text")),
                "tags": tags,
                "help": _text(raw.get("help")),
                "hulpNetwerk": _text(raw.get("hulpNetwerk")),
                "hulpProfessionals": _text(raw.get("hulpProfessionals")),
                "actions": actions,
                **_progress(raw),
            }
        )
    team = sorted(
        (_member_name(as_dict(m), people) for m in as_dict(content.get("team")).values()),
        key=str.lower,
    )
    info = as_dict(content.get("info"))
    return {
        "goals": goals,
        "team": [t for t in team if t],
        "evaluatie": _date(info.get("evaluatie")),
    }


def _member_name(member: dict[str, Any], people: dict[str, Any] | None) -> str:
    """A member of the actieteam: the person on the meeting's list, or the name typed."""
    return person_of(member, people)[1] or _text(member.get("name"))


def progress(plan: dict[str, Any]) -> dict[str, int]:
    """How many actions are in each state (for the overview)."""
    counts = {s: 0 for s in STATUSES}
    for goal in plan["goals"]:
        for action in goal["actions"]:
            counts[action["status"]] += 1
    return counts
