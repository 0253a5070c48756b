"""Shape a board's document content (plain Python data) into its public JSON form.

The server turns a Y document into plain dicts and lists; this module decides what of it is
shown and in which order, so the HTTP API and later exports share one definition.
"""

from typing import Any

from .boards import BOARDS

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
        state = dict(content.get("state")) if isinstance(content.get("state"), dict) else {}
        participants = state.pop("participants", None)
        return {
            "board": board_id,
            "title": board.title,
            "state": state,
            "participants": participants if isinstance(participants, dict) else {},
        }
    notes = content.get("notes") if isinstance(content.get("notes"), dict) else {}
    groups = content.get("groups") if isinstance(content.get("groups"), dict) else {}
    meta = content.get("meta") if isinstance(content.get("meta"), dict) else {}
    note_list = [{"id": k, **_pick(v, NOTE_FIELDS)} for k, v in notes.items()]
    group_list = [{"id": k, **_pick(v, GROUP_FIELDS)} for k, v in groups.items()]
    return {
        "board": board_id,
        "title": meta.get("title") if isinstance(meta.get("title"), str) else board.title,
        "template": board_id,
        "zones": [{"id": z.id, "title": z.title} for z in board.zones],
        "notes": sorted(note_list, key=_position),
        "groups": sorted(group_list, key=_position),
    }
