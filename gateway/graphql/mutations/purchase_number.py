"""purchaseNumber: buy a DID (by number or area code) or register a SIP number."""

from __future__ import annotations

import strawberry

from gateway.domain.numbers import PurchaseRequest
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
from gateway.graphql.types import IncomingPhoneNumber, PhoneNumberType, UserError, number_node
from gateway.services import purchase

_FIELDS = text.PURCHASE_FIELDS


@strawberry.input(description="What to buy and how to route it. Give phoneNumber or areaCode.")
class PurchaseNumberInput:
    phone_number: str | None = strawberry.field(default=strawberry.UNSET, description=_FIELDS["phone_number"])
    area_code: str | None = strawberry.field(default=strawberry.UNSET, description=_FIELDS["area_code"])
    number_type: PhoneNumberType | None = strawberry.field(
        name="type", default=strawberry.UNSET, description=_FIELDS["type"]
    )
    is_sip: bool | None = strawberry.field(default=False, description=_FIELDS["is_sip"])
    friendly_name: str | None = strawberry.field(default=strawberry.UNSET, description=_FIELDS["friendly_name"])
    api_version: str | None = strawberry.field(default=strawberry.UNSET, description=_FIELDS["api_version"])
    voice: VoiceRouteInput | None = strawberry.field(default=strawberry.UNSET, description="Voice settings.")
    sms: MessagingRouteInput | None = strawberry.field(default=strawberry.UNSET, description="SMS settings.")
    ussd: MessagingRouteInput | None = strawberry.field(default=strawberry.UNSET, description="USSD settings.")
    refer: ReferRouteInput | None = strawberry.field(default=strawberry.UNSET, description="SIP Refer settings.")
    capabilities: CapabilitiesInput | None = strawberry.field(
        default=strawberry.UNSET, description=_FIELDS["capabilities"]
    )
    idempotency_key: str | None = strawberry.field(default=strawberry.UNSET, description=_FIELDS["idempotency_key"])
    account_sid: strawberry.ID | None = strawberry.field(default=strawberry.UNSET, description=_FIELDS["account_sid"])


@strawberry.type(description="The result of purchaseNumber.")
class PurchaseNumberPayload:
    incoming_phone_number: IncomingPhoneNumber | None = strawberry.field(
        default=None, description="The number bought; null when userErrors says why not."
    )
    user_errors: list[UserError] = strawberry.field(default_factory=list, description="Why the purchase failed.")


async def purchase_number(info: Info, input: PurchaseNumberInput) -> PurchaseNumberPayload:
    ctx = info.context
    number_type = optional(input.number_type)
    request = PurchaseRequest(
        account_sid=optional(input.account_sid) or ctx.viewer.sid,
        phone_number=optional(input.phone_number),
        area_code=optional(input.area_code),
        number_type=number_type,
        is_sip=bool(optional(input.is_sip)),
        friendly_name=optional(input.friendly_name),
        api_version=optional(input.api_version),
        settings=settings_from(input, nulls=False),
        idempotency_key=optional(input.idempotency_key),
    )

    async def purchase_it() -> PurchaseNumberPayload:
        number = await purchase.purchase_number(db=ctx.db, provider=ctx.provider, caller=ctx.viewer, request=request)
        return PurchaseNumberPayload(incoming_phone_number=number_node(number))

    return await mutation_payload(info, purchase_it(), lambda errors: PurchaseNumberPayload(user_errors=errors))
