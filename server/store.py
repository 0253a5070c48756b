"""SQLite storage through sqlite-utils: meetings, hashed tokens, and per board an append-only
update log that is compacted into a snapshot.

Updates and compactions go through `self.writer` (server/writer.py: group commit). Every
update is committed before the room forwards it, so whatever a device has received is on disk.
WAL with synchronous=NORMAL survives a killed process; synchronous=FULL (config) also survives
power loss at the cost of an fsync per commit.
"""

import json
import logging
import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

from sqlite_utils import Database

from board.phases import FIRST_PHASE
from board.state import MeetingState

from .writer import StorageError, Writer
from .yupdate import UpdateRejected, neutralize

log = logging.getLogger("netwerkbord.store")
T = TypeVar("T")

__all__ = ["Meeting", "Store", "StorageError", "TokenRecord"]

SCHEMA_VERSION = 8


@dataclass(frozen=True)
class Meeting:
    id: str
    title: str
    created_at: float
    state: MeetingState


@dataclass(frozen=True)
class TokenRecord:
    meeting_id: str
    role: str
    hash: str
    ask: bool = False  # "ask me first": the link only asks the facilitator to let one in


def _access_tables(db: Database) -> None:
    db.table("devices").create(
        {
            "id": str,  # chosen by the server, shown in the console
            "meeting_id": str,
            "role": str,  # the role it was admitted as ("" while waiting)
            "key_hash": str,  # SHA-256 of the device's key; the key itself is not kept
            "label": str,  # the name given when asking to join, or how it came in
            "via": str,  # "link:<role>", "toelating" (admitted), "account"
            "status": str,  # "wacht", "actief", "geweigerd", "verwijderd"
            "created_at": float,
            "revoked_at": float,
            "address": str,  # where a waiting request came from (limits per address)
        },
        pk="id",
        if_not_exists=True,
    )
    db.table("devices").create_index(["key_hash"], unique=True, if_not_exists=True)
    db.table("devices").create_index(["meeting_id", "status"], if_not_exists=True)
    db.table("users").create(
        {
            "id": int,
            "username": str,
            "password_hash": str,  # argon2id
            "created_at": float,
            "generation": int,  # raised by a reset or removal: older sessions end
        },
        pk="id",
        not_null={"username", "password_hash"},
        defaults={"generation": 0},
        if_not_exists=True,
    )
    db.table("users").create_index(["username"], unique=True, if_not_exists=True)
    db.table("meeting_facilitators").create(
        {"meeting_id": str, "user_id": int, "added_at": float},
        pk=("meeting_id", "user_id"),
        if_not_exists=True,
    )
    db.table("meeting_facilitators").create_index(["user_id"], if_not_exists=True)
    db.table("settings").create({"name": str, "value": str}, pk="name", if_not_exists=True)
    tokens, meetings = db.table("tokens"), db.table("meetings")
    if "secret" not in tokens.columns_dict:  # (a database put back to an older version)
        tokens.add_column("secret", str)  # a role link itself, so it can be shown again
        tokens.add_column("ask", int, not_null_default=0)  # "ask me first": opens no door
    if "admission_code" not in meetings.columns_dict:
        meetings.add_column("admission_code", str)  # the room's QR code: it grants nothing


def _neutralize_stored(conn: sqlite3.Connection) -> None:
    for table in ("snapshots", "updates"):
        rowids = [r[0] for r in conn.execute(f"SELECT rowid FROM {table}")]
        for rowid in rowids:
            data = conn.execute(f"SELECT data FROM {table} WHERE rowid = ?", (rowid,)).fetchone()[0]
            try:
                fixed = neutralize(data) if data else None
            except UpdateRejected:
                continue  # not an update at all: pycrdt refuses it on load, as before
            if fixed is not None:
                log.warning(
                    "neutralized nested values in a stored board update (%s %d)", table, rowid
                )
                conn.execute(f"UPDATE {table} SET data = ? WHERE rowid = ?", (fixed, rowid))


class Store:
    # PostgreSQL's store compacts a board from the database itself (server/pgstore.py);
    # this one is handed the state of the document in memory (Room.compact).
    compacts_itself = False

    def __init__(self, path: Path | str | None, synchronous: str = "NORMAL") -> None:
        if path is None:
            conn = sqlite3.connect(":memory:", check_same_thread=False)
        else:
            Path(path).parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(str(path), check_same_thread=False)
        self.db = Database(conn)
        if path is not None:
            self.db.enable_wal()
            # Checkpoints run inside a commit on the event loop; smaller ones more often
            # keep each short (a big board's compaction writes megabytes, see compaction.py).
            self.db.execute("PRAGMA wal_autocheckpoint=256")
        self.db.execute(f"PRAGMA synchronous={synchronous}")
        # Deleted meetings are overwritten, not just unlinked: youth-care data must really go.
        self.db.execute("PRAGMA secure_delete=ON")
        self._migrate()
        # Group commit per turn of the event loop; an in-memory database (tests) writes at once.
        self.writer = Writer(conn, batch=path is not None)

    def close(self) -> None:
        self.writer.close()
        self.db.close()

    def _migrate(self) -> None:
        db = self.db
        if "meetings" not in db.table_names():
            db.table("meetings").create(
                {"id": str, "title": str, "created_at": float, "phase": str, "closed": int},
                pk="id",
            )
            db.table("tokens").create(
                {
                    "hash": str,
                    "meeting_id": str,
                    "role": str,
                    "created_at": float,
                    "revoked_at": float,
                },
                pk="hash",
            )
            db.table("tokens").create_index(["meeting_id", "role"])
            db.execute(
                "CREATE TABLE updates (id INTEGER PRIMARY KEY AUTOINCREMENT, "
                "meeting_id TEXT NOT NULL, board_id TEXT NOT NULL, data BLOB NOT NULL)"
            )
            db.table("updates").create_index(["meeting_id", "board_id", "id"])
            db.table("snapshots").create(
                {"meeting_id": str, "board_id": str, "data": bytes, "upto": int},
                pk=("meeting_id", "board_id"),
            )
            db.execute("PRAGMA user_version=1")
        if db.execute("PRAGMA user_version").fetchone()[0] < 2:
            # 2: meeting scripts, locked boards, "iedereen plakt nu", removed devices, audit
            with db.conn:
                meetings = db.table("meetings")
                meetings.add_column("script", str, not_null_default="familienetwerkberaad")
                meetings.add_column("locked", str, not_null_default="[]")
                meetings.add_column("posting_open", int, not_null_default=0)
                db.table("blocked_devices").create(
                    {"meeting_id": str, "device": str, "at": float}, pk=("meeting_id", "device")
                )
                db.table("audit").create(
                    {
                        "id": int,
                        "meeting_id": str,
                        "at": float,
                        "action": str,
                        "role": str,
                        "name": str,
                    },
                    pk="id",
                )
                db.table("audit").create_index(["meeting_id", "id"])
                db.execute("PRAGMA user_version=2")
        if db.execute("PRAGMA user_version").fetchone()[0] < 3:
            # 3: a meeting can be finished (read-only for everyone)
            with db.conn:
                db.table("meetings").add_column("finished", int, not_null_default=0)
                db.execute("PRAGMA user_version=3")
        if db.execute("PRAGMA user_version").fetchone()[0] < 4:
            # 4: which device owns which Yjs client id (server/validate.py ClientIds)
            with db.conn:
                db.table("client_ids").create(
                    {"meeting_id": str, "client_id": int, "owner": str},
                    pk=("meeting_id", "client_id"),
                )
                db.execute("PRAGMA user_version=4")
        if db.execute("PRAGMA user_version").fetchone()[0] < 5:
            # 5: a big board's snapshot is written in parts, off the event loop
            # (server/compaction.py); `parts` > 0 means the state is in snapshot_parts
            with db.conn:
                db.table("snapshots").add_column("parts", int, not_null_default=0)
                db.table("snapshots").add_column("generation", int, not_null_default=0)
                db.table("snapshot_parts").create(
                    {
                        "meeting_id": str,
                        "board_id": str,
                        "generation": int,
                        "seq": int,
                        "data": bytes,
                    },
                    pk=("meeting_id", "board_id", "generation", "seq"),
                )
                db.execute("PRAGMA user_version=5")
        if db.execute("PRAGMA user_version").fetchone()[0] < 6:
            # 6: earlier versions stored updates as they came; values nested deeper than
            # Yrs can read become deleted content (server/yupdate.py neutralize)
            with db.conn:
                _neutralize_stored(db.conn)
                db.execute("PRAGMA user_version=6")
        if db.execute("PRAGMA user_version").fetchone()[0] < 7:
            # 7: who is in the room (docs/architecture.md, "Access"): a credential per device,
            # admission to the room, facilitator accounts; role links can be shown again
            with db.conn:
                _access_tables(db)
                db.execute("PRAGMA user_version=7")
        if db.execute("PRAGMA user_version").fetchone()[0] < 8:
            # 8: boards the family has shown (MeetingState.shown: the VIP-kaart)
            with db.conn:
                if "shown" not in db.table("meetings").columns_dict:  # set back by hand: kept
                    db.table("meetings").add_column("shown", str, not_null_default="[]")
                db.execute(f"PRAGMA user_version={SCHEMA_VERSION}")

    def _write(self, fn: Callable[[], T]) -> T:
        try:
            with self.db.conn:
                return fn()
        except sqlite3.Error as e:
            raise StorageError(str(e)) from e

    # meetings -----------------------------------------------------------------------------

    def create_meeting(
        self,
        meeting_id: str,
        title: str,
        tokens: dict[str, str],
        script: str,
        secrets: dict[str, str] | None = None,
    ) -> None:
        """`tokens`: role -> the hash of its link; `secrets`: role -> the link's token, kept
        so that the meeting's facilitators can show the links again."""
        now = time.time()

        def write() -> None:
            self.db.table("meetings").insert(
                {
                    "id": meeting_id,
                    "title": title,
                    "created_at": now,
                    "phase": FIRST_PHASE,
                    "closed": 0,
                    "script": script,
                    "locked": "[]",
                    "posting_open": 0,
                }
            )
            self.db.table("tokens").insert_all(
                {
                    "hash": h,
                    "meeting_id": meeting_id,
                    "role": role,
                    "created_at": now,
                    "revoked_at": None,
                    "secret": (secrets or {}).get(role),
                }
                for role, h in tokens.items()
            )

        self._write(write)

    def get_meeting(self, meeting_id: str) -> Meeting | None:
        rows = list(self.db.query("SELECT * FROM meetings WHERE id = ?", [meeting_id]))
        if not rows:
            return None
        r = rows[0]
        state = MeetingState(
            phase=r["phase"],
            closed=bool(r["closed"]),
            script=r["script"],
            locked=frozenset(json.loads(r["locked"])),
            posting_open=bool(r["posting_open"]),
            finished=bool(r["finished"]),
            shown=frozenset(json.loads(r["shown"])),
        )
        return Meeting(r["id"], r["title"], r["created_at"], state)

    def count_meetings(self) -> int:
        return int(self.db.execute("SELECT count(*) FROM meetings").fetchone()[0])

    def set_state(self, meeting_id: str, state: MeetingState) -> None:
        self._write(
            lambda: self.db.table("meetings").update(
                meeting_id,
                {
                    "phase": state.phase,
                    "closed": int(state.closed),
                    "locked": json.dumps(sorted(state.locked)),
                    "posting_open": int(state.posting_open),
                    "finished": int(state.finished),
                    "shown": json.dumps(sorted(state.shown)),
                },
            )
        )

    def delete_meeting(self, meeting_id: str) -> None:
        """Every row of a meeting, its update history included; then the WAL is emptied so
        no copy of the deleted pages stays behind in it."""
        self.writer.flush()  # no update of it may still be on its way

        def write() -> None:
            for table in (
                "updates",
                "snapshots",
                "snapshot_parts",
                "tokens",
                "audit",
                "blocked_devices",
                "client_ids",
                "devices",
                "meeting_facilitators",
            ):
                self.db.execute(f"DELETE FROM {table} WHERE meeting_id = ?", [meeting_id])
            self.db.execute("DELETE FROM meetings WHERE id = ?", [meeting_id])

        self._write(write)
        self.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    def expired_meetings(self, created_before: float) -> list[str]:
        return [
            r["id"]
            for r in self.db.query("SELECT id FROM meetings WHERE created_at < ?", [created_before])
        ]

    def add_token(self, meeting_id: str, role: str, token_hash: str) -> None:
        self._write(
            lambda: self.db.table("tokens").insert(
                {
                    "hash": token_hash,
                    "meeting_id": meeting_id,
                    "role": role,
                    "created_at": time.time(),
                    "revoked_at": None,
                }
            )
        )

    def revoke_tokens(self, meeting_id: str, role: str) -> None:
        self._write(lambda: self._revoke(meeting_id, role, time.time()))

    # removed devices and the audit list --------------------------------------------------

    def block_device(self, meeting_id: str, device: str) -> None:
        self._write(
            lambda: self.db.table("blocked_devices").upsert(
                {"meeting_id": meeting_id, "device": device, "at": time.time()},
                pk=("meeting_id", "device"),
            )
        )

    def is_blocked(self, meeting_id: str, device: str) -> bool:
        return bool(
            self.db.execute(
                "SELECT 1 FROM blocked_devices WHERE meeting_id = ? AND device = ?",
                [meeting_id, device],
            ).fetchone()
        )

    def add_audit(self, meeting_id: str, action: str, role: str, name: str) -> None:
        self._write(
            lambda: self.db.table("audit").insert(
                {
                    "meeting_id": meeting_id,
                    "at": time.time(),
                    "action": action,
                    "role": role,
                    "name": name,
                }
            )
        )

    def audit(self, meeting_id: str) -> list[dict[str, Any]]:
        return list(
            self.db.query(
                "SELECT at, action, role, name FROM audit WHERE meeting_id = ? ORDER BY id",
                [meeting_id],
            )
        )

    # devices: one credential each (server/devices.py) -------------------------------------

    def add_device(self, row: dict[str, Any]) -> None:
        self._write(lambda: self.db.table("devices").insert(row))

    def find_device(self, key_hash: str) -> dict[str, Any] | None:
        rows = list(self.db.query("SELECT * FROM devices WHERE key_hash = ?", [key_hash]))
        return rows[0] if rows else None

    def get_device(self, meeting_id: str, device_id: str) -> dict[str, Any] | None:
        rows = list(
            self.db.query(
                "SELECT * FROM devices WHERE id = ? AND meeting_id = ?", [device_id, meeting_id]
            )
        )
        return rows[0] if rows else None

    def meeting_devices(self, meeting_id: str, *statuses: str) -> list[dict[str, Any]]:
        marks = ",".join("?" * len(statuses))
        return list(
            self.db.query(
                f"SELECT * FROM devices WHERE meeting_id = ? AND status IN ({marks}) "
                "ORDER BY created_at",
                [meeting_id, *statuses],
            )
        )

    def set_device(self, meeting_id: str, device_id: str, **values: Any) -> bool:
        """Change a device's row; False if it is not there."""

        def write() -> bool:
            cursor = self.db.execute(
                f"UPDATE devices SET {', '.join(f'{k} = ?' for k in values)} "
                "WHERE id = ? AND meeting_id = ?",
                [*values.values(), device_id, meeting_id],
            )
            return cursor.rowcount > 0

        return self._write(write)

    def admission_code(self, meeting_id: str, new: Callable[[], str]) -> str:
        """The meeting's room code (made on first use, and again with `renew`)."""
        row = self.db.execute(
            "SELECT admission_code FROM meetings WHERE id = ?", [meeting_id]
        ).fetchone()
        if row and row[0]:
            return str(row[0])
        return self.renew_admission_code(meeting_id, new())

    def renew_admission_code(self, meeting_id: str, code: str) -> str:
        self._write(
            lambda: self.db.execute(
                "UPDATE meetings SET admission_code = ? WHERE id = ?", [code, meeting_id]
            )
        )
        return code

    def meeting_by_admission_code(self, code: str) -> str | None:
        row = self.db.execute("SELECT id FROM meetings WHERE admission_code = ?", [code]).fetchone()
        return str(row[0]) if row else None

    # tokens -------------------------------------------------------------------------------

    def find_token(self, token_hash: str) -> TokenRecord | None:
        rows = list(
            self.db.query(
                "SELECT meeting_id, role, ask FROM tokens WHERE hash = ? AND revoked_at IS NULL",
                [token_hash],
            )
        )
        if not rows:
            return None
        return TokenRecord(rows[0]["meeting_id"], rows[0]["role"], token_hash, bool(rows[0]["ask"]))

    def replace_tokens(
        self, meeting_id: str, role: str, new_hash: str, secret: str | None = None
    ) -> list[str]:
        """Revoke every live token of a role and add a new one; returns the revoked hashes."""
        now = time.time()
        old = [
            r["hash"]
            for r in self.db.query(
                "SELECT hash FROM tokens WHERE meeting_id = ? AND role = ? AND revoked_at IS NULL",
                [meeting_id, role],
            )
        ]

        def write() -> None:
            self._revoke(meeting_id, role, now)
            self.db.table("tokens").insert(
                {
                    "hash": new_hash,
                    "meeting_id": meeting_id,
                    "role": role,
                    "created_at": now,
                    "revoked_at": None,
                    "secret": secret,
                    "ask": int(ask),
                }
            )

        ask = any(
            r["ask"]
            for r in self.db.query(
                "SELECT ask FROM tokens WHERE meeting_id = ? AND role = ? AND revoked_at IS NULL",
                [meeting_id, role],
            )
        )
        self._write(write)
        return old

    def role_links(self, meeting_id: str) -> dict[str, dict[str, Any]]:
        """Per role its live link's token (None for links made before they were kept) and
        whether it asks the facilitator first."""
        return {
            r["role"]: {"token": r["secret"], "ask": bool(r["ask"])}
            for r in self.db.query(
                "SELECT role, secret, ask FROM tokens WHERE meeting_id = ? "
                "AND revoked_at IS NULL ORDER BY created_at",
                [meeting_id],
            )
        }

    def set_ask(self, meeting_id: str, role: str, ask: bool) -> None:
        self._write(
            lambda: self.db.execute(
                "UPDATE tokens SET ask = ? WHERE meeting_id = ? AND role = ? "
                "AND revoked_at IS NULL",
                [int(ask), meeting_id, role],
            )
        )

    def _revoke(self, meeting_id: str, role: str, now: float) -> None:
        self.db.execute(
            "UPDATE tokens SET revoked_at = ? WHERE meeting_id = ? AND role = ? "
            "AND revoked_at IS NULL",
            [now, meeting_id, role],
        )

    # board documents ----------------------------------------------------------------------

    def load_board(self, meeting_id: str, board_id: str) -> tuple[bytes | None, list[bytes]]:
        """The snapshot (if any) and the updates logged after it, oldest first."""
        self.writer.flush()  # what is still on its way to the disk belongs to it too
        conn = self.db.conn  # plain tuples: a log can hold thousands of rows
        snap = conn.execute(
            "SELECT data, parts, generation FROM snapshots WHERE meeting_id = ? AND board_id = ?",
            (meeting_id, board_id),
        ).fetchone()
        updates = [
            r[0]
            for r in conn.execute(
                "SELECT data FROM updates WHERE meeting_id = ? AND board_id = ? ORDER BY id",
                (meeting_id, board_id),
            )
        ]
        if snap is None:
            return None, updates
        data, parts, generation = snap
        if parts:
            data = b"".join(
                r[0]
                for r in conn.execute(
                    "SELECT data FROM snapshot_parts WHERE meeting_id = ? AND board_id = ? "
                    "AND generation = ? ORDER BY seq",
                    (meeting_id, board_id, generation),
                )
            )
        return data, updates

    # a big board's snapshot, written a part at a time (server/compaction.py) ---------------

    def log_position(self, meeting_id: str, board_id: str) -> tuple[int, int]:
        """(the last logged update's id, the snapshot's generation): what a compaction
        that starts now covers, and the generation it replaces."""
        self.writer.flush()
        conn = self.db.conn
        upto = conn.execute(
            "SELECT coalesce(max(id), 0) FROM updates WHERE meeting_id = ? AND board_id = ?",
            (meeting_id, board_id),
        ).fetchone()[0]
        row = conn.execute(
            "SELECT generation FROM snapshots WHERE meeting_id = ? AND board_id = ?",
            (meeting_id, board_id),
        ).fetchone()
        return upto, row[0] if row else 0

    def write_part(
        self, meeting_id: str, board_id: str, generation: int, seq: int, data: bytes
    ) -> None:
        self._write(
            lambda: self.db.execute(
                "INSERT OR REPLACE INTO snapshot_parts VALUES (?, ?, ?, ?, ?)",
                (meeting_id, board_id, generation, seq, data),
            )
        )

    def install_parts(
        self, meeting_id: str, board_id: str, generation: int, parts: int, upto: int
    ) -> None:
        """Make the parts of `generation` the board's snapshot, covering the log up to
        `upto`; the log rows and parts it replaces are removed later (prune)."""
        self._write(
            lambda: self.db.execute(
                "INSERT OR REPLACE INTO snapshots (meeting_id, board_id, data, upto, parts, "
                "generation) VALUES (?, ?, ?, ?, ?, ?)",
                (meeting_id, board_id, b"", upto, parts, generation),
            )
        )

    def prune(
        self, meeting_id: str, board_id: str, generation: int, upto: int, budget: int
    ) -> bool:
        """Remove about `budget` bytes of what the snapshot of `generation` replaced: log
        rows up to `upto`, parts of other generations. True while more is left."""
        conn = self.db.conn
        for table, where, args in (
            ("updates", "id <= ?", upto),
            ("snapshot_parts", "generation != ?", generation),
        ):
            rows, size = [], 0
            for rowid, length in conn.execute(
                f"SELECT rowid, length(data) FROM {table} WHERE meeting_id = ? AND "
                f"board_id = ? AND {where} LIMIT 500",
                (meeting_id, board_id, args),
            ):
                rows.append(rowid)
                size += length
                if size >= budget:
                    break
            if rows:
                sql = f"DELETE FROM {table} WHERE rowid IN ({','.join('?' * len(rows))})"
                self._write(partial(self.db.execute, sql, rows))
                return True
        return False

    def board_sizes(self, meeting_id: str) -> dict[str, int]:
        """Bytes stored per board of a meeting: its snapshot (inline or in parts) and its log."""
        self.writer.flush()
        sizes: dict[str, int] = {}
        for table in ("snapshots", "snapshot_parts", "updates"):
            for board_id, size in self.db.conn.execute(
                f"SELECT board_id, sum(length(data)) FROM {table} WHERE meeting_id = ? "
                "GROUP BY board_id",
                (meeting_id,),
            ):
                sizes[board_id] = sizes.get(board_id, 0) + size
        return sizes

    def client_ids(self, meeting_id: str) -> dict[int, str]:
        self.writer.flush()
        return dict(
            self.db.conn.execute(
                "SELECT client_id, owner FROM client_ids WHERE meeting_id = ?", (meeting_id,)
            )
        )

    def boards_with_log(self) -> list[tuple[str, str]]:
        """Boards with updates not yet in their snapshot: after a clean stop there are none
        (every loaded board is compacted), after a crash the ones that were in use."""
        self.writer.flush()
        return self.db.conn.execute("SELECT DISTINCT meeting_id, board_id FROM updates").fetchall()

    def pending_updates(self, meeting_id: str, board_id: str) -> int:
        self.writer.flush()
        return self.db.execute(
            "SELECT count(*) FROM updates WHERE meeting_id = ? AND board_id = ?",
            [meeting_id, board_id],
        ).fetchone()[0]

    # facilitator accounts ------------------------------------------- (server/accounts.py)

    def count_users(self) -> int:
        return int(self.db.execute("SELECT count(*) FROM users").fetchone()[0])

    def add_user(self, username: str, password_hash: str, created_at: float) -> int | None:
        """The new user's id; None when the name is taken."""

        def write() -> int | None:
            cursor = self.db.execute(
                "INSERT OR IGNORE INTO users (username, password_hash, created_at, generation) "
                "VALUES (?, ?, ?, 0)",
                [username, password_hash, created_at],
            )
            return cursor.lastrowid if cursor.rowcount else None

        return self._write(write)

    def get_user(self, user_id: int) -> dict[str, Any] | None:
        rows = list(self.db.query("SELECT * FROM users WHERE id = ?", [user_id]))
        return rows[0] if rows else None

    def find_user(self, username: str) -> dict[str, Any] | None:
        rows = list(self.db.query("SELECT * FROM users WHERE username = ?", [username]))
        return rows[0] if rows else None

    def users(self) -> list[dict[str, Any]]:
        """Every user with the number of meetings they lead, by name."""
        return list(
            self.db.query(
                "SELECT u.id, u.username, u.created_at, "
                "(SELECT count(*) FROM meeting_facilitators f WHERE f.user_id = u.id) "
                "AS meetings FROM users u ORDER BY u.username"
            )
        )

    def set_password(self, user_id: int, password_hash: str) -> bool:
        """A new password; the generation goes up, so every older session ends."""

        def write() -> bool:
            cursor = self.db.execute(
                "UPDATE users SET password_hash = ?, generation = generation + 1 WHERE id = ?",
                [password_hash, user_id],
            )
            return cursor.rowcount > 0

        return self._write(write)

    def rehash_password(self, user_id: int, old_hash: str, new_hash: str) -> None:
        """The same password under newer hash parameters: sessions stay."""
        self._write(
            lambda: self.db.execute(
                "UPDATE users SET password_hash = ? WHERE id = ? AND password_hash = ?",
                [new_hash, user_id, old_hash],
            )
        )

    def remove_user(self, user_id: int) -> bool:
        """The user and their place in meetings (the meetings stay); their sessions end."""

        def write() -> bool:
            self.db.execute("DELETE FROM meeting_facilitators WHERE user_id = ?", [user_id])
            return self.db.execute("DELETE FROM users WHERE id = ?", [user_id]).rowcount > 0

        return self._write(write)

    def is_facilitator(self, meeting_id: str, user_id: int) -> bool:
        return bool(
            self.db.execute(
                "SELECT 1 FROM meeting_facilitators f JOIN meetings m ON m.id = f.meeting_id "
                "WHERE f.meeting_id = ? AND f.user_id = ?",
                [meeting_id, user_id],
            ).fetchone()
        )

    def add_facilitator(self, meeting_id: str, user_id: int) -> None:
        self._write(
            lambda: self.db.execute(
                "INSERT OR IGNORE INTO meeting_facilitators (meeting_id, user_id, added_at) "
                "VALUES (?, ?, ?)",
                [meeting_id, user_id, time.time()],
            )
        )

    def copy_facilitators(self, from_meeting: str, to_meeting: str) -> None:
        """Make the facilitators of one meeting those of another too (a meeting that follows
        on from an earlier one is led by the same people)."""
        self._write(
            lambda: self.db.execute(
                "INSERT OR IGNORE INTO meeting_facilitators (meeting_id, user_id, added_at) "
                "SELECT ?, user_id, ? FROM meeting_facilitators WHERE meeting_id = ?",
                [to_meeting, time.time(), from_meeting],
            )
        )

    def facilitators_of(self, meeting_id: str) -> list[str]:
        """The user names of a meeting's facilitators, in the order they were added."""
        return [
            r["username"]
            for r in self.db.query(
                "SELECT u.username FROM meeting_facilitators f JOIN users u ON u.id = f.user_id "
                "WHERE f.meeting_id = ? ORDER BY f.added_at, u.username",
                [meeting_id],
            )
        ]

    def meetings_of_user(self, user_id: int) -> list[Meeting]:
        """The meetings a user leads, newest first."""
        ids = [
            r["id"]
            for r in self.db.query(
                "SELECT m.id FROM meeting_facilitators f JOIN meetings m ON m.id = f.meeting_id "
                "WHERE f.user_id = ? ORDER BY m.created_at DESC, m.id",
                [user_id],
            )
        ]
        return [m for m in map(self.get_meeting, ids) if m is not None]

    def setting(self, name: str, make: Callable[[], str]) -> str:
        """A value kept in `settings`, made with `make` (and kept) the first time."""
        row = self.db.execute("SELECT value FROM settings WHERE name = ?", [name]).fetchone()
        if row is None:
            self._write(
                lambda: self.db.execute(
                    "INSERT OR IGNORE INTO settings (name, value) VALUES (?, ?)", [name, make()]
                )
            )
            row = self.db.execute("SELECT value FROM settings WHERE name = ?", [name]).fetchone()
        return str(row[0])
