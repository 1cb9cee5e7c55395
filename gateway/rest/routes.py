"""The REST route table, under `/restcomm/2012-04-24` and `/2012-04-24` alike.

Each resource is one route whatever its methods, so that a method it does not serve is
a 405 whose `Allow` names every method it does serve, and `OPTIONS` answers 204 with
that same `Allow`. A number sid segment never matches the typed subresources' names
(`IncomingPhoneNumbers/Local` is not the number "Local" for PUT or DELETE).
"""

from __future__ import annotations

from typing import Awaitable, Callable, Mapping

from starlette.convertors import Convertor, register_url_convertor
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.types import Receive, Scope, Send

from gateway.rest import access_tokens, accounts, available, keys, numbers
from gateway.rest.openapi import openapi_endpoint

API_PREFIXES = ("/restcomm/2012-04-24", "/2012-04-24")
_NUMBERS = "/Accounts/{account_sid}/IncomingPhoneNumbers"
#: segments under IncomingPhoneNumbers that are resources of their own, not number sids
_NOT_NUMBER_SIDS = ("AvailableCountries", *numbers.SUBRESOURCES)

Endpoint = Callable[[Request], Awaitable[Response]]


class NumberSidConvertor(Convertor[str]):
    regex = "(?!(?:" + "|".join(_NOT_NUMBER_SIDS) + ")$)[^/]+"

    def convert(self, value: str) -> str:
        return value

    def to_string(self, value: str) -> str:
        return value


register_url_convertor("number_sid", NumberSidConvertor())


class Resource:
    """The ASGI app of one resource: dispatches by method (HEAD as GET); answers OPTIONS
    itself and any other method it does not serve with 405. As an ASGI app rather than an
    endpoint function, Starlette hands it every method instead of answering some itself."""

    def __init__(self, handlers: Mapping[str, Endpoint]) -> None:
        self.handlers = dict(handlers)
        served = [*handlers, "HEAD"] if "GET" in handlers else [*handlers]
        self.allow = ", ".join([*served, "OPTIONS"])

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        request = Request(scope, receive)
        method = "GET" if request.method == "HEAD" else request.method
        if method == "OPTIONS":
            response = Response(status_code=204, headers={"Allow": self.allow})
        elif (handler := self.handlers.get(method)) is not None:
            response = await handler(request)
        else:
            raise HTTPException(405, headers={"Allow": self.allow})
        await response(scope, receive, send)


def resource(path: str, handlers: Mapping[str, Endpoint]) -> Route:
    return Route(path, Resource(handlers))


def resources() -> list[tuple[str, dict[str, Endpoint]]]:
    """Every resource and the handler of each method it serves."""
    table: list[tuple[str, dict[str, Endpoint]]] = [
        ("/Accounts", {"GET": accounts.list_accounts, "POST": accounts.create_subaccount}),
        ("/Accounts/{account_sid}",
         {"GET": accounts.get_account, "POST": accounts.update_account, "PUT": accounts.update_account}),
        ("/Accounts/{account_sid}/Keys", {"GET": keys.list_keys, "POST": keys.create_key}),
        ("/Accounts/{account_sid}/Keys/{key_sid}", {"GET": keys.get_key, "DELETE": keys.revoke_key}),
        ("/Accounts/{account_sid}/AccessTokens", {"POST": access_tokens.create_access_token}),
        ("/Accounts/{account_sid}/AccessTokens/{token_sid}", {"DELETE": access_tokens.revoke_access_token}),
        ("/Accounts/{account_sid}/Applications",
         {"GET": accounts.list_applications, "POST": accounts.create_application}),
        ("/Accounts/{account_sid}/Applications/{application_sid}", {
            "GET": accounts.get_application, "POST": accounts.update_application, "PUT": accounts.update_application,
            "DELETE": accounts.delete_application,
        }),
        (_NUMBERS, {"GET": numbers.list_endpoint(None), "POST": numbers.purchase_endpoint(None)}),
        (f"{_NUMBERS}/AvailableCountries", {"GET": available.countries}),
    ]
    for name, number_type in numbers.SUBRESOURCES.items():
        table.append((f"/Accounts/{{account_sid}}/AvailablePhoneNumbers/{{iso_country}}/{name}",
                      {"GET": available.search_endpoint(number_type)}))
        table.append((f"{_NUMBERS}/{name}",
                      {"GET": numbers.list_endpoint(number_type), "POST": numbers.purchase_endpoint(number_type)}))
    table.append((f"{_NUMBERS}/{{number_sid:number_sid}}", {
        "GET": numbers.get_number, "POST": numbers.update_number, "PUT": numbers.update_number,
        "DELETE": numbers.release_number,
    }))
    return table


def rest_routes() -> list[BaseRoute]:
    api: list[BaseRoute] = [resource(path, handlers) for path, handlers in resources()]
    # `/openapi.json` reaches routing as `/openapi`: JsonSuffix strips `.json` everywhere.
    return [Route("/openapi", openapi_endpoint, methods=["GET"])] + [
        Mount(prefix, routes=api) for prefix in API_PREFIXES
    ]
