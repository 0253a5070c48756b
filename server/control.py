"""The facilitator's controls: steps, the closed part, the timer, locks, "iedereen plakt nu",
the projector's spotlight, devices and links. Every route needs the facilitator's token."""

from collections.abc import Awaitable, Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from board import state as meeting_state
from board.boards import BOARDS
from board.phases import is_valid_phase
from board.roles import ROLES, Role, parse_role

from .api import error, join_links, meetings_of, principal_of, read_json, state_json
from .meetings import Meetings, Principal

Handler = Callable[[Meetings, Principal, dict[str, Any], tuple[str, str]], Awaitable[Response]]


def facilitator_route(path: str, handler: Handler, method: str = "POST") -> Route:
    """Authenticate as the facilitator, read the JSON body, then call the handler."""

    async def endpoint(request: Request) -> Response:
        principal = principal_of(request, request.path_params["meeting_id"])
        if isinstance(principal, JSONResponse):
            return principal
        if principal.role is not Role.FACILITATOR:
            return error(403, "Alleen de gespreksleider mag dit doen")
        data: dict[str, Any] = {}
        if method != "GET" and method != "DELETE":
            body = await read_json(request)
            if body is None:
                return error(400, "Verwacht een JSON-object")
            data = body
        data["_path"] = request.path_params
        data["_request"] = request
        name = data.get("by") if isinstance(data.get("by"), str) else ""
        return await handler(meetings_of(request), principal, data, ("facilitator", name[:60]))

    return Route(path, endpoint, methods=[method])


def _state(meetings: Meetings, principal: Principal, state: Any) -> JSONResponse:
    return JSONResponse(state_json(principal.meeting_id, state))


async def set_closed(meetings, principal, data, by):  # type: ignore[no-untyped-def]
    if not isinstance(data.get("closed"), bool):
        return error(400, "Verwacht {\"closed\": true} of {\"closed\": false}")
    return _state(meetings, principal, meetings.set_state(principal.meeting_id, by,
                                                          closed=data["closed"]))


async def set_phase(meetings, principal, data, by):  # type: ignore[no-untyped-def]
    phase = data.get("phase")
    if not is_valid_phase(phase):
        return error(400, "Verwacht {\"phase\": \"...\"} met kleine letters, cijfers en -")
    return _state(meetings, principal, meetings.change(
        principal.meeting_id, by, lambda state: meeting_state.enter_step(state, phase)))


async def move_step(meetings, principal, data, by):  # type: ignore[no-untyped-def]
    move = data.get("move")
    if move not in ("next", "previous"):
        return error(400, "Verwacht {\"move\": \"next\"} of {\"move\": \"previous\"}")
    delta = 1 if move == "next" else -1
    state = meetings.change(principal.meeting_id, by, lambda s: meeting_state.move_step(s, delta))
    if state is None:
        return error(409, "Er is geen stap meer in die richting")
    return _state(meetings, principal, state)


async def set_posting(meetings, principal, data, by):  # type: ignore[no-untyped-def]
    if not isinstance(data.get("open"), bool):
        return error(400, "Verwacht {\"open\": true} of {\"open\": false}")
    return _state(meetings, principal, meetings.set_state(principal.meeting_id, by,
                                                          posting_open=data["open"]))


async def set_lock(meetings, principal, data, by):  # type: ignore[no-untyped-def]
    board = data.get("board")
    if not isinstance(board, str) or board not in BOARDS or BOARDS[board].server_only \
            or not isinstance(data.get("locked"), bool):
        return error(400, "Verwacht {\"board\": \"drieluik\", \"locked\": true}")
    return _state(meetings, principal, meetings.change(
        principal.meeting_id, by, lambda state: meeting_state.lock(state, board, data["locked"])))


async def set_timer(meetings, principal, data, by):  # type: ignore[no-untyped-def]
    minutes = data.get("minutes", 0)
    if not isinstance(minutes, (int, float)) or isinstance(minutes, bool):
        return error(400, "minutes moet een getal zijn")
    try:
        t = meetings.timer(principal.meeting_id, str(data.get("action")), float(minutes))
    except ValueError as e:
        return error(400, f"Timer: {e}")
    return JSONResponse({"timerEndsAt": t.ends_at, "timerPausedMs": t.paused_ms})


async def set_spotlight(meetings, principal, data, by):  # type: ignore[no-untyped-def]
    board, group = data.get("board"), data.get("group")
    if group is not None and (not isinstance(board, str) or board not in BOARDS
                              or not isinstance(group, str) or len(group) > 64):
        return error(400, "Verwacht {\"board\": \"drieluik\", \"group\": \"<id>\"} of group null")
    meetings.spotlight(principal.meeting_id, board, group)
    return JSONResponse({"spotlight": {"board": board, "group": group} if group else None})


async def list_devices(meetings, principal, data, by):  # type: ignore[no-untyped-def]
    return JSONResponse({"devices": meetings.devices(principal.meeting_id)})


async def remove_device(meetings, principal, data, by):  # type: ignore[no-untyped-def]
    device = data["_path"]["device"]
    if not device or len(device) > 64:
        return error(400, "Onbekend apparaat")
    if device == principal.device:
        return error(409, "Je kunt je eigen apparaat niet verwijderen")
    closed = meetings.remove_device(principal.meeting_id, device)
    meetings.store.add_audit(principal.meeting_id, "apparaat verwijderd", *by)
    return JSONResponse({"device": device, "closed": closed})


async def audit(meetings, principal, data, by):  # type: ignore[no-untyped-def]
    return JSONResponse({"audit": meetings.store.audit(principal.meeting_id)})


async def rotate_token(meetings, principal, data, by):  # type: ignore[no-untyped-def]
    role = parse_role(data["_path"]["role"])
    if role is None:
        return error(404, f"Onbekende rol; kies uit {', '.join(r.value for r in ROLES)}")
    token = meetings.rotate_token(principal.meeting_id, role)
    meetings.store.add_audit(principal.meeting_id, f"nieuwe link: {role.value}", *by)
    return JSONResponse({"role": role.value, "token": token,
                         "link": join_links(data["_request"], {role: token})[role.value]})


async def finish(meetings, principal, data, by):  # type: ignore[no-untyped-def]
    if not isinstance(data.get("finished"), bool):
        return error(400, "Verwacht {\"finished\": true}")
    state = meetings.change(principal.meeting_id, by,
                            meeting_state.finish if data["finished"] else meeting_state.reopen)
    meetings.store.add_audit(principal.meeting_id, "bijeenkomst afgesloten" if data["finished"]
                             else "bijeenkomst weer geopend", *by)
    return _state(meetings, principal, state)


async def delete_meeting(meetings, principal, data, by):  # type: ignore[no-untyped-def]
    meetings.delete(principal.meeting_id)
    return JSONResponse({"deleted": principal.meeting_id})


async def share_plan(meetings, principal, data, by):  # type: ignore[no-untyped-def]
    if data.get("revoke") is True:
        meetings.revoke_shares(principal.meeting_id)
        return JSONResponse({"revoked": True})
    token = meetings.share_plan(principal.meeting_id)
    link = str(data["_request"].url_for("shared_plan", token=token))
    return JSONResponse({"token": token, "link": link}, status_code=201)


M = "/api/meetings/{meeting_id}"
routes = [
    facilitator_route(f"{M}/finish", finish),
    facilitator_route(f"{M}/share", share_plan),
    facilitator_route(M, delete_meeting, method="DELETE"),
    facilitator_route(f"{M}/closed", set_closed),
    facilitator_route(f"{M}/phase", set_phase),
    facilitator_route(f"{M}/step", move_step),
    facilitator_route(f"{M}/posting", set_posting),
    facilitator_route(f"{M}/lock", set_lock),
    facilitator_route(f"{M}/timer", set_timer),
    facilitator_route(f"{M}/spotlight", set_spotlight),
    facilitator_route(f"{M}/devices", list_devices, method="GET"),
    facilitator_route(f"{M}/devices/{{device}}/remove", remove_device),
    facilitator_route(f"{M}/audit", audit, method="GET"),
    facilitator_route(f"{M}/tokens/{{role}}", rotate_token),
]
