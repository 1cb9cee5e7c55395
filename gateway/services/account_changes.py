"""Changing an account: its name, its status, its credentials.

Who may do what (the caller is always signed in with the account's own token or
password: an API key may not change credentials or statuses, as in Twilio):

- the name: the account itself or any ancestor;
- a new password (and so a new auth token, its MD5), a fresh random token: the account
  itself or an Administrator ancestor;
- the status: an Administrator ancestor only. Nobody changes its own status, so the
  root of an organization (the bootstrap account among them) is never suspended or
  closed over the API; at the CLI the operator may, except the bootstrap account.

`closed` is final. Closing an account releases every number of it and of its
descendants at the carrier (`services.closing`); a suspended or closed account stops
its subtree at sign-in (`services.login`), and reactivating it restores the subtree.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import update
from sqlmodel import col

from gateway.domain.accounts import AccountChanges, AccountRole, AccountStatus
from gateway.domain.errors import Conflict, Forbidden, InvalidParameter
from gateway.domain.ids import new_token
from gateway.providers.base import Provider
from gateway.services import validation
from gateway.services.access import require_account
from gateway.services.access_tokens import end_access_tokens
from gateway.services.accounts import check_password, token_hash
from gateway.services.closing import Closing, release_subtree
from gateway.services.login import token_from_password
from gateway.storage.database import Sessions
from gateway.storage.tables import Account, utcnow

STATUSES = tuple(status.value for status in AccountStatus)
_CLOSED = AccountStatus.CLOSED.value


@dataclass(frozen=True)
class AccountUpdate:
    account: Account
    #: the new auth token when a password set one: shown this once
    auth_token: str | None = None
    #: what closing released and what it left, when the update closed the account
    closing: Closing | None = None


def parse_status(raw: str) -> str:
    status = raw.strip().lower()
    if status not in STATUSES:
        raise InvalidParameter(f"{{field}} {raw[:40]!r} must be one of {', '.join(STATUSES)}", field="status")
    return status


async def update_account(
    *, db: Sessions, provider: Provider, caller: Account, account_sid: str, changes: AccountChanges,
    with_api_key: bool = False,
) -> AccountUpdate:
    """Apply `changes` to an account the caller may act on."""
    status = parse_status(changes.status) if changes.status is not None else None
    if with_api_key and (status is not None or changes.password is not None):
        raise Forbidden("an API key or access token cannot change statuses or credentials: sign in with the account's auth token")
    async with db.session() as session:
        target = await require_account(session=session, caller=caller, account_sid=account_sid)
    if status is not None and status != target.status:
        if target.sid == caller.sid:
            raise Forbidden(f"account {caller.sid} cannot change its own {{field}}", field="status")
        _require_administrator(caller, "change an account's status")
    if changes.password is not None and target.sid != caller.sid:
        _require_administrator(caller, "set another account's password")
    return await _apply(db, provider, target, changes, status)


async def operator_update_account(
    *, db: Sessions, provider: Provider, account_sid: str, changes: AccountChanges, protected: frozenset[str],
) -> AccountUpdate:
    """The CLI's update: any account, no caller; the `protected` (bootstrap) accounts
    are never suspended or closed, so the operator keeps a way in."""
    status = parse_status(changes.status) if changes.status is not None else None
    async with db.session() as session:
        target = await session.get(Account, account_sid)
    if target is None:
        raise InvalidParameter(f"no account {account_sid}", field="sid")
    if status not in (None, AccountStatus.ACTIVE.value) and target.sid in protected:
        raise Forbidden(f"account {target.sid} is the bootstrap account: it is never suspended or closed",
                        field="status")
    return await _apply(db, provider, target, changes, status)


async def rotate_auth_token(
    *, db: Sessions, caller: Account | None, account_sid: str, with_api_key: bool = False
) -> AccountUpdate:
    """A fresh random auth token, shown once; the old one stops working at once.
    `caller` None: the operator at the CLI."""
    if with_api_key:
        raise Forbidden("an API key or access token cannot change credentials: sign in with the account's auth token")
    async with db.session() as session:
        if caller is None:
            target = await session.get(Account, account_sid)
            if target is None:
                raise InvalidParameter(f"no account {account_sid}", field="sid")
        else:
            target = await require_account(session=session, caller=caller, account_sid=account_sid, field="sid")
    if caller is not None and target.sid != caller.sid:
        _require_administrator(caller, "rotate another account's token")
    _refuse_if_closed(target)
    token = new_token()
    account = await _write(db, target, secret_hash=await token_hash(token, drawn=True))
    return AccountUpdate(account, auth_token=token)


def _require_administrator(caller: Account, action: str) -> None:
    if caller.role != AccountRole.ADMINISTRATOR.value:
        raise Forbidden(f"account {caller.sid} has role {caller.role}; to {action} needs Administrator")


def _refuse_if_closed(target: Account, *, field: str | None = None) -> None:
    """Conflict if the account is closed; `field` names the input that tried to change it."""
    if target.status == _CLOSED:
        said = ": its {field} cannot change" if field is not None else ""
        raise Conflict(f"account {target.sid} is closed, and closed is final{said}", field=field)


async def _apply(
    db: Sessions, provider: Provider, target: Account, changes: AccountChanges, status: str | None
) -> AccountUpdate:
    values: dict[str, object] = {}
    if changes.friendly_name is not None:
        values["friendly_name"] = validation.friendly_name(changes.friendly_name, field="friendly_name")
    token = None
    if changes.password is not None:
        check_password(changes.password)
        token = token_from_password(changes.password)
        values["secret_hash"] = await token_hash(token, drawn=False)
    if status is not None and status != target.status:
        values["status"] = status
    if target.status == _CLOSED:
        if values or status not in (None, _CLOSED):
            _refuse_if_closed(target, field="status" if "status" in values else None)
        # Closing again changes nothing and answers the same: what is still being released.
        closing = await release_subtree(db=db, provider=provider, account=target) if status == _CLOSED else None
        return AccountUpdate(target, closing=closing)
    account = await _write(db, target, **values) if values else target
    closing = await release_subtree(db=db, provider=provider, account=account) if status == _CLOSED else None
    return AccountUpdate(account, auth_token=token, closing=closing)


async def _write(db: Sessions, target: Account, **values: object) -> Account:
    """Write `values` if the account is still as read (its status and credentials): a
    concurrent change is a 409 rather than silently undone."""
    async with db.session() as session:
        written = await session.exec(
            update(Account)
            .where(col(Account.sid) == target.sid, col(Account.status) == target.status,
                   col(Account.secret_hash) == target.secret_hash)
            .values(**values, date_updated=utcnow())
        )
        if written.rowcount != 1:
            await session.rollback()
            raise Conflict(f"account {target.sid} was changed meanwhile; read it again and retry")
        # Access tokens end with the credentials they were created under, and with the
        # account's (and so its subtree's) right to act.
        if values.get("status", AccountStatus.ACTIVE.value) != AccountStatus.ACTIVE.value:
            await end_access_tokens(session, target, subtree=True)
        elif "secret_hash" in values:
            await end_access_tokens(session, target, subtree=False)
        await session.commit()
        account = await session.get(Account, target.sid, populate_existing=True)
    assert account is not None
    return account

