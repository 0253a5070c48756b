"""HTML pages rendered with jinja2 (autoescaped: note text is always shown as text)."""

import io

import segno
from starlette.requests import Request
from starlette.responses import FileResponse, Response
from starlette.routing import Route

from board.boards import NOTE_BOARDS
from board.export import board_json
from board.model import client_model
from board.permissions import Access
from board.phases import phase_label
from board.roles import ROLE_LABELS, ROLES, Role
from board.scripts import SCRIPTS, get_script

from . import closecodes
from .api import create_meeting_checked, error, join_links
from .meetings import Meetings, Principal

# Which screen each role gets at its link.
PAGE_FOR_ROLE = {
    Role.FACILITATOR: "facilitator",
    Role.FAMILIE: "board",
    Role.PROFESSIONAL: "board",
    Role.SCHERM: "projector",
}


def render(request: Request, name: str, status: int = 200, **context: object) -> Response:
    templates = request.app.state.templates
    return templates.TemplateResponse(request, name, context, status_code=status)


def _start_page(request: Request, status: int = 200, **context: object) -> Response:
    return render(
        request,
        "index.html",
        status=status,
        scripts=list(SCRIPTS.values()),
        needs_key=bool(request.app.state.config.admin_key),
        **context,
    )


async def start(request: Request) -> Response:
    return _start_page(request)


async def create(request: Request) -> Response:
    form = await request.form()
    created, err = create_meeting_checked(
        request, form.get("title"), form.get("admin_key"), form.get("script")
    )
    if err:
        page = _start_page(request, err[0], error=err[1], title=form.get("title") or "")
        page.headers.update(err[2] if len(err) > 2 else {})  # Retry-After with a 429
        return page
    assert created is not None
    meeting, tokens = created
    links = join_links(request, tokens)
    return render(
        request,
        "created.html",
        status=201,
        meeting=meeting,
        links=[(r.value, ROLE_LABELS[r], links[r.value]) for r in ROLES],
    )


def _principal_or_404(request: Request) -> Principal | None:
    meetings: Meetings = request.app.state.meetings
    return meetings.authenticate(request.path_params["token"])


async def join(request: Request) -> Response:
    principal = _principal_or_404(request)
    if principal is None:
        return render(request, "invalid_link.html", status=404)
    meeting = request.app.state.meetings.get(principal.meeting_id)
    role = principal.role
    config = {
        "meetingId": meeting.id,
        "title": meeting.title,
        "token": request.path_params["token"],
        "role": role.value,
        "roleLabel": ROLE_LABELS[role],
        "page": PAGE_FOR_ROLE[role],
        # The model as data (boards, steps, labels, rules): the browser keeps no copy of it.
        **client_model(meeting.state.script, role),
        "closeCodes": closecodes.BY_NAME,
        # When the retention period deletes this meeting (shown to the facilitator).
        "deleteAt": (meeting.created_at + request.app.state.config.retention_days * 86400) * 1000,
        "finished": meeting.state.finished,
    }
    return render(
        request, "app.html", meeting=meeting, role=role, config=config, role_label=ROLE_LABELS[role]
    )


async def text_view(request: Request) -> Response:
    """The boards as plain HTML, for a browser without JavaScript (linked from <noscript>)."""
    principal = _principal_or_404(request)
    if principal is None:
        return render(request, "invalid_link.html", status=404)
    meetings = request.app.state.meetings
    meeting = meetings.get(principal.meeting_id)
    boards = []
    for board_id in NOTE_BOARDS:
        if meetings.access(principal, board_id) is Access.NONE:
            continue
        boards.append(board_json(board_id, meetings.content(meeting.id, board_id)))
    step = get_script(meeting.state.script).step(meeting.state.phase)
    return render(
        request,
        "text_view.html",
        meeting=meeting,
        boards=boards,
        role_label=ROLE_LABELS[principal.role],
        phase=step.title if step else phase_label(meeting.state.phase),
        closed=meeting.state.closed,
    )


async def join_qr(request: Request) -> Response:
    """The join link of a token as a QR code, made here: no outside service sees the link."""
    token = request.path_params["token"]
    if request.app.state.meetings.authenticate(token) is None:
        return error(404, "Onbekende link")
    return qr_svg(str(request.url_for("join", token=token)))


def qr_svg(link: str) -> Response:
    """A link as a QR code, made here: no outside service ever sees the link."""
    out = io.BytesIO()
    segno.make(link, error="m").save(
        out,
        kind="svg",
        scale=10,
        border=2,
        xmldecl=False,
        title="QR-code",
        dark="#000",
        light="#fff",
    )
    return Response(
        out.getvalue(), media_type="image/svg+xml", headers={"Cache-Control": "no-store"}
    )


async def service_worker(request: Request) -> Response:
    # Served from the root so that it may cache the join pages for offline reloads.
    path = request.app.state.config.static_dir / "js" / "sw.js"
    return FileResponse(
        path,
        media_type="text/javascript",
        headers={"Service-Worker-Allowed": "/", "Cache-Control": "no-cache"},
    )


async def favicon(request: Request) -> Response:
    # Browsers ask for /favicon.ico whatever the page says.
    path = request.app.state.config.static_dir / "favicon.svg"
    return FileResponse(path, media_type="image/svg+xml")


async def not_found(request: Request, exc: Exception) -> Response:
    if request.url.path.startswith("/api/"):
        return error(404, "Niet gevonden")
    return render(request, "invalid_link.html", status=404)


routes = [
    Route("/", start, methods=["GET"]),
    Route("/", create, methods=["POST"], name="create"),
    Route("/j/{token}", join, methods=["GET"], name="join"),
    Route("/j/{token}/qr.svg", join_qr, methods=["GET"], name="join_qr"),
    Route("/j/{token}/tekst", text_view, methods=["GET"], name="text_view"),
    Route("/sw.js", service_worker, methods=["GET"]),
    Route("/favicon.ico", favicon, methods=["GET"]),
]
