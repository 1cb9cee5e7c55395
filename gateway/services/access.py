"""The account-tree rule: an account acts on itself and its descendants, nothing else;
and only on an active one whose ancestors up to the caller are active too (a suspended
or closed account stops its whole subtree; the caller's own were checked at sign-in)."""

from __future__ import annotations

from collections.abc import Iterable

from sqlmodel.ext.asyncio.session import AsyncSession

from gateway.domain.errors import Forbidden, NotFound
from gateway.domain.ids import ACCOUNT, is_sid
from gateway.storage.queries import inactive_accounts
from gateway.storage.tables import Account


def can_act_on(caller: Account, account: Account) -> bool:
    return account.path.startswith(caller.path)


def require_visible(caller: Account, accounts: Iterable[Account]) -> None:
    """Forbidden unless `caller` may act on each of `accounts`: rows already read, so no query
    (GraphQL's nested lists hang off accounts the viewer was allowed to read)."""
    for account in accounts:
        if not can_act_on(caller, account):
            raise Forbidden(f"account {account.sid} is not {caller.sid} or one of its subaccounts")


async def require_account(
    *, session: AsyncSession, caller: Account, account_sid: str, write: bool = False,
    field: str = "account_sid",
) -> Account:
    """The account `account_sid` if `caller` may act on it.

    Unknown and foreign accounts give the same 403, so nobody learns which sids
    exist in other organizations. Writes need the target to be active.
    """
    if not is_sid(account_sid, ACCOUNT):
        raise NotFound(f"{{field}} {account_sid[:40]!r} is not an account sid", field=field)
    account = caller if account_sid == caller.sid else await session.get(Account, account_sid)
    if account is None or not can_act_on(caller, account):
        raise Forbidden(
            f"account {account_sid} is not {caller.sid} or one of its subaccounts", field=field
        )
    if write:
        await require_writable(session, caller, account, field=field)
    return account


async def require_writable(session: AsyncSession, caller: Account, account: Account, *, field: str) -> None:
    """Forbidden, naming the account at fault, unless `account` and every account
    between the caller and it are active."""
    if not account.is_active:
        raise Forbidden(f"account {account.sid} is {account.status}", field=field)
    ancestors = account.ancestor_sids
    below_caller = ancestors[ancestors.index(caller.sid) + 1:] if caller.sid in ancestors else []
    inactive = await inactive_accounts(session, below_caller)
    if inactive:
        sid, status = inactive[0]
        raise Forbidden(f"account {account.sid} cannot be changed: its ancestor {sid} is {status}", field=field)
