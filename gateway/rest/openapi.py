"""OpenAPI 3.1 description of the REST API, from the route families and the limits the
services enforce; tests keep it equal to the routes served, and schemathesis checks the
answers against it.

What the document says, the gateway does: every text parameter refuses control
characters and noncharacters, sids and area codes have their patterns, pages their
bounds; every answer is JSON or XML (by `.json` or `Accept`), errors included, with
the statuses and headers each operation can give (409, 413, 503 with Retry-After).
`OPTIONS` answers 204 with `Allow` and needs no credentials. Links let a client (and
schemathesis's stateful tests) go from a purchase to the number's own operations.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from gateway import __version__
from gateway.domain.route_families import CAPABILITY_COLUMNS, ROUTE_SETTINGS, SettingKind, camel
from gateway.rest.representation import dumps
from gateway.services.available import DEFAULT_RESULTS, MAX_RESULTS
from gateway.services.listing import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE
from gateway.services.validation import MAX_FRIENDLY_NAME, MAX_URL
from gateway.web.body import MAX_BODY

BASE = "/restcomm/2012-04-24"
#: characters no text parameter may hold: C0/C1 controls, noncharacters (the services refuse them)
_FORBIDDEN = "\\u0000-\\u001f\\u007f-\\u009f\\ufdd0-\\ufdef\\ufffe\\uffff"
#: white space the gateway trims: not the control characters among it (\\s would match them too)
_SPACE = f"[^\\S{_FORBIDDEN}]"
_TEXT = {"type": "string", "pattern": f"^[^{_FORBIDDEN}]*$"}
#: a name: some non-space text, at most 64 characters once trimmed
_NAME_TEXT = f"[^{_FORBIDDEN}]*[^\\s{_FORBIDDEN}][^{_FORBIDDEN}]*"
_NAME = {"type": "string", "maxLength": MAX_FRIENDLY_NAME, "pattern": f"^{_NAME_TEXT}$"}
#: a name that may be left empty (the gateway then picks one)
_OPTIONAL_NAME = {**_NAME, "pattern": f"^({_SPACE}*|{_NAME_TEXT})$"}
_STRING = {"type": "string"}


def _words(*words: str, optional: bool = False) -> dict[str, Any]:
    """Any of `words` in any case, with spaces around (what the gateway accepts); `optional`
    also accepts an empty value (which means the default)."""
    spelled = "|".join("".join(f"[{c.lower()}{c.upper()}]" if c.isalpha() else c for c in word) for word in words)
    return {"type": "string", "pattern": f"^{_SPACE}*({spelled}){'?' if optional else ''}{_SPACE}*$"}


_BOOLEAN_TEXT = _words("true", "false")
_APPLICATION_SID = {"type": "string", "pattern": f"^{_SPACE}*(AP[0-9a-f]{{32}})?{_SPACE}*$"}
#: what REST's integer parameters accept: up to nine digits
_COUNT = {"type": "integer", "minimum": 0, "maximum": 999_999_999}
_URL = {"type": "string", "maxLength": MAX_URL, "anyOf": [
    {"pattern": f"^{_SPACE}*$"},
    {"format": "uri", "pattern": f"^{_SPACE}*[hH][tT][tT][pP][sS]?://[^\\s{_FORBIDDEN}]+{_SPACE}*$"},
], "description": "absolute http(s) URL naming a host by name or standard IP; empty clears it"}
_SCHEMAS_BY_KIND = {
    SettingKind.URL: _URL,
    SettingKind.METHOD: {**_words("GET", "POST", optional=True), "description": "GET or POST; empty: POST"},
    SettingKind.BOOLEAN: {**_BOOLEAN_TEXT, "default": "false"},
    SettingKind.APPLICATION: _APPLICATION_SID,
}
_RETRY_AFTER = {"Retry-After": {"description": "seconds to wait before retrying", "schema": {"type": "integer"}}}


def _number_settings_properties() -> dict[str, Any]:
    properties: dict[str, Any] = {
        "FriendlyName": _NAME,  # absent: the number in national format; never empty
        "ApiVersion": _words("2012-04-24"),
    }
    properties.update({s.rest_name: _SCHEMAS_BY_KIND[s.kind] for s in ROUTE_SETTINGS})
    properties.update({camel(c): _BOOLEAN_TEXT for c in CAPABILITY_COLUMNS})
    return properties


def _form(properties: dict[str, Any], required: list[str] | None = None) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "object", "properties": properties}
    body: dict[str, Any] = {"content": {"application/x-www-form-urlencoded": {"schema": schema}}}
    if required:
        schema["required"] = required
        body["required"] = True
    return body


def _query(name: str, schema: dict[str, Any], description: str = "") -> dict[str, Any]:
    return {"name": name, "in": "query", "required": False, "schema": schema, "description": description}


def _path(name: str, pattern: str) -> dict[str, Any]:
    return {"name": name, "in": "path", "required": True, "schema": {"type": "string", "pattern": pattern}}


_ACCOUNT = _path("AccountSid", "^AC[0-9a-f]{32}$")
_KEY = _path("KeySid", "^SK[0-9a-f]{32}$")
_APPLICATION = _path("ApplicationSid", "^AP[0-9a-f]{32}$")
_ACCESS_TOKEN = _path("AccessTokenSid", "^AT[0-9a-f]{32}$")
_NUMBER = _path("IncomingPhoneNumberSid", "^PN[0-9a-f]{32}$")
_ERROR_TEXT = {
    400: "invalid parameter (the message names it)",
    401: "missing or wrong credentials (code 20003)",
    403: "not allowed on that account (code 20403)",
    404: "no such resource (code 20404)",
    405: "method not allowed (Allow lists the methods)",
    409: "conflict (code 20409): e-mail taken, release under way, Idempotency-Key in use, account closed",
    413: f"body larger than {MAX_BODY // 1024} KiB",
    429: "too many failed sign-ins for this username from this address (code 20429); Retry-After says when",
    503: "carrier unreachable or unconfirmed (21453), or the gateway busy (20503); Retry-After says when to retry",
}


def _content(json_schema: dict[str, Any]) -> dict[str, Any]:
    return {"application/json": {"schema": json_schema}, "application/xml": {"schema": {"type": "string"}}}


def _errors(*statuses: int) -> dict[str, Any]:
    errors: dict[str, Any] = {}
    for status in (400, 401, 403, 404, 405, 413, 429, 503, *statuses):
        errors[str(status)] = {"description": _ERROR_TEXT[status],
                               "content": _content({"$ref": "#/components/schemas/Error"})}
        if status in (429, 503):
            errors[str(status)]["headers"] = _RETRY_AFTER
        if status == 405:
            errors[str(status)]["headers"] = {"Allow": {"schema": {"type": "string"}}}
    return errors


def _ok(schema_name: str, status: str = "200", *, conflicts: bool = False,
        links: dict[str, Any] | None = None) -> dict[str, Any]:
    success: dict[str, Any] = {
        "description": "success (JSON with .json or Accept: application/json, else XML)",
        "content": _content({"$ref": f"#/components/schemas/{schema_name}"}),
    }
    if links:
        success["links"] = links
    return {status: success, **_errors(*((409,) if conflicts else ()))}


#: from a number in a response to the operations on it
_NUMBER_LINKS = {
    name: {"operationId": operation,
           "parameters": {"AccountSid": "$response.body#/account_sid", "IncomingPhoneNumberSid": "$response.body#/sid"}}
    for name, operation in (("GetNumber", "getIncomingPhoneNumber"), ("UpdateNumber", "updateIncomingPhoneNumber"),
                            ("ReleaseNumber", "releaseIncomingPhoneNumber"))
}
_ACCOUNT_LINKS = {
    name: {"operationId": operation, "parameters": {"AccountSid": "$response.body#/sid"}}
    for name, operation in (("GetAccount", "getAccount"), ("ListNumbers", "listIncomingPhoneNumbers"))
}

_LIST_PARAMETERS = [
    _query("PhoneNumber", _TEXT, "substring of the number; * matches any one digit"),
    _query("FriendlyName", _TEXT, "exact friendly name"),
    _query("Beta", {**_BOOLEAN_TEXT, "default": "true"}, "false hides numbers new to the carrier"),
    _query("Page", {**_COUNT, "default": 0}),
    _query("PageSize", {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE, "default": DEFAULT_PAGE_SIZE}),
    _query("AfterSid", {"type": "string", "pattern": "^(PN[0-9a-f]{32})?$"},
           "keyset: continue after this number of the account (next_page_uri carries it)"),
]

_SEARCH_PARAMETERS = [
    _query("AreaCode", {"type": "string", "pattern": f"^{_SPACE}*([0-9]{{3}})?{_SPACE}*$"}),
    _query("Contains", {"type": "string", "pattern": f"^({_SPACE}*[0-9A-Za-z*]{{1,16}}{_SPACE}*)?$"},
           "digits or keypad letters; * matches any one digit"),
    *(_query(name, _TEXT) for name in ("InRegion", "InPostalCode", "InRateCenter", "InLata")),
    *(_query(f"{c}Enabled", _BOOLEAN_TEXT) for c in ("Sms", "Mms", "Voice", "Fax", "Ussd")),
    *(_query(name, {"type": "string", "maxLength": 0}, "refused (400) when given: carriers give no coordinates")
      for name in ("NearNumber", "NearLatLong", "Distance")),
    _query("RangeSize", {"type": "integer", "minimum": 1, "maximum": MAX_RESULTS, "default": DEFAULT_RESULTS}),
    _query("RangeIndex", {**_COUNT, "default": 0}),
]


def _options(path_parameters: list[dict[str, Any]]) -> dict[str, Any]:
    # OPTIONS answers for the resource's path whatever the sids in it: any segment will do.
    return {
        "summary": "The methods this resource serves (no credentials needed)",
        "parameters": [{**p, "schema": {"type": "string", "pattern": "^[^/\\n]+$"}} for p in path_parameters],
        "security": [],
        "responses": {"204": {"description": "the methods, in Allow", "headers": {"Allow": {"schema": _STRING}}},
                      "404": {"description": _ERROR_TEXT[404], "content": _content({"$ref": "#/components/schemas/Error"})}},
    }


#: a number the sandbox sells, per typed subresource
_EXAMPLE_NUMBERS = {"": "+15105555555", "Local": "+14155550100", "TollFree": "+18005550100", "Mobile": "+15105550199"}


def _number_operations(kind: str | None) -> dict[str, Any]:
    label = f"{kind} " if kind else ""
    purchase_properties = {
        "PhoneNumber": {**_TEXT, "description": "E.164 (an unencoded + is accepted); any name with isSIP",
                        "examples": [_EXAMPLE_NUMBERS.get(kind or "", "+15105555555")]},
        **({} if kind else {"AreaCode": {"type": "string", "pattern": f"^{_SPACE}*([2-9][0-9]{{2}})?{_SPACE}*$",
                                         "examples": ["415"]}}),
        "isSIP": {**_BOOLEAN_TEXT, "description": "virtual SIP number, stored as sent (any spelling: isSIP, issip)"},
        **_number_settings_properties(),
    }
    operation_id = kind or ""
    return {
        "get": {
            "summary": f"List the account's {label}numbers",
            "operationId": f"list{operation_id}IncomingPhoneNumbers",
            "parameters": [_ACCOUNT, *_LIST_PARAMETERS],
            "responses": _ok("IncomingPhoneNumberList"),
        },
        "post": {
            "summary": f"Purchase a {label}number",
            "operationId": f"purchase{operation_id}IncomingPhoneNumber",
            "parameters": [_ACCOUNT, {"name": "Idempotency-Key", "in": "header", "required": False,
                                      "schema": {**_NAME, "maxLength": 255}}],
            "requestBody": _form(purchase_properties),
            "responses": _ok("IncomingPhoneNumber", conflicts=True, links=_NUMBER_LINKS),
        },
        "options": _options([_ACCOUNT]),
    }


def openapi_document() -> dict[str, Any]:
    numbers = f"{BASE}/Accounts/{{AccountSid}}/IncomingPhoneNumbers"
    update = {
        "parameters": [_ACCOUNT, _NUMBER],
        "requestBody": _form({**_number_settings_properties(),
                              "AccountSid": {"type": "string", "pattern": f"^{_SPACE}*(AC[0-9a-f]{{32}})?{_SPACE}*$",
                                             "description": "transfer to this account"}}),
        "responses": _ok("IncomingPhoneNumber", conflicts=True),
    }
    account_update = {
        "parameters": [_ACCOUNT],
        "requestBody": _form({
            "FriendlyName": _NAME,
            "Status": {**_words("active", "suspended", "closed"),
                       "description": "an Administrator ancestor only; closed is final"},
            "Password": {**_TEXT, "minLength": 8, "description": "a new password: the auth token becomes its MD5"},
        }),
        "responses": _ok("Account", conflicts=True),
    }
    application_update = {
        "parameters": [_ACCOUNT, _APPLICATION],
        "requestBody": _form({"FriendlyName": _NAME}),
        "responses": _ok("Application"),
    }
    paths: dict[str, Any] = {
        f"{BASE}/Accounts": {
            "get": {"summary": "The caller and its subaccounts", "operationId": "listAccounts", "responses": _ok("AccountList")},
            "post": {
                "summary": "Create a subaccount of the caller",
                "operationId": "createSubaccount",
                "requestBody": _form(
                    {"EmailAddress": {"type": "string", "maxLength": 254,
                                      "pattern": f"^{_SPACE}*[^@\\s{_FORBIDDEN}]+@[^@\\s{_FORBIDDEN}]+\\.[^@\\s{_FORBIDDEN}]+{_SPACE}*$"},
                     "FriendlyName": _OPTIONAL_NAME, "Password": {**_TEXT, "minLength": 8},
                     "Role": _words("Administrator", "Developer", optional=True)},
                    ["EmailAddress"],
                ),
                "responses": _ok("Account", "201", conflicts=True, links=_ACCOUNT_LINKS),
            },
            "options": _options([]),
        },
        f"{BASE}/Accounts/{{AccountSid}}": {
            "get": {"summary": "One account", "operationId": "getAccount", "parameters": [_ACCOUNT],
                    "responses": _ok("Account")},
            "post": {"summary": "Change the account: name, status (closing releases its numbers), password",
                     "operationId": "updateAccount", **account_update},
            "put": {"summary": "Change the account, as POST", "operationId": "replaceAccount", **account_update},
            "options": _options([_ACCOUNT]),
        },
        f"{BASE}/Accounts/{{AccountSid}}/Keys": {
            "get": {"summary": "The account's API keys (never their secrets)", "operationId": "listKeys",
                    "parameters": [_ACCOUNT], "responses": _ok("KeyList")},
            "post": {"summary": "Create an API key; its secret is answered this once", "operationId": "createKey",
                     "parameters": [_ACCOUNT], "requestBody": _form({"FriendlyName": _NAME}),
                     "responses": _ok("Key", "201")},
            "options": _options([_ACCOUNT]),
        },
        f"{BASE}/Accounts/{{AccountSid}}/Keys/{{KeySid}}": {
            "get": {"summary": "One API key", "operationId": "getKey", "parameters": [_ACCOUNT, _KEY],
                    "responses": _ok("Key")},
            "delete": {"summary": "Revoke the key: it stops working at once", "operationId": "revokeKey",
                       "parameters": [_ACCOUNT, _KEY], "responses": {"204": {"description": "revoked"}, **_errors()}},
            "options": _options([_ACCOUNT, _KEY]),
        },
        f"{BASE}/Accounts/{{AccountSid}}/AccessTokens": {
            "post": {"summary": "Create an access token (Authorization: Bearer) for a single-page app; HTTP Basic"
                                " only, and only for the signed-in account", "operationId": "createAccessToken",
                     "parameters": [_ACCOUNT],
                     "requestBody": _form({"Ttl": {"type": "string", "pattern": "^[0-9]{1,5}$"}}),
                     "responses": _ok("AccessToken", "201")},
            "options": _options([_ACCOUNT]),
        },
        f"{BASE}/Accounts/{{AccountSid}}/AccessTokens/{{AccessTokenSid}}": {
            "delete": {"summary": "Revoke the access token: it stops working at once", "operationId": "revokeAccessToken",
                       "parameters": [_ACCOUNT, _ACCESS_TOKEN],
                       "responses": {"204": {"description": "revoked"}, **_errors()}},
            "options": _options([_ACCOUNT, _ACCESS_TOKEN]),
        },
        f"{BASE}/Accounts/{{AccountSid}}/Applications": {
            "get": {"summary": "The account's applications", "operationId": "listApplications",
                    "parameters": [_ACCOUNT], "responses": _ok("ApplicationList")},
            "post": {"summary": "Create an application", "operationId": "createApplication", "parameters": [_ACCOUNT],
                     "requestBody": _form({"FriendlyName": _NAME}, ["FriendlyName"]),
                     "responses": _ok("Application", "201")},
            "options": _options([_ACCOUNT]),
        },
        f"{BASE}/Accounts/{{AccountSid}}/Applications/{{ApplicationSid}}": {
            "get": {"summary": "One application", "operationId": "getApplication",
                    "parameters": [_ACCOUNT, _APPLICATION], "responses": _ok("Application")},
            "post": {"summary": "Change the application (FriendlyName, if given)", "operationId": "updateApplication",
                     **application_update},
            "put": {"summary": "Change the application, as POST", "operationId": "replaceApplication",
                    **application_update},
            "delete": {"summary": "Delete the application; every number that used it (voice, sms, ussd, refer) stops"
                                  " using it in the same transaction", "operationId": "deleteApplication",
                       "parameters": [_ACCOUNT, _APPLICATION],
                       "responses": {"204": {"description": "deleted"}, **_errors(409)}},
            "options": _options([_ACCOUNT, _APPLICATION]),
        },
        numbers: _number_operations(None),
        **{f"{numbers}/{kind}": _number_operations(kind) for kind in ("Local", "TollFree", "Mobile")},
        f"{numbers}/AvailableCountries": {
            "get": {"summary": "Countries the carrier sells numbers in", "operationId": "listAvailableCountries",
                    "parameters": [_ACCOUNT], "responses": _ok("CountryList")},
            "options": _options([_ACCOUNT]),
        },
        **{
            f"{BASE}/Accounts/{{AccountSid}}/AvailablePhoneNumbers/{{IsoCountry}}/{kind}": {
                "get": {
                    "summary": f"Search the carrier's {kind} numbers",
                    "operationId": f"search{kind}AvailablePhoneNumbers",
                    "parameters": [_ACCOUNT, _path("IsoCountry", "^[A-Za-z]{2}$"), *_SEARCH_PARAMETERS],
                    "responses": _ok("AvailablePhoneNumberList"),
                },
                "options": _options([_ACCOUNT, _path("IsoCountry", "^[A-Za-z]{2}$")]),
            }
            for kind in ("Local", "TollFree", "Mobile")
        },
        f"{numbers}/{{IncomingPhoneNumberSid}}": {
            "get": {"summary": "One number", "operationId": "getIncomingPhoneNumber",
                    "parameters": [_ACCOUNT, _NUMBER], "responses": _ok("IncomingPhoneNumber")},
            "post": {"summary": "Update (AccountSid transfers)", "operationId": "updateIncomingPhoneNumber", **update},
            "put": {"summary": "Update, as POST", "operationId": "replaceIncomingPhoneNumber", **update},
            "delete": {"summary": "Release the number", "operationId": "releaseIncomingPhoneNumber",
                       "parameters": [_ACCOUNT, _NUMBER],
                       "responses": {"204": {"description": "released"}, **_errors(409)}},
            "options": _options([_ACCOUNT, _NUMBER]),
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
            "securitySchemes": {"basic": {"type": "http", "scheme": "basic"},
                                "bearer": {"type": "http", "scheme": "bearer"}},
            "schemas": _schemas(),
        },
        "security": [{"basic": []}, {"bearer": []}],
        "paths": paths,
    }


def _schemas() -> dict[str, Any]:
    nullable = {"type": ["string", "null"]}
    number_properties: dict[str, Any] = {
        "sid": _STRING, "account_sid": _STRING, "friendly_name": _STRING, "phone_number": _STRING,
        **{s.column: ({"type": "boolean"} if s.kind is SettingKind.BOOLEAN else
                      _STRING if s.kind is SettingKind.METHOD else nullable) for s in ROUTE_SETTINGS},
        **{s.column.replace("_sid", "_name"): nullable for s in ROUTE_SETTINGS if s.kind is SettingKind.APPLICATION},
        "date_created": _STRING, "date_updated": _STRING,
        "capabilities": {"type": "object", "properties": {c: {"type": "boolean"} for c in CAPABILITY_COLUMNS}},
        "api_version": _STRING, "uri": _STRING,
    }
    envelope = {k: _STRING for k in ("start", "end", "uri", "first_page_uri", "previous_page_uri",
                                       "next_page_uri", "last_page_uri")}
    envelope.update({k: {"type": "integer"} for k in ("page", "num_pages", "page_size", "total")})
    account: dict[str, Any] = {k: _STRING for k in ("sid", "friendly_name", "email_address", "status", "type", "role",
                                                    "date_created", "date_updated", "auth_token", "uri")}
    account["subresource_uris"] = {"type": "object", "additionalProperties": _STRING}
    application = {k: _STRING for k in ("sid", "account_sid", "friendly_name", "uri")}
    key = {k: _STRING for k in ("sid", "friendly_name", "date_created", "date_updated", "secret", "uri")}
    return {
        "IncomingPhoneNumber": {"type": "object", "properties": number_properties,
                                "required": ["sid", "account_sid", "phone_number", "uri"]},
        "IncomingPhoneNumberList": {
            "type": "object",
            "properties": {**envelope, "incomingPhoneNumbers": {"type": "array", "items": {"$ref": "#/components/schemas/IncomingPhoneNumber"}}},
        },
        "Account": {"type": "object", "properties": {**account, "parent_sid": nullable}, "required": ["sid", "uri"]},
        "AccountList": {"type": "array", "items": {"$ref": "#/components/schemas/Account"}},
        "Application": {"type": "object", "properties": application},
        "ApplicationList": {"type": "array", "items": {"$ref": "#/components/schemas/Application"}},
        "Key": {"type": "object", "properties": key, "required": ["sid", "friendly_name", "uri"]},
        "KeyList": {"type": "array", "items": {"$ref": "#/components/schemas/Key"}},
        "AccessToken": {"type": "object", "properties": {
            **{k: _STRING for k in ("sid", "account_sid", "token", "date_created", "date_expires", "uri")},
            "ttl": {"type": "integer"}}, "required": ["sid", "token", "date_expires"]},
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
