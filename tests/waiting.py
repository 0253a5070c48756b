"""Waiting in tests: for a condition, never for a fixed time."""

import asyncio
import time
from collections.abc import Callable


async def until(
    condition: Callable[[], object], timeout: float = 5.0, interval: float = 0.001
) -> None:
    """Return as soon as `condition()` is true (checked at once, then after each pause of
    `interval` seconds, 0 meaning one turn of the event loop); fail after `timeout`."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("condition not reached in time")
        await asyncio.sleep(interval)
