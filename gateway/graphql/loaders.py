"""Per-request DataLoaders: nested `account` and `application` fields cost one batched
query per request, whatever the page size.

Created in the context getter for each request, never process-wide: a shared loader
would cache one tenant's rows for another and outlive the event loop it was made on.
Each batch takes its turn on the request's database (`RequestDatabase`), so loaders
never share a session with a sibling resolver running at the same time.
"""

from __future__ import annotations

from collections.abc import Awaitable, Sequence
from dataclasses import dataclass
from typing import Any

from strawberry.dataloader import DataLoader

from gateway.services.accounts import accounts_by_sid
from gateway.services.api_keys import api_keys_of
from gateway.services.applications import applications_named
from gateway.storage.database import RequestDatabase
from gateway.storage.tables import Account, ApiKey, Application


@dataclass(frozen=True)
class Loaders:
    accounts: DataLoader[str, Account | None]
    applications: DataLoader[str, Application | None]
    #: keys by account sid (who may see them is the resolver's check)
    api_keys: DataLoader[str, list[ApiKey]]


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

    loaders = Loaders(
        accounts=DataLoader(load_fn=load_accounts),
        applications=DataLoader(load_fn=load_applications),
        api_keys=DataLoader(load_fn=load_api_keys),
    )
    if caller is not None:
        # Most numbers a viewer lists are its own: no query for the account it already has.
        loaders.accounts.prime(caller.sid, caller)
    return loaders


def later(loading: Awaitable[Any] | None) -> Any:
    """A loader's future as a sync resolver's answer: graphql-core awaits it, so a page's
    nested fields cost one batched query and no coroutine each."""
    return loading
