"""A fake VoIP Innovations: form POSTs of one ``apidata`` XML field to ``/api2.pl``.

Answers are shaped like the real carrier's (ISO-8859-1, a DOCTYPE, ``<response id>``
echoing the request id, ``<statusCode>`` in queryDID answers and ``<statuscode>``
elsewhere). Its status codes, which the provider reads by range:

====  ==========================================================================
100   success ("Results Found", "Number currently Available", "Number currently
      assigned to you" + ``<endpointgroup>``, "Assigned to endpoint …", "Released")
200   invalid login or password (any request)
201   the request is not valid XML; 202 unknown request type; 203 invalid endpoint
      group (assignDID)
300   no results found (getDIDs)
301   number not available (assigned to another customer)
302   no records found (not in the carrier's inventory)
303   already assigned to you (assignDID)
304   not assigned to you (releaseDID)
====  ==========================================================================

``owned`` holds national (10-digit) numbers; ``taken`` the ones another customer has.
"""

from __future__ import annotations

import uuid
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from typing import Iterable
from xml.sax.saxutils import escape

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from tests.fakes import FakeCarrier, Fault

_PROLOGUE = (
    '<?xml version="1.0" encoding="ISO-8859-1"?>'
    '<!DOCTYPE response SYSTEM "https://www.loginto.us/Voip/Back-Office">'
)


@dataclass(frozen=True)
class ViNumber:
    tn: str
    state: str = "CA"
    lata: str = "722"
    rate_center: str = "BELVEDERE"
    t38: bool = True
    tier: str = "0"


class FakeVoipInnovations(FakeCarrier):
    operations = ("getDIDs", "queryDID", "assignDID", "releaseDID")
    path = "/api2.pl"

    def __init__(
        self,
        *,
        login: str = "gateway",
        password: str = "s3cret<&>",
        endpoint_group: str = "rest-12345",
        hang_seconds: float = 2.0,
    ) -> None:
        super().__init__(hang_seconds=hang_seconds)
        self.login = login
        self.password = password
        self.endpoint_group = endpoint_group
        self.inventory: dict[str, ViNumber] = {}
        self.taken: set[str] = set()
        self._owned: dict[str, str] = {}  # tn -> endpoint group
        #: every apidata document received, parsed
        self.requests: list[ET.Element] = []

    def reset(self) -> None:
        with self.lock:
            super().reset()
            self.inventory.clear()
            self.taken.clear()
            self._owned.clear()
            self.requests.clear()

    # -- seeding and inspection ---------------------------------------------------------

    def seed(self, *tns: str, **where: object) -> None:
        with self.lock:
            for tn in tns:
                self.inventory[tn] = ViNumber(tn, **where)  # type: ignore[arg-type]

    def give_us(self, *tns: str) -> None:
        """Numbers already assigned to our account (seeded as owned)."""
        with self.lock:
            for tn in tns:
                self.inventory.setdefault(tn, ViNumber(tn))
                self._owned[tn] = self.endpoint_group

    @property
    def owned(self) -> set[str]:
        with self.lock:
            return set(self._owned)

    def requests_of(self, requesttype: str) -> list[ET.Element]:
        return [r for r in self.requests if r.findtext("body/requesttype") == requesttype]

    # -- the app ------------------------------------------------------------------------

    def build_app(self) -> Starlette:
        return Starlette(routes=[Route(self.path, self._api, methods=["POST"])])

    async def _api(self, request: Request) -> Response:
        form = await request.form()
        apidata = form.get("apidata")
        try:
            document = ET.fromstring(str(apidata or ""))
        except ET.ParseError:
            return _response("", "<error><status>Invalid request</status><statuscode>201</statuscode></error>")
        with self.lock:
            self.requests.append(document)
        rid = document.get("id", "")
        requesttype = (document.findtext("body/requesttype") or "").strip()
        item_element = document.find("body/item")
        item = {c.tag: (c.text or "").strip() for c in (list(item_element) if item_element is not None else [])}
        if requesttype not in self.operations:
            return _response(rid, _did("", "Unknown request type", 202))

        def act() -> Response:
            if (document.findtext("header/sender/login"), document.findtext("header/sender/password")) != (
                self.login,
                self.password,
            ):
                return _response(rid, _did(item.get("did", ""), "Invalid login or password", 200))
            return getattr(self, f"_{requesttype}")(rid, item)

        def refuse(fault: Fault) -> Response:
            code = int(fault.code or 301)
            status = fault.label or "Number currently not available"
            if requesttype == "getDIDs":
                return _response(rid, _search_status(item.get("npa", ""), status, code), fault.status or 200)
            query = requesttype == "queryDID"
            return _response(rid, _did(item.get("did", ""), status, code, query=query), fault.status or 200)

        def malformed() -> Response:
            return Response(
                (_PROLOGUE + f'<response id="{rid}"><header><sessionid>').encode("latin-1"),
                media_type="text/xml",
            )

        return await self.answer(requesttype, act, refuse=refuse, malformed=malformed)

    # -- operations (called under no lock; they take it) --------------------------------

    def _getDIDs(self, rid: str, item: dict[str, str]) -> Response:
        npa = item.get("npa", "")
        with self.lock:
            found = sorted(
                (n for tn, n in self.inventory.items() if tn.startswith(npa) and self._available(tn)),
                key=lambda n: (n.state, n.lata, n.rate_center, n.tn),
            )
        if len(npa) != 3 or not found:
            return _response(rid, _search_status(npa, "No Results Found", 300))
        return _response(rid, _search(npa, found))

    def _queryDID(self, rid: str, item: dict[str, str]) -> Response:
        tn = item.get("did", "")
        with self.lock:
            if tn in self._owned:
                extra = f"<endpointgroup>{escape(self._owned[tn])}</endpointgroup>"
                return _response(rid, _did(tn, "Number currently assigned to you", 100, query=True, extra=extra))
            if self._available(tn):
                return _response(rid, _did(tn, "Number currently Available", 100, query=True))
            if tn in self.inventory:
                return _response(rid, _did(tn, "Number currently not available", 301, query=True))
        return _response(rid, _did(tn, "No records found", 302, query=True))

    def _assignDID(self, rid: str, item: dict[str, str]) -> Response:
        tn, group = item.get("did", ""), item.get("endpointgroup", "")
        with self.lock:
            if group != self.endpoint_group:
                return _response(rid, _did(tn, f"Invalid endpoint group '{group}'", 203))
            if tn in self._owned:
                return _response(rid, _did(tn, "DID already assigned to you", 303))
            if not self._available(tn):
                known = tn in self.inventory
                return _response(rid, _did(tn, "Number not available" if known else "No records found", 301 if known else 302))
            self._owned[tn] = group
            tier = self.inventory[tn].tier
        status = f"Assigned to endpoint '{group}' rewritten as '+1{tn}' Tier {tier}"
        return _response(rid, _did(tn, status, 100, extra=f"<refid></refid><cnam>0</cnam><tier>{tier}</tier>"))

    def _releaseDID(self, rid: str, item: dict[str, str]) -> Response:
        tn = item.get("did", "")
        with self.lock:
            if tn not in self._owned:
                return _response(rid, _did(tn, "DID not assigned to you", 304))
            del self._owned[tn]
        return _response(rid, _did(tn, "Released", 100))

    def _available(self, tn: str) -> bool:
        return tn in self.inventory and tn not in self._owned and tn not in self.taken


def _response(rid: str, body: str, status_code: int = 200) -> Response:
    document = (
        f'{_PROLOGUE}<response id="{escape(rid)}"><header><sessionid>{uuid.uuid4().hex}</sessionid></header>'
        f"<body>{body}</body></response>"
    )
    return Response(document.encode("latin-1"), status_code=status_code, media_type="text/xml; charset=ISO-8859-1")


def _did(tn: str, status: str, code: int, *, query: bool = False, extra: str = "") -> str:
    tag = "statusCode" if query else "statuscode"
    number = f"<tn>{escape(tn)}</tn>" if query else f"<TN>{escape(tn)}</TN>"
    return f"<did>{number}<status>{escape(status)}</status><{tag}>{code}</{tag}>{extra}</did>"


def _search_status(npa: str, status: str, code: int) -> str:
    return (
        f"<search><name>npa = '{escape(npa)}' </name><status>{escape(status)}</status>"
        f"<statuscode>{code}</statuscode></search>"
    )


def _search(npa: str, numbers: Iterable[ViNumber]) -> str:
    """Nest state → lata → rate_center → npa → nxx → tn, as the carrier does."""
    tree: dict[str, dict[str, dict[str, dict[str, list[ViNumber]]]]] = {}
    for n in numbers:
        tree.setdefault(n.state, {}).setdefault(n.lata, {}).setdefault(n.rate_center, {}).setdefault(
            n.tn[3:6], []
        ).append(n)
    parts = [f"<search><name>npa = '{escape(npa)}' </name><status>Results Found</status><statuscode>100</statuscode>"]
    for state, latas in tree.items():
        parts.append(f"<state><name>{escape(state)}</name>")
        for lata, centers in latas.items():
            parts.append(f"<lata><name>{escape(lata)}</name>")
            for center, nxxs in centers.items():
                parts.append(f"<rate_center><name>{escape(center)}</name><npa><name>{escape(npa)}</name>")
                for nxx, tns in nxxs.items():
                    parts.append(f"<nxx><name>{nxx}</name>")
                    parts += [
                        f'<tn tier="{n.tier}" t38="{int(n.t38)}" cnamStorage="0">{n.tn}</tn>' for n in tns
                    ]
                    parts.append("</nxx>")
                parts.append("</npa></rate_center>")
            parts.append("</lata>")
        parts.append("</state>")
    parts.append("</search>")
    return "".join(parts)
