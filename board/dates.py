"""Dates for people to read: "8 januari 2025", from Babel's CLDR data for Dutch.

Only text for people uses these (pages, the Markdown and text exports, print). The board
documents and the JSON export keep dates as `YYYY-MM-DD`: that is the machine format of the
data contract.
"""

import datetime as dt
import re

from babel.dates import format_date

LOCALE = "nl_NL"
_ISO = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")  # fromisoformat alone would take "2025-W02-3"


def dutch_date(value: object) -> str:
    """A `YYYY-MM-DD` string or a date as "8 januari 2025"; "" for anything else."""
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value) if _ISO.fullmatch(value) else None
        except ValueError:
            value = None
    if isinstance(value, dt.datetime):
        value = value.date()
    if not isinstance(value, dt.date):
        return ""
    return format_date(value, format="long", locale=LOCALE)


def dutch_day(timestamp: float) -> str:
    """The day of a moment (seconds since the epoch, the server's local time), in Dutch."""
    return dutch_date(dt.datetime.fromtimestamp(timestamp).date())


def dutch_period(start: str, end: str) -> str:
    """An action's "vanaf" and "tot" together: "van 1 december 2026 tot 1 januari 2027"."""
    a, b = dutch_date(start), dutch_date(end)
    if a and b:
        return f"van {a} tot {b}"
    return f"vanaf {a}" if a else (f"tot {b}" if b else "")
