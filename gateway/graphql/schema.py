"""The schema: Query and Mutation with the limits that are on by default.

Limits (README: GraphQL): query depth, aliases, tokens, carrier searches and the nodes
nested pages may return (`costs.NodeLimit`, with the request's variables) are checked
before execution;
page size (`first`/`last` ≤ 100) by the connection. Mutations are refused over GET by
the view. Parsing and validation are cached (about 1.5 ms a request saved).

Extensions are given as classes or zero-argument factories, never instances: an
instance would be shared by concurrent requests.

Unexpected errors (an exception that is not a GraphQLError) are logged with the
request id and answered as "Unexpected error" with that id in `extensions`; expected
ones (validation, bad arguments, FORBIDDEN) pass unchanged.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

import strawberry
from graphql import GraphQLError
from graphql.language import OperationDefinitionNode
from strawberry.extensions import (
    AddValidationRules,
    MaskErrors,
    MaxAliasesLimiter,
    MaxTokensLimiter,
    ParserCache,
    QueryDepthLimiter,
    SchemaExtension,
    ValidationCache,
)
from strawberry.schema.config import StrawberryConfig
from strawberry.types import ExecutionContext

from gateway.graphql.costs import CarrierSearchLimit, NodeLimit
from gateway.graphql.executor import PlannedExecutor
from gateway.graphql.mutations import Mutation
from gateway.graphql.queries import Query
from gateway.graphql.subscriptions import Subscription
from gateway.graphql.types import SCALAR_MAP, Account, IncomingPhoneNumber
from gateway.observability.metrics import GRAPHQL_OPERATIONS

log = logging.getLogger("gateway.graphql")

#: deepest legitimate query: incomingPhoneNumbers.edges.node.voice.application.friendlyName is 6
MAX_DEPTH = 10
MAX_ALIASES = 30
#: a full introspection query (GraphiQL's) is about 200 tokens
MAX_TOKENS = 2000
CACHE_SIZE = 256
UNEXPECTED = "Unexpected error"


def is_unexpected(error: GraphQLError) -> bool:
    """A resolver raised something that is not a GraphQL error: a bug or an outage."""
    original = error.original_error
    return original is not None and not isinstance(original, GraphQLError)


def _request_id(execution_context: ExecutionContext | None) -> str:
    context = execution_context.context if execution_context is not None else None
    return str(getattr(context, "request_id", "-"))


class MaskUnexpectedErrors(MaskErrors):
    """Replace unexpected errors by "Unexpected error" carrying the request id."""

    def __init__(self) -> None:
        super().__init__(should_mask_error=is_unexpected, error_message=UNEXPECTED)

    def anonymise_error(self, error: GraphQLError) -> GraphQLError:
        return GraphQLError(
            message=self.error_message,
            nodes=error.nodes,
            source=error.source,
            positions=error.positions,
            path=error.path,
            original_error=None,
            extensions={"code": "INTERNAL_SERVER_ERROR", "requestId": _request_id(self.execution_context)},
        )


class OperationMetrics(SchemaExtension):
    """Count operations by root field (bounded by the schema) and outcome."""

    def on_operation(self) -> Iterator[None]:
        yield
        context = self.execution_context
        document = context.graphql_document
        operation = next(
            (d for d in (document.definitions if document else ()) if isinstance(d, OperationDefinitionNode)), None
        )
        root = "-"
        if operation is not None and operation.selection_set.selections:
            first = operation.selection_set.selections[0]
            root = getattr(getattr(first, "name", None), "value", "-")
        kind = operation.operation.value if operation is not None else "-"
        result = context.result
        outcome = "error" if getattr(result, "errors", None) or context.pre_execution_errors else "ok"
        GRAPHQL_OPERATIONS.labels(root, kind, outcome).inc()


class ExecutionStarted(SchemaExtension):
    """Note on the context that the document parsed and validated and execution began,
    so the view can answer 400 to clients of GraphQL over HTTP's
    `application/graphql-response+json` when it did not."""

    def on_execute(self) -> Iterator[None]:
        context = self.execution_context.context
        if hasattr(context, "execution_started"):
            context.execution_started = True
        yield


class GatewaySchema(strawberry.Schema):
    def process_errors(self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None) -> None:
        # Runs before MaskUnexpectedErrors rewrites them: the log keeps the real error.
        for error in errors:
            if is_unexpected(error):
                log.error(
                    "unexpected error in GraphQL field %s (request id %s)",
                    ".".join(str(p) for p in error.path or ()), _request_id(execution_context),
                    exc_info=error.original_error,
                )
            else:
                log.debug("GraphQL error: %s", error.message)


class DepthLimit(QueryDepthLimiter):
    """QueryDepthLimiter(max_depth=MAX_DEPTH) whose validation rule is built once.

    QueryDepthLimiter and MaxAliasesLimiter make a new rule class in each __init__, and
    ValidationCache keys on the rule classes: a fresh instance per request (as it must
    be) would never hit the cache. The rule holds no per-request state, so it is shared.
    """

    RULES = QueryDepthLimiter(max_depth=MAX_DEPTH).validation_rules

    def __init__(self) -> None:
        AddValidationRules.__init__(self, self.RULES)


class CarrierSearches(AddValidationRules):
    """At most `costs.MAX_CARRIER_SEARCHES` carrier searches per operation."""

    def __init__(self) -> None:
        super().__init__([CarrierSearchLimit])


class OperationNameRequired(SchemaExtension):
    """A document with several operations must say which to run (GraphQL spec,
    GetOperation): Strawberry would otherwise run the first one."""

    def on_validate(self) -> Iterator[None]:
        context = self.execution_context
        document = context.graphql_document
        operations = [d for d in (document.definitions if document else ()) if isinstance(d, OperationDefinitionNode)]
        named = getattr(context.context, "operation_named", True)  # set by the view from the request
        if len(operations) > 1 and not named:
            missing = GraphQLError("the document has several operations: say which one to run with operationName")
            # A new list: the one ValidationCache set is shared by every request of this document.
            context.pre_execution_errors = [*(context.pre_execution_errors or []), missing]
        yield


class AliasLimit(MaxAliasesLimiter):
    """MaxAliasesLimiter(max_alias_count=MAX_ALIASES) whose rule is built once (see DepthLimit)."""

    RULES = MaxAliasesLimiter(max_alias_count=MAX_ALIASES).validation_rules

    def __init__(self) -> None:
        AddValidationRules.__init__(self, self.RULES)


def extensions() -> list[Any]:
    return [
        lambda: MaxTokensLimiter(max_token_count=MAX_TOKENS),
        DepthLimit,
        AliasLimit,
        CarrierSearches,
        lambda: ParserCache(maxsize=CACHE_SIZE),
        lambda: ValidationCache(maxsize=CACHE_SIZE),
        OperationNameRequired,  # after ValidationCache, whose errors it adds to
        NodeLimit,  # after ValidationCache too: it counts documents that validated
        MaskUnexpectedErrors,
        OperationMetrics,
        ExecutionStarted,
    ]


def build_schema() -> GatewaySchema:
    return GatewaySchema(
        query=Query,
        mutation=Mutation,
        subscription=Subscription,
        # Implementations of Node reached only through the interface are listed here.
        types=[Account, IncomingPhoneNumber],
        extensions=extensions(),
        config=StrawberryConfig(scalar_map=SCALAR_MAP),
        execution_context_class=PlannedExecutor,
    )


schema = build_schema()


def sdl() -> str:
    """The schema in SDL, as `gateway export-schema` writes it to schema.graphql."""
    return schema.as_str() + "\n"
