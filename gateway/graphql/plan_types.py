"""What an execution plan is (`graphql.plans` builds them, `graphql.plan_code` writes
their code, `graphql.executor` runs them)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import Enum
from typing import TYPE_CHECKING, Any

from graphql import GraphQLField, GraphQLObjectType, GraphQLOutputType, GraphQLSchema
from graphql.execution.collect_fields import FieldDetailsList
from graphql.execution.values import get_argument_values
from graphql.language import FieldNode, OperationDefinitionNode

if TYPE_CHECKING:
    from graphql.execution import Executor

class Uncompilable(Exception):
    """The operation uses something plans do not handle: graphql-core runs it."""


class Fallback(Exception):
    """A running plan met what only graphql-core answers exactly (an error, a null in a
    non-null position, a value a scalar refuses): graphql-core runs the operation."""


class Mode(Enum):
    #: the attribute named like the field (a column): no resolver
    ATTRIBUTE = "attribute"
    #: a synchronous resolver that reads only its object: called with it alone
    DIRECT = "direct"
    #: a synchronous resolver of its object and `info` (no arguments): called with both
    INFO = "info"
    #: a resolver that reads info or arguments, or is async: called as graphql-core would
    RESOLVE = "resolve"
    TYPENAME = "typename"


@dataclass(eq=False)
class FieldPlan:
    key: str
    parent_type: GraphQLObjectType
    field_def: GraphQLField
    nodes: list[FieldNode]
    details: FieldDetailsList
    mode: Mode
    #: ATTRIBUTE: the attribute read; DIRECT, INFO: the resolver's function (of the
    #: object, and of the info as the keyword `attribute`)
    attribute: str = ""
    direct: Callable[..., Any] | None = None
    #: INFO: the Strawberry field, for the Info the resolver gets
    definition: Any = None
    #: the arguments, coerced once when they name no variable (None: per request)
    static_arguments: dict[str, Any] | None = None
    #: the plan of the object (or list items) the field returns, if it returns objects
    child: ObjectPlan | None = None

    @property
    def return_type(self) -> GraphQLOutputType:
        return self.field_def.type

    def arguments(self, executor: Executor) -> dict[str, Any]:
        if self.static_arguments is not None:
            return self.static_arguments
        node = self.details[0]
        return get_argument_values(self.field_def, node.node, executor.variable_values, None,
                                   executor.hide_suggestions)


@dataclass(eq=False)
class ObjectPlan:
    type: GraphQLObjectType
    fields: list[FieldPlan] = field(default_factory=list)
    #: build(source, path, run) -> the object's response mapping
    build: Callable[[Any, Any, Any], dict[str, Any]] = lambda source, path, run: {}


@dataclass(eq=False)
class OperationPlan:
    schema: GraphQLSchema
    operation: OperationDefinitionNode
    root: ObjectPlan
