"""Number use cases: purchase, update, transfer, release, get.

Purchase and release keep the carrier and the database in agreement: the number is
reserved in the database first (the unique indexes stop a concurrent double
purchase), the carrier is asked, then the reservation is activated or undone. An
outcome the carrier left unknown stays reserved (`pending`/`releasing`) for the
reconciler rather than being guessed.
"""

from __future__ import annotations

from typing import Any, Mapping

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError
from sqlmodel.ext.asyncio.session import AsyncSession

from gateway.providers.base import (
    NumberType,
    NumberUnavailableError,
    Provider,
    ProviderUnavailableError,
    Purchase,
    SearchFilters,
)
from gateway.services import validation
from gateway.services.access import can_act_on, require_account
from gateway.services.applications import check_usable
from gateway.services.errors import (
    Forbidden,
    InvalidParameter,
    InvalidPhoneNumber,
    MissingPhoneNumber,
    NotFound,
    NumberUnavailable,
    ProviderUnavailable,
)
from gateway.services.ids import ACCOUNT, PHONE_NUMBER, is_sid, new_sid
from gateway.services.phone import ParsedNumber, area_code_country, parse_did
from gateway.services.route_families import CAPABILITIES, CAPABILITY_COLUMNS, ROUTE_SETTINGS
from gateway.storage.tables import Account, IncomingPhoneNumber, utcnow

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
) -> IncomingPhoneNumber:
    """Buy a number for `account_sid`.

    `number_type` set means a typed subresource: the number must be of that type and
    `area_code` is not accepted there. Otherwise `area_code` wins over `phone_number`.
    """
    account = await require_account(session=session, caller=caller, account_sid=account_sid, write=True)
    values = validation.number_settings(settings or {})
    await check_usable(session=session, account=account, values=values)
    name = validation.friendly_name(friendly_name) if friendly_name is not None else None
    version = validation.api_version(api_version) if api_version is not None else None
    fields: dict[str, Any] = {**values, "friendly_name": name, "api_version": version}

    if is_sip:
        return await _register_sip(session, account, phone_number, fields)
    if area_code and area_code.strip() and number_type is None:
        return await _buy_in_area_code(session, provider, account, area_code, fields)
    if phone_number is None or not phone_number.strip():
        raise MissingPhoneNumber(
            "PhoneNumber is required" if number_type else "PhoneNumber or AreaCode is required",
            field="phone_number",
        )
    parsed = parse_did(phone_number, wanted_type=number_type)
    return await _reserve_and_buy(session, provider, account, parsed, fields)


async def _register_sip(
    session: AsyncSession, account: Account, phone_number: str | None, fields: dict[str, Any]
) -> IncomingPhoneNumber:
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
    number = _new_number(account, value, NumberType.LOCAL, fields, default_name=value)
    number.is_sip = True
    session.add(number)
    try:
        await session.commit()
    except IntegrityError:
        await session.rollback()
        raise NumberUnavailable(
            f"SIP number {value} already exists in this organization", field="phone_number"
        ) from None
    return number


async def _buy_in_area_code(
    session: AsyncSession, provider: Provider, account: Account, area_code: str, fields: dict[str, Any]
) -> IncomingPhoneNumber:
    country = area_code_country(area_code)
    code = area_code.strip()
    candidates = await _ask_carrier(
        provider.search(country, NumberType.LOCAL, SearchFilters(area_code=code, limit=AREA_CODE_ATTEMPTS))
    )
    for candidate in candidates:
        try:
            return await _reserve_and_buy(session, provider, account, parse_did(candidate.phone_number), fields)
        except NumberUnavailable:
            continue  # taken since the search: try the next one
    raise NumberUnavailable(f"no number is available in area code {code}", field="area_code")


async def _reserve_and_buy(
    session: AsyncSession, provider: Provider, account: Account, parsed: ParsedNumber, fields: dict[str, Any]
) -> IncomingPhoneNumber:
    number = _new_number(account, parsed.e164, parsed.number_type, fields, default_name=parsed.national)
    number.status = "pending"
    session.add(number)
    try:
        await session.commit()
    except IntegrityError:
        await session.rollback()
        raise NumberUnavailable(f"{parsed.e164} is not available", field="phone_number") from None

    try:
        purchase = await provider.buy(parsed.e164, parsed.number_type, _routes(number))
    except NumberUnavailableError as refused:
        await _discard(session, number)
        raise NumberUnavailable(f"{parsed.e164} is not available: {refused}", field="phone_number") from None
    except ProviderUnavailableError as failure:
        if not failure.outcome_unknown:
            await _discard(session, number)
        raise ProviderUnavailable(
            f"the carrier could not be reached to buy {parsed.e164}; retry later ({failure})"
        ) from None

    _apply_purchase(number, purchase, explicit=fields)
    number.status = "active"
    session.add(number)
    await session.commit()
    return number


def _new_number(
    account: Account, phone_number: str, number_type: NumberType, fields: dict[str, Any], *, default_name: str
) -> IncomingPhoneNumber:
    settable = {k: v for k, v in fields.items() if v is not None}
    settable.setdefault("friendly_name", default_name)
    return IncomingPhoneNumber(
        sid=new_sid(PHONE_NUMBER),
        account_sid=account.sid,
        organization_sid=account.organization_sid,
        phone_number=phone_number,
        number_type=number_type.value,
        **settable,
    )


def _apply_purchase(number: IncomingPhoneNumber, purchase: Purchase, *, explicit: Mapping[str, Any]) -> None:
    number.beta = purchase.beta
    for capability, column in zip(CAPABILITIES, CAPABILITY_COLUMNS):
        # What the client asked for wins over what the carrier reports.
        if column not in explicit and capability in purchase.capabilities:
            setattr(number, column, bool(purchase.capabilities[capability]))


async def _discard(session: AsyncSession, number: IncomingPhoneNumber) -> None:
    await session.delete(number)
    await session.commit()


async def get_number(
    *, session: AsyncSession, caller: Account, number_sid: str, account_sid: str | None = None
) -> IncomingPhoneNumber:
    if account_sid is not None:
        account = await require_account(session=session, caller=caller, account_sid=account_sid)
        return await _require_number(session, caller, account, number_sid)
    number = await _find(session, number_sid)
    owner = await session.get(Account, number.account_sid) if number else None
    if number is None or owner is None or not can_act_on(caller, owner):
        raise NotFound(f"no phone number {number_sid}", field="sid")
    return number


async def update_number(
    *,
    session: AsyncSession,
    provider: Provider,
    caller: Account,
    account_sid: str,
    number_sid: str,
    friendly_name: str | None = None,
    api_version: str | None = None,
    settings: Mapping[str, Any] | None = None,
    transfer_to: str | None = None,
) -> IncomingPhoneNumber:
    """Change only what is given; `transfer_to` also moves the number to that account."""
    account = await require_account(session=session, caller=caller, account_sid=account_sid, write=True)
    number = await _require_number(session, caller, account, number_sid)
    values = validation.number_settings(settings or {})
    if friendly_name is not None:
        values["friendly_name"] = validation.friendly_name(friendly_name)
    if api_version is not None:
        values["api_version"] = validation.api_version(api_version)
    owner = account
    if transfer_to is not None and transfer_to.strip() and transfer_to.strip() != account.sid:
        owner = await _transfer_target(session, caller, account, transfer_to.strip())
    for column, value in values.items():
        setattr(number, column, value)
    # The number's applications must serve its (possibly new) owner.
    await check_usable(session=session, account=owner, values=_application_values(number))
    if not number.is_sip and any(c not in ("friendly_name", "api_version") for c in values):
        await _ask_carrier(provider.update(number.phone_number, _routes(number)))
    number.account_sid = owner.sid
    number.date_updated = utcnow()
    session.add(number)
    await _commit_unless_released(session, number_sid)
    return number


async def transfer_number(
    *, session: AsyncSession, provider: Provider, caller: Account, number_sid: str, to_account_sid: str
) -> IncomingPhoneNumber:
    number = await get_number(session=session, caller=caller, number_sid=number_sid)
    return await update_number(
        session=session, provider=provider, caller=caller, account_sid=number.account_sid,
        number_sid=number_sid, transfer_to=to_account_sid,
    )


async def _transfer_target(session: AsyncSession, caller: Account, source: Account, target_sid: str) -> Account:
    if not is_sid(target_sid, ACCOUNT):
        # A malformed body parameter is a 400, not the 404 of an unknown URL.
        raise InvalidParameter(f"{{field}} {target_sid[:40]!r} is not an account sid", field="account_sid")
    target = await require_account(session=session, caller=caller, account_sid=target_sid, write=True)
    if target.organization_sid != source.organization_sid:
        raise Forbidden(f"account {target_sid} is in another organization", field="account_sid")
    return target


async def release_number(
    *, session: AsyncSession, provider: Provider, caller: Account, account_sid: str, number_sid: str
) -> None:
    account = await require_account(session=session, caller=caller, account_sid=account_sid, write=True)
    number = await _require_number(session, caller, account, number_sid)
    if number.is_sip:
        await _discard(session, number)
        return
    number.status = "releasing"
    session.add(number)
    await _commit_unless_released(session, number_sid)
    try:
        await provider.cancel(number.phone_number)
    except NumberUnavailableError:
        pass  # the carrier no longer has it for us: nothing is billed, drop it
    except ProviderUnavailableError as failure:
        if not failure.outcome_unknown:
            number.status = "active"
            session.add(number)
            await session.commit()
        raise ProviderUnavailable(
            f"the carrier did not confirm the release of {number.phone_number}; "
            f"the number is kept, retry the release ({failure})"
        ) from None
    await _discard(session, number)


async def _commit_unless_released(session: AsyncSession, number_sid: str) -> None:
    """Commit a change to a number that another request may have released since we read it."""
    try:
        await session.commit()
    except StaleDataError:  # the UPDATE matched no row: the number is gone
        await session.rollback()
        raise NotFound(f"phone number {number_sid} was released meanwhile", field="sid") from None


async def _find(session: AsyncSession, number_sid: str) -> IncomingPhoneNumber | None:
    if not is_sid(number_sid, PHONE_NUMBER):
        return None
    number = await session.get(IncomingPhoneNumber, number_sid)
    return None if number is None or number.status == "pending" else number


async def _require_number(
    session: AsyncSession, caller: Account, account: Account, number_sid: str
) -> IncomingPhoneNumber:
    number = await _find(session, number_sid)
    if number is not None and number.account_sid == account.sid:
        return number
    if number is not None:
        owner = await session.get(Account, number.account_sid)
        if owner is not None and can_act_on(caller, owner):
            raise Forbidden(f"phone number {number_sid} belongs to account {owner.sid}, not {account.sid}", field="sid")
    raise NotFound(f"no phone number {number_sid} in account {account.sid}", field="sid")


def _application_values(number: IncomingPhoneNumber) -> dict[str, Any]:
    return {c: getattr(number, c) for c in type(number).model_fields if c.endswith("_application_sid")}


def _routes(number: IncomingPhoneNumber) -> dict[str, Any]:
    return {s.column: getattr(number, s.column) for s in ROUTE_SETTINGS}


async def _ask_carrier(call: Any) -> Any:
    try:
        return await call
    except ProviderUnavailableError as failure:
        raise ProviderUnavailable(f"the carrier could not be reached; retry later ({failure})") from None
    except NumberUnavailableError as refused:
        raise NumberUnavailable(str(refused)) from None
