"""The child shows its VIP-kaart, or keeps it to the family again (board.state.show).

POST /api/meetings/{id}/shown {"board": "vipkaart", "shown": true|false}, by the family (the
child, on the tablet) or the facilitator. Until a board is shown, professionals and the TV get
nothing of it (board.permissions): showing it lets them read it from then on, hiding it again
closes their connections to it at once (Meetings.change, which also writes `shown` and every
role's access into `verloop`). A finished meeting is kept as it was left: it may still be
hidden, not shown any more.
"""

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from board import state as meeting_state
from board.boards import BOARDS
from board.permissions import may_show

from .api import error, meetings_of, principal_of, read_json, state_json


async def set_shown(request: Request) -> Response:
    principal = principal_of(request, request.path_params["meeting_id"])
    if isinstance(principal, JSONResponse):
        return principal
    if not may_show(principal.role):
        return error(403, "Alleen de familie en de gespreksleider kiezen of dit bord te zien is")
    body = await read_json(request)
    board = body.get("board") if body else None
    shown = body.get("shown") if body else None
    if (
        not isinstance(board, str)
        or board not in BOARDS
        or not BOARDS[board].until_shown
        or not isinstance(shown, bool)
    ):
        return error(400, 'Verwacht {"board": "vipkaart", "shown": true} of "shown": false')
    meetings = meetings_of(request)
    meeting = meetings.get(principal.meeting_id)
    if meeting is None:
        return error(404, "Deze bijeenkomst bestaat niet meer")
    if shown and meeting.state.finished:
        return error(409, "De bijeenkomst is afgesloten: er verandert niets meer")
    name = body.get("by") if body else None
    by = (principal.role.value, name[:60] if isinstance(name, str) else "")
    state = meetings.change(principal.meeting_id, by, lambda s: meeting_state.show(s, board, shown))
    assert state is not None  # show() changes only boards with until_shown, checked above
    title = BOARDS[board].title
    meetings.store.add_audit(
        principal.meeting_id, f"{title} {'laten zien' if shown else 'niet meer laten zien'}", *by
    )
    if meetings.rooms.bus is not None:  # (as control.facilitator_route)
        await meetings.rooms.bus.settled()
    return JSONResponse(state_json(principal.meeting_id, state))


routes = [Route("/api/meetings/{meeting_id}/shown", set_shown, methods=["POST"])]
