"""Facilitator accounts: users with a password, and who is logged in.

A facilitator logs in with a user name and a password and then finds their meetings under
"Mijn bijeenkomsten" (server/accountpages.py), from any device. Operators make the accounts
with `netwerkbord user add` (server/cli.py); on a fresh install `netwerkbord serve` prints a
one-time link for the first one.

- Passwords are hashed with argon2id (argon2-cffi's PasswordHasher and its defaults); the
  plain password is never stored. A hash made with older parameters is renewed at the next
  login. An unknown user name costs the same work as a wrong password and gets the same
  answer.
- A login is a signed cookie (Starlette's SessionMiddleware: itsdangerous), holding the user's
  id and name, the login time and the user's `generation`. It counts only while the user
  exists, the generation still matches (a reset raises it, so every older session ends) and
  it is younger than Config.session_hours, counted from the login (not from the last use).
  The signing secret is made once and kept in the `settings` table.
- The device keys a login gives in a meeting (server/joining.py; `via` "account", labelled
  with the user name) end with a reset or the user's removal, and with logging out in the
  browser that holds them (server/accountpages.py).
- Wrong passwords are throttled per user name and per client address (server.limits
  AuthThrottle): once either allowance is spent, attempts are refused before the password is
  looked at, right or wrong.

The pure rules (names, passwords, what a session must hold) come first; `Accounts` does the
I/O.
"""

import functools
import math
import re
import secrets
import time
from collections.abc import Callable, Mapping, MutableMapping
from dataclasses import dataclass
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from starlette.concurrency import run_in_threadpool
from starlette.requests import HTTPConnection

from .config import Config
from .devices import Devices
from .limits import AuthThrottle
from .store import Meeting, Store
from .tokens import hash_token, same_secret

SESSION_COOKIE = "nb_sessie"
SECRET_SETTING = "session_secret"  # the name of the signing secret in `settings`
MIN_PASSWORD, MAX_PASSWORD = 10, 256
MIN_NAME, MAX_NAME = 2, 60
_NAME = re.compile(r"[a-z0-9][a-z0-9._@-]*")

NAME_RULE = (
    f"Kies een gebruikersnaam van {MIN_NAME} tot {MAX_NAME} tekens: letters, cijfers, "
    "punt, streepje, _ of @ (geen spaties)"
)
PASSWORD_RULE = f"Kies een wachtwoord van minstens {MIN_PASSWORD} tekens"
WRONG = "Deze gebruikersnaam en dit wachtwoord horen niet bij elkaar"
THROTTLED = "Te vaak een verkeerd wachtwoord. Wacht even en probeer het dan opnieuw"


# --- the rules (pure) -----------------------------------------------------------------------


@dataclass(frozen=True)
class User:
    id: int
    username: str


def normalize_username(text: object) -> str:
    """User names are matched without regard to case or surrounding spaces."""
    return text.strip().lower() if isinstance(text, str) else ""


def _throttle_key(username: object) -> str:
    """What the login throttle counts per name: at most one character more than a name can
    have (a 60 KB name typed in the form would otherwise be kept, up to 10,000 of them, and
    go to Redis with several nodes)."""
    return normalize_username(username)[: MAX_NAME + 1]


def username_problem(name: str) -> str | None:
    """Why a (normalized) user name cannot be used, or None."""
    if not MIN_NAME <= len(name) <= MAX_NAME or not _NAME.fullmatch(name):
        return NAME_RULE
    return None


def password_problem(password: object) -> str | None:
    """Why a new password cannot be used, or None."""
    if not isinstance(password, str) or len(password) < MIN_PASSWORD:
        return PASSWORD_RULE
    if len(password) > MAX_PASSWORD:
        return f"Kies een wachtwoord van hoogstens {MAX_PASSWORD} tekens"
    return None


def session_of(user: User, generation: int, now: float) -> dict[str, Any]:
    """What a login puts in the signed session cookie."""
    return {"uid": user.id, "name": user.username, "gen": generation, "at": now}


def session_holds(
    session: Mapping[str, Any], row: Mapping[str, Any] | None, now: float, lifetime: float
) -> bool:
    """Whether a session still belongs to the user `row` (None: no such user any more):
    same id, name and generation, made after the user was (an id can come back after a
    removal), and younger than `lifetime` seconds."""
    at = session.get("at")
    if row is None or isinstance(at, bool) or not isinstance(at, int | float):
        return False
    return (
        session.get("uid") == row["id"]
        and session.get("name") == row["username"]
        and session.get("gen") == row["generation"]
        and row["created_at"] <= at <= now
        and now - at < lifetime
    )


_SAFE_NEXT = re.compile(r"/(?![/\\])[A-Za-z0-9/_.~%?=&-]*")


def safe_next(path: object, default: str = "/mijn") -> str:
    """Where to go after logging in: a path on this server only (never another site)."""
    if isinstance(path, str) and len(path) <= 500 and _SAFE_NEXT.fullmatch(path):
        return path
    return default


# --- the accounts (I/O) ---------------------------------------------------------------------


class AccountError(ValueError):
    """An account that cannot be made or changed; the message is Dutch, for people."""


@dataclass(frozen=True)
class Listed:
    """A user as `netwerkbord user list` shows them."""

    username: str
    created_at: float
    meetings: int


class Accounts:
    """The users in the store, their passwords and sessions, and the login throttle.
    `clock` (seconds since the epoch) is the time of logins and sessions, `throttle_clock`
    (monotonic) the throttle's; tests set them."""

    def __init__(
        self,
        store: Store,
        config: Config | None = None,
        clock: Callable[[], float] = time.time,
        hasher: PasswordHasher | None = None,
    ) -> None:
        config = config or Config()
        self.store, self.clock = store, clock
        self.throttle_clock: Callable[[], float] = time.monotonic
        self.hasher = hasher or PasswordHasher()
        self.lifetime = config.session_hours * 3600
        rate = config.login_failures_per_minute
        self.by_name = AuthThrottle(config.login_name_failure_burst, rate, self._now)
        self.by_address = AuthThrottle(config.login_address_failure_burst, rate, self._now)

    def _now(self) -> float:
        return self.throttle_clock()

    # users --------------------------------------------------------------------------------

    def add(self, username: object, password: object) -> User:
        name = self.check_new(username, password)
        assert isinstance(password, str)
        return self._insert(name, self.hasher.hash(password))

    async def add_async(self, username: object, password: object) -> User:
        """add() with the hashing off the event loop."""
        name = self.check_new(username, password)
        assert isinstance(password, str)
        return self._insert(name, await run_in_threadpool(self.hasher.hash, password))

    def check_new(self, username: object, password: object) -> str:
        """The normalized user name, if an account can be made with these; else AccountError."""
        name = normalize_username(username)
        problem = username_problem(name) or password_problem(password)
        if problem:
            raise AccountError(problem)
        if self.store.find_user(name) is not None:
            raise AccountError(taken(name))
        return name

    def _insert(self, name: str, password_hash: str) -> User:
        user_id = self.store.add_user(name, password_hash, self.clock())
        if user_id is None:
            raise AccountError(taken(name))
        return User(user_id, name)

    def users(self) -> list[Listed]:
        return [Listed(r["username"], r["created_at"], r["meetings"]) for r in self.store.users()]

    def find(self, username: object) -> User | None:
        row = self.store.find_user(normalize_username(username))
        return User(row["id"], row["username"]) if row else None

    def remove(self, username: object) -> bool:
        """Remove the user (their meetings stay); their sessions end, and so do the devices
        their login gave (server/devices.py). False: no such user."""
        user = self.find(username)
        if user is None:
            return False
        self._end_devices(user)
        return self.store.remove_user(user.id)

    def reset(self, username: object, password: object) -> bool:
        """A new password; every session of the user ends, and every device their login gave
        (a lost laptop keeps nothing). False: no such user."""
        problem = password_problem(password)
        if problem:
            raise AccountError(problem)
        assert isinstance(password, str)
        user = self.find(username)
        if user is None or not self.store.set_password(user.id, self.hasher.hash(password)):
            return False
        self._end_devices(user)
        return True

    def _end_devices(self, user: User) -> None:
        """Revoke the device keys the user's logins gave. A console that is connected right now
        (the command line is another process) is let go when it connects again."""
        meeting_ids = [m.id for m in self.store.meetings_of_user(user.id)]
        Devices(self.store).remove_of_account(meeting_ids, user.username)

    # passwords ----------------------------------------------------------------------------

    def verify(self, username: object, password: object) -> User | None:
        """The user, if the password is theirs; None for a wrong password and for an unknown
        user alike (the same work is done for both)."""
        row, stored = self._lookup(username)
        if not self._matches(stored, password) or row is None:
            return None
        assert isinstance(password, str)
        if self.hasher.check_needs_rehash(stored):  # older parameters: renew the hash
            self.store.rehash_password(row["id"], stored, self.hasher.hash(password))
        return User(row["id"], row["username"])

    async def verify_async(self, username: object, password: object) -> User | None:
        """verify() with the hashing off the event loop (the database stays on it)."""
        row, stored = self._lookup(username)
        if not await run_in_threadpool(self._matches, stored, password) or row is None:
            return None
        assert isinstance(password, str)
        if self.hasher.check_needs_rehash(stored):
            renewed = await run_in_threadpool(self.hasher.hash, password)
            self.store.rehash_password(row["id"], stored, renewed)
        return User(row["id"], row["username"])

    def _lookup(self, username: object) -> tuple[dict[str, Any] | None, str]:
        row = self.store.find_user(normalize_username(username))
        return row, (row["password_hash"] if row else _dummy_hash(self.hasher))

    def _matches(self, stored: str, password: object) -> bool:
        if not isinstance(password, str) or not password or len(password) > MAX_PASSWORD:
            return False
        try:
            return bool(self.hasher.verify(stored, password))
        except (VerificationError, InvalidHashError):
            return False

    # the login throttle -------------------------------------------------------------------

    def throttled(self, username: object, address: str) -> int | None:
        """Seconds to wait when this name or this address has had too many wrong
        passwords for now, else None."""
        name, now = _throttle_key(username), self._now()
        waits = [
            throttle.bucket(key, now).wait(now)
            for throttle, key in ((self.by_name, name), (self.by_address, address))
            if throttle.blocked(key)
        ]
        return max(1, math.ceil(max(waits))) if waits else None

    def failed(self, username: object, address: str) -> None:
        self.by_name.failed(_throttle_key(username))
        self.by_address.failed(address)

    # sessions -----------------------------------------------------------------------------

    def log_in(self, session: MutableMapping[str, Any], user: User) -> None:
        row = self.store.get_user(user.id)
        assert row is not None
        session.clear()
        session.update(session_of(user, row["generation"], self.clock()))

    def user_of(self, session: Mapping[str, Any]) -> User | None:
        """The user the session belongs to, if it still counts."""
        uid = session.get("uid")
        if isinstance(uid, bool) or not isinstance(uid, int):
            return None
        row = self.store.get_user(uid)
        if not session_holds(session, row, self.clock(), self.lifetime):
            return None
        assert row is not None
        return User(row["id"], row["username"])

    # meetings -----------------------------------------------------------------------------

    def meetings(self, user: User) -> list[Meeting]:
        return self.store.meetings_of_user(user.id)


def taken(name: str) -> str:
    return f"Er is al een account met de naam {name}"


@functools.cache
def _dummy_hash(hasher: PasswordHasher) -> str:
    """A hash to check unknown user names against: as much work as a real one."""
    return hasher.hash(secrets.token_urlsafe(16))


def accounts_of(state: Any) -> Accounts:
    """The app's Accounts (in app.state), made on first use for the app's store."""
    accounts: Accounts | None = getattr(state, "accounts", None)
    if accounts is None or accounts.store is not state.store:
        accounts = state.accounts = Accounts(state.store, state.config)
    return accounts


def current_user(request: HTTPConnection) -> User | None:
    """The facilitator logged in on this request, or None. A session that no longer counts
    (expired, reset, user removed) is cleared: the answer tells the browser to drop it."""
    session = request.scope.get("session")
    if not session:
        return None
    user = accounts_of(request.app.state).user_of(session)
    if user is None:
        session.clear()
    return user


def session_secret(store: Store) -> str:
    """The key that signs session cookies: made once, kept in the `settings` table."""
    return store.setting(SECRET_SETTING, lambda: secrets.token_urlsafe(48))


# --- the first account ----------------------------------------------------------------------


def offer_first_account(state: Any) -> str:
    """A one-time token for /eerste-account/{token}; only its hash is kept, in memory: it
    works until it is used or the server stops, and only while there is no account."""
    token = secrets.token_urlsafe(32)
    state.first_account = hash_token(token)
    return token


def first_account_open(state: Any, token: str) -> bool:
    expected: str | None = getattr(state, "first_account", None)
    return (
        expected is not None
        and same_secret(hash_token(token), expected)
        and state.store.count_users() == 0
    )


def close_first_account(state: Any) -> None:
    state.first_account = None
