"""createSubaccount: a child account of the viewer; its token is shown once."""

from __future__ import annotations

import strawberry

from gateway.graphql import descriptions as text
from gateway.graphql.context import Info
from gateway.graphql.errors import mutation_payload
from gateway.graphql.mutations.inputs import optional
from gateway.graphql.types import Account, AccountRole, UserError, account_node
from gateway.services import accounts

_FIELDS = text.CREATE_SUBACCOUNT_FIELDS


@strawberry.input(description="The new subaccount.")
class CreateSubaccountInput:
    friendly_name: str | None = strawberry.field(default=strawberry.UNSET, description=_FIELDS["friendly_name"])
    email: str = strawberry.field(description=_FIELDS["email"])
    password: str | None = strawberry.field(default=strawberry.UNSET, description=_FIELDS["password"])
    role: AccountRole | None = strawberry.field(default=strawberry.UNSET, description=_FIELDS["role"])


@strawberry.type(description="The result of createSubaccount.")
class CreateSubaccountPayload:
    account: Account | None = strawberry.field(default=None, description="The new account.")
    auth_token: str | None = strawberry.field(
        default=None, description="The new account's auth token, shown only now: only its hash is stored."
    )
    user_errors: list[UserError] = strawberry.field(default_factory=list, description="Why no account was created.")


async def create_subaccount(info: Info, input: CreateSubaccountInput) -> CreateSubaccountPayload:
    ctx = info.context
    role = optional(input.role)

    async def create_it() -> CreateSubaccountPayload:
        created = await accounts.create_subaccount(
            db=ctx.db,
            caller=ctx.viewer,
            email=input.email,
            friendly_name=optional(input.friendly_name),
            role=role.value if role is not None else None,
            password=optional(input.password),
        )
        return CreateSubaccountPayload(account=account_node(created.account), auth_token=created.auth_token)

    return await mutation_payload(info, create_it(), lambda errors: CreateSubaccountPayload(user_errors=errors))
