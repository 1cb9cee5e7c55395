"""The account-tree rule: an account acts on itself and its descendants, nothing else."""

from __future__ import annotations

from sqlmodel.ext.asyncio.session import AsyncSession

from gateway.domain.errors import Forbidden, NotFound
from gateway.domain.ids import ACCOUNT, is_sid
from gateway.storage.tables import Account


def can_act_on(caller: Account, account: Account) -> bool:
    return account.path.startswith(caller.path)


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
    if write and not account.is_active:
        raise Forbidden(f"account {account_sid} is {account.status}", field=field)
    return account
