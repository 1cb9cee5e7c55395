"""createAccessToken and revokeAccessToken: the credentials a single-page app holds."""

from __future__ import annotations

from datetime import datetime

import strawberry

from gateway.graphql.context import Info
from gateway.graphql.errors import mutation_payload
from gateway.graphql.mutations.inputs import optional
from gateway.graphql.types import Account, UserError, account_node
from gateway.services import access_tokens


@strawberry.input(description="How long the new access token lasts.")
class CreateAccessTokenInput:
    ttl_seconds: int | None = strawberry.field(
        default=strawberry.UNSET,
        description=f"Seconds the token is valid: 1 to {access_tokens.MAX_TTL}; {access_tokens.DEFAULT_TTL} if absent.",
    )


@strawberry.type(description="The result of createAccessToken.")
class CreateAccessTokenPayload:
    access_token: str | None = strawberry.field(
        default=None, description="The token for `Authorization: Bearer`, shown only now; null when userErrors says why."
    )
    access_token_sid: strawberry.ID | None = strawberry.field(
        default=None, description="The token's sid (AT…), to revoke it by."
    )
    expires_at: datetime | None = strawberry.field(default=None, description="When the token stops working.")
    account: Account | None = strawberry.field(default=None, description="The account the token acts as.")
    user_errors: list[UserError] = strawberry.field(default_factory=list, description="Why no token was made.")


@strawberry.input(description="The access token to revoke.")
class RevokeAccessTokenInput:
    sid: strawberry.ID | None = strawberry.field(
        default=strawberry.UNSET,
        description="The token's sid (AT…); absent: the token this request signs in with.",
    )


@strawberry.type(description="The result of revokeAccessToken.")
class RevokeAccessTokenPayload:
    revoked_sid: strawberry.ID | None = strawberry.field(
        default=None, description="The sid of the revoked token; null when userErrors says why not."
    )
    user_errors: list[UserError] = strawberry.field(default_factory=list, description="Why no token was revoked.")


async def create_access_token(info: Info, input: CreateAccessTokenInput) -> CreateAccessTokenPayload:
    ctx = info.context

    async def create_it() -> CreateAccessTokenPayload:
        assert ctx.login is not None
        created = await access_tokens.create_access_token(
            db=ctx.db, caller=ctx.viewer, account_sid=None,
            ttl=access_tokens.parse_ttl(optional(input.ttl_seconds)),
            signed_in_with_token=ctx.login.access_token_sid is not None,
        )
        return CreateAccessTokenPayload(
            access_token=created.token, access_token_sid=strawberry.ID(created.record.sid),
            expires_at=created.record.expires_at, account=account_node(ctx.viewer),
        )

    return await mutation_payload(info, create_it(), lambda errors: CreateAccessTokenPayload(user_errors=errors))


async def revoke_access_token(info: Info, input: RevokeAccessTokenInput) -> RevokeAccessTokenPayload:
    ctx = info.context

    async def revoke_it() -> RevokeAccessTokenPayload:
        assert ctx.login is not None
        revoked = await access_tokens.revoke_access_token(
            db=ctx.db, caller=ctx.viewer, token_sid=optional(input.sid),
            current_token_sid=ctx.login.access_token_sid,
        )
        return RevokeAccessTokenPayload(revoked_sid=strawberry.ID(revoked.sid))

    return await mutation_payload(info, revoke_it(), lambda errors: RevokeAccessTokenPayload(user_errors=errors))
