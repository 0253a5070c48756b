"""The server's limits (see Config): rate buckets, throttling of invalid-link attempts, and
whether a new connection or meeting still fits. Each refusal comes with a Dutch reason that
ends up in a close frame or a JSON error.
"""

import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from .config import Config


class TokenBucket:
    """`burst` tokens, refilled at `rate` per second; take() spends one if there is one."""

    __slots__ = ("rate", "burst", "tokens", "stamp")

    def __init__(self, rate: float, burst: float, now: float) -> None:
        self.rate, self.burst = rate, burst
        self.tokens, self.stamp = float(burst), now

    def take(self, now: float) -> bool:
        self.tokens = min(self.burst, self.tokens + (now - self.stamp) * self.rate)
        self.stamp = now
        if self.tokens < 1:
            return False
        self.tokens -= 1
        return True

    def peek(self, now: float) -> bool:
        """Whether take() would succeed, without spending."""
        return min(self.burst, self.tokens + (now - self.stamp) * self.rate) >= 1


class AuthThrottle:
    """Invalid-link attempts per client address.

    Every failed check spends a token of that address's bucket. While the bucket is empty,
    every attempt from the address is refused *before* its token is looked at, valid or not:
    checking it would tell a guesser which guess was right. The lock-out lasts only until one
    token has come back (a few seconds), so a family behind one router is not shut out for
    long by one device with a stale link. Attempts refused this way cost nothing extra.
    """

    MAX_ADDRESSES = 10_000  # the oldest entries go first; a flood of addresses cannot grow it

    def __init__(self, burst: int, per_minute: float,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.burst, self.rate = burst, per_minute / 60.0
        self.clock = clock
        self._buckets: OrderedDict[str, TokenBucket] = OrderedDict()

    def blocked(self, address: str) -> bool:
        bucket = self._buckets.get(address)
        return bucket is not None and not bucket.peek(self.clock())

    def failed(self, address: str) -> None:
        now = self.clock()
        bucket = self._buckets.get(address)
        if bucket is None:
            bucket = self._buckets[address] = TokenBucket(self.rate, self.burst, now)
            while len(self._buckets) > self.MAX_ADDRESSES:
                self._buckets.popitem(last=False)
        else:
            self._buckets.move_to_end(address)
        bucket.take(now)

    @classmethod
    def of(cls, state: Any) -> "AuthThrottle":
        """The app's throttle (in app.state), made on first use."""
        throttle = getattr(state, "auth_throttle", None)
        if throttle is None:
            config: Config = state.config
            throttle = state.auth_throttle = cls(config.auth_failure_burst,
                                                 config.auth_failures_per_minute)
        return throttle


THROTTLED = "Te veel pogingen met een ongeldige link; probeer het over een minuut opnieuw"


def too_big(limit: int) -> str:
    """The close reason for a message over Config.max_message_bytes (code 1009)."""
    return f"Bericht groter dan {limit} bytes"


def client_address(scope: dict[str, Any]) -> str:
    client = scope.get("client")
    return str(client[0]) if client else "?"


def admission_error(rooms: Any, config: Config, meeting_id: str, board_id: str) -> str | None:
    """Why a new connection to this board may not join now, or None when it may."""
    boards = rooms.boards_of(meeting_id)
    if not boards and rooms.active_meetings() >= config.max_active_meetings:
        return "De server is vol; probeer het later opnieuw"
    if board_id not in boards and len(boards) >= config.max_boards_per_meeting:
        return "Te veel borden tegelijk open in deze bijeenkomst"
    if sum(len(r.connections) for r in boards.values()) >= config.max_connections_per_meeting:
        return "Te veel verbindingen met deze bijeenkomst"
    return None


def meeting_limit_error(state: Any) -> str | None:
    """Why no new meeting may be created now, or None. `state` is app.state."""
    config: Config = state.config
    count = state.store.db.execute("SELECT count(*) FROM meetings").fetchone()[0]
    if count >= config.max_meetings:
        return "Deze server heeft het maximale aantal bijeenkomsten; probeer het later opnieuw"
    return None
