"""HTML pages rendered with jinja2 (autoescaped: note text is always shown as text)."""

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route

from board.boards import NOTE_BOARDS, get_board
from board.export import board_json
from board.permissions import Access
from board.phases import phase_label
from board.roles import ROLE_LABELS, ROLES

from .api import create_meeting_checked, join_links


def render(request: Request, name: str, status: int = 200, **context: object) -> Response:
    templates = request.app.state.templates
    return templates.TemplateResponse(request, name, context, status_code=status)


async def start(request: Request) -> Response:
    return render(request, "index.html", needs_key=bool(request.app.state.config.admin_key))


async def create(request: Request) -> Response:
    form = await request.form()
    created, err = create_meeting_checked(request, form.get("title"), form.get("admin_key"))
    if err:
        return render(request, "index.html", status=err[0], error=err[1],
                      needs_key=bool(request.app.state.config.admin_key),
                      title=form.get("title") or "")
    meeting, tokens = created
    links = join_links(request, tokens)
    return render(request, "created.html", status=201, meeting=meeting,
                  links=[(ROLE_LABELS[r], links[r.value]) for r in ROLES])


async def join(request: Request) -> Response:
    meetings = request.app.state.meetings
    principal = meetings.authenticate(request.path_params["token"])
    if principal is None:
        return render(request, "invalid_link.html", status=404)
    meeting = meetings.get(principal.meeting_id)
    boards = []
    for board_id in NOTE_BOARDS:
        if meetings.access(principal, board_id) is Access.NONE:
            continue
        room = meetings.rooms.get(meeting.id, board_id)
        try:
            boards.append(board_json(board_id, room.to_py()))
        finally:
            meetings.rooms.release(room)
    return render(request, "join.html", meeting=meeting, role=principal.role,
                  role_label=ROLE_LABELS[principal.role], boards=boards,
                  phase=phase_label(meeting.state.phase), closed=meeting.state.closed,
                  board_title=lambda b: get_board(b).title)


async def not_found(request: Request, exc: Exception) -> Response:
    if request.url.path.startswith("/api/"):
        from .api import error

        return error(404, "Niet gevonden")
    return render(request, "invalid_link.html", status=404)


routes = [
    Route("/", start, methods=["GET"]),
    Route("/", create, methods=["POST"], name="create"),
    Route("/j/{token}", join, methods=["GET"], name="join"),
]
