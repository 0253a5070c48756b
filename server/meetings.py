"""Meetings as the server runs them: creation, role tokens, the meeting state, and keeping
every open connection in line with board.permissions whenever that state changes.
"""

import logging
import time
from dataclasses import dataclass, replace

from pycrdt import Doc, Map

from board.boards import BOARDS
from board.permissions import Access, decide
from board.phases import MeetingState
from board.roles import ROLES, Role, parse_role

from . import closecodes
from .rooms import Rooms
from .store import Meeting, Store
from .tokens import hash_token, new_meeting_id, new_token

log = logging.getLogger("netwerkbord.meetings")


@dataclass(frozen=True)
class Principal:
    """Who is behind a request or a connection."""

    meeting_id: str
    role: Role
    token_hash: str


class Meetings:
    def __init__(self, store: Store, rooms: Rooms) -> None:
        self.store = store
        self.rooms = rooms

    def create(self, title: str) -> tuple[Meeting, dict[Role, str]]:
        meeting_id = new_meeting_id()
        tokens = {role: new_token() for role in ROLES}
        self.store.create_meeting(meeting_id, title,
                                  {role.value: hash_token(t) for role, t in tokens.items()})
        for board in BOARDS.values():
            self._write(meeting_id, board.id, lambda doc, b=board: _init_board(doc, b.id, title))
        meeting = self.store.get_meeting(meeting_id)
        assert meeting is not None
        return meeting, tokens

    def get(self, meeting_id: str) -> Meeting | None:
        return self.store.get_meeting(meeting_id)

    def authenticate(self, token: str | None, meeting_id: str | None = None) -> Principal | None:
        if not token or len(token) > 200:
            return None
        record = self.store.find_token(hash_token(token))
        if record is None or (meeting_id is not None and record.meeting_id != meeting_id):
            return None
        role = parse_role(record.role)
        return Principal(record.meeting_id, role, record.hash) if role else None

    def access(self, principal: Principal, board_id: str) -> Access:
        meeting = self.store.get_meeting(principal.meeting_id)
        if meeting is None:
            return Access.NONE
        return decide(principal.role, board_id, meeting.state)

    def set_state(self, meeting_id: str, *, closed: bool | None = None,
                  phase: str | None = None) -> MeetingState:
        meeting = self.store.get_meeting(meeting_id)
        assert meeting is not None
        state = meeting.state
        if closed is not None:
            state = replace(state, closed=closed)
        if phase is not None:
            state = replace(state, phase=phase)
        self.store.set_state(meeting_id, state)
        # Cut off whoever may no longer see a board *before* anything else is written.
        self.enforce(meeting_id, state)

        def write(doc: Doc) -> None:
            s = doc.get("state", type=Map)
            s["phase"] = state.phase
            s["closed"] = state.closed

        self._write(meeting_id, "verloop", write)
        log.info("meeting %s: phase=%s closed=%s", meeting_id, state.phase, state.closed)
        return state

    def enforce(self, meeting_id: str, state: MeetingState) -> None:
        for room in self.rooms.loaded(meeting_id):
            for conn in list(room.connections):
                p: Principal = conn.principal
                access = decide(p.role, room.key[1], state)
                if access is Access.NONE:
                    room.revoke(conn, closecodes.FORBIDDEN, "Dit bord is nu niet zichtbaar")
                else:
                    conn.access = access

    def add_participant(self, meeting_id: str, role: Role, name: str, relation: str) -> str:
        """Put a person on the meeting's list (verloop state.participants); returns their id."""
        pid = new_token()[:12]

        def write(doc: Doc) -> None:
            state = doc.get("state", type=Map)
            if not isinstance(state.get("participants"), Map):
                state["participants"] = Map()
            state["participants"][pid] = {"name": name, "relation": relation,
                                          "role": role.value, "joinedAt": time.time() * 1000}

        self._write(meeting_id, "verloop", write)
        return pid

    def rotate_token(self, meeting_id: str, role: Role) -> str:
        """Revoke the role's current link and hand out a new one; live devices are cut off."""
        token = new_token()
        revoked = set(self.store.replace_tokens(meeting_id, role.value, hash_token(token)))
        for room in self.rooms.loaded(meeting_id):
            for conn in list(room.connections):
                if conn.principal.token_hash in revoked:
                    room.revoke(conn, closecodes.UNAUTHORIZED, "Deze link is ingetrokken")
        return token

    def _write(self, meeting_id: str, board_id: str, change) -> None:  # type: ignore[no-untyped-def]
        room = self.rooms.get(meeting_id, board_id)
        try:
            room.transact(change)
        finally:
            self.rooms.release(room)


def _init_board(doc: Doc, board_id: str, meeting_title: str) -> None:
    board = BOARDS[board_id]
    meta = doc.get("meta", type=Map)
    meta["template"] = board_id
    meta["title"] = board.title
    meta["meeting"] = meeting_title
    if board.server_only:
        state = doc.get("state", type=Map)
        state["phase"] = MeetingState().phase
        state["closed"] = False
        state["timerEndsAt"] = None
        state["participants"] = Map()
