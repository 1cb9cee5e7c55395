"""releaseNumber: give a number back to the carrier (kept if the carrier does not confirm)."""

from __future__ import annotations

import strawberry

from gateway.graphql.context import Info
from gateway.graphql.errors import user_error
from gateway.graphql.types import IncomingPhoneNumber, UserError
from gateway.services import numbers, release
from gateway.services.errors import ServiceError

_PATHS = {"account_sid": ["input", "sid"]}


@strawberry.input(description="The number to release.")
class ReleaseNumberInput:
    sid: strawberry.ID = strawberry.field(description="The sid of the phone number to release.")


@strawberry.type(description="The result of releaseNumber.")
class ReleaseNumberPayload:
    released_sid: strawberry.ID | None = strawberry.field(
        default=None, description="The sid of the released number; null when userErrors says why not."
    )
    incoming_phone_number: IncomingPhoneNumber | None = strawberry.field(
        default=None, description="The number as it was just before its release."
    )
    user_errors: list[UserError] = strawberry.field(default_factory=list, description="Why the release failed.")


async def release_number(info: Info, input: ReleaseNumberInput) -> ReleaseNumberPayload:
    ctx = info.context
    try:
        async with ctx.session() as session:
            number = await numbers.get_number(session=session, caller=ctx.viewer, number_sid=input.sid)
            await release.release_number(
                session=session, provider=ctx.provider, caller=ctx.viewer,
                account_sid=number.account_sid, number_sid=number.sid,
            )
    except ServiceError as error:
        return ReleaseNumberPayload(user_errors=[user_error(error, _PATHS)])
    return ReleaseNumberPayload(released_sid=strawberry.ID(number.sid), incoming_phone_number=number)  # type: ignore[arg-type]
