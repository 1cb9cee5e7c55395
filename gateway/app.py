"""Assembling the Starlette application: storage, provider, REST and GraphQL routes."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sys
import time
from datetime import timedelta
from typing import AsyncIterator

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware.gzip import GZipMiddleware
from starlette.requests import ClientDisconnect, Request
from starlette.responses import Response
from starlette.types import ASGIApp

from gateway.assembly import build_database, build_provider, build_trusted_documents
from gateway.graphql.routes import graphql_routes
from gateway.observability.health import observability_routes
from gateway.observability.metrics import record_reconciliation
from gateway.observability.middleware import Observability
from gateway.providers.base import Provider
from gateway.rest.negotiation import JsonSuffix
from gateway.rest.responses import error_response
from gateway.rest.routes import rest_routes
from gateway.services.accounts import ensure_bootstrap_account
from gateway.services.events import EventHub, prune_events
from gateway.services.login import SignIn, Throttle
from gateway.services.persisted_documents import PersistedQueries
from gateway.services.reconcile import reconcile
from gateway.settings import Settings
from gateway.storage.database import Database, migrate_schema
from gateway.web.body import BodyLimit
from gateway.web.cors import Cors

log = logging.getLogger("gateway")

#: responses shorter than this (bytes) are sent as they are: compressing them saves too little
GZIP_MINIMUM = 1000

#: seconds between comparisons of what the carrier bills with what the gateway holds
SWEEP_INTERVAL = 900.0


def create_app(settings: Settings | None = None) -> Starlette:
    settings = settings or Settings.from_env()

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        database = build_database(settings)
        await migrate_schema(database.engine)
        token = await ensure_bootstrap_account(
            db=database, sid=settings.admin_sid, email=settings.admin_email, token=settings.admin_token
        )
        if token is not None:
            announce_bootstrap(settings, token)
        app.state.settings = settings
        app.state.database = database
        app.state.provider = build_provider(settings, database)
        app.state.sign_in = SignIn(throttle=Throttle(
            limit=settings.auth_failure_limit, window=timedelta(seconds=settings.auth_failure_window)
        ))
        app.state.events = EventHub(database)
        reconciler = (
            asyncio.create_task(reconcile_periodically(database, app.state.provider, settings))
            if settings.reconcile_interval > 0 else None
        )
        try:
            yield
        finally:
            if reconciler is not None:
                reconciler.cancel()
            await app.state.events.aclose()
            await app.state.provider.aclose()
            await database.dispose()

    app = Starlette(
        routes=[*observability_routes(), *rest_routes(), *graphql_routes()],
        lifespan=lifespan,
        exception_handlers={HTTPException: _http_error, Exception: _unexpected_error},
    )
    app.state.settings = settings
    # Read before serving: an unusable manifest stops the start, naming the variable.
    app.state.trusted_documents = build_trusted_documents(settings)
    app.state.persisted_queries = PersistedQueries()
    return app


def asgi(settings: Settings | None = None) -> ASGIApp:
    """The served application."""
    return serving_stack(create_app(settings))


def serving_stack(app: Starlette) -> ASGIApp:
    # JsonSuffix outermost: it rewrites the path (copying the scope) before routing, and
    # Observability must share the scope the router fills in to see the matched route.
    # Cors answers preflights before anything reads a body or credentials; GZip sits
    # inside it so compressed responses still get their CORS headers.
    origins: frozenset[str] = app.state.settings.cors_origins
    return JsonSuffix(Observability(Cors(GZipMiddleware(BodyLimit(app), minimum_size=GZIP_MINIMUM, compresslevel=6),
                                         origins)))


async def reconcile_periodically(database: Database, provider: Provider, settings: Settings) -> None:
    """Settle numbers left unsettled by unknown carrier outcomes, every reconcile interval,
    and compare what the carrier bills with what we hold every `SWEEP_INTERVAL`.

    Every instance may run this: rows are leased before the carrier is asked, so the
    instances share the work.
    """
    next_sweep = time.monotonic() + SWEEP_INTERVAL
    while True:
        await asyncio.sleep(settings.reconcile_interval)
        sweep = time.monotonic() >= next_sweep
        try:
            report = await reconcile(
                db=database, provider=provider, late_window=timedelta(seconds=settings.carrier_late_window),
                sweep=sweep,
            )
            record_reconciliation(report)
            await prune_events(database)
        except Exception:  # a bad round must not stop the next one
            log.exception("reconciler round failed")
        if sweep:
            next_sweep = time.monotonic() + SWEEP_INTERVAL


def announce_bootstrap(settings: Settings, token: str) -> None:
    # Printed once, at the first start: only the token's hash is stored.
    print(
        f"Created the bootstrap account {settings.admin_sid} ({settings.admin_email}).\n"
        f"Its auth token, shown only now: {token}",
        file=sys.stderr,
        flush=True,
    )


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    code = 20404 if exc.status_code == 404 else None
    message = {404: "the requested resource was not found", 405: f"{request.method} is not allowed here"}.get(
        exc.status_code, str(exc.detail)
    )
    return error_response(request, exc.status_code, code, message, dict(exc.headers or {}))


async def _unexpected_error(request: Request, exc: Exception) -> Response:
    request_id = request.scope.get("state", {}).get("request_id", "-")
    if not isinstance(exc, ClientDisconnect):  # a client that left is no error of ours
        log.exception("unexpected error in %s %s (request id %s)", request.method, request.url.path, request_id)
    return error_response(request, 500, None, f"unexpected error; request id {request_id}")
