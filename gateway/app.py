"""Assembling the Starlette application: storage, provider, REST (and GraphQL) routes."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sys
from typing import AsyncIterator

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp

from gateway.graphql.routes import graphql_routes
from gateway.observability import InstrumentedProvider, Observability, observability_routes
from gateway.providers import build_provider
from gateway.providers.base import Provider
from gateway.rest.negotiation import JsonSuffix
from gateway.rest.responses import error_response
from gateway.rest.routes import rest_routes
from gateway.services.accounts import ensure_bootstrap_account
from gateway.services.reconcile import reconcile
from gateway.settings import Settings
from gateway.storage.database import SessionMaker, create_engine, create_sessionmaker, migrate_schema

log = logging.getLogger("gateway")


def create_app(settings: Settings | None = None) -> Starlette:
    settings = settings or Settings.from_env()

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        engine = create_engine(settings.database_url)
        sessionmaker = create_sessionmaker(engine)
        await migrate_schema(engine)
        async with sessionmaker() as session:
            token = await ensure_bootstrap_account(
                session=session, sid=settings.admin_sid, email=settings.admin_email, token=settings.admin_token
            )
        if token is not None:
            announce_bootstrap(settings, token)
        app.state.settings = settings
        app.state.engine = engine
        app.state.sessionmaker = sessionmaker
        app.state.provider = InstrumentedProvider(build_provider(settings, sessionmaker))
        reconciler = (
            asyncio.create_task(reconcile_periodically(sessionmaker, app.state.provider, settings.reconcile_interval))
            if settings.reconcile_interval > 0 else None
        )
        try:
            yield
        finally:
            if reconciler is not None:
                reconciler.cancel()
            await app.state.provider.aclose()
            await engine.dispose()

    app = Starlette(
        routes=[*observability_routes(), *rest_routes(), *graphql_routes()],
        lifespan=lifespan,
        exception_handlers={HTTPException: _http_error, Exception: _unexpected_error},
    )
    return app


def asgi(settings: Settings | None = None) -> ASGIApp:
    """The served application."""
    return serving_stack(create_app(settings))


def serving_stack(app: Starlette) -> ASGIApp:
    # JsonSuffix outermost: it rewrites the path (copying the scope) before routing, and
    # Observability must share the scope the router fills in to see the matched route.
    return JsonSuffix(Observability(app))


async def reconcile_periodically(sessionmaker: SessionMaker, provider: Provider, interval: float) -> None:
    """Settle numbers left pending by unknown carrier outcomes, every `interval` seconds.

    Every instance may run this: rows are claimed with SKIP LOCKED, so they share the work.
    """
    while True:
        await asyncio.sleep(interval)
        try:
            await reconcile(sessionmaker=sessionmaker, provider=provider)
        except Exception:  # a bad round must not stop the next one
            log.exception("reconciler round failed")


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
    log.exception("unexpected error in %s %s (request id %s)", request.method, request.url.path, request_id)
    return error_response(request, 500, None, f"unexpected error; request id {request_id}")
