"""Settling numbers whose carrier outcome is unknown.

A purchase that timed out after the request was sent leaves its row `pending`; a
release in the same situation leaves it `releasing`. The reconciler asks the
carrier whether it still gives us the number and makes the database agree:

=========  ===============  ====================================================
status     carrier owns it  action
=========  ===============  ====================================================
pending    yes              activate: the purchase went through
pending    no               delete: it did not
releasing  yes              cancel again (the client asked to release), then delete
releasing  no               delete: the release went through
any        cannot tell      leave it for the next round
=========  ===============  ====================================================

Several gateway instances may reconcile at once: each row is claimed with
`FOR UPDATE SKIP LOCKED` on PostgreSQL, so two never settle the same number.
(SQLite allows one writer at a time, which gives the same guarantee.)
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlmodel import col, select

from gateway.providers.base import NumberUnavailableError, Provider, ProviderUnavailableError
from gateway.storage.database import SessionMaker
from gateway.storage.tables import IncomingPhoneNumber, utcnow

log = logging.getLogger("gateway.reconcile")

#: longer than any carrier call may take, so a purchase still in flight is left alone
DEFAULT_GRACE = timedelta(seconds=60)
UNSETTLED = ("pending", "releasing")


@dataclass
class ReconcileReport:
    activated: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    released: list[str] = field(default_factory=list)
    unsettled: list[str] = field(default_factory=list)

    @property
    def settled(self) -> int:
        return len(self.activated) + len(self.removed) + len(self.released)


async def reconcile(
    *, sessionmaker: SessionMaker, provider: Provider, grace: timedelta = DEFAULT_GRACE, limit: int = 500,
    now: datetime | None = None,
) -> ReconcileReport:
    """Settle up to `limit` numbers left unsettled for longer than `grace`."""
    report = ReconcileReport()
    cutoff = (now or utcnow()) - grace
    skipped: list[str] = []
    for _ in range(limit):
        async with sessionmaker() as session:
            statement = (
                select(IncomingPhoneNumber)
                .where(col(IncomingPhoneNumber.status).in_(UNSETTLED))
                .where(IncomingPhoneNumber.date_updated <= cutoff)
                .where(col(IncomingPhoneNumber.sid).not_in(skipped))
                .order_by(col(IncomingPhoneNumber.date_updated))
                .limit(1)
                .with_for_update(skip_locked=True)
            )
            number = (await session.exec(statement)).first()
            if number is None:
                break
            outcome = await _settle(session, provider, number)
            getattr(report, outcome).append(number.phone_number)
            if outcome == "unsettled":
                skipped.append(number.sid)
            await session.commit()
    if report.settled or report.unsettled:
        log.info("reconciled: %d activated, %d removed, %d released, %d still unknown",
                 len(report.activated), len(report.removed), len(report.released), len(report.unsettled))
    return report


async def _settle(session, provider: Provider, number: IncomingPhoneNumber) -> str:
    try:
        owned = await provider.owns(number.phone_number)
    except ProviderUnavailableError:
        return "unsettled"
    if owned is None:
        return "unsettled"
    if number.status == "pending":
        if owned:
            number.status = "active"
            number.date_updated = utcnow()
            session.add(number)
            return "activated"
        await session.delete(number)
        return "removed"
    if owned:
        try:
            await provider.cancel(number.phone_number)
        except NumberUnavailableError:
            pass
        except ProviderUnavailableError:
            return "unsettled"
    await session.delete(number)
    return "released"
