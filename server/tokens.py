"""Meeting ids and role tokens: random, unguessable, stored only as SHA-256 hashes.

A token carries 192 random bits, so a plain (unsalted) hash is safe to store and to look up by:
there is nothing to brute-force. Lookups go by hash, so no secret is ever compared byte by byte.
"""

import hashlib
import hmac
import secrets


def new_meeting_id() -> str:
    return secrets.token_hex(16)  # 128 bits


def new_token() -> str:
    return secrets.token_urlsafe(24)  # 192 bits


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def same_secret(given: str, expected: str) -> bool:
    return hmac.compare_digest(given.encode(), expected.encode())


def bearer(authorization: str | None) -> str | None:
    """The token from an `Authorization: Bearer <token>` header, if any."""
    if not authorization:
        return None
    scheme, _, value = authorization.partition(" ")
    if scheme.lower() != "bearer" or not value.strip():
        return None
    return value.strip()
