"""A board document's content as plain Python data (what board/ works on)."""

from typing import Any

from pycrdt import Doc, Map

# Top-level maps of the board documents (shared/domain.md, README): notes and groups on every
# board, statements on the Drieluik, state on verloop, goals/actions/team/info on the plan.
MAPS = ("meta", "notes", "groups", "statements", "state", "goals", "actions", "team", "info")


def board_content(doc: Doc) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name in MAPS:
        try:
            out[name] = doc.get(name, type=Map).to_py() or {}
        except Exception:  # a client wrote another type under this name
            out[name] = {}
    return out
