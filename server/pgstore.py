"""PostgreSQL storage (psycopg 3): the same methods as server/store.py, for a service of
several nodes (`netwerkbord serve --database postgresql://...`).

Two pools, because the rest of the server calls the store in two ways:
- The update log is written by PgWriter through an *async* pool: group commit per turn of
  the event loop (as server/writer.py does for SQLite), and the event loop never waits for
  PostgreSQL on the hot path. An update is committed before any node forwards it.
- Meetings, links, devices and accounts are read and written by plain method calls from
  request handlers (124 call sites share this interface with the SQLite store), through a
  small *sync* pool: a few of these per facilitator action, each well under a millisecond
  on the same network.

Every table of a meeting references `meetings` with ON DELETE CASCADE, so deleting the
meeting's row deletes everything of it in one statement, on whatever node. The log is
written with `WHERE EXISTS` on the meeting, so an update still on its way when a meeting is
deleted cannot bring rows of it back.

Compaction is safe when two nodes hold the same board: it never trusts a node's document in
memory (which may lack what another node just committed), but rebuilds the state from the
database itself, under an advisory lock per board, and deletes exactly the rows it read.
"""

import asyncio
import json
import logging
import time
import zlib
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

import psycopg
from psycopg.rows import dict_row
from psycopg_pool import AsyncConnectionPool, ConnectionPool
from pycrdt import Doc

from board.phases import FIRST_PHASE
from board.state import MeetingState

from .store import Meeting, TokenRecord
from .writer import Handover, Item, StorageError

log = logging.getLogger("netwerkbord.pgstore")
T = TypeVar("T")

# Each migration once, in order, recorded in schema_migrations; applied at start under an
# advisory lock, so nodes starting together do not race.
MIGRATIONS: list[tuple[int, str, str]] = [
    (
        1,
        "meetings, links, devices, accounts, the board log",
        """
        CREATE TABLE meetings (
            id text PRIMARY KEY, title text NOT NULL, created_at double precision NOT NULL,
            phase text NOT NULL, closed integer NOT NULL DEFAULT 0,
            script text NOT NULL DEFAULT 'familienetwerkberaad',
            locked text NOT NULL DEFAULT '[]', posting_open integer NOT NULL DEFAULT 0,
            finished integer NOT NULL DEFAULT 0, shown text NOT NULL DEFAULT '[]',
            admission_code text UNIQUE);
        CREATE INDEX meetings_created ON meetings (created_at);
        CREATE TABLE tokens (
            hash text PRIMARY KEY,
            meeting_id text NOT NULL REFERENCES meetings ON DELETE CASCADE,
            role text NOT NULL, created_at double precision, revoked_at double precision,
            secret text, ask integer NOT NULL DEFAULT 0);
        CREATE INDEX tokens_meeting ON tokens (meeting_id, role);
        CREATE TABLE updates (
            id bigserial PRIMARY KEY,
            meeting_id text NOT NULL REFERENCES meetings ON DELETE CASCADE,
            board_id text NOT NULL, data bytea NOT NULL);
        CREATE INDEX updates_board ON updates (meeting_id, board_id, id);
        CREATE TABLE snapshots (
            meeting_id text NOT NULL REFERENCES meetings ON DELETE CASCADE,
            board_id text NOT NULL, data bytea NOT NULL, upto bigint NOT NULL,
            PRIMARY KEY (meeting_id, board_id));
        CREATE TABLE audit (
            id bigserial PRIMARY KEY,
            meeting_id text NOT NULL REFERENCES meetings ON DELETE CASCADE,
            at double precision, action text, role text, name text);
        CREATE INDEX audit_meeting ON audit (meeting_id, id);
        CREATE TABLE blocked_devices (
            meeting_id text NOT NULL REFERENCES meetings ON DELETE CASCADE,
            device text NOT NULL, at double precision, PRIMARY KEY (meeting_id, device));
        CREATE TABLE client_ids (
            meeting_id text NOT NULL REFERENCES meetings ON DELETE CASCADE,
            client_id bigint NOT NULL, owner text NOT NULL,
            PRIMARY KEY (meeting_id, client_id));
        CREATE TABLE devices (
            id text PRIMARY KEY,
            meeting_id text NOT NULL REFERENCES meetings ON DELETE CASCADE,
            role text, key_hash text UNIQUE, label text, via text, status text,
            created_at double precision, revoked_at double precision, address text);
        CREATE INDEX devices_meeting ON devices (meeting_id, status);
        CREATE TABLE users (
            id bigserial PRIMARY KEY, username text NOT NULL UNIQUE,
            password_hash text NOT NULL, created_at double precision,
            generation integer NOT NULL DEFAULT 0);
        CREATE TABLE meeting_facilitators (
            meeting_id text NOT NULL REFERENCES meetings ON DELETE CASCADE,
            user_id bigint NOT NULL REFERENCES users ON DELETE CASCADE,
            added_at double precision, PRIMARY KEY (meeting_id, user_id));
        CREATE INDEX facilitators_user ON meeting_facilitators (user_id);
        CREATE TABLE settings (name text PRIMARY KEY, value text NOT NULL);
        """,
    ),
]

POOL_WAIT_SECONDS = 1.0  # for a connection from a pool, at most
_MIGRATION_LOCK = 0x4E42_0001  # pg_advisory_lock key: "NB", migrations


def _board_lock(meeting_id: str, board_id: str) -> int:
    """The advisory lock of one board (compaction), a signed 64-bit key."""
    return zlib.crc32(f"{meeting_id}/{board_id}".encode()) - 2**31


def migrate(conn: psycopg.Connection[Any]) -> list[int]:  # (dict rows)
    """Apply the migrations this database has not had yet; returns their numbers."""
    applied: list[int] = []
    with conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(%s)", [_MIGRATION_LOCK])
        conn.execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, "
            "name text NOT NULL, applied_at double precision NOT NULL)"
        )
        done = {r["version"] for r in conn.execute("SELECT version FROM schema_migrations")}
        for version, name, sql in MIGRATIONS:
            if version in done:
                continue
            conn.execute(sql)
            conn.execute(
                "INSERT INTO schema_migrations VALUES (%s, %s, %s)", [version, name, time.time()]
            )
            applied.append(version)
    return applied


_INSERT_UPDATES = (
    "INSERT INTO updates (meeting_id, board_id, data) SELECT t.m, t.b, t.d "
    "FROM unnest(%s::text[], %s::text[], %s::bytea[]) WITH ORDINALITY AS t(m, b, d, n) "
    "WHERE EXISTS (SELECT 1 FROM meetings WHERE id = t.m) ORDER BY t.n"
)
_INSERT_CLAIMS = (
    "INSERT INTO client_ids (meeting_id, client_id, owner) SELECT t.m, t.c, t.o "
    "FROM unnest(%s::text[], %s::bigint[], %s::text[]) AS t(m, c, o) "
    "WHERE EXISTS (SELECT 1 FROM meetings WHERE id = t.m) ON CONFLICT DO NOTHING"
)


def _params(items: list[Item]) -> tuple[list[Any], list[Any]]:
    appends = [it for it in items if it.kind == "append"]
    claims = [(it.key[0], c, o) for it in items if it.kind == "claim" for c, o in it.rows or ()]
    return (
        [[it.key[0] for it in appends], [it.key[1] for it in appends], [it.data for it in appends]],
        [list(col) for col in zip(*claims, strict=True)] if claims else [],
    )


class PgWriter(Handover):
    """The update log's group commit, as server/writer.py's Writer, with an async
    connection: what is handed over during one turn of the event loop is written in one
    statement (or transaction) while the loop goes on; then the callbacks run, in order."""

    batch = True

    def __init__(self, pool: AsyncConnectionPool, sync_pool: ConnectionPool) -> None:
        self.pool, self.sync_pool = pool, sync_pool
        self._incoming: list[Item] = []
        self._inflight: list[Item] = []
        self._task: asyncio.Task[None] | None = None

    def idle(self) -> bool:
        return not self._incoming and not self._inflight

    def waiting(self, key: tuple[str, str]) -> list[bytes]:
        """Updates of a board handed over but maybe not committed yet (a board read now
        must hold them too: its document in memory already does)."""
        return [it.data for it in (*self._inflight, *self._incoming) if it.key == key]

    def flush(self) -> None:
        """Write what is waiting now, synchronously (a server change answers a request only
        once it is stored). What an async batch already took is committed by that batch."""
        items, self._incoming = self._incoming, []
        if not items:
            return
        error: Exception | None = None
        try:
            with self.sync_pool.connection() as conn, conn.transaction():
                self._execute_sync(conn, items)
        except psycopg.Error as e:
            error = StorageError(str(e))
        self._finish(items, error)

    def close(self) -> None:
        self.flush()

    async def drain(self) -> None:
        """Wait until everything handed over is committed (shutdown, tests)."""
        while self._task is not None:
            await asyncio.shield(self._task)

    def _add(self, item: Item) -> None:
        self._incoming.append(item)
        if self._task is None:
            self._task = asyncio.get_running_loop().create_task(self._run())

    async def _run(self) -> None:
        try:
            while self._incoming:
                await asyncio.sleep(0)  # let the rest of this turn's updates join the batch
                items, self._incoming = self._incoming, []
                self._inflight = items
                error: Exception | None = None
                try:
                    appends, claims = _params(items)
                    async with self.pool.connection() as conn:
                        if not claims:  # one statement commits alone: one round trip
                            if appends[0]:
                                await conn.execute(_INSERT_UPDATES, appends)
                        else:
                            async with conn.transaction():
                                if appends[0]:
                                    await conn.execute(_INSERT_UPDATES, appends)
                                await conn.execute(_INSERT_CLAIMS, claims)
                except (psycopg.Error, OSError) as e:
                    error = StorageError(str(e))
                self._inflight = []
                self._finish(items, error)
        finally:
            self._task = None

    def _execute_sync(self, conn: psycopg.Connection[Any], items: list[Item]) -> None:
        appends, claims = _params(items)
        if appends[0]:
            conn.execute(_INSERT_UPDATES, appends)
        if claims:
            conn.execute(_INSERT_CLAIMS, claims)

    def _finish(self, items: list[Item], error: Exception | None) -> None:
        """Every update and claim of a batch shares its fate (a mark has none of its own)."""
        for item in items:
            if item.kind != "mark":
                item.error = error
        self._report(items)


class PgStore:
    """The SQLite Store's methods on PostgreSQL (see the module docstring)."""

    compacts_itself = True  # compact() builds the state from the database (safe on 2 nodes)

    def __init__(self, url: str, pool_size: int = 4) -> None:
        self.url = url
        self.sync_pool = ConnectionPool(
            url,
            min_size=1,
            max_size=pool_size,
            kwargs={"autocommit": True, "row_factory": dict_row},
            open=True,
            name="netwerkbord-sync",
            # These calls hold the event loop: when PostgreSQL is away, fail fast (503,
            # 1011) rather than freeze every device of the node for the pool's 30 s.
            timeout=POOL_WAIT_SECONDS,
        )
        with self.sync_pool.connection() as conn:
            applied = migrate(conn)
        if applied:
            log.info("database migrations applied: %s", applied)
        self.pool = AsyncConnectionPool(
            url,
            min_size=1,
            max_size=pool_size,
            kwargs={"autocommit": True},
            open=False,
            timeout=POOL_WAIT_SECONDS * 5,  # (async: waits without holding the loop)
        )
        self.writer = PgWriter(self.pool, self.sync_pool)

    async def open(self) -> None:
        await self.pool.open()

    async def aclose(self) -> None:
        await self.writer.drain()
        await self.pool.close()
        self.sync_pool.close()

    def close(self) -> None:
        self.writer.close()
        self.sync_pool.close()

    # plumbing -----------------------------------------------------------------------------

    def _rows(self, sql: str, args: Iterable[Any] = ()) -> list[dict[str, Any]]:
        try:
            with self.sync_pool.connection() as conn:
                return list(conn.execute(sql, list(args)).fetchall())  # type: ignore[arg-type]
        except psycopg.Error as e:
            raise StorageError(str(e)) from e

    def _one(self, sql: str, args: Iterable[Any] = ()) -> dict[str, Any] | None:
        rows = self._rows(sql, args)
        return rows[0] if rows else None

    def _exec(self, sql: str, args: Iterable[Any] = ()) -> int:
        """Run one statement; the number of rows it changed."""
        try:
            with self.sync_pool.connection() as conn:
                return conn.execute(sql, list(args)).rowcount  # type: ignore[arg-type]
        except psycopg.Error as e:
            raise StorageError(str(e)) from e

    def _transaction(self, fn: Callable[[psycopg.Connection[Any]], T]) -> T:
        try:
            with self.sync_pool.connection() as conn, conn.transaction():
                return fn(conn)
        except psycopg.Error as e:
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
        now = time.time()

        def write(conn: psycopg.Connection[Any]) -> None:
            conn.execute(
                "INSERT INTO meetings (id, title, created_at, phase, script) "
                "VALUES (%s, %s, %s, %s, %s)",
                [meeting_id, title, now, FIRST_PHASE, script],
            )
            for role, h in tokens.items():
                conn.execute(
                    "INSERT INTO tokens (hash, meeting_id, role, created_at, secret) "
                    "VALUES (%s, %s, %s, %s, %s)",
                    [h, meeting_id, role, now, (secrets or {}).get(role)],
                )

        self._transaction(write)

    def get_meeting(self, meeting_id: str) -> Meeting | None:
        r = self._one("SELECT * FROM meetings WHERE id = %s", [meeting_id])
        if r is None:
            return None
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
        row = self._one("SELECT count(*) AS n FROM meetings")
        return int(row["n"]) if row else 0

    def set_state(self, meeting_id: str, state: MeetingState) -> None:
        self._exec(
            "UPDATE meetings SET phase = %s, closed = %s, locked = %s, posting_open = %s, "
            "finished = %s, shown = %s WHERE id = %s",
            [
                state.phase,
                int(state.closed),
                json.dumps(sorted(state.locked)),
                int(state.posting_open),
                int(state.finished),
                json.dumps(sorted(state.shown)),
                meeting_id,
            ],
        )

    def delete_meeting(self, meeting_id: str) -> None:
        """Every row of a meeting (each table cascades from `meetings`)."""
        self.writer.flush()
        self._exec("DELETE FROM meetings WHERE id = %s", [meeting_id])

    def expired_meetings(self, created_before: float) -> list[str]:
        return [
            r["id"]
            for r in self._rows("SELECT id FROM meetings WHERE created_at < %s", [created_before])
        ]

    def add_token(self, meeting_id: str, role: str, token_hash: str) -> None:
        self._exec(
            "INSERT INTO tokens (hash, meeting_id, role, created_at) VALUES (%s, %s, %s, %s)",
            [token_hash, meeting_id, role, time.time()],
        )

    def revoke_tokens(self, meeting_id: str, role: str) -> None:
        self._exec(_REVOKE, [time.time(), meeting_id, role])

    # removed devices and the audit list --------------------------------------------------

    def block_device(self, meeting_id: str, device: str) -> None:
        self._exec(
            "INSERT INTO blocked_devices VALUES (%s, %s, %s) ON CONFLICT (meeting_id, device) "
            "DO UPDATE SET at = excluded.at",
            [meeting_id, device, time.time()],
        )

    def is_blocked(self, meeting_id: str, device: str) -> bool:
        return bool(
            self._rows(
                "SELECT 1 FROM blocked_devices WHERE meeting_id = %s AND device = %s",
                [meeting_id, device],
            )
        )

    def add_audit(self, meeting_id: str, action: str, role: str, name: str) -> None:
        self._exec(
            "INSERT INTO audit (meeting_id, at, action, role, name) VALUES (%s, %s, %s, %s, %s)",
            [meeting_id, time.time(), action, role, name],
        )

    def audit(self, meeting_id: str) -> list[dict[str, Any]]:
        return self._rows(
            "SELECT at, action, role, name FROM audit WHERE meeting_id = %s ORDER BY id",
            [meeting_id],
        )

    # devices ------------------------------------------------------------------------------

    def add_device(self, row: dict[str, Any]) -> None:
        names = list(row)
        self._exec(
            f"INSERT INTO devices ({', '.join(names)}) VALUES ({', '.join(['%s'] * len(names))})",
            [row[n] for n in names],
        )

    def find_device(self, key_hash: str) -> dict[str, Any] | None:
        return self._one("SELECT * FROM devices WHERE key_hash = %s", [key_hash])

    def get_device(self, meeting_id: str, device_id: str) -> dict[str, Any] | None:
        return self._one(
            "SELECT * FROM devices WHERE id = %s AND meeting_id = %s", [device_id, meeting_id]
        )

    def meeting_devices(self, meeting_id: str, *statuses: str) -> list[dict[str, Any]]:
        return self._rows(
            "SELECT * FROM devices WHERE meeting_id = %s AND status = ANY(%s) ORDER BY created_at",
            [meeting_id, list(statuses)],
        )

    def set_device(self, meeting_id: str, device_id: str, **values: Any) -> bool:
        columns = [k for k in values if k in _DEVICE_COLUMNS]  # names from code, checked anyway
        return (
            self._exec(
                f"UPDATE devices SET {', '.join(f'{k} = %s' for k in columns)} "
                "WHERE id = %s AND meeting_id = %s",
                [*(values[k] for k in columns), device_id, meeting_id],
            )
            > 0
        )

    def admission_code(self, meeting_id: str, new: Callable[[], str]) -> str:
        row = self._one("SELECT admission_code FROM meetings WHERE id = %s", [meeting_id])
        if row and row["admission_code"]:
            return str(row["admission_code"])
        return self.renew_admission_code(meeting_id, new())

    def renew_admission_code(self, meeting_id: str, code: str) -> str:
        self._exec("UPDATE meetings SET admission_code = %s WHERE id = %s", [code, meeting_id])
        return code

    def meeting_by_admission_code(self, code: str) -> str | None:
        row = self._one("SELECT id FROM meetings WHERE admission_code = %s", [code])
        return str(row["id"]) if row else None

    # tokens -------------------------------------------------------------------------------

    def find_token(self, token_hash: str) -> TokenRecord | None:
        r = self._one(
            "SELECT meeting_id, role, ask FROM tokens WHERE hash = %s AND revoked_at IS NULL",
            [token_hash],
        )
        if r is None:
            return None
        return TokenRecord(r["meeting_id"], r["role"], token_hash, bool(r["ask"]))

    def replace_tokens(
        self, meeting_id: str, role: str, new_hash: str, secret: str | None = None
    ) -> list[str]:
        now = time.time()

        def write(conn: psycopg.Connection[Any]) -> list[str]:
            live = conn.execute(
                "SELECT hash, ask FROM tokens WHERE meeting_id = %s AND role = %s "
                "AND revoked_at IS NULL FOR UPDATE",
                [meeting_id, role],
            ).fetchall()
            conn.execute(_REVOKE, [now, meeting_id, role])
            conn.execute(
                "INSERT INTO tokens (hash, meeting_id, role, created_at, secret, ask) "
                "VALUES (%s, %s, %s, %s, %s, %s)",
                [new_hash, meeting_id, role, now, secret, int(any(r["ask"] for r in live))],
            )
            return [r["hash"] for r in live]

        return self._transaction(write)

    def role_links(self, meeting_id: str) -> dict[str, dict[str, Any]]:
        return {
            r["role"]: {"token": r["secret"], "ask": bool(r["ask"])}
            for r in self._rows(
                "SELECT role, secret, ask FROM tokens WHERE meeting_id = %s "
                "AND revoked_at IS NULL ORDER BY created_at",
                [meeting_id],
            )
        }

    def set_ask(self, meeting_id: str, role: str, ask: bool) -> None:
        self._exec(
            "UPDATE tokens SET ask = %s WHERE meeting_id = %s AND role = %s AND revoked_at IS NULL",
            [int(ask), meeting_id, role],
        )

    # board documents ----------------------------------------------------------------------

    def load_board(self, meeting_id: str, board_id: str) -> tuple[bytes | None, list[bytes]]:
        """The snapshot and the log after it, and what this node has handed to the writer
        but maybe not committed yet."""
        key = (meeting_id, board_id)
        try:
            with self.sync_pool.connection() as conn:
                # One statement, so one view of the tables: a compaction that commits
                # meanwhile (another node's) cannot leave the old snapshot with the new log.
                rows = conn.cursor(row_factory=psycopg.rows.tuple_row).execute(
                    "SELECT 0, 0, data FROM snapshots WHERE meeting_id = %s AND board_id = %s "
                    "UNION ALL SELECT 1, id, data FROM updates WHERE meeting_id = %s "
                    "AND board_id = %s ORDER BY 1, 2",
                    [*key, *key],
                )
                found = [(kind, bytes(data)) for kind, _, data in rows]
        except psycopg.Error as e:
            raise StorageError(str(e)) from e
        snapshot = next((data for kind, data in found if kind == 0), None)
        updates = [data for kind, data in found if kind == 1]
        return snapshot, updates + self.writer.waiting(key)

    async def compact(self, meeting_id: str, board_id: str) -> int:
        """Replace a board's snapshot and log up to now by one snapshot, built from what the
        database holds (never from a node's memory); returns the snapshot's size."""
        key = (meeting_id, board_id)
        async with self.pool.connection() as conn, conn.transaction():
            await conn.execute("SELECT pg_advisory_xact_lock(%s)", [_board_lock(*key)])
            cur = await conn.execute(
                "SELECT data FROM snapshots WHERE meeting_id = %s AND board_id = %s", key
            )
            snap = await cur.fetchone()
            cur = await conn.execute(
                "SELECT id, data FROM updates WHERE meeting_id = %s AND board_id = %s ORDER BY id",
                key,
            )
            rows = await cur.fetchall()
            if not rows:
                return len(snap[0]) if snap else 0
            upto = rows[-1][0]
            parts = ([bytes(snap[0])] if snap else []) + [bytes(r[1]) for r in rows]
            state = await asyncio.to_thread(_merged, parts)
            await conn.execute(
                "INSERT INTO snapshots (meeting_id, board_id, data, upto) "
                "SELECT %s, %s, %s, %s WHERE EXISTS (SELECT 1 FROM meetings WHERE id = %s) "
                "ON CONFLICT (meeting_id, board_id) DO UPDATE SET data = excluded.data, "
                "upto = excluded.upto",
                [*key, state, upto, meeting_id],
            )
            await conn.execute(
                "DELETE FROM updates WHERE meeting_id = %s AND board_id = %s AND id <= %s",
                [*key, upto],
            )
            return len(state)

    def board_sizes(self, meeting_id: str) -> dict[str, int]:
        sizes: dict[str, int] = {}
        for table in ("snapshots", "updates"):
            for r in self._rows(
                f"SELECT board_id, sum(length(data)) AS n FROM {table} WHERE meeting_id = %s "
                "GROUP BY board_id",
                [meeting_id],
            ):
                sizes[r["board_id"]] = sizes.get(r["board_id"], 0) + int(r["n"])
        return sizes

    def client_ids(self, meeting_id: str) -> dict[int, str]:
        return {
            int(r["client_id"]): r["owner"]
            for r in self._rows(
                "SELECT client_id, owner FROM client_ids WHERE meeting_id = %s", [meeting_id]
            )
        }

    def pending_updates(self, meeting_id: str, board_id: str) -> int:
        row = self._one(
            "SELECT count(*) AS n FROM updates WHERE meeting_id = %s AND board_id = %s",
            [meeting_id, board_id],
        )
        return int(row["n"]) if row else 0

    # facilitator accounts -----------------------------------------------------------------

    def count_users(self) -> int:
        row = self._one("SELECT count(*) AS n FROM users")
        return int(row["n"]) if row else 0

    def add_user(self, username: str, password_hash: str, created_at: float) -> int | None:
        row = self._one(
            "INSERT INTO users (username, password_hash, created_at) VALUES (%s, %s, %s) "
            "ON CONFLICT (username) DO NOTHING RETURNING id",
            [username, password_hash, created_at],
        )
        return int(row["id"]) if row else None

    def get_user(self, user_id: int) -> dict[str, Any] | None:
        return self._one("SELECT * FROM users WHERE id = %s", [user_id])

    def find_user(self, username: str) -> dict[str, Any] | None:
        return self._one("SELECT * FROM users WHERE username = %s", [username])

    def users(self) -> list[dict[str, Any]]:
        return self._rows(
            "SELECT u.id, u.username, u.created_at, "
            "(SELECT count(*) FROM meeting_facilitators f WHERE f.user_id = u.id) "
            "AS meetings FROM users u ORDER BY u.username"
        )

    def set_password(self, user_id: int, password_hash: str) -> bool:
        return (
            self._exec(
                "UPDATE users SET password_hash = %s, generation = generation + 1 WHERE id = %s",
                [password_hash, user_id],
            )
            > 0
        )

    def rehash_password(self, user_id: int, old_hash: str, new_hash: str) -> None:
        self._exec(
            "UPDATE users SET password_hash = %s WHERE id = %s AND password_hash = %s",
            [new_hash, user_id, old_hash],
        )

    def remove_user(self, user_id: int) -> bool:
        return self._exec("DELETE FROM users WHERE id = %s", [user_id]) > 0

    def is_facilitator(self, meeting_id: str, user_id: int) -> bool:
        return bool(
            self._rows(
                "SELECT 1 FROM meeting_facilitators WHERE meeting_id = %s AND user_id = %s",
                [meeting_id, user_id],
            )
        )

    def add_facilitator(self, meeting_id: str, user_id: int) -> None:
        self._exec(
            "INSERT INTO meeting_facilitators VALUES (%s, %s, %s) ON CONFLICT DO NOTHING",
            [meeting_id, user_id, time.time()],
        )

    def copy_facilitators(self, from_meeting: str, to_meeting: str) -> None:
        self._exec(
            "INSERT INTO meeting_facilitators (meeting_id, user_id, added_at) "
            "SELECT %s, user_id, %s FROM meeting_facilitators WHERE meeting_id = %s "
            "ON CONFLICT DO NOTHING",
            [to_meeting, time.time(), from_meeting],
        )

    def facilitators_of(self, meeting_id: str) -> list[str]:
        return [
            r["username"]
            for r in self._rows(
                "SELECT u.username FROM meeting_facilitators f JOIN users u ON u.id = f.user_id "
                "WHERE f.meeting_id = %s ORDER BY f.added_at, u.username",
                [meeting_id],
            )
        ]

    def meetings_of_user(self, user_id: int) -> list[Meeting]:
        ids = [
            r["id"]
            for r in self._rows(
                "SELECT m.id FROM meeting_facilitators f JOIN meetings m ON m.id = f.meeting_id "
                "WHERE f.user_id = %s ORDER BY m.created_at DESC, m.id",
                [user_id],
            )
        ]
        return [m for m in map(self.get_meeting, ids) if m is not None]

    def setting(self, name: str, make: Callable[[], str]) -> str:
        row = self._one("SELECT value FROM settings WHERE name = %s", [name])
        if row is None:
            self._exec(
                "INSERT INTO settings VALUES (%s, %s) ON CONFLICT DO NOTHING", [name, make()]
            )
            row = self._one("SELECT value FROM settings WHERE name = %s", [name])
        assert row is not None
        return str(row["value"])


_REVOKE = (
    "UPDATE tokens SET revoked_at = %s WHERE meeting_id = %s AND role = %s AND revoked_at IS NULL"
)
_DEVICE_COLUMNS = frozenset(
    {"role", "label", "via", "status", "created_at", "revoked_at", "address", "key_hash"}
)


def _merged(parts: list[bytes]) -> bytes:
    """One update holding a snapshot and the log after it (in a thread: pycrdt lets go of
    the GIL while it encodes)."""
    doc: Doc = Doc()
    with doc.transaction():
        for part in parts:
            doc.apply_update(part)
    return doc.get_update()
