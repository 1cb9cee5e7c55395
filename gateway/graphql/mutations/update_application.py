"""updateApplication: change an application's name."""

from __future__ import annotations

import strawberry

from gateway.graphql import descriptions as text
from gateway.graphql.context import Info
from gateway.graphql.errors import mutation_payload
from gateway.graphql.mutations.inputs import optional
from gateway.graphql.types import Application, UserError, application_node
from gateway.services import applications

_FIELDS = text.APPLICATION_INPUT_FIELDS


@strawberry.input(description="The application to change, and what to change; only what is given changes.")
class UpdateApplicationInput:
    sid: strawberry.ID = strawberry.field(description=_FIELDS["sid"])
    friendly_name: str | None = strawberry.field(default=strawberry.UNSET, description=_FIELDS["friendly_name"])


@strawberry.type(description="The result of updateApplication.")
class UpdateApplicationPayload:
    application: Application | None = strawberry.field(
        default=None, description="The application as changed; null when userErrors says why not."
    )
    user_errors: list[UserError] = strawberry.field(
        default_factory=list, description="Why the application was not changed."
    )


async def update_application(info: Info, input: UpdateApplicationInput) -> UpdateApplicationPayload:
    ctx = info.context

    async def update_it() -> UpdateApplicationPayload:
        updated = await applications.update_application(
            db=ctx.db, caller=ctx.viewer, application_sid=input.sid, friendly_name=optional(input.friendly_name)
        )
        return UpdateApplicationPayload(application=application_node(updated))

    return await mutation_payload(info, update_it(), lambda errors: UpdateApplicationPayload(user_errors=errors))
