"""createApiKey and revokeApiKey: an account's revocable credentials."""

from __future__ import annotations

import strawberry

from gateway.graphql.context import Info
from gateway.graphql.errors import mutation_payload
from gateway.graphql.mutations.inputs import optional
from gateway.graphql.queries import require_visible_account
from gateway.graphql.types import ApiKey, UserError, api_key_node
from gateway.services import api_keys


@strawberry.input(description="The account to give a key, and the key's name.")
class CreateApiKeyInput:
    account_sid: strawberry.ID = strawberry.field(description="The sid of the account the key acts as.")
    friendly_name: str | None = strawberry.field(
        default=strawberry.UNSET, description="A human readable description of the key, up to 64 characters long."
    )


@strawberry.type(description="The result of createApiKey.")
class CreateApiKeyPayload:
    api_key: ApiKey | None = strawberry.field(default=None, description="The new key; null when userErrors says why not.")
    secret: str | None = strawberry.field(
        default=None, description="The key's secret, shown only now: only its hash is stored."
    )
    user_errors: list[UserError] = strawberry.field(default_factory=list, description="Why no key was made.")


@strawberry.input(description="The key to revoke.")
class RevokeApiKeyInput:
    sid: strawberry.ID = strawberry.field(description="The sid of the key (SK…).")


@strawberry.type(description="The result of revokeApiKey.")
class RevokeApiKeyPayload:
    revoked_sid: strawberry.ID | None = strawberry.field(
        default=None, description="The sid of the revoked key; null when userErrors says why not."
    )
    user_errors: list[UserError] = strawberry.field(default_factory=list, description="Why the key was not revoked.")


async def create_api_key(info: Info, input: CreateApiKeyInput) -> CreateApiKeyPayload:
    ctx = info.context

    async def create_it() -> CreateApiKeyPayload:
        await require_visible_account(info, input.account_sid)
        created = await api_keys.create_api_key(
            db=ctx.db, caller=ctx.viewer, account_sid=input.account_sid,
            friendly_name=optional(input.friendly_name), with_api_key=ctx.signed_in_with_key,
        )
        return CreateApiKeyPayload(api_key=api_key_node(created.key), secret=created.secret)

    return await mutation_payload(info, create_it(), lambda errors: CreateApiKeyPayload(user_errors=errors))


async def revoke_api_key(info: Info, input: RevokeApiKeyInput) -> RevokeApiKeyPayload:
    ctx = info.context

    async def revoke_it() -> RevokeApiKeyPayload:
        revoked = await api_keys.revoke_api_key(
            db=ctx.db, caller=ctx.viewer, key_sid=input.sid, with_api_key=ctx.signed_in_with_key
        )
        return RevokeApiKeyPayload(revoked_sid=strawberry.ID(revoked.sid))

    return await mutation_payload(info, revoke_it(), lambda errors: RevokeApiKeyPayload(user_errors=errors))
