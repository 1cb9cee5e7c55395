"""Settling numbers whose carrier outcome is unknown: the reconciler's state machine.

A number is *unsettled* while its status is `pending` (a purchase) or `releasing` (a
release). Its `outcome_due_at` says when the carrier's answer is due: the request in
flight sets it to its own deadline (now + the carrier's call bound), and to the moment
it gave up when the answer never came. A late carrier may act even after that:
`late_window` (GATEWAY_CARRIER_LATE_WINDOW, 15 minutes by default) is how long after
`outcome_due_at` the carrier may still act on our request.

Each round first hands numbers still active under a closed account to this same
machine, as `releasing` and due (`release_what_closed_accounts_kept`).

=================  ==========================  ==========================================
unsettled row      the carrier says            the reconciler
=================  ==========================  ==========================================
not due yet        (not asked)                 leaves it: "in flight until T"
pending, due       it is ours                  activates it for the account that asked
pending, due       not ours, window open       leaves it reserved and invisible: "waiting
                                               for the carrier until T"; asks again next
                                               round (activates it if the carrier acts late)
pending, due       not ours, window passed     removes the reservation
releasing, due     it is ours                  cancels again (the client asked), deletes
releasing, due     not ours                    deletes it: the release went through
any, due           cannot say / unreachable    leaves it: "unknown at the carrier" /
                                               "carrier unreachable"
=================  ==========================  ==========================================

`grace` (``gateway reconcile --grace S``) also asks about rows not yet due whose last
change is older than S seconds; that is safe, since nothing is removed before its
window has passed, and a request still waiting finds its number settled either way.

Rows are leased (`reconciling_until`) by a conditional update before the carrier is
asked, and no transaction is open while it is: reconcilers on any number of instances
never ask about the same row at once, and the lease of one that died simply expires.

`sweep` is the other direction: where the carrier can list what it bills
(`owned_numbers`), numbers billed but unknown to the gateway, and active numbers the
carrier does not bill, are reported. Nothing is released or removed automatically:
an operator decides.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, delete, func, or_, update
from sqlalchemy.orm import aliased
from sqlmodel import col, select

from gateway.domain.accounts import AccountStatus
from gateway.domain.numbers import UNSETTLED, NumberStatus
from gateway.providers.base import NumberUnavailableError, Provider, ProviderUnavailableError
from gateway.services.carrier import bounded
from gateway.storage.database import Sessions
from gateway.storage.tables import Account, IncomingPhoneNumber, utcnow

log = logging.getLogger("gateway.reconcile")

DEFAULT_LATE_WINDOW = timedelta(minutes=15)
#: seconds the carrier may take to list every number it bills
SWEEP_TIMEOUT = 600.0
#: rows read from the database per step of a sweep
_SWEEP_CHUNK = 5000
_PENDING, _RELEASING, _ACTIVE = NumberStatus.PENDING.value, NumberStatus.RELEASING.value, NumberStatus.ACTIVE.value


@dataclass(frozen=True)
class Left:
    """An unsettled number the round could not settle, and why."""

    phone_number: str
    status: str
    reason: str


@dataclass(frozen=True)
class Sweep:
    """What the carrier bills compared with what the gateway holds."""

    #: billed by the carrier, unknown to the gateway
    unknown_here: list[str]
    #: active in the gateway, not billed by the carrier
    not_billed: list[str]

    @property
    def clean(self) -> bool:
        return not self.unknown_here and not self.not_billed


@dataclass
class ReconcileReport:
    activated: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    released: list[str] = field(default_factory=list)
    left: list[Left] = field(default_factory=list)
    #: None when no sweep ran or the carrier cannot list its numbers
    sweep: Sweep | None = None

    @property
    def settled(self) -> int:
        return len(self.activated) + len(self.removed) + len(self.released)

    @property
    def clean(self) -> bool:
        """Nothing left unsettled and nothing the carrier and the gateway disagree on."""
        return not self.left and (self.sweep is None or self.sweep.clean)


async def reconcile(
    *, db: Sessions, provider: Provider, late_window: timedelta = DEFAULT_LATE_WINDOW,
    grace: timedelta | None = None, limit: int = 500, sweep: bool = False, now: datetime | None = None,
) -> ReconcileReport:
    """One round over up to `limit` unsettled numbers, most overdue first."""
    report = ReconcileReport()
    now = now or utcnow()
    await release_what_closed_accounts_kept(db=db, now=now)
    async with db.session() as session:
        rows = (await session.exec(
            select(IncomingPhoneNumber)
            .where(col(IncomingPhoneNumber.status).in_([s.value for s in UNSETTLED]))
            .order_by(col(IncomingPhoneNumber.outcome_due_at))
            .limit(limit)
        )).all()
    for row in rows:
        due = row.outcome_due_at or row.date_updated  # rows without a deadline predate it: due since last change
        if due > now and (grace is None or row.date_updated > now - grace):
            report.left.append(Left(row.phone_number, row.status, f"in flight until {_moment(due)}"))
            continue
        settling = _Settling(db, provider, report, row.sid, row.phone_number, row.status, utcnow())
        await settling.settle(final=due + late_window <= now, window_ends=due + late_window)
    if sweep:
        report.sweep = await sweep_carrier(db=db, provider=provider)
    if report.settled or report.left or (report.sweep and not report.sweep.clean):
        log.info("reconciled: %d activated, %d removed, %d released, %d left%s",
                 len(report.activated), len(report.removed), len(report.released), len(report.left),
                 "" if report.sweep is None else
                 f"; carrier sweep: {len(report.sweep.unknown_here)} billed but unknown here, "
                 f"{len(report.sweep.not_billed)} active here but not billed")
    return report


async def release_what_closed_accounts_kept(*, db: Sessions, now: datetime) -> None:
    """Numbers still active under a closed account (bought while it was being closed, or
    left by a close that never finished) are released like the rest: `releasing`, due
    now, so this very round asks the carrier; SIP numbers are removed."""
    closed = aliased(Account)
    under_closed = (
        select(Account.sid).join(closed, col(Account.path).startswith(col(closed.path)))
        .where(col(closed.status) == AccountStatus.CLOSED.value)
    )
    active_under_closed = (
        col(IncomingPhoneNumber.account_sid).in_(under_closed), col(IncomingPhoneNumber.status) == _ACTIVE
    )
    async with db.session() as session:
        await session.exec(
            update(IncomingPhoneNumber).where(*active_under_closed, col(IncomingPhoneNumber.is_sip).is_(False))
            .values(status=_RELEASING, outcome_due_at=now, date_updated=now)
        )
        await session.exec(delete(IncomingPhoneNumber).where(*active_under_closed, col(IncomingPhoneNumber.is_sip).is_(True)))
        await session.commit()


class _Settling:
    """One unsettled row: lease it, ask the carrier, settle it or say why not."""

    def __init__(
        self, db: Sessions, provider: Provider, report: ReconcileReport, sid: str, phone_number: str,
        status: str, now: datetime,
    ) -> None:
        self.db, self.provider, self.report = db, provider, report
        self.sid, self.phone_number, self.status, self.now = sid, phone_number, status, now
        self.lease = now + timedelta(seconds=provider.call_timeout) * 2

    def leave(self, reason: str) -> None:
        self.report.left.append(Left(self.phone_number, self.status, reason))

    async def settle(self, *, final: bool, window_ends: datetime) -> None:
        if not await self._take_lease():
            self.leave("being settled by another reconciler")
            return
        try:
            owned = await bounded(self.provider, self.provider.owns(self.phone_number), what="the ownership check")
        except ProviderUnavailableError as failure:
            await self._end_lease()
            self.leave(f"carrier unreachable: {failure}")
            return
        if owned is None:
            await self._end_lease()
            self.leave("unknown at the carrier: its answer does not say whether the number is ours")
        elif self.status == _PENDING and owned:
            await self._write(status=_ACTIVE, outcome_due_at=None, date_updated=utcnow())
            self.report.activated.append(self.phone_number)
        elif self.status == _PENDING and not final:
            await self._end_lease()
            self.leave(f"waiting for the carrier until {_moment(window_ends)}: it may still act on the purchase")
        elif self.status == _PENDING:
            await self._delete()
            self.report.removed.append(self.phone_number)
        else:
            await self._finish_release(owned)

    async def _finish_release(self, owned: bool) -> None:
        if owned:  # the client asked for the release: ask the carrier again
            try:
                await bounded(self.provider, self.provider.cancel(self.phone_number), what="the release",
                              changes_state=True)
            except NumberUnavailableError:
                pass  # no longer ours after all
            except ProviderUnavailableError as failure:
                await self._end_lease()
                self.leave(f"carrier unreachable: {failure}")
                return
        await self._delete()
        self.report.released.append(self.phone_number)

    def _mine(self) -> tuple[ColumnElement[bool], ...]:
        return (col(IncomingPhoneNumber.sid) == self.sid, col(IncomingPhoneNumber.status) == self.status,
                col(IncomingPhoneNumber.reconciling_until) == self.lease)

    async def _take_lease(self) -> bool:
        async with self.db.session() as session:
            taken = await session.exec(
                update(IncomingPhoneNumber)
                .where(col(IncomingPhoneNumber.sid) == self.sid, col(IncomingPhoneNumber.status) == self.status,
                       or_(col(IncomingPhoneNumber.reconciling_until).is_(None),
                           col(IncomingPhoneNumber.reconciling_until) <= self.now))
                .values(reconciling_until=self.lease)
            )
            await session.commit()
        return bool(taken.rowcount == 1)

    async def _end_lease(self) -> None:
        await self._write()

    async def _write(self, **values: object) -> None:
        """Change the leased row (and end the lease)."""
        async with self.db.session() as session:
            await session.exec(
                update(IncomingPhoneNumber).where(*self._mine()).values(reconciling_until=None, **values)
            )
            await session.commit()

    async def _delete(self) -> None:
        async with self.db.session() as session:
            await session.exec(delete(IncomingPhoneNumber).where(*self._mine()))
            await session.commit()


async def sweep_carrier(*, db: Sessions, provider: Provider) -> Sweep | None:
    """Compare what the carrier bills with the DIDs the gateway holds; None if it cannot list them."""
    try:
        billed_list = await bounded(provider, provider.owned_numbers(), what="the listing of its numbers",
                                    timeout=SWEEP_TIMEOUT)
    except ProviderUnavailableError as failure:
        log.warning("carrier sweep skipped: %s", failure)
        return None
    if billed_list is None:
        return None
    billed = set(billed_list)
    known: set[str] = set()
    not_billed: list[str] = []
    after = ""
    while True:  # keyset over phone_number: a million numbers never load at once
        async with db.session() as session:
            chunk = (await session.exec(
                select(IncomingPhoneNumber.phone_number, IncomingPhoneNumber.status)
                .where(col(IncomingPhoneNumber.is_sip).is_(False), col(IncomingPhoneNumber.phone_number) > after)
                .order_by(col(IncomingPhoneNumber.phone_number))
                .limit(_SWEEP_CHUNK)
            )).all()
        for phone_number, status in chunk:
            if phone_number in billed:
                known.add(phone_number)
            elif status == _ACTIVE:
                not_billed.append(phone_number)
        if len(chunk) < _SWEEP_CHUNK:
            break
        after = chunk[-1][0]
    return Sweep(unknown_here=sorted(billed - known), not_billed=not_billed)


async def unsettled_counts(*, db: Sessions) -> dict[str, int]:
    """How many numbers are in each unsettled status, across every instance."""
    async with db.session() as session:
        counted = dict((await session.exec(
            select(IncomingPhoneNumber.status, func.count())
            .where(col(IncomingPhoneNumber.status).in_([s.value for s in UNSETTLED]))
            .group_by(col(IncomingPhoneNumber.status))
        )).all())
    return {status.value: counted.get(status.value, 0) for status in UNSETTLED}


def _moment(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M:%S UTC")
