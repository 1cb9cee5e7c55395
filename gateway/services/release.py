"""Releasing a number: claim it, ask the carrier to cancel, then delete it.

The claim is a conditional update (`active` → `releasing`, with `outcome_due_at` = now
+ the carrier's call bound), so of two requests releasing one number at once exactly
one talks to the carrier; the other gets a 409 saying the release is under way. The
carrier is asked with no session held. The row is deleted only once the carrier
confirmed: a number is never dropped while the carrier may still bill for it.

While a release is unconfirmed the number stays listed and readable, and refuses
changes (update, transfer, another release) with 409; the reconciler finishes it.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete, update
from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession

from gateway.domain.errors import NotFound, ProviderUnavailable
from gateway.domain.numbers import NumberStatus
from gateway.providers.base import NumberUnavailableError, Provider, ProviderUnavailableError
from gateway.services.carrier import bounded
from gateway.services.numbers import locate, release_under_way
from gateway.storage.database import Sessions
from gateway.storage.tables import Account, IncomingPhoneNumber, utcnow

_DEADLINE_MARGIN = timedelta(seconds=5)
_ACTIVE, _RELEASING = NumberStatus.ACTIVE.value, NumberStatus.RELEASING.value


async def release_number(
    *, db: Sessions, provider: Provider, caller: Account, number_sid: str, account_sid: str | None = None
) -> IncomingPhoneNumber:
    """Release the number (in `account_sid` if given); answer it as it was just before."""
    async with db.session() as session:
        _, number = await locate(session, caller, number_sid, account_sid=account_sid, write=True)
        if number.is_sip:  # no carrier involved
            await _delete(session, number_sid, _ACTIVE)
            return number
        unchanged_since = number.date_updated
        if not await claim(session, provider, number_sid):
            # Another request got there first: it is either gone or still going.
            if await session.get(IncomingPhoneNumber, number_sid, populate_existing=True) is None:
                raise _gone(number_sid)
            raise release_under_way(number.phone_number)
    failure = await cancel_claimed(db, provider, number_sid, number.phone_number, retry_is_the_clients=True,
                                   unchanged_since=unchanged_since)
    if failure is not None:
        raise ProviderUnavailable(
            f"the carrier did not confirm the release of {number.phone_number}; "
            f"the number is kept, retry the release ({failure})"
        )
    return number


async def claim(session: AsyncSession, provider: Provider, number_sid: str) -> bool:
    """Mark an active number `releasing` (its outcome due within the carrier's call bound),
    so exactly one request talks to the carrier about it; False if it was not active."""
    deadline = utcnow() + timedelta(seconds=provider.call_timeout) + _DEADLINE_MARGIN
    return await _transition(session, number_sid, _ACTIVE, _RELEASING, outcome_due_at=deadline)


async def cancel_claimed(
    db: Sessions, provider: Provider, number_sid: str, phone_number: str, *, retry_is_the_clients: bool,
    unchanged_since: datetime | None = None,
) -> ProviderUnavailableError | None:
    """Ask the carrier to cancel a claimed number, with no session held, then settle it:
    deleted once the carrier confirms (or no longer has it for us); otherwise the failure.

    When the carrier certainly did nothing, `retry_is_the_clients` puts the number back to
    `active` for the client to retry; without it the number stays `releasing`, due at once,
    and the reconciler cancels it again. When the outcome is unknown it is the reconciler's
    either way. Put back, it gets `unchanged_since` as its date_updated again: a release
    that did not happen changed nothing a client sees.
    """
    try:
        await bounded(provider, provider.cancel(phone_number), what="the release", changes_state=True)
    except NumberUnavailableError:
        pass  # the carrier no longer has it for us: nothing is billed, drop it
    except ProviderUnavailableError as failure:
        async with db.session() as session:
            if failure.outcome_unknown or not retry_is_the_clients:
                await _transition(session, number_sid, _RELEASING, _RELEASING, outcome_due_at=utcnow())
            else:
                restored = {"date_updated": unchanged_since} if unchanged_since is not None else {}
                await _transition(session, number_sid, _RELEASING, _ACTIVE, outcome_due_at=None, **restored)
        return failure
    async with db.session() as session:
        # No row left means a reconciler confirmed this very release first: released all the same.
        await _delete(session, number_sid, _RELEASING, missing_ok=True)
    return None


async def _transition(session: AsyncSession, number_sid: str, before: str, after: str, **values: object) -> bool:
    changed = await session.exec(
        update(IncomingPhoneNumber)
        .where(col(IncomingPhoneNumber.sid) == number_sid, col(IncomingPhoneNumber.status) == before)
        .values(status=after, **{"date_updated": utcnow(), **values})
        # Rows loaded in this session keep what they were read as: the release answers the
        # number as it was just before, not mid-release.
        .execution_options(synchronize_session=False)
    )
    await session.commit()
    return bool(changed.rowcount == 1)


async def delete_sip(session: AsyncSession, number_sid: str) -> None:
    """A SIP number is a name on our own platform: releasing it is deleting it."""
    await _delete(session, number_sid, _ACTIVE, missing_ok=True)


async def _delete(session: AsyncSession, number_sid: str, status: str, *, missing_ok: bool = False) -> None:
    deleted = await session.exec(
        delete(IncomingPhoneNumber).where(
            col(IncomingPhoneNumber.sid) == number_sid, col(IncomingPhoneNumber.status) == status
        )
    )
    await session.commit()
    if deleted.rowcount != 1 and not missing_ok:
        raise _gone(number_sid)


def _gone(number_sid: str) -> NotFound:
    return NotFound(f"phone number {number_sid} was released meanwhile", field="sid")
