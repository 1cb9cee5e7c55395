"""The connections that hang off nodes: an account's numbers, subaccounts and
applications, and the numbers routed to an application.

Each resolver asks its per-request loader for (parent, page arguments), so the siblings
of a page (every subaccount's `incomingPhoneNumbers(first: 5)`) are one batch and one
statement whatever the size of the page they hang off. The page arguments, limits and
cursors are the root `incomingPhoneNumbers`'s; numbers' cursors are even the same, so a
cursor of `account { incomingPhoneNumbers }` continues the root list of that account.
"""

from __future__ import annotations

from typing import TypeVar

from strawberry.dataloader import DataLoader

from gateway.domain.errors import ServiceError
from gateway.domain.ids import ACCOUNT, APPLICATION
from gateway.domain.numbers import NumberFilters, SortKey
from gateway.domain.paging import Key
from gateway.graphql.connection import (
    AccountConnection,
    ApplicationConnection,
    IncomingPhoneNumberConnection,
    account_connection,
    application_connection,
    connection,
    creation_cursors,
    decode_cursor,
    relay_page,
)
from gateway.graphql.context import Info
from gateway.graphql.errors import raise_query_error
from gateway.graphql.loaders import NestedPage, PageArguments
from gateway.graphql.selection import selects
from gateway.services.windows import Window
from gateway.storage import tables

Parent = TypeVar("Parent", tables.Account, tables.Application)
Item = TypeVar("Item")

_account_cursors = creation_cursors(ACCOUNT)
_application_cursors = creation_cursors(APPLICATION)


async def account_numbers(
    info: Info, account: tables.Account, filters: NumberFilters,
    first: int | None, after: str | None, last: int | None, before: str | None,
) -> IncomingPhoneNumberConnection:
    page = relay_page(first, after, last, before, decode_cursor)
    arguments = PageArguments(page, with_total=selects(info, "totalCount"), filters=filters)
    return connection(await _load(info, info.context.loaders.account_numbers, account, arguments))


async def subaccounts(
    info: Info, account: tables.Account, first: int | None, after: str | None, last: int | None, before: str | None,
) -> AccountConnection:
    page = relay_page(first, after, last, before, _account_cursors)
    arguments = PageArguments(page, with_total=selects(info, "totalCount"))
    return account_connection(await _load(info, info.context.loaders.subaccounts, account, arguments))


async def account_applications(
    info: Info, account: tables.Account, first: int | None, after: str | None, last: int | None, before: str | None,
) -> ApplicationConnection:
    page = relay_page(first, after, last, before, _application_cursors)
    arguments = PageArguments(page, with_total=selects(info, "totalCount"))
    return application_connection(await _load(info, info.context.loaders.account_applications, account, arguments))


async def application_numbers(
    info: Info, application: tables.Application,
    first: int | None, after: str | None, last: int | None, before: str | None,
) -> IncomingPhoneNumberConnection:
    page = relay_page(first, after, last, before, decode_cursor)
    arguments = PageArguments[SortKey](page, with_total=selects(info, "totalCount"))
    return connection(await _load(info, info.context.loaders.application_numbers, application, arguments))


async def _load(
    info: Info, loader: DataLoader[NestedPage[Parent, Key], Window[Item]], parent: Parent,
    arguments: PageArguments[Key],
) -> Window[Item]:
    try:
        return await loader.load(NestedPage(parent, arguments))
    except ServiceError as error:
        raise_query_error(info, error)
