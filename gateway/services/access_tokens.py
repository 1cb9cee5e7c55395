"""Access tokens: what a single-page app holds instead of a password.

A person signs in once with HTTP Basic (e-mail and password, or any other credential
of the account) and gets a random token valid for `ttl` seconds (default an hour, at
most a day); `Authorization: Bearer <token>` then acts as that account on REST and
GraphQL. The token is `AT….<secret>`: the sid finds the row in one primary-key read,
and only the secret's SHA-256 is stored (256 random bits need no slow hash).

A token cannot create tokens (a stolen one must not outlive its expiry). It ends when
it expires, when it is revoked, when its account's password or auth token changes,
and when its account or an ancestor is suspended or closed (`end_access_tokens`):
reactivating an account does not bring its tokens back.
"""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, func
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from gateway.domain.errors import Forbidden, InvalidParameter, NotFound, TooManyRequests
from gateway.domain.ids import ACCESS_TOKEN, is_sid, new_sid
from gateway.services.access import require_account
from gateway.services.api_keys import may_manage
from gateway.storage.database import Sessions
from gateway.storage.secret_hashes import sha256_hex
from gateway.storage.tables import AccessToken, Account, utcnow

DEFAULT_TTL = 3600
MAX_TTL = 86_400
#: live tokens one account may hold; a script minting tokens in a loop is told to stop
MAX_LIVE_TOKENS = 1000


@dataclass(frozen=True)
class NewAccessToken:
    record: AccessToken
    #: `Authorization: Bearer <token>`; shown this once, only a hash is stored
    token: str


def parse_ttl(raw: int | str | None, *, field: str = "ttl") -> int:
    if raw is None:  # absent; an empty value is no number of seconds
        return DEFAULT_TTL
    text = str(raw).strip()
    ttl = int(text) if not isinstance(raw, bool) and text.isascii() and text.isdigit() else 0
    if not 1 <= ttl <= MAX_TTL:
        raise InvalidParameter(
            f"{{field}} {str(raw)[:20]!r} must be a whole number of seconds from 1 to {MAX_TTL}", field=field
        )
    return ttl


async def create_access_token(
    *, db: Sessions, caller: Account, account_sid: str | None, ttl: int, signed_in_with_token: bool,
) -> NewAccessToken:
    """A token acting as `caller` (REST names the account in its URL: it must be the caller)."""
    if signed_in_with_token:
        raise Forbidden("an access token cannot create access tokens: sign in with HTTP Basic")
    async with db.session() as session:
        if account_sid is not None:
            target = await require_account(session=session, caller=caller, account_sid=account_sid, write=True)
            if target.sid != caller.sid:
                raise Forbidden(f"an access token acts as the account that creates it: sign in as {target.sid}")
        now = utcnow()
        await session.exec(delete(AccessToken).where(col(AccessToken.account_sid) == caller.sid,
                                                     col(AccessToken.expires_at) <= now))
        live = (await session.exec(
            select(func.count()).select_from(AccessToken).where(col(AccessToken.account_sid) == caller.sid)
        )).one()
        if live >= MAX_LIVE_TOKENS:
            await session.rollback()
            raise TooManyRequests(
                f"account {caller.sid} holds {live} live access tokens; revoke some or let them expire",
                retry_after=60,
            )
        secret = secrets.token_urlsafe(32)
        record = AccessToken(sid=new_sid(ACCESS_TOKEN), account_sid=caller.sid, secret_hash=sha256_hex(secret),
                             date_created=now, expires_at=now + timedelta(seconds=ttl))
        session.add(record)
        await session.commit()
    return NewAccessToken(record, f"{record.sid}.{secret}")


async def valid_access_token(session: AsyncSession, token: str, *, now: datetime) -> AccessToken | None:
    """The token's row if the token is genuine, unexpired and unrevoked."""
    sid, _, secret = token.strip().partition(".")
    if not is_sid(sid, ACCESS_TOKEN) or not secret or not secret.isascii():
        return None
    record = await session.get(AccessToken, sid)
    if record is None or record.expires_at <= now:
        return None
    return record if hmac.compare_digest(record.secret_hash, sha256_hex(secret)) else None


async def revoke_access_token(
    *, db: Sessions, caller: Account, token_sid: str | None, current_token_sid: str | None,
    account_sid: str | None = None,
) -> AccessToken:
    """End a token of the caller's (or, for an Administrator, of an account below it:
    who may manage an account's keys may end its tokens);
    no sid: the token the request itself carries (signing out)."""
    sid = token_sid if token_sid is not None else current_token_sid
    if sid is None:
        raise InvalidParameter("{field} is required unless the request signs in with an access token", field="sid")
    async with db.session() as session:
        if account_sid is not None:
            await require_account(session=session, caller=caller, account_sid=account_sid)
        record = await session.get(AccessToken, sid) if is_sid(sid, ACCESS_TOKEN) else None
        owner = await session.get(Account, record.account_sid) if record is not None else None
        if (record is None or owner is None or account_sid not in (None, owner.sid)
                or not may_manage(caller, owner, with_api_key=False)):
            where = f" in account {account_sid}" if account_sid is not None else ""
            raise NotFound(f"no access token {sid[:40]}{where}", field="sid")
        await session.exec(delete(AccessToken).where(col(AccessToken.sid) == record.sid))
        await session.commit()
    return record


async def end_access_tokens(session: AsyncSession, account: Account, *, subtree: bool) -> None:
    """Delete the account's tokens (and its descendants' with `subtree`), in the
    caller's transaction: they end with the change that ends them."""
    if subtree:
        owners = select(Account.sid).where(col(Account.path).startswith(account.path))
        await session.exec(delete(AccessToken).where(col(AccessToken.account_sid).in_(owners)))
    else:
        await session.exec(delete(AccessToken).where(col(AccessToken.account_sid) == account.sid))
