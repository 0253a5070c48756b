"""Devices: every browser that takes part holds a key of its own, in a cookie.

A role link (sent privately, by WhatsApp or e-mail) or the facilitator's admission gives a
device its key; from then on everything the device does is done with that key, and the link
is not needed again (docs/architecture.md, "Access"). The server keeps only the key's SHA-256
hash (keys carry 192 random bits, as role links do: server/tokens.py), the role, the device id
it chose itself, and a label for the console. Removing a device revokes its key at once and
for good; nobody else is touched. The device id is the server's: a browser cannot claim
another device's id, in presence or anywhere else.

The cookie is HttpOnly (no script reads it), SameSite=Lax (a link opened from WhatsApp is a
cross-site navigation: a Strict cookie would not come along on the way in), Secure over
https, and scoped per meeting (`nb_<meeting id>`), so one browser can take part in several
meetings. Requests authenticated by the cookie that change something must come from our own
pages (`same_origin`): a cookie rides along on requests other sites make, a bearer token
does not.
"""

import secrets
import time
import unicodedata
from dataclasses import dataclass
from typing import Any

from board.roles import Role, parse_role

from .store import Store
from .tokens import hash_token, new_token

ACTIVE, WAITING, REFUSED, REMOVED = "actief", "wacht", "geweigerd", "verwijderd"
WAIT_SECONDS = 15 * 60  # a request to join that nobody answered is forgotten after this
MAX_WAITING = 30  # open requests per meeting: the console's list stays readable
MAX_WAITING_PER_ADDRESS = 5
MAX_LABEL = 60
# Devices a role link can let in per meeting (each is a stored row): far above a meeting's
# people, each with a phone and a tablet; beyond it a link says the meeting is full.
MAX_DEVICES = 200
COOKIE_PREFIX = "nb_"
COOKIE_MAX_AGE = 400 * 86400  # browsers cap cookies at 400 days; the meeting ends sooner
ACCOUNT = "account"  # `via` of a device a facilitator's login gave (label: the user name)


@dataclass(frozen=True)
class Device:
    id: str
    meeting_id: str
    role: Role | None  # None while waiting to be let in
    status: str
    label: str
    via: str


def cookie_name(meeting_id: str) -> str:
    return COOKIE_PREFIX + meeting_id


def new_device_id() -> str:
    return "d" + secrets.token_hex(8)


def clean_label(text: object) -> str:
    """A name as the console shows it: line breaks and tabs become spaces; control, format
    (zero-width, text direction) and unassigned characters go, so that a name cannot hide,
    reverse or break the lines around it. "" when nothing readable is left."""
    if not isinstance(text, str):
        return ""
    kept = (
        " " if ch.isspace() else ch
        for ch in text
        if ch.isspace() or unicodedata.category(ch) not in ("Cc", "Cf", "Cs", "Co", "Cn")
    )
    return " ".join("".join(kept).split())


class Devices:
    def __init__(self, store: Store) -> None:
        self.store = store

    def issue(
        self,
        meeting_id: str,
        role: Role | None,
        via: str,
        label: str,
        address: str = "",
    ) -> tuple[Device, str]:
        """A new device with its key: active in `role`, or waiting to be let in (None)."""
        key = new_token()
        device = Device(
            new_device_id(),
            meeting_id,
            role,
            ACTIVE if role else WAITING,
            label[:MAX_LABEL],
            via,
        )
        self.store.add_device(
            {
                "id": device.id,
                "meeting_id": meeting_id,
                "role": role.value if role else "",
                "key_hash": hash_token(key),
                "label": device.label,
                "via": via,
                "status": device.status,
                "created_at": time.time(),
                "revoked_at": None,
                "address": address,
            }
        )
        return device, key

    def by_key(self, key: str | None, meeting_id: str | None = None) -> Device | None:
        """The device holding `key`, whatever its status (the caller decides what it may)."""
        if not key or len(key) > 200:
            return None
        row = self.store.find_device(hash_token(key))
        if row is None or (meeting_id is not None and row["meeting_id"] != meeting_id):
            return None
        if row["status"] == WAITING and row["created_at"] < time.time() - WAIT_SECONDS:
            return _device(row | {"status": REFUSED})  # nobody answered: it has to ask again
        return _device(row)

    def get(self, meeting_id: str, device_id: str) -> Device | None:
        row = self.store.get_device(meeting_id, device_id)
        return _device(row) if row else None

    def waiting(self, meeting_id: str) -> list[Device]:
        since = time.time() - WAIT_SECONDS
        return [
            _device(r)
            for r in self.store.meeting_devices(meeting_id, WAITING)
            if r["created_at"] >= since
        ]

    def waiting_count(self, meeting_id: str, address: str) -> tuple[int, int]:
        """Open requests to join: in the meeting, and from this address."""
        since = time.time() - WAIT_SECONDS
        rows = [
            r for r in self.store.meeting_devices(meeting_id, WAITING) if r["created_at"] >= since
        ]
        return len(rows), sum(1 for r in rows if r["address"] == address)

    def active(self, meeting_id: str) -> list[Device]:
        return [_device(r) for r in self.store.meeting_devices(meeting_id, ACTIVE)]

    def _still_waiting(self, meeting_id: str, device_id: str) -> bool:
        """Waiting, and not yet forgotten: a request the console no longer lists, and whose
        phone was told it was not let in, cannot be let in any more."""
        row = self.store.get_device(meeting_id, device_id)
        return (
            row is not None
            and row["status"] == WAITING
            and row["created_at"] >= time.time() - WAIT_SECONDS
        )

    def admit(self, meeting_id: str, device_id: str, role: Role) -> bool:
        if not self._still_waiting(meeting_id, device_id):
            return False
        return self.store.set_device(meeting_id, device_id, status=ACTIVE, role=role.value)

    def refuse(self, meeting_id: str, device_id: str) -> bool:
        if not self._still_waiting(meeting_id, device_id):
            return False
        return self.store.set_device(meeting_id, device_id, status=REFUSED, revoked_at=time.time())

    def remove(self, meeting_id: str, device_id: str) -> bool:
        return self.store.set_device(meeting_id, device_id, status=REMOVED, revoked_at=time.time())

    def remove_of_account(self, meeting_ids: list[str], username: str) -> list[tuple[str, str]]:
        """Revoke the devices a user's login gave, in these meetings (a password reset, the
        account removed); returns (meeting, device) of each."""
        removed = []
        for meeting_id in meeting_ids:
            for row in self.store.meeting_devices(meeting_id, ACTIVE):
                if row["via"] == ACCOUNT and row["label"] == username:
                    self.remove(meeting_id, row["id"])
                    removed.append((meeting_id, row["id"]))
        return removed


def _device(row: dict[str, Any]) -> Device:
    return Device(
        row["id"],
        row["meeting_id"],
        parse_role(row["role"]) if row["role"] else None,
        row["status"],
        row["label"] or "",
        row["via"] or "",
    )


def same_origin(headers: Any, host: str | None = None, https: bool = False) -> bool:
    """Whether a request comes from our own pages.

    Its Origin names this host; or, where the browser says "null" (our pages' Referrer-Policy
    is no-referrer, and then browsers send `Origin: null` with a form or a fetch that changes
    something), its Sec-Fetch-Site says same-origin. WebSocket handshakes always carry the
    real Origin. A client that sends neither header is no browser, and holds no cookie of
    ours unless it was given one. `https`: we are served over https, so a page of this host
    over plain http is not ours (someone on the same Wi-Fi can make one up).
    """
    origin = headers.get("origin")
    fetch_site = headers.get("sec-fetch-site")
    if origin is None or origin == "null":
        if fetch_site is not None:
            return fetch_site in ("same-origin", "none")
        return origin is None
    scheme, _, named = origin.partition("://")
    if https and scheme != "https":
        return False
    host = host or headers.get("host", "")
    return named == host
