"""A fake Vonage Numbers API.

``GET /number/search``, ``POST /number/buy``, ``POST /number/cancel``, ``POST
/number/update`` and ``GET /account/numbers``, with ``api_key``/``api_secret`` in the
query string or the form. Answers as Vonage does: search and listings
``{"count": N, "numbers": [...]}`` (just ``{"count": 0}`` when empty; ``size`` at most
100, ``index`` from 1), POSTs ``{"error-code": "200", "error-code-label": "success"}``,
refusals HTTP 420 ``{"error-code": "420", "error-code-label": "method failed"}``, bad
credentials HTTP 401.

Operations for faults and ``calls``: search, buy, cancel, update, numbers.
``owned`` holds msisdns (E.164 without ``+``); ``settings[msisdn]`` what update set.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Mapping

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from tests.fakes import FakeCarrier, Fault

SUCCESS = {"error-code": "200", "error-code-label": "success"}
METHOD_FAILED = {"error-code": "420", "error-code-label": "method failed"}


@dataclass(frozen=True)
class VonageNumber:
    msisdn: str
    country: str = "US"
    type: str = "landline"
    cost: str = "0.90"
    features: tuple[str, ...] = ("VOICE", "SMS")

    def json(self) -> dict[str, Any]:
        return {
            "country": self.country,
            "msisdn": self.msisdn,
            "type": self.type,
            "cost": self.cost,
            "features": list(self.features),
        }


@dataclass
class _Owned:
    number: VonageNumber
    settings: dict[str, str] = field(default_factory=dict)


class FakeVonage(FakeCarrier):
    operations = ("search", "buy", "cancel", "update", "numbers")

    def __init__(self, *, api_key: str = "key123", api_secret: str = "secret456", hang_seconds: float = 2.0) -> None:
        super().__init__(hang_seconds=hang_seconds)
        self.api_key = api_key
        self.api_secret = api_secret
        self.inventory: dict[str, VonageNumber] = {}
        self.taken: set[str] = set()
        self._owned: dict[str, _Owned] = {}
        #: (operation, parameters) of every call, credentials included
        self.requests: list[tuple[str, dict[str, str]]] = []

    def reset(self) -> None:
        with self.lock:
            super().reset()
            self.inventory.clear()
            self.taken.clear()
            self._owned.clear()
            self.requests.clear()

    # -- seeding and inspection ---------------------------------------------------------

    def seed(self, *msisdns: str, **fields: Any) -> None:
        with self.lock:
            for msisdn in msisdns:
                self.inventory[msisdn] = VonageNumber(msisdn, **fields)

    def give_us(self, *msisdns: str, **fields: Any) -> None:
        with self.lock:
            for msisdn in msisdns:
                number = self.inventory.setdefault(msisdn, VonageNumber(msisdn, **fields))
                self._owned[msisdn] = _Owned(number)

    @property
    def owned(self) -> set[str]:
        with self.lock:
            return set(self._owned)

    @property
    def settings(self) -> dict[str, dict[str, str]]:
        with self.lock:
            return {m: dict(o.settings) for m, o in self._owned.items()}

    def params_of(self, operation: str) -> list[dict[str, str]]:
        return [p for op, p in self.requests if op == operation]

    # -- the app ------------------------------------------------------------------------

    def build_app(self) -> Starlette:
        return Starlette(
            routes=[
                Route("/number/search", self._endpoint("search", self._search), methods=["GET"]),
                Route("/number/buy", self._endpoint("buy", self._buy), methods=["POST"]),
                Route("/number/cancel", self._endpoint("cancel", self._cancel), methods=["POST"]),
                Route("/number/update", self._endpoint("update", self._update), methods=["POST"]),
                Route("/account/numbers", self._endpoint("numbers", self._numbers), methods=["GET"]),
            ]
        )

    def _endpoint(self, operation: str, handler: Callable[[dict[str, str]], Response]) -> Callable[[Request], Any]:
        async def endpoint(request: Request) -> Response:
            params = dict(request.query_params)
            if request.method == "POST":
                params.update({k: str(v) for k, v in (await request.form()).items()})
            with self.lock:
                self.requests.append((operation, params))

            def act() -> Response:
                if (params.get("api_key"), params.get("api_secret")) != (self.api_key, self.api_secret):
                    return JSONResponse({"error-code": "401", "error-code-label": "authentication failed"}, 401)
                return handler(params)

            def refuse(fault: Fault) -> Response:
                body = {"error-code": fault.code or "420", "error-code-label": fault.label or "method failed"}
                return JSONResponse(body, fault.status or 420)

            def malformed() -> Response:
                return Response(b'{"error-code":"200","error-code-la', media_type="application/json")

            return await self.answer(operation, act, refuse=refuse, malformed=malformed)

        return endpoint

    # -- operations -------------------------------------------------------------------

    def _search(self, params: dict[str, str]) -> Response:
        country = params.get("country", "").upper()
        if not country:
            return JSONResponse({"error-code": "420", "error-code-label": "country is required"}, 420)
        wanted_type = params.get("type")
        features = {f for f in params.get("features", "").upper().split(",") if f}
        with self.lock:
            found = [
                n
                for m, n in sorted(self.inventory.items())
                if n.country == country
                and (not wanted_type or n.type == wanted_type)
                and features <= set(n.features)
                and _matches(m, params)
                and m not in self._owned
                and m not in self.taken
            ]
        return _listing([n.json() for n in found], params)

    def _buy(self, params: dict[str, str]) -> Response:
        msisdn, country = params.get("msisdn", ""), params.get("country", "")
        with self.lock:
            number = self.inventory.get(msisdn)
            if number is None or number.country != country or msisdn in self._owned or msisdn in self.taken:
                return JSONResponse(METHOD_FAILED, 420)
            self._owned[msisdn] = _Owned(number)
        return JSONResponse(SUCCESS)

    def _cancel(self, params: dict[str, str]) -> Response:
        msisdn = params.get("msisdn", "")
        with self.lock:
            owned = self._owned.get(msisdn)
            if owned is None or owned.number.country != params.get("country"):
                return JSONResponse(METHOD_FAILED, 420)
            del self._owned[msisdn]
        return JSONResponse(SUCCESS)

    def _update(self, params: dict[str, str]) -> Response:
        msisdn = params.get("msisdn", "")
        with self.lock:
            owned = self._owned.get(msisdn)
            if owned is None:
                return JSONResponse(METHOD_FAILED, 420)
            owned.settings.update(
                {k: v for k, v in params.items() if k not in ("api_key", "api_secret", "country", "msisdn")}
            )
        return JSONResponse(SUCCESS)

    def _numbers(self, params: dict[str, str]) -> Response:
        with self.lock:
            found = [
                {k: v for k, v in o.number.json().items() if k != "cost"}
                for m, o in sorted(self._owned.items())
                if _matches(m, params)
            ]
        return _listing(found, params)


def _matches(msisdn: str, params: Mapping[str, str]) -> bool:
    pattern = params.get("pattern", "")
    if not pattern:
        return True
    where = params.get("search_pattern", "0")
    if where == "0":
        return msisdn.startswith(pattern)
    if where == "2":
        return msisdn.endswith(pattern)
    return pattern in msisdn


def _listing(entries: list[dict[str, Any]], params: Mapping[str, str]) -> Response:
    try:
        size = min(max(int(params.get("size", "10")), 1), 100)
        index = max(int(params.get("index", "1")), 1)
    except ValueError:
        return JSONResponse({"error-code": "420", "error-code-label": "invalid size or index"}, 420)
    chunk = entries[(index - 1) * size : index * size]
    body: dict[str, Any] = {"count": len(entries)}
    if chunk:
        body["numbers"] = chunk
    return JSONResponse(body)
