"""Server benchmark: Netwerkbord against the reference Yjs server (@y/websocket-server 0.1.1,
in-memory), same machine, same run, same load (bench/load_server.mjs, a separate Node process).

    .venv/bin/python bench/server.py            # everything, 35-45 minutes
    .venv/bin/python bench/server.py --quick    # small sizes, ~7 minutes (a smoke test)
    .venv/bin/python bench/server.py --only fanout,presence --json out.json
    .venv/bin/python bench/server.py --quick --only fanout,fanout2   # one node against two
    .venv/bin/python bench/server.py --only realistic   # ~17 minutes (up to 21)
    .venv/bin/python bench/server.py --only realistic --steps 250,500,1000

realistic holds up to 1,950 meetings x 10 devices per server: the soft open-files limit is
raised to the hard one at the start (every process started here inherits it); steps that
would not fit under it are skipped with a note.

fanout2 and capacity2 run two nodes of one service (PostgreSQL and Redis started here, on
127.0.0.1, by tests/services.py; skipped with a note when they are not installed).

Only 127.0.0.1; every server and load process is stopped at the end (also after an error or
Ctrl-C); temporary folders are removed. Always exits 0 when it could measure: it is a
benchmark, not a test. See bench/SERVER.md.
"""

import argparse
import contextlib
import json
import os
import resource
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.serverprocess import ServerProcess, free_port, stop_process  # noqa: E402
from tests.services import Postgres, Redis, ServiceError  # noqa: E402

REFERENCE = ROOT / "node_modules" / "@y" / "websocket-server" / "src" / "server.js"
LOAD = ROOT / "bench" / "load_server.mjs"
TICK = os.sysconf("SC_CLK_TCK")
# Limits raised for the benchmark (all configurable; the defaults are in server/config.py).
OUR_ENV = {
    "NETWERKBORD_MAX_CONNECTIONS_PER_MEETING": "1000",  # 500 devices on one board
    "NETWERKBORD_MAX_ACTIVE_MEETINGS": "100000",
    "NETWERKBORD_MAX_MESSAGES_PER_SECOND": "100000",  # the cold-load history is written in bulk
    "NETWERKBORD_MESSAGE_BURST": "1000000",
    "NETWERKBORD_MEETINGS_PER_HOUR": "0",  # hundreds of meetings from this one address
    # the load generator opens up to 200 connections at once from this one address: with the
    # default 32 waiting for their headers, the oldest were dropped (thousands of errors)
    "NETWERKBORD_MAX_HALF_OPEN_PER_ADDRESS": "1000",
    # scenario 5 renews 500 devices' presence every second on one board (a real device: every
    # 15 s), about 130 KB/s of presence: over the board's default budget of 64 KiB/s
    "NETWERKBORD_AWARENESS_BYTES_PER_SECOND": "1000000",
    "NETWERKBORD_AWARENESS_BURST_BYTES": "1000000",
}


# processes ----------------------------------------------------------------------------------


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def cpu_seconds(pid: int, children: bool = False) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    ticks = int(fields[11]) + int(fields[12])  # utime + stime
    if children:  # + cutime + cstime: its children that ended (and were waited for)
        ticks += int(fields[13]) + int(fields[14])
    return ticks / TICK


def tree_cpu_seconds(pid: int) -> float:
    """CPU of a process and its children (PostgreSQL: the postmaster and its backends)."""
    total = cpu_seconds(pid, children=True)
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError, IndexError, ValueError):
            fields = stat.read_text().rsplit(")", 1)[1].split()
            if int(fields[1]) == pid:  # its parent
                total += cpu_seconds(int(stat.parent.name))
    return total


def pids_of(server: "Ours | Reference | TwoNodes") -> list[int]:
    """The server's own processes: one, or both nodes of a two-node service."""
    return server.pids if isinstance(server, TwoNodes) else [server.pid]


def server_rss_mb(server: "Ours | Reference | TwoNodes") -> float:
    return sum(rss_mb(pid) for pid in pids_of(server))


def server_cpu_seconds(server: "Ours | Reference | TwoNodes") -> float:
    return sum(cpu_seconds(pid) for pid in pids_of(server))


class Ours:
    name = "netwerkbord"

    def __init__(self, folder: Path, extra_env: dict[str, str] | None = None) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self.sp = ServerProcess(folder / "data", log_path=folder / "server.log")
        self.env = {**OUR_ENV, **(extra_env or {})}

    def start(self) -> None:
        saved = {k: os.environ.get(k) for k in self.env}
        os.environ.update(self.env)
        try:
            self.sp.start()
        finally:
            for k, v in saved.items():
                if v is None:
                    os.environ.pop(k, None)
                else:
                    os.environ[k] = v

    @property
    def pid(self) -> int:
        assert self.sp.proc is not None
        return self.sp.proc.pid

    def stop(self) -> None:
        self.sp.stop()

    def kill9(self) -> None:
        self.sp.kill9()

    def create_boards(self, n: int) -> list[str]:
        urls = []
        with httpx.Client(timeout=30) as http:
            for i in range(n):
                m = http.post(
                    self.sp.base + "/api/meetings", json={"title": f"Bench familie {i}"}
                ).json()
                urls.append(
                    f"ws://127.0.0.1:{self.sp.port}/ws/{m['id']}/drieluik"
                    f"?token={m['tokens']['familie']}"
                )
        return urls


class Reference:
    name = "reference"

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.port = free_port()
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        log = open(self.folder / "reference.log", "ab")
        self.proc = subprocess.Popen(
            ["node", str(REFERENCE)],
            cwd=ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
            env={**os.environ, "HOST": "127.0.0.1", "PORT": str(self.port)},
        )
        log.close()
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and self.proc.poll() is None:
            with (
                contextlib.suppress(OSError),
                socket.create_connection(("127.0.0.1", self.port), 1),
            ):
                return
            time.sleep(0.05)
        raise RuntimeError("the reference server did not start")

    @property
    def pid(self) -> int:
        assert self.proc is not None
        return self.proc.pid

    def stop(self) -> None:
        stop_process(self.proc)

    def board_urls(self, n: int, prefix: str) -> list[str]:
        return [f"ws://127.0.0.1:{self.port}/{prefix}-{i}" for i in range(n)]


class BenchPostgres(Postgres):
    """tests/services.py's PostgreSQL, with every commit flushed to disk as in production
    (fsync and full page writes on; the tests turn them off, never crashing PostgreSQL
    itself), unless `fsync` is False (--pg-no-fsync)."""

    def __init__(self, fsync: bool = True) -> None:
        super().__init__()
        self.fsync = fsync

    def _command(self) -> list[str]:
        command = super()._command()
        if not self.fsync:
            return command
        production = {"fsync=off": "fsync=on", "full_page_writes=off": "full_page_writes=on"}
        return [production.get(part, part) for part in command]


class TwoNodes:
    """Two nodes of one service (`netwerkbord serve --database ... --redis ...`), each an
    Ours with the same limits, on one PostgreSQL and one Redis of their own (tests/services.py)
    that live from the first start to close(). start()/stop() start and stop the nodes only:
    the meetings stay in PostgreSQL from one step to the next."""

    name = "two nodes"

    def __init__(self, folder: Path, fsync: bool = True) -> None:
        self.folder = folder / "two-nodes"
        self.fsync = fsync
        self.pg: BenchPostgres | None = None
        self.redis: Redis | None = None
        self.nodes: list[Ours] = []

    def _services(self) -> None:
        """PostgreSQL and Redis, once (ServiceError when they are not installed)."""
        if self.pg is None:
            pg = BenchPostgres(self.fsync)
            pg.start()  # (a failed start stops what it started)
            self.pg = pg
        if self.redis is None:
            redis = Redis()
            redis.start()
            self.redis = redis
        if not self.nodes:
            env = {
                "NETWERKBORD_DATABASE_URL": self.pg.url,
                "NETWERKBORD_REDIS_URL": self.redis.url,
            }
            self.nodes = [Ours(self.folder / f"node{i}", env) for i in range(2)]

    def start(self) -> None:
        self._services()
        assert self.redis is not None
        # What the streams hold from an earlier step is in PostgreSQL: start with them empty
        # (a full run would otherwise grow Redis to its stream limits, ~100,000 per shard).
        self.redis.flush()
        for node in self.nodes:
            node.start()

    def stop(self) -> None:
        for node in self.nodes:
            node.stop()

    def close(self) -> None:
        self.stop()
        for service in (self.redis, self.pg):
            if service is not None:
                service.stop()
        self.pg = self.redis = None
        self.nodes = []

    @property
    def pids(self) -> list[int]:
        return [node.pid for node in self.nodes]

    @property
    def service_pids(self) -> list[int]:
        return [s.proc.pid for s in (self.pg, self.redis) if s is not None and s.proc is not None]

    def service_cpu_seconds(self) -> float:
        return sum(tree_cpu_seconds(pid) for pid in self.service_pids)

    def create_boards(self, n: int) -> list[str]:
        """Meetings made on the first node (URLs of the first node; the load generator sends
        each device to its node, see `bases`)."""
        return self.nodes[0].create_boards(n)

    def bases(self) -> list[str]:
        return [f"ws://127.0.0.1:{node.sp.port}" for node in self.nodes]


# one load run --------------------------------------------------------------------------------


def run_load(
    server: "Ours | Reference | TwoNodes", job: dict, folder: Path, time_limit: float
) -> dict:
    """Run bench/load_server.mjs with a job; returns its result plus the server's memory at "ready"
    and the CPU of the server and of the load generator over the measured window. (Two nodes:
    memory and CPU of both nodes together, and PostgreSQL's and Redis' CPU apart.)"""
    job = {**job, "timeLimitS": time_limit}
    if isinstance(server, TwoNodes):
        job["nodes"] = server.bases()
    job_file = folder / "job.json"
    job_file.write_text(json.dumps(job))
    out: dict = {"rss_before_mb": server_rss_mb(server)}
    proc = subprocess.Popen(
        ["node", str(LOAD), str(job_file)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    cpu0 = load0 = wall0 = None
    services0 = quiet0 = quiet_wall0 = 0.0
    try:
        assert proc.stdout is not None
        for line in proc.stdout:
            if not line.startswith("{"):
                print("   load:", line.rstrip()[:200])
                continue
            event = json.loads(line)
            if event["event"] == "base":  # (idle) one device per board: memory now too
                time.sleep(1.0)
                out["rss_base_mb"] = server_rss_mb(server)
            elif event["event"] == "ready":
                time.sleep(1.0)  # let the server settle before reading its memory
                out["rss_ready_mb"] = server_rss_mb(server)
                out["ready"] = event
            elif event["event"] == "quiet":  # every device connected and silent
                quiet0, quiet_wall0 = server_cpu_seconds(server), time.monotonic()
            elif event["event"] == "quietEnd":
                out["quiet_cpu_cores"] = (server_cpu_seconds(server) - quiet0) / (
                    time.monotonic() - quiet_wall0
                )
            elif event["event"] == "measure":
                cpu0, load0 = server_cpu_seconds(server), cpu_seconds(proc.pid)
                if isinstance(server, TwoNodes):
                    services0 = server.service_cpu_seconds()
                wall0 = time.monotonic()
            elif event["event"] == "result":
                if cpu0 is not None and load0 is not None and wall0 is not None:
                    wall = time.monotonic() - wall0
                    out["cpu_cores"] = (server_cpu_seconds(server) - cpu0) / wall
                    out["load_cpu_cores"] = (cpu_seconds(proc.pid) - load0) / wall
                    if isinstance(server, TwoNodes):
                        out["services_cpu_cores"] = (
                            server.service_cpu_seconds() - services0
                        ) / wall
                out["rss_end_mb"] = server_rss_mb(server)
                out.update(event)
        proc.wait(time_limit + 30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(5)
    return out


@contextlib.contextmanager
def running(server: "Ours | Reference | TwoNodes") -> Iterator[None]:
    server.start()
    try:
        yield
    finally:
        server.stop()


# scenarios -----------------------------------------------------------------------------------


def _fanout_job(q: bool) -> dict:
    return {"scenario": "fanout", "devices": 20, "edits": 300 if q else 1000, "rate": 50}


def fanout(ours: Ours, ref: Reference, folder: Path, q: bool) -> dict:
    job = _fanout_job(q)
    with running(ours):
        a = run_load(ours, {**job, "urls": ours.create_boards(1)}, folder, 120)
    with running(ref):
        b = run_load(ref, {**job, "urls": ref.board_urls(1, "fanout")}, folder, 120)
    return {"ours": a, "reference": b}


def _capacity_sizes(q: bool) -> tuple[list[int], dict]:
    steps = [50, 200] if q else [100, 250, 350, 500, 700, 850, 1000, 1400, 1800]  # fd limit 20,000
    job = {
        "scenario": "capacity",
        "per": 10,
        "editRate": 2,
        "presenceEvery": 10,
        "seconds": 8 if q else 15,
    }
    return steps, job


def _capacity_steps(
    name: str,
    server: "Ours | Reference | TwoNodes",
    urls_for: Callable[[int], list[str]],
    steps: list[int],
    job: dict,
    folder: Path,
    time_limit: Callable[[int], float] = lambda k: 240,
) -> list[dict]:
    """The steps of K up to the first that fails, each in fresh server processes."""
    found = []
    for k in steps:
        # A single stall of the shared machine can fail a step: a failed step is run once
        # more, for every server alike, and the second run counts.
        for attempt in (1, 2):
            with running(server):
                r = run_load(server, {**job, "urls": urls_for(k)}, folder, time_limit(k))
            r["meetings"], r["attempts"] = k, attempt
            p99 = (r.get("edit") or {}).get("p99")
            print(
                f"   {name} K={k} (run {attempt}): p99 {p99} ms, errors {r.get('errors')}, "
                f"cpu {r.get('cpu_cores', 0):.2f}, rss {r.get('rss_ready_mb', 0):.0f} MB"
                + _stalls(r)
            )
            if _capacity_ok(r):
                break
        found.append(r)
        if not _capacity_ok(r):
            break
    return found


def capacity(ours: Ours, ref: Reference, folder: Path, q: bool) -> dict:
    steps, job = _capacity_sizes(q)
    with running(ours):
        boards = ours.create_boards(steps[-1])
    return {
        "ours": _capacity_steps("ours", ours, lambda k: boards[:k], steps, job, folder),
        "reference": _capacity_steps(
            "reference", ref, lambda k: ref.board_urls(k, f"cap{k}"), steps, job, folder
        ),
    }


def cold(ours: Ours, ref: Reference, folder: Path, q: bool) -> dict:
    updates, boards = (2000 if q else 10_000), 9

    def load(server: "Ours | Reference", urls: list[str]) -> dict:
        # The load generator first loads the last board, untimed, so that its own first-time
        # costs (Node compiling Yjs' decoder) are not counted as the server's.
        return run_load(
            server, {"scenario": "coldLoad", "urls": urls[:-1], "warmup": urls[-1]}, folder, 120
        )

    result: dict = {}
    # Ours, worst case: compaction off, then kill -9, so the log holds every update.
    raw = Ours(folder / "cold-log", {"NETWERKBORD_COMPACT_AFTER": "100000000"})
    raw.start()
    try:
        urls = raw.create_boards(boards + 1)
        run_load(raw, {"scenario": "fill", "urls": urls, "updates": updates}, folder, 300)
        raw.kill9()
        import sqlite3

        db = sqlite3.connect(raw.sp.data_dir / "netwerkbord.db")
        result["log_rows"] = db.execute(
            "SELECT count(*) FROM updates WHERE board_id='drieluik'"
        ).fetchone()[0]
        db.close()
        # The start after the crash compacts those logs before it listens (server/compaction.py
        # fold_logs): how long the start takes is part of the price, next to a start with
        # nothing to compact (the same data, after a clean stop, below).
        started = time.perf_counter()
        raw.start()
        result["start_after_crash_s"] = time.perf_counter() - started
        result["ours_log"] = load(raw, urls)
        # The same boards, still loaded: a new device on a board in memory.
        result["ours_warm"] = load(raw, urls)
    finally:
        raw.stop()
    started = time.perf_counter()
    raw.start()
    result["start_clean_s"] = time.perf_counter() - started
    raw.stop()
    # Ours as it normally is: compacted into a snapshot when the server stopped.
    with running(ours):
        urls = ours.create_boards(boards + 1)
        run_load(ours, {"scenario": "fill", "urls": urls, "updates": updates}, folder, 300)
    with running(ours):
        result["ours_snapshot"] = load(ours, urls)
    with running(ref):
        urls = ref.board_urls(boards + 1, "cold")
        # The reference keeps every room in memory (no persistence, no unloading).
        run_load(ref, {"scenario": "fill", "urls": urls, "updates": updates}, folder, 300)
        result["reference"] = load(ref, urls)
    result["updates"] = updates
    return result


def idle(ours: Ours, ref: Reference, folder: Path, q: bool) -> dict:
    n = 200 if q else 1000
    out: dict = {"boards": n}
    with running(ours):
        boards = ours.create_boards(n)
    for name, server in (("ours", ours), ("reference", ref)):
        runs = {}
        for per in (1, 5):
            with running(server):
                urls = boards if server is ours else ref.board_urls(n, f"idle{per}")
                runs[per] = run_load(
                    server, {"scenario": "idle", "urls": urls, "per": per}, folder, 240
                )
        one = runs[1]["rss_ready_mb"] - runs[1]["rss_before_mb"]
        # 4 more devices per board, measured in one process (the same boards before and
        # after): a difference between two processes moved by several KB per connection
        per_conn = (runs[5]["rss_ready_mb"] - runs[5]["rss_base_mb"]) / (4 * n)
        out[name] = {
            "per_connection_kb": per_conn * 1024,
            "per_board_kb": (one / n - per_conn) * 1024,
            "errors": runs[1].get("errors", 0) + runs[5].get("errors", 0),
        }
    return out


def presence(ours: Ours, ref: Reference, folder: Path, q: bool) -> dict:
    job = {
        "scenario": "presence",
        "devices": 200 if q else 500,
        "probes": 20,
        "editRate": 2,
        "seconds": 8 if q else 20,
    }
    with running(ours):
        a = run_load(ours, {**job, "urls": ours.create_boards(1)}, folder, 180)
    with running(ref):
        b = run_load(ref, {**job, "urls": ref.board_urls(1, "presence")}, folder, 180)
    return {"ours": a, "reference": b}


# The realistic scenario's meeting counts (None: the defaults below; `--steps` sets them).
REALISTIC_STEPS: list[int] | None = None
DEVICES_PER_MEETING = 10


def _realistic_sizes(q: bool) -> tuple[list[int], dict]:
    steps = REALISTIC_STEPS or ([50, 200] if q else [250, 500, 1000, 1500, 1950])
    job = {
        "scenario": "realistic",
        "per": DEVICES_PER_MEETING,
        "editEvery": 5,  # seconds, per meeting (a random device of it)
        "presenceEvery": 15,  # seconds, per device (what a browser's awareness does)
        "connectRate": 1000,  # new connections a second while setting up (not measured)
        "quietS": 5,
        "warmupS": 5 if q else 10,
        "seconds": 15 if q else 60,
    }
    return steps, job


def _fd_room(k: int) -> bool:
    """Whether K meetings' devices fit under this process's open-files limit (the server
    and the load generator each hold one descriptor per device, plus ~50 of their own)."""
    return k * DEVICES_PER_MEETING + 100 <= resource.getrlimit(resource.RLIMIT_NOFILE)[0]


def realistic(ours: Ours, ref: Reference, folder: Path, q: bool) -> dict:
    """A living-room meeting's pace: K meetings x 10 devices, one edit per meeting every 5 s,
    every device's presence every 15 s; the steps of K up to the first that fails."""
    steps, job = _realistic_sizes(q)
    too_many = [k for k in steps if not _fd_room(k)]
    steps = [k for k in steps if _fd_room(k)]
    limit = resource.getrlimit(resource.RLIMIT_NOFILE)
    if too_many:
        print(f"   skipped K={too_many}: over the open-files limit {limit[0]} per process")
    low, high = (int(v) for v in Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split())
    if steps and high - low < 2 * steps[-1] * DEVICES_PER_MEETING:
        print(
            f"   note: the local port range {low}-{high} may run short (two steps' connections"
            " can be in TIME_WAIT); widen it with: echo '1024 65535' >"
            " /proc/sys/net/ipv4/ip_local_port_range"
        )

    def time_limit(k: int) -> float:  # connecting, the quiet and warm-up time, the window
        return k * DEVICES_PER_MEETING / job["connectRate"] + job["seconds"] + 120

    with running(ours):
        boards = ours.create_boards(steps[-1]) if steps else []
    out: dict = {
        "ours": _capacity_steps("ours", ours, lambda k: boards[:k], steps, job, folder, time_limit),
        "reference": _capacity_steps(
            "reference",
            ref,
            lambda k: ref.board_urls(k, f"real{k}"),
            steps,
            job,
            folder,
            time_limit,
        ),
        "fd_limit": limit[0],
        "skipped": too_many,
    }
    return out


# two nodes of one service --------------------------------------------------------------------


def fanout2(two: TwoNodes, folder: Path, q: bool) -> dict:
    """`fanout` on two nodes: the writer on the first, its 19 readers alternately on the
    second (10) and the first (9); delivery times of each half apart too."""
    with running(two):
        return {"two": run_load(two, {**_fanout_job(q), "urls": two.create_boards(1)}, folder, 120)}


def capacity2(two: TwoNodes, folder: Path, q: bool) -> dict:
    """`capacity` on two nodes: half of each meeting's 10 devices on each node (the writer of
    an even meeting on the first, of an odd one on the second), so every update crosses."""
    steps, job = _capacity_sizes(q)
    with running(two):
        boards = two.create_boards(steps[-1])
    return {"two": _capacity_steps("two nodes", two, lambda k: boards[:k], steps, job, folder)}


SCENARIOS = {
    "fanout": fanout,
    "capacity": capacity,
    "cold": cold,
    "idle": idle,
    "presence": presence,
    "realistic": realistic,
}
TWO_NODE_SCENARIOS = {
    "fanout2": fanout2,
    "capacity2": capacity2,
}


# the table -----------------------------------------------------------------------------------


def table(results: dict) -> str:
    # metric, ours, ref, target, better[, two nodes]: the column "2 nodes" appears when a
    # two-node scenario ran
    rows: list[tuple[Any, ...]] = []

    def get(d: dict | None, *path: str):  # type: ignore[no-untyped-def]
        for p in path:
            if not isinstance(d, dict):
                return None
            d = d.get(p)
        return d

    if "fanout" in results or "fanout2" in results:
        r = results.get("fanout") or {}
        t = get(results, "fanout2", "two")  # two nodes: the writer on the first
        for p in ("p50", "p99"):
            rows.append(
                (
                    f"1 fan-out 20 devices, 50 edits/s: {p} (ms)",
                    get(r, "ours", "edit", p),
                    get(r, "reference", "edit", p),
                    "< 10" if p == "p99" else "",
                    "lower",
                    get(t, "edit", p),
                )
            )
        if "fanout2" in results:
            for p in ("p50", "p99"):
                rows.append(
                    (
                        f"  2 nodes, the 10 readers on the other node: {p} (ms)",
                        None,
                        None,
                        "< 20" if p == "p99" else "",
                        "lower",
                        get(t, "otherNode", p),
                    )
                )
            rows.append(
                (
                    "  2 nodes, the 9 readers on the writer's node: p50 / p99 (ms)",
                    None,
                    None,
                    "",
                    "",
                    f"{_n(get(t, 'sameNode', 'p50'))} / {_n(get(t, 'sameNode', 'p99'))}",
                )
            )
        rows.append(
            (
                "  edits received / expected",
                _frac(r.get("ours")),
                _frac(r.get("reference")),
                "all",
                "",
                _frac(t),
            )
        )
        rows.append(
            (
                "  server CPU during it (cores; 2 nodes: both)",
                get(r, "ours", "cpu_cores"),
                get(r, "reference", "cpu_cores"),
                "",
                "lower",
                get(t, "cpu_cores"),
            )
        )
        if "fanout2" in results:
            rows.append(
                (
                    "  PostgreSQL + Redis CPU during it (cores)",
                    None,
                    None,
                    "",
                    "",
                    get(t, "services_cpu_cores"),
                )
            )
    if "capacity" in results or "capacity2" in results:
        r = results.get("capacity") or {}
        two_steps = get(results, "capacity2", "two") or []
        best = {name: _best(r.get(name) or []) for name in ("ours", "reference")}
        best["two"] = _best(two_steps)
        rows.append(
            (
                "2 largest K (meetings x 10 devices) with p99 < 100 ms",
                get(best, "ours", "meetings"),
                get(best, "reference", "meetings"),
                ">= 1000",
                "higher",
                get(best, "two", "meetings"),
            )
        )
        rows.append(
            (
                "  p99 edit fan-out at that K (ms)",
                get(best, "ours", "edit", "p99"),
                get(best, "reference", "edit", "p99"),
                "< 100",
                "lower",
                get(best, "two", "edit", "p99"),
            )
        )
        if "capacity2" in results:
            rows.append(
                (
                    "  2 nodes: p99 to devices on the other node at that K (ms)",
                    None,
                    None,
                    "",
                    "",
                    get(best, "two", "otherNode", "p99"),
                )
            )
        rows.append(
            (
                "  server CPU at that K (cores; 2 nodes: both)",
                get(best, "ours", "cpu_cores"),
                get(best, "reference", "cpu_cores"),
                "",
                "lower",
                get(best, "two", "cpu_cores"),
            )
        )
        if "capacity2" in results:
            rows.append(
                (
                    "  PostgreSQL + Redis CPU at that K (cores)",
                    None,
                    None,
                    "",
                    "",
                    get(best, "two", "services_cpu_cores"),
                )
            )
        rows.append(
            (
                "  memory per connection at that K (KB)",
                _per_conn(best.get("ours")),
                _per_conn(best.get("reference")),
                "",
                "lower",
                _per_conn(best.get("two")),
            )
        )
        rows.append(
            (
                "  load generator's own loop lag p99 at that K (ms)",
                get(best, "ours", "clientLag", "p99"),
                get(best, "reference", "clientLag", "p99"),
                "",
                "",
                get(best, "two", "clientLag", "p99"),
            )
        )
        rows.append(
            (
                "  load generator's CPU at that K (cores)",  # it shares the 2 CPUs
                get(best, "ours", "load_cpu_cores"),
                get(best, "reference", "load_cpu_cores"),
                "",
                "",
                get(best, "two", "load_cpu_cores"),
            )
        )
        for name, found in (*r.items(), ("2 nodes", two_steps)):
            for s in found:
                again = " (2nd run)" if s.get("attempts") == 2 else ""
                # two nodes: both nodes' CPU + PostgreSQL's and Redis' + the load generator's
                services = f"+{_n(s['services_cpu_cores'])}" if "services_cpu_cores" in s else ""
                cpus = "cpu+pg/redis+load" if services else "cpu+load"
                rows.append(
                    (
                        f"  {name} K={s['meetings']}{again}: p50/p99 ms, {cpus}, errors",
                        f"{_n(get(s, 'edit', 'p50'))}/{_n(get(s, 'edit', 'p99'))}",
                        f"{_n(s.get('cpu_cores'))}{services}+{_n(s.get('load_cpu_cores'))}"
                        f" / {s.get('errors', '?')}"
                        f"+{s.get('closedEarly', 0)}+{s.get('setupErrors', 0)}",
                        "",
                        "",
                    )
                )
    if "cold" in results:
        r = results["cold"]
        n = r.get("updates")
        rows.append(
            (
                f"3 cold load, {n} updates in the log (ms, median of 9)",
                get(r, "ours_log", "load", "p50"),
                get(r, "reference", "load", "p50"),
                "< 100",
                "lower",
            )
        )
        rows.append(
            (
                "  ours: start after that crash / a clean start (s)",
                f"{r.get('start_after_crash_s', 0):.2f} / {r.get('start_clean_s', 0):.2f}",
                "",
                "",
                "",
            )
        )
        rows.append(
            (
                "  ours: compacted into a snapshot (normal case)",
                get(r, "ours_snapshot", "load", "p50"),
                get(r, "reference", "load", "p50"),
                "< 100",
                "lower",
            )
        )
        rows.append(
            (
                "  ours: board already in memory",
                get(r, "ours_warm", "load", "p50"),
                get(r, "reference", "load", "p50"),
                "",
                "lower",
            )
        )
    if "idle" in results:
        r = results["idle"]
        rows.append(
            (
                "4 memory per idle loaded board (KB)",
                get(r, "ours", "per_board_kb"),
                get(r, "reference", "per_board_kb"),
                "",
                "lower",
            )
        )
        rows.append(
            (
                "  memory per idle connection (KB)",
                get(r, "ours", "per_connection_kb"),
                get(r, "reference", "per_connection_kb"),
                "",
                "lower",
            )
        )
    if "presence" in results:
        r = results["presence"]
        dev = get(r, "ours", "connections")
        rows.append(
            (
                f"5 presence, {dev} devices at 1/s: server CPU (cores)",
                get(r, "ours", "cpu_cores"),
                get(r, "reference", "cpu_cores"),
                "< 0.5",
                "lower",
            )
        )
        rows.append(
            (
                "  presence delivery p50 / p99 (ms)",
                f"{_n(get(r, 'ours', 'presence', 'p50'))} / "
                f"{_n(get(r, 'ours', 'presence', 'p99'))}",
                f"{_n(get(r, 'reference', 'presence', 'p50'))} / "
                f"{_n(get(r, 'reference', 'presence', 'p99'))}",
                "",
                "",
            )
        )
        rows.append(
            (
                "  edit delivery p99 (ms)",
                get(r, "ours", "edit", "p99"),
                get(r, "reference", "edit", "p99"),
                "< 100",
                "lower",
            )
        )
        rows.append(
            (
                "  edit delivery max (ms)",
                get(r, "ours", "edit", "max"),
                get(r, "reference", "edit", "max"),
                "< 100",
                "lower",
            )
        )
        rows.append(
            (
                "  load generator's own loop lag p99 (ms)",
                get(r, "ours", "clientLag", "p99"),
                get(r, "reference", "clientLag", "p99"),
                "",
                "",
            )
        )
    if "realistic" in results:
        r = results["realistic"]
        best = {name: _best(r.get(name) or []) for name in ("ours", "reference")}
        bo, br = best["ours"], best["reference"]
        rows.append(
            (
                "6 realistic: largest K (meetings x 10) with p99 < 100 ms",
                get(bo, "meetings"),
                get(br, "meetings"),
                ">= 10000",
                "higher",
            )
        )
        rows.append(
            (
                "  (1 edit/5 s per meeting, presence/15 s per device)",
                None,
                None,
                "",
                "",
            )
        )
        rows.append(
            (
                "  edit delivery p50 / p99 at that K (ms)",
                f"{_n(get(bo, 'edit', 'p50'))} / {_n(get(bo, 'edit', 'p99'))}",
                f"{_n(get(br, 'edit', 'p50'))} / {_n(get(br, 'edit', 'p99'))}",
                "< 100",
                "",
            )
        )
        rows.append(
            (
                "  edit delivery max at that K (ms)",
                get(bo, "edit", "max"),
                get(br, "edit", "max"),
                "",
                "lower",
            )
        )
        rows.append(("  edits received / expected at that K", _frac(bo), _frac(br), "all", ""))
        rows.append(
            (
                "  presence delivery p99 at that K (ms)",
                get(bo, "presence", "p99"),
                get(br, "presence", "p99"),
                "",
                "lower",
            )
        )
        rows.append(
            (
                "  server CPU at that K (cores)",
                get(bo, "cpu_cores"),
                get(br, "cpu_cores"),
                "",
                "lower",
            )
        )
        rows.append(
            (
                "  server CPU per 1,000 meetings (cores)",
                _per_k(bo, "cpu_cores", 1000),
                _per_k(br, "cpu_cores", 1000),
                "",
                "lower",
            )
        )
        rows.append(
            (
                "  -> 10,000 meetings would need (cores, linear)",
                _per_k(bo, "cpu_cores", 10_000),
                _per_k(br, "cpu_cores", 10_000),
                "< 2",
                "lower",
            )
        )
        rows.append(
            (
                "  the same K connected and silent: server CPU (cores)",
                get(bo, "quiet_cpu_cores"),
                get(br, "quiet_cpu_cores"),
                "",
                "lower",
            )
        )
        rows.append(
            (
                "  server memory at that K (MB)",
                get(bo, "rss_ready_mb"),
                get(br, "rss_ready_mb"),
                "",
                "lower",
            )
        )
        rows.append(
            (
                "  memory per connection at that K (KB)",
                _per_conn(bo),
                _per_conn(br),
                "",
                "lower",
            )
        )
        rows.append(
            (
                "  -> 10,000 meetings would need (MB, linear)",
                _memory_for(bo, 10_000),
                _memory_for(br, 10_000),
                "",
                "lower",
            )
        )
        rows.append(
            (
                "  load generator's CPU (cores) / loop lag p99 (ms) at that K",
                f"{_n(get(bo, 'load_cpu_cores'))} / {_n(get(bo, 'clientLag', 'p99'))}",
                f"{_n(get(br, 'load_cpu_cores'))} / {_n(get(br, 'clientLag', 'p99'))}",
                "",
                "",
            )
        )
        fd = r.get("fd_limit")
        rows.append(
            (
                "  open files per process (limit) -> most K x 10 per server",
                f"{fd} -> {(fd - 100) // DEVICES_PER_MEETING}" if fd else None,
                None,
                "",
                "",
            )
        )
        for name in ("ours", "reference"):
            for s in r.get(name) or []:
                again = " (2nd run)" if s.get("attempts") == 2 else ""
                rows.append(
                    (
                        f"  {name} K={s['meetings']}{again}: p50/p99/max ms, cpu+load, errors",
                        f"{_n(get(s, 'edit', 'p50'))}/{_n(get(s, 'edit', 'p99'))}"
                        f"/{_n(get(s, 'edit', 'max'))}",
                        f"{_n(s.get('cpu_cores'))}+{_n(s.get('load_cpu_cores'))}"
                        f" / {s.get('errors', '?')}"
                        f"+{s.get('closedEarly', 0)}+{s.get('setupErrors', 0)}",
                        "",
                        "",
                    )
                )
        if r.get("skipped"):
            rows.append(
                (f"  K={r['skipped']}: not run, over the open-files limit", None, None, "", "")
            )
    width = max(len(r[0]) for r in rows) if rows else 40
    two = any(len(row) > 5 and row[5] is not None for row in rows)
    lines = [
        f"{'measurement':<{width}}  {'netwerkbord':>12}  {'reference':>12}  "
        f"{'ours/ref':>8}  {'target':>8}" + (f"  {'2 nodes':>12}  {'2n/1n':>6}" if two else ""),
        f"{'-' * width}  {'-' * 12}  {'-' * 12}  {'-' * 8}  {'-' * 8}"
        + (f"  {'-' * 12}  {'-' * 6}" if two else ""),
    ]
    for metric, a, b, target, _, *rest in rows:
        line = f"{metric:<{width}}  {_n(a):>12}  {_n(b):>12}  {_ratio(a, b):>8}  {target:>8}"
        if two:
            c = rest[0] if rest else ""  # (a row of one server only: left blank)
            line += f"  {_n(c):>12}  {_ratio(c, a):>6}"
        lines.append(line.rstrip())
    for name, r in results.items():
        if isinstance(r, dict) and "error" in r:
            lines.append(f"{name}: not measured: {r['error']}")
    return "\n".join(lines)


def _ratio(a: object, b: object) -> str:
    if isinstance(a, int | float) and isinstance(b, int | float) and b:
        return f"{a / b:.2f}"
    return ""


def _n(v: object) -> str:
    if v is None:
        return "-"
    if isinstance(v, float):
        return f"{v:.3g}" if abs(v) < 100 else f"{v:.0f}"
    return str(v)


def _frac(r: dict | None) -> str | None:
    if not r:
        return None
    return f"{r.get('received', '?')}/{r.get('expected', '?')}"


def _best(steps: list[dict]) -> dict | None:
    """The largest K that passed."""
    ok = [s for s in steps if _capacity_ok(s)]
    return ok[-1] if ok else None


def _capacity_ok(s: dict) -> bool:
    p99 = (s.get("edit") or {}).get("p99")
    return (
        p99 is not None
        and p99 <= 100
        and not s.get("errors")
        and not s.get("closedEarly")
        and not s.get("setupErrors")
        and not s.get("error")
    )


def _stalls(r: dict) -> str:
    """realistic: the seconds of the window in which a delivery took over 100 ms (a stall of
    the server or of the load generator shows as one or two such seconds)."""
    slow = r.get("slowBySecond")
    if not slow:
        return ""
    late = [f"{i}s:{ms}" for i, ms in enumerate(slow["max"]) if ms > 100]
    return f", seconds over 100 ms: {' '.join(late) or 'none'}"


def _per_k(s: dict | None, key: str, meetings: int) -> float | None:
    """`key` of step `s` scaled to `meetings` meetings (linearly from its own K)."""
    if not s or s.get(key) is None:
        return None
    return s[key] * meetings / s["meetings"]


def _memory_for(s: dict | None, meetings: int) -> float | None:
    """The server's memory (MB) at `meetings` meetings: its memory at start plus what step
    `s` grew by, scaled linearly."""
    if not s or "rss_ready_mb" not in s:
        return None
    grown = s["rss_ready_mb"] - s["rss_before_mb"]
    return s["rss_before_mb"] + grown * meetings / s["meetings"]


def _per_conn(s: dict | None) -> float | None:
    if not s or "rss_ready_mb" not in s:
        return None
    return (s["rss_ready_mb"] - s["rss_before_mb"]) * 1024 / s["connections"]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="small sizes (a smoke test)")
    parser.add_argument(
        "--only",
        help="comma-separated: "
        + ",".join([*SCENARIOS, *TWO_NODE_SCENARIOS])
        + " (realistic: meetings x 10 devices at a living-room pace, see bench/SERVER.md)",
    )
    parser.add_argument(
        "--steps",
        help="realistic: the meeting counts to step through, comma-separated "
        "(default 250,500,1000,1500,1950; --quick 50,200)",
    )
    parser.add_argument("--json", help="also write the raw results here")
    parser.add_argument(
        "--pg-no-fsync",
        action="store_true",
        help="two nodes: PostgreSQL without fsync (as in the tests), to see what the disk costs",
    )
    args = parser.parse_args()
    global REALISTIC_STEPS
    if args.steps:
        REALISTIC_STEPS = sorted(int(k) for k in args.steps.split(","))
    # Every process started from here inherits this: the servers and the load generator each
    # hold one descriptor per device (the hard limit itself needs CAP_SYS_RESOURCE to raise).
    hard = resource.getrlimit(resource.RLIMIT_NOFILE)[1]
    most = hard
    if hard == resource.RLIM_INFINITY:
        most = int(Path("/proc/sys/fs/nr_open").read_text())
    with contextlib.suppress(ValueError, OSError):
        resource.setrlimit(resource.RLIMIT_NOFILE, (most, hard))
    if not REFERENCE.exists():
        sys.exit("npm install first: @y/websocket-server is missing from node_modules")
    chosen = args.only.split(",") if args.only else [*SCENARIOS, *TWO_NODE_SCENARIOS]
    unknown = [n for n in chosen if n not in SCENARIOS and n not in TWO_NODE_SCENARIOS]
    if unknown:
        sys.exit(f"unknown scenario(s): {', '.join(unknown)}")
    folder = Path(tempfile.mkdtemp(prefix="netwerkbord-bench-"))
    ours, ref = Ours(folder), Reference(folder)
    two = TwoNodes(folder, fsync=not args.pg_no_fsync)
    results: dict = {}
    started = time.monotonic()

    def stop_all(*_: object) -> None:
        ours.stop()
        ref.stop()
        two.close()
        raise SystemExit(1)

    signal.signal(signal.SIGTERM, stop_all)
    try:
        for name in chosen:
            print(f"== {name}", flush=True)
            t0 = time.monotonic()
            if name in TWO_NODE_SCENARIOS:
                try:
                    results[name] = TWO_NODE_SCENARIOS[name](two, folder, args.quick)
                except ServiceError as e:  # PostgreSQL or Redis missing, or would not start
                    first = str(e).splitlines()[0]
                    print(f"   skipped: {first}", flush=True)
                    results[name] = {"error": first}
            else:
                results[name] = SCENARIOS[name](ours, ref, folder, args.quick)
            print(f"   ({time.monotonic() - t0:.0f} s)", flush=True)
    except KeyboardInterrupt:
        print("interrupted; partial results follow")
    finally:
        ours.stop()
        ref.stop()
        two.close()
        if args.json:
            Path(args.json).write_text(json.dumps(results, indent=1))
        print()
        node = subprocess.run(["node", "--version"], capture_output=True, text=True).stdout
        print(
            f"{os.cpu_count()} CPUs, Python {sys.version.split()[0]}, node {node.strip()}, "
            f"{time.monotonic() - started:.0f} s"
        )
        if results:
            print(table(results))
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
