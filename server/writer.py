"""Board updates are written to SQLite in batches (group commit).

A room applies an update, hands it to the writer, and forwards it to the other devices only
when the writer reports it committed (write-before-forward). Every update that arrives during
one turn of the event loop goes into one transaction written right after that turn: under
load one commit carries many updates, which writes far fewer pages than a commit per update.

It stays on the event loop's thread on purpose. A writer thread was tried: each sqlite3 call
lets go of the GIL and then waits for the busy event loop to give it back (5 ms by default),
and on a machine whose cores are busy the extra thread only competed with the loop; fan-out
got slower, not faster (bench/SERVER.md).
"""

import asyncio
import logging
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass

log = logging.getLogger("netwerkbord.writer")

Done = Callable[[Exception | None], None]  # called on the event loop: None or the failure


class StorageError(RuntimeError):
    """Writing to the database failed (disk full, read-only file, ...)."""


@dataclass(slots=True)
class Item:
    kind: str  # "append", "compact", "claim" or "mark" (no write: only its callback)
    key: tuple[str, str] = ("", "")
    data: bytes = b""
    done: Done | None = None
    error: Exception | None = None
    rows: list[tuple[int, str]] | None = None  # "claim": (client id, owner)


_INSERT = "INSERT INTO updates (meeting_id, board_id, data) VALUES "
_ROWS_PER_INSERT = 300  # 900 parameters, below SQLite's old limit of 999


def _insert(conn: sqlite3.Connection, items: list[Item]) -> None:
    """One statement per 300 rows: fewer calls into sqlite3 than one per row."""
    for start in range(0, len(items), _ROWS_PER_INSERT):
        chunk = items[start : start + _ROWS_PER_INSERT]
        conn.execute(
            _INSERT + ",".join(["(?, ?, ?)"] * len(chunk)),
            [v for it in chunk for v in (*it.key, it.data)],
        )


def _claim(conn: sqlite3.Connection, items: list[Item]) -> None:
    conn.executemany(
        "INSERT OR IGNORE INTO client_ids (meeting_id, client_id, owner) VALUES (?, ?, ?)",
        [(it.key[0], client, owner) for it in items for client, owner in it.rows or ()],
    )


IN_PARTS_FROM = 1 << 20  # a snapshot this big is stored in parts (server/compaction.py)
PART_BYTES = 256 * 1024


def compact_board(conn: sqlite3.Connection, meeting_id: str, board_id: str, state: bytes) -> None:
    """Replace a board's snapshot and log by one snapshot holding `state`, the state of a
    document that has applied every update logged so far (so dropping the log loses nothing).
    A big state is stored in parts, as compaction.py writes it: replacing it later then
    never has to overwrite megabytes in one transaction."""
    key = (meeting_id, board_id)
    upto = conn.execute(
        "SELECT coalesce(max(id), 0) FROM updates WHERE meeting_id = ? AND board_id = ?", key
    ).fetchone()[0]
    row = conn.execute(
        "SELECT generation FROM snapshots WHERE meeting_id = ? AND board_id = ?", key
    ).fetchone()
    generation = (row[0] if row else 0) + 1
    parts = range(0, len(state), PART_BYTES) if len(state) >= IN_PARTS_FROM else range(0)
    conn.executemany(
        "INSERT INTO snapshot_parts VALUES (?, ?, ?, ?, ?)",
        [
            (*key, generation, seq, state[start : start + PART_BYTES])
            for seq, start in enumerate(parts)
        ],
    )
    conn.execute(
        "INSERT OR REPLACE INTO snapshots (meeting_id, board_id, data, upto, parts, "
        "generation) VALUES (?, ?, ?, ?, ?, ?)",
        (*key, b"" if parts else state, upto, len(parts), generation),
    )
    conn.execute(
        "DELETE FROM snapshot_parts WHERE meeting_id = ? AND board_id = ? AND generation != ?",
        (*key, generation),
    )
    conn.execute(
        "DELETE FROM updates WHERE meeting_id = ? AND board_id = ? AND id <= ?", (*key, upto)
    )


def _write(conn: sqlite3.Connection, items: list[Item]) -> None:
    """Write a run of items: consecutive appends in one transaction, each compaction in its
    own (a failed compaction must not fail the updates around it). Records errors per item."""
    i = 0
    while i < len(items):
        j = i
        while j < len(items) and items[j].kind != "compact":
            j += 1
        group = items[i:j] if j > i else items[i : i + 1]
        try:
            conn.execute("BEGIN")
            try:
                if group[0].kind == "compact":
                    compact_board(conn, *group[0].key, group[0].data)
                else:
                    _insert(conn, [it for it in group if it.kind == "append"])
                    _claim(conn, [it for it in group if it.kind == "claim"])
                conn.execute("COMMIT")
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise
        except sqlite3.Error as e:
            error = StorageError(str(e))
            for it in group:
                if it.kind != "mark":
                    it.error = error
        i += len(group)


class Handover:
    """What the rooms hand a writer (updates, client-id claims, a callback after what came
    before) and how it reports back; Writer (SQLite) and pgstore.PgWriter write it."""

    failures = 0  # updates that could not be written, since the start

    def append(self, key: tuple[str, str], update: bytes, done: Done) -> None:
        self._add(Item("append", key, update, done))

    def claim(self, meeting_id: str, rows: list[tuple[int, str]]) -> None:
        """Record client ids as owned, in the same transaction as the updates around it."""
        self._add(Item("claim", (meeting_id, ""), rows=rows))

    def after(self, done: Done) -> None:
        """Run `done` once everything handed over so far is written; with an error if any
        update failed meanwhile (what the caller computed may have held it)."""
        failures = self.failures

        def report(error: Exception | None) -> None:
            done(
                StorageError("an earlier update was not stored")
                if self.failures > failures
                else None
            )

        self._add(Item("mark", done=report))

    def _add(self, item: Item) -> None:
        raise NotImplementedError

    def _report(self, items: list[Item]) -> None:
        """Run the callbacks of written items, in order (each with its item's error)."""
        for item in items:
            if item.error is not None and item.kind == "append":
                self.failures += 1
            if item.done is not None:
                try:
                    item.done(item.error)
                except Exception:
                    log.exception("a write callback failed")
            elif item.error is not None:
                log.warning("writing %s/%s failed: %s", *item.key, item.error)


class Writer(Handover):
    """Writes updates and compactions through `conn`, on the event loop's thread.

    With `batch`, what is handed over during one turn of the event loop is written in one
    transaction right after that turn (group commit), then the callbacks run. Without it each
    item is written at once and its callback runs before the call returns (an in-memory
    database in tests: everything happens in order, synchronously).
    """

    def __init__(self, conn: sqlite3.Connection, batch: bool = True) -> None:
        self.conn = conn
        self.batch = batch
        self._incoming: list[Item] = []

    def compact(self, key: tuple[str, str], state: bytes, done: Done | None = None) -> None:
        self._add(Item("compact", key, state, done))

    def idle(self) -> bool:
        """Nothing waits to be written."""
        return not self._incoming

    def flush(self) -> None:
        """Write what is waiting now, and run its callbacks."""
        while self._incoming:
            items, self._incoming = self._incoming, []
            _write(self.conn, items)
            self._report(items)

    close = flush

    def _add(self, item: Item) -> None:
        if self.batch and not self._incoming:
            asyncio.get_running_loop().call_soon(self.flush)
        self._incoming.append(item)
        if not self.batch:
            self.flush()
