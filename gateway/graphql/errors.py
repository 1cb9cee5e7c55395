"""Service errors as GraphQL shows them.

Mutations answer expected failures in their payload's `userErrors` (transport 200):
the field path of the input at fault, the service's message with the field named as
GraphQL spells it, the error kind and the Restcomm code REST answers for the same
failure. Queries have no payload: there a ServiceError becomes a GraphQL error with the
same `code` and `restcommCode` in its extensions (never masked: it is expected).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import NoReturn, TypeVar

import strawberry
from graphql import GraphQLError

from gateway.domain.errors import ErrorCode, ServiceError, ServiceUnavailable
from gateway.domain.fields import field
from gateway.graphql import descriptions as text
from gateway.graphql.context import Info

Payload = TypeVar("Payload")

# (strawberry.enum registers the GraphQL definition on the domain's enum itself.)
strawberry.enum(ErrorCode, description=(
    "The kind of an expected failure; mirrors the gateway's error codes (REST answers the "
    "same failure with the matching restcommCode)."
))


@strawberry.type(description=text.USER_ERROR)
class UserError:
    field: list[str] | None = strawberry.field(description=text.USER_ERROR_FIELDS["field"])
    message: str = strawberry.field(description=text.USER_ERROR_FIELDS["message"])
    code: ErrorCode = strawberry.field(description=text.USER_ERROR_FIELDS["code"])
    restcomm_code: int | None = strawberry.field(description=text.USER_ERROR_FIELDS["restcomm_code"])


def input_path(name: str | None) -> list[str] | None:
    """The GraphQL path of a service-level field name (`voice_url` → input.voice.url)."""
    return ["input", *field(name).graphql] if name is not None else None


def graphql_name(name: str) -> str:
    """How a message names a service-level input: `voice.url` (its path under `input`)."""
    return field(name).graphql_label


def user_error(error: ServiceError) -> UserError:
    path = input_path(error.field)
    return UserError(
        field=path,
        message=error.message_for(graphql_name),
        code=error.code,
        restcomm_code=error.code.restcomm_code,
    )


def client_error(message: str, code: ErrorCode = ErrorCode.INVALID_PARAMETER, **extensions: object) -> GraphQLError:
    """An expected error of a query (bad argument, not allowed): shown as is, not masked."""
    return GraphQLError(
        message, extensions={"code": code.name, "restcommCode": code.restcomm_code, **extensions}
    )


def raise_query_error(info: Info, error: ServiceError) -> NoReturn:
    """Re-raise a ServiceError from a query resolver, naming the argument at fault."""
    note_unavailable(info, error)
    raise client_error(error.message_for(graphql_name), error.code) from error


async def mutation_payload(
    info: Info, action: Awaitable[Payload], failed: Callable[[list[UserError]], Payload]
) -> Payload:
    """The mutation's payload, or `failed(userErrors)` when the service refuses."""
    try:
        return await action
    except ServiceError as error:
        note_unavailable(info, error)
        return failed([user_error(error)])


def note_unavailable(info: Info, error: ServiceError) -> None:
    """The gateway itself ran out of a resource: the whole answer is a 503 with Retry-After."""
    response = info.context.response
    if isinstance(error, ServiceUnavailable) and response is not None:
        response.status_code = 503
        response.headers["Retry-After"] = str(error.retry_after)
