"""Server settings, from the command line or the environment (NETWERKBORD_*)."""

import os
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Config:
    data_dir: Path | None = Path("data")  # None: an in-memory database (tests)
    admin_key: str | None = None  # when set, creating a meeting needs it as a Bearer token
    max_message_bytes: int = 1_048_576  # larger WebSocket frames close the connection (1009)
    send_queue_size: int = 1024  # messages queued per device before it is dropped (1013)
    idle_unload_seconds: float = 60.0  # an empty board stays in memory this long
    compact_after: int = 500  # logged updates per board before they become one snapshot
    synchronous: str = "NORMAL"  # SQLite: NORMAL survives a killed process, FULL a power cut
    retention_days: float = 90.0  # meetings are deleted this long after they were created
    retention_check_seconds: float = 3600.0  # how often expired meetings are looked for
    # Limits (issue 6): exceeding one closes the WebSocket with a clear code and reason.
    max_send_queue_bytes: int = 16_777_216  # bytes queued per device before it is dropped (1013)
    max_messages_per_second: float = 200.0  # per connection, sustained (4529 beyond)
    message_burst: int = 2000  # per connection, messages allowed at once above that rate
    max_connections_per_meeting: int = 300  # across all its boards (4503 beyond)
    max_boards_per_meeting: int = 32  # boards of one meeting loaded at once (4503 beyond)
    max_active_meetings: int = 5000  # meetings with a board in memory (4503 beyond)
    max_meetings: int = 100_000  # stored meetings; creating more answers 503
    idle_timeout_seconds: float = 120.0  # a connection that sends nothing this long is closed
    board_quota_bytes: int = 8 * 2**20  # stored state of one board (4413 beyond)
    meeting_quota_bytes: int = 64 * 2**20  # stored state of all boards of a meeting
    auth_failure_burst: int = 20  # invalid-link attempts per client address before throttling
    auth_failures_per_minute: float = 20.0  # ... and how fast that allowance comes back
    # HTTP limits: nothing here takes big uploads, and a client must not hold a connection
    # open by sending its request slowly (slowloris).
    max_body_bytes: int = 65_536  # largest request body; most routes allow less (bodylimit.py)
    max_header_bytes: int = 32_768  # request line and headers together (431 beyond)
    header_timeout_seconds: float = 10.0  # from a request's first byte to its last header
    body_timeout_seconds: float = 30.0  # ... and then to the end of its body (else: closed)
    max_half_open_per_address: int = 32  # connections still sending headers; the oldest goes
    meetings_per_hour: int = 20  # per client address without admin key (429 beyond; 0: none)
    max_participants: int = 200  # people on one meeting's list (409 beyond)
    # Presence (awareness, server/awareness.py): any link may send it, read-only ones too.
    max_awareness_state_bytes: int = 4096  # JSON text of one state (4413 beyond)
    max_awareness_states_per_connection: int = 4  # client ids one connection speaks for
    max_awareness_json_depth: int = 16  # nesting of a state (1002 beyond)
    awareness_bytes_per_second: float = 65_536  # presence relayed per board (4529 beyond)
    awareness_burst_bytes: int = 131_072  # ... of which at once
    awareness_connection_bytes_per_second: float = 8192  # presence per connection (4529)
    awareness_connection_burst_bytes: int = 32_768  # ... of which at once
    awareness_query_seconds: float = 1.0  # a connection's query is answered once per this
    templates_dir: Path = ROOT / "templates"
    static_dir: Path = ROOT / "static"

    @property
    def database_path(self) -> Path | None:
        return self.data_dir / "netwerkbord.db" if self.data_dir is not None else None

    @classmethod
    def from_env(cls, **overrides: object) -> "Config":
        env = os.environ
        values: dict[str, object] = {}
        if "NETWERKBORD_DATA" in env:
            values["data_dir"] = Path(env["NETWERKBORD_DATA"])
        if env.get("NETWERKBORD_ADMIN_KEY"):
            values["admin_key"] = env["NETWERKBORD_ADMIN_KEY"]
        if "NETWERKBORD_MAX_MESSAGE_BYTES" in env:
            values["max_message_bytes"] = int(env["NETWERKBORD_MAX_MESSAGE_BYTES"])
        if "NETWERKBORD_RETENTION_DAYS" in env:
            values["retention_days"] = float(env["NETWERKBORD_RETENTION_DAYS"])
        if env.get("NETWERKBORD_SYNCHRONOUS", "").upper() in ("NORMAL", "FULL"):
            values["synchronous"] = env["NETWERKBORD_SYNCHRONOUS"].upper()
        for field, (name, kind) in _NUMERIC_ENV.items():
            if env.get(name):
                values[field] = kind(env[name])
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)  # type: ignore[arg-type]


# Numeric settings that may also come from the environment: field -> (variable, type).
_NUMERIC_ENV: dict[str, tuple[str, type]] = {
    "send_queue_size": ("NETWERKBORD_SEND_QUEUE_SIZE", int),
    "max_send_queue_bytes": ("NETWERKBORD_MAX_SEND_QUEUE_BYTES", int),
    "idle_unload_seconds": ("NETWERKBORD_IDLE_UNLOAD_SECONDS", float),
    "compact_after": ("NETWERKBORD_COMPACT_AFTER", int),
    "max_messages_per_second": ("NETWERKBORD_MAX_MESSAGES_PER_SECOND", float),
    "message_burst": ("NETWERKBORD_MESSAGE_BURST", int),
    "max_connections_per_meeting": ("NETWERKBORD_MAX_CONNECTIONS_PER_MEETING", int),
    "max_boards_per_meeting": ("NETWERKBORD_MAX_BOARDS_PER_MEETING", int),
    "max_active_meetings": ("NETWERKBORD_MAX_ACTIVE_MEETINGS", int),
    "max_meetings": ("NETWERKBORD_MAX_MEETINGS", int),
    "idle_timeout_seconds": ("NETWERKBORD_IDLE_TIMEOUT_SECONDS", float),
    "auth_failure_burst": ("NETWERKBORD_AUTH_FAILURE_BURST", int),
    "board_quota_bytes": ("NETWERKBORD_BOARD_QUOTA_BYTES", int),
    "meeting_quota_bytes": ("NETWERKBORD_MEETING_QUOTA_BYTES", int),
    "auth_failures_per_minute": ("NETWERKBORD_AUTH_FAILURES_PER_MINUTE", float),
    "max_body_bytes": ("NETWERKBORD_MAX_BODY_BYTES", int),
    "max_header_bytes": ("NETWERKBORD_MAX_HEADER_BYTES", int),
    "header_timeout_seconds": ("NETWERKBORD_HEADER_TIMEOUT_SECONDS", float),
    "body_timeout_seconds": ("NETWERKBORD_BODY_TIMEOUT_SECONDS", float),
    "max_half_open_per_address": ("NETWERKBORD_MAX_HALF_OPEN_PER_ADDRESS", int),
    "meetings_per_hour": ("NETWERKBORD_MEETINGS_PER_HOUR", int),
    "max_participants": ("NETWERKBORD_MAX_PARTICIPANTS", int),
    "max_awareness_state_bytes": ("NETWERKBORD_MAX_AWARENESS_STATE_BYTES", int),
    "max_awareness_states_per_connection": ("NETWERKBORD_MAX_AWARENESS_STATES_PER_CONNECTION",
                                            int),
    "max_awareness_json_depth": ("NETWERKBORD_MAX_AWARENESS_JSON_DEPTH", int),
    "awareness_bytes_per_second": ("NETWERKBORD_AWARENESS_BYTES_PER_SECOND", float),
    "awareness_burst_bytes": ("NETWERKBORD_AWARENESS_BURST_BYTES", int),
    "awareness_connection_bytes_per_second": (
        "NETWERKBORD_AWARENESS_CONNECTION_BYTES_PER_SECOND", float),
    "awareness_connection_burst_bytes": ("NETWERKBORD_AWARENESS_CONNECTION_BURST_BYTES", int),
    "awareness_query_seconds": ("NETWERKBORD_AWARENESS_QUERY_SECONDS", float),
}
