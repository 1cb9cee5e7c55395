"""Listing numbers: Restcomm's pages (Page/PageSize/AfterSid) and keyset windows (GraphQL)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlmodel.ext.asyncio.session import AsyncSession

from gateway.domain.errors import InvalidParameter
from gateway.domain.ids import PHONE_NUMBER, is_sid
from gateway.domain.numbers import NumberFilters, SortKey
from gateway.domain.paging import Page
from gateway.services import validation
from gateway.services.access import require_account, require_visible
from gateway.services.applications import application_sids
from gateway.services.windows import Window, cut
from gateway.storage.database import Sessions
from gateway.storage.pages import number_totals, numbers_per_account
from gateway.storage.queries import applications_by_sid, select_numbers, select_numbers_and_total
from gateway.storage.tables import Account, Application, IncomingPhoneNumber

MAX_PAGE_SIZE = 1000
DEFAULT_PAGE_SIZE = 50


@dataclass(frozen=True)
class NumberPage:
    #: read-only records of the page's numbers (`storage.records`)
    items: list[IncomingPhoneNumber]
    total: int
    page: int
    page_size: int
    #: the applications the items route to, by sid (REST shows their names)
    applications: dict[str, Application]

    @property
    def last_page(self) -> int:
        """Index of the last page (0 when there is nothing)."""
        return max(0, (self.total - 1) // self.page_size)

    @property
    def start(self) -> int:
        return self.page * self.page_size


NumberWindow = Window[IncomingPhoneNumber]


async def list_numbers_page(
    *,
    db: Sessions,
    caller: Account,
    account_sid: str,
    filters: NumberFilters,
    page: int = 0,
    page_size: int = DEFAULT_PAGE_SIZE,
    after_sid: str | None = None,
) -> NumberPage:
    """A Restcomm page. With `after_sid` the page starts right after that number
    (a keyset seek: page 10,000 costs what page 0 costs); `page` then only labels it."""
    _check_filters(filters)
    if page < 0:
        raise InvalidParameter(f"{{field}} {page} must be 0 or more", field="page")
    if not 1 <= page_size <= MAX_PAGE_SIZE:
        raise InvalidParameter(f"{{field}} {page_size} must be between 1 and {MAX_PAGE_SIZE}", field="page_size")
    async with db.session() as session:
        account = await require_account(session=session, caller=caller, account_sid=account_sid)
        if after_sid and not is_sid(after_sid, PHONE_NUMBER):
            raise _not_a_number(account, after_sid)
        items, total = await select_numbers_and_total(
            session, account.sid, filters, limit=page_size, offset=0 if after_sid else page * page_size,
            after=after_sid or None,
        )
        if after_sid and not items:  # the last page, or no number of this account: only a look-up tells
            await _after_key(session, account, after_sid)
        last_page = NumberPage([], total, page, page_size, {}).last_page
        if page > last_page:
            raise InvalidParameter(
                f"{{field}} {page} is past the last page ({last_page}) for {total} numbers at {page_size} per page",
                field="page",
            )
        wanted = application_sids(items)
        applications = await applications_by_sid(session, wanted) if wanted else {}
    return NumberPage(items, total, page, page_size, applications)


def _check_filters(filters: NumberFilters) -> None:
    for field in ("phone_number", "friendly_name"):
        value = getattr(filters, field)
        if value is not None:
            validation.text(value, field=field)


async def _after_key(session: AsyncSession, account: Account, after_sid: str) -> SortKey:
    number = await session.get(IncomingPhoneNumber, after_sid) if is_sid(after_sid, PHONE_NUMBER) else None
    if number is None or number.account_sid != account.sid:
        raise _not_a_number(account, after_sid)
    return SortKey.of(number)


def _not_a_number(account: Account, after_sid: str) -> InvalidParameter:
    return InvalidParameter(
        f"{{field}} {after_sid[:40]!r} is not a phone number of account {account.sid}", field="after_sid"
    )


async def list_numbers_window(
    *,
    db: Sessions,
    caller: Account,
    account_sid: str,
    filters: NumberFilters,
    limit: int,
    after: SortKey | None = None,
    before: SortKey | None = None,
    from_end: bool = False,
    with_total: bool = True,
) -> NumberWindow:
    """A keyset window for cursor pagination: `limit` rows after/before the keys."""
    _check_filters(filters)
    async with db.session() as session:
        account = await require_account(session=session, caller=caller, account_sid=account_sid)
        if with_total:
            rows, total = await select_numbers_and_total(
                session, account.sid, filters, limit=limit + 1, after=after, before=before, from_end=from_end
            )
        else:
            rows, total = await select_numbers(
                session, account.sid, filters, limit=limit + 1, after=after, before=before, from_end=from_end
            ), -1
    return cut(rows, Page(limit, after, before, from_end), total)


async def list_numbers_windows(
    *,
    db: Sessions,
    caller: Account,
    accounts: Sequence[Account],
    filters: NumberFilters,
    page: Page[SortKey],
    with_total: bool = True,
) -> list[NumberWindow]:
    """The same window of each account's numbers (in the order of `accounts`), for all of
    them in one statement, and their totals in one more when asked for."""
    _check_filters(filters)
    require_visible(caller, accounts)
    sids = [account.sid for account in accounts]
    async with db.session() as session:
        rows = await numbers_per_account(
            session, sids, filters, limit=page.limit + 1, after=page.after, before=page.before,
            from_end=page.from_end,
        )
        totals = await number_totals(session, sids, filters) if with_total else {}
    return [cut(rows[sid], page, totals.get(sid, -1)) for sid in sids]
