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

_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")  # used with fullmatch: "$" allows a "\n"
TEXT_LIMIT = 500  # characters of a field the plan keeps


def _text(value: Any) -> str:
    return value.strip()[:TEXT_LIMIT] if isinstance(value, str) else ""


def _date(value: Any) -> str:
    return value if isinstance(value, str) and _DATE.fullmatch(value) else ""


def _order(item: dict[str, Any]) -> tuple[float, str]:
    order = item.get("order")
    return (
        float(order) if isinstance(order, (int, float)) else 0.0,
        str(item.get("createdAt", "")),
    )


def as_dict(value: Any) -> dict[str, Any]:
    """A map read from a board document, or {} when a client wrote something else there."""
    return value if isinstance(value, dict) else {}


def action_json(action_id: str, raw: dict[str, Any]) -> dict[str, Any]:
    status = raw.get("status")
    if not isinstance(status, str) or status not in STATUSES:
        status = DEFAULT_STATUS
    return {
        "id": action_id,
        "wat": _text(raw.get("wat")),
        "wie": _text(raw.get("wie")),
        "vanaf": _date(raw.get("vanaf")),
        "tot": _date(raw.get("tot")),
        "status": status,
        "statusLabel": STATUSES[status],
        "nogDoen": _text(raw.get("nogDoen")),
    }


def plan_json(content: dict[str, Any]) -> dict[str, Any]:
    """The plan as ordered JSON: goals with their actions, the actieteam, the evaluation date."""
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
            action_json(aid, a)
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
            }
        )
    team = sorted(
        (_text(as_dict(m).get("name")) for m in as_dict(content.get("team")).values()),
        key=str.lower,
    )
    info = as_dict(content.get("info"))
    return {
        "goals": goals,
        "team": [t for t in team if t],
        "evaluatie": _date(info.get("evaluatie")),
    }


def progress(plan: dict[str, Any]) -> dict[str, int]:
    """How many actions are in each state (for the overview)."""
    counts = {s: 0 for s in STATUSES}
    for goal in plan["goals"]:
        for action in goal["actions"]:
            counts[action["status"]] += 1
    return counts
