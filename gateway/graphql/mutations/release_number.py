"""releaseNumber: give a number back to the carrier (kept if the carrier does not confirm)."""

from __future__ import annotations

import strawberry

from gateway.graphql.context import Info
from gateway.graphql.errors import mutation_payload
from gateway.graphql.types import IncomingPhoneNumber, UserError, number_node
from gateway.services import release


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

    async def release_it() -> ReleaseNumberPayload:
        number = await release.release_number(db=ctx.db, provider=ctx.provider, caller=ctx.viewer, number_sid=input.sid)
        return ReleaseNumberPayload(released_sid=strawberry.ID(number.sid), incoming_phone_number=number_node(number))

    return await mutation_payload(info, release_it(), lambda errors: ReleaseNumberPayload(user_errors=errors))
