"""Service errors as GraphQL shows them.

Mutations answer expected failures in their payload's `userErrors` (transport 200):
the field path of the input at fault, the service's message with the field named as
GraphQL spells it, the error kind and the Restcomm code REST answers for the same
failure. Queries have no payload: there a ServiceError becomes a GraphQL error with the
same `code` and `restcommCode` in its extensions (never masked: it is expected).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import NoReturn, TypeVar

from graphql import GraphQLError

from gateway.domain.errors import ErrorCode, ServiceError, ServiceUnavailable
from gateway.domain.route_families import CAPABILITY_COLUMNS, SETTINGS_BY_COLUMN
from gateway.graphql.context import Info
from gateway.graphql.types import UserError, error_code

FieldPath = Sequence[str]
Payload = TypeVar("Payload")


def lower_camel(snake: str) -> str:
    head, *rest = snake.split("_")
    return head + "".join(part.capitalize() for part in rest)


def input_path(field: str | None, overrides: Mapping[str, FieldPath] | None = None) -> list[str] | None:
    """The GraphQL path of a service-level field name (`voice_url` → input.voice.url)."""
    if field is None:
        return None
    if overrides and field in overrides:
        return list(overrides[field])
    setting = SETTINGS_BY_COLUMN.get(field)
    if setting is not None:
        return ["input", setting.family, lower_camel(setting.name)]
    if field in CAPABILITY_COLUMNS:
        return ["input", "capabilities", field.removesuffix("_capable")]
    return ["input", lower_camel(field)]


def label(path: Sequence[str] | None) -> str | None:
    """How a message names the field: `voice.url` (the path without `input`)."""
    if not path:
        return None
    return ".".join(path[1:] if path[0] == "input" and len(path) > 1 else path)


def user_error(error: ServiceError, overrides: Mapping[str, FieldPath] | None = None) -> UserError:
    path = input_path(error.field, overrides)
    return UserError(
        field=path,
        message=error.message_for(label(path)),
        code=error_code(error.code),
        restcomm_code=error.code.restcomm_code,
    )


def client_error(message: str, code: ErrorCode = ErrorCode.INVALID_PARAMETER, **extensions: object) -> GraphQLError:
    """An expected error of a query (bad argument, not allowed): shown as is, not masked."""
    return GraphQLError(
        message, extensions={"code": code.name, "restcommCode": code.restcomm_code, **extensions}
    )


def raise_query_error(info: Info, error: ServiceError, arguments: Mapping[str, str] | None = None) -> NoReturn:
    """Re-raise a ServiceError from a query resolver; `arguments` maps service field → argument."""
    note_unavailable(info, error)
    name = (arguments or {}).get(error.field or "") or (lower_camel(error.field) if error.field else None)
    raise client_error(error.message_for(name), error.code) from error


async def mutation_payload(
    info: Info, action: Awaitable[Payload], failed: Callable[[list[UserError]], Payload],
    paths: Mapping[str, FieldPath] | None = None,
) -> Payload:
    """The mutation's payload, or `failed(userErrors)` when the service refuses."""
    try:
        return await action
    except ServiceError as error:
        note_unavailable(info, error)
        return failed([user_error(error, paths)])


def note_unavailable(info: Info, error: ServiceError) -> None:
    """The gateway itself ran out of a resource: the whole answer is a 503 with Retry-After."""
    response = info.context.response
    if isinstance(error, ServiceUnavailable) and response is not None:
        response.status_code = 503
        response.headers["Retry-After"] = str(error.retry_after)
