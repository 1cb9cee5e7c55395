"""Buying a number: reserve it in the database, ask the carrier, then settle.

The reservation (a `pending` row) comes first, so the unique indexes, not a lock in
one process, stop two requests anywhere buying the same number. Each step is a short
transaction of its own and the carrier is asked with no session held:

1. reserve: insert the pending row, with `outcome_due_at` = now + the carrier's call
   bound (until then this request may still be waiting for the carrier);
2. buy at the carrier;
3. settle: activate the row; or remove it when the carrier refused or certainly did
   not act; or, when its answer never came, set `outcome_due_at` to now so the
   reconciler asks the carrier at its next round (`services.reconcile`).

A lost race for one candidate (an AreaCode purchase) rolls back only its own insert
and moves on to the next candidate.
"""

from __future__ import annotations

import random
from datetime import timedelta
from typing import Any

from sqlalchemy import delete, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select

from gateway.domain.errors import (
    Conflict,
    InvalidPhoneNumber,
    MissingPhoneNumber,
    NumberUnavailable,
    ProviderUnavailable,
    ServiceError,
)
from gateway.domain.ids import PHONE_NUMBER, new_sid
from gateway.domain.numbers import NumberStatus, NumberType, PurchaseRequest
from gateway.domain.route_families import APPLICATION_COLUMNS, CAPABILITIES, CAPABILITY_COLUMNS, ROUTE_SETTINGS
from gateway.providers.base import NumberUnavailableError, Provider, ProviderUnavailableError, Purchase, SearchFilters
from gateway.services import idempotency, validation
from gateway.services.access import require_account
from gateway.services.applications import check_usable, unusable_application
from gateway.services.carrier import ask, bounded
from gateway.services.phone import ParsedNumber, area_code_country, parse_did
from gateway.storage.database import Sessions
from gateway.storage.tables import Account, IncomingPhoneNumber, utcnow

MAX_SIP_NUMBER = 64
#: carrier candidates asked for per search of an AreaCode purchase
AREA_CODE_CANDIDATES = 20
#: searches of one AreaCode purchase before it gives up (concurrent buyers take candidates)
AREA_CODE_SEARCHES = 3
#: added to the carrier's call bound: the request's own steps around the call
_DEADLINE_MARGIN = timedelta(seconds=5)


async def purchase_number(
    *, db: Sessions, provider: Provider, caller: Account, request: PurchaseRequest
) -> IncomingPhoneNumber:
    """Buy a number for `request.account_sid`; with an idempotency key, a retry returns
    the first request's outcome."""
    values = validation.number_settings(request.settings)
    fields: dict[str, Any] = {
        **values,
        "friendly_name": validation.friendly_name(request.friendly_name) if request.friendly_name is not None else None,
        "api_version": validation.api_version(request.api_version) if request.api_version is not None else None,
    }
    key = idempotency.check_key(request.idempotency_key) if request.idempotency_key is not None else None
    async with db.session() as session:
        account = await require_account(session=session, caller=caller, account_sid=request.account_sid, write=True)
        await check_usable(session=session, account=account, values=values)
    if key is None:
        return await _Order(db, provider, account, fields, claim=None).place(request)

    parameters = {"phone_number": request.phone_number, "area_code": request.area_code,
                  "type": request.number_type and request.number_type.value, "is_sip": request.is_sip, **fields}
    claimed = await idempotency.claim(db, account.sid, key, parameters)
    if isinstance(claimed, idempotency.Replay):
        return claimed.number
    order = _Order(db, provider, account, fields, claim=claimed)
    try:
        number = await order.place(request)
    except idempotency.KEPT_ERRORS as refusal:
        await idempotency.finish(db, claimed, error=refusal)
        raise
    except ServiceError:
        if not order.left_pending:
            await idempotency.forget(db, claimed)  # nothing happened: a retry runs again
        raise  # else the record points at the pending number for the retry to find
    await idempotency.finish(db, claimed, number_sid=number.sid)
    return number


class _Taken(Exception):
    """The reservation lost to a row holding the number (taken() says whose)."""


class _Order:
    """One purchase in progress: who buys, with which settings, under which key."""

    def __init__(
        self, db: Sessions, provider: Provider, account: Account, fields: dict[str, Any],
        claim: idempotency.Claim | None,
    ) -> None:
        self.db, self.provider, self.fields, self.claim = db, provider, fields, claim
        # Plain values, read once: nothing of a session is used after it closed or rolled back.
        self.account_sid, self.organization_sid = account.sid, account.organization_sid
        #: true when the carrier's answer never came and a pending row was left for the reconciler
        self.left_pending = False

    async def place(self, request: PurchaseRequest) -> IncomingPhoneNumber:
        if request.is_sip:
            return await self.register_sip(request.phone_number)
        area_code = (request.area_code or "").strip()
        if area_code and request.number_type is None:
            return await self.buy_in_area_code(area_code)
        if not (request.phone_number or "").strip():
            if request.number_type is None:
                raise MissingPhoneNumber("{field} or {field:area_code} is required", field="phone_number")
            if area_code:
                raise MissingPhoneNumber(
                    "{field} is required: a purchase of a given type (Local, TollFree, Mobile) does not take {field:area_code}",
                    field="phone_number",
                )
            raise MissingPhoneNumber("{field} is required", field="phone_number")
        assert request.phone_number is not None
        parsed = parse_did(request.phone_number, wanted_type=request.number_type)
        try:
            return await self.reserve_and_buy(parsed)
        except _Taken:
            raise await self.taken(parsed.e164) from None

    async def register_sip(self, phone_number: str | None) -> IncomingPhoneNumber:
        # A SIP number is a name on our own platform: stored as sent, no carrier involved.
        value = (phone_number or "").strip()
        if not value:
            raise MissingPhoneNumber("{field} is required for a SIP number", field="phone_number")
        if len(value) > MAX_SIP_NUMBER or any(ch.isspace() or ch in "/?#" for ch in value):
            raise InvalidPhoneNumber(
                f"{{field}} {value[:80]!r} must be at most {MAX_SIP_NUMBER} characters"
                " with no spaces, '/', '?' or '#'",
                field="phone_number",
            )
        validation.text(value, field="phone_number")
        number = self.new_number(value, NumberType.LOCAL, default_name=value, status=NumberStatus.ACTIVE)
        number.is_sip = True
        if not await self.reserve(number):
            raise NumberUnavailable(f"SIP number {value} already exists in this organization", field="phone_number")
        return number

    async def buy_in_area_code(self, area_code: str) -> IncomingPhoneNumber:
        country = area_code_country(area_code)
        filters = SearchFilters(area_code=area_code, limit=AREA_CODE_CANDIDATES)
        for _ in range(AREA_CODE_SEARCHES):
            candidates = await ask(
                self.provider, self.provider.search(country, NumberType.LOCAL, filters), what="the search"
            )
            if not candidates:
                break
            # Concurrent buyers see the same candidates: each tries them in its own order.
            for candidate in random.sample(candidates, len(candidates)):
                try:
                    return await self.reserve_and_buy(parse_did(candidate.phone_number))
                except (_Taken, NumberUnavailable, InvalidPhoneNumber):
                    continue  # taken since the search (or a number we cannot take): try the next one
        raise NumberUnavailable(f"no number is available in area code {area_code}", field="area_code")

    async def reserve_and_buy(self, parsed: ParsedNumber) -> IncomingPhoneNumber:
        deadline = utcnow() + timedelta(seconds=self.provider.call_timeout) + _DEADLINE_MARGIN
        number = self.new_number(parsed.e164, parsed.number_type, default_name=parsed.national,
                                 status=NumberStatus.PENDING, outcome_due_at=deadline)
        if not await self.reserve(number):
            raise _Taken()
        routes = {s.column: getattr(number, s.column) for s in ROUTE_SETTINGS}
        try:
            purchase = await bounded(
                self.provider, self.provider.buy(parsed.e164, parsed.number_type, routes),
                what="the purchase", changes_state=True,
            )
        except NumberUnavailableError as refused:
            await self.unreserve(number.sid)
            raise NumberUnavailable(f"{{field}} {parsed.e164} is not available; the carrier says: {refused}", field="phone_number") from None
        except ProviderUnavailableError as failure:
            if failure.outcome_unknown:
                await self.leave_for_reconciler(number.sid)
            else:
                await self.unreserve(number.sid)
            raise ProviderUnavailable(
                f"the carrier could not be reached to buy {parsed.e164}; retry later"
                f"{' (with the same Idempotency-Key)' if failure.outcome_unknown else ''} ({failure})"
            ) from None
        return await self.activate(number.sid, parsed.e164, purchase)

    def new_number(
        self, phone_number: str, number_type: NumberType, *, default_name: str, status: NumberStatus,
        outcome_due_at: Any = None,
    ) -> IncomingPhoneNumber:
        settable = {k: v for k, v in self.fields.items() if v is not None}
        settable.setdefault("friendly_name", default_name)
        return IncomingPhoneNumber(
            sid=new_sid(PHONE_NUMBER),
            account_sid=self.account_sid,
            organization_sid=self.organization_sid,
            phone_number=phone_number,
            number_type=number_type.value,
            status=status.value,
            outcome_due_at=outcome_due_at,
            **settable,
        )

    async def reserve(self, number: IncomingPhoneNumber) -> bool:
        """Insert the row (pointing the key at it in the same commit); False if the number is taken."""
        async with self.db.session() as session:
            # Read before a rollback can expunge the row.
            account_sid, routes = number.account_sid, {column: getattr(number, column) for column in APPLICATION_COLUMNS}
            session.add(number)
            try:
                await session.flush()
            except IntegrityError:
                await session.rollback()
                if any(routes.values()):  # or an application it names was deleted since it was checked
                    error = await unusable_application(session, account_sid, routes)
                    if not isinstance(error, Conflict):
                        raise error from None
                return False
            if self.claim is not None:
                await idempotency.point_at(session, self.claim, number.sid)
            await session.commit()
        return True

    async def taken(self, phone_number: str) -> ServiceError:
        """Why the number could not be reserved: someone has it, or this account is buying it."""
        async with self.db.session() as session:
            holder = (await session.exec(
                select(IncomingPhoneNumber.account_sid, IncomingPhoneNumber.status, IncomingPhoneNumber.sid,
                       IncomingPhoneNumber.outcome_due_at)
                .where(IncomingPhoneNumber.phone_number == phone_number, col(IncomingPhoneNumber.is_sip).is_(False))
            )).first()
        if holder is not None and holder[0] == self.account_sid:
            _, status, sid, due = holder
            if status == NumberStatus.PENDING.value:
                # This account's own purchase of it, in flight or left for the reconciler: its
                # outcome is not known yet, so "not available" would be wrong either way.
                wait = int((due - utcnow()).total_seconds()) if due is not None else 0
                return ProviderUnavailable(
                    f"the purchase of {phone_number} for this account is still being confirmed with the carrier;"
                    " retry later to see how it ended", retry_after=min(max(wait, 5), 60),
                )
            return NumberUnavailable(f"{{field}} {phone_number} already belongs to this account ({sid})", field="phone_number")
        return NumberUnavailable(f"{{field}} {phone_number} is not available", field="phone_number")

    async def unreserve(self, number_sid: str) -> None:
        async with self.db.session() as session:
            await session.exec(delete(IncomingPhoneNumber).where(
                col(IncomingPhoneNumber.sid) == number_sid, col(IncomingPhoneNumber.status) == NumberStatus.PENDING.value
            ))
            if self.claim is not None:
                await idempotency.point_at(session, self.claim, None)
            await session.commit()

    async def leave_for_reconciler(self, number_sid: str) -> None:
        """The carrier's answer never came: the reconciler may ask it from now on."""
        self.left_pending = True
        async with self.db.session() as session:
            await session.exec(update(IncomingPhoneNumber).where(
                col(IncomingPhoneNumber.sid) == number_sid, col(IncomingPhoneNumber.status) == NumberStatus.PENDING.value
            ).values(outcome_due_at=utcnow()))
            await session.commit()

    async def activate(self, number_sid: str, phone_number: str, purchase: Purchase) -> IncomingPhoneNumber:
        settled: dict[str, Any] = {"status": NumberStatus.ACTIVE.value, "beta": purchase.beta,
                                   "outcome_due_at": None, "date_updated": utcnow()}
        for capability, column in zip(CAPABILITIES, CAPABILITY_COLUMNS, strict=True):
            # What the client asked for wins over what the carrier reports.
            if column not in self.fields and capability in purchase.capabilities:
                settled[column] = bool(purchase.capabilities[capability])
        async with self.db.session() as session:
            await session.exec(update(IncomingPhoneNumber).where(
                col(IncomingPhoneNumber.sid) == number_sid, col(IncomingPhoneNumber.status) == NumberStatus.PENDING.value
            ).values(**settled))
            await session.commit()
            # Active now, by us or by a reconciler that asked the carrier first: either way ours.
            number = await session.get(IncomingPhoneNumber, number_sid, populate_existing=True)
        if number is None:
            # Only the reconciler removes a pending row, and only once the carrier's late
            # window has passed; if it happened anyway, give the number back.
            await ask(self.provider, self.provider.cancel(phone_number), what="the cancellation")
            raise ProviderUnavailable(f"the purchase of {phone_number} was undone; retry")
        return number
