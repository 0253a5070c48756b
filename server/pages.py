"""HTML pages rendered with jinja2 (autoescaped: note text is always shown as text)."""

import io
import secrets
import time
from dataclasses import dataclass

import segno
from starlette.requests import Request
from starlette.responses import FileResponse, RedirectResponse, Response
from starlette.routing import Route

from board.boards import NOTE_BOARDS
from board.export import board_json
from board.permissions import Access
from board.phases import phase_label
from board.roles import ROLE_LABELS, ROLES, Role, parse_role
from board.scripts import CLOSED_PART_WAITING, SCRIPTS, get_script

from .api import create_meeting_checked, error, join_links
from .meetings import Meetings, Principal
from .tokens import hash_token

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
    async with request.form() as form:  # closes any file sent in it (only text belongs here)
        title, admin_key, script = form.get("title"), form.get("admin_key"), form.get("script")
    created, err = create_meeting_checked(request, title, admin_key, script)
    if err:
        page = _start_page(
            request, err[0], error=err[1], title=title if isinstance(title, str) else ""
        )
        page.headers.update(err[2] if len(err) > 2 else {})  # Retry-After with a 429
        return page
    assert created is not None
    meeting, tokens = created
    links = join_links(request, tokens)
    # Post/redirect/get: the links wait, for this browser only, on a page a reload can show
    # again without making another meeting.
    key = secrets.token_urlsafe(32)
    _keep_created(
        request, key, meeting.id, [(r.value, ROLE_LABELS[r], links[r.value]) for r in ROLES]
    )
    url = request.url_for("created", meeting_id=meeting.id)
    response = RedirectResponse(str(url), status_code=303)
    response.set_cookie(
        CREATED_COOKIE,
        key,
        max_age=CREATED_SECONDS,
        path=url.path,  # a cookie per new meeting: making two in a row keeps both
        secure=request.url.scheme == "https",
        httponly=True,
        samesite="strict",
    )
    return response


# The links of a meeting just made, kept in memory for the browser that made it (its cookie),
# for a short while: the page after "Bijeenkomst aanmaken" can be reloaded, and it is the only
# browser that sees it. A restart forgets them.
CREATED_COOKIE = "nb_created"
CREATED_SECONDS = 600
MAX_CREATED = 1000  # new meetings are throttled per address as well (server/api.py)


@dataclass(frozen=True)
class _Created:
    meeting_id: str
    links: list[tuple[str, str, str]]  # (role, label, link)
    until: float  # time.monotonic()


def _created_views(request: Request) -> dict[str, _Created]:
    views: dict[str, _Created] | None = getattr(request.app.state, "created_views", None)
    if views is None:
        views = request.app.state.created_views = {}
    return views


def _keep_created(
    request: Request, key: str, meeting_id: str, links: list[tuple[str, str, str]]
) -> None:
    views, now = _created_views(request), time.monotonic()
    for old in [k for k, v in views.items() if v.until <= now]:
        del views[old]
    while len(views) >= MAX_CREATED:
        del views[next(iter(views))]  # the oldest
    views[key] = _Created(meeting_id, links, now + CREATED_SECONDS)


async def created(request: Request) -> Response:
    """The links of a meeting just made (GET after the form's POST): shown again on a reload,
    to the browser that made it, for CREATED_SECONDS; to anyone else a page that says so."""
    meeting_id = request.path_params["meeting_id"]
    key = request.cookies.get(CREATED_COOKIE)
    view = _created_views(request).get(key) if key else None
    if view and (view.meeting_id != meeting_id or view.until <= time.monotonic()):
        view = None
    meeting = request.app.state.meetings.get(meeting_id) if view else None  # not deleted
    minutes = CREATED_SECONDS // 60
    if view is None or meeting is None:
        page = render(request, "created.html", status=404, meeting=None, minutes=minutes)
    else:
        page = render(request, "created.html", meeting=meeting, links=view.links, minutes=minutes)
    page.headers["Cache-Control"] = "no-store"  # the links are the keys to the meeting
    return page


def _principal_or_404(request: Request) -> Principal | None:
    meetings: Meetings = request.app.state.meetings
    return meetings.authenticate(request.path_params["token"])


async def text_view(request: Request) -> Response:
    """The boards as plain HTML, for a browser without JavaScript, by a role link (the
    meeting page links to /m/{meeting_id}/tekst: server/joining.py)."""
    principal = _principal_or_404(request)
    if principal is None:
        return render(request, "invalid_link.html", status=404)
    return text_view_for(request, principal)


def text_view_for(request: Request, principal: Principal) -> Response:
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
        waiting=CLOSED_PART_WAITING,
    )


async def join_qr(request: Request) -> Response:
    """The join link of a token as a QR code, made here: no outside service sees the link."""
    token = request.path_params["token"]
    record = request.app.state.meetings.store.find_token(hash_token(token))
    if record is None or parse_role(record.role) is None:  # ("ask me first" links too)
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
    Route("/created/{meeting_id}", created, methods=["GET"], name="created"),
    Route("/j/{token}/qr.svg", join_qr, methods=["GET"], name="join_qr"),
    Route("/j/{token}/tekst", text_view, methods=["GET"], name="text_view"),
    Route("/sw.js", service_worker, methods=["GET"]),
    Route("/favicon.ico", favicon, methods=["GET"]),
]
