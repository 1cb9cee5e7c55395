"""The OpenAPI description stays true to the routes actually served."""

from __future__ import annotations

import dataclasses
import re

import pytest
from starlette.routing import Mount

from gateway.rest.openapi import BASE, openapi_document
from gateway.rest.routes import resources, rest_routes

pytestmark = pytest.mark.one_database  # the document and the routes, not the data


def served_operations() -> set[tuple[str, str]]:
    operations = set()
    for path, handlers in resources():
        path = BASE + path.replace(":number_sid", "")
        path = re.sub(r"\{account_sid\}", "{AccountSid}", path)
        path = re.sub(r"\{number_sid\}", "{IncomingPhoneNumberSid}", path)
        path = re.sub(r"\{key_sid\}", "{KeySid}", path)
        path = re.sub(r"\{token_sid\}", "{AccessTokenSid}", path)
        path = re.sub(r"\{application_sid\}", "{ApplicationSid}", path)
        path = re.sub(r"\{iso_country\}", "{IsoCountry}", path)
        operations |= {(path, method.lower()) for method in [*handlers, "OPTIONS"]}
    return operations


def test_the_api_is_mounted_under_both_prefixes() -> None:
    mounts = [route for route in rest_routes() if isinstance(route, Mount)]
    assert sorted(mount.path for mount in mounts) == ["/2012-04-24", BASE]
    assert all(len(mount.routes) == len(resources()) for mount in mounts)


def documented_operations() -> set[tuple[str, str]]:
    document = openapi_document()
    return {(path, method) for path, item in document["paths"].items() for method in item}


def test_every_served_route_is_documented_and_nothing_else() -> None:
    assert served_operations() == documented_operations()


def test_every_path_parameter_is_declared() -> None:
    for path, item in openapi_document()["paths"].items():
        names = set(re.findall(r"\{(\w+)\}", path))
        for method, operation in item.items():
            declared = {p["name"] for p in operation.get("parameters", []) if p["in"] == "path"}
            assert declared == names, (path, method)


def test_operation_ids_are_unique() -> None:
    ids = [op["operationId"] for item in openapi_document()["paths"].values() for op in item.values()
           if "operationId" in op]
    assert len(ids) == len(set(ids))


async def test_served_at_openapi_json(client) -> None:
    response = await client.get("/openapi.json")
    assert response.status_code == 200
    assert response.json()["openapi"] == "3.1.0"
    assert f"{BASE}/Accounts/{{AccountSid}}/IncomingPhoneNumbers" in response.json()["paths"]
    assert response.json()["servers"] == [{"url": "http://testserver"}]


async def test_public_url_names_the_server(app, client) -> None:
    app.state.settings = dataclasses.replace(app.state.settings, public_url="https://numbers.example.com")
    response = await client.get("/openapi.json")
    assert response.json()["servers"] == [{"url": "https://numbers.example.com"}]
