"""A meeting that follows on from an earlier one of the same family, as the facilitator asks
for it: from the console (`POST /api/meetings/{meeting_id}/follow-on`, control.py) or from
"Mijn bijeenkomsten" (`POST /mijn/{meeting_id}/vervolg`, accountpages.py). Both check the
request here; the copy itself is server/meetings.py `follow_on` (the rules: board/followon.py).
"""

from typing import Any

from starlette.requests import Request

from board.followon import DEFAULT_SCRIPT
from board.scripts import SCRIPTS

from .api import MAX_TITLE, meetings_of
from .limits import client_address, meeting_limit_error, meeting_quota_error
from .store import Meeting

# (new meeting, its tokens), None; or None, (status, message[, headers])
Created = tuple[tuple[Meeting, dict[Any, str]] | None, tuple[Any, ...] | None]


def follow_on_checked(
    request: Request, earlier: Meeting, title: object, script: object, by: tuple[str, str]
) -> Created:
    """The new meeting, or why not. `title` empty or absent: the earlier meeting's title;
    `script` empty or absent: an evaluatie-overleg. Counted as a new meeting for the server's
    limits, as one made from the start page."""
    if title in (None, ""):
        title = earlier.title
    if not isinstance(title, str) or not title.strip() or len(title) > MAX_TITLE:
        return None, (400, f"Geef de bijeenkomst een naam (hoogstens {MAX_TITLE} tekens)")
    if script in (None, ""):
        script = DEFAULT_SCRIPT
    if not isinstance(script, str) or script not in SCRIPTS:
        return None, (400, f"Kies een soort bijeenkomst: {', '.join(SCRIPTS)}")
    full = meeting_limit_error(request.app.state)
    if full:
        return None, (503, full)
    quota = meeting_quota_error(request.app.state, client_address(request.scope))
    if quota:
        return None, (429, quota[0], {"retry-after": str(quota[1])})
    return meetings_of(request).follow_on(earlier.id, title.strip(), script, by), None
