"""Closing an account releases every number of it and of its descendants.

Through the same never-lose path as a client's release (`services.release`): each
number is claimed (`releasing`), the carrier is asked with no session held, and the
row is deleted only once the carrier confirmed. A number whose release the carrier
refuses or cannot confirm stays, `releasing` in the closed account, due at once: the
reconciler cancels it again until the carrier confirms. SIP numbers are simply removed.

The carrier is asked about `CANCELS_AT_ONCE` numbers at a time, for `BUDGET` seconds at
most: what is not done by then is left to the reconciler too, so closing an account
with thousands of numbers still answers in bounded time.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

from sqlmodel import col, select

from gateway.domain.numbers import NumberStatus
from gateway.providers.base import Provider
from gateway.services.release import cancel_claimed, claim, delete_sip
from gateway.storage.database import Sessions
from gateway.storage.tables import Account, IncomingPhoneNumber

CANCELS_AT_ONCE = 4
BUDGET = 30.0


@dataclass
class Closing:
    #: phone numbers released now (SIP numbers removed)
    released: list[str] = field(default_factory=list)
    #: phone numbers still being released: the reconciler finishes them
    left: list[str] = field(default_factory=list)


async def release_subtree(*, db: Sessions, provider: Provider, account: Account) -> Closing:
    """Release the numbers of `account` and its descendants; what was and what is left."""
    closing = Closing()
    claimed: list[tuple[str, str]] = []
    async with db.session() as session:
        subtree = select(Account.sid).where(col(Account.path).startswith(account.path))
        numbers = (await session.exec(
            select(IncomingPhoneNumber)
            .where(col(IncomingPhoneNumber.account_sid).in_(subtree),
                   col(IncomingPhoneNumber.status).in_([NumberStatus.ACTIVE.value, NumberStatus.RELEASING.value]))
            .order_by(col(IncomingPhoneNumber.phone_number))
        )).all()
        for number in numbers:
            if number.status != NumberStatus.ACTIVE.value:
                closing.left.append(number.phone_number)  # already being released
            elif number.is_sip:
                await delete_sip(session, number.sid)
                closing.released.append(number.phone_number)
            elif await claim(session, provider, number.sid):
                claimed.append((number.sid, number.phone_number))
            else:
                closing.left.append(number.phone_number)  # a request is releasing it right now
    if claimed:
        await _cancel_all(db, provider, claimed, closing)
    closing.released.sort()
    closing.left.sort()
    return closing


async def _cancel_all(db: Sessions, provider: Provider, claimed: list[tuple[str, str]], closing: Closing) -> None:
    turns = asyncio.Semaphore(CANCELS_AT_ONCE)

    async def cancel(number_sid: str, phone_number: str) -> None:
        async with turns:
            failure = await cancel_claimed(db, provider, number_sid, phone_number, retry_is_the_clients=False)
        (closing.left if failure is not None else closing.released).append(phone_number)

    tasks = {asyncio.create_task(cancel(sid, phone)): phone for sid, phone in claimed}
    _, late = await asyncio.wait(tasks, timeout=BUDGET)
    for task in late:
        task.cancel()
    if late:
        await asyncio.wait(late)
    # Claimed rows whose turn never came stay `releasing`; their deadline passes soon and
    # the reconciler asks. (A task that finished as it was cancelled has counted itself.)
    closing.left += [tasks[task] for task in late if task.cancelled()]
