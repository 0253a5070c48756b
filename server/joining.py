"""The way in: a role link gives this browser a device key (server/devices.py), and the
meeting page /m/{meeting_id} is then opened with that key, never with a credential in the
address. The TV's view (/m/{meeting_id}/scherm) is opened from the facilitator's own device
and holds nothing that opens a role.
"""

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from board.model import client_model
from board.roles import ROLE_LABELS, Role, parse_role

from . import closecodes
from .accounts import current_user
from .api import browser_device, browser_principal, from_our_pages, meetings_of
from .devices import (
    ACCOUNT,
    ACTIVE,
    COOKIE_MAX_AGE,
    MAX_DEVICES,
    REMOVED,
    WAITING,
    Device,
    cookie_name,
)
from .meetings import Meetings, Principal
from .pages import PAGE_FOR_ROLE, render, text_view_for
from .store import TokenRecord
from .tokens import hash_token, new_token

NO_ACCESS = (
    "Dit apparaat hoort (nog) niet bij deze bijeenkomst. Open de link die je van de "
    "gespreksleider kreeg, of scan de QR-code op het scherm in de kamer."
)
TOO_MANY_DEVICES = (
    "Er doen al heel veel apparaten mee aan deze bijeenkomst. Vraag de gespreksleider om "
    "apparaten die niet meer meedoen te verwijderen."
)
REMOVED_TEXT = (
    "De gespreksleider heeft dit apparaat uit de bijeenkomst gehaald. Denk je dat dit niet "
    "klopt? Vraag het de gespreksleider."
)


def give_key(response: Response, request: Request, meeting_id: str, key: str) -> None:
    """Put a device key in this browser (server/devices.py says why these flags)."""
    response.set_cookie(
        cookie_name(meeting_id),
        key,
        max_age=COOKIE_MAX_AGE,
        path="/",
        httponly=True,
        samesite="lax",
        secure=request.url.scheme == "https",
    )


def removed_page(request: Request) -> Response:
    """What a removed device is told, at its role link, its meeting page and the door."""
    return _message(request, "Je bent uit de bijeenkomst gehaald", REMOVED_TEXT, 403)


def _message(request: Request, title: str, text: str, status: int) -> Response:
    return render(request, "message.html", status=status, title=title, text=text)


def _link(request: Request) -> tuple[Meetings, TokenRecord, Role, Device | None] | Response:
    """The role link in the path, its role and this browser's device in its meeting; or the
    page for an unknown link, or for a device that was removed."""
    meetings = meetings_of(request)
    record = meetings.store.find_token(hash_token(request.path_params["token"]))
    role = parse_role(record.role) if record else None
    if record is None or role is None:
        return render(request, "invalid_link.html", status=404)
    current = browser_device(request, record.meeting_id)
    if current is not None and current.status == REMOVED:
        return removed_page(request)
    return meetings, record, role, current


async def join(request: Request) -> Response:
    """A role link: this browser gets a key of its own, then the meeting page. The link
    itself goes no further than this request (and never into the page or its requests)."""
    link = _link(request)
    if isinstance(link, Response):
        return link
    meetings, record, role, current = link
    meeting_id = record.meeting_id
    meeting_page = request.url_for("meeting", meeting_id=meeting_id)
    if current is not None and current.status == ACTIVE and current.role is role:
        return RedirectResponse(meeting_page, status_code=303)
    if current is not None and current.status == ACTIVE and current.role is Role.FACILITATOR:
        # The facilitator tried a link from the console: this browser stays the facilitator's.
        return render(
            request,
            "message.html",
            status=409,
            title=f"Dit is de link voor {ROLE_LABELS[role]}",
            text="Deze computer is van de gespreksleider en blijft dat. Geef de link aan wie "
            "hem nodig heeft, of open hem op een ander apparaat.",
            back=meeting_page,
        )
    if current is not None and current.status == ACTIVE and current.role is not None:
        # This browser takes part already, in another role. A page of another site can send
        # a browser to any link it knows: a role changes only when the person says so here.
        return render(
            request,
            "message.html",
            status=409,
            title="Dit apparaat doet al mee",
            text=f"Dit apparaat doet al mee als {ROLE_LABELS[current.role]}. Deze link is "
            f"voor {ROLE_LABELS[role]}. Wil je wisselen?",
            back=meeting_page,
            switch={"action": request.url.path, "label": f"Ja, verder als {ROLE_LABELS[role]}"},
        )
    return _enter(request, meetings, meeting_id, role, record.ask)


async def switch(request: Request) -> Response:
    """ "Ja, verder als …": this browser leaves its role and comes in by this link."""
    if not from_our_pages(request):
        return _message(request, "Geen toegang", "Dit verzoek komt niet van Netwerkbord.", 403)
    link = _link(request)
    if isinstance(link, Response):
        return link
    meetings, record, role, current = link
    meeting_id = record.meeting_id
    if current is not None and current.status == ACTIVE and current.role is Role.FACILITATOR:
        return RedirectResponse(request.url_for("join", token=request.path_params["token"]), 303)
    if current is not None and current.status == ACTIVE:
        meetings.remove_device(meeting_id, current.id)  # its key is replaced: nobody holds it
    return _enter(request, meetings, meeting_id, role, record.ask)


def _enter(
    request: Request, meetings: Meetings, meeting_id: str, role: Role, ask: bool
) -> Response:
    if ask:  # "ask me first": the link leads to the door, the facilitator opens it
        code = meetings.store.admission_code(meeting_id, new_token)
        return RedirectResponse(request.url_for("admission", code=code), status_code=303)
    if len(meetings.devices.active(meeting_id)) >= MAX_DEVICES:
        return _message(request, "Vol", TOO_MANY_DEVICES, 409)
    device, key = meetings.devices.issue(meeting_id, role, f"link:{role.value}", ROLE_LABELS[role])
    response = RedirectResponse(request.url_for("meeting", meeting_id=meeting_id), 303)
    give_key(response, request, meeting_id, key)
    return response


def _principal_or_account(
    request: Request, meetings: Meetings, meeting_id: str
) -> tuple[Principal | None, str | None]:
    """Who this browser is in the meeting, and a new device key to give it: a logged-in
    facilitator of the meeting gets a device key here, the first time."""
    principal = browser_principal(request, meeting_id)
    if principal is not None:
        return principal, None
    user = current_user(request)
    if user is None or not meetings.store.is_facilitator(meeting_id, user.id):
        return None, None
    device, key = meetings.devices.issue(meeting_id, Role.FACILITATOR, ACCOUNT, user.username)
    return Principal(meeting_id, Role.FACILITATOR, "device:" + device.id, device.id), key


def _no_entry(request: Request, meetings: Meetings, meeting_id: str) -> Response:
    device = browser_device(request, meeting_id)
    if device is not None and device.status == REMOVED:
        return removed_page(request)
    if device is not None and device.status == WAITING:
        code = meetings.store.admission_code(meeting_id, new_token)
        return RedirectResponse(request.url_for("admission", code=code), status_code=303)
    return _message(request, "Geen toegang", NO_ACCESS, 403)


def _page(request: Request, principal: Principal, screen: bool, key: str | None) -> Response:
    meetings = meetings_of(request)
    meeting = meetings.get(principal.meeting_id)
    if meeting is None:
        return render(request, "invalid_link.html", status=404)
    role = Role.SCHERM if screen else principal.role
    config = {
        "meetingId": meeting.id,
        "title": meeting.title,
        "role": role.value,
        "roleLabel": ROLE_LABELS[role],
        "page": PAGE_FOR_ROLE[role],
        "device": principal.device,  # the server's id of this device (presence shows it)
        # The model as data (boards, steps, labels, rules): the browser keeps no copy of it.
        **client_model(meeting.state.script, role),
        "closeCodes": closecodes.BY_NAME,
        # When the retention period deletes this meeting (shown to the facilitator).
        "deleteAt": (meeting.created_at + request.app.state.config.retention_days * 86400) * 1000,
        "finished": meeting.state.finished,
    }
    if screen and principal.role is Role.FACILITATOR:
        config["as"] = "scherm"  # the facilitator's device, with the TV's rights
    if role is Role.SCHERM:  # the room's QR: it asks the facilitator, it opens nothing
        code = meetings.store.admission_code(meeting.id, new_token)
        config["admission"] = {
            "link": str(request.url_for("admission", code=code)),
            "qr": str(request.url_for("admission_qr", code=code)),
        }
    response = render(
        request,
        "app.html",
        meeting=meeting,
        role=role,
        config=config,
        role_label=ROLE_LABELS[role],
        text_view=request.url_for("meeting_text", meeting_id=meeting.id),
    )
    if key is not None:
        give_key(response, request, meeting.id, key)
    return response


async def meeting(request: Request) -> Response:
    """The meeting page of this browser's device."""
    meetings = meetings_of(request)
    meeting_id = request.path_params["meeting_id"]
    principal, key = _principal_or_account(request, meetings, meeting_id)
    if principal is None:
        return _no_entry(request, meetings, meeting_id)
    return _page(request, principal, screen=False, key=key)


async def screen(request: Request) -> Response:
    """The TV's view, opened by the facilitator ("Scherm openen") or on a TV's own device."""
    meetings = meetings_of(request)
    meeting_id = request.path_params["meeting_id"]
    principal, key = _principal_or_account(request, meetings, meeting_id)
    if principal is None:
        return _no_entry(request, meetings, meeting_id)
    if principal.role not in (Role.FACILITATOR, Role.SCHERM):
        return _message(request, "Geen toegang", "Alleen de gespreksleider opent het scherm.", 403)
    return _page(request, principal, screen=True, key=key)


async def meeting_text(request: Request) -> Response:
    """The boards as plain HTML, for a browser without JavaScript."""
    meeting_id = request.path_params["meeting_id"]
    principal = browser_principal(request, meeting_id)
    if principal is None:
        return _no_entry(request, meetings_of(request), meeting_id)
    return text_view_for(request, principal)


routes = [
    Route("/j/{token}", join, methods=["GET"], name="join"),
    Route("/j/{token}", switch, methods=["POST"]),
    Route("/m/{meeting_id}", meeting, methods=["GET"], name="meeting"),
    Route("/m/{meeting_id}/scherm", screen, methods=["GET"], name="screen"),
    Route("/m/{meeting_id}/tekst", meeting_text, methods=["GET"], name="meeting_text"),
]
