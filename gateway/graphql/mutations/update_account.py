"""updateAccount: an account's name and status; closing releases its numbers."""

from __future__ import annotations

import strawberry

from gateway.domain.accounts import AccountChanges
from gateway.graphql import descriptions as text
from gateway.graphql.context import Info
from gateway.graphql.errors import mutation_payload
from gateway.graphql.mutations.inputs import optional
from gateway.graphql.queries import require_visible_account
from gateway.graphql.types import Account, AccountStatus, UserError, account_node
from gateway.services import account_changes

_FIELDS = text.UPDATE_ACCOUNT_FIELDS


@strawberry.input(description="The account to change, and what to change; only what is given changes.")
class UpdateAccountInput:
    sid: strawberry.ID = strawberry.field(description=_FIELDS["sid"])
    friendly_name: str | None = strawberry.field(default=strawberry.UNSET, description=_FIELDS["friendly_name"])
    status: AccountStatus | None = strawberry.field(default=strawberry.UNSET, description=_FIELDS["status"])


@strawberry.type(description="The result of updateAccount.")
class UpdateAccountPayload:
    account: Account | None = strawberry.field(
        default=None, description="The account as changed; null when userErrors says why not."
    )
    released_phone_numbers: list[str] = strawberry.field(
        default_factory=list, description="When the account was closed: the numbers released at the carrier."
    )
    phone_numbers_left: list[str] = strawberry.field(
        default_factory=list,
        description="When the account was closed: the numbers still being released (the reconciler finishes them).",
    )
    user_errors: list[UserError] = strawberry.field(default_factory=list, description="Why the account was not changed.")


async def update_account(info: Info, input: UpdateAccountInput) -> UpdateAccountPayload:
    ctx = info.context
    status = optional(input.status)

    async def update_it() -> UpdateAccountPayload:
        await require_visible_account(info, input.sid)
        updated = await account_changes.update_account(
            db=ctx.db, provider=ctx.provider, caller=ctx.viewer, account_sid=input.sid,
            changes=AccountChanges(friendly_name=optional(input.friendly_name),
                                   status=status.value if status is not None else None),
            with_api_key=ctx.signed_in_with_key,
        )
        closing = updated.closing
        return UpdateAccountPayload(
            account=account_node(updated.account),
            released_phone_numbers=closing.released if closing else [],
            phone_numbers_left=closing.left if closing else [],
        )

    return await mutation_payload(info, update_it(), lambda errors: UpdateAccountPayload(user_errors=errors))
