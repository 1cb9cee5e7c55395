"""Accounts: the bootstrap account, subaccounts, reading them. Signing in is
`services.login`; changing an account (status, name, credentials) `services.account_changes`."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select

from gateway.domain.accounts import AccountRole, AccountStatus
from gateway.domain.errors import Conflict, Forbidden, InvalidParameter
from gateway.domain.ids import ACCOUNT, is_sid, new_sid, new_token
from gateway.domain.paging import CreationKey, Page
from gateway.services import validation
from gateway.services.access import require_account, require_visible
from gateway.services.login import token_from_password
from gateway.services.windows import Window, cut
from gateway.storage import queries
from gateway.storage.database import Sessions
from gateway.storage.pages import subaccount_totals, subaccounts_per_parent
from gateway.storage.secret_hashes import fast_hash, slow_hash
from gateway.storage.tables import Account

ROLES = tuple(role.value for role in AccountRole)
STATUSES = tuple(status.value for status in AccountStatus)
MIN_PASSWORD = 8
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise InvalidParameter(f"{{field}} must be at least {MIN_PASSWORD} characters long", field="password")


async def token_hash(token: str, *, drawn: bool) -> str:
    """How a token is stored: a fast hash if the gateway drew it, a slow one (computed in
    a worker thread) if it may come from a password: given as one, or as a token someone
    chose, like the bootstrap's."""
    return fast_hash(token) if drawn else await asyncio.to_thread(slow_hash, token)


@dataclass(frozen=True)
class NewAccount:
    account: Account
    #: shown once: only its hash is stored
    auth_token: str


async def create_account(
    *,
    db: Sessions,
    email: str,
    parent: Account | None,
    friendly_name: str | None = None,
    role: str | None = None,
    password: str | None = None,
    token: str | None = None,
    sid: str | None = None,
) -> NewAccount:
    """Create a root account (parent None: a new organization) or a subaccount."""
    address = email.strip().lower()
    if not _EMAIL.match(address) or len(address) > 254 or validation.has_control_characters(address):
        raise InvalidParameter(f"{{field}} {email[:80]!r} is not an e-mail address", field="email")
    role = (role or AccountRole.DEVELOPER.value).strip()
    canonical_role = next((r for r in ROLES if r.lower() == role.lower()), None)
    if canonical_role is None:
        raise InvalidParameter(f"{{field}} {role!r} must be one of {', '.join(ROLES)}", field="role")
    if password is not None:
        check_password(password)
    auth_token = token or (token_from_password(password) if password else new_token())
    sid = sid or new_sid(ACCOUNT)
    account = Account(
        sid=sid,
        friendly_name=validation.friendly_name(friendly_name or address, field="friendly_name"),
        email=address,
        role=canonical_role,
        parent_sid=parent.sid if parent else None,
        organization_sid=parent.organization_sid if parent else sid,
        path=(parent.path if parent else "/") + sid + "/",
        secret_hash=await token_hash(auth_token, drawn=token is None and password is None),
    )
    async with db.session() as session:
        session.add(account)
        try:
            await session.commit()
        except IntegrityError:
            raise Conflict(f"{{field}} {address} is already used by another account", field="email") from None
    return NewAccount(account, auth_token)


async def create_subaccount(
    *,
    db: Sessions,
    caller: Account,
    email: str,
    friendly_name: str | None = None,
    role: str | None = None,
    password: str | None = None,
) -> NewAccount:
    if caller.role != AccountRole.ADMINISTRATOR.value:
        raise Forbidden(f"account {caller.sid} has role {caller.role}; creating subaccounts needs Administrator")
    return await create_account(
        db=db, email=email, parent=caller, friendly_name=friendly_name, role=role, password=password,
    )


async def ensure_bootstrap_account(*, db: Sessions, sid: str, email: str, token: str | None) -> str | None:
    """Create the root account if missing; return its token only when just created."""
    async with db.session() as session:
        if await session.get(Account, sid) is not None:
            return None
    try:
        created = await create_account(
            db=db, email=email, parent=None, friendly_name="Default Administrator Account",
            role=AccountRole.ADMINISTRATOR.value, token=token, sid=sid,
        )
    except Conflict:
        return None  # another process created it at the same moment
    return created.auth_token


async def find_account(*, db: Sessions, sid: str) -> Account | None:
    """An account by sid, with no access rule: for the operator's CLI."""
    if not is_sid(sid, ACCOUNT):
        return None
    async with db.session() as session:
        return await session.get(Account, sid)


async def get_account(*, db: Sessions, caller: Account, account_sid: str) -> Account:
    async with db.session() as session:
        return await require_account(session=session, caller=caller, account_sid=account_sid)


async def list_accounts(*, db: Sessions, caller: Account) -> list[Account]:
    """The caller and all its descendants, parents before children."""
    statement = (
        select(Account)
        .where(col(Account.path).startswith(caller.path))
        .order_by(col(Account.path))
    )
    async with db.session() as session:
        return list(await session.exec(statement))


async def accounts_by_sid(*, db: Sessions, sids: Iterable[str]) -> dict[str, Account]:
    """Accounts by sid, in one query, with no access rule: for batching what a caller was
    already allowed to read (the accounts of its own numbers)."""
    async with db.session() as session:
        return await queries.accounts_by_sid(session, sids)


async def list_subaccount_windows(
    *, db: Sessions, caller: Account, parents: Sequence[Account], page: Page[CreationKey], with_total: bool = True,
) -> list[Window[Account]]:
    """The same window of each parent's direct subaccounts, oldest first (date created,
    then sid), in the order of `parents`: one statement for all, one more for the totals."""
    require_visible(caller, parents)
    sids = [parent.sid for parent in parents]
    async with db.session() as session:
        rows = await subaccounts_per_parent(
            session, sids, limit=page.limit + 1, after=page.after, before=page.before, from_end=page.from_end
        )
        totals = await subaccount_totals(session, sids) if with_total else {}
    return [cut(rows[sid], page, totals.get(sid, -1)) for sid in sids]
