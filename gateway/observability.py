"""Health, readiness, Prometheus metrics, request ids and one log line per request."""

from __future__ import annotations

import asyncio
import json
import logging
import re
import time
import uuid
from typing import TYPE_CHECKING, Any, Mapping

from prometheus_client import CONTENT_TYPE_LATEST, Counter, Gauge, Histogram, generate_latest
from sqlalchemy import func, text
from sqlmodel import col, select
from starlette.requests import ClientDisconnect, Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from gateway.domain.numbers import UNSETTLED as UNSETTLED_STATUSES
from gateway.providers.base import NumberUnavailableError, Provider, ProviderUnavailableError
from gateway.storage.tables import IncomingPhoneNumber

if TYPE_CHECKING:
    from gateway.services.reconcile import ReconcileReport

access_log = logging.getLogger("gateway.access")
log = logging.getLogger("gateway")

HTTP_REQUESTS = Counter("gateway_http_requests_total", "HTTP requests", ["route", "method", "status"])
HTTP_LATENCY = Histogram(
    "gateway_http_request_duration_seconds", "HTTP request latency", ["route"],
    buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)
GRAPHQL_OPERATIONS = Counter(
    "gateway_graphql_operations_total", "GraphQL operations", ["operation", "type", "outcome"]
)
CARRIER_CALLS = Counter("gateway_carrier_calls_total", "Carrier calls", ["provider", "call", "outcome"])
CARRIER_LATENCY = Histogram("gateway_carrier_call_duration_seconds", "Carrier call latency", ["provider", "call"])
PENDING_NUMBERS = Gauge(
    "gateway_pending_numbers", "Numbers whose carrier outcome is not settled yet", ["status"]
)
CARRIER_MISMATCHES = Gauge(
    "gateway_carrier_mismatched_numbers",
    "Numbers the carrier and the gateway disagree on at the last sweep: billed by the carrier but unknown "
    "to the gateway (unknown_here), or active in the gateway but not billed (not_billed)",
    ["kind"],
)
UNSETTLED = [status.value for status in UNSETTLED_STATUSES]
READINESS_TIMEOUT = 5.0
#: `{number_sid:number_sid}` in a route's path is `{number_sid}` in a metric label
_CONVERTOR = re.compile(r":\w+\}")


class Observability:
    """Outermost-but-one middleware: request id, metrics and an access log line.

    Runs inside JsonSuffix so the route Starlette matched is visible in the scope.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        incoming = dict(scope["headers"]).get(b"x-request-id", b"").decode("latin-1")
        request_id = incoming if 0 < len(incoming) <= 64 and incoming.isprintable() else uuid.uuid4().hex
        scope.setdefault("state", {})["request_id"] = request_id
        status = 500
        started = False
        began = time.perf_counter()

        async def send_with_id(message: Message) -> None:
            nonlocal status, started
            if message["type"] == "http.response.start":
                status, started = message["status"], True
                message.setdefault("headers", []).append((b"x-request-id", request_id.encode()))
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        except ClientDisconnect:
            status = 499  # nginx's "client closed request": nobody is there to answer
        except Exception:
            # The application has answered 500 and logged the error with this request's
            # id (Starlette re-raises it afterwards): ending here keeps the connection usable.
            if status == 500 and not started:
                log.exception("unexpected error before any response (request id %s)", request_id)
                await _plain_500(send_with_id, request_id)
        finally:
            elapsed = time.perf_counter() - began
            route = _CONVERTOR.sub("}", getattr(scope.get("route"), "path", None) or "unmatched")
            HTTP_REQUESTS.labels(route, scope["method"], str(status)).inc()
            HTTP_LATENCY.labels(route).observe(elapsed)
            access_log.info(json.dumps({
                "request_id": request_id, "method": scope["method"], "path": scope.get("client_path", scope["path"]),
                "route": route, "status": status, "duration_ms": round(elapsed * 1000, 2),
            }))


class InstrumentedProvider:
    """Counts and times every carrier call by outcome; otherwise the provider itself."""

    def __init__(self, provider: Provider) -> None:
        self._provider = provider
        self.name = provider.name
        self.call_timeout = provider.call_timeout

    def __getattr__(self, call: str) -> Any:
        target = getattr(self._provider, call)
        if not asyncio.iscoroutinefunction(target):
            return target

        async def measured(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            outcome = "ok"
            try:
                return await target(*args, **kwargs)
            except NumberUnavailableError:
                outcome = "refused"
                raise
            except ProviderUnavailableError as failure:
                outcome = "unknown" if failure.outcome_unknown else "unreachable"
                raise
            except Exception:
                outcome = "error"
                raise
            finally:
                CARRIER_CALLS.labels(self.name, call, outcome).inc()
                CARRIER_LATENCY.labels(self.name, call).observe(time.perf_counter() - started)

        return measured


def record_reconciliation(report: ReconcileReport) -> None:
    """Publish what a reconciler round found that an operator must look at."""
    if report.sweep is not None:
        CARRIER_MISMATCHES.labels("unknown_here").set(len(report.sweep.unknown_here))
        CARRIER_MISMATCHES.labels("not_billed").set(len(report.sweep.not_billed))


async def _plain_500(send: Send, request_id: str) -> None:
    body = f"unexpected error; request id {request_id}".encode()
    await send({"type": "http.response.start", "status": 500,
                "headers": [(b"content-type", b"text/plain; charset=utf-8"), (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})


async def healthz(request: Request) -> Response:
    return JSONResponse({"status": "ok"})


async def readyz(request: Request) -> Response:
    checks: dict[str, str] = {}
    state = request.app.state
    try:
        async with asyncio.timeout(READINESS_TIMEOUT):
            async with state.database.session() as session:
                await session.exec(text("SELECT 1"))
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
    # The pending gauge is read from the database at scrape time: every instance
    # reports the same shared truth.
    async with request.app.state.database.session() as session:
        counts: Mapping[str, int] = dict(
            (await session.exec(
                select(col(IncomingPhoneNumber.status), func.count())
                .where(col(IncomingPhoneNumber.status).in_(UNSETTLED))
                .group_by(col(IncomingPhoneNumber.status))
            )).all()
        )
    for status in UNSETTLED:
        PENDING_NUMBERS.labels(status).set(counts.get(status, 0))
    return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)


def observability_routes() -> list[Route]:
    return [
        Route("/healthz", healthz, methods=["GET"]),
        Route("/readyz", readyz, methods=["GET"]),
        Route("/metrics", metrics, methods=["GET"]),
    ]
