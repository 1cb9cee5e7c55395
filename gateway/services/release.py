"""Releasing a number: claim it, ask the carrier to cancel, then delete it.

The claim is a conditional update (`active` → `releasing`), so of two requests
releasing one number at once exactly one talks to the carrier; the other gets a
409 saying the release is under way. The row is deleted only once the carrier confirmed:
a number is never dropped while the carrier may still bill for it.
"""

from __future__ import annotations

from sqlalchemy import delete, update
from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession

from gateway.providers.base import NumberUnavailableError, Provider, ProviderUnavailableError
from gateway.services import numbers
from gateway.services.access import require_account
from gateway.services.errors import Conflict, NotFound, ProviderUnavailable
from gateway.storage.tables import Account, IncomingPhoneNumber, utcnow


async def release_number(
    *, session: AsyncSession, provider: Provider, caller: Account, account_sid: str, number_sid: str
) -> None:
    account = await require_account(session=session, caller=caller, account_sid=account_sid, write=True)
    number = await numbers.require_number(session, caller, account, number_sid)
    phone_number, is_sip = number.phone_number, number.is_sip
    if number.status == "releasing":
        raise _in_progress(phone_number)
    if is_sip:  # no carrier involved
        await _delete(session, number_sid, "active")
        return
    if not await _transition(session, number_sid, "active", "releasing"):
        # Another request got there first: it is either gone or still going.
        if await session.get(IncomingPhoneNumber, number_sid, populate_existing=True) is None:
            raise _gone(number_sid)
        raise _in_progress(phone_number)
    try:
        await provider.cancel(phone_number)
    except NumberUnavailableError:
        pass  # the carrier no longer has it for us: nothing is billed, drop it
    except ProviderUnavailableError as failure:
        if not failure.outcome_unknown:
            await _transition(session, number_sid, "releasing", "active")
        # else it stays `releasing`: the reconciler asks the carrier how it ended
        raise ProviderUnavailable(
            f"the carrier did not confirm the release of {phone_number}; "
            f"the number is kept, retry the release ({failure})"
        ) from None
    await _delete(session, number_sid, "releasing")


def _in_progress(phone_number: str) -> Conflict:
    return Conflict(f"a release of {phone_number} is under way and not yet confirmed by the carrier; retry later")


async def _transition(session: AsyncSession, number_sid: str, before: str, after: str) -> bool:
    changed = await session.exec(
        update(IncomingPhoneNumber)
        .where(col(IncomingPhoneNumber.sid) == number_sid, col(IncomingPhoneNumber.status) == before)
        .values(status=after, date_updated=utcnow())
    )
    await session.commit()
    return bool(changed.rowcount == 1)


async def _delete(session: AsyncSession, number_sid: str, status: str) -> None:
    deleted = await session.exec(
        delete(IncomingPhoneNumber).where(
            col(IncomingPhoneNumber.sid) == number_sid, col(IncomingPhoneNumber.status) == status
        )
    )
    await session.commit()
    if deleted.rowcount != 1:
        raise _gone(number_sid)


def _gone(number_sid: str) -> NotFound:
    return NotFound(f"phone number {number_sid} was released meanwhile", field="sid")
