"""A meeting that follows on from an earlier one of the same family, as the facilitator asks
for it: from the console (`POST /api/meetings/{meeting_id}/follow-on`, control.py) or from
"Mijn bijeenkomsten" (`POST /mijn/{meeting_id}/vervolg`, accountpages.py). Both check the
request here; the copy itself is server/meetings.py `follow_on` (the rules: board/followon.py).
"""

from typing import Any

from starlette.requests import Request

from board.followon import DEFAULT_SCRIPT

from .api import meetings_of, new_meeting_error
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
    if script in (None, ""):
        script = DEFAULT_SCRIPT
    refused = new_meeting_error(request, title, script)
    if refused:
        return None, refused
    assert isinstance(title, str) and isinstance(script, str)
    return meetings_of(request).follow_on(earlier.id, title.strip(), script, by), None
