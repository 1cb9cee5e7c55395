"""What an operation may cost, checked before it runs.

A carrier search is the expensive field: each `availablePhoneNumbers` (and
`availableCountries`) asks the carrier, and aliases or fragments can repeat it. An
operation may start at most `MAX_CARRIER_SEARCHES`; one that would start more is
refused with an error naming the limit, before any of them runs (a validation rule).

Nodes are the other cost, counted as GitHub counts them: a field with `first`/`last`
(every connection, and the carrier search) may return that many nodes for each node of
the connections around it, so nested pages multiply: `subaccounts(first: 50) {
incomingPhoneNumbers(first: 10) }` may return 50 + 50 × 10 = 550. An operation that
could return more than `MAX_NODES` is refused before anything runs. A missing `first`
or `last` counts as the page maximum (100), a variable as the value the request gives
it (else its default). Because of the variables this is not a validation rule:
validation results are cached per document, so `NodeLimit` is an extension that runs
right after validation, on every request.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLArgument,
    GraphQLError,
    GraphQLInterfaceType,
    GraphQLNamedType,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    IntValueNode,
    OperationDefinitionNode,
    SelectionNode,
    ValidationRule,
    VariableNode,
    get_named_type,
)
from strawberry.extensions import SchemaExtension

from gateway.graphql.connection import MAX_PAGE

#: root fields that call the carrier
CARRIER_FIELDS = frozenset({"availablePhoneNumbers", "availableCountries"})
MAX_CARRIER_SEARCHES = 5
#: the most nodes one operation may ask for (descriptions.NODE_LIMIT tells clients)
MAX_NODES = 10_000
#: the arguments that bound how many nodes a field returns
_PAGE_ARGUMENTS = ("first", "last")


class CarrierSearchLimit(ValidationRule):
    def leave_document(self, node: Any, *_args: Any) -> None:
        fragments = {d.name.value: d for d in node.definitions if isinstance(d, FragmentDefinitionNode)}
        for operation in node.definitions:
            if not isinstance(operation, OperationDefinitionNode):
                continue
            searches = _count_root_fields(operation.selection_set.selections, fragments, CARRIER_FIELDS, set())
            if searches > MAX_CARRIER_SEARCHES:
                name = f"operation {operation.name.value!r}" if operation.name else "the operation"
                self.report_error(GraphQLError(
                    f"{name} would start {searches} carrier searches (availablePhoneNumbers, availableCountries,"
                    f" aliases included); at most {MAX_CARRIER_SEARCHES} are allowed per request",
                    operation,
                    extensions={"code": "CARRIER_SEARCH_LIMIT", "limit": MAX_CARRIER_SEARCHES},
                ))


def _count_root_fields(
    selections: Iterable[SelectionNode], fragments: dict[str, FragmentDefinitionNode], names: frozenset[str],
    visiting: set[str],
) -> int:
    count = 0
    for selection in selections:
        if isinstance(selection, FieldNode):
            count += selection.name.value in names
        elif isinstance(selection, InlineFragmentNode):
            count += _count_root_fields(selection.selection_set.selections, fragments, names, visiting)
        elif isinstance(selection, FragmentSpreadNode):
            fragment = fragments.get(selection.name.value)
            if fragment is not None and fragment.name.value not in visiting:  # cycles are another rule's error
                count += _count_root_fields(
                    fragment.selection_set.selections, fragments, names, visiting | {fragment.name.value}
                )
    return count


class NodeLimit(SchemaExtension):
    """At most `MAX_NODES` nodes per operation, with the request's variables; runs after
    ValidationCache (it counts valid documents only) and refuses before execution."""

    def on_validate(self) -> Iterator[None]:
        context = self.execution_context
        document = context.graphql_document
        if document is not None and not context.pre_execution_errors:
            refused = node_limit_error(context.schema._schema, document, context.operation_name, context.variables)
            if refused is not None:
                context.pre_execution_errors = [refused]
        yield


def node_limit_error(
    schema: GraphQLSchema, document: DocumentNode, operation_name: str | None, variables: Mapping[str, Any] | None,
) -> GraphQLError | None:
    """The refusal of the operation that runs, if it could return more than `MAX_NODES`."""
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    chosen = [o for o in operations if operation_name is None or (o.name is not None and o.name.value == operation_name)]
    if len(chosen) != 1:
        return None  # no operation or several: graphql-core or OperationNameRequired says so
    [operation] = chosen
    root = schema.get_root_type(operation.operation)
    if root is None:
        return None
    counter = _NodeCounter(schema, document, operation, variables or {})
    nodes = counter.count(operation.selection_set.selections, root, 1, frozenset())
    if nodes <= MAX_NODES:
        return None
    name = f"operation {operation.name.value!r}" if operation.name else "the operation"
    return GraphQLError(
        f"{name} could return up to {nodes:,} nodes, more than the {MAX_NODES:,} a request may ask for: "
        f"first/last multiply through nested connections (a missing first or last counts as {MAX_PAGE}); "
        "ask for smaller pages, or fewer nested ones",
        operation,
        extensions={"code": "NODE_LIMIT", "limit": MAX_NODES, "nodes": nodes},
    )


class _NodeCounter:
    """Walks an operation with the schema's types, multiplying pages down each path."""

    def __init__(
        self, schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode,
        variables: Mapping[str, Any],
    ) -> None:
        self.schema = schema
        self.fragments = {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}
        defaults = {
            d.variable.name.value: int(d.default_value.value)
            for d in operation.variable_definitions or ()
            if isinstance(d.default_value, IntValueNode)
        }
        self.variables = {**defaults, **variables}

    def count(
        self, selections: Iterable[SelectionNode], parent: GraphQLNamedType, multiplier: int, visiting: frozenset[str],
    ) -> int:
        nodes = 0
        for selection in selections:
            if isinstance(selection, FieldNode):
                nodes += self._field(selection, parent, multiplier, visiting)
            elif isinstance(selection, InlineFragmentNode):
                condition = selection.type_condition
                inner = self.schema.get_type(condition.name.value) if condition else parent
                nodes += self.count(selection.selection_set.selections, inner or parent, multiplier, visiting)
            elif isinstance(selection, FragmentSpreadNode):
                fragment = self.fragments.get(selection.name.value)
                if fragment is not None and fragment.name.value not in visiting:  # cycles are another rule's error
                    inner = self.schema.get_type(fragment.type_condition.name.value) or parent
                    nodes += self.count(
                        fragment.selection_set.selections, inner, multiplier, visiting | {fragment.name.value}
                    )
        return nodes

    def _field(self, node: FieldNode, parent: GraphQLNamedType, multiplier: int, visiting: frozenset[str]) -> int:
        if not isinstance(parent, (GraphQLObjectType, GraphQLInterfaceType)):
            return 0
        field = parent.fields.get(node.name.value)
        if field is None:
            return 0  # __typename, or unknown (validation's error)
        nodes = 0
        if any(name in field.args for name in _PAGE_ARGUMENTS):
            multiplier *= self._page(node, field.args)
            nodes += multiplier
        if node.selection_set is not None:
            nodes += self.count(node.selection_set.selections, get_named_type(field.type), multiplier, visiting)
        return nodes

    def _page(self, node: FieldNode, arguments: Mapping[str, GraphQLArgument]) -> int:
        """The most nodes the field may return: its first or last as given (a literal or a
        variable's value), else the schema's default for it, else MAX_PAGE."""
        given = {argument.name.value: argument.value for argument in node.arguments or ()}
        sizes = []
        for name in _PAGE_ARGUMENTS:
            value = given.get(name)
            if isinstance(value, IntValueNode):
                sizes.append(int(value.value))
            elif isinstance(value, VariableNode):
                size = _size(self.variables.get(value.name.value))
                sizes.append(MAX_PAGE if size is None else size)
        if not sizes:  # neither given (or given null): what the field does without them
            defaults = (_size(arguments[name].default_value) for name in _PAGE_ARGUMENTS if name in arguments)
            sizes = [size for size in defaults if size is not None]
        return max(0, *sizes) if sizes else MAX_PAGE


def _size(value: Any) -> int | None:
    """A page size if `value` is one (an int); None for null, absent or anything else."""
    return value if isinstance(value, int) and not isinstance(value, bool) else None
