"""Signing in: which account a request's credentials name, and whether it may act now.

The username is an account sid, an account's e-mail, or an API key sid (`SK…`); the
secret is the auth token, a password whose MD5 is the token (Restcomm's rule), or the
key's secret. An account acts only while it and every ancestor are active: a suspended
or closed account stops its whole subtree, here, on every instance at once (the rows
are read on every sign-in; only "this secret matches this stored hash" is cached).

Repeated failures for one username from one client address are throttled: after
`Throttle.limit` failures within `Throttle.window` (successes neither count nor reset
it), that pair is answered 429 until the window has passed. Other addresses are not
affected, so nobody can lock an account out. A credential verified lately skips the
throttle's read: it cannot be a guess.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import timedelta

from gateway.domain.errors import Forbidden, TooManyRequests, Unauthenticated
from gateway.domain.ids import ACCOUNT, API_KEY, is_sid
from gateway.services import validation
from gateway.services.access_tokens import valid_access_token
from gateway.services.secrets import VerifiedSecrets
from gateway.storage import auth_failures
from gateway.storage.database import Sessions
from gateway.storage.queries import account_with_ancestors
from gateway.storage.tables import Account, ApiKey, utcnow

_REFUSED = "the account sid or e-mail and auth token do not match"


def token_from_password(password: str) -> str:
    """Restcomm's convention: the auth token is the lowercase hex MD5 of the password."""
    return hashlib.md5(password.encode()).hexdigest()


@dataclass(frozen=True)
class Login:
    account: Account
    #: the API key the request signed in with; None when with the account's own token
    api_key_sid: str | None = None
    #: the access token (Bearer) the request signed in with
    access_token_sid: str | None = None

    @property
    def delegated(self) -> bool:
        """Signed in with an API key or an access token rather than the account's own
        credentials: such a sign-in manages no credentials and no statuses, so a leaked
        key or token cannot be turned into lasting access."""
        return self.api_key_sid is not None or self.access_token_sid is not None


@dataclass(frozen=True)
class Throttle:
    #: failures of one username from one address that are answered; the next get 429
    limit: int = 10
    window: timedelta = timedelta(seconds=60)


@dataclass(frozen=True)
class _Found:
    account: Account | None
    key: ApiKey | None
    #: an inactive account among the account and its ancestors, root first: (sid, status)
    inactive: tuple[str, str] | None

    @property
    def stored(self) -> str | None:
        if self.key is not None:
            return self.key.secret_hash
        return self.account.secret_hash if self.account is not None else None


class SignIn:
    """Sign-ins of one gateway process: its cache of verified secrets and its throttle."""

    def __init__(self, *, throttle: Throttle | None = None, verified: VerifiedSecrets | None = None) -> None:
        self.throttle = throttle or Throttle()
        self.verified = verified or VerifiedSecrets()

    async def authenticate(self, *, db: Sessions, username: str, secret: str, address: str | None) -> Login:
        login = username.strip()
        if validation.has_control_characters(login):  # no account has one (PostgreSQL cannot even compare NUL)
            raise Unauthenticated(_REFUSED)
        found = await _find(db, login)
        stored = found.stored
        # A key's secret is only ever itself; an account's may be given as its password.
        candidates = (secret,) if found.key is not None else (secret, token_from_password(secret))
        if stored is None or not self.verified.remembered(stored, candidates):
            await self._verify_unless_throttled(db, login, address, stored, candidates)
        assert found.account is not None  # a stored hash implies an account
        _refuse_inactive(found)
        return Login(found.account, found.key.sid if found.key is not None else None)

    async def authenticate_bearer(self, *, db: Sessions, token: str) -> Login:
        """The account an access token acts as. Tokens are 256 random bits: guessing
        one is hopeless, so a refusal costs one primary-key read and is not throttled."""
        async with db.session() as session:
            record = await valid_access_token(session, token, now=utcnow())
            chain = await account_with_ancestors(session, sid=record.account_sid) if record is not None else []
        if record is None or not chain:
            raise Unauthenticated("the access token is unknown, expired or revoked")
        found = _found_in(chain, None)
        _refuse_inactive(found)
        assert found.account is not None
        return Login(found.account, access_token_sid=record.sid)

    async def _verify_unless_throttled(
        self, db: Sessions, login: str, address: str | None, stored: str | None, candidates: tuple[str, ...]
    ) -> None:
        subject = hashlib.sha256(login.lower().encode()).hexdigest()
        place = (address or "unknown")[:64]
        now = utcnow()
        window_opened_after = now - self.throttle.window
        async with db.session() as session:
            recent = await auth_failures.failures_since(session, subject, place, window_opened_after)
        if recent is not None and recent.failures >= self.throttle.limit:
            retry_after = int((recent.window_start + self.throttle.window - now).total_seconds()) + 1
            raise TooManyRequests(
                f"{recent.failures} failed sign-ins for this username from {place} within"
                f" {int(self.throttle.window.total_seconds())} s; retry in {retry_after} s",
                retry_after=retry_after,
            )
        if stored is None or not await self.verified.verify(stored, candidates):
            async with db.session() as session:
                await auth_failures.record_failure(session, subject, place, now, window_opened_after)
            raise Unauthenticated(_REFUSED)


def _refuse_inactive(found: _Found) -> None:
    if found.inactive is not None and found.account is not None:
        sid, status = found.inactive
        if sid == found.account.sid:
            raise Forbidden(f"account {sid} is {status}")
        raise Forbidden(f"account {found.account.sid} cannot act: its ancestor {sid} is {status}")


async def _find(db: Sessions, login: str) -> _Found:
    """The account (and key) a username names, and the first inactive account on its
    path: one query for the account and its ancestors (two with a key)."""
    key: ApiKey | None = None
    async with db.session() as session:
        if is_sid(login, API_KEY):
            key = await session.get(ApiKey, login)
            if key is None:
                return _Found(None, None, None)
            chain = await account_with_ancestors(session, sid=key.account_sid)
        elif is_sid(login, ACCOUNT):
            chain = await account_with_ancestors(session, sid=login)
        else:
            chain = await account_with_ancestors(session, email=login.lower())
    return _found_in(chain, key)


def _found_in(chain: list[Account], key: ApiKey | None) -> _Found:
    if not chain:
        return _Found(None, None, None)
    account = chain[0]
    inactive = next(((a.sid, a.status) for a in reversed(chain) if not a.is_active), None)  # root first
    if not account.is_active:
        inactive = (account.sid, account.status)  # the account itself is the first to name
    return _Found(account, key, inactive)
