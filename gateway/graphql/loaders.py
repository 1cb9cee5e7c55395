"""Per-request DataLoaders: nested `account` and `application` fields cost one batched
query per request, whatever the page size; so do nested connections (an account's
numbers, subaccounts and applications, an application's numbers), keyed by the parent
and the page's arguments: the siblings asking for the same page of their own lists are
one batch, one statement (`storage.pages`).

Created in the context getter for each request, never process-wide: a shared loader
would cache one tenant's rows for another and outlive the event loop it was made on.
Each batch takes its turn on the request's database (`RequestDatabase`), so loaders
never share a session with a sibling resolver running at the same time.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Hashable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, Protocol, TypeVar

from strawberry.dataloader import DataLoader

from gateway.domain.numbers import NumberFilters, SortKey
from gateway.domain.paging import CreationKey, Key, Page
from gateway.services.accounts import accounts_by_sid, list_subaccount_windows
from gateway.services.api_keys import api_keys_of
from gateway.services.applications import applications_named, list_application_windows, list_routed_number_windows
from gateway.services.listing import list_numbers_windows
from gateway.services.windows import Window
from gateway.storage.database import RequestDatabase
from gateway.storage.tables import Account, ApiKey, Application, IncomingPhoneNumber


class _Row(Protocol):
    @property
    def sid(self) -> str: ...


Parent = TypeVar("Parent", bound=_Row)
Item = TypeVar("Item")


@dataclass(frozen=True)
class PageArguments(Generic[Key]):
    """What a nested connection asks of each parent's list: the same for all its siblings."""

    page: Page[Key]
    #: whether the query selects totalCount (no COUNT otherwise)
    with_total: bool
    #: the filters of a numbers list
    filters: NumberFilters = NumberFilters()


@dataclass(frozen=True)
class NestedPage(Generic[Parent, Key]):
    """A page of `parent`'s list. The row itself travels along (the services check the
    viewer may read it, with no query); the loader caches by its sid."""

    parent: Parent
    arguments: PageArguments[Key]


@dataclass(frozen=True)
class Loaders:
    accounts: DataLoader[str, Account | None]
    applications: DataLoader[str, Application | None]
    #: keys by account sid (who may see them is the resolver's check)
    api_keys: DataLoader[str, list[ApiKey]]
    account_numbers: DataLoader[NestedPage[Account, SortKey], Window[IncomingPhoneNumber]]
    subaccounts: DataLoader[NestedPage[Account, CreationKey], Window[Account]]
    account_applications: DataLoader[NestedPage[Account, CreationKey], Window[Application]]
    application_numbers: DataLoader[NestedPage[Application, SortKey], Window[IncomingPhoneNumber]]


def create_loaders(db: RequestDatabase, caller: Account | None) -> Loaders:
    async def load_accounts(sids: Sequence[str]) -> list[Account | None]:
        found = await accounts_by_sid(db=db, sids=sids)
        return [found.get(sid) for sid in sids]

    async def load_applications(sids: Sequence[str]) -> list[Application | None]:
        found = await applications_named(db=db, sids=sids)
        return [found.get(sid) for sid in sids]

    async def load_api_keys(sids: Sequence[str]) -> list[list[ApiKey]]:
        found = await api_keys_of(db=db, account_sids=list(sids))
        return [found[sid] for sid in sids]

    def viewer() -> Account:
        assert caller is not None, "nested connections are read only by operations, which are signed in"
        return caller

    async def numbers_of(parents: list[Account], arguments: PageArguments[SortKey]) -> list[Window[IncomingPhoneNumber]]:
        return await list_numbers_windows(
            db=db, caller=viewer(), accounts=parents, filters=arguments.filters, page=arguments.page,
            with_total=arguments.with_total,
        )

    async def subaccounts_of(parents: list[Account], arguments: PageArguments[CreationKey]) -> list[Window[Account]]:
        return await list_subaccount_windows(
            db=db, caller=viewer(), parents=parents, page=arguments.page, with_total=arguments.with_total
        )

    async def applications_of(
        parents: list[Account], arguments: PageArguments[CreationKey]
    ) -> list[Window[Application]]:
        return await list_application_windows(
            db=db, caller=viewer(), accounts=parents, page=arguments.page, with_total=arguments.with_total
        )

    async def routed_numbers(
        parents: list[Application], arguments: PageArguments[SortKey]
    ) -> list[Window[IncomingPhoneNumber]]:
        return await list_routed_number_windows(
            db=db, caller=viewer(), applications=parents, page=arguments.page, with_total=arguments.with_total
        )

    loaders = Loaders(
        accounts=DataLoader(load_fn=load_accounts),
        applications=DataLoader(load_fn=load_applications),
        api_keys=DataLoader(load_fn=load_api_keys),
        account_numbers=nested_pages(numbers_of),
        subaccounts=nested_pages(subaccounts_of),
        account_applications=nested_pages(applications_of),
        application_numbers=nested_pages(routed_numbers),
    )
    if caller is not None:
        # Most numbers a viewer lists are its own: no query for the account it already has.
        loaders.accounts.prime(caller.sid, caller)
    return loaders


def nested_pages(
    fetch: Callable[[list[Parent], PageArguments[Key]], Awaitable[list[Window[Item]]]],
) -> DataLoader[NestedPage[Parent, Key], Window[Item]]:
    """A loader of nested pages: the keys of one batch that ask the same page arguments
    are fetched together (`fetch` answers their windows in the order of their parents)."""

    async def load(keys: list[NestedPage[Parent, Key]]) -> list[Window[Item]]:
        alike: dict[PageArguments[Key], list[int]] = {}
        for index, key in enumerate(keys):
            alike.setdefault(key.arguments, []).append(index)
        windows: dict[int, Window[Item]] = {}
        for arguments, indexes in alike.items():
            found = await fetch([keys[i].parent for i in indexes], arguments)
            windows.update(zip(indexes, found, strict=True))
        return [windows[index] for index in range(len(keys))]

    def cache_key(key: NestedPage[Parent, Key]) -> Hashable:
        return (key.parent.sid, key.arguments)

    return DataLoader(load_fn=load, cache_key_fn=cache_key)


def later(loading: Awaitable[Any] | None) -> Any:
    """A loader's future as a sync resolver's answer: graphql-core awaits it, so a page's
    nested fields cost one batched query and no coroutine each."""
    return loading
