"""OpenAPI 3.1 description of the REST API, generated from the route table and the
route families so it cannot drift from what is served (a test compares them)."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from gateway import __version__
from gateway.rest.representation import dumps
from gateway.services.available import DEFAULT_RESULTS, MAX_RESULTS
from gateway.services.listing import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE
from gateway.services.route_families import CAPABILITY_COLUMNS, ROUTE_SETTINGS, SettingKind, camel
from gateway.services.validation import MAX_FRIENDLY_NAME

BASE = "/restcomm/2012-04-24"
_STRING = {"type": "string"}
_BOOLEAN_TEXT = {"type": "string", "enum": ["true", "false"]}
_SCHEMAS_BY_KIND = {
    SettingKind.URL: {"type": "string", "format": "uri", "description": "absolute http(s) URL; empty clears it"},
    SettingKind.METHOD: {"type": "string", "enum": ["GET", "POST"], "default": "POST"},
    SettingKind.BOOLEAN: {**_BOOLEAN_TEXT, "default": "false"},
    SettingKind.APPLICATION: {"type": "string", "pattern": "^(AP[0-9a-f]{32})?$"},
}


def _number_settings_properties() -> dict[str, Any]:
    properties: dict[str, Any] = {
        "FriendlyName": {"type": "string", "maxLength": MAX_FRIENDLY_NAME},
        "ApiVersion": {"type": "string", "enum": ["2012-04-24"]},
    }
    properties.update({s.rest_name: _SCHEMAS_BY_KIND[s.kind] for s in ROUTE_SETTINGS})
    properties.update({camel(c): _BOOLEAN_TEXT for c in CAPABILITY_COLUMNS})
    return properties


def _form(properties: dict[str, Any], required: list[str] | None = None) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "object", "properties": properties}
    if required:
        schema["required"] = required
    return {"content": {"application/x-www-form-urlencoded": {"schema": schema}}}


def _query(name: str, schema: dict[str, Any], description: str = "") -> dict[str, Any]:
    return {"name": name, "in": "query", "required": False, "schema": schema, "description": description}


def _path(name: str, pattern: str) -> dict[str, Any]:
    return {"name": name, "in": "path", "required": True, "schema": {"type": "string", "pattern": pattern}}


_ACCOUNT = _path("AccountSid", "^AC[0-9a-f]{32}$")
_NUMBER = _path("IncomingPhoneNumberSid", "^PN[0-9a-f]{32}$")
_ERRORS = {
    str(status): {"description": text, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
    for status, text in (
        (400, "invalid parameter (the message names it)"),
        (401, "missing or wrong credentials (code 20003)"),
        (403, "not allowed on that account (code 20403)"),
        (404, "no such resource (code 20404)"),
        (413, "body larger than 64 KiB"),
        (503, "carrier unreachable (code 21453, Retry-After)"),
    )
}


def _ok(schema_name: str, status: str = "200") -> dict[str, Any]:
    return {
        status: {
            "description": "success (JSON with .json or Accept: application/json, else XML)",
            "content": {
                "application/json": {"schema": {"$ref": f"#/components/schemas/{schema_name}"}},
                "application/xml": {"schema": {"type": "string"}},
            },
        },
        **_ERRORS,
    }


_LIST_PARAMETERS = [
    _query("PhoneNumber", _STRING, "substring of the number; * matches any one digit"),
    _query("FriendlyName", _STRING, "exact friendly name"),
    _query("Beta", {**_BOOLEAN_TEXT, "default": "true"}, "false hides numbers new to the carrier"),
    _query("Page", {"type": "integer", "minimum": 0, "default": 0}),
    _query("PageSize", {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE, "default": DEFAULT_PAGE_SIZE}),
    _query("AfterSid", {"type": "string"}, "keyset: continue after this number (next_page_uri carries it)"),
]


_SEARCH_PARAMETERS = [
    _query("AreaCode", {"type": "string", "pattern": "^[0-9]{3}$"}),
    _query("Contains", _STRING, "digits or keypad letters; * matches any one digit"),
    *(_query(name, _STRING) for name in ("InRegion", "InPostalCode", "InRateCenter", "InLata")),
    *(_query(f"{c}Enabled", _BOOLEAN_TEXT) for c in ("Sms", "Mms", "Voice", "Fax", "Ussd")),
    *(_query(name, _STRING, "refused (400): carriers give no coordinates") for name in ("NearNumber", "NearLatLong", "Distance")),
    _query("RangeSize", {"type": "integer", "minimum": 1, "maximum": MAX_RESULTS, "default": DEFAULT_RESULTS}),
    _query("RangeIndex", {"type": "integer", "minimum": 0, "default": 0}),
]


def _number_operations(kind: str | None) -> dict[str, Any]:
    label = f"{kind} " if kind else ""
    purchase_properties = {
        "PhoneNumber": {"type": "string", "description": "E.164; an unencoded + is accepted"},
        **({} if kind else {"AreaCode": {"type": "string", "pattern": "^[0-9]{3}$"}}),
        "isSIP": {"type": "string", "enum": ["true", "false"], "description": "virtual SIP number, stored as sent"},
        **_number_settings_properties(),
    }
    return {
        "get": {
            "summary": f"List the account's {label}numbers",
            "operationId": f"list{kind or ''}IncomingPhoneNumbers",
            "parameters": [_ACCOUNT, *_LIST_PARAMETERS],
            "responses": _ok("IncomingPhoneNumberList"),
        },
        "post": {
            "summary": f"Purchase a {label}number",
            "operationId": f"purchase{kind or ''}IncomingPhoneNumber",
            "parameters": [_ACCOUNT],
            "requestBody": _form(purchase_properties),
            "responses": _ok("IncomingPhoneNumber"),
        },
    }


def openapi_document() -> dict[str, Any]:
    numbers = f"{BASE}/Accounts/{{AccountSid}}/IncomingPhoneNumbers"
    update = {
        "parameters": [_ACCOUNT, _NUMBER],
        "requestBody": _form({**_number_settings_properties(), "AccountSid": {"type": "string", "description": "transfer to this account"}}),
        "responses": _ok("IncomingPhoneNumber"),
    }
    paths: dict[str, Any] = {
        f"{BASE}/Accounts": {
            "get": {"summary": "The caller and its subaccounts", "operationId": "listAccounts", "responses": _ok("AccountList")},
            "post": {
                "summary": "Create a subaccount of the caller",
                "operationId": "createSubaccount",
                "requestBody": _form(
                    {"EmailAddress": _STRING, "FriendlyName": _STRING, "Password": {"type": "string", "minLength": 8},
                     "Role": {"type": "string", "enum": ["Administrator", "Developer"]}},
                    ["EmailAddress"],
                ),
                "responses": _ok("Account", "201"),
            },
        },
        f"{BASE}/Accounts/{{AccountSid}}": {
            "get": {"summary": "One account", "operationId": "getAccount", "parameters": [_ACCOUNT], "responses": _ok("Account")}
        },
        f"{BASE}/Accounts/{{AccountSid}}/Applications": {
            "get": {"summary": "The account's applications", "operationId": "listApplications",
                    "parameters": [_ACCOUNT], "responses": _ok("ApplicationList")},
            "post": {"summary": "Create an application", "operationId": "createApplication", "parameters": [_ACCOUNT],
                     "requestBody": _form({"FriendlyName": _STRING}, ["FriendlyName"]), "responses": _ok("Application", "201")},
        },
        numbers: _number_operations(None),
        **{f"{numbers}/{kind}": _number_operations(kind) for kind in ("Local", "TollFree", "Mobile")},
        f"{numbers}/AvailableCountries": {
            "get": {"summary": "Countries the carrier sells numbers in", "operationId": "listAvailableCountries",
                    "parameters": [_ACCOUNT], "responses": _ok("CountryList")},
        },
        **{
            f"{BASE}/Accounts/{{AccountSid}}/AvailablePhoneNumbers/{{IsoCountry}}/{kind}": {
                "get": {
                    "summary": f"Search the carrier's {kind} numbers",
                    "operationId": f"search{kind}AvailablePhoneNumbers",
                    "parameters": [_ACCOUNT, _path("IsoCountry", "^[A-Za-z]{2}$"), *_SEARCH_PARAMETERS],
                    "responses": _ok("AvailablePhoneNumberList"),
                }
            }
            for kind in ("Local", "TollFree", "Mobile")
        },
        f"{numbers}/{{IncomingPhoneNumberSid}}": {
            "get": {"summary": "One number", "operationId": "getIncomingPhoneNumber",
                    "parameters": [_ACCOUNT, _NUMBER], "responses": _ok("IncomingPhoneNumber")},
            "post": {"summary": "Update (AccountSid transfers)", "operationId": "updateIncomingPhoneNumber", **update},
            "put": {"summary": "Update, as POST", "operationId": "replaceIncomingPhoneNumber", **update},
            "delete": {"summary": "Release the number", "operationId": "releaseIncomingPhoneNumber",
                       "parameters": [_ACCOUNT, _NUMBER], "responses": {"204": {"description": "released"}, **_ERRORS}},
        },
    }
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Numbers gateway REST API (Restcomm IncomingPhoneNumbers compatible)",
            "version": __version__,
            "description": "Every path also answers without the /restcomm prefix, and `.json` may end "
            "any path segment to select JSON.",
        },
        "components": {
            "securitySchemes": {"basic": {"type": "http", "scheme": "basic"}},
            "schemas": _schemas(),
        },
        "security": [{"basic": []}],
        "paths": paths,
    }


def _schemas() -> dict[str, Any]:
    nullable = {"type": ["string", "null"]}
    number_properties: dict[str, Any] = {
        "sid": _STRING, "account_sid": _STRING, "friendly_name": _STRING, "phone_number": _STRING,
        **{s.column: ({"type": "boolean"} if s.kind is SettingKind.BOOLEAN else
                      _STRING if s.kind is SettingKind.METHOD else nullable) for s in ROUTE_SETTINGS},
        "date_created": _STRING, "date_updated": _STRING,
        "capabilities": {"type": "object", "properties": {c: {"type": "boolean"} for c in CAPABILITY_COLUMNS}},
        "api_version": _STRING, "uri": _STRING,
    }
    envelope = {k: _STRING for k in ("start", "end", "uri", "first_page_uri", "previous_page_uri",
                                       "next_page_uri", "last_page_uri")}
    envelope.update({k: {"type": "integer"} for k in ("page", "num_pages", "page_size", "total")})
    account = {k: _STRING for k in ("sid", "friendly_name", "email_address", "status", "type", "role",
                                      "date_created", "date_updated", "auth_token", "uri")}
    application = {k: _STRING for k in ("sid", "account_sid", "friendly_name", "uri")}
    return {
        "IncomingPhoneNumber": {"type": "object", "properties": number_properties},
        "IncomingPhoneNumberList": {
            "type": "object",
            "properties": {**envelope, "incomingPhoneNumbers": {"type": "array", "items": {"$ref": "#/components/schemas/IncomingPhoneNumber"}}},
        },
        "Account": {"type": "object", "properties": {**account, "parent_sid": nullable}},
        "AccountList": {"type": "array", "items": {"$ref": "#/components/schemas/Account"}},
        "Application": {"type": "object", "properties": application},
        "ApplicationList": {"type": "array", "items": {"$ref": "#/components/schemas/Application"}},
        "CountryList": {"type": "array", "items": {"type": "string"}},
        "AvailablePhoneNumberList": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    **{k: _STRING for k in ("friendlyName", "phoneNumber", "lata", "rateCenter", "region",
                                            "postalCode", "isoCountry", "cost")},
                    "latitude": {"type": "number"}, "longitude": {"type": "number"},
                    **{f"{c}Capable": {"type": "boolean"} for c in ("voice", "sms", "mms", "fax", "ussd")},
                },
            },
        },
        "Error": {
            "type": "object",
            "properties": {"code": {"type": ["integer", "null"]}, "message": _STRING, "more_info": _STRING, "status": {"type": "integer"}},
            "required": ["code", "message", "more_info", "status"],
        },
    }


@lru_cache(maxsize=16)
def _serialised(server_url: str) -> bytes:
    return dumps({**openapi_document(), "servers": [{"url": server_url}]})


async def openapi_endpoint(request: Request) -> Response:
    # GATEWAY_PUBLIC_URL names the gateway as clients reach it (behind a proxy, say);
    # without it, the address this request came to.
    server_url = request.app.state.settings.public_url or str(request.base_url).rstrip("/")
    return Response(_serialised(server_url), media_type="application/json")
