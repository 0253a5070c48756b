"""Server settings, from the command line or the environment.

Every field of Config can be set with the environment variable NETWERKBORD_<FIELD NAME IN
CAPITALS> (`board_quota_bytes`: NETWERKBORD_BOARD_QUOTA_BYTES), converted by the field's type;
the one exception is in ENV_NAME_EXCEPTIONS. An empty variable counts as not set. A value that
cannot be used raises ConfigError, whose message names the variable and what it should be.
"""

import functools
import math
import os
import types
import typing
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent  # templates/ and static/ live in the package


@dataclass(frozen=True)
class Config:
    data_dir: Path | None = Path("data")  # None: an in-memory database (tests)
    admin_key: str | None = None  # when set, creating a meeting needs it as a Bearer token
    max_message_bytes: int = 1_048_576  # larger WebSocket frames close the connection (1009)
    send_queue_size: int = 1024  # messages queued per device before it is dropped (1013)
    idle_unload_seconds: float = 60.0  # an empty board stays in memory this long
    compact_after: int = 500  # logged updates per board before they become one snapshot
    # SQLite: NORMAL survives a killed process, FULL a power cut
    synchronous: str = field(default="NORMAL", metadata={"choices": ("NORMAL", "FULL")})
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
    max_awareness_state_bytes: int = 4096  # JSON text of one state (1009 beyond)
    max_awareness_states_per_connection: int = 4  # client ids one connection speaks for
    max_awareness_json_depth: int = 16  # nesting of a state (1002 beyond)
    awareness_bytes_per_second: float = 65_536  # presence relayed per board (4529 beyond)
    awareness_burst_bytes: int = 131_072  # ... of which at once
    awareness_connection_bytes_per_second: float = 8192  # presence per connection (4529)
    awareness_connection_burst_bytes: int = 32_768  # ... of which at once
    awareness_query_seconds: float = 1.0  # a connection's query is answered once per this
    # Facilitator accounts (server/accounts.py): the session cookie and the login throttle.
    session_hours: float = 12.0  # a login lasts this long, counted from the login itself
    https_only: bool = False  # served over https (a proxy in front): cookies get Secure
    login_name_failure_burst: int = 5  # wrong passwords for one user name, then throttled
    login_address_failure_burst: int = 20  # wrong passwords from one address, then throttled
    login_failures_per_minute: float = 2.0  # ... and how fast that allowance comes back
    # More than one machine (docs/operations.md): PostgreSQL instead of SQLite, and Redis
    # between the nodes. Both set: any number of nodes started alike form one service.
    database_url: str = ""  # postgresql://user@host/db (NETWERKBORD_DATABASE_URL)
    redis_url: str = ""  # redis://host:6379/0 (NETWERKBORD_REDIS_URL); needs database_url
    redis_purge_seconds: float = 30.0  # a deleted meeting's last notice stays this long
    redis_stream_length: int = 10_000  # entries kept per stream (of 16); older are trimmed
    templates_dir: Path = PACKAGE / "templates"
    static_dir: Path = PACKAGE / "static"

    @property
    def database_path(self) -> Path | None:
        return self.data_dir / "netwerkbord.db" if self.data_dir is not None else None

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, **overrides: object) -> "Config":
        """The settings from the environment (or `env`); `overrides` that are not None (the
        command line's flags) win. Raises ConfigError for a value that cannot be used."""
        env = os.environ if env is None else env
        values: dict[str, object] = {}
        for f in fields(cls):
            name = env_name(f.name)
            text = env.get(name, "")
            if text.strip():
                values[f.name] = _converter(f.name)(name, text)
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)  # type: ignore[arg-type]  # each value converted to its field's type


class ConfigError(ValueError):
    """A setting that cannot be used; the message names the variable and what it should be."""


# The only fields whose variable is not NETWERKBORD_<FIELD NAME>: the name the README has
# always given it.
ENV_NAME_EXCEPTIONS: dict[str, str] = {"data_dir": "NETWERKBORD_DATA"}


def env_name(field_name: str) -> str:
    """The environment variable of a Config field."""
    return ENV_NAME_EXCEPTIONS.get(field_name, "NETWERKBORD_" + field_name.upper())


Converter = Callable[[str, str], object]  # (variable, its text) -> the value, or ConfigError


@functools.cache
def _converter(field_name: str) -> Converter:
    """How the field's variable is read, decided by the field's type (and its "choices")."""
    kind = typing.get_type_hints(Config)[field_name]
    if isinstance(kind, types.UnionType):  # `Path | None`: None is only for code and tests
        kind = next(k for k in typing.get_args(kind) if k is not type(None))
    choices = next(f for f in fields(Config) if f.name == field_name).metadata.get("choices")
    if choices:
        return lambda name, text: _choice(name, text, choices)
    if kind in _CONVERTERS:
        return _CONVERTERS[kind]
    raise TypeError(f"Config.{field_name}: no way to read a {kind!r} from the environment")


def _whole_number(name: str, text: str) -> int:
    try:
        value = int(text.strip())
    except ValueError:
        raise ConfigError(f"{name} must be a whole number, got {text!r}") from None
    if value < 0:
        raise ConfigError(f"{name} must be 0 or more, got {text!r}")
    return value


def _number(name: str, text: str) -> float:
    try:
        value = float(text.strip())
    except ValueError:
        value = math.nan
    if not math.isfinite(value):
        raise ConfigError(f"{name} must be a number (such as 2 or 0.5), got {text!r}")
    if value < 0:
        raise ConfigError(f"{name} must be 0 or more, got {text!r}")
    return value


def _yes_no(name: str, text: str) -> bool:
    word = text.strip().lower()
    if word in ("1", "true", "yes", "ja", "on"):
        return True
    if word in ("0", "false", "no", "nee", "off"):
        return False
    raise ConfigError(f"{name} must be true or false, got {text!r}")


def _choice(name: str, text: str, choices: tuple[str, ...]) -> str:
    for choice in choices:
        if text.strip().upper() == choice.upper():
            return choice
    expected = ", ".join(choices[:-1]) + " or " + choices[-1] if len(choices) > 1 else choices[0]
    raise ConfigError(f"{name} must be {expected}, got {text!r}")


_CONVERTERS: dict[type, Converter] = {
    bool: _yes_no,
    int: _whole_number,
    float: _number,
    str: lambda name, text: text,
    Path: lambda name, text: Path(text),
}
