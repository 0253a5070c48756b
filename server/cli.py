"""`netwerkbord serve [--host 127.0.0.1] [--port 8000] [--data DIR] [--admin-key KEY]`, and
`netwerkbord user add|list|remove|reset [NAME] [--data DIR]` for the facilitators' accounts."""

import argparse
import getpass
import logging
import sys
import time
from pathlib import Path

import psycopg
import redis
import uvicorn
from starlette.applications import Starlette

from . import logredact
from .accounts import AccountError, Accounts, offer_first_account, password_problem
from .app import create_app, open_store
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
        "--database",
        help="postgresql://... instead of SQLite: one of several nodes (NETWERKBORD_DATABASE_URL)",
    )
    serve.add_argument(
        "--redis",
        help="redis://...: fan-out between the nodes (NETWERKBORD_REDIS_URL; needs --database)",
    )
    serve.add_argument(
        "--admin-key", help="require this key to create meetings (or set NETWERKBORD_ADMIN_KEY)"
    )
    serve.add_argument(
        "--https-only",
        action="store_const",
        const=True,
        help="served over https (behind a proxy): cookies get Secure (NETWERKBORD_HTTPS_ONLY)",
    )
    serve.add_argument(
        "--session-hours",
        type=float,
        help="a facilitator's login lasts this long (default 12; NETWERKBORD_SESSION_HOURS)",
    )
    _user_parser(sub)
    args = parser.parse_args(argv)
    if args.command == "user":
        sys.exit(user_command(args))

    try:
        config = Config.from_env(
            data_dir=args.data,
            admin_key=args.admin_key,
            https_only=args.https_only,
            session_hours=args.session_hours,
            database_url=args.database,
            redis_url=args.redis,
        )
        if config.redis_url and not config.database_url:
            raise ConfigError(
                "NETWERKBORD_REDIS_URL (--redis) needs NETWERKBORD_DATABASE_URL (--database): "
                "nodes share their boards through PostgreSQL"
            )
    except ConfigError as e:
        sys.exit(f"netwerkbord: {e}")  # to stderr, exit status 1, no traceback
    missing = missing_bundle(config) or unreachable(config)
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
    announce_first_account(app, config, args.host, args.port)
    server.run()


def announce_first_account(app: Starlette, config: Config, host: str, port: int) -> str | None:
    """On an install without any account: a one-time link to make the first one, printed on
    standard output (the log says it is there). It works until it is used, until an account
    is made otherwise, or until the server stops."""
    store = open_store(config)
    try:
        if store.count_users():
            return None
    finally:
        store.close()
    token = offer_first_account(app.state)
    shown = "127.0.0.1" if host in ("", "0.0.0.0", "::") else host
    link = f"http://{'[' + shown + ']' if ':' in shown else shown}:{port}/eerste-account/{token}"
    print(
        "netwerkbord: no facilitator account yet. Make the first one, once, at:\n"
        f"  {link}\n"
        "(from another device: this computer's address instead of the host in the link; or "
        "use `netwerkbord user add NAME`)",
        flush=True,
    )
    # The log gets the fact, not the link: tokens stay out of logs (docs/operations.md, Logs).
    logging.getLogger("netwerkbord.accounts").info(
        "no facilitator account yet: the one-time link for the first one is on standard output"
    )
    return link


def _user_parser(sub: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    user = sub.add_parser("user", help="the facilitators' accounts")
    actions = user.add_subparsers(dest="action", required=True)
    for action, text in (
        ("add", "make an account (the password is asked for)"),
        ("list", "list the accounts"),
        ("remove", "remove an account; its meetings stay, its sessions end"),
        ("reset", "give an account a new password; its sessions end"),
    ):
        p = actions.add_parser(action, help=text)
        if action != "list":
            p.add_argument("name")
        if action in ("add", "reset"):
            p.add_argument(
                "--password-stdin",
                action="store_true",
                help="read the password from the first line of standard input (for scripts)",
            )
        p.add_argument("--data", type=Path, help="folder for the SQLite database (default ./data)")
        p.add_argument("--database", help="postgresql://... (NETWERKBORD_DATABASE_URL)")


def user_command(args: argparse.Namespace) -> str | None:
    """Run `netwerkbord user …`; None on success, else the message to exit with."""
    try:
        config = Config.from_env(data_dir=args.data, database_url=args.database)
    except ConfigError as e:
        return f"netwerkbord: {e}"
    store = open_store(config)
    try:
        accounts = Accounts(store, config)
        if args.action == "list":
            for listed in accounts.users():
                made = time.strftime("%Y-%m-%d", time.localtime(listed.created_at))
                print(f"{listed.username}\tmade {made}\t{listed.meetings} meeting(s)")
            return None
        if args.action == "remove":
            if not accounts.remove(args.name):
                return f"netwerkbord: no account named {args.name!r}"
            print(f"removed {args.name.strip().lower()}; their sessions have ended")
            return None
        if args.action == "reset" and accounts.find(args.name) is None:
            return f"netwerkbord: no account named {args.name!r}"
        if args.action == "add":
            accounts.check_new(args.name, "x" * 10)  # the name first, before the password
        password = _read_password(args.password_stdin)
        if args.action == "add":
            user = accounts.add(args.name, password)
            print(f"added {user.username}")
        else:
            accounts.reset(args.name, password)
            print(f"new password for {args.name.strip().lower()}; their sessions have ended")
        return None
    except AccountError as e:
        return f"netwerkbord: {e}"
    finally:
        store.close()


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    password = getpass.getpass("Password (at least 10 characters): ")
    problem = password_problem(password)
    if problem:
        raise AccountError(problem)
    if getpass.getpass("The same password again: ") != password:
        raise AccountError("De twee wachtwoorden zijn niet hetzelfde")
    return password


def missing_bundle(config: Config) -> str | None:
    """Why the browser bundle cannot be served, or None when it is there."""
    bundle = config.static_dir / "build" / "app.js"
    if bundle.is_file():
        return None
    return (
        f"the browser bundle {bundle} is missing: run `bash scripts/setup.sh` first "
        "(it builds server/static/build/app.js from server/static/js with esbuild)"
    )


def unreachable(config: Config) -> str | None:
    """Why the configured PostgreSQL or Redis cannot be used, or None (checked once at
    start: a clear message instead of a failed startup's traceback). No password shown."""
    if config.database_url:
        try:
            psycopg.connect(config.database_url, connect_timeout=5).close()
        except psycopg.Error as e:
            return f"cannot reach the database (NETWERKBORD_DATABASE_URL): {_first_line(e)}"
    if config.redis_url:
        try:
            redis.Redis.from_url(config.redis_url, socket_timeout=5).ping()
        except (redis.RedisError, OSError, ValueError) as e:
            return f"cannot reach Redis (NETWERKBORD_REDIS_URL): {_first_line(e)}"
    return None


def _first_line(error: Exception) -> str:
    return (str(error).strip().splitlines() or [type(error).__name__])[0]


if __name__ == "__main__":
    main()
