"""The `gateway` command: serve, migrate, export-schema, accounts, applications."""

from __future__ import annotations

import argparse
import asyncio
import sys
from typing import Awaitable, Callable, Sequence

from gateway.assembly import build_trusted_documents
from gateway.settings import Settings, SettingsError
from gateway.storage.database import Database, migrate_schema
from gateway.storage.migrate import SchemaTooNew


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="gateway", description="The numbers gateway")
    commands = parser.add_subparsers(dest="command", required=True)

    serve = commands.add_parser("serve", help="run the HTTP server (migrates the database first)")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--workers", type=int, default=1)

    commands.add_parser("migrate", help="bring the database to this version's schema")

    reconcile = commands.add_parser(
        "reconcile",
        help="settle numbers whose purchase or release the carrier left unconfirmed, and compare what the "
             "carrier bills with what the gateway holds; exits 1 while anything is left",
    )
    reconcile.add_argument(
        "--grace", type=float, default=None, metavar="SECONDS",
        help="also ask about numbers whose request may still be waiting for the carrier, once their last change "
             "is this old (nothing is removed before the carrier's late window has passed)",
    )

    export = commands.add_parser("export-schema", help="write the GraphQL schema (SDL) to a file")
    export.add_argument("--output", default="schema.graphql", help="where to write it (default: ./schema.graphql; - for stdout)")

    accounts = commands.add_parser("accounts", help="manage accounts").add_subparsers(dest="action", required=True)
    create = accounts.add_parser("create", help="create an account; prints its sid and token")
    create.add_argument("--email", required=True)
    create.add_argument("--parent", help="parent account sid; without it, a new organization")
    create.add_argument("--friendly-name")
    create.add_argument("--role", default=None)
    create.add_argument("--token", help="auth token to use instead of a random one")
    change = accounts.add_parser(
        "update", help="change an account's status or name; closing releases its numbers and those of its "
                       "descendants, and prints what was released and what is left",
    )
    change.add_argument("sid")
    change.add_argument("--status", help="active, suspended or closed (final)")
    change.add_argument("--friendly-name")
    rotate = accounts.add_parser("rotate-token", help="give an account a fresh random auth token; prints it once")
    rotate.add_argument("sid")

    applications = commands.add_parser("applications", help="manage applications").add_subparsers(
        dest="action", required=True
    )
    app_create = applications.add_parser("create", help="create an application; prints its sid")
    app_create.add_argument("--account", required=True)
    app_create.add_argument("--friendly-name", required=True)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command == "export-schema":  # needs no configuration or database
        return _export_schema(args.output)
    try:
        settings = Settings.from_env()
        if args.command == "serve":
            # Migrate once here, not in each worker, and fail with a message, not a trace.
            build_trusted_documents(settings)
            asyncio.run(_migrate(settings))
            return _serve(settings, args.host, args.port, args.workers)
        if args.command == "migrate":
            asyncio.run(_migrate(settings))
            print("the database is at the current schema")
            return 0
        if args.command == "reconcile":
            return asyncio.run(_reconcile(settings, args.grace))
        if args.command == "accounts":
            action = {"create": _create_account, "update": _update_account, "rotate-token": _rotate_token}
            return asyncio.run(action[args.action](settings, args))
        return asyncio.run(_create_application(settings, args))
    except (SettingsError, SchemaTooNew, ValueError) as error:
        print(f"gateway: {error}", file=sys.stderr)
        return 2


def _serve(settings: Settings, host: str, port: int, workers: int) -> int:
    import uvicorn

    # Our own JSON access line (gateway.access) replaces uvicorn's; the config is a dict
    # so that every worker process applies it too.
    logging_config = {**uvicorn.config.LOGGING_CONFIG}
    logging_config["loggers"] = {
        **logging_config["loggers"],
        "gateway": {"handlers": ["default"], "level": "INFO", "propagate": False},
    }
    if workers > 1:
        # Workers import the app by name, each reading the same environment.
        uvicorn.run("gateway.app:asgi", factory=True, workers=workers, host=host, port=port,
                    log_config=logging_config, access_log=False)
    else:
        from gateway.app import asgi

        uvicorn.run(asgi(settings), host=host, port=port, log_config=logging_config, access_log=False)
    return 0


def _export_schema(output: str) -> int:
    from pathlib import Path

    from gateway.graphql.schema import sdl

    if output == "-":
        sys.stdout.write(sdl())
        return 0
    Path(output).write_text(sdl(), encoding="utf-8")
    print(f"wrote the GraphQL schema to {output}")
    return 0


async def _migrate(settings: Settings) -> None:
    from gateway.assembly import build_database

    database = build_database(settings)
    try:
        await migrate_schema(database.engine)
    finally:
        await database.dispose()


async def _reconcile(settings: Settings, grace: float | None) -> int:
    from datetime import timedelta

    from gateway.assembly import build_provider
    from gateway.services.events import prune_events
    from gateway.services.reconcile import reconcile

    async def run(database: Database) -> int:
        provider = build_provider(settings, database)
        try:
            report = await reconcile(
                db=database, provider=provider, late_window=timedelta(seconds=settings.carrier_late_window),
                grace=timedelta(seconds=grace) if grace is not None else None, sweep=True,
            )
        finally:
            await provider.aclose()
        await prune_events(database)  # what the server's periodic task does alongside
        print(f"settled {report.settled}: activated {len(report.activated)}, removed {len(report.removed)}, "
              f"released {len(report.released)}; left {len(report.left)}")
        for phone_number in report.activated:
            print(f"  activated: {phone_number} (the carrier sold it)")
        for phone_number in report.removed:
            print(f"  removed: {phone_number} (the carrier did not sell it)")
        for phone_number in report.released:
            print(f"  released: {phone_number}")
        for left in report.left:
            print(f"  left: {left.phone_number} ({left.status}): {left.reason}")
        if report.sweep is None:
            print("carrier sweep: the carrier cannot list the numbers it bills; nothing compared")
        else:
            print(f"carrier sweep: {len(report.sweep.unknown_here)} billed by the carrier but unknown here, "
                  f"{len(report.sweep.not_billed)} active here but not billed by the carrier")
            for phone_number in report.sweep.unknown_here:
                print(f"  billed but unknown here: {phone_number} (nothing was released; an operator decides)")
            for phone_number in report.sweep.not_billed:
                print(f"  active here but not billed: {phone_number}")
        return 0 if report.clean else 1

    return await _with_database(settings, run)


def _option(name: str) -> str:
    """How the CLI names a service-level input in a message: `--friendly-name`."""
    from gateway.domain.fields import field

    return field(name).option


async def _create_account(settings: Settings, args: argparse.Namespace) -> int:
    from gateway.domain.errors import ServiceError
    from gateway.services.accounts import create_account, ensure_bootstrap_account, find_account

    async def run(database: Database) -> int:
        await ensure_bootstrap_account(
            db=database, sid=settings.admin_sid, email=settings.admin_email, token=settings.admin_token
        )
        parent = await find_account(db=database, sid=args.parent) if args.parent else None
        if args.parent and parent is None:
            print(f"gateway: no account {args.parent}", file=sys.stderr)
            return 1
        try:
            created = await create_account(
                db=database, email=args.email, parent=parent, friendly_name=args.friendly_name,
                role=args.role or ("Administrator" if parent is None else None), token=args.token,
            )
        except ServiceError as error:
            print(f"gateway: {error.message_for(_option)}", file=sys.stderr)
            return 1
        print(created.account.sid)
        print(created.auth_token)
        return 0

    return await _with_database(settings, run)


async def _update_account(settings: Settings, args: argparse.Namespace) -> int:
    from gateway.assembly import build_provider
    from gateway.domain.accounts import AccountChanges
    from gateway.domain.errors import ServiceError
    from gateway.services.account_changes import operator_update_account

    async def run(database: Database) -> int:
        provider = build_provider(settings, database)
        try:
            updated = await operator_update_account(
                db=database, provider=provider, account_sid=args.sid, protected=frozenset({settings.admin_sid}),
                changes=AccountChanges(friendly_name=args.friendly_name, status=args.status),
            )
        except ServiceError as error:
            print(f"gateway: {error.message_for(_option)}", file=sys.stderr)
            return 1
        finally:
            await provider.aclose()
        account = updated.account
        print(f"{account.sid}: {account.status}, {account.friendly_name!r}")
        if updated.closing is None:
            return 0
        closing = updated.closing
        print(f"numbers released: {len(closing.released)}; left: {len(closing.left)}")
        for phone_number in closing.released:
            print(f"  released: {phone_number}")
        for phone_number in closing.left:
            print(f"  left: {phone_number} (still being released: `gateway reconcile` finishes it)")
        return 0 if not closing.left else 1

    return await _with_database(settings, run)


async def _rotate_token(settings: Settings, args: argparse.Namespace) -> int:
    from gateway.domain.errors import ServiceError
    from gateway.services.account_changes import rotate_auth_token

    async def run(database: Database) -> int:
        try:
            rotated = await rotate_auth_token(db=database, caller=None, account_sid=args.sid)
        except ServiceError as error:
            print(f"gateway: {error.message_for(_option)}", file=sys.stderr)
            return 1
        print(rotated.auth_token)
        return 0

    return await _with_database(settings, run)


async def _create_application(settings: Settings, args: argparse.Namespace) -> int:
    from gateway.domain.errors import ServiceError
    from gateway.services.accounts import find_account
    from gateway.services.applications import create_application

    async def run(database: Database) -> int:
        account = await find_account(db=database, sid=args.account)
        if account is None:
            print(f"gateway: no account {args.account}", file=sys.stderr)
            return 1
        try:
            application = await create_application(
                db=database, caller=account, account_sid=account.sid, friendly_name=args.friendly_name
            )
        except ServiceError as error:
            print(f"gateway: {error.message_for(_option)}", file=sys.stderr)
            return 1
        print(application.sid)
        return 0

    return await _with_database(settings, run)


async def _with_database(settings: Settings, run: Callable[[Database], Awaitable[int]]) -> int:
    from gateway.assembly import build_database

    database = build_database(settings)
    try:
        await migrate_schema(database.engine)
        return int(await run(database))
    finally:
        await database.dispose()


if __name__ == "__main__":
    sys.exit(main())
