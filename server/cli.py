"""`netwerkbord serve [--host 127.0.0.1] [--port 8000] [--data DIR] [--admin-key KEY]`"""

import argparse
import logging
from pathlib import Path

import uvicorn

from . import logredact
from .app import create_app
from .config import Config
from .wsprotocol import uvicorn_options


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="netwerkbord")
    sub = parser.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve", help="start the server")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--data", type=Path, help="folder for the SQLite database (default ./data)")
    serve.add_argument("--admin-key", help="require this key to create meetings "
                       "(or set NETWERKBORD_ADMIN_KEY)")
    args = parser.parse_args(argv)

    config = Config.from_env(data_dir=args.data, admin_key=args.admin_key)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    app = create_app(config)  # the HTTP guard included
    server = uvicorn.Server(uvicorn.Config(
        app,
        host=args.host,
        port=args.port,
        **uvicorn_options(app),  # HTTP limits and the board WebSocket (wsprotocol.py)
        access_log=False,  # URLs carry tokens: keep them out of the logs
        timeout_graceful_shutdown=10,  # then the lifespan still compacts every board
        backlog=4096,  # many devices (re)connecting at once after a restart
    ))
    # uvicorn.Config sets up its loggers; the handshake log line holds the URL with ?token=.
    logredact.install("uvicorn", "uvicorn.error", "uvicorn.access")
    server.run()


if __name__ == "__main__":
    main()
