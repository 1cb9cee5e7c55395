"""Helpers for the GraphQL tests: post an operation, buy numbers quickly, count SQL."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Mapping
from datetime import UTC, datetime
from typing import Any

import httpx
from sqlalchemy import event
from starlette.applications import Starlette

from gateway.domain.fields import lower_camel
from gateway.domain.numbers import PurchaseRequest
from gateway.domain.route_families import CAPABILITIES, FAMILIES, SettingKind
from gateway.rest.dates import rfc2822
from gateway.services.applications import create_application
from gateway.services.purchase import purchase_number
from gateway.storage.tables import Account
from tests.support.accounts import Credentials

ENDPOINT = "/graphql"


async def post(
    client: httpx.AsyncClient, who: Credentials | None, query: str, variables: Mapping[str, Any] | None = None,
    *, status: int = 200, **kwargs: Any,
) -> dict[str, Any]:
    """POST an operation; the JSON body (fails the test unless `status`)."""
    response = await client.post(
        ENDPOINT, json={"query": query, "variables": dict(variables or {})},
        auth=who.auth if who else None, **kwargs,
    )
    assert response.status_code == status, response.text
    return response.json()  # type: ignore[no-any-return]


async def data(
    client: httpx.AsyncClient, who: Credentials, query: str, variables: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    """The `data` of an operation that must succeed without any error."""
    body = await post(client, who, query, variables)
    assert not body.get("errors"), body
    return body["data"]  # type: ignore[no-any-return]


def number(i: int) -> str:
    """The i-th test number: +1510555 and four digits (all valid US numbers)."""
    return f"+1510555{i:04d}"


async def buy_numbers(
    app: Starlette, who: Credentials, count: int, *, start: int = 0, settings: Mapping[str, Any] | None = None
) -> list[str]:
    """Buy `count` numbers through the service layer (the sandbox carrier); their sids."""
    sids = []
    database = app.state.database
    async with database.session() as session:
        caller = await session.get(Account, who.sid)
    assert caller is not None
    for i in range(start, start + count):
        bought = await purchase_number(
            db=database, provider=app.state.provider, caller=caller,
            request=PurchaseRequest(account_sid=who.sid, phone_number=number(i), settings=dict(settings or {})),
        )
        sids.append(bought.sid)
    return sids


async def make_application(app: Starlette, who: Credentials, name: str = "Hello app") -> str:
    async with app.state.database.session() as session:
        account = await session.get(Account, who.sid)
    assert account is not None
    application = await create_application(
        db=app.state.database, caller=account, account_sid=who.sid, friendly_name=name
    )
    return application.sid


@contextlib.contextmanager
def count_statements(app: Starlette) -> Iterator[list[str]]:
    """Record every SQL statement the application's engine runs inside the block."""
    statements: list[str] = []
    engine = app.state.database.engine.sync_engine

    def record(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", record)


def _route_selection(family_name: str) -> str:
    family = next(f for f in FAMILIES if f.name == family_name)
    names = " ".join(lower_camel(s.name) for s in family.settings)
    return f"{family_name} {{ {names} application {{ sid friendlyName }} }}"


#: every field of IncomingPhoneNumber (routes generated from the families)
NUMBER_FIELDS = (
    "id sid account { sid } friendlyName phoneNumber type isSip beta apiVersion uri dateCreated dateUpdated "
    "capabilities { voice sms mms fax } " + " ".join(_route_selection(f.name) for f in FAMILIES)
)


def _rest_date(iso: str) -> str:
    moment = datetime.fromisoformat(iso)
    assert moment.utcoffset() is not None and moment.utcoffset().total_seconds() == 0, iso  # type: ignore[union-attr]
    return rfc2822(moment.astimezone(UTC).replace(tzinfo=None))


def as_rest(node: Mapping[str, Any]) -> dict[str, Any]:
    """A GraphQL IncomingPhoneNumber (NUMBER_FIELDS) as REST's JSON representation (SPEC §4.1)."""
    rest: dict[str, Any] = {
        "sid": node["sid"], "account_sid": node["account"]["sid"], "friendly_name": node["friendlyName"],
        "phone_number": node["phoneNumber"],
    }
    for family in FAMILIES:
        route = node[family.name]
        for setting in family.settings:
            value = route[lower_camel(setting.name)]
            rest[setting.column] = value
            if setting.kind is SettingKind.APPLICATION and value:
                assert route["application"]["sid"] == value
                rest[setting.column.replace("_sid", "_name")] = route["application"]["friendlyName"]
    rest["date_created"] = _rest_date(node["dateCreated"])
    rest["date_updated"] = _rest_date(node["dateUpdated"])
    rest["capabilities"] = {f"{c}_capable": node["capabilities"][c] for c in CAPABILITIES}
    rest["api_version"] = node["apiVersion"]
    rest["uri"] = node["uri"]
    return rest
