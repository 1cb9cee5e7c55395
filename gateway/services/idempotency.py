"""Idempotency-Key: a retried purchase gets the first request's outcome, not a second number.

Records live in the database, per account, so a retry that reaches another gateway
instance is answered the same way. What is kept follows Stripe's rules: a result
(the number, or a refusal such as "not available") is kept; a request that never
reached the carrier (invalid input, carrier unreachable before sending) is
forgotten so its retry runs again; an outcome the carrier left unknown points at the
pending number, and the retry answers with whatever the reconciler made of it.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, Mapping

from sqlalchemy.exc import IntegrityError
from sqlmodel.ext.asyncio.session import AsyncSession

from gateway.services import errors, validation
from gateway.services.errors import Conflict, InvalidParameter, NotFound, ProviderUnavailable, ServiceError
from gateway.storage.tables import IdempotencyRecord, IncomingPhoneNumber, utcnow

MAX_KEY = 255
#: an in-progress record older than this belonged to a request that died before reserving
ABANDONED_AFTER = timedelta(minutes=2)
#: outcomes kept: a retry gets the same refusal
KEPT_ERRORS = (errors.NumberUnavailable,)


def fingerprint(parameters: Mapping[str, Any]) -> str:
    canonical = json.dumps(parameters, sort_keys=True, default=str, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def check_key(key: str) -> str:
    text = key.strip()
    if not text or len(text) > MAX_KEY or validation.has_control_characters(text):
        raise InvalidParameter(f"{{field}} must be 1 to {MAX_KEY} printable characters", field="idempotency_key")
    return text


@dataclass
class Replay:
    """The first request's outcome: a number, or an error to raise again."""

    number: IncomingPhoneNumber


async def begin(
    session: AsyncSession, account_sid: str, key: str, parameters: Mapping[str, Any]
) -> IdempotencyRecord | Replay:
    """Claim `key` for this request, or return the outcome of the request that has it."""
    digest = fingerprint(parameters)
    record = IdempotencyRecord(account_sid=account_sid, key=key, fingerprint=digest)
    session.add(record)
    try:
        await session.commit()
        return record
    except IntegrityError:
        await session.rollback()
    existing = await session.get(IdempotencyRecord, (account_sid, key))
    if existing is None:  # forgotten between our insert and our read: take it now
        return await begin(session, account_sid, key, parameters)
    if existing.fingerprint != digest:
        raise InvalidParameter(
            "{field} was already used for a purchase with other parameters; use a new key", field="idempotency_key"
        )
    return await _replay(session, existing, account_sid, key, parameters)


async def _replay(
    session: AsyncSession, record: IdempotencyRecord, account_sid: str, key: str, parameters: Mapping[str, Any]
) -> IdempotencyRecord | Replay:
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
        if number.status == "pending":
            raise ProviderUnavailable(
                f"the purchase of {number.phone_number} is still being confirmed with the carrier; retry later"
            )
        return Replay(number)
    if utcnow() - record.date_created > ABANDONED_AFTER:
        await forget(session, record)
        return await begin(session, account_sid, key, parameters)
    raise Conflict("a request with this {field} is still in progress; retry later", field="idempotency_key")


async def finish(session: AsyncSession, record: IdempotencyRecord, *, number_sid: str | None = None,
                 error: ServiceError | None = None) -> None:
    if error is not None:
        record.error_code = error.code.name
        record.error_message = error.message[:1024]
        record.error_field = error.field
    if number_sid is not None:
        record.number_sid = number_sid
    record.state = "done"
    session.add(record)
    await session.commit()


async def forget(session: AsyncSession, record: IdempotencyRecord) -> None:
    await session.delete(record)
    await session.commit()
