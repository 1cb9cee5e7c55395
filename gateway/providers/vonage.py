"""Vonage (formerly Nexmo) over the Numbers API.

=============  ========================================  ====================================
call           request                                   retried (idempotent)
=============  ========================================  ====================================
search         ``GET /number/search``                    yes
buy            ``POST /number/buy`` (country, msisdn)    never
cancel         ``POST /number/cancel``                   never
update         ``POST /number/update``                   yes (it sets values: repeating it
                                                         is harmless)
owns           ``GET /account/numbers?pattern=msisdn``   yes
owned_numbers  ``GET /account/numbers``, every page      yes
countries      none: `COUNTRIES`
=============  ========================================  ====================================

``api_key``/``api_secret`` travel as query parameters on GETs and form fields on POSTs
(httpx's request log has them redacted, see `gateway.providers.http`). An ``msisdn`` is
the E.164 number without ``+``.

Answers and what they become:

======================================================  ===================================
answer                                                  raised
======================================================  ===================================
HTTP 200, ``error-code`` 200 (POST) / JSON body (GET)   (nothing)
HTTP 401 or 403, or ``error-code`` 401/403              ProviderUnavailableError,
                                                        outcome_unknown=False: "check
                                                        GATEWAY_VONAGE_API_KEY/SECRET"
HTTP 429 or ``error-code`` 429                          ProviderUnavailableError,
                                                        outcome_unknown=False (retried if
                                                        idempotent)
HTTP 5xx or ``error-code`` 5xx                          ProviderUnavailableError,
                                                        outcome_unknown for buy/cancel
any other ``error-code`` (e.g. 420 "method failed":     NumberUnavailableError with
number not available, not found, not ours, already      Vonage's label: the carrier refused,
owned), with HTTP 200 or 4xx                            so it did not act
HTTP 4xx without a JSON body                            ProviderUnavailableError,
                                                        outcome_unknown=False: "check
                                                        GATEWAY_VONAGE_URL"
a body that is not the JSON object expected             ProviderUnavailableError,
                                                        outcome_unknown for buy/cancel
connection refused, timeouts, dropped connections       as in `gateway.providers.http`
======================================================  ===================================

Search: the number type maps to ``landline`` / ``mobile-lvn`` / ``landline-toll-free``;
``AreaCode`` becomes ``pattern=<country code><area code>`` with ``search_pattern=0``
(starts with); otherwise ``Contains`` (its longest run of digits, if it has ``*``) is
sent with ``search_pattern=1`` (anywhere). ``SmsEnabled``/``VoiceEnabled``/
``MmsEnabled`` = true become ``features``. Everything else (the full ``Contains``, a
false capability, ``FaxEnabled``: Vonage numbers are never fax-capable, ``InRegion`` and
``InPostalCode``: Vonage reports neither, so they match nothing) is applied here to the
pages Vonage returned (``size`` 100, ``index`` from 1, at most `MAX_SEARCH_PAGES`).

Update: Vonage routes inbound SMS to ``moHttpUrl`` and posts call events to
``voiceStatusCallback``; the number's ``sms_url`` and ``status_callback`` are sent there
(an empty value clears them). Voice itself needs a SIP or application target the
gateway's configuration does not have, so voice routing is left as it is on Vonage.
"""

from __future__ import annotations

import re
from typing import Any, Mapping

import httpx
import phonenumbers

from gateway.domain.numbers import NumberType
from gateway.providers.base import (
    AvailableNumber,
    NumberUnavailableError,
    ProviderUnavailableError,
    Purchase,
    SearchFilters,
)
from gateway.providers.http import CarrierHttp, HttpOptions, malformed, page, status_failure

CARRIER = "Vonage"
DEFAULT_URL = "https://rest.nexmo.com"
TYPES = {
    NumberType.LOCAL: "landline",
    NumberType.MOBILE: "mobile-lvn",
    NumberType.TOLL_FREE: "landline-toll-free",
}
_TYPES_BACK = {v: k for k, v in TYPES.items()}
#: countries offered by `countries()`: the Numbers API has no listing of its own
COUNTRIES = ("AT", "AU", "BE", "CA", "CH", "DE", "DK", "ES", "FI", "FR", "GB", "IE", "IT",
             "NL", "NO", "PL", "PT", "SE", "US")
PAGE_SIZE = 100
MAX_SEARCH_PAGES = 5
#: owned_numbers stops after this many pages (100 000 numbers)
MAX_ACCOUNT_PAGES = 1000
_DIGIT_RUNS = re.compile(r"\d+")


class VonageProvider:
    name = "vonage"

    def __init__(
        self,
        api_key: str,
        api_secret: str,
        url: str = DEFAULT_URL,
        *,
        options: HttpOptions | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self._credentials = {"api_key": api_key, "api_secret": api_secret}
        options = options or HttpOptions()
        self._http = CarrierHttp(CARRIER, options, base_url=url.rstrip("/"), transport=transport)
        # buy and cancel are one exchange (a search that pages past this bound is cut short)
        self.call_timeout = options.call_seconds(1)

    # -- Provider -------------------------------------------------------------------

    async def countries(self) -> list[str]:
        return list(COUNTRIES)

    async def search(
        self, country: str, number_type: NumberType, filters: SearchFilters
    ) -> list[AvailableNumber]:
        country = country.upper()
        params: dict[str, Any] = {"country": country, "type": TYPES[number_type], "size": PAGE_SIZE}
        params.update(_pattern(country, filters))
        features = [
            name
            for name, want in (("SMS", filters.sms_enabled), ("VOICE", filters.voice_enabled), ("MMS", filters.mms_enabled))
            if want
        ]
        if features:
            params["features"] = ",".join(features)
        found: list[AvailableNumber] = []
        for index in range(1, MAX_SEARCH_PAGES + 1):
            body = await self._get("search", "/number/search", {**params, "index": index})
            entries = _entries(body, "search")
            found += [n for n in (_available(e, number_type) for e in entries) if n is not None]
            if len(page(found, filters)) >= filters.limit:
                break
            if len(entries) < PAGE_SIZE or index * PAGE_SIZE >= _count(body):
                break
        return page(found, filters)

    async def buy(
        self, phone_number: str, number_type: NumberType, routes: Mapping[str, object]
    ) -> Purchase:
        await self._post("buy", "/number/buy", _number(phone_number), idempotent=False)
        return Purchase(phone_number)

    async def update(self, phone_number: str, routes: Mapping[str, object]) -> None:
        form = {
            **_number(phone_number),
            "moHttpUrl": str(routes.get("sms_url") or ""),
            "voiceStatusCallback": str(routes.get("status_callback") or ""),
        }
        await self._post("update", "/number/update", form, idempotent=True)

    async def cancel(self, phone_number: str) -> None:
        await self._post("cancel", "/number/cancel", _number(phone_number), idempotent=False)

    async def owns(self, phone_number: str) -> bool | None:
        """Whether Vonage lists the number on this account.

        ProviderUnavailableError when Vonage cannot be asked (the reconciler retries).
        """
        msisdn = phone_number.lstrip("+")
        if not msisdn.isdigit():
            return False
        body = await self._get(
            "owns", "/account/numbers", {"pattern": msisdn, "search_pattern": 0, "size": PAGE_SIZE, "index": 1}
        )
        return any(str(e.get("msisdn")) == msisdn for e in _entries(body, "owns"))

    async def owned_numbers(self) -> list[str] | None:
        numbers: list[str] = []
        for index in range(1, MAX_ACCOUNT_PAGES + 1):
            body = await self._get("owned_numbers", "/account/numbers", {"size": PAGE_SIZE, "index": index})
            entries = _entries(body, "owned_numbers")
            numbers += [f"+{e['msisdn']}" for e in entries if str(e.get("msisdn", "")).isdigit()]
            if len(entries) < PAGE_SIZE or index * PAGE_SIZE >= _count(body):
                break
        return numbers

    async def aclose(self) -> None:
        await self._http.aclose()

    # -- protocol -------------------------------------------------------------------

    async def _get(self, operation: str, path: str, params: Mapping[str, Any]) -> dict[str, Any]:
        response = await self._http.request(
            operation, "GET", path, params={**self._credentials, **params}, idempotent=True
        )
        return _answer(response, operation, idempotent=True)

    async def _post(self, operation: str, path: str, form: Mapping[str, str], *, idempotent: bool) -> None:
        response = await self._http.request(
            operation, "POST", path, data={**self._credentials, **form}, idempotent=idempotent
        )
        body = _answer(response, operation, idempotent=idempotent)
        if str(body.get("error-code")) != "200":
            raise malformed(CARRIER, operation, "no error-code 200", idempotent=idempotent)


def _answer(response: httpx.Response, operation: str, *, idempotent: bool) -> dict[str, Any]:
    status = response.status_code
    if status in (401, 403):
        raise _credentials_refused(operation, status)
    try:
        body = response.json()
    except ValueError:
        body = None
    if not isinstance(body, dict):
        if status >= 400:
            raise ProviderUnavailableError(
                f"{CARRIER} answered {operation} with HTTP {status}; check GATEWAY_VONAGE_URL",
                outcome_unknown=False,
            )
        raise malformed(CARRIER, operation, "not a JSON object", idempotent=idempotent)
    code = str(body.get("error-code", "")).strip()
    if status < 400 and code in ("", "200"):
        return body
    code = code or str(status)
    label = str(body.get("error-code-label") or body.get("title") or body.get("detail") or "").strip()
    said = f"{CARRIER} refused {operation}: error-code {code}" + (f" ({label})" if label else "")
    if code in ("401", "403"):
        raise _credentials_refused(operation, int(code))
    if code == "429":
        raise status_failure(CARRIER, operation, 429, idempotent=idempotent)
    if code.startswith("5"):
        raise ProviderUnavailableError(said, outcome_unknown=not idempotent)
    raise NumberUnavailableError(said)


def _credentials_refused(operation: str, status: int) -> ProviderUnavailableError:
    return ProviderUnavailableError(
        f"{CARRIER} refused our credentials during {operation} ({status}); check "
        "GATEWAY_VONAGE_API_KEY and GATEWAY_VONAGE_API_SECRET",
        outcome_unknown=False,
    )


def _entries(body: Mapping[str, Any], operation: str) -> list[Mapping[str, Any]]:
    numbers = body.get("numbers", [])
    if not isinstance(numbers, list) or not all(isinstance(n, dict) for n in numbers):
        raise malformed(CARRIER, operation, "'numbers' is not a list of objects", idempotent=True)
    return numbers


def _count(body: Mapping[str, Any]) -> int:
    try:
        return int(body.get("count", 0))
    except (TypeError, ValueError):
        return 0


def _pattern(country: str, filters: SearchFilters) -> dict[str, Any]:
    if filters.area_code and filters.area_code.strip().isdigit():
        prefix = phonenumbers.country_code_for_region(country) or ""
        return {"pattern": f"{prefix}{filters.area_code.strip()}", "search_pattern": 0}
    if filters.contains:
        runs = _DIGIT_RUNS.findall(filters.contains)
        if runs:
            return {"pattern": max(runs, key=len), "search_pattern": 1}
    return {}


def _number(phone_number: str) -> dict[str, str]:
    try:
        parsed = phonenumbers.parse(phone_number)
    except phonenumbers.NumberParseException:
        raise NumberUnavailableError(f"{phone_number} is not an E.164 number") from None
    country = phonenumbers.region_code_for_number(parsed)
    if not country or country == "ZZ":
        raise NumberUnavailableError(f"{phone_number}: no country is known for this number")
    return {"country": country, "msisdn": phone_number.lstrip("+")}


def _available(entry: Mapping[str, Any], number_type: NumberType) -> AvailableNumber | None:
    msisdn = str(entry.get("msisdn", ""))
    if not msisdn.isdigit():
        return None
    e164 = f"+{msisdn}"
    try:
        parsed = phonenumbers.parse(e164)
    except phonenumbers.NumberParseException:
        return None
    features = {str(f).upper() for f in entry.get("features") or () if isinstance(f, str)}
    cost = entry.get("cost")
    return AvailableNumber(
        phone_number=e164,
        friendly_name=phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.NATIONAL),
        iso_country=str(entry.get("country") or "").upper() or phonenumbers.region_code_for_number(parsed) or "",
        number_type=_TYPES_BACK.get(str(entry.get("type")), number_type),
        voice_capable="VOICE" in features,
        sms_capable="SMS" in features,
        mms_capable="MMS" in features,
        fax_capable=False,
        cost=str(cost) if cost is not None else None,
    )

