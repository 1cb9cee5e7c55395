"""updateNumber: change only what is given; an explicit null clears a URL or application."""

from __future__ import annotations

import strawberry

from gateway.graphql import descriptions as text
from gateway.graphql.context import Info
from gateway.graphql.errors import user_error
from gateway.graphql.mutations.inputs import (
    CapabilitiesInput,
    MessagingRouteInput,
    ReferRouteInput,
    VoiceRouteInput,
    optional,
    settings_from,
)
from gateway.graphql.types import IncomingPhoneNumber, UserError
from gateway.services import numbers
from gateway.services.errors import ServiceError

_FIELDS = text.UPDATE_FIELDS
#: the number's own account is checked too (it must be active): that is about `sid`
_PATHS = {"account_sid": ["input", "sid"]}


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
    capabilities: CapabilitiesInput | None = strawberry.field(  # type: ignore[valid-type]
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
    try:
        async with ctx.session() as session:
            number = await numbers.get_number(session=session, caller=ctx.viewer, number_sid=input.sid)
            updated = await numbers.update_number(
                session=session,
                provider=ctx.provider,
                caller=ctx.viewer,
                account_sid=number.account_sid,
                number_sid=number.sid,
                friendly_name=optional(input.friendly_name),
                api_version=optional(input.api_version),
                settings=settings_from(input, nulls=True),
            )
    except ServiceError as error:
        return UpdateNumberPayload(user_errors=[user_error(error, _PATHS)])
    return UpdateNumberPayload(incoming_phone_number=updated)  # type: ignore[arg-type]
