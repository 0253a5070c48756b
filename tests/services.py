"""Real PostgreSQL and Redis servers for tests of several nodes, and for trying
`netwerkbord serve --database ... --redis ...` by hand (scripts/services.sh).

Each server runs in its own temporary folder on a free port on 127.0.0.1 and is stopped (and
its folder removed) by stop(), by leaving a `with` block, or at the latest when Python exits.
No mocks: these are Debian's `postgres` and `redis-server`.

PostgreSQL refuses to run as root, and tests run as root here and in CI: then initdb and
postgres run as the unprivileged `postgres` user the Debian package creates (`nobody` when
there is none), and the temporary folder belongs to that user.

    python -m tests.services start   # start both in the background, print their URLs
    python -m tests.services stop    # stop them again
"""

import atexit
import json
import os
import pwd
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from tests.serverprocess import free_port

START_TIMEOUT = 30.0  # seconds; starting takes about a second (initdb most of it)
USER = DATABASE = "netwerkbord"

_running: set["_Service"] = set()


class ServiceError(RuntimeError):
    pass


def _stop_all() -> None:
    for service in list(_running):
        service.stop()


atexit.register(_stop_all)  # the last resort: a fixture's finalizer normally stops them first


class _Service:
    """A server process in its own temporary folder; subclasses say how to start it."""

    prefix = "netwerkbord-"

    def __init__(self) -> None:
        self.port = 0
        self.proc: subprocess.Popen[bytes] | None = None
        self.root: Path | None = None

    # -- for subclasses ---------------------------------------------------------------------
    def _prepare(self, root: Path) -> None:
        """Once, before the first start (initdb)."""

    def _command(self) -> list[str]:
        raise NotImplementedError

    def _ready(self) -> bool:
        """True once the server answers."""
        raise NotImplementedError

    def _after_start(self) -> None:
        pass

    def _popen_options(self) -> dict[str, Any]:
        return {}

    stop_signal = signal.SIGTERM

    # -- starting and stopping ------------------------------------------------------------
    @property
    def log_path(self) -> Path:
        assert self.root is not None
        return self.root / "server.log"

    def start(self) -> "_Service":
        self.root = Path(tempfile.mkdtemp(prefix=self.prefix, dir=_temp_base()))
        _running.add(self)
        try:
            self._prepare(self.root)
            # free_port() closes its socket before the server binds the port, so another
            # process may take it in between: then try another port.
            for _attempt in range(3):
                self.port = free_port()
                if self._launch():
                    self._after_start()
                    return self
            raise ServiceError(f"{self.name()}: no free port\n{self.log_tail()}")
        except BaseException:
            self.stop()
            raise

    def _launch(self) -> bool:
        """Start the process and wait until it answers; False if its port was taken."""
        with open(self.log_path, "ab") as log:
            self.proc = subprocess.Popen(
                self._command(),
                cwd=self.root,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                # Its own session: a Ctrl-C in the terminal reaches pytest, whose finalizers
                # stop the server, not the server in the middle of a test.
                start_new_session=True,
                **self._popen_options(),
            )
        deadline = time.monotonic() + START_TIMEOUT
        while self.proc.poll() is None:
            if self._ready():
                return True
            if time.monotonic() > deadline:
                raise ServiceError(f"{self.name()} did not start in time\n{self.log_tail()}")
            time.sleep(0.02)  # polling for the moment it accepts connections
        if "already in use" in self.log_tail():
            return False
        raise ServiceError(f"{self.name()} exited at start\n{self.log_tail()}")

    def stop(self) -> None:
        """Stop the server and remove its folder. Safe to call more than once."""
        proc, self.proc = self.proc, None
        if proc is not None and proc.poll() is None:
            for sig, wait in ((self.stop_signal, 10), (signal.SIGKILL, 5)):
                proc.send_signal(sig)
                try:
                    proc.wait(wait)
                    break
                except subprocess.TimeoutExpired:
                    continue
        if self.root is not None:
            shutil.rmtree(self.root, ignore_errors=True)
            self.root = None
        _running.discard(self)

    def detach(self) -> None:
        """Leave the server running after this Python exits (scripts/services.sh)."""
        _running.discard(self)

    def log_tail(self, chars: int = 4000) -> str:
        try:
            return self.log_path.read_text(errors="replace")[-chars:]
        except (OSError, AssertionError):
            return ""

    def name(self) -> str:
        return type(self).__name__

    def __enter__(self) -> "_Service":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


class Postgres(_Service):
    """A PostgreSQL cluster of its own, with a superuser and a database `netwerkbord`."""

    prefix = "netwerkbord-pg-"
    stop_signal = signal.SIGINT  # PostgreSQL's "fast" shutdown

    def __init__(self) -> None:
        super().__init__()
        self.bindir = postgres_bindir()
        self._user = _unprivileged_user()

    def __enter__(self) -> "Postgres":
        self.start()
        return self

    @property
    def url(self) -> str:
        return f"postgresql://{USER}@127.0.0.1:{self.port}/{DATABASE}"

    def _popen_options(self) -> dict[str, Any]:
        env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LC_ALL": "C"}
        if self._user is None:
            return {"env": env}
        uid, gid = self._user
        return {"env": env, "user": uid, "group": gid, "extra_groups": []}

    def _prepare(self, root: Path) -> None:
        if self._user is not None:
            os.chown(root, *self._user)
        initdb = [
            str(self.bindir / "initdb"),
            "--pgdata",
            str(root / "data"),
            "--auth=trust",
            f"--username={USER}",
            "--encoding=UTF8",
            "--locale=C",
            "--no-sync",  # a test cluster: nothing to keep after a crash of the machine
        ]
        with open(self.log_path, "ab") as log:
            done = subprocess.run(
                initdb, cwd=root, stdout=log, stderr=subprocess.STDOUT, **self._popen_options()
            )
        if done.returncode != 0:
            raise ServiceError(f"initdb failed\n{self.log_tail()}")

    def _command(self) -> list[str]:
        assert self.root is not None
        # Only our own server is ever killed (kill -9 in the durability tests), never
        # PostgreSQL: a commit it acknowledged stays committed without fsync, so the tests
        # skip the disk flushes for speed.
        settings = {
            "listen_addresses": "127.0.0.1",
            "fsync": "off",
            "synchronous_commit": "on",
            "full_page_writes": "off",
            "max_connections": "200",  # several nodes, each with its pools
        }
        command = [str(self.bindir / "postgres"), "-D", str(self.root / "data")]
        command += ["-p", str(self.port), "-k", str(self.root)]
        for key, value in settings.items():
            command += ["-c", f"{key}={value}"]
        return command

    def _connect(self, dbname: str = DATABASE, timeout: float = 5) -> Any:
        import psycopg

        return psycopg.connect(
            host="127.0.0.1",
            port=self.port,
            user=USER,
            dbname=dbname,
            autocommit=True,
            connect_timeout=max(1, int(timeout)),
        )

    def _ready(self) -> bool:
        import psycopg

        try:
            with self._connect("postgres", timeout=1):
                return True
        except psycopg.OperationalError:
            return False

    def _after_start(self) -> None:
        self.reset()

    def reset(self) -> None:
        """A new, empty database `netwerkbord`; connections still open to the old one (a
        server's pools) are ended."""
        with self._connect("postgres") as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")
            conn.execute(f"CREATE DATABASE {DATABASE}")

    def query(self, sql: str, params: Any = None) -> list[tuple[Any, ...]]:
        """Run one statement in database `netwerkbord`; its rows (none for a statement
        without a result)."""
        with self._connect() as conn:
            cursor = conn.execute(sql, params)
            return cursor.fetchall() if cursor.description else []

    def execute(self, script: str) -> None:
        """Run several statements (no parameters) in database `netwerkbord`."""
        with self._connect() as conn:
            conn.execute(script)

    def tables(self) -> list[str]:
        rows = self.query(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
        )
        return [name for (name,) in rows]


class Redis(_Service):
    """A Redis of its own that keeps nothing on disk."""

    prefix = "netwerkbord-redis-"

    def __init__(self) -> None:
        super().__init__()
        self.binary = shutil.which("redis-server")
        if self.binary is None:
            raise ServiceError(
                "redis-server is not installed: apt-get install redis-server (see .ci/run)"
            )
        self._client: Any = None

    def __enter__(self) -> "Redis":
        self.start()
        return self

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def _command(self) -> list[str]:
        assert self.binary is not None and self.root is not None
        return [
            self.binary,
            "--port",
            str(self.port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(self.root),
            "--daemonize",
            "no",
            "--logfile",
            "",  # to stdout: the log file in the folder
        ]

    def _ready(self) -> bool:
        import redis

        try:
            return bool(self.client().ping())
        except redis.ConnectionError:
            self._close_client()  # a fresh client for the next try, or for the next port
            return False

    def client(self) -> Any:
        """redis-py's synchronous client, answers as str."""
        import redis

        if self._client is None:
            self._client = redis.Redis(
                host="127.0.0.1", port=self.port, decode_responses=True, socket_timeout=5
            )
        return self._client

    def keys(self, pattern: str = "*") -> list[str]:
        return sorted(self.client().keys(pattern))

    def flush(self) -> None:
        self.client().flushall()

    def _close_client(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None

    def stop(self) -> None:
        self._close_client()
        super().stop()


def postgres_bindir() -> Path:
    """The newest /usr/lib/postgresql/<version>/bin (Debian), else the one on PATH."""
    found = sorted(
        Path("/usr/lib/postgresql").glob("*/bin/postgres"),
        key=lambda p: [int(x) for x in p.parent.parent.name.split(".") if x.isdigit()],
    )
    if found:
        return found[-1].parent
    on_path = shutil.which("postgres")
    if on_path:
        return Path(on_path).resolve().parent
    raise ServiceError("PostgreSQL is not installed: apt-get install postgresql (see .ci/run)")


def _unprivileged_user() -> tuple[int, int] | None:
    """(uid, gid) to run PostgreSQL as when we are root; None when we are not."""
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "nobody"):
        try:
            entry = pwd.getpwnam(name)
        except KeyError:
            continue
        return entry.pw_uid, entry.pw_gid
    raise ServiceError("running as root, and there is no user 'postgres' or 'nobody'")


def _temp_base() -> str:
    """The temporary folder, if every user can reach into it (PostgreSQL runs as another
    user than root); else /tmp."""
    base = Path(tempfile.gettempdir()).resolve()
    if os.geteuid() != 0:
        return str(base)
    for folder in [base, *base.parents]:
        if not folder.stat().st_mode & stat.S_IXOTH:
            return "/tmp"
    return str(base)


# -- python -m tests.services start|stop (scripts/services.sh) ---------------------------------

STATE = Path(tempfile.gettempdir()) / "netwerkbord-services.json"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
        return True
    except ProcessLookupError:
        return False
    except PermissionError:
        return True


def _start_detached() -> None:
    if STATE.exists():
        state = json.loads(STATE.read_text())
        if all(_alive(s["pid"]) for s in state.values()):
            _print_urls(state)
            return
        _stop_detached()
    state = {}
    for service in (Postgres(), Redis()):
        service.start()
        service.detach()
        assert service.proc is not None
        state[service.name().lower()] = {
            "pid": service.proc.pid,
            "root": str(service.root),
            "url": service.url,  # type: ignore[attr-defined]
            "signal": int(service.stop_signal),
        }
    STATE.write_text(json.dumps(state, indent=2))
    _print_urls(state)


def _print_urls(state: dict[str, Any]) -> None:
    pg, rd = state["postgres"]["url"], state["redis"]["url"]
    print(f"PostgreSQL: {pg}\nRedis:      {rd}")
    print(f"\n  netwerkbord serve --database {pg} --redis {rd}\n")
    print("Stop them with: scripts/services.sh stop")


def _stop_detached() -> None:
    if not STATE.exists():
        print("no services running")
        return
    for name, entry in json.loads(STATE.read_text()).items():
        pid = entry["pid"]
        if _alive(pid):
            os.kill(pid, entry["signal"])
            deadline = time.monotonic() + 10
            while _alive(pid) and time.monotonic() < deadline:
                try:  # it is no child of ours when started by another python
                    os.waitpid(pid, os.WNOHANG)
                except ChildProcessError:
                    pass
                time.sleep(0.05)  # polling for the process to end
            if _alive(pid):
                os.kill(pid, signal.SIGKILL)
        shutil.rmtree(entry["root"], ignore_errors=True)
        print(f"stopped {name}")
    STATE.unlink()


def main(argv: list[str]) -> int:
    command = argv[0] if argv else "start"
    if command == "start":
        _start_detached()
    elif command == "stop":
        _stop_detached()
    else:
        print("usage: python -m tests.services [start|stop]", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
