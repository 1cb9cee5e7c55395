"""updateNumber: change only what is given; an explicit null clears a URL or application."""

from __future__ import annotations

import strawberry

from gateway.domain.numbers import NumberChanges
from gateway.graphql import descriptions as text
from gateway.graphql.context import Info
from gateway.graphql.errors import mutation_payload
from gateway.graphql.mutations.inputs import (
    CapabilitiesInput,
    MessagingRouteInput,
    ReferRouteInput,
    VoiceRouteInput,
    optional,
    settings_from,
)
from gateway.graphql.types import IncomingPhoneNumber, UserError, number_node
from gateway.services import numbers

_FIELDS = text.UPDATE_FIELDS


@strawberry.input(
    description=(
        "The number to update and the changes. Absent fields are unchanged; null friendlyName or "
        "apiVersion is the same as absent."
    )
)
class UpdateNumberInput:
    sid: strawberry.ID = strawberry.field(description=_FIELDS["sid"])
    friendly_name: str | None = strawberry.field(default=strawberry.UNSET, description=_FIELDS["friendly_name"])
    api_version: str | None = strawberry.field(default=strawberry.UNSET, description=_FIELDS["api_version"])
    voice: VoiceRouteInput | None = strawberry.field(default=strawberry.UNSET, description="Voice settings to change.")
    sms: MessagingRouteInput | None = strawberry.field(default=strawberry.UNSET, description="SMS settings to change.")
    ussd: MessagingRouteInput | None = strawberry.field(default=strawberry.UNSET, description="USSD settings to change.")
    refer: ReferRouteInput | None = strawberry.field(default=strawberry.UNSET, description="SIP Refer settings to change.")
    capabilities: CapabilitiesInput | None = strawberry.field(
        default=strawberry.UNSET, description=_FIELDS["capabilities"]
    )


@strawberry.type(description="The result of updateNumber.")
class UpdateNumberPayload:
    incoming_phone_number: IncomingPhoneNumber | None = strawberry.field(
        default=None, description="The number as updated; null when userErrors says why not."
    )
    user_errors: list[UserError] = strawberry.field(default_factory=list, description="Why the update failed.")


async def update_number(info: Info, input: UpdateNumberInput) -> UpdateNumberPayload:
    ctx = info.context
    changes = NumberChanges(
        friendly_name=optional(input.friendly_name),
        api_version=optional(input.api_version),
        settings=settings_from(input, nulls=True),
    )

    async def update_it() -> UpdateNumberPayload:
        number = await numbers.update_number(
            db=ctx.db, provider=ctx.provider, caller=ctx.viewer, number_sid=input.sid, changes=changes
        )
        return UpdateNumberPayload(incoming_phone_number=number_node(number))

    return await mutation_payload(info, update_it(), lambda errors: UpdateNumberPayload(user_errors=errors))
