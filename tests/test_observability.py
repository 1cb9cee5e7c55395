"""/healthz, /readyz, /metrics, request ids and the access log."""

from __future__ import annotations

import json
import logging

import pytest
from prometheus_client.parser import text_string_to_metric_families

from gateway.storage.database import Database
from gateway.storage.tables import IncomingPhoneNumber
from tests.support.accounts import Credentials, numbers_path


def samples(text: str, name: str) -> dict[tuple[tuple[str, str], ...], float]:
    found = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            if sample.name == name:
                found[tuple(sorted(sample.labels.items()))] = sample.value
    return found


async def test_health_and_readiness(client) -> None:
    assert (await client.get("/healthz")).json() == {"status": "ok"}
    ready = await client.get("/readyz")
    assert ready.status_code == 200
    assert ready.json() == {"status": "ready", "checks": {"database": "ok", "carrier": "ok"}}


async def test_not_ready_when_the_database_is_unreachable(app, client) -> None:
    working = app.state.database
    app.state.database = Database.connect("postgresql://nobody@127.0.0.1:1/none")
    try:
        ready = await client.get("/readyz")
    finally:
        await app.state.database.dispose()
        app.state.database = working
    assert ready.status_code == 503
    assert ready.json()["checks"]["database"].startswith("unavailable")
    assert ready.json()["checks"]["carrier"] == "ok"


async def test_metrics_count_requests_carrier_calls_and_pending_numbers(client, admin: Credentials, sessionmaker) -> None:
    before = (await client.get("/metrics")).text
    route = "/Accounts/{account_sid}/IncomingPhoneNumbers"
    key = (("method", "POST"), ("route", route), ("status", "200"))
    refused_key = (("call", "buy"), ("outcome", "refused"), ("provider", "sandbox"))
    start_requests = samples(before, "gateway_http_requests_total").get(key, 0)
    start_refused = samples(before, "gateway_carrier_calls_total").get(refused_key, 0)

    assert (await client.post(numbers_path(admin.sid), data={"PhoneNumber": "+15105550100"}, auth=admin.auth)).status_code == 200
    assert (await client.post(numbers_path(admin.sid), data={"PhoneNumber": "+15005550000"}, auth=admin.auth)).status_code == 400
    async with sessionmaker() as session:
        session.add(IncomingPhoneNumber(
            sid="PN" + "a" * 32, account_sid=admin.sid, organization_sid=admin.sid, phone_number="+15105550199",
            friendly_name="pending", number_type="local", status="pending",
        ))
        await session.commit()

    after = (await client.get("/metrics")).text
    assert samples(after, "gateway_http_requests_total")[key] == start_requests + 1
    assert samples(after, "gateway_carrier_calls_total")[refused_key] == start_refused + 1
    assert samples(after, "gateway_pending_numbers")[(("status", "pending"),)] == 1
    assert samples(after, "gateway_pending_numbers")[(("status", "releasing"),)] == 0
    assert any(k for k in samples(after, "gateway_http_request_duration_seconds_count") if ("route", route) in k)


async def test_request_id_is_echoed_and_logged(client, admin: Credentials, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO, logger="gateway.access"):
        response = await client.get(numbers_path(admin.sid, ".json"), auth=admin.auth, headers={"X-Request-Id": "abc-123"})
    assert response.headers["x-request-id"] == "abc-123"
    lines = [json.loads(r.getMessage()) for r in caplog.records if r.name == "gateway.access"]
    assert {"request_id": "abc-123", "status": 200, "method": "GET"}.items() <= lines[-1].items()
    generated = await client.get("/healthz")
    assert len(generated.headers["x-request-id"]) == 32


async def test_unexpected_error_is_masked_with_the_request_id(
    client, admin: Credentials, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    from gateway.services import listing

    async def broken(**_: object) -> None:
        raise RuntimeError("secret internals")

    monkeypatch.setattr(listing, "list_numbers_page", broken)
    with caplog.at_level(logging.ERROR, logger="gateway"):
        response = await client.get(numbers_path(admin.sid, ".json"), auth=admin.auth)
    assert response.status_code == 500
    request_id = response.headers["x-request-id"]
    body = response.json()
    assert body["status"] == 500 and request_id in body["message"]
    assert "secret internals" not in response.text
    assert any(request_id in r.getMessage() for r in caplog.records)
