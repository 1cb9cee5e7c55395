"""The Prometheus metrics (one registry per process; see README for --workers)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Mapping

from prometheus_client import Counter, Gauge, Histogram

if TYPE_CHECKING:
    from gateway.services.reconcile import ReconcileReport

HTTP_REQUESTS = Counter("gateway_http_requests_total", "HTTP requests", ["route", "method", "status"])
HTTP_LATENCY = Histogram(
    "gateway_http_request_duration_seconds", "HTTP request latency", ["route"],
    buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)
GRAPHQL_OPERATIONS = Counter(
    "gateway_graphql_operations_total", "GraphQL operations", ["operation", "type", "outcome"]
)
GRAPHQL_EXECUTIONS = Counter(
    "gateway_graphql_executions_total",
    "How GraphQL operations ran: from a compiled plan, through graphql-core after a plan gave up"
    " (an error to report), or through graphql-core from the start",
    ["path"],
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


def record_unsettled(counts: Mapping[str, int]) -> None:
    for status, count in counts.items():
        PENDING_NUMBERS.labels(status).set(count)


def record_reconciliation(report: ReconcileReport) -> None:
    """Publish what a reconciler round found that an operator must look at."""
    if report.sweep is not None:
        CARRIER_MISMATCHES.labels("unknown_here").set(len(report.sweep.unknown_here))
        CARRIER_MISMATCHES.labels("not_billed").set(len(report.sweep.not_billed))
