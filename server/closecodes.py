"""WebSocket close codes used by the board endpoint (part of the public contract)."""

PROTOCOL_ERROR = 1002  # a malformed y-websocket message
UNSUPPORTED_DATA = 1003  # a text frame
TOO_BIG = 1009  # a frame larger than Config.max_message_bytes
INTERNAL_ERROR = 1011  # the server could not store an update; nothing was forwarded
TRY_AGAIN = 1013  # fell too far behind, or its node lost Redis: it reconnects and resyncs
UNAUTHORIZED = 4401  # missing, invalid or revoked token
FORBIDDEN = 4403  # the role may not see this board now (e.g. the closed part)
NOT_FOUND = 4404  # unknown board id
# An update was refused whole (nothing of it stored or forwarded). The device's own copy of
# the board holds a change the server did not keep: it drops that copy and loads the board
# again (the stock client stops reconnecting on 44xx, which is right: it would resend it).
QUOTA_EXCEEDED = 4413  # the board or the meeting would pass its size quota
UPDATE_REFUSED = 4422  # the update breaks the board's rules: shape, sizes, rights, client id
# 45xx: "try again later". The stock y-websocket client keeps reconnecting (with backoff) on
# these, unlike 44xx, where it stops for good.
FULL = 4503  # a limit is reached: connections per meeting, boards per meeting, active meetings
IDLE = 4508  # nothing received for Config.idle_timeout_seconds
RATE_LIMITED = 4529  # too many messages per second, or too many invalid-link attempts

# Name -> code, for the browser's config: screens compare with these names, never with numbers.
BY_NAME: dict[str, int] = {
    name: code for name, code in dict(globals()).items() if name.isupper() and isinstance(code, int)
}
