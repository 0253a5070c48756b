"""JSON routes under /api."""

import json
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from board.boards import get_board
from board.export import board_json
from board.people import MAX_NAME, clean_person
from board.permissions import Access
from board.phases import is_valid_phase, phase_label
from board.roles import ROLES, Role, parse_role

from .meetings import Meetings, Principal
from .tokens import bearer, same_secret

MAX_TITLE = 120
MAX_BODY = 16_384


def error(status: int, message: str) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=status)


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


def _meetings(request: Request) -> Meetings:
    return request.app.state.meetings


def _principal(request: Request, meeting_id: str) -> Principal | JSONResponse:
    token = bearer(request.headers.get("authorization")) or request.query_params.get("token")
    if token is None:
        return error(401, "Geen toegangscode meegegeven")
    principal = _meetings(request).authenticate(token, meeting_id)
    if principal is None:
        return error(401, "Ongeldige of ingetrokken toegangscode")
    return principal


def _facilitator(request: Request) -> Principal | JSONResponse:
    principal = _principal(request, request.path_params["meeting_id"])
    if isinstance(principal, Principal) and principal.role is not Role.FACILITATOR:
        return error(403, "Alleen de gespreksleider mag dit doen")
    return principal


def create_meeting_checked(request: Request, title: object, admin_key: str | None):  # type: ignore[no-untyped-def]
    """Shared by the API and the start page: (meeting, tokens) or an (status, message) error."""
    required = request.app.state.config.admin_key
    if required and (admin_key is None or not same_secret(admin_key, required)):
        return None, (401, "Beheersleutel ontbreekt of klopt niet")
    if not isinstance(title, str) or not title.strip() or len(title) > MAX_TITLE:
        return None, (400, f"Geef de bijeenkomst een naam (hoogstens {MAX_TITLE} tekens)")
    return _meetings(request).create(title.strip()), None


async def create_meeting(request: Request) -> JSONResponse:
    data = await read_json(request)
    if data is None:
        return error(400, "Verwacht JSON zoals {\"title\": \"...\"}")
    created, err = create_meeting_checked(
        request, data.get("title"), bearer(request.headers.get("authorization")))
    if err:
        return error(*err)
    meeting, tokens = created
    return JSONResponse(
        {"id": meeting.id, "title": meeting.title,
         "tokens": {r.value: t for r, t in tokens.items()},
         "links": join_links(request, tokens)},
        status_code=201,
    )


def _state_json(meeting_id: str, phase: str, closed: bool) -> dict[str, Any]:
    return {"id": meeting_id, "phase": phase, "phaseLabel": phase_label(phase), "closed": closed}


async def set_closed(request: Request) -> JSONResponse:
    principal = _facilitator(request)
    if isinstance(principal, JSONResponse):
        return principal
    data = await read_json(request)
    if data is None or not isinstance(data.get("closed"), bool):
        return error(400, "Verwacht {\"closed\": true} of {\"closed\": false}")
    state = _meetings(request).set_state(principal.meeting_id, closed=data["closed"])
    return JSONResponse(_state_json(principal.meeting_id, state.phase, state.closed))


async def set_phase(request: Request) -> JSONResponse:
    principal = _facilitator(request)
    if isinstance(principal, JSONResponse):
        return principal
    data = await read_json(request)
    if data is None or not is_valid_phase(data.get("phase")):
        return error(400, "Verwacht {\"phase\": \"...\"} met kleine letters, cijfers en -")
    state = _meetings(request).set_state(principal.meeting_id, phase=data["phase"])
    return JSONResponse(_state_json(principal.meeting_id, state.phase, state.closed))


async def meeting_info(request: Request) -> JSONResponse:
    principal = _principal(request, request.path_params["meeting_id"])
    if isinstance(principal, JSONResponse):
        return principal
    meeting = _meetings(request).get(principal.meeting_id)
    assert meeting is not None
    return JSONResponse({**_state_json(meeting.id, meeting.state.phase, meeting.state.closed),
                         "title": meeting.title, "role": principal.role.value})


async def rotate_token(request: Request) -> JSONResponse:
    principal = _facilitator(request)
    if isinstance(principal, JSONResponse):
        return principal
    role = parse_role(request.path_params["role"])
    if role is None:
        return error(404, f"Onbekende rol; kies uit {', '.join(r.value for r in ROLES)}")
    token = _meetings(request).rotate_token(principal.meeting_id, role)
    return JSONResponse({"role": role.value, "token": token,
                         "link": join_links(request, {role: token})[role.value]})


async def add_participant(request: Request) -> JSONResponse:
    principal = _principal(request, request.path_params["meeting_id"])
    if isinstance(principal, JSONResponse):
        return principal
    if principal.role is Role.SCHERM:
        return error(403, "Het scherm schrijft geen namen op")
    data = await read_json(request)
    person = clean_person(data.get("name"), data.get("relation")) if data else None
    if person is None:
        return error(400, f"Vul een naam in (hoogstens {MAX_NAME} tekens)")
    pid = _meetings(request).add_participant(principal.meeting_id, principal.role, *person)
    return JSONResponse({"id": pid, "name": person[0], "relation": person[1],
                         "role": principal.role.value}, status_code=201)


async def get_board_json(request: Request) -> JSONResponse:
    board_id = request.path_params["board_id"]
    if get_board(board_id) is None:
        return error(404, "Onbekend bord")
    principal = _principal(request, request.path_params["meeting_id"])
    if isinstance(principal, JSONResponse):
        return principal
    meetings = _meetings(request)
    if meetings.access(principal, board_id) is Access.NONE:
        return error(403, "Dit bord is nu niet zichtbaar voor jou")
    room = meetings.rooms.get(principal.meeting_id, board_id)
    try:
        return JSONResponse(board_json(board_id, room.to_py()))
    finally:
        meetings.rooms.release(room)


routes = [
    Route("/api/meetings", create_meeting, methods=["POST"]),
    Route("/api/meetings/{meeting_id}", meeting_info, methods=["GET"]),
    Route("/api/meetings/{meeting_id}/closed", set_closed, methods=["POST"]),
    Route("/api/meetings/{meeting_id}/phase", set_phase, methods=["POST"]),
    Route("/api/meetings/{meeting_id}/tokens/{role}", rotate_token, methods=["POST"]),
    Route("/api/meetings/{meeting_id}/participants", add_participant, methods=["POST"]),
    Route("/api/meetings/{meeting_id}/boards/{board_id}", get_board_json, methods=["GET"]),
]
