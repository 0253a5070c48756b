"""`netwerkbord serve [--host 127.0.0.1] [--port 8000] [--data DIR] [--admin-key KEY]`"""

import argparse
import logging
import sys
from pathlib import Path

import uvicorn

from . import logredact
from .app import create_app
from .config import Config, ConfigError
from .wsprotocol import uvicorn_options


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="netwerkbord")
    sub = parser.add_subparsers(dest="command", required=True)
    serve = sub.add_parser(
        "serve",
        help="start the server",
        epilog=(
            "Every setting in server/config.py can also be set in the environment as "
            "NETWERKBORD_<NAME> (the data folder: NETWERKBORD_DATA)."
        ),
    )
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--data", type=Path, help="folder for the SQLite database (default ./data)")
    serve.add_argument(
        "--admin-key", help="require this key to create meetings (or set NETWERKBORD_ADMIN_KEY)"
    )
    args = parser.parse_args(argv)

    try:
        config = Config.from_env(data_dir=args.data, admin_key=args.admin_key)
    except ConfigError as e:
        sys.exit(f"netwerkbord: {e}")  # to stderr, exit status 1, no traceback
    missing = missing_bundle(config)
    if missing:
        sys.exit(f"netwerkbord: {missing}")
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    app = create_app(config)  # the HTTP guard included
    server = uvicorn.Server(
        uvicorn.Config(
            app,
            host=args.host,
            port=args.port,
            **uvicorn_options(app),  # HTTP limits and the board WebSocket (wsprotocol.py)
            access_log=False,  # URLs carry tokens: keep them out of the logs
            timeout_graceful_shutdown=10,  # then the lifespan still compacts every board
            backlog=4096,  # many devices (re)connecting at once after a restart
        )
    )
    # uvicorn.Config sets up its loggers; the handshake log line holds the URL with ?token=.
    logredact.install("uvicorn", "uvicorn.error", "uvicorn.access")
    server.run()


def missing_bundle(config: Config) -> str | None:
    """Why the browser bundle cannot be served, or None when it is there."""
    bundle = config.static_dir / "build" / "app.js"
    if bundle.is_file():
        return None
    return (
        f"the browser bundle {bundle} is missing: run `bash scripts/setup.sh` first "
        "(it builds server/static/build/app.js from server/static/js with esbuild)"
    )


if __name__ == "__main__":
    main()
