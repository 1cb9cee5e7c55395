"""The REST route table, under `/restcomm/2012-04-24` and `/2012-04-24` alike."""

from __future__ import annotations

from starlette.routing import BaseRoute, Mount, Route

from gateway.rest import accounts, available, numbers
from gateway.rest.openapi import openapi_endpoint

API_PREFIXES = ("/restcomm/2012-04-24", "/2012-04-24")
_NUMBERS = "/Accounts/{account_sid}/IncomingPhoneNumbers"


def _account_routes() -> list[BaseRoute]:
    routes: list[BaseRoute] = [
        Route("/Accounts", accounts.list_accounts, methods=["GET"]),
        Route("/Accounts", accounts.create_subaccount, methods=["POST"]),
        Route("/Accounts/{account_sid}", accounts.get_account, methods=["GET"]),
        Route("/Accounts/{account_sid}/Applications", accounts.list_applications, methods=["GET"]),
        Route("/Accounts/{account_sid}/Applications", accounts.create_application, methods=["POST"]),
        Route(_NUMBERS, numbers.list_endpoint(None), methods=["GET"]),
        Route(_NUMBERS, numbers.purchase_endpoint(None), methods=["POST"]),
    ]
    # The typed subresources come before `{number_sid}` so they are not taken for sids.
    routes.append(Route(f"{_NUMBERS}/AvailableCountries", available.countries, methods=["GET"]))
    for name, number_type in numbers.SUBRESOURCES.items():
        routes.append(Route(
            f"/Accounts/{{account_sid}}/AvailablePhoneNumbers/{{iso_country}}/{name}",
            available.search_endpoint(number_type), methods=["GET"],
        ))
        routes.append(Route(f"{_NUMBERS}/{name}", numbers.list_endpoint(number_type), methods=["GET"]))
        routes.append(Route(f"{_NUMBERS}/{name}", numbers.purchase_endpoint(number_type), methods=["POST"]))
    routes += [
        Route(f"{_NUMBERS}/{{number_sid}}", numbers.get_number, methods=["GET"]),
        Route(f"{_NUMBERS}/{{number_sid}}", numbers.update_number, methods=["POST", "PUT"]),
        Route(f"{_NUMBERS}/{{number_sid}}", numbers.release_number, methods=["DELETE"]),
    ]
    return routes


def rest_routes() -> list[BaseRoute]:
    api = _account_routes()
    # `/openapi.json` reaches routing as `/openapi`: JsonSuffix strips `.json` everywhere.
    return [Route("/openapi", openapi_endpoint, methods=["GET"])] + [
        Mount(prefix, routes=api) for prefix in API_PREFIXES
    ]
