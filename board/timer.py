"""The meeting timer as a pure function: every screen counts down to `endsAt` (ms), or shows
`pausedMs` left while paused. When it has run out, every screen says "De tijd is om" for
END_SHOWN_MS, and then shows no timer; going to another step clears it at once."""

from dataclasses import dataclass

ACTIONS = ("start", "pause", "resume", "add", "stop")
MAX_MINUTES = 240
END_SHOWN_MS = 60_000  # how long "De tijd is om" stays on the screens


@dataclass(frozen=True)
class Timer:
    ends_at: float | None = None  # ms since the epoch, while running
    paused_ms: float | None = None  # ms left, while paused


def apply(timer: Timer, action: str, minutes: float, now: float) -> Timer:
    """The timer after a facilitator's action. Raises ValueError for nonsense."""
    if action not in ACTIONS:
        raise ValueError(f"onbekende actie {action!r}")
    if action in ("start", "add") and not (0 < minutes <= MAX_MINUTES):
        raise ValueError(f"kies 1 tot {MAX_MINUTES} minuten")
    ms = minutes * 60_000
    if action == "start":
        return Timer(ends_at=now + ms)
    if action == "stop":
        return Timer()
    if action == "pause":
        if timer.ends_at is None:
            return timer
        return Timer(paused_ms=max(0.0, timer.ends_at - now))
    if action == "resume":
        if timer.paused_ms is None:
            return timer
        return Timer(ends_at=now + timer.paused_ms)
    # add
    if timer.paused_ms is not None:
        return Timer(paused_ms=timer.paused_ms + ms)
    base = timer.ends_at if timer.ends_at is not None and timer.ends_at > now else now
    return Timer(ends_at=base + ms)


def ended(timer: Timer, now: float) -> bool:
    """It ran out (and was not stopped or started again since)."""
    return timer.ends_at is not None and timer.ends_at <= now


def after_step(timer: Timer, now: float) -> Timer:
    """Another step: a timer that ran out is cleared; one that still runs goes on."""
    return Timer() if ended(timer, now) else timer
