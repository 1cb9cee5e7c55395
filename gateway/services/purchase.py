"""Buying a number: reserve it in the database, ask the carrier, then settle.

The reservation (a `pending` row) comes first, so the unique indexes, not a lock in
one process, stop two requests anywhere buying the same number. The carrier's answer
activates the row or removes it; an answer that never came (timeout after sending)
leaves it pending, invisible to lists, until the reconciler asks the carrier.
"""

from __future__ import annotations

from typing import Any, Mapping

from sqlalchemy import delete, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession

from gateway.providers.base import NumberType, NumberUnavailableError, Provider, ProviderUnavailableError, SearchFilters
from gateway.services import idempotency, validation
from gateway.services.access import require_account
from gateway.services.applications import check_usable
from gateway.services.errors import (
    InvalidPhoneNumber,
    MissingPhoneNumber,
    NumberUnavailable,
    ProviderUnavailable,
    ServiceError,
)
from gateway.services.ids import PHONE_NUMBER, new_sid
from gateway.services.numbers import ask_carrier, carrier_routes
from gateway.services.phone import ParsedNumber, area_code_country, parse_did
from gateway.services.route_families import CAPABILITIES, CAPABILITY_COLUMNS
from gateway.storage.tables import Account, IdempotencyRecord, IncomingPhoneNumber, utcnow

MAX_SIP_NUMBER = 64
#: carrier candidates tried for one AreaCode purchase before giving up
AREA_CODE_ATTEMPTS = 5


async def purchase_number(
    *,
    session: AsyncSession,
    provider: Provider,
    caller: Account,
    account_sid: str,
    phone_number: str | None = None,
    area_code: str | None = None,
    number_type: NumberType | None = None,
    is_sip: bool = False,
    friendly_name: str | None = None,
    api_version: str | None = None,
    settings: Mapping[str, Any] | None = None,
    idempotency_key: str | None = None,
) -> IncomingPhoneNumber:
    """Buy a number for `account_sid`.

    `number_type` set means a typed subresource: the number must be of that type and
    `area_code` is not accepted there. Otherwise `area_code` wins over `phone_number`.
    With `idempotency_key`, a retry returns the first request's outcome.
    """
    account = await require_account(session=session, caller=caller, account_sid=account_sid, write=True)
    values = validation.number_settings(settings or {})
    await check_usable(session=session, account=account, values=values)
    name = validation.friendly_name(friendly_name) if friendly_name is not None else None
    version = validation.api_version(api_version) if api_version is not None else None
    fields: dict[str, Any] = {**values, "friendly_name": name, "api_version": version}
    order = _Order(session, provider, account, fields, record=None)

    if idempotency_key is None:
        return await order.place(phone_number, area_code, number_type, is_sip)
    key = idempotency.check_key(idempotency_key)
    parameters = {"phone_number": phone_number, "area_code": area_code, "type": number_type and number_type.value,
                  "is_sip": is_sip, **fields}
    claimed = await idempotency.begin(session, account.sid, key, parameters)
    if isinstance(claimed, idempotency.Replay):
        return claimed.number
    order.record = claimed
    try:
        number = await order.place(phone_number, area_code, number_type, is_sip)
    except idempotency.KEPT_ERRORS as refusal:
        await idempotency.finish(session, claimed, error=refusal)
        raise
    except ServiceError:
        if order.left_pending is None:
            await idempotency.forget(session, claimed)  # nothing happened: a retry runs again
        raise  # else the record points at the pending number for the retry to find
    await idempotency.finish(session, claimed, number_sid=number.sid)
    return number


class _Order:
    """One purchase in progress (the state the steps share)."""

    def __init__(
        self, session: AsyncSession, provider: Provider, account: Account, fields: dict[str, Any],
        record: IdempotencyRecord | None,
    ) -> None:
        self.session, self.provider, self.account, self.fields = session, provider, account, fields
        self.record = record
        #: the number left pending when the carrier's answer is unknown
        self.left_pending: IncomingPhoneNumber | None = None

    async def place(
        self, phone_number: str | None, area_code: str | None, number_type: NumberType | None, is_sip: bool
    ) -> IncomingPhoneNumber:
        if is_sip:
            return await self.register_sip(phone_number)
        if area_code and area_code.strip() and number_type is None:
            return await self.buy_in_area_code(area_code)
        if phone_number is None or not phone_number.strip():
            if number_type is None:
                raise MissingPhoneNumber("PhoneNumber or AreaCode is required", field="phone_number")
            if area_code and area_code.strip():
                raise MissingPhoneNumber(
                    "PhoneNumber is required: the Local, TollFree and Mobile resources do not accept AreaCode",
                    field="phone_number",
                )
            raise MissingPhoneNumber("PhoneNumber is required", field="phone_number")
        return await self.reserve_and_buy(parse_did(phone_number, wanted_type=number_type))

    async def register_sip(self, phone_number: str | None) -> IncomingPhoneNumber:
        # A SIP number is a name on our own platform: stored as sent, no carrier involved.
        value = (phone_number or "").strip()
        if not value:
            raise MissingPhoneNumber("PhoneNumber is required for a SIP number", field="phone_number")
        if (
            len(value) > MAX_SIP_NUMBER or any(ch.isspace() or ch in "/?#" for ch in value)
            or validation.has_control_characters(value)
        ):
            raise InvalidPhoneNumber(
                f"{{field}} {value[:80]!r} must be at most {MAX_SIP_NUMBER} characters"
                " with no spaces, control characters, '/', '?' or '#'",
                field="phone_number",
            )
        number = self.new_number(value, NumberType.LOCAL, default_name=value)
        number.is_sip = True
        await self.reserve(number, f"SIP number {value} already exists in this organization")
        return number

    async def buy_in_area_code(self, area_code: str) -> IncomingPhoneNumber:
        country = area_code_country(area_code)
        code = area_code.strip()
        candidates = await ask_carrier(
            self.provider.search(country, NumberType.LOCAL, SearchFilters(area_code=code, limit=AREA_CODE_ATTEMPTS))
        )
        for candidate in candidates:
            try:
                return await self.reserve_and_buy(parse_did(candidate.phone_number))
            except NumberUnavailable:
                continue  # taken since the search: try the next one
        raise NumberUnavailable(f"no number is available in area code {code}", field="area_code")

    async def reserve_and_buy(self, parsed: ParsedNumber) -> IncomingPhoneNumber:
        number = self.new_number(parsed.e164, parsed.number_type, default_name=parsed.national)
        number.status = "pending"
        await self.reserve(number, f"{parsed.e164} is not available")
        try:
            purchase = await self.provider.buy(parsed.e164, parsed.number_type, carrier_routes(number))
        except NumberUnavailableError as refused:
            await self.unreserve(number)
            raise NumberUnavailable(f"{parsed.e164} is not available: {refused}", field="phone_number") from None
        except ProviderUnavailableError as failure:
            if failure.outcome_unknown:
                self.left_pending = number
            else:
                await self.unreserve(number)
            raise ProviderUnavailable(
                f"the carrier could not be reached to buy {parsed.e164}; retry later ({failure})"
            ) from None
        settled = {"status": "active", "beta": purchase.beta, "date_updated": utcnow()}
        for capability, column in zip(CAPABILITIES, CAPABILITY_COLUMNS, strict=True):
            # What the client asked for wins over what the carrier reports.
            if column not in self.fields and capability in purchase.capabilities:
                settled[column] = bool(purchase.capabilities[capability])
        activated = await self.session.exec(
            update(IncomingPhoneNumber)
            .where(col(IncomingPhoneNumber.sid) == number.sid, col(IncomingPhoneNumber.status) == "pending")
            .values(**settled)
        )
        await self.session.commit()
        if activated.rowcount != 1:
            # Only the reconciler removes a pending row, and only long after any carrier
            # call has timed out; if it happened anyway, give the number back.
            await ask_carrier(self.provider.cancel(parsed.e164))
            raise ProviderUnavailable(f"the purchase of {parsed.e164} was undone; retry")
        await self.session.refresh(number)
        return number

    def new_number(self, phone_number: str, number_type: NumberType, *, default_name: str) -> IncomingPhoneNumber:
        settable = {k: v for k, v in self.fields.items() if v is not None}
        settable.setdefault("friendly_name", default_name)
        return IncomingPhoneNumber(
            sid=new_sid(PHONE_NUMBER),
            account_sid=self.account.sid,
            organization_sid=self.account.organization_sid,
            phone_number=phone_number,
            number_type=number_type.value,
            **settable,
        )

    async def reserve(self, number: IncomingPhoneNumber, taken: str) -> None:
        """Insert the row; with an idempotency record, point it at the row in the same commit."""
        self.session.add(number)
        if self.record is not None:
            self.record.number_sid = number.sid
            self.session.add(self.record)
        try:
            await self.session.commit()
        except IntegrityError:
            await self.session.rollback()
            raise NumberUnavailable(taken, field="phone_number") from None

    async def unreserve(self, number: IncomingPhoneNumber) -> None:
        await self.session.exec(
            delete(IncomingPhoneNumber).where(
                col(IncomingPhoneNumber.sid) == number.sid, col(IncomingPhoneNumber.status) == "pending"
            )
        )
        if self.record is not None:
            self.record.number_sid = None
            self.session.add(self.record)
        await self.session.commit()
