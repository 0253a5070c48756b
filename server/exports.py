"""Exports: the printable plan page (also behind a revocable read-only link), the meeting as
JSON and Markdown, and a picture (SVG) of each board. They obey the same permissions as the
boards: a professional exports nothing during the closed part, and only the family (and the
facilitator) ever get the family's worksheet.

PDF: the plan page is made for A4 and the browser's "Afdrukken → Opslaan als PDF" (the tests
print it to PDF in headless Chromium); the server does not render PDFs itself.
"""

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from board import instrumentexport, networkexport
from board.afspraken import FIELD_LABELS as AFSPRAKEN_LABELS
from board.afspraken import is_empty as afspraken_empty
from board.boards import BOARDS, STATEMENTS, get_board
from board.dates import dutch_date, dutch_day
from board.export import (
    board_json,
    board_svg,
    has_picture,
    markdown,
    meeting_export,
    plain,
    zone_items,
)
from board.permissions import exportable_boards
from board.plan import STATUSES, as_dict
from board.roles import ROLE_LABELS, Role
from board.scripts import get_script

from .api import browser_principal, error, meetings_of, principal_of, readable_board
from .meetings import Meetings, Principal
from .pages import qr_svg, render


def _export(meetings: Meetings, meeting_id: str, boards: list[str]) -> dict[str, Any]:
    meeting = meetings.get(meeting_id)
    assert meeting is not None
    info = {
        "id": meeting.id,
        "title": meeting.title,
        "date": dutch_day(meeting.created_at),  # for people: "8 januari 2025"
        "script": meeting.state.script,
        "finished": meeting.state.finished,
    }
    return meeting_export(info, {b: meetings.content(meeting_id, b) for b in boards})


def _readable(meetings: Meetings, principal: Principal) -> list[str] | None:
    """The boards this principal may export now (board.permissions), or None for nothing."""
    meeting = meetings.get(principal.meeting_id)
    return exportable_boards(principal.role, meeting.state) if meeting else None


async def _principal_export(request: Request) -> dict[str, Any] | JSONResponse:
    principal = principal_of(request, request.path_params["meeting_id"])
    if isinstance(principal, JSONResponse):
        return principal
    meetings = meetings_of(request)
    boards = _readable(meetings, principal)
    if boards is None:
        return error(403, "Tijdens het besloten deel kun je niets downloaden")
    return _export(meetings, principal.meeting_id, boards)


def _filename(export: dict[str, Any], ext: str) -> str:
    safe = "".join(c if c.isalnum() else "-" for c in export["meeting"]["title"]).strip("-")
    return f'attachment; filename="{(safe or "bijeenkomst")[:60]}.{ext}"'


async def export_json(request: Request) -> Response:
    export = await _principal_export(request)
    if isinstance(export, Response):
        return export
    return JSONResponse(export, headers={"Content-Disposition": _filename(export, "json")})


async def export_markdown(request: Request) -> Response:
    export = await _principal_export(request)
    if isinstance(export, Response):
        return export
    return PlainTextResponse(
        markdown(export),
        media_type="text/markdown; charset=utf-8",
        headers={"Content-Disposition": _filename(export, "md")},
    )


async def export_text(request: Request) -> Response:
    """The same as the Markdown export, as plain text a family can open anywhere (.txt)."""
    export = await _principal_export(request)
    if isinstance(export, Response):
        return export
    return PlainTextResponse(
        plain(export),
        media_type="text/plain; charset=utf-8",
        headers={"Content-Disposition": _filename(export, "txt")},
    )


async def export_svg(request: Request) -> Response:
    board_id = request.path_params["board_id"]
    board = get_board(board_id)
    if board is None or not has_picture(board_id):
        return error(404, "Van dit bord is geen plaatje te maken")
    content = readable_board(request, board_id)
    if isinstance(content, JSONResponse):
        return content
    statements = content.get("statements") if board_id == "drieluik" else None
    # The network boards name people by their id in `mensen`: the picture shows the names.
    named = networkexport.KINDS | instrumentexport.KINDS | {"afspraken"}
    people = readable_board(request, "mensen") if board.kind in named else None
    picture = board_svg(
        board_json(board_id, content),
        as_dict(statements),
        people if isinstance(people, dict) else None,
    )
    return Response(picture, media_type="image/svg+xml")


# What the plan page shows (never the family's worksheet): the people at the meeting and on its
# list (the plan and the agreements name them by id), the plan, the agreements, the Drieluik's
# themes and the bodemeisen.
PLAN_PAGE_BOARDS = (
    "verloop",
    "mensen",
    "plan",
    "afspraken",
    "steuntabel",
    "drieluik",
    "bodemeisen",
)


def _plan_page(
    request: Request, meetings: Meetings, meeting_id: str, boards: list[str], shared: bool
) -> Response:
    meeting = meetings.get(meeting_id)
    assert meeting is not None
    used = get_script(meeting.state.script).boards
    export = _export(meetings, meeting_id, [b for b in PLAN_PAGE_BOARDS if b in boards])
    bodemeisen = export["boards"].get("bodemeisen") if "bodemeisen" in used else None
    # The agreements belong with the plan: where the script uses them, or when they came
    # along from an earlier meeting.
    afspraken = export["boards"].get("afspraken")
    if afspraken and "afspraken" not in used and afspraken_empty(afspraken):
        afspraken = None
    return request.app.state.templates.TemplateResponse(
        request,
        "plan.html",
        {
            "export": export,
            "shared": shared,
            "statements": STATEMENTS,
            "statuses": STATUSES,
            "role_labels": {r.value: ROLE_LABELS[r] for r in Role},
            # What the plan has to respect, with what that word means.
            "bodemeisen": zone_items(bodemeisen, None) if bodemeisen else None,
            "bodemeisen_board": BOARDS["bodemeisen"],
            "drieluik_used": "drieluik" in used,
            "dutch_date": dutch_date,  # the plan's dates for people: "8 januari 2025"
            "afspraken": afspraken,
            "afspraken_board": BOARDS["afspraken"],
            "afspraken_labels": AFSPRAKEN_LABELS,
            # Which support each person gives (shown to the network): where the script uses it.
            "steuntabel": instrumentexport.support_table(
                export["boards"]["steuntabel"],
                networkexport.people_by_id(export["boards"]),
            )
            if "steuntabel" in used and "steuntabel" in export["boards"]
            else None,
            "steuntabel_board": BOARDS["steuntabel"],
            # A meeting that follows on from an earlier one: what changed in the plan since.
            "changes": export.get("planChanges"),
            "progress_shown": get_script(meeting.state.script).progress
            or any(
                g["progress"] or any(a["progress"] for a in g["actions"])
                for g in (export.get("plan") or {}).get("goals", [])
            ),
        },
    )


async def plan_page(request: Request) -> Response:
    """The plan, ready to print on A4, for anyone with a role link that may read it now."""
    principal = meetings_of(request).authenticate(request.path_params["token"])
    return _plan_for(request, principal)


async def meeting_plan_page(request: Request) -> Response:
    """The same for this browser's device (server/devices.py): no credential in the address."""
    return _plan_for(request, browser_principal(request, request.path_params["meeting_id"]))


def _plan_for(request: Request, principal: Principal | None) -> Response:
    if principal is None:
        return render(request, "invalid_link.html", status=404)
    meetings = meetings_of(request)
    boards = _readable(meetings, principal)
    if boards is None or "plan" not in boards:
        return error(403, "Het plan is nu niet zichtbaar voor jou")
    return _plan_page(request, meetings, principal.meeting_id, boards, shared=False)


async def shared_plan(request: Request) -> Response:
    """The read-only link the facilitator hands out: the plan, never the worksheet."""
    meetings = meetings_of(request)
    meeting_id = meetings.shared_meeting(request.path_params["token"])
    if meeting_id is None:
        return render(request, "invalid_link.html", status=404)
    meeting = meetings.get(meeting_id)
    if meeting is not None and meeting.state.closed:
        # The closed part: the family is making its plan. Nothing of the meeting but its
        # title until it ends, as for a professional (docs/meetings.md).
        return render(request, "shared_waiting.html", title=meeting.title)
    boards = list(PLAN_PAGE_BOARDS)
    return _plan_page(request, meetings, meeting_id, boards, shared=True)


async def shared_plan_qr(request: Request) -> Response:
    meetings = meetings_of(request)
    token = request.path_params["token"]
    if meetings.shared_meeting(token) is None:
        return error(404, "Onbekende link")
    return qr_svg(str(request.url_for("shared_plan", token=token)))


M = "/api/meetings/{meeting_id}"
routes = [
    Route(f"{M}/export.json", export_json, methods=["GET"]),
    Route(f"{M}/export.md", export_markdown, methods=["GET"]),
    Route(f"{M}/export.txt", export_text, methods=["GET"]),
    Route(f"{M}/boards/{{board_id}}.svg", export_svg, methods=["GET"]),
    Route("/j/{token}/plan", plan_page, methods=["GET"], name="plan_page"),
    Route("/m/{meeting_id}/plan", meeting_plan_page, methods=["GET"], name="meeting_plan_page"),
    Route("/p/{token}", shared_plan, methods=["GET"], name="shared_plan"),
    Route("/p/{token}/qr.svg", shared_plan_qr, methods=["GET"]),
]
