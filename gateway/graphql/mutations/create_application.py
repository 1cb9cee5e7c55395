"""createApplication: an application an account's numbers can route to."""

from __future__ import annotations

import strawberry

from gateway.domain.errors import NotFound
from gateway.graphql import descriptions as text
from gateway.graphql.context import Info
from gateway.graphql.errors import mutation_payload
from gateway.graphql.mutations.inputs import optional
from gateway.graphql.queries import visible_account
from gateway.graphql.types import Application, UserError, application_node
from gateway.services import applications

_FIELDS = text.APPLICATION_INPUT_FIELDS


@strawberry.input(description="The new application.")
class CreateApplicationInput:
    account_sid: strawberry.ID | None = strawberry.field(default=strawberry.UNSET, description=_FIELDS["account_sid"])
    friendly_name: str = strawberry.field(description=_FIELDS["friendly_name"])


@strawberry.type(description="The result of createApplication.")
class CreateApplicationPayload:
    application: Application | None = strawberry.field(
        default=None, description="The new application; null when userErrors says why not."
    )
    user_errors: list[UserError] = strawberry.field(default_factory=list, description="Why no application was made.")


async def create_application(info: Info, input: CreateApplicationInput) -> CreateApplicationPayload:
    ctx = info.context
    account_sid = optional(input.account_sid) or ctx.viewer.sid

    async def create_it() -> CreateApplicationPayload:
        if await visible_account(info, account_sid) is None:  # out of reach is not found, as for numbers
            raise NotFound(f"no account {account_sid[:40]}", field="account_sid")
        created = await applications.create_application(
            db=ctx.db, caller=ctx.viewer, account_sid=account_sid, friendly_name=input.friendly_name
        )
        return CreateApplicationPayload(application=application_node(created))

    return await mutation_payload(info, create_it(), lambda errors: CreateApplicationPayload(user_errors=errors))
