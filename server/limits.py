"""The server's limits (see Config): rate buckets, throttling of invalid-link attempts, and
whether a new connection or meeting still fits. Each refusal comes with a Dutch reason that
ends up in a close frame or a JSON error.
"""

import ipaddress
import math
import time
from collections import OrderedDict
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from .config import Config


class TokenBucket:
    """`burst` tokens, refilled at `rate` per second; take() spends one (or `amount`, e.g.
    bytes) if there are that many."""

    __slots__ = ("rate", "burst", "tokens", "stamp")

    def __init__(self, rate: float, burst: float, now: float) -> None:
        self.rate, self.burst = rate, burst
        self.tokens, self.stamp = float(burst), now

    def take(self, now: float, amount: float = 1) -> bool:
        self.tokens = min(self.burst, self.tokens + (now - self.stamp) * self.rate)
        self.stamp = now
        if self.tokens < amount:
            return False
        self.tokens -= amount
        return True

    def peek(self, now: float) -> bool:
        """Whether take() would succeed, without spending."""
        return min(self.burst, self.tokens + (now - self.stamp) * self.rate) >= 1

    def wait(self, now: float) -> float:
        """Seconds until take() would succeed (0 when it would now)."""
        tokens = min(self.burst, self.tokens + (now - self.stamp) * self.rate)
        return 0.0 if tokens >= 1 else (1 - tokens) / self.rate


class AddressBuckets:
    """A TokenBucket per client address, made on first use.

    With several nodes the tokens spent are shared (server/bus.py `share`): `shared` is
    called with the key of every token spent here, and spent_elsewhere() takes the token
    another node spent, so an address has one allowance for the whole service."""

    MAX_ADDRESSES = 10_000  # the oldest entries go first; a flood of addresses cannot grow it

    def __init__(
        self, rate: float, burst: float, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.rate, self.burst = rate, burst
        self.clock = clock
        self._buckets: OrderedDict[str, TokenBucket] = OrderedDict()
        self.shared: Callable[[str], None] | None = None

    def spend(self, key: str) -> TokenBucket | None:
        """Take a token of `key`'s bucket: None when taken, else the empty bucket."""
        now = self.clock()
        bucket = self.bucket(key, now)
        if not bucket.take(now):
            return bucket
        if self.shared is not None:
            self.shared(key)
        return None

    def spent_elsewhere(self, key: str) -> None:
        now = self.clock()
        self.bucket(key, now).take(now)

    def bucket(self, address: str, now: float) -> TokenBucket:
        """The bucket of an address (an IPv6 address: of its /64, see address_group) or of
        another key (a user name, a device)."""
        address = address_group(address)
        bucket = self._buckets.get(address)
        if bucket is None:
            bucket = self._buckets[address] = TokenBucket(self.rate, self.burst, now)
            while len(self._buckets) > self.MAX_ADDRESSES:
                self._buckets.popitem(last=False)
        else:
            self._buckets.move_to_end(address)
        return bucket


class AuthThrottle(AddressBuckets):
    """Invalid-link attempts per client address.

    Every failed check spends a token of that address's bucket; once it is empty, a wrong
    link from that address is answered with 429 (WebSocket: 4529) instead of 401 until a token
    has come back. Only wrong links are slowed down: a valid link is always checked and always
    let in, so a family behind one router is never shut out by one device with a stale link
    (refuse(), used by the WebSocket endpoint and the HTTP guard). Letting a throttled address
    have its links checked tells a guesser nothing it could use: a token carries 192 random
    bits (server/tokens.py), so no number of guesses finds one; the throttle is there to make
    a stream of wrong links visible and cheap, not to keep tokens secret.

    blocked() and failed() are the bucket's bookkeeping (validate.Refusals uses them too).
    """

    def __init__(
        self, burst: int, per_minute: float, clock: Callable[[], float] = time.monotonic
    ) -> None:
        super().__init__(per_minute / 60.0, burst, clock)

    def blocked(self, address: str) -> bool:
        bucket = self._buckets.get(address_group(address))
        return bucket is not None and not bucket.peek(self.clock())

    def failed(self, address: str) -> None:
        self.spend(address)

    def refuse(self, address: str) -> bool:
        """Count one wrong link from `address`; True when the address has used up its
        allowance, so the answer is 429 / 4529 ("try again later") rather than 401 / 4401."""
        return self.spend(address) is not None

    @classmethod
    def of(cls, state: Any) -> "AuthThrottle":
        """The app's throttle (in app.state), made on first use."""
        throttle = getattr(state, "auth_throttle", None)
        if throttle is None:
            config: Config = state.config
            throttle = state.auth_throttle = cls(
                config.auth_failure_burst, config.auth_failures_per_minute
            )
        return throttle


class MeetingQuota(AddressBuckets):
    """Meetings created per client address (IPv6: per /64) while anyone on the network may
    create one: an hour's allowance at once, coming back evenly over the hour."""

    def __init__(self, per_hour: int, clock: Callable[[], float] = time.monotonic) -> None:
        super().__init__(per_hour / 3600.0, per_hour, clock)

    def take(self, address: str) -> float | None:
        """Spend one meeting of the address's allowance and return None; or, when none is
        left, return the seconds until there is one again."""
        empty = self.spend(address)
        return None if empty is None else empty.wait(self.clock())

    @classmethod
    def of(cls, state: Any) -> "MeetingQuota":
        quota = getattr(state, "meeting_quota", None)
        if quota is None:
            quota = state.meeting_quota = cls(state.config.meetings_per_hour)
        return quota


def meeting_quota_error(state: Any, address: str) -> tuple[str, int] | None:
    """(Dutch reason, seconds to wait) when this address has created its meetings for this
    hour, else None and one meeting is counted. `state` is app.state. With an admin key
    there is no quota: only the operator creates meetings then."""
    config: Config = state.config
    if config.admin_key or config.meetings_per_hour <= 0:
        return None
    wait = MeetingQuota.of(state).take(address)
    if wait is None:
        return None
    minutes = max(1, math.ceil(wait / 60))
    return (
        f"Vanaf dit adres zijn het afgelopen uur al veel bijeenkomsten gemaakt; probeer "
        f"het over {minutes} {'minuut' if minutes == 1 else 'minuten'} opnieuw",
        max(1, math.ceil(wait)),
    )


THROTTLED = "Te veel pogingen met een ongeldige link; probeer het over een minuut opnieuw"


def too_big(limit: int) -> str:
    """The close reason for a message over Config.max_message_bytes (code 1009)."""
    return f"Bericht groter dan {limit} bytes"


def client_address(scope: Mapping[str, Any]) -> str:
    client = scope.get("client")
    return str(client[0]) if client else "?"


def address_group(address: str) -> str:
    """What per-address limits count: an IPv4 address, or an IPv6 /64 (a home or a phone
    gets a whole /64, so counting single IPv6 addresses would limit nothing)."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.IPv6Network((ip, 64), strict=False))
    return address


def admission_error(
    rooms: Any,
    config: Config,
    meeting_id: str,
    board_id: str,
    elsewhere: Sequence[Mapping[str, Any]] = (),
) -> str | None:
    """Why a new connection to this board may not join now, or None when it may.

    `elsewhere`: the meeting's connections on the other nodes (RedisBus.elsewhere): the
    limits per meeting count the whole service's; the active meetings are this node's
    (they are what its memory holds)."""
    boards = rooms.boards_of(meeting_id)
    if not boards and rooms.active_meetings() >= config.max_active_meetings:
        return "De server is vol; probeer het later opnieuw"
    open_boards = set(boards) | {row.get("board") for row in elsewhere}
    if board_id not in open_boards and len(open_boards) >= config.max_boards_per_meeting:
        return "Te veel borden tegelijk open in deze bijeenkomst"
    connected = sum(len(r.connections) for r in boards.values()) + len(elsewhere)
    if connected >= config.max_connections_per_meeting:
        return "Te veel verbindingen met deze bijeenkomst"
    return None


def meeting_limit_error(state: Any) -> str | None:
    """Why no new meeting may be created now, or None. `state` is app.state."""
    config: Config = state.config
    if state.store.count_meetings() >= config.max_meetings:
        return "Deze server heeft het maximale aantal bijeenkomsten; probeer het later opnieuw"
    return None
