"""Number use cases: get, update, transfer; the look-ups purchase and release share.

Purchase lives in `purchase.py`, release in `release.py`. An update that changes how
the number routes is sent to the carrier first, with no database session held, and
written afterwards with a conditional UPDATE: a number released or changed by another
request in between is reported, never resurrected.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from gateway.domain.errors import Conflict, Forbidden, InvalidParameter, NotFound
from gateway.domain.ids import ACCOUNT, PHONE_NUMBER, is_sid
from gateway.domain.numbers import NumberChanges, NumberStatus
from gateway.domain.route_families import APPLICATION_COLUMNS, ROUTE_SETTINGS
from gateway.providers.base import Provider
from gateway.services import validation
from gateway.services.access import can_act_on, require_account, require_writable
from gateway.services.applications import check_usable, unusable_application
from gateway.services.carrier import ask
from gateway.storage.database import Sessions
from gateway.storage.tables import Account, IncomingPhoneNumber, utcnow

#: columns an update may change without telling the carrier
_LOCAL_COLUMNS = ("friendly_name", "api_version")


async def get_number(
    *, db: Sessions, caller: Account, number_sid: str, account_sid: str | None = None
) -> IncomingPhoneNumber:
    """The number, in `account_sid` if given (REST's URL), else wherever the caller may see it."""
    async with db.session() as session:
        _, number = await locate(session, caller, number_sid, account_sid=account_sid)
    return number


@dataclass(frozen=True)
class _Update:
    """An update decided and checked, ready to be told to the carrier and written."""

    number_sid: str
    account_sid: str  # where the number is now: the write is conditional on it
    owner_sid: str  # where it will be (a transfer moves it)
    values: dict[str, Any]
    phone_number: str
    #: the carrier routes the number if it is a DID and routing changes
    carrier_routes: dict[str, Any] | None


async def update_number(
    *, db: Sessions, provider: Provider, caller: Account, number_sid: str, changes: NumberChanges,
    account_sid: str | None = None,
) -> IncomingPhoneNumber:
    """Apply `changes` (and their transfer, if any): check them, tell the carrier with no
    session held, then write them in one conditional UPDATE."""
    planned = await _plan(db, caller, number_sid, changes, account_sid)
    if planned.carrier_routes is not None:
        await ask(provider, provider.update(planned.phone_number, planned.carrier_routes), what="the route update")
    return await _write(db, planned)


async def _plan(
    db: Sessions, caller: Account, number_sid: str, changes: NumberChanges, account_sid: str | None
) -> _Update:
    values = validation.number_settings(changes.settings)
    if changes.friendly_name is not None:
        values["friendly_name"] = validation.friendly_name(changes.friendly_name)
    if changes.api_version is not None:
        values["api_version"] = validation.api_version(changes.api_version)
    async with db.session() as session:
        account, number = await locate(session, caller, number_sid, account_sid=account_sid, write=True)
        owner = account
        target = (changes.transfer_to or "").strip()
        if target and target != account.sid:
            owner = await transfer_target(session, caller, account, target)
        after = {**{column: getattr(number, column) for column in APPLICATION_COLUMNS}, **values}
        # The number's applications, old or new, must serve its (possibly new) owner.
        await check_usable(session=session, account=owner, values=after)
    routing_changes = not number.is_sip and any(column not in _LOCAL_COLUMNS for column in values)
    routes = {s.column: after.get(s.column, getattr(number, s.column)) for s in ROUTE_SETTINGS}
    return _Update(number_sid, account.sid, owner.sid, values, number.phone_number,
                   routes if routing_changes else None)


async def _write(db: Sessions, planned: _Update) -> IncomingPhoneNumber:
    async with db.session() as session:
        try:
            written = await session.exec(
                update(IncomingPhoneNumber)
                .where(
                    col(IncomingPhoneNumber.sid) == planned.number_sid,
                    col(IncomingPhoneNumber.account_sid) == planned.account_sid,
                    col(IncomingPhoneNumber.status) == NumberStatus.ACTIVE.value,
                )
                .values(**planned.values, account_sid=planned.owner_sid, date_updated=utcnow())
            )
        except IntegrityError:  # an application it names was deleted since it was checked
            await session.rollback()
            raise await unusable_application(session, planned.owner_sid, planned.values) from None
        if written.rowcount != 1:
            await session.rollback()
            raise await _changed_meanwhile(session, planned.number_sid)
        await session.commit()
        return await _reread(session, planned.number_sid)


async def transfer_number(
    *, db: Sessions, provider: Provider, caller: Account, number_sid: str, to_account_sid: str,
    account_sid: str | None = None,
) -> IncomingPhoneNumber:
    """Move the number to another active account of the same organization."""
    return await update_number(
        db=db, provider=provider, caller=caller, number_sid=number_sid, account_sid=account_sid,
        changes=NumberChanges(transfer_to=to_account_sid),
    )


async def transfer_target(session: AsyncSession, caller: Account, source: Account, target_sid: str) -> Account:
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


async def locate(
    session: AsyncSession, caller: Account, number_sid: str, *, account_sid: str | None = None, write: bool = False,
) -> tuple[Account, IncomingPhoneNumber]:
    """The number and its account, if the caller may see it (and change it, with `write`).

    With `account_sid` (REST's URL) the number must be in that account. Changes need an
    active account and an `active` number: one being released answers 409.
    """
    if account_sid is not None:
        account = await require_account(session=session, caller=caller, account_sid=account_sid, write=write)
        number = await require_number(session, caller, account, number_sid)
    else:
        found = await find_number(session, number_sid)
        owner = await session.get(Account, found.account_sid) if found else None
        if found is None or owner is None or not can_act_on(caller, owner):
            raise NotFound(f"no phone number {number_sid}", field="sid")
        if write:
            await require_writable(session, caller, owner, field="sid")
        account, number = owner, found
    if write and number.status == NumberStatus.RELEASING.value:
        raise release_under_way(number.phone_number)
    return account, number


async def find_number(session: AsyncSession, number_sid: str) -> IncomingPhoneNumber | None:
    """A number a client may see: not one still pending at the carrier."""
    if not is_sid(number_sid, PHONE_NUMBER):
        return None
    number = await session.get(IncomingPhoneNumber, number_sid)
    return None if number is None or number.status == NumberStatus.PENDING.value else number


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


def release_under_way(phone_number: str) -> Conflict:
    return Conflict(
        f"a release of {phone_number} is under way and not yet confirmed by the carrier; "
        "the number cannot change meanwhile, retry later"
    )


async def _changed_meanwhile(session: AsyncSession, number_sid: str) -> Exception:
    """Why a conditional write of the number matched no row."""
    now = (await session.exec(
        select(IncomingPhoneNumber.status, IncomingPhoneNumber.phone_number).where(IncomingPhoneNumber.sid == number_sid)
    )).first()
    if now is None:
        return NotFound(f"phone number {number_sid} was released meanwhile", field="sid")
    status, phone_number = now
    if status == NumberStatus.RELEASING.value:
        return release_under_way(phone_number)
    return Conflict(f"phone number {number_sid} was moved to another account meanwhile; read it again", field="sid")


async def _reread(session: AsyncSession, number_sid: str) -> IncomingPhoneNumber:
    number = await session.get(IncomingPhoneNumber, number_sid, populate_existing=True)
    if number is None:  # deleted between our commit and this read: as if released first
        raise NotFound(f"phone number {number_sid} was released meanwhile", field="sid")
    return number
