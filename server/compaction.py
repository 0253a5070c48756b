"""Compaction of a big board without holding up other meetings.

Compacting replaces a board's snapshot and update log by one snapshot of its whole state.
For a board of a few MB that is tens of milliseconds of encoding and of writing (a board at
its 8 MiB quota: ~24 ms to encode, ~55 ms to write, ~50 ms to overwrite the old snapshot with
secure_delete), all on the event loop that every meeting shares. So a big board is compacted
in steps instead:

1. The state is encoded in a thread (pycrdt lets go of the GIL while it encodes). Meanwhile
   the room holds back writes to this board only (Room.encoding); reads go on.
2. It is written as parts of PART_BYTES, each in its own short transaction, one per turn of
   the event loop; then one small transaction makes them the board's snapshot.
3. What it replaced (log rows, older parts) is removed the same way, a little per turn.

A load in between reads the new snapshot and some log rows it already holds, which Yjs
applies as no-ops. Small boards are compacted at once, as before (Room.compact).
"""

import asyncio
import logging
from typing import TYPE_CHECKING

from .writer import IN_PARTS_FROM, PART_BYTES, StorageError

if TYPE_CHECKING:
    from .rooms import Room
    from .store import Store

log = logging.getLogger("netwerkbord.compaction")

__all__ = ["IN_PARTS_FROM", "PART_BYTES", "compact_in_parts", "fold_logs"]


def fold_logs(store: "Store") -> int:
    """At start, before any device comes: compact the boards a crash left with a log, so that
    the first device on each gets its snapshot as it is stored (Room.doc) instead of waiting
    while the server applies the log (10,000 rows: ~30 ms). A board that fails stays as it
    is: it loads from its log, as it did before. Returns the number of boards compacted."""
    from .rooms import load_doc  # (rooms imports this module)

    folded = 0
    for meeting_id, board_id in store.boards_with_log():
        try:
            state = load_doc(store, meeting_id, board_id).get_update()
            store.writer.compact((meeting_id, board_id), state)
            store.writer.flush()
            folded += 1
        except Exception:
            log.exception("compacting %s/%s at start failed; its log stays", meeting_id, board_id)
    return folded


async def compact_in_parts(room: "Room") -> None:
    store, (meeting_id, board_id) = room.store, room.key
    upto, generation = store.log_position(meeting_id, board_id)
    loads, pending = room.loads, room.pending
    room.encoding = True
    try:
        state = await asyncio.to_thread(room.doc.get_update)
    finally:
        room.encoding = False
        room.run_held_back()
    if room.loads != loads:  # read back from disk meanwhile (a failed write): not this state
        return
    generation += 1
    parts = range(0, len(state), PART_BYTES)
    try:
        for seq, start in enumerate(parts):
            await asyncio.sleep(0)
            if room.gone:
                return
            store.write_part(
                meeting_id, board_id, generation, seq, state[start : start + PART_BYTES]
            )
        store.install_parts(meeting_id, board_id, generation, len(parts), upto)
        room.compacted(pending, len(state))
        while not room.gone and store.prune(meeting_id, board_id, generation, upto, PART_BYTES):
            await asyncio.sleep(0)
    except StorageError as e:  # the log stays as it was: nothing is lost
        log.error("compacting %s/%s failed: %s", meeting_id, board_id, e)
