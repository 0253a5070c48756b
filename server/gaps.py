"""Gaps in a device's clock: an update that builds on changes the server does not have.

Pure functions over Yjs bytes, and the one repair the server makes (fill): a device whose
writes were refused while it could only read (a lock, a step) keeps counting its clock, so
its later updates follow changes no peer will ever get. Those are filled with
garbage-collected placeholders, the way Yjs itself marks content that is gone.
"""

from pycrdt import Doc
from pycrdt import get_update as pycrdt_get_update

from .sync import ProtocolError, Reader, decode_state_vector, write_uint


def unintegrated(update: bytes, state: bytes) -> bool:
    """Whether the update holds changes beyond the state vector it was just applied to."""
    try:
        rest = pycrdt_get_update(update, state)
    except ValueError:
        return True
    return rest[:1] != b"\x00"  # the first number counts the clients with changes left


def first_gap(update: bytes, state: bytes) -> tuple[int, int, int] | None:
    """(client, from, to) of the first client whose part of the update starts past the
    state vector, or None."""
    try:
        rest = Reader(pycrdt_get_update(update, state))
        if rest.uint() == 0:
            return None
        rest.uint()  # number of structs
        client, clock = rest.uint(), rest.uint()
        have = decode_state_vector(state).get(client, 0)
    except (ValueError, ProtocolError):
        return None
    return (client, have, clock) if clock > have else None


def gc_update(client: int, start: int, end: int) -> bytes:
    """An update holding one garbage-collected range of a client's clock, no deletions."""
    return (
        write_uint(1)
        + write_uint(1)
        + write_uint(client)
        + write_uint(start)
        + b"\x00"
        + write_uint(end - start)
        + write_uint(0)
    )


def fill(doc: Doc, update: bytes) -> bool:
    """Apply an update from a device whose earlier writes were refused (read-only then).

    The refused part of its clock is filled with GC placeholders, stored and forwarded like
    any update: the refused writes stay refused everywhere, and what the device may write
    now goes through. Returns False if the update still does not fit (the caller then goes
    back to what is stored).
    """
    for _ in range(8):  # one client's gap per round
        gap = first_gap(update, doc.get_state())
        if gap is None:
            break
        client, start, end = gap
        doc.apply_update(gc_update(client, start, end))
        doc.apply_update(update)
    return not unintegrated(update, doc.get_state())
