"""transferNumber: move a number to another account of the same organization."""

from __future__ import annotations

import strawberry

from gateway.graphql import descriptions as text
from gateway.graphql.context import Info
from gateway.graphql.errors import user_error
from gateway.graphql.types import IncomingPhoneNumber, UserError
from gateway.services import numbers
from gateway.services.errors import ServiceError

_FIELDS = text.TRANSFER_FIELDS
#: the services name the target `transfer_to` and the number's own account `account_sid`
_PATHS = {"transfer_to": ["input", "toAccountSid"], "account_sid": ["input", "sid"]}


@strawberry.input(description="The number to move and where to.")
class TransferNumberInput:
    sid: strawberry.ID = strawberry.field(description=_FIELDS["sid"])
    to_account_sid: strawberry.ID = strawberry.field(description=_FIELDS["to_account_sid"])


@strawberry.type(description="The result of transferNumber.")
class TransferNumberPayload:
    incoming_phone_number: IncomingPhoneNumber | None = strawberry.field(
        default=None, description="The number in its new account; null when userErrors says why not."
    )
    user_errors: list[UserError] = strawberry.field(default_factory=list, description="Why the transfer failed.")


async def transfer_number(info: Info, input: TransferNumberInput) -> TransferNumberPayload:
    ctx = info.context
    try:
        async with ctx.session() as session:
            number = await numbers.transfer_number(
                session=session, provider=ctx.provider, caller=ctx.viewer,
                number_sid=input.sid, to_account_sid=input.to_account_sid,
            )
    except ServiceError as error:
        return TransferNumberPayload(user_errors=[user_error(error, _PATHS)])
    return TransferNumberPayload(incoming_phone_number=number)  # type: ignore[arg-type]
