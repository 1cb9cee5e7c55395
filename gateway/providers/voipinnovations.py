"""VoIP Innovations, Restcomm's default carrier, over its ``apidata`` XML protocol.

Every call is a form POST of one field, ``apidata``, to ``GATEWAY_VOIPINNOVATIONS_URL``::

    <request id="…"><header><sender><login>…</login><password>…</password></sender></header>
    <body><requesttype>T</requesttype><item>…</item></body></request>

=============  ==================================  ===========================================
call           request types                       retried (idempotent)
=============  ==================================  ===========================================
search         ``getDIDs`` (``<npa>``)             yes
buy            ``queryDID`` then ``assignDID``     queryDID yes; assignDID never
cancel         ``queryDID`` then ``releaseDID``    queryDID yes; releaseDID never
update         none (routing lives in the gateway)
countries      none: ``["US"]``
owns           ``queryDID``                        yes
owned_numbers  none: this protocol has no listing, so ``None`` (use ``owns``)
=============  ==================================  ===========================================

Answers carry a status code (``<statusCode>`` in queryDID answers, ``<statuscode>`` in
the others; both are read without regard to case). Only 100 (success) is fixed by the
protocol as Restcomm used it; the other codes are read by range, and a ``<status>`` text
that talks about the login, password or endpoint group always means a configuration
problem, whatever its code:

=============================  ===============================  ==============================
status code                    our reading                      raised
=============================  ===============================  ==============================
100                            success                          (nothing)
200–299, or a status about     the carrier refused the request  ProviderUnavailableError,
login/password/endpoint group  itself (credentials, account,    outcome_unknown=False, naming
                               malformed request)               the GATEWAY_VOIPINNOVATIONS_*
                                                                variables to check
300–399                        number refusal: no results, not  NumberUnavailableError
                               available, not found, not        (getDIDs: an empty list)
                               assigned to this account
500 and above                  carrier-side failure             ProviderUnavailableError,
                                                                outcome_unknown for assign/
                                                                release, not for queries
any other code                 a refusal                        NumberUnavailableError
missing code, not XML, or      unreadable                       ProviderUnavailableError,
not a ``<response>``                                            outcome_unknown for assign/
                                                                release, not for queries
=============================  ===============================  ==============================

HTTP failures (connection refused, timeouts, dropped connections, 5xx) map as in
`gateway.providers.http`. A non-200, non-5xx HTTP answer means the URL or the
credentials are wrong (ProviderUnavailableError, outcome_unknown=False).

A queryDID answer of 100 says the number exists for us: either it is available, or it
is already assigned to this account. The two are told apart by the answer naming an
endpoint group, or by its status text ("…assigned to you…" / "…Available…"). Buying a
number already assigned to us is refused (the gateway never keeps one carrier number
twice); releasing a number the carrier says is available (not ours) is refused too,
which the service layer reads as "already released".

Search: ``getDIDs`` takes only a 3-digit area code (NPA); without ``AreaCode`` the first
three digits of ``Contains`` are used (a leading country code 1 is skipped, as no NPA
starts with 1). The answer nests ``search → state → lata → rate_center → npa → nxx →
tn``; ``Contains``, ``InRegion`` (the state), ``InPostalCode`` (never known: matches
nothing), the capability filters (voice always, fax = ``t38``, no SMS/MMS information)
and offset/limit are applied here. Only US local numbers are sold: other countries and
types answer an empty list.
"""

from __future__ import annotations

import re
import uuid
import xml.etree.ElementTree as ET
from typing import Iterator, Mapping

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
from gateway.providers.http import CarrierHttp, HttpOptions, malformed, page

CARRIER = "VoIP Innovations"
SUCCESS = 100
_CONFIG_WORDS = re.compile(r"login|password|authenticat|credential|authori[sz]|endpoint ?group", re.IGNORECASE)
_ASSIGNED_TO_US = re.compile(r"assigned to (you|your|this)|\byours\b|\bowned by you", re.IGNORECASE)
_AVAILABLE = re.compile(r"\bavailable\b", re.IGNORECASE)
_NOT_AVAILABLE = re.compile(r"\b(not|un)\s*available\b", re.IGNORECASE)
_US_NUMBER = re.compile(r"^\+1(\d{10})$")


class VoipInnovationsProvider:
    name = "voipinnovations"

    def __init__(
        self,
        url: str,
        login: str,
        password: str,
        endpoint_group: str,
        *,
        options: HttpOptions | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self._url = url
        self._login = login
        self._password = password
        self._endpoint_group = endpoint_group
        options = options or HttpOptions()
        self._http = CarrierHttp(CARRIER, options, transport=transport)
        # buy and cancel are two exchanges each (queryDID, then assignDID or releaseDID)
        self.call_timeout = options.call_seconds(2)

    # -- Provider -------------------------------------------------------------------

    async def countries(self) -> list[str]:
        return ["US"]

    async def search(
        self, country: str, number_type: NumberType, filters: SearchFilters
    ) -> list[AvailableNumber]:
        if country.upper() != "US" or number_type is not NumberType.LOCAL:
            return []
        npa = _npa(filters)
        root = await self._call("getDIDs", {"npa": npa}, idempotent=True)
        code, status = _status(root, "getDIDs", idempotent=True)
        if code != SUCCESS:
            try:
                self._refuse("getDIDs", code, status, idempotent=True, subject=f"area code {npa}")
            except NumberUnavailableError:
                return []  # "no results": an empty search, not an error
        return page(_available_numbers(root), filters)

    async def buy(
        self, phone_number: str, number_type: NumberType, routes: Mapping[str, object]
    ) -> Purchase:
        did = _did(phone_number)
        assigned = await self._query(did, phone_number)
        if assigned:
            raise NumberUnavailableError(f"{phone_number} is already assigned to this VoIP Innovations account")
        root = await self._call(
            "assignDID", {"did": did, "endpointgroup": self._endpoint_group}, idempotent=False
        )
        code, status = _status(root, "assignDID", idempotent=False)
        if code != SUCCESS:
            self._refuse("assignDID", code, status, idempotent=False, subject=phone_number)
        return Purchase(phone_number, capabilities={"voice": True})

    async def update(self, phone_number: str, routes: Mapping[str, object]) -> None:
        return None  # calls reach the endpoint group; the gateway keeps the routes

    async def cancel(self, phone_number: str) -> None:
        did = _did(phone_number)
        assigned = await self._query(did, phone_number)
        if assigned is False:
            raise NumberUnavailableError(f"{phone_number} is not assigned to this VoIP Innovations account")
        root = await self._call("releaseDID", {"did": did}, idempotent=False)
        code, status = _status(root, "releaseDID", idempotent=False)
        if code != SUCCESS:
            self._refuse("releaseDID", code, status, idempotent=False, subject=phone_number)

    async def owns(self, phone_number: str) -> bool | None:
        """Whether the carrier says the number is assigned to this account.

        None when its answer does not say; ProviderUnavailableError when it cannot be
        asked (the reconciler then tries again later).
        """
        match = _US_NUMBER.match(phone_number)
        if not match:
            return False
        try:
            return await self._query(match.group(1), phone_number)
        except NumberUnavailableError:
            return False  # unknown to the carrier, or someone else's

    async def owned_numbers(self) -> list[str] | None:
        return None  # the apidata protocol cannot list a customer's numbers

    async def aclose(self) -> None:
        await self._http.aclose()

    # -- protocol -------------------------------------------------------------------

    async def _query(self, did: str, phone_number: str) -> bool | None:
        """queryDID: True if assigned to us, False if available, None if 100 says no more.

        Refusals (not available, unknown) raise NumberUnavailableError.
        """
        root = await self._call("queryDID", {"did": did}, idempotent=True)
        code, status = _status(root, "queryDID", idempotent=True)
        if code != SUCCESS:
            self._refuse("queryDID", code, status, idempotent=True, subject=phone_number)
        answer = _first(root, "did")
        if answer is not None and any(
            (e.text or "").strip() for e in _descendants(answer, "endpointgroup", "endpoint")
        ):
            return True
        if _ASSIGNED_TO_US.search(status):
            return True
        if _AVAILABLE.search(status) and not _NOT_AVAILABLE.search(status):
            return False
        return None

    async def _call(self, requesttype: str, item: Mapping[str, str], *, idempotent: bool) -> ET.Element:
        response = await self._http.request(
            requesttype,
            "POST",
            self._url,
            data={"apidata": self._apidata(requesttype, item)},
            idempotent=idempotent,
        )
        if response.status_code in (401, 403):
            raise ProviderUnavailableError(
                f"{CARRIER} refused our credentials (HTTP {response.status_code}); check "
                "GATEWAY_VOIPINNOVATIONS_LOGIN and GATEWAY_VOIPINNOVATIONS_PASSWORD",
                outcome_unknown=False,
            )
        if response.status_code != 200:
            raise ProviderUnavailableError(
                f"{CARRIER} answered {requesttype} with HTTP {response.status_code}; "
                "check GATEWAY_VOIPINNOVATIONS_URL",
                outcome_unknown=False,
            )
        return _parse(response.content, requesttype, idempotent=idempotent)

    def _apidata(self, requesttype: str, item: Mapping[str, str]) -> str:
        request = ET.Element("request", id=uuid.uuid4().hex)
        sender = ET.SubElement(ET.SubElement(request, "header"), "sender")
        ET.SubElement(sender, "login").text = self._login
        ET.SubElement(sender, "password").text = self._password
        body = ET.SubElement(request, "body")
        ET.SubElement(body, "requesttype").text = requesttype
        item_element = ET.SubElement(body, "item")
        for name, value in item.items():
            ET.SubElement(item_element, name).text = value
        return ET.tostring(request, encoding="unicode")

    def _refuse(self, operation: str, code: int, status: str, *, idempotent: bool, subject: str) -> None:
        said = f"{CARRIER} {operation}: status {code}" + (f" ({status})" if status else "")
        if 200 <= code < 300 or _CONFIG_WORDS.search(status):
            raise ProviderUnavailableError(
                f"{said}; check GATEWAY_VOIPINNOVATIONS_LOGIN, GATEWAY_VOIPINNOVATIONS_PASSWORD "
                "and GATEWAY_VOIPINNOVATIONS_ENDPOINT_GROUP",
                outcome_unknown=False,
            )
        if code >= 500:
            raise ProviderUnavailableError(said, outcome_unknown=not idempotent)
        raise NumberUnavailableError(f"{subject}: {said}")


# -- parsing --------------------------------------------------------------------------


def _local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1].lower() if isinstance(tag, str) else ""


def _children(element: ET.Element, name: str) -> Iterator[ET.Element]:
    return (child for child in element if _local(child.tag) == name)


def _descendants(element: ET.Element, *names: str) -> Iterator[ET.Element]:
    return (e for e in element.iter() if _local(e.tag) in names)


def _first(element: ET.Element, name: str) -> ET.Element | None:
    return next(_descendants(element, name), None)


def _name(element: ET.Element) -> str | None:
    child = next(_children(element, "name"), None)
    text = (child.text or "").strip() if child is not None else ""
    return text or None


def _parse(content: bytes, operation: str, *, idempotent: bool) -> ET.Element:
    if b"<!ENTITY" in content:
        raise malformed(CARRIER, operation, "entity declarations refused", idempotent=idempotent)
    try:
        root = ET.fromstring(content)
    except ET.ParseError as error:
        raise malformed(CARRIER, operation, f"not XML: {error}", idempotent=idempotent) from None
    if _local(root.tag) != "response":
        raise malformed(CARRIER, operation, f"<{_local(root.tag)}> is not a <response>", idempotent=idempotent)
    return root


def _status(root: ET.Element, operation: str, *, idempotent: bool) -> tuple[int, str]:
    body = next(_children(root, "body"), None)
    code_element = _first(body, "statuscode") if body is not None else None
    text = (code_element.text or "").strip() if code_element is not None else ""
    if not text.isdigit():
        raise malformed(CARRIER, operation, "no status code", idempotent=idempotent)
    status_element = _first(body, "status") if body is not None else None
    status = (status_element.text or "").strip() if status_element is not None else ""
    return int(text), status


def _available_numbers(root: ET.Element) -> Iterator[AvailableNumber]:
    search = _first(root, "search")
    if search is None:
        return
    for state in _children(search, "state"):
        for lata in _children(state, "lata"):
            for center in _children(lata, "rate_center"):
                for npa in _children(center, "npa"):
                    for nxx in _children(npa, "nxx"):
                        for tn in _children(nxx, "tn"):
                            digits = (tn.text or "").strip()
                            if len(digits) != 10 or not digits.isdigit():
                                continue
                            yield _available(
                                digits, _name(state), _name(lata), _name(center), tn.get("t38") == "1"
                            )


def _available(
    digits: str, state: str | None, lata: str | None, rate_center: str | None, t38: bool
) -> AvailableNumber:
    e164 = f"+1{digits}"
    parsed = phonenumbers.parse(e164)
    return AvailableNumber(
        phone_number=e164,
        friendly_name=phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.NATIONAL),
        iso_country="US",
        number_type=NumberType.LOCAL,
        region=state,
        rate_center=rate_center,
        lata=lata,
        voice_capable=True,
        fax_capable=t38,
    )


# -- numbers --------------------------------------------------------------------------


def _did(phone_number: str) -> str:
    match = _US_NUMBER.match(phone_number)
    if not match:
        raise NumberUnavailableError(
            f"{phone_number}: VoIP Innovations sells only US numbers (+1 and 10 digits)"
        )
    return match.group(1)


def _npa(filters: SearchFilters) -> str:
    if filters.area_code is not None and filters.area_code.strip():
        code = filters.area_code.strip()
        if len(code) == 3 and code.isdigit():
            return code
        raise NumberUnavailableError(f"VoIP Innovations searches only 3-digit area codes, not {code!r}")
    contains = (filters.contains or "").strip()
    if contains.startswith("1") and len(contains) >= 4:
        contains = contains[1:]  # the country code: no area code starts with 1
    if len(contains) >= 3 and contains[:3].isdigit():
        return contains[:3]
    raise NumberUnavailableError(
        "VoIP Innovations searches need an AreaCode or a Contains starting with 3 digits"
    )
