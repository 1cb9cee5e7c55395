"""rotateAuthToken: a fresh random auth token, shown once."""

from __future__ import annotations

import strawberry

from gateway.graphql.context import Info
from gateway.graphql.errors import mutation_payload
from gateway.graphql.queries import require_visible_account
from gateway.graphql.types import Account, UserError, account_node
from gateway.services import account_changes


@strawberry.input(description="The account whose auth token to replace.")
class RotateAuthTokenInput:
    sid: strawberry.ID = strawberry.field(description="The sid of the account.")


@strawberry.type(description="The result of rotateAuthToken.")
class RotateAuthTokenPayload:
    account: Account | None = strawberry.field(default=None, description="The account; null when userErrors says why not.")
    auth_token: str | None = strawberry.field(
        default=None, description="The new auth token, shown only now: only its hash is stored."
    )
    user_errors: list[UserError] = strawberry.field(default_factory=list, description="Why no token was made.")


async def rotate_auth_token(info: Info, input: RotateAuthTokenInput) -> RotateAuthTokenPayload:
    ctx = info.context

    async def rotate_it() -> RotateAuthTokenPayload:
        await require_visible_account(info, input.sid)
        rotated = await account_changes.rotate_auth_token(
            db=ctx.db, caller=ctx.viewer, account_sid=input.sid, with_api_key=ctx.signed_in_with_key
        )
        return RotateAuthTokenPayload(account=account_node(rotated.account), auth_token=rotated.auth_token)

    return await mutation_payload(info, rotate_it(), lambda errors: RotateAuthTokenPayload(user_errors=errors))
