"""What checking an update costs, next to what pycrdt's apply costs (README "Speed").

Run: .venv/bin/python -m bench.validation

Each kind of update a meeting makes (a new note, a text edit, a move) is sent through a room
on an in-memory store, as a device's message would be; the time of the whole check (the
decoder before applying, collecting the changes, judging them) is set against a plain
pycrdt apply of the same update into a document of the same size. Then the worst frames of
1 MiB the decoder can be sent (tests/ybytes.py worst_frames), each timed whole.
"""

import statistics
import time
from collections.abc import Callable

from pycrdt import Doc, Map

from board.permissions import Access
from board.roles import Role
from server.connection import Connection
from server.meetings import Principal
from server.rooms import Room
from server.store import Store
from server.validate import BoardGuard
from server.yupdate import UpdateRejected, inspect
from tests.ybytes import worst_frames

ROUNDS = 2000


class _Channel:
    async def send(self, data: bytes) -> None: ...

    async def close(self, code: int, reason: str) -> None: ...


def _updates() -> dict[str, list[bytes]]:
    """ROUNDS updates of each kind, as one device's document sends them (one per transaction,
    as a browser does)."""
    doc = Doc()
    notes = doc.get("notes", type=Map)
    made: dict[str, list[bytes]] = {"nieuw briefje": [], "tekst wijzigen": [], "verplaatsen": []}
    sent: list[bytes] = []
    doc.observe(lambda event: sent.append(event.update))
    for i in range(ROUNDS):
        notes[f"n{i}"] = Map(
            {
                "text": f"Oma Wiëbe helpt op woensdag {i}",
                "zone": "zorgen",
                "role": "familie",
                "author": "p1",
                "authorName": "Oma Wiëbe",
                "color": "oranje",
                "x": 0.5,
                "y": 0.5,
                "tags": [],
                "createdAt": 1.7e12,
            }
        )
        made["nieuw briefje"].append(sent.pop())
    for i in range(ROUNDS):
        notes[f"n{i}"]["text"] = f"Oma Wiëbe helpt op donderdag {i}"
        made["tekst wijzigen"].append(sent.pop())
    for i in range(ROUNDS):
        with doc.transaction():
            notes[f"n{i}"]["zone"] = "wensen"
            notes[f"n{i}"]["y"] = 0.25
        made["verplaatsen"].append(sent.pop())
    return made


def _per_update(run: Callable[[bytes], object], updates: list[bytes]) -> float:
    """Median µs per update over batches of 100."""
    times = []
    for start in range(0, len(updates), 100):
        batch = updates[start : start + 100]
        t = time.perf_counter()
        for u in batch:
            run(u)
        times.append((time.perf_counter() - t) / len(batch) * 1e6)
    return statistics.median(times)


def main() -> None:
    made = _updates()
    print(
        f"{'update':<16}{'bytes':>7}{'decoder µs':>12}{'room µs':>10}{'unchecked µs':>14}"
        f"{'apply µs':>10}"
    )
    guard = BoardGuard("drieluik")
    room = Room(("m", "drieluik"), Store(None), compact_after=10**9)
    conn = Connection(_Channel(), Access.WRITE, Principal("m", Role.FAMILIE, "h", "tablet"))
    room.join(conn)
    trusted = Room(("m", "plan"), Store(None), compact_after=10**9)
    plain = Doc()
    for kind, updates in made.items():
        decode = _per_update(lambda u: inspect(u, guard.roots), updates)
        in_room = _per_update(lambda u: room.apply(u, conn), updates)
        unchecked = _per_update(trusted.apply, updates)
        apply = _per_update(plain.apply_update, updates)
        size = statistics.median(len(u) for u in updates)
        print(
            f"{kind:<16}{size:>7.0f}{decode:>12.1f}{in_room:>10.1f}{unchecked:>14.1f}{apply:>10.1f}"
        )
    print(
        "decoder: server/yupdate.py alone; room: a device's update through a room (checks,"
        " apply, log in an in-memory database); unchecked: the same path without the checks"
        " (the server's own changes); apply: pycrdt's apply_update alone"
    )
    print()
    print(f"{'worst frame':<40}{'bytes':>9}{'decoder ms':>12}  verdict")
    names = [
        "500,000 levels of nesting",
        "99,999 structs",
        "99,999 deleted ranges",
        "values nested 5 deep, 30,000 times",
    ]
    for name, frame in zip(names, worst_frames(), strict=True):
        started = time.perf_counter()
        try:
            inspect(frame, guard.roots)
            verdict = "taken"
        except UpdateRejected as e:
            verdict = str(e)
        took = (time.perf_counter() - started) * 1000
        print(f"{name:<40}{len(frame):>9}{took:>12.1f}  {verdict}")


if __name__ == "__main__":
    main()
