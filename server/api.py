"""JSON routes under /api: meetings, boards, people and consent. The facilitator's controls
are in control.py."""

import json
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from board.boards import get_board
from board.consent import MAX_COMMENT, consent_refusal
from board.export import board_json
from board.people import MAX_NAME, clean_person
from board.permissions import Access
from board.phases import phase_label
from board.roles import Role
from board.scripts import DEFAULT_SCRIPT, SCRIPTS, get_script

from .devices import Device, cookie_name, same_origin
from .limits import client_address, meeting_limit_error, meeting_quota_error
from .meetings import Meetings, Principal
from .store import Meeting
from .tokens import bearer, same_secret

MAX_TITLE = 120
MAX_BODY = 16_384


def error(status: int, message: str, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=status, headers=headers)


async def read_json(request: Request) -> dict[str, Any] | None:
    body = await request.body()
    if len(body) > MAX_BODY:
        return None
    try:
        data = json.loads(body or b"null")
    except ValueError:
        return None
    return data if isinstance(data, dict) else None


def join_links(request: Request, tokens: dict[Role, str]) -> dict[str, str]:
    return {role.value: str(request.url_for("join", token=token)) for role, token in tokens.items()}


def meetings_of(request: Request) -> Meetings:
    return request.app.state.meetings


def principal_of(request: Request, meeting_id: str) -> Principal | JSONResponse:
    """Who asks: by a token (`Authorization: Bearer`, or `?token=` as before), else by this
    browser's device cookie or its facilitator's login (server/devices.py)."""
    token = bearer(request.headers.get("authorization")) or request.query_params.get("token")
    if token is not None:
        principal = meetings_of(request).authenticate(token, meeting_id)
        if principal is None:
            return error(401, "Ongeldige of ingetrokken toegangscode")
        return principal
    principal = browser_principal(request, meeting_id)
    if principal is None:
        return error(401, "Geen toegangscode meegegeven")
    if request.method not in ("GET", "HEAD") and not from_our_pages(request):
        return error(403, "Dit verzoek komt niet van Netwerkbord zelf")
    return principal


def from_our_pages(request: Request) -> bool:
    """devices.same_origin, for a request served over https when it came in so (or when the
    server is configured to be: a proxy in front)."""
    https = request.url.scheme == "https" or request.app.state.config.https_only
    return same_origin(request.headers, https=https)


def browser_principal(request: Request, meeting_id: str) -> Principal | None:
    """The device key in this browser's cookie for the meeting (the meeting page gives a
    logged-in facilitator one: server/joining.py)."""
    key = request.cookies.get(cookie_name(meeting_id))
    return meetings_of(request).device_principal(key, meeting_id) if key else None


def browser_device(request: Request, meeting_id: str) -> Device | None:
    """The device of the key in this browser's cookie for the meeting, whatever its status
    (waiting, removed ...): the pages tell each what happens to it."""
    key = request.cookies.get(cookie_name(meeting_id))
    return meetings_of(request).devices.by_key(key, meeting_id)


# (meeting, tokens), None; or None, (status, message[, headers])
Created = tuple[tuple[Meeting, dict[Role, str]] | None, tuple[Any, ...] | None]


def create_meeting_checked(
    request: Request, title: object, admin_key: object, script: object = None
) -> Created:
    """Shared by the API and the start page: (meeting, tokens) or an error: (status, message)
    or, when this address has made enough meetings for now, (429, message, headers)."""
    required = request.app.state.config.admin_key
    if required and (not isinstance(admin_key, str) or not same_secret(admin_key, required)):
        return None, (401, "Beheersleutel ontbreekt of klopt niet")
    if script in (None, ""):
        script = DEFAULT_SCRIPT
    refused = new_meeting_error(request, title, script)
    if refused:
        return None, refused
    assert isinstance(title, str) and isinstance(script, str)
    return meetings_of(request).create(title.strip(), script), None


def new_meeting_error(request: Request, title: object, script: object) -> tuple[Any, ...] | None:
    """What every new meeting is checked for (the start page, the API, a follow-on): a name,
    a known kind of meeting, and the server's limits: (status, message[, headers]) or None."""
    if not isinstance(title, str) or not title.strip() or len(title) > MAX_TITLE:
        return (400, f"Geef de bijeenkomst een naam (hoogstens {MAX_TITLE} tekens)")
    if not isinstance(script, str) or script not in SCRIPTS:
        return (400, f"Kies een soort bijeenkomst: {', '.join(SCRIPTS)}")
    full = meeting_limit_error(request.app.state)
    if full:
        return (503, full)
    quota = meeting_quota_error(request.app.state, client_address(request.scope))
    if quota:
        return (429, quota[0], {"retry-after": str(quota[1])})
    return None


async def create_meeting(request: Request) -> JSONResponse:
    data = await read_json(request)
    if data is None:
        return error(400, 'Verwacht JSON zoals {"title": "..."}')
    created, err = create_meeting_checked(
        request, data.get("title"), bearer(request.headers.get("authorization")), data.get("script")
    )
    if err or created is None:
        return error(*(err or (500, "Er ging iets mis")))
    meeting, tokens = created
    return JSONResponse(
        {
            "id": meeting.id,
            "title": meeting.title,
            "script": meeting.state.script,
            "tokens": {r.value: t for r, t in tokens.items()},
            "links": join_links(request, tokens),
        },
        status_code=201,
    )


def state_json(meeting_id: str, state: Any) -> dict[str, Any]:
    step = get_script(state.script).step(state.phase)
    return {
        "id": meeting_id,
        "phase": state.phase,
        "phaseLabel": step.title if step else phase_label(state.phase),
        "closed": state.closed,
        "script": state.script,
        "locked": sorted(state.locked),
        "postingOpen": state.posting_open,
        "shown": sorted(state.shown),  # boards the family has shown (the VIP-kaart)
    }


async def meeting_info(request: Request) -> JSONResponse:
    principal = principal_of(request, request.path_params["meeting_id"])
    if isinstance(principal, JSONResponse):
        return principal
    meeting = meetings_of(request).get(principal.meeting_id)
    assert meeting is not None
    return JSONResponse(
        {
            **state_json(meeting.id, meeting.state),
            "title": meeting.title,
            "role": principal.role.value,
        }
    )


async def add_participant(request: Request) -> JSONResponse:
    principal = principal_of(request, request.path_params["meeting_id"])
    if isinstance(principal, JSONResponse):
        return principal
    if principal.role is Role.SCHERM:
        return error(403, "Het scherm schrijft geen namen op")
    data = await read_json(request)
    person = clean_person(data.get("name"), data.get("relation")) if data else None
    if person is None:
        return error(400, f"Vul een naam in (hoogstens {MAX_NAME} tekens)")
    cap = request.app.state.config.max_participants
    if participant_count(meetings_of(request), principal.meeting_id) >= cap:
        return error(409, f"De lijst van deze bijeenkomst is vol (hoogstens {cap} mensen)")
    pid = meetings_of(request).add_participant(principal.meeting_id, principal.role, *person)
    return JSONResponse(
        {"id": pid, "name": person[0], "relation": person[1], "role": principal.role.value},
        status_code=201,
    )


def participant_count(meetings: Meetings, meeting_id: str) -> int:
    return len(meetings.content(meeting_id, "verloop")["state"].get("participants") or {})


# A refused answer (board.consent.Refusal.kind) -> its HTTP status.
CONSENT_STATUS = {"role": 403, "not-now": 409, "unknown": 404}


async def give_consent(request: Request) -> JSONResponse:
    """One participant says akkoord / niet akkoord; who may, and when, is board.consent's."""
    principal = principal_of(request, request.path_params["meeting_id"])
    if isinstance(principal, JSONResponse):
        return principal
    meetings = meetings_of(request)
    meeting = meetings.get(principal.meeting_id)
    if meeting is None:  # deleted between the link check and now
        return error(404, "Deze bijeenkomst bestaat niet meer")
    data = await read_json(request) or {}
    comment = data.get("comment", "")
    if (
        not isinstance(data.get("agree"), bool)
        or not isinstance(comment, str)
        or len(comment) > MAX_COMMENT
    ):
        return error(400, 'Verwacht {"participant": ..., "agree": true/false, "comment": ...}')
    person = meetings.participant(meeting.id, str(data.get("participant")))
    refused = consent_refusal(
        principal.role, meeting.state, str(person.get("role")) if person is not None else None
    )
    if refused is not None:
        return error(CONSENT_STATUS[refused.kind], refused.reason)
    assert person is not None  # consent_refusal refuses an unknown participant
    entry = meetings.record_consent(
        meeting.id, str(data["participant"]), person, data["agree"], comment.strip()
    )
    return JSONResponse(entry, status_code=201)


def readable_board(request: Request, board_id: str) -> dict[str, Any] | JSONResponse:
    """The board's content, if the request's token may read it now (same rules as the
    WebSocket), else the error to answer with."""
    principal = principal_of(request, request.path_params["meeting_id"])
    if isinstance(principal, JSONResponse):
        return principal
    meetings = meetings_of(request)
    if meetings.access(principal, board_id) is Access.NONE:
        return error(403, "Dit bord is nu niet zichtbaar voor jou")
    return meetings.content(principal.meeting_id, board_id)


async def get_board_json(request: Request) -> JSONResponse:
    board_id = request.path_params["board_id"]
    if get_board(board_id) is None:
        return error(404, "Onbekend bord")
    content = readable_board(request, board_id)
    if isinstance(content, JSONResponse):
        return content
    return JSONResponse(board_json(board_id, content))


routes = [
    Route("/api/meetings", create_meeting, methods=["POST"]),
    Route("/api/meetings/{meeting_id}", meeting_info, methods=["GET"]),
    Route("/api/meetings/{meeting_id}/participants", add_participant, methods=["POST"]),
    Route("/api/meetings/{meeting_id}/consent", give_consent, methods=["POST"]),
    Route("/api/meetings/{meeting_id}/boards/{board_id}", get_board_json, methods=["GET"]),
]
