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
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)  # type: ignore[arg-type]
