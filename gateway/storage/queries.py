"""The SQL the services run: number lists (filters, keyset seeks) and batched look-ups.

Every list is ordered by (phone_number, sid) and seeks with a row comparison, so a page
deep in a million numbers costs what the first page costs (index
``ix_number_account_order``).
"""

from __future__ import annotations

from typing import Any, Iterable

from sqlalchemy import and_, bindparam, func, literal, or_
from sqlalchemy import select as core_select
from sqlalchemy.orm import aliased
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession
from sqlmodel.sql.expression import SelectOfScalar

from gateway.domain.accounts import AccountStatus
from gateway.domain.numbers import NumberFilters, NumberStatus, SortKey
from gateway.storage.records import core_rows, number_records, number_table
from gateway.storage.tables import Account, AccountNumberTotal, Application, IncomingPhoneNumber

#: rows a client never sees: reserved while the carrier is being asked
HIDDEN_STATUSES = (NumberStatus.PENDING.value,)


def _filtered(statement: SelectOfScalar[Any], account_sid: str, filters: NumberFilters) -> SelectOfScalar[Any]:
    return statement.where(IncomingPhoneNumber.account_sid == account_sid, *listed_numbers(filters))


def listed_numbers(filters: NumberFilters) -> list[Any]:
    """The conditions of a list's numbers, whichever account: visible, and matching `filters`."""
    number = IncomingPhoneNumber
    conditions: list[Any] = [col(number.status).not_in(HIDDEN_STATUSES)]
    if filters.number_type is not None:
        conditions.append(number.number_type == filters.number_type.value)
    if filters.phone_number:
        conditions.append(col(number.phone_number).like(f"%{like_pattern(filters.phone_number)}%", escape="\\"))
    if filters.friendly_name is not None:
        conditions.append(number.friendly_name == filters.friendly_name)
    if not filters.include_beta:
        conditions.append(col(number.beta).is_(False))
    return conditions


def like_pattern(text: str) -> str:
    """Escape LIKE's own wildcards, then map the API's `*` (any one digit) to `_`."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return escaped.replace("*", "_")


def _total(account_sid: str, filters: NumberFilters) -> Any:
    """The number of the account's listed numbers matching `filters`, as an expression."""
    if filters == NumberFilters():
        # Unfiltered: the total the database's triggers keep (one row, not a count).
        return select(AccountNumberTotal.total).where(AccountNumberTotal.account_sid == account_sid)
    return _filtered(select(func.count()).select_from(IncomingPhoneNumber), account_sid, filters)


async def count_numbers(session: AsyncSession, account_sid: str, filters: NumberFilters) -> int:
    found = (await session.exec(_total(account_sid, filters))).first()
    return int(found or 0)


async def select_numbers(
    session: AsyncSession,
    account_sid: str,
    filters: NumberFilters,
    *,
    limit: int,
    offset: int = 0,
    after: SortKey | None = None,
    before: SortKey | None = None,
    from_end: bool = False,
) -> list[IncomingPhoneNumber]:
    """Numbers in (phone_number, sid) order; `from_end` reads backwards (the last `limit`).
    Read-only records (`storage.records`): lists render them and change nothing."""
    rows, _ = await _select_numbers(session, account_sid, filters, limit=limit, offset=offset, after=after,
                                    before=before, from_end=from_end, with_total=False)
    return rows


async def select_numbers_and_total(
    session: AsyncSession, account_sid: str, filters: NumberFilters, *, limit: int, offset: int = 0,
    after: SortKey | str | None = None, before: SortKey | None = None, from_end: bool = False,
) -> tuple[list[IncomingPhoneNumber], int]:
    """`select_numbers` and `count_numbers` in one statement: the total rides along as a
    scalar subquery, which both databases evaluate once. Only an empty page (no row to
    carry it) costs a second statement. `after` may be a number's sid (REST's AfterSid):
    its phone number is looked up in the same statement, and a sid that is no number of
    the account gives an empty page (the caller tells why)."""
    rows, total = await _select_numbers(session, account_sid, filters, limit=limit, offset=offset, after=after,
                                        before=before, from_end=from_end, with_total=True)
    return rows, total if total is not None else await count_numbers(session, account_sid, filters)


async def _select_numbers(
    session: AsyncSession, account_sid: str, filters: NumberFilters, *, limit: int, offset: int,
    after: SortKey | str | None, before: SortKey | None, from_end: bool, with_total: bool,
) -> tuple[list[IncomingPhoneNumber], int | None]:
    table = number_table()
    order = (table.c.phone_number, table.c.sid)
    columns = [table, _total(account_sid, filters).scalar_subquery().label("listed_total")] if with_total else [table]
    statement = core_select(*columns).where(table.c.account_sid == account_sid, *listed_numbers(filters))
    if isinstance(after, str):  # a sid: its sort key comes from a scalar subquery (evaluated once, then a seek)
        key = select(IncomingPhoneNumber.phone_number).where(
            IncomingPhoneNumber.sid == after, IncomingPhoneNumber.account_sid == account_sid)
        statement = statement.where(beyond(order, (key.scalar_subquery(), after), forward=True))
    elif after is not None:
        statement = statement.where(_beyond(after, forward=True))
    if before is not None:
        statement = statement.where(_beyond(before, forward=False))
    if from_end:
        statement = statement.order_by(*(c.desc() for c in order))
    else:
        statement = statement.order_by(*order)
    statement = statement.offset(offset).limit(limit)
    found = await core_rows(session, statement)
    total = int(found[0][-1] or 0) if with_total and found else None
    rows = number_records(row[:-1] for row in found) if with_total else number_records(found)
    return (rows[::-1] if from_end else rows), total


def _beyond(key: SortKey, *, forward: bool) -> Any:
    number = IncomingPhoneNumber
    return beyond((col(number.phone_number), col(number.sid)), (key.phone_number, key.sid), forward=forward)


def beyond(columns: tuple[Any, Any], key: tuple[Any, Any], *, forward: bool) -> Any:
    """Rows after (`forward`) or before `key` in the order of the two `columns`.

    `a >= :a AND (a > :a OR b > :b)` rather than the bare OR (or a row comparison): its
    first half is an index range both SQLite and PostgreSQL seek to, so a page deep in
    the list reads only that page's rows.
    """
    (first, second), (first_key, second_key) = columns, key
    if forward:
        return and_(first >= first_key, or_(first > first_key, second > second_key))
    return and_(first <= first_key, or_(first < first_key, second < second_key))


async def applications_by_sid(session: AsyncSession, sids: Iterable[str]) -> dict[str, Application]:
    wanted = sorted(set(s for s in sids if s))
    if not wanted:
        return {}
    rows = await session.exec(select(Application).where(col(Application.sid).in_(wanted)))
    return {app.sid: app for app in rows}


async def accounts_by_sid(session: AsyncSession, sids: Iterable[str]) -> dict[str, Account]:
    wanted = sorted(set(sids))
    if not wanted:
        return {}
    rows = await session.exec(select(Account).where(col(Account.sid).in_(wanted)))
    return {account.sid: account for account in rows}



async def inactive_accounts(session: AsyncSession, sids: list[str]) -> list[tuple[str, str]]:
    """(sid, status) of the accounts among `sids` that are not active, in the order of `sids`."""
    if not sids:
        return []
    statement = select(Account.sid, Account.status).where(
        col(Account.sid).in_(sids), Account.status != AccountStatus.ACTIVE.value
    )
    found = dict((await session.exec(statement)).all())
    return [(sid, found[sid]) for sid in sids if sid in found]



def _chain_up_from(column: Any) -> Any:
    """Accounts whose `column` equals :login, then each one's parent… up to the root."""
    chain = (
        select(Account.sid, Account.parent_sid, literal(0).label("depth"))
        .where(column == bindparam("login"))
        .cte("chain", recursive=True)
    )
    parent = aliased(Account)
    chain = chain.union_all(
        select(parent.sid, parent.parent_sid, (chain.c.depth + 1).label("depth"))
        .join(chain, col(parent.sid) == chain.c.parent_sid)
    )
    return select(Account).join(chain, col(Account.sid) == chain.c.sid).order_by(chain.c.depth)


# Built once: a recursive statement is costly to build, and SQLAlchemy caches its compiled form.
_CHAIN_BY_SID = _chain_up_from(col(Account.sid))
_CHAIN_BY_EMAIL = _chain_up_from(col(Account.email))


async def account_with_ancestors(session: AsyncSession, *, sid: str | None = None, email: str | None = None) -> list[Account]:
    """The account with that sid (or e-mail), then its parent, its parent's parent… up to
    the root, in one round trip (a recursive query walking `parent_sid` by primary key)."""
    statement = _CHAIN_BY_SID if sid is not None else _CHAIN_BY_EMAIL
    found = await session.exec(statement, params={"login": sid if sid is not None else email})
    return list(found.all())
