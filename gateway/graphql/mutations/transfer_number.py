"""transferNumber: move a number to another account of the same organization."""

from __future__ import annotations

import strawberry

from gateway.graphql import descriptions as text
from gateway.graphql.context import Info
from gateway.graphql.errors import mutation_payload
from gateway.graphql.types import IncomingPhoneNumber, UserError, number_node
from gateway.services import numbers

_FIELDS = text.TRANSFER_FIELDS


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

    async def transfer_it() -> TransferNumberPayload:
        number = await numbers.transfer_number(
            db=ctx.db, provider=ctx.provider, caller=ctx.viewer, number_sid=input.sid, to_account_sid=input.to_account_sid
        )
        return TransferNumberPayload(incoming_phone_number=number_node(number))

    return await mutation_payload(info, transfer_it(), lambda errors: TransferNumberPayload(user_errors=errors))
