"""API keys (Twilio's model): each script its own revocable credential for an account.

A key is `SK…` and a secret shown once (only a hash is stored); HTTP Basic with
`SK…:secret` acts as the key's account, within that account's rights, except that a
key cannot manage credentials (keys, tokens, passwords) or statuses. Keys of an
account are managed by the account itself or an Administrator ancestor.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from sqlalchemy import delete
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from gateway.domain.accounts import AccountRole
from gateway.domain.errors import Forbidden, NotFound
from gateway.domain.ids import API_KEY, is_sid, new_sid
from gateway.services import validation
from gateway.services.access import can_act_on, require_account
from gateway.storage.database import Sessions
from gateway.storage.secret_hashes import fast_hash
from gateway.storage.tables import Account, ApiKey

DEFAULT_NAME = "API key"


@dataclass(frozen=True)
class NewApiKey:
    key: ApiKey
    #: shown once: only its hash is stored
    secret: str


def may_manage(caller: Account, target: Account, *, with_api_key: bool) -> bool:
    """Whether `caller` may manage `target`'s keys: itself or an Administrator ancestor,
    signed in with its token rather than a key."""
    return not with_api_key and can_act_on(caller, target) and (
        target.sid == caller.sid or caller.role == AccountRole.ADMINISTRATOR.value
    )


def _require_manager(caller: Account, target: Account, with_api_key: bool) -> None:
    if with_api_key:
        raise Forbidden("an API key or access token cannot manage API keys: sign in with the account's auth token")
    if target.sid != caller.sid and caller.role != AccountRole.ADMINISTRATOR.value:
        raise Forbidden(f"account {caller.sid} has role {caller.role}; managing another account's keys needs"
                        " Administrator")


async def create_api_key(
    *, db: Sessions, caller: Account, account_sid: str, friendly_name: str | None = None, with_api_key: bool = False,
) -> NewApiKey:
    name = validation.friendly_name(friendly_name, field="friendly_name") if friendly_name is not None else DEFAULT_NAME
    async with db.session() as session:
        target = await require_account(session=session, caller=caller, account_sid=account_sid, write=True)
        _require_manager(caller, target, with_api_key)
        secret = secrets.token_hex(16)
        key = ApiKey(sid=new_sid(API_KEY), account_sid=target.sid, friendly_name=name, secret_hash=fast_hash(secret))
        session.add(key)
        await session.commit()
    return NewApiKey(key, secret)


async def list_api_keys(*, db: Sessions, caller: Account, account_sid: str, with_api_key: bool = False) -> list[ApiKey]:
    async with db.session() as session:
        target = await require_account(session=session, caller=caller, account_sid=account_sid)
        _require_manager(caller, target, with_api_key)
        found = await session.exec(
            select(ApiKey).where(ApiKey.account_sid == target.sid).order_by(col(ApiKey.date_created), col(ApiKey.sid))
        )
        return list(found)


async def api_keys_of(*, db: Sessions, account_sids: list[str]) -> dict[str, list[ApiKey]]:
    """Keys by account, in one query, with no access rule: for batching what a caller
    was already allowed to read (GraphQL's Account.apiKeys)."""
    async with db.session() as session:
        found = await session.exec(
            select(ApiKey).where(col(ApiKey.account_sid).in_(account_sids)).order_by(col(ApiKey.date_created))
        )
        keys: dict[str, list[ApiKey]] = {sid: [] for sid in account_sids}
        for key in found:
            keys[key.account_sid].append(key)
    return keys


async def get_api_key(
    *, db: Sessions, caller: Account, key_sid: str, account_sid: str | None = None, with_api_key: bool = False,
) -> ApiKey:
    """The key, in `account_sid` if given (REST's URL), else wherever the caller may manage it."""
    async with db.session() as session:
        return await _locate(session, caller, key_sid, account_sid, with_api_key)


async def revoke_api_key(
    *, db: Sessions, caller: Account, key_sid: str, account_sid: str | None = None, with_api_key: bool = False,
) -> ApiKey:
    """Delete the key: it stops working at once, on every instance (each sign-in reads it)."""
    async with db.session() as session:
        key = await _locate(session, caller, key_sid, account_sid, with_api_key)
        await session.exec(delete(ApiKey).where(col(ApiKey.sid) == key.sid))
        await session.commit()
    return key


async def _locate(
    session: AsyncSession, caller: Account, key_sid: str, account_sid: str | None, with_api_key: bool
) -> ApiKey:
    if account_sid is not None:
        await require_account(session=session, caller=caller, account_sid=account_sid)
    key = await session.get(ApiKey, key_sid) if is_sid(key_sid, API_KEY) else None
    owner = await session.get(Account, key.account_sid) if key is not None else None
    if key is None or owner is None or not can_act_on(caller, owner) or account_sid not in (None, owner.sid):
        where = f" in account {account_sid}" if account_sid is not None else ""
        raise NotFound(f"no API key {key_sid[:40]}{where}", field="sid")
    _require_manager(caller, owner, with_api_key)
    return key
