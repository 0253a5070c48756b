"""WebSocket close codes used by the board endpoint (part of the public contract)."""

PROTOCOL_ERROR = 1002  # a malformed y-websocket message
UNSUPPORTED_DATA = 1003  # a text frame
TOO_BIG = 1009  # a frame larger than Config.max_message_bytes
INTERNAL_ERROR = 1011  # the server could not store an update; nothing was forwarded
TRY_AGAIN = 1013  # the device fell too far behind; it reconnects and resyncs
UNAUTHORIZED = 4401  # missing, invalid or revoked token
FORBIDDEN = 4403  # the role may not see this board now (e.g. the closed part)
NOT_FOUND = 4404  # unknown board id
# 45xx: "try again later". The stock y-websocket client keeps reconnecting (with backoff) on
# these, unlike 44xx, where it stops for good.
FULL = 4503  # a limit is reached: connections per meeting, boards per meeting, active meetings
IDLE = 4508  # nothing received for Config.idle_timeout_seconds
RATE_LIMITED = 4529  # too many messages per second, or too many invalid-link attempts
