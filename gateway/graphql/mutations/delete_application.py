"""deleteApplication: delete an application and clear it from every number that used it."""

from __future__ import annotations

import strawberry

from gateway.graphql import descriptions as text
from gateway.graphql.context import Info
from gateway.graphql.errors import mutation_payload
from gateway.graphql.types import Application, UserError, application_node
from gateway.services import applications


@strawberry.input(description="The application to delete.")
class DeleteApplicationInput:
    sid: strawberry.ID = strawberry.field(description=text.APPLICATION_INPUT_FIELDS["sid"])


@strawberry.type(description="The result of deleteApplication.")
class DeleteApplicationPayload:
    deleted_sid: strawberry.ID | None = strawberry.field(
        default=None, description="The sid of the deleted application; null when userErrors says why not."
    )
    application: Application | None = strawberry.field(
        default=None, description="The application as it was just before (its connections are empty now)."
    )
    cleared_incoming_phone_number_count: int | None = strawberry.field(
        default=None, description="How many numbers used the application (in any family) and now use their URLs."
    )
    user_errors: list[UserError] = strawberry.field(
        default_factory=list, description="Why the application was not deleted."
    )


async def delete_application(info: Info, input: DeleteApplicationInput) -> DeleteApplicationPayload:
    ctx = info.context

    async def delete_it() -> DeleteApplicationPayload:
        deleted = await applications.delete_application(db=ctx.db, caller=ctx.viewer, application_sid=input.sid)
        return DeleteApplicationPayload(
            deleted_sid=strawberry.ID(deleted.application.sid),
            application=application_node(deleted.application),
            cleared_incoming_phone_number_count=deleted.cleared_numbers,
        )

    return await mutation_payload(info, delete_it(), lambda errors: DeleteApplicationPayload(user_errors=errors))
