"""/healthz (the process answers), /readyz (the database and the carrier answer), and
/metrics (Prometheus; the unsettled-numbers gauge read from the shared database, so
every instance reports the same truth)."""

from __future__ import annotations

import asyncio

from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from gateway.observability.metrics import record_unsettled
from gateway.services.reconcile import unsettled_counts

READINESS_TIMEOUT = 5.0


async def healthz(request: Request) -> Response:
    return JSONResponse({"status": "ok"})


async def readyz(request: Request) -> Response:
    checks: dict[str, str] = {}
    state = request.app.state
    try:
        async with asyncio.timeout(READINESS_TIMEOUT):
            await state.database.ping()
        checks["database"] = "ok"
    except Exception as failure:  # any failure means not ready; the reason is reported
        checks["database"] = f"unavailable: {type(failure).__name__}"
    try:
        async with asyncio.timeout(READINESS_TIMEOUT):
            await state.provider.countries()
        checks["carrier"] = "ok"
    except Exception as failure:
        checks["carrier"] = f"unavailable: {type(failure).__name__}"
    ready = all(v == "ok" for v in checks.values())
    return JSONResponse({"status": "ready" if ready else "not ready", "checks": checks}, 200 if ready else 503)


async def metrics(request: Request) -> Response:
    record_unsettled(await unsettled_counts(db=request.app.state.database))
    return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)


def observability_routes() -> list[Route]:
    return [
        Route("/healthz", healthz, methods=["GET"]),
        Route("/readyz", readyz, methods=["GET"]),
        Route("/metrics", metrics, methods=["GET"]),
    ]
