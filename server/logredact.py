"""Keep link tokens out of the logs: uvicorn logs every WebSocket handshake with its full path
and query string, and our tokens travel in `?token=` (and in /j/{token} and /p/{link} links)."""

import logging
import re

_SECRET = re.compile(r"(token=|/j/|/p/)[^&\s\"'/?#]+")


def redact(text: str) -> str:
    return _SECRET.sub(r"\1***", text)


class RedactTokens(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        clean = redact(message)
        if clean != message:
            record.msg, record.args = clean, None
        return True


def install(*logger_names: str) -> None:
    """Add the filter to the named loggers and to every handler of the root and those loggers,
    so records that propagate from child loggers are covered too."""
    f = RedactTokens()
    for name in ("", *logger_names):
        logger = logging.getLogger(name)
        logger.addFilter(f)
        for handler in logger.handlers:
            handler.addFilter(f)
