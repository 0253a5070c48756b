"""A meeting that follows on from an earlier one of the same family (an evaluation after the
startbespreking, the next netwerkberaad): the facilitator starts it from the earlier meeting,
and the people, the network map, the plan and the agreements come along as a copy. The earlier
meeting stays as it was, with its own retention; the new one remembers what its plan was when
it was copied (the plan's `previous` map, written by the server only), so that its plan page
can say what changed since.

Pure: the server (server/meetings.py `follow_on`) reads the earlier boards, writes what
`carried` gives into the new meeting's boards in one server transaction each, and writes
`baseline` into the new plan's `previous`.
"""

import datetime as dt
from typing import Any

from .boards import BOARDS
from .dates import dutch_date
from .plan import PROGRESS, STATUSES, as_dict, plan_json
from .schema import ROOTS, field_error
from .scripts import MAPPING_TABS

# The boards that come along, in this order: the meeting's people first (every other board
# refers to them by id), the network map, the plan and the agreements. Not the notes of the
# earlier meeting's own conversation (Drieluik, doelen, evaluatie), not the bodemeisen (they
# are set again), never the family's worksheet, nor the course of the meeting.
CARRIED: tuple[str, ...] = (*MAPPING_TABS, "plan", "afspraken")

# The top-level map of the new plan that holds what the plan was when it was copied.
PREVIOUS = "previous"

# What usually follows on: looking at the plan together again.
DEFAULT_SCRIPT = "evaluatie"


def carried_boards() -> tuple[str, ...]:
    """The boards a follow-on meeting copies, of those this server has."""
    return tuple(
        b
        for b in CARRIED
        if b in BOARDS and not BOARDS[b].family_only and not BOARDS[b].server_only
    )


def carried(board_id: str, content: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """What of an earlier board's content goes into the new meeting's board: every top-level
    map a device may write there (board/schema.py ROOTS), with the same keys; of each record
    only the fields of the board's shape whose value fits it. The result is what a device
    could have written, so the new board holds nothing the server would refuse."""
    out: dict[str, dict[str, Any]] = {}
    for name, root in ROOTS.get(board_id, {}).items():
        items = as_dict(content.get(name))
        if root.records:
            out[name] = {
                key: {
                    f: v
                    for f, v in as_dict(record).items()
                    if f in root.fields and field_error(root.fields[f], v) is None
                }
                for key, record in items.items()
                if isinstance(record, dict)
            }
        else:
            out[name] = {
                key: value
                for key, value in items.items()
                if key in root.fields and field_error(root.fields[key], value) is None
            }
    return out


def baseline(
    title: str, created_at: float, plan: dict[str, Any], people: dict[str, Any] | None = None
) -> dict[str, Any]:
    """What the plan was when it was copied, for the new plan's `previous` map: the earlier
    meeting's title and when it was (`createdAt`, ms), and per goal and action what the
    overview of changes compares. `plan` is the earlier plan board's content."""
    shaped = plan_json(plan, people)
    return {
        "meeting": title,
        "createdAt": created_at * 1000,
        "goals": {g["id"]: {"text": g["text"], "progress": g["progress"]} for g in shaped["goals"]},
        "actions": {
            a["id"]: {
                "goal": g["id"],
                "wat": a["wat"],
                "wie": a["wie"],
                "status": a["status"],
                "progress": a["progress"],
            }
            for g in shaped["goals"]
            for a in g["actions"]
        },
    }


def _when(previous: dict[str, Any]) -> str:
    at = previous.get("createdAt")
    if not isinstance(at, (int, float)) or isinstance(at, bool):
        return ""
    try:
        return dutch_date(dt.datetime.fromtimestamp(at / 1000).date())
    except (OverflowError, OSError, ValueError):
        return ""


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def changes(previous: dict[str, Any], plan: dict[str, Any]) -> dict[str, Any] | None:
    """What changed in the plan since it was copied from the earlier meeting: goals and
    actions added and removed, progress marked, and actions whose "hoe gaat het" changed.

    `previous` is the plan's `previous` map (None-like when the meeting follows on from
    nothing: then None); `plan` is the plan now, as board.plan.plan_json gives it."""
    if not previous or not isinstance(previous.get("goals"), dict):
        return None
    goals_before = {k: as_dict(v) for k, v in as_dict(previous.get("goals")).items()}
    actions_before = {k: as_dict(v) for k, v in as_dict(previous.get("actions")).items()}
    goals_now = {g["id"]: g for g in plan["goals"]}
    actions_now = {a["id"]: (g, a) for g in plan["goals"] for a in g["actions"]}

    def goal_text(goal_id: str) -> str:
        if goal_id in goals_now:
            return str(goals_now[goal_id]["text"])
        return _text(goals_before.get(goal_id, {}).get("text"))

    progress = []
    for g in plan["goals"]:
        items = [("doel", g["id"], g, goals_before.get(g["id"], {}))]
        items += [("actie", a["id"], a, actions_before.get(a["id"], {})) for a in g["actions"]]
        for kind, _, item, before in items:
            if not item["progress"]:
                continue
            earlier = _text(before.get("progress"))
            progress.append(
                {
                    "kind": kind,
                    "text": item["text"] if kind == "doel" else item["wat"],
                    "goal": g["text"],
                    "progress": item["progress"],
                    "label": item["progressLabel"],
                    "before": PROGRESS.get(earlier, ""),
                }
            )
    status = []
    for aid, (g, a) in actions_now.items():
        was = _text(actions_before.get(aid, {}).get("status"))
        if aid in actions_before and was in STATUSES and was != a["status"]:
            status.append(
                {"wat": a["wat"], "goal": g["text"], "from": STATUSES[was], "to": a["statusLabel"]}
            )
    out: dict[str, Any] = {
        "since": {"title": _text(previous.get("meeting")), "date": _when(previous)},
        "goalsAdded": [g["text"] for gid, g in goals_now.items() if gid not in goals_before],
        "goalsRemoved": [
            _text(g.get("text")) for gid, g in goals_before.items() if gid not in goals_now
        ],
        "actionsAdded": [
            {"wat": a["wat"], "goal": g["text"]}
            for aid, (g, a) in actions_now.items()
            if aid not in actions_before
        ],
        "actionsRemoved": [
            {"wat": _text(a.get("wat")), "goal": goal_text(_text(a.get("goal")))}
            for aid, a in actions_before.items()
            if aid not in actions_now
        ],
        "progress": progress,
        "status": status,
    }
    out["nothing"] = not any(v for k, v in out.items() if k != "since")
    return out
