"""Number use cases: get, update, transfer; the helpers purchase and release share.

Purchase lives in `purchase.py`, release in `release.py`.
"""

from __future__ import annotations

from typing import Any, Mapping

from sqlalchemy.orm.exc import StaleDataError
from sqlmodel.ext.asyncio.session import AsyncSession

from gateway.providers.base import NumberUnavailableError, Provider, ProviderUnavailableError
from gateway.services import validation
from gateway.services.access import can_act_on, require_account
from gateway.services.applications import check_usable
from gateway.services.errors import Forbidden, InvalidParameter, NotFound, NumberUnavailable, ProviderUnavailable
from gateway.services.ids import ACCOUNT, PHONE_NUMBER, is_sid
from gateway.services.route_families import APPLICATION_COLUMNS, ROUTE_SETTINGS
from gateway.storage.tables import Account, IncomingPhoneNumber, utcnow


async def get_number(
    *, session: AsyncSession, caller: Account, number_sid: str, account_sid: str | None = None
) -> IncomingPhoneNumber:
    if account_sid is not None:
        account = await require_account(session=session, caller=caller, account_sid=account_sid)
        return await require_number(session, caller, account, number_sid)
    number = await find_number(session, number_sid)
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
    number = await require_number(session, caller, account, number_sid)
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
        await ask_carrier(provider.update(number.phone_number, carrier_routes(number)))
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
        raise InvalidParameter(f"{{field}} {target_sid[:40]!r} is not an account sid", field="transfer_to")
    # Errors about the target name `transfer_to`, so clients can tell them from the source's.
    target = await require_account(
        session=session, caller=caller, account_sid=target_sid, write=True, field="transfer_to"
    )
    if target.organization_sid != source.organization_sid:
        raise Forbidden(f"account {target_sid} is in another organization", field="transfer_to")
    return target


async def _commit_unless_released(session: AsyncSession, number_sid: str) -> None:
    """Commit a change to a number that another request may have released since we read it."""
    try:
        await session.commit()
    except StaleDataError:  # the UPDATE matched no row: the number is gone
        await session.rollback()
        raise NotFound(f"phone number {number_sid} was released meanwhile", field="sid") from None


async def find_number(session: AsyncSession, number_sid: str) -> IncomingPhoneNumber | None:
    if not is_sid(number_sid, PHONE_NUMBER):
        return None
    number = await session.get(IncomingPhoneNumber, number_sid)
    return None if number is None or number.status == "pending" else number


async def require_number(
    session: AsyncSession, caller: Account, account: Account, number_sid: str
) -> IncomingPhoneNumber:
    number = await find_number(session, number_sid)
    if number is not None and number.account_sid == account.sid:
        return number
    if number is not None:
        owner = await session.get(Account, number.account_sid)
        if owner is not None and can_act_on(caller, owner):
            raise Forbidden(f"phone number {number_sid} belongs to account {owner.sid}, not {account.sid}", field="sid")
    raise NotFound(f"no phone number {number_sid} in account {account.sid}", field="sid")


def _application_values(number: IncomingPhoneNumber) -> dict[str, Any]:
    return {column: getattr(number, column) for column in APPLICATION_COLUMNS}


def carrier_routes(number: IncomingPhoneNumber) -> dict[str, Any]:
    return {s.column: getattr(number, s.column) for s in ROUTE_SETTINGS}


async def ask_carrier(call: Any) -> Any:
    try:
        return await call
    except ProviderUnavailableError as failure:
        raise ProviderUnavailable(f"the carrier could not be reached; retry later ({failure})") from None
    except NumberUnavailableError as refused:
        raise NumberUnavailable(str(refused)) from None
