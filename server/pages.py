"""HTML pages rendered with jinja2 (autoescaped: note text is always shown as text)."""

import io

import segno
from itsdangerous import BadData, URLSafeTimedSerializer
from starlette.requests import Request
from starlette.responses import FileResponse, RedirectResponse, Response
from starlette.routing import Route

from board.boards import NOTE_BOARDS
from board.export import board_json
from board.permissions import Access
from board.phases import phase_label
from board.roles import ROLE_LABELS, ROLES, Role, parse_role
from board.scripts import CLOSED_PART_WAITING, SCRIPTS, get_script

from .accounts import session_secret
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
    # Post/redirect/get: the links wait, for this browser only, on a page a reload can show
    # again without making another meeting.
    url = request.url_for("created", meeting_id=meeting.id)
    response = RedirectResponse(str(url), status_code=303)
    response.set_cookie(
        CREATED_COOKIE,
        _created_signer(request).dumps(meeting.id),
        max_age=CREATED_SECONDS,
        path=url.path,  # a cookie per new meeting: making two in a row keeps both
        secure=request.url.scheme == "https",
        httponly=True,
        samesite="strict",
    )
    return response


# The links of a meeting just made, for the browser that made it, for a short while: the page
# after "Bijeenkomst aanmaken" can be reloaded, and it is the only browser that sees it. Its
# cookie names the meeting, signed with the session key (the `settings` table), so any node
# of a service shows the page; the links themselves come from the database (role_links).
CREATED_COOKIE = "nb_created"
CREATED_SECONDS = 600


def _created_signer(request: Request) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(session_secret(request.app.state.store), salt=CREATED_COOKIE)


async def created(request: Request) -> Response:
    """The links of a meeting just made (GET after the form's POST): shown again on a reload,
    to the browser that made it, for CREATED_SECONDS; to anyone else a page that says so."""
    meeting_id = request.path_params["meeting_id"]
    try:
        made = _created_signer(request).loads(
            request.cookies.get(CREATED_COOKIE, ""), max_age=CREATED_SECONDS
        )
    except BadData:
        made = None
    meetings: Meetings = request.app.state.meetings
    meeting = meetings.get(meeting_id) if made == meeting_id else None  # (not deleted)
    links = []
    if meeting is not None:
        kept = meetings.store.role_links(meeting_id)
        tokens = {r: kept[r.value]["token"] for r in ROLES if kept.get(r.value, {}).get("token")}
        urls = join_links(request, tokens)
        links = [(r.value, ROLE_LABELS[r], urls[r.value]) for r in ROLES if r.value in urls]
    minutes = CREATED_SECONDS // 60
    if meeting is None:
        page = render(request, "created.html", status=404, meeting=None, minutes=minutes)
    else:
        page = render(request, "created.html", meeting=meeting, links=links, minutes=minutes)
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
