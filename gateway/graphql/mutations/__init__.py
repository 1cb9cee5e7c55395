"""The Mutation type: one module per mutation (input, payload, resolver).

Expected failures are ServiceErrors answered in the payload's `userErrors` with the
transport at 200; the semantics are REST's, through the same service functions.
"""

from __future__ import annotations

import strawberry

from gateway.graphql import descriptions as text
from gateway.graphql.mutations.access_tokens import (
    CreateAccessTokenPayload,
    RevokeAccessTokenPayload,
    create_access_token,
    revoke_access_token,
)
from gateway.graphql.mutations.api_keys import (
    CreateApiKeyPayload,
    RevokeApiKeyPayload,
    create_api_key,
    revoke_api_key,
)
from gateway.graphql.mutations.create_application import CreateApplicationPayload, create_application
from gateway.graphql.mutations.create_subaccount import (
    CreateSubaccountPayload,
    create_subaccount,
)
from gateway.graphql.mutations.delete_application import DeleteApplicationPayload, delete_application
from gateway.graphql.mutations.purchase_number import (
    PurchaseNumberPayload,
    purchase_number,
)
from gateway.graphql.mutations.release_number import (
    ReleaseNumberPayload,
    release_number,
)
from gateway.graphql.mutations.rotate_auth_token import RotateAuthTokenPayload, rotate_auth_token
from gateway.graphql.mutations.transfer_number import (
    TransferNumberPayload,
    transfer_number,
)
from gateway.graphql.mutations.update_account import UpdateAccountPayload, update_account
from gateway.graphql.mutations.update_application import UpdateApplicationPayload, update_application
from gateway.graphql.mutations.update_number import UpdateNumberPayload, update_number


@strawberry.type(description="Changes to numbers and accounts; expected failures come back in each payload's userErrors.")
class Mutation:
    purchase_number: PurchaseNumberPayload = strawberry.mutation(resolver=purchase_number, description=text.PURCHASE)
    update_number: UpdateNumberPayload = strawberry.mutation(resolver=update_number, description=text.UPDATE)
    release_number: ReleaseNumberPayload = strawberry.mutation(resolver=release_number, description=text.RELEASE)
    transfer_number: TransferNumberPayload = strawberry.mutation(resolver=transfer_number, description=text.TRANSFER)
    create_subaccount: CreateSubaccountPayload = strawberry.mutation(
        resolver=create_subaccount, description=text.CREATE_SUBACCOUNT
    )
    update_account: UpdateAccountPayload = strawberry.mutation(resolver=update_account, description=text.UPDATE_ACCOUNT)
    rotate_auth_token: RotateAuthTokenPayload = strawberry.mutation(
        resolver=rotate_auth_token, description=text.ROTATE_AUTH_TOKEN
    )
    create_api_key: CreateApiKeyPayload = strawberry.mutation(resolver=create_api_key, description=text.CREATE_API_KEY)
    revoke_api_key: RevokeApiKeyPayload = strawberry.mutation(resolver=revoke_api_key, description=text.REVOKE_API_KEY)
    create_access_token: CreateAccessTokenPayload = strawberry.mutation(
        resolver=create_access_token, description=text.CREATE_ACCESS_TOKEN
    )
    revoke_access_token: RevokeAccessTokenPayload = strawberry.mutation(
        resolver=revoke_access_token, description=text.REVOKE_ACCESS_TOKEN
    )
    create_application: CreateApplicationPayload = strawberry.mutation(
        resolver=create_application, description=text.CREATE_APPLICATION
    )
    update_application: UpdateApplicationPayload = strawberry.mutation(
        resolver=update_application, description=text.UPDATE_APPLICATION
    )
    delete_application: DeleteApplicationPayload = strawberry.mutation(
        resolver=delete_application, description=text.DELETE_APPLICATION
    )


__all__ = ["Mutation"]
