"""Many parents' pages in one statement: the numbers of a page of accounts, their
subaccounts, their applications, the numbers routed to a page of applications.

A batch of parents is one statement: a UNION ALL of one keyset seek per parent, each
`ORDER BY key LIMIT n` on the parent's index (as `queries.select_numbers`), so a page of
subaccounts costs what its parents' first pages cost, however many numbers each holds
(a window over all of a parent's rows cost 0.5 s a request for a parent of 200,000).
The numbers routed to applications still rank with `ROW_NUMBER() OVER (PARTITION BY
application)`: they come from four columns, no one index orders them.

Totals are one grouped COUNT for all parents (an unfiltered numbers total reads the
trigger-kept `account_number_total` rows instead).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Table, func, literal, union, union_all
from sqlalchemy import select as core_select
from sqlalchemy.orm import aliased
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from gateway.domain.numbers import NumberFilters, SortKey
from gateway.domain.paging import CreationKey
from gateway.domain.route_families import APPLICATION_COLUMNS
from gateway.storage.queries import beyond, listed_numbers
from gateway.storage.records import core_rows, number_records, number_table
from gateway.storage.tables import Account, AccountNumberTotal, Application, IncomingPhoneNumber

_Number = IncomingPhoneNumber


async def numbers_per_account(
    session: AsyncSession, account_sids: Sequence[str], filters: NumberFilters, *, limit: int,
    after: SortKey | None = None, before: SortKey | None = None, from_end: bool = False,
) -> dict[str, list[IncomingPhoneNumber]]:
    """Each account's numbers in list order (phone_number, sid): the first `limit` after
    `after` and before `before`, or the last `limit` with `from_end`. Read-only records
    (`storage.records`), as the root list's."""
    table = number_table()
    return await _first_per(
        session, table, table.c.account_sid, account_sids, listed_numbers(filters),
        order=(table.c.phone_number, table.c.sid), limit=limit, from_end=from_end,
        after=(after.phone_number, after.sid) if after else None,
        before=(before.phone_number, before.sid) if before else None,
    )


async def number_totals(session: AsyncSession, account_sids: Sequence[str], filters: NumberFilters) -> dict[str, int]:
    if filters == NumberFilters():
        kept = select(AccountNumberTotal.account_sid, AccountNumberTotal.total)
        found = await session.exec(kept.where(col(AccountNumberTotal.account_sid).in_(account_sids)))
    else:
        counted = select(_Number.account_sid, func.count()).where(
            col(_Number.account_sid).in_(account_sids), *listed_numbers(filters)
        )
        found = await session.exec(counted.group_by(col(_Number.account_sid)))
    return _totals(account_sids, found.all())


async def subaccounts_per_parent(
    session: AsyncSession, parent_sids: Sequence[str], *, limit: int,
    after: CreationKey | None = None, before: CreationKey | None = None, from_end: bool = False,
) -> dict[str, list[Account]]:
    """Each account's direct subaccounts in creation order (date_created, sid)."""
    return await _first_per(
        session, Account, col(Account.parent_sid), parent_sids, [],
        order=(col(Account.date_created), col(Account.sid)), limit=limit, from_end=from_end,
        after=_created(after), before=_created(before),
    )


async def subaccount_totals(session: AsyncSession, parent_sids: Sequence[str]) -> dict[str, int]:
    counted = select(Account.parent_sid, func.count()).where(col(Account.parent_sid).in_(parent_sids))
    return _totals(parent_sids, (await session.exec(counted.group_by(col(Account.parent_sid)))).all())


async def applications_per_account(
    session: AsyncSession, account_sids: Sequence[str], *, limit: int,
    after: CreationKey | None = None, before: CreationKey | None = None, from_end: bool = False,
) -> dict[str, list[Application]]:
    """Each account's own applications in creation order (date_created, sid)."""
    return await _first_per(
        session, Application, col(Application.account_sid), account_sids, [],
        order=(col(Application.date_created), col(Application.sid)), limit=limit, from_end=from_end,
        after=_created(after), before=_created(before),
    )


async def application_totals(session: AsyncSession, account_sids: Sequence[str]) -> dict[str, int]:
    counted = select(Application.account_sid, func.count()).where(col(Application.account_sid).in_(account_sids))
    return _totals(account_sids, (await session.exec(counted.group_by(col(Application.account_sid)))).all())


def _routed(application_sids: Sequence[str]) -> Any:
    """(application_sid, number_sid) of every number routing to one of the applications,
    in any family, once per pair (a number may route voice and sms to the same one).
    One branch per column, so each is a look-up in that column's index."""
    branches: list[Any] = [
        select(getattr(_Number, column).label("application_sid"), col(_Number.sid).label("number_sid"))
        .where(getattr(_Number, column).in_(application_sids))
        for column in APPLICATION_COLUMNS
    ]
    return union(*branches).subquery("routed")


async def numbers_per_application(
    session: AsyncSession, application_sids: Sequence[str], *, within_path: str, limit: int,
    after: SortKey | None = None, before: SortKey | None = None, from_end: bool = False,
) -> dict[str, list[IncomingPhoneNumber]]:
    """Each application's numbers (any family) in list order, among the visible numbers
    of the accounts whose path starts with `within_path` (the viewer's subtree)."""
    routed = _routed(application_sids)
    order = (col(_Number.phone_number), col(_Number.sid))
    keyset = _keyset(order, (after.phone_number, after.sid) if after else None,
                     (before.phone_number, before.sid) if before else None)
    ranking = [c.desc() for c in order] if from_end else list(order)
    rank = func.row_number().over(partition_by=routed.c.application_sid, order_by=ranking).label("row_rank")
    ranked = (
        select(_Number, routed.c.application_sid, rank)
        .join_from(routed, _Number, col(_Number.sid) == routed.c.number_sid)
        .join(Account, col(Account.sid) == col(_Number.account_sid))
        .where(col(Account.path).startswith(within_path), *listed_numbers(NumberFilters()), *keyset)
        .subquery("ranked")
    )
    number = aliased(_Number, ranked)
    statement = (
        select(number, ranked.c.application_sid)
        .where(ranked.c.row_rank <= limit)
        .order_by(ranked.c.application_sid, ranked.c.row_rank)
    )
    pages: dict[str, list[IncomingPhoneNumber]] = {sid: [] for sid in application_sids}
    for row, application_sid in (await session.exec(statement)).all():
        pages[application_sid].append(row)
    return _ascending(pages) if from_end else pages


async def application_number_totals(
    session: AsyncSession, application_sids: Sequence[str], *, within_path: str
) -> dict[str, int]:
    routed = _routed(application_sids)
    counted = (
        select(routed.c.application_sid, func.count())
        .join_from(routed, _Number, col(_Number.sid) == routed.c.number_sid)
        .join(Account, col(Account.sid) == col(_Number.account_sid))
        .where(col(Account.path).startswith(within_path), *listed_numbers(NumberFilters()))
        .group_by(routed.c.application_sid)
    )
    return _totals(application_sids, (await session.exec(counted)).all())


# -- the one statement per batch ------------------------------------------------------


async def _first_per(
    session: AsyncSession, source: Any, parent: Any, parent_sids: Sequence[str], conditions: list[Any], *,
    order: tuple[Any, Any], limit: int, after: tuple[Any, Any] | None, before: tuple[Any, Any] | None,
    from_end: bool,
) -> dict[str, list[Any]]:
    """The first `limit` rows of each parent in `order` (the last ones with `from_end`),
    by parent sid, each list in ascending order. `source` is an ORM entity (its rows are
    instances) or the numbers table (its rows are records, `storage.records`)."""
    where = [*conditions, *_keyset(order, after, before)]
    ranking = [c.desc() for c in order] if from_end else list(order)
    pages: dict[str, list[Any]] = {sid: [] for sid in parent_sids}
    records = isinstance(source, Table)
    if len(parent_sids) == 1:
        [sid] = parent_sids
        one = _select(source).where(parent == sid, *where).order_by(*ranking).limit(limit)
        pages[sid] = await _read(session, one, records)
    else:
        # One branch per parent, each its own index seek stopping after `limit` rows and
        # reading only the sids (a branch of every column cost 30 ms a request to build);
        # then the rows by sid, in each parent's list order (the database's own collation,
        # and no reliance on the order UNION ALL happens to keep).
        table = source if records else source.__table__
        branches = []
        for index, sid in enumerate(parent_sids):
            seek = (core_select(table.c.sid, literal(index).label("parent_index"))
                    .where(parent == sid, *where).order_by(*ranking).limit(limit).subquery())
            branches.append(core_select(seek.c.sid, seek.c.parent_index))
        keys = union_all(*branches).subquery("page_keys")
        statement = (_select(source).join(keys, keys.c.sid == table.c.sid)
                     .order_by(keys.c.parent_index, *ranking))
        for found in await _read(session, statement, records):
            pages[getattr(found, parent.key)].append(found)
    return _ascending(pages) if from_end else pages


def _select(source: Any) -> Any:
    return core_select(source) if isinstance(source, Table) else select(source)


async def _read(session: AsyncSession, statement: Any, records: bool) -> list[Any]:
    if not records:
        return list(await session.exec(statement))
    return number_records(await core_rows(session, statement))


def _keyset(order: tuple[Any, Any], after: tuple[Any, Any] | None, before: tuple[Any, Any] | None) -> list[Any]:
    conditions = []
    if after is not None:
        conditions.append(beyond(order, after, forward=True))
    if before is not None:
        conditions.append(beyond(order, before, forward=False))
    return conditions


def _ascending(pages: dict[str, list[Any]]) -> dict[str, list[Any]]:
    """Pages read from the end come newest first: put each back in list order."""
    return {sid: rows[::-1] for sid, rows in pages.items()}


def _created(key: CreationKey | None) -> tuple[Any, Any] | None:
    return (key.date_created, key.sid) if key is not None else None


def _totals(parent_sids: Sequence[str], counted: Sequence[Any]) -> dict[str, int]:
    found = {sid: int(total) for sid, total in counted}
    return {sid: found.get(sid, 0) for sid in parent_sids}
