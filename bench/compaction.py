"""How long compacting a big board holds up the event loop (README "Speed").

Run: .venv/bin/python -m bench.compaction

A board filled to about its quota (8 MiB of long notes) is compacted twice: at once, as a
small board is (Room.compact), and in parts off the event loop (Room.compact_soon, see
server/compaction.py). Meanwhile a ticker on the same loop records how late it wakes up:
that lateness is what every other meeting's round trip would gain.
"""

import asyncio
import tempfile
import time
from pathlib import Path

from pycrdt import Doc, Map

from server.registry import Rooms
from server.store import Store

NOTES = 8200  # ~990 characters each: about 8 MiB


async def _ticker(lags: list[float], stop: asyncio.Event) -> None:
    while not stop.is_set():
        start = time.perf_counter()
        await asyncio.sleep(0.001)
        lags.append(time.perf_counter() - start - 0.001)


async def _measure(room, in_parts: bool) -> tuple[float, float]:
    lags: list[float] = []
    stop = asyncio.Event()
    ticker = asyncio.create_task(_ticker(lags, stop))
    await asyncio.sleep(0.01)
    room.pending = max(room.pending, 1)
    started = time.perf_counter()
    if in_parts:
        room.compact_soon()
        while room.compacting:
            await asyncio.sleep(0.001)
    else:
        room.compact()
        room.store.writer.flush()
    took = time.perf_counter() - started
    await asyncio.sleep(0.01)
    stop.set()
    await ticker
    return max(lags) * 1000, took * 1000


async def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(Path(tmp) / "nb.db")
        rooms = Rooms(store, compact_after=10**9)
        room = rooms.get("m1", "drieluik")
        source = Doc()
        notes = source.get("notes", type=Map)
        for i in range(NOTES):
            before = source.get_state()
            notes[f"n{i}"] = Map(
                {"text": f"{i} " + "Oma Wiëbe helpt. " * 58, "zone": "zorgen", "role": "familie"}
            )
            room.apply(source.get_update(before))
            if i % 500 == 0:
                store.writer.flush()
        store.writer.flush()
        size = len(room.doc.get_update())
        print(f"board state: {size / 2**20:.1f} MiB")
        for in_parts in (False, True, True, True):
            lag, took = await _measure(room, in_parts)
            name = "in parts, off the loop" if in_parts else "at once, on the loop"
            print(f"{name:<24} longest stall {lag:6.1f} ms   whole compaction {took:6.0f} ms")
        store.close()


if __name__ == "__main__":
    asyncio.run(main())
