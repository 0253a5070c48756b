"""A board document's content as plain Python data (what board/ works on)."""

from typing import Any

from pycrdt import Doc, Map

from board.followon import PREVIOUS
from board.schema import ROOTS

# Top-level maps of the board documents (docs/data-contract.md): what the server writes
# (`meta`; `state` on verloop and stand; the plan's `previous` in a meeting that follows on)
# and every map a device may write on some board (board/schema.py ROOTS).
MAPS = tuple(
    dict.fromkeys(
        ("meta", "state", PREVIOUS, *(name for roots in ROOTS.values() for name in roots))
    )
)


def board_content(doc: Doc) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name in MAPS:
        try:
            out[name] = doc.get(name, type=Map).to_py() or {}
        except Exception:  # a client wrote another type under this name
            out[name] = {}
    return out
