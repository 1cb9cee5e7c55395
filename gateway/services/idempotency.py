"""Idempotency-Key: a retried purchase gets the first request's outcome, not a second number.

Records live in the database, per account, so a retry that reaches another gateway
instance is answered the same way. What is kept follows Stripe's rules: a result
(the number, or a refusal such as "not available") is kept; a request that never
reached the carrier (invalid input, carrier unreachable before sending) is
forgotten so its retry runs again; an outcome the carrier left unknown points at the
pending number, and the retry answers with whatever the reconciler made of it.

Every step is one short transaction of its own, by statement, so nothing is shared
between them but the (account, key) pair a `Claim` names.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, Mapping

from sqlalchemy import delete, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession

from gateway.domain import errors
from gateway.domain.errors import Conflict, InvalidParameter, NotFound, ProviderUnavailable, ServiceError
from gateway.domain.numbers import NumberStatus
from gateway.services import validation
from gateway.storage.database import Sessions
from gateway.storage.tables import IdempotencyRecord, IncomingPhoneNumber, utcnow

MAX_KEY = 255
#: an in-progress record older than this belonged to a request that died before reserving
ABANDONED_AFTER = timedelta(minutes=2)
#: outcomes kept: a retry gets the same refusal
KEPT_ERRORS = (errors.NumberUnavailable,)
#: a claim lost to a record forgotten at once (the other request never reached the carrier)
_CLAIM_ATTEMPTS = 3


def fingerprint(parameters: Mapping[str, Any]) -> str:
    canonical = json.dumps(parameters, sort_keys=True, default=str, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def check_key(key: str) -> str:
    text = key.strip()
    if not text or len(text) > MAX_KEY or validation.has_control_characters(text):
        raise InvalidParameter(f"{{field}} must be 1 to {MAX_KEY} printable characters", field="idempotency_key")
    return text


@dataclass(frozen=True)
class Claim:
    """This request holds the key: its outcome will be recorded under it."""

    account_sid: str
    key: str

    def _where(self) -> Any:
        return (col(IdempotencyRecord.account_sid) == self.account_sid) & (col(IdempotencyRecord.key) == self.key)


@dataclass(frozen=True)
class Replay:
    """The first request's number, to answer again."""

    number: IncomingPhoneNumber


async def claim(db: Sessions, account_sid: str, key: str, parameters: Mapping[str, Any]) -> Claim | Replay:
    """Take `key` for this request, or answer with the outcome of the request that has it."""
    digest = fingerprint(parameters)
    for _ in range(_CLAIM_ATTEMPTS):
        async with db.session() as session:
            session.add(IdempotencyRecord(account_sid=account_sid, key=key, fingerprint=digest))
            try:
                await session.commit()
                return Claim(account_sid, key)
            except IntegrityError:
                await session.rollback()
            existing = await session.get(IdempotencyRecord, (account_sid, key))
            if existing is None:  # forgotten between our insert and our read: try again
                continue
            if existing.fingerprint != digest:
                raise InvalidParameter(
                    "{field} was already used for a purchase with other parameters; use a new key",
                    field="idempotency_key",
                )
            replay = await _replay(session, existing)
            if replay is not None:
                return replay
        # An abandoned record was just dropped: claim the key afresh.
    raise Conflict("a request with this {field} is still in progress; retry later", field="idempotency_key")


async def _replay(session: AsyncSession, record: IdempotencyRecord) -> Replay | None:
    """The recorded outcome (raised, if it was a refusal); None if the record was abandoned."""
    if record.error_code is not None:
        error_type = next(t for t in KEPT_ERRORS if t.code.name == record.error_code)
        raise error_type(record.error_message or "", field=record.error_field)
    if record.number_sid is not None:
        number = await session.get(IncomingPhoneNumber, record.number_sid)
        if number is None:
            if record.state == "done":
                raise NotFound(
                    f"the number bought with this Idempotency-Key ({record.number_sid}) has since been released",
                    field="idempotency_key",
                )
            raise errors.NumberUnavailable(
                "the carrier did not sell the number to the first request with this Idempotency-Key",
                field="phone_number",
            )
        if number.status == NumberStatus.PENDING.value:
            raise ProviderUnavailable(
                f"the purchase of {number.phone_number} is still being confirmed with the carrier; retry later"
            )
        return Replay(number)
    if utcnow() - record.date_created <= ABANDONED_AFTER:
        raise Conflict("a request with this {field} is still in progress; retry later", field="idempotency_key")
    await session.exec(delete(IdempotencyRecord).where(Claim(record.account_sid, record.key)._where()))
    await session.commit()
    return None


async def point_at(session: AsyncSession, claim: Claim, number_sid: str | None) -> None:
    """In the caller's transaction: the key's outcome is (or is no longer) this number."""
    await session.exec(update(IdempotencyRecord).where(claim._where()).values(number_sid=number_sid))


async def finish(db: Sessions, claim: Claim, *, number_sid: str | None = None, error: ServiceError | None = None) -> None:
    values: dict[str, Any] = {"state": "done"}
    if error is not None:
        values.update(error_code=error.code.name, error_message=error.message[:1024], error_field=error.field)
    if number_sid is not None:
        values["number_sid"] = number_sid
    async with db.session() as session:
        await session.exec(update(IdempotencyRecord).where(claim._where()).values(**values))
        await session.commit()


async def forget(db: Sessions, claim: Claim) -> None:
    async with db.session() as session:
        await session.exec(delete(IdempotencyRecord).where(claim._where()))
        await session.commit()
